//! A sandbox as the server knows it: its identity, settings and end time, and the container it
//! runs in.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use e2b_wire::sandboxes::SandboxVolumeMount;
use tokio::sync::Notify;

use super::runtime::Container;

/// The one template e2b-local provides.
pub const TEMPLATE: &str = "base";

/// A running sandbox.
pub struct Sandbox {
    /// Its ID.
    pub id: String,
    /// Its template.
    pub template_id: String,
    /// When it started.
    pub started_at: SystemTime,
    end_at: Mutex<SystemTime>,
    /// Wakes the reaper when the timeout changes.
    pub changed: Notify,
    /// User metadata.
    pub metadata: BTreeMap<String, String>,
    /// Its volume mounts.
    pub mounts: Vec<SandboxVolumeMount>,
    /// The token envd requires, unless the sandbox was made without one (`secure: false`).
    pub envd_token: Option<String>,
    /// Whether it may reach the internet.
    pub allow_internet_access: bool,
    /// What it may use.
    pub resources: Resources,
    /// Where it runs.
    pub container: Container,
}

/// What a sandbox may use, as the control plane reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resources {
    /// CPUs.
    pub cpu_count: u32,
    /// Memory, in MiB.
    pub memory_mb: u32,
    /// Its own files, in MiB.
    pub disk_size_mb: u32,
}

/// What a new sandbox is.
pub struct Spec {
    /// The new sandbox's ID.
    pub id: String,
    /// Its template.
    pub template_id: String,
    /// Time until it is killed.
    pub timeout: Duration,
    /// User metadata.
    pub metadata: BTreeMap<String, String>,
    /// Its volume mounts.
    pub mounts: Vec<SandboxVolumeMount>,
    /// The token envd requires, if any.
    pub envd_token: Option<String>,
    /// Whether it may reach the internet.
    pub allow_internet_access: bool,
    /// What it may use.
    pub resources: Resources,
}

impl Sandbox {
    /// A sandbox of `spec`, running in `container`.
    pub fn new(spec: Spec, container: Container) -> Self {
        Self {
            id: spec.id,
            template_id: spec.template_id,
            started_at: SystemTime::now(),
            end_at: Mutex::new(SystemTime::now() + spec.timeout),
            changed: Notify::new(),
            metadata: spec.metadata,
            mounts: spec.mounts,
            envd_token: spec.envd_token,
            allow_internet_access: spec.allow_internet_access,
            resources: spec.resources,
            container,
        }
    }

    /// When the sandbox will be killed.
    pub fn end_at(&self) -> SystemTime {
        *self.end_at.lock().unwrap()
    }

    /// Moves the end to `timeout` from now.
    pub fn set_timeout(&self, timeout: Duration) {
        *self.end_at.lock().unwrap() = SystemTime::now() + timeout;
        self.changed.notify_waiters();
    }
}
