//! Sandboxes as isolated Linux containers, run by an OCI runtime (runc, from the distribution's
//! packages): a user namespace mapping the sandbox's ids to an unprivileged host range, its own
//! mount, PID, network, IPC, UTS and cgroup namespaces, a seccomp filter, no new privileges, a
//! cgroup with memory, pids and CPU limits, and a root filesystem in size-limited memory with the
//! host's system directories read-only. envd runs inside as the first process.
//!
//! Starting a container takes the runtime tens of milliseconds, so a few are kept started ahead
//! ("warm"); a sandbox takes one and gets its volumes, settings and network then.
//!
//! `container` is one container's life; `oci` and `seccomp` its configuration; `rootfs` its root
//! filesystem; `runc` the runtime; `handle` the kernel's handle on it; `reaper` reaps what exits;
//! `attach` volume mounts; `network` internet access; `slots` host id ranges.

mod attach;
mod container;
mod handle;
mod network;
mod oci;
mod reaper;
mod rootfs;
mod runc;
mod seccomp;
mod slots;

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

pub use attach::helper_main as mount_helper_main;
pub use container::Container;
pub use network::find as find_pasta;
pub use oci::Limits;
pub use rootfs::{SYSTEM_DIRS, SYSTEM_LINKS};
pub use slots::DEFAULT_BASE as DEFAULT_UID_BASE;

/// Where every e2b-local on the machine keeps sandboxes' bundles and id-range locks.
pub const SHARED_DIR: &str = "/run/e2b-local";
/// The cgroup under which every sandbox gets one of its own.
const CGROUP_PARENT: &str = "/e2b-local/";

/// How the server runs sandboxes.
#[derive(Debug, Clone)]
pub struct Config {
    /// The server's data directory, hidden from sandboxes.
    pub data_dir: PathBuf,
    /// Where containers' bundles live.
    pub bundles: PathBuf,
    /// The runtime's state directory.
    pub runtime_state: PathBuf,
    /// The runtime's executable (absolute); found among the usual places when absent.
    pub runc: Option<PathBuf>,
    /// The user-mode network stack, when installed (without it sandboxes have no internet).
    pub pasta: Option<PathBuf>,
    /// The executable run as envd inside sandboxes, and as the mount helper outside (this server's own).
    pub envd: PathBuf,
    /// Where host id ranges are locked (shared by every server on the machine).
    pub slots_dir: PathBuf,
    /// The first host id of the first range.
    pub uid_base: u32,
    /// Limits of every sandbox.
    pub limits: Limits,
    /// Size of a sandbox's own files (its root filesystem, in memory).
    pub disk_bytes: u64,
    /// Containers kept started ahead.
    pub warm: usize,
}

/// Why no container could be had.
#[derive(Debug)]
pub enum StartError {
    /// Sandboxes cannot run here (not root, or no OCI runtime installed).
    Unsupported(String),
    /// Every host id range is taken.
    Exhausted,
    /// The runtime failed.
    Io(std::io::Error),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unsupported(why) => write!(f, "sandboxes cannot run on this server: {why}"),
            Self::Exhausted => write!(f, "no free host id range for another sandbox"),
            Self::Io(e) => write!(f, "the sandbox could not start: {e}"),
        }
    }
}

/// Makes `dir` and its parents, searchable (not readable) by everyone: sandboxes' roots pass
/// through them to their root filesystems.
fn make_searchable(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::create_dir_all(dir)?;
    for d in [dir, dir.parent().unwrap_or(dir)] {
        std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o711))?;
    }
    Ok(())
}

/// The server's sandbox runtime: configuration, id ranges and warm containers.
pub struct Runtime {
    config: Config,
    runc: Result<runc::Runc, String>,
    slots: Result<slots::Slots, String>,
    warm: Mutex<VecDeque<Container>>,
    refilling: AtomicBool,
    closed: AtomicBool,
}

impl Runtime {
    /// A runtime with `config`; leftovers of an earlier server on the same data are removed.
    pub async fn new(config: Config) -> Arc<Self> {
        let runc = if !rustix::process::geteuid().is_root() {
            Err("e2b-local must run as root to run sandboxes".to_string())
        } else if let Err(e) = reaper::start() {
            Err(format!("cannot become the reaper of sandboxes' processes: {e}"))
        } else {
            runc::Runc::find(config.runc.clone(), config.runtime_state.clone())
                .ok_or_else(|| format!("no OCI runtime found (install runc; looked in {:?})", runc::CANDIDATES))
        };
        let slots = slots::Slots::new(config.slots_dir.clone(), config.uid_base).map_err(|e| e.to_string());
        if let Err(e) = make_searchable(&config.bundles) {
            tracing::warn!("cannot make {}: {e}", config.bundles.display());
        }
        let runtime = Arc::new(Self {
            config,
            runc,
            slots,
            warm: Mutex::default(),
            refilling: AtomicBool::new(false),
            closed: AtomicBool::new(false),
        });
        if let Ok(runc) = &runtime.runc {
            for name in runc.leftovers() {
                let _ = runc.delete(&name, Path::new("/dev/null")).await;
                runtime.forget(&name);
            }
        }
        runtime
    }

    /// Removes the bundles of containers an earlier server on the same data left.
    fn forget(&self, name: &str) {
        let _ = std::fs::remove_dir_all(self.config.bundles.join(name));
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    fn parts(&self) -> Result<(&runc::Runc, &slots::Slots), StartError> {
        let runc = self.runc.as_ref().map_err(|e| StartError::Unsupported(e.clone()))?;
        let slots = self.slots.as_ref().map_err(|e| StartError::Unsupported(e.clone()))?;
        Ok((runc, slots))
    }

    /// A container for a new sandbox: a warm one if there is one, else a new one.
    pub async fn acquire(self: &Arc<Self>) -> Result<Container, StartError> {
        let warm = self.warm.lock().unwrap().pop_front();
        let container = match warm {
            Some(c) => c,
            None => self.launch().await?,
        };
        self.refill();
        Ok(container)
    }

    async fn launch(&self) -> Result<Container, StartError> {
        let (runc, slots) = self.parts()?;
        let slot = slots.take().ok_or(StartError::Exhausted)?;
        Container::launch(&self.config, runc, slot).await.map_err(StartError::Io)
    }

    /// Starts containers in the background until `warm` are waiting.
    pub fn refill(self: &Arc<Self>) {
        if self.config.warm == 0 || self.parts().is_err() || self.refilling.swap(true, Ordering::AcqRel) {
            return;
        }
        let runtime = self.clone();
        tokio::spawn(async move {
            while !runtime.closed.load(Ordering::Acquire) && runtime.warm.lock().unwrap().len() < runtime.config.warm {
                match runtime.launch().await {
                    Ok(c) if runtime.closed.load(Ordering::Acquire) => c.remove().await,
                    Ok(c) => runtime.warm.lock().unwrap().push_back(c),
                    Err(e) => {
                        tracing::warn!("cannot start a warm sandbox: {e}");
                        break;
                    }
                }
            }
            runtime.refilling.store(false, Ordering::Release);
        });
    }

    /// Removes the warm containers (at shutdown).
    pub async fn shutdown(&self) {
        self.closed.store(true, Ordering::Release);
        // A container being started ahead now removes itself; wait for that.
        while self.refilling.load(Ordering::Acquire) {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        let warm: Vec<Container> = self.warm.lock().unwrap().drain(..).collect();
        for c in warm {
            c.remove().await;
        }
    }
}
