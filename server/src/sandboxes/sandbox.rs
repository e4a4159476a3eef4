//! A sandbox as the server knows it: its identity and settings, its end time, whether it runs or
//! is paused, and the container it runs in now (replaced when it restarts from its saved files).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

use e2b_wire::sandboxes::{SandboxNetworkConfig, SandboxVolumeMount};
use tokio::sync::Notify;

use super::history::History;
use super::runtime::{Container, Egress};

/// The one template e2b-local provides.
pub const TEMPLATE: &str = "base";

/// A sandbox, running or paused.
pub struct Sandbox {
    /// Its ID.
    pub id: String,
    /// Its template: [`TEMPLATE`], or the snapshot it was made from.
    pub template_id: String,
    /// Its template's alias.
    pub alias: String,
    /// When it started.
    pub started_at: SystemTime,
    end_at: Mutex<SystemTime>,
    /// Wakes its watcher when its timeout or its phase changes.
    pub changed: Notify,
    /// User metadata.
    pub metadata: BTreeMap<String, String>,
    /// Its volume mounts.
    pub mounts: Vec<SandboxVolumeMount>,
    /// The host directory of each mount, in the same order.
    pub mount_dirs: Vec<PathBuf>,
    /// The token envd requires, unless the sandbox was made without one (`secure: false`).
    pub envd_token: Option<String>,
    /// Environment variables of every process.
    pub envs: BTreeMap<String, String>,
    /// What it may use.
    pub resources: Resources,
    /// What happens at its timeout, and whether traffic resumes it.
    pub lifecycle: Lifecycle,
    /// The timeout it was made with: what an automatic resume grants.
    pub timeout: Duration,
    network: Mutex<Network>,
    /// The container it runs in (none while paused without its memory).
    pub container: Instance,
    phase: Mutex<Phase>,
    /// Held through a pause, a resume or a kill, so that they happen one at a time.
    pub transition: tokio::sync::Mutex<()>,
    /// Its resource use, sampled.
    pub usage: Mutex<History>,
    /// Its own files, saved by a pause without memory.
    saved: Mutex<Option<PathBuf>>,
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

/// What happens to a sandbox at its timeout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnTimeout {
    /// It is killed.
    Kill,
    /// It is paused, with its memory or with its files only.
    Pause {
        /// Whether the memory is kept.
        memory: bool,
    },
}

/// A sandbox's lifecycle policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifecycle {
    /// At the timeout.
    pub on_timeout: OnTimeout,
    /// Whether an envd call resumes it while paused (with its memory).
    pub auto_resume: bool,
}

/// Whether a sandbox runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Its processes run.
    Running,
    /// Paused: its processes frozen (`memory`), or ended with its files saved.
    Paused {
        /// Whether its processes (and so its memory) are kept.
        memory: bool,
    },
}

/// A sandbox's network: internet access and egress rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Network {
    /// Whether it may reach the internet.
    pub internet: bool,
    /// The egress rules as given, if any.
    pub config: Option<SandboxNetworkConfig>,
    /// The rules enforced.
    pub egress: Egress,
}

/// What a new sandbox is.
pub struct Spec {
    /// The new sandbox's ID.
    pub id: String,
    /// Its template.
    pub template_id: String,
    /// Its template's alias.
    pub alias: String,
    /// Time until it times out.
    pub timeout: Duration,
    /// User metadata.
    pub metadata: BTreeMap<String, String>,
    /// Its volume mounts, with their host directories.
    pub mounts: Vec<(SandboxVolumeMount, PathBuf)>,
    /// The token envd requires, if any.
    pub envd_token: Option<String>,
    /// Environment variables of every process.
    pub envs: BTreeMap<String, String>,
    /// Its network.
    pub network: Network,
    /// What it may use.
    pub resources: Resources,
    /// Its lifecycle policy.
    pub lifecycle: Lifecycle,
}

impl Sandbox {
    /// A sandbox of `spec`, running in `container`.
    pub fn new(spec: Spec, container: Container) -> Self {
        let (mounts, mount_dirs) = spec.mounts.into_iter().unzip();
        Self {
            id: spec.id,
            template_id: spec.template_id,
            alias: spec.alias,
            started_at: SystemTime::now(),
            end_at: Mutex::new(SystemTime::now() + spec.timeout),
            changed: Notify::new(),
            metadata: spec.metadata,
            mounts,
            mount_dirs,
            envd_token: spec.envd_token,
            envs: spec.envs,
            resources: spec.resources,
            lifecycle: spec.lifecycle,
            timeout: spec.timeout,
            network: Mutex::new(spec.network),
            container: Instance::new(container),
            phase: Mutex::new(Phase::Running),
            transition: tokio::sync::Mutex::new(()),
            usage: Mutex::new(History::default()),
            saved: Mutex::new(None),
        }
    }

    /// When the sandbox times out (for a paused one: when it was paused).
    pub fn end_at(&self) -> SystemTime {
        *self.end_at.lock().unwrap()
    }

    /// Moves the end to `timeout` from now.
    pub fn set_timeout(&self, timeout: Duration) {
        *self.end_at.lock().unwrap() = SystemTime::now() + timeout;
        self.changed.notify_waiters();
    }

    /// Whether it runs or is paused.
    pub fn phase(&self) -> Phase {
        *self.phase.lock().unwrap()
    }

    /// Records a new phase (its end time becomes the moment it paused) and wakes its watcher.
    pub fn set_phase(&self, phase: Phase) {
        *self.phase.lock().unwrap() = phase;
        if phase != Phase::Running {
            *self.end_at.lock().unwrap() = SystemTime::now();
        }
        self.changed.notify_waiters();
    }

    /// Its network settings.
    pub fn network(&self) -> Network {
        self.network.lock().unwrap().clone()
    }

    /// Records new network settings.
    pub fn set_network(&self, network: Network) {
        *self.network.lock().unwrap() = network;
    }

    /// Where its files were saved when it paused without memory.
    pub fn saved(&self) -> Option<PathBuf> {
        self.saved.lock().unwrap().clone()
    }

    /// Records (or forgets) where its files were saved.
    pub fn set_saved(&self, path: Option<PathBuf>) {
        *self.saved.lock().unwrap() = path;
    }

    /// Its volume mounts with their host directories.
    pub fn mounted(&self) -> Vec<(SandboxVolumeMount, PathBuf)> {
        self.mounts.iter().cloned().zip(self.mount_dirs.iter().cloned()).collect()
    }
}

/// The container a sandbox runs in now, if any.
#[derive(Default)]
pub struct Instance {
    current: RwLock<Option<Arc<Container>>>,
}

impl Instance {
    fn new(container: Container) -> Self {
        Self { current: RwLock::new(Some(Arc::new(container))) }
    }

    /// The container, if the sandbox has one now.
    pub fn get(&self) -> Option<Arc<Container>> {
        self.current.read().unwrap().clone()
    }

    /// Puts the sandbox in `container`.
    pub fn set(&self, container: Container) {
        *self.current.write().unwrap() = Some(Arc::new(container));
    }

    /// Takes the container away (it is then the caller's to remove).
    pub fn take(&self) -> Option<Arc<Container>> {
        self.current.write().unwrap().take()
    }

    /// envd's socket in the current container (a path that does not exist when there is none,
    /// so that a call fails as for a sandbox that is not running).
    pub fn envd_socket(&self) -> PathBuf {
        self.get().map(|c| c.envd_socket()).unwrap_or_default()
    }
}
