//! The server's sandbox runtime: id ranges and their user namespaces, the host entries hidden from
//! sandboxes, containers started ahead ("warm") so that creating a sandbox is quick, and
//! containers started from a snapshot's archive.

use std::collections::{HashMap, VecDeque};
use std::os::fd::{AsFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::config::Config;
use super::container::{Container, Launch};
use super::oci::ID_RANGE;
use super::rootfs::SYSTEM_DIRS;
use super::system::Hidden;
use super::usage::Cgroups;
use super::{firewall, reaper, runc, slots, userns};

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
    /// Where the cgroup hierarchies are.
    pub cgroups: Cgroups,
    nft: Option<PathBuf>,
    hidden: tokio::sync::OnceCell<Arc<Hidden>>,
    /// A user namespace per host id range, carrying its mapping.
    mappings: Mutex<HashMap<u32, Arc<OwnedFd>>>,
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
            cgroups: Cgroups::find(),
            nft: firewall::find(),
            hidden: tokio::sync::OnceCell::new(),
            mappings: Mutex::default(),
        });
        if runtime.nft.is_none() {
            tracing::warn!("nftables (nft) is not installed: sandboxes get no egress rules, and link-local addresses are not blocked");
        }
        // The scan takes a moment; the first container waits for it, the server does not.
        let scanning = runtime.clone();
        tokio::spawn(async move {
            let _ = scanning.hidden().await;
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

    /// A new container started from the files in the archive at `seed` (not a warm one).
    pub async fn launch_seeded(&self, seed: &Path) -> Result<Container, StartError> {
        self.start(Some(seed)).await
    }

    async fn launch(&self) -> Result<Container, StartError> {
        self.start(None).await
    }

    async fn start(&self, seed: Option<&Path>) -> Result<Container, StartError> {
        let (runc, slots) = self.parts()?;
        let slot = slots.take().ok_or(StartError::Exhausted)?;
        let user_ns = self.mapping(slot.host_id).map_err(StartError::Io)?;
        let hidden = self.hidden().await;
        let launch = Launch {
            config: &self.config,
            runc,
            slot,
            user_ns: user_ns.as_fd(),
            hidden: &hidden,
            seed,
            nft: self.nft.as_deref(),
        };
        Container::launch(launch).await.map_err(StartError::Io)
    }

    /// The host entries hidden from sandboxes (scanned once).
    async fn hidden(&self) -> Arc<Hidden> {
        self.hidden
            .get_or_init(|| async {
                let also = vec![self.config.data_dir.clone()];
                let started = std::time::Instant::now();
                let scan = tokio::task::spawn_blocking(move || Hidden::scan(SYSTEM_DIRS, &also));
                let hidden = scan.await.unwrap_or_default();
                tracing::info!("host entries hidden from sandboxes found in {:?}", started.elapsed());
                Arc::new(hidden)
            })
            .await
            .clone()
    }

    /// The user namespace carrying the mapping of the range from `host_id`.
    fn mapping(&self, host_id: u32) -> std::io::Result<Arc<OwnedFd>> {
        if let Some(ns) = self.mappings.lock().unwrap().get(&host_id) {
            return Ok(ns.clone());
        }
        let ns = Arc::new(userns::mapping(host_id, ID_RANGE)?);
        self.mappings.lock().unwrap().insert(host_id, ns.clone());
        Ok(ns)
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
