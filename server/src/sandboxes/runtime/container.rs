//! One sandbox's isolation, from launch to removal: its bundle and root filesystem (seeded from a
//! snapshot's archive, if any), its container run by the OCI runtime, the handle on its first
//! process (envd), envd's private socket, the lifeline that ends it if the server dies, its network
//! and egress rules, its volume mounts, freezing and thawing, and capturing its own files.

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use rustix::fs::{Mode, OFlags, CWD};
use rustix::mount::OpenTreeFlags;

use super::config::{Config, CGROUP_PARENT, USER_ID, USER_NAME};
use super::firewall::{self, Egress};
use super::handle::Handle;
use super::runc::Runc;
use super::slots::Slot;
use super::system::Hidden;
use super::usage::{Cgroups, Usage};
use super::{archive, attach, network, oci, rootfs};

/// What a container is launched with.
pub struct Launch<'a> {
    /// How the server runs sandboxes.
    pub config: &'a Config,
    /// The OCI runtime.
    pub runc: &'a Runc,
    /// Its host id range.
    pub slot: Slot,
    /// A user namespace mapping ids 0–65535 to that range.
    pub user_ns: BorrowedFd<'a>,
    /// Host entries to hide from it.
    pub hidden: &'a Hidden,
    /// A snapshot's archive to start from.
    pub seed: Option<&'a Path>,
    /// nftables, for egress rules.
    pub nft: Option<&'a Path>,
}

/// A running container.
pub struct Container {
    /// The runtime's name for it (random: the sandbox's ID appears in no host process's arguments).
    name: String,
    bundle: PathBuf,
    /// The host id range, held until the container is removed.
    slot: Mutex<Option<Slot>>,
    root_id: u32,
    handle: Handle,
    runc: Runc,
    /// Closing it (as the kernel does when the server dies) tells envd to exit.
    _lifeline: OwnedFd,
    network: Mutex<Option<tokio::process::Child>>,
    pasta: Option<PathBuf>,
    nft: Option<PathBuf>,
    frozen: AtomicBool,
    started_at: std::time::SystemTime,
    removed: tokio::sync::OnceCell<()>,
}

/// Files of a bundle.
fn socket_of(bundle: &Path) -> PathBuf {
    bundle.join("envd.sock")
}
fn log_of(bundle: &Path) -> PathBuf {
    bundle.join("runtime.log")
}

impl Container {
    /// Launches a container for a sandbox holding `l.slot`.
    pub async fn launch(l: Launch<'_>) -> std::io::Result<Self> {
        let name = format!("e2b-{}", crate::ids::random_hex::<8>());
        let bundle = l.config.bundles.join(&name);
        let (handle, lifeline) = match Self::start(&l, &name, &bundle).await {
            Ok(started) => started,
            Err(e) => {
                remove_files(l.runc, &name, &bundle).await;
                return Err(e);
            }
        };
        let container = Self {
            root_id: l.slot.host_id,
            slot: Mutex::new(Some(l.slot)),
            name,
            bundle,
            handle,
            runc: l.runc.clone(),
            _lifeline: lifeline,
            network: Mutex::new(None),
            pasta: l.config.pasta.clone(),
            nft: l.nft.map(Path::to_path_buf),
            frozen: AtomicBool::new(false),
            started_at: std::time::SystemTime::now(),
            removed: tokio::sync::OnceCell::new(),
        };
        if let Err(e) = container.connect_network().await {
            container.remove().await;
            return Err(e);
        }
        if container.nft.is_some() {
            if let Err(e) = container.set_egress(&Egress::default()).await {
                container.remove().await;
                return Err(std::io::Error::other(format!("egress rules: {e}")));
            }
        }
        Ok(container)
    }

    /// Prepares the bundle and runs it; returns the handle on envd and the lifeline's write end.
    async fn start(l: &Launch<'_>, name: &str, bundle: &Path) -> std::io::Result<(Handle, OwnedFd)> {
        std::fs::create_dir(bundle)?;
        // Searchable, not readable: the sandbox's root passes through to its root filesystem.
        std::fs::set_permissions(bundle, std::os::unix::fs::PermissionsExt::from_mode(0o711))?;
        let host_id = l.slot.host_id;
        let plan = rootfs::Plan {
            root_id: host_id,
            user_id: USER_ID,
            user_name: USER_NAME,
            bytes: l.config.disk_bytes,
            tmp_bytes: l.config.limits.tmp_bytes,
            envd: &l.config.envd,
            user_ns: l.user_ns,
            hidden: l.hidden,
            seed: l.seed,
        };
        rootfs::prepare(bundle, &plan)?;
        let cgroup = format!("{CGROUP_PARENT}{name}");
        let spec = oci::spec(&oci::Config {
            host_id,
            limits: l.config.limits,
            cgroup: &cgroup,
            root: rootfs::ROOT,
            args: vec![rootfs::ENVD_PATH.into(), "envd".into()],
        });
        std::fs::write(bundle.join("config.json"), serde_json::to_vec(&spec).map_err(std::io::Error::other)?)?;
        let listener = UnixListener::bind(socket_of(bundle))?;
        // Only the server may talk to envd.
        std::fs::set_permissions(socket_of(bundle), std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
        let (lifeline_read, lifeline) = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC)?;
        let with = |what: &'static str| move |e: std::io::Error| std::io::Error::new(e.kind(), format!("{what}: {e}"));
        let inherit = super::runc::Inherit { fds: vec![listener.as_fd(), lifeline_read.as_fd()] };
        let pid = l.runc.run(name, bundle, &log_of(bundle), inherit).await.map_err(with("the OCI runtime"))?;
        Ok((Handle::take(pid, name).map_err(with("taking hold of the sandbox"))?, lifeline))
    }

    /// The host uid of the sandbox's root.
    pub fn root_id(&self) -> u32 {
        self.root_id
    }

    /// envd's socket, where the server sends the sandbox's envd calls.
    pub fn envd_socket(&self) -> PathBuf {
        socket_of(&self.bundle)
    }

    /// Mounts the volume directory `dir` at `at` inside the sandbox, owners mapped as on the host.
    pub async fn mount(&self, helper: &Path, dir: &Path, at: &str) -> std::io::Result<()> {
        let tree = attach::idmapped_tree(dir, self.handle.user_ns())?;
        attach::attach(helper, self.handle.mount_ns(), tree, at, self.root_id).await
    }

    /// Hands envd its sandbox's settings (`POST /init` on its private socket).
    pub async fn init(&self, init: &e2b_wire::envd::EnvdInit) -> std::io::Result<()> {
        let body = serde_json::to_vec(init).map_err(std::io::Error::other)?;
        let req = axum::http::Request::post(e2b_wire::envd::INIT_PATH)
            .header(axum::http::header::HOST, "envd")
            .header(axum::http::header::CONTENT_TYPE, "application/json")
            .body(axum::body::Body::from(body))
            .map_err(std::io::Error::other)?;
        let reply = crate::unix_http::send(&self.envd_socket(), req).await?;
        if reply.status().is_success() {
            Ok(())
        } else {
            Err(std::io::Error::other(format!("envd refused its settings: {}", reply.status())))
        }
    }

    /// Puts the sandbox on the internet, if pasta is installed and it is not on already.
    pub async fn connect_network(&self) -> std::io::Result<()> {
        let Some(pasta) = &self.pasta else { return Ok(()) };
        if self.network.lock().unwrap().is_some() {
            return Ok(());
        }
        let child = network::start(pasta, self.handle.user_ns(), self.handle.net_ns())?;
        *self.network.lock().unwrap() = Some(child);
        Ok(())
    }

    /// Whether the sandbox is on the internet.
    pub fn online(&self) -> bool {
        self.network.lock().unwrap().is_some()
    }

    /// Replaces the sandbox's egress rules.
    pub async fn set_egress(&self, egress: &Egress) -> std::io::Result<()> {
        let nft = self.nft.as_ref().ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::Unsupported, "egress rules need nftables (nft) on the server")
        })?;
        firewall::apply(nft, self.handle.net_ns(), egress).await
    }

    /// When it started.
    pub fn started_at(&self) -> std::time::SystemTime {
        self.started_at
    }

    /// The sandbox's cgroup, as the runtime names it.
    pub fn cgroup(&self) -> String {
        format!("{CGROUP_PARENT}{}", self.name)
    }

    /// The sandbox's resource use now.
    pub fn usage(&self, cgroups: &Cgroups) -> std::io::Result<Usage> {
        cgroups.read(&self.cgroup(), &rootfs::disk_of(&self.bundle))
    }

    /// Writes an archive of the sandbox's own files to `dest` (freeze it first for a consistent
    /// one): its root filesystem as it lies in its tmpfs, without what is mounted on it, and its `/tmp`.
    pub fn capture(&self, dest: &Path) -> std::io::Result<()> {
        let raw = rustix::mount::open_tree(
            CWD,
            rootfs::disk_of(&self.bundle),
            OpenTreeFlags::OPEN_TREE_CLONE | OpenTreeFlags::OPEN_TREE_CLOEXEC,
        )?;
        let open = |name: &str| {
            rustix::fs::openat(
                &raw,
                name,
                OFlags::DIRECTORY | OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::empty(),
            )
        };
        let (root, layers) = (open("root")?, open("layers")?);
        // `/tmp` is a filesystem of its own, mounted in this namespace.
        let tmp = rustix::fs::open(
            rootfs::disk_of(&self.bundle).join("root/tmp"),
            OFlags::DIRECTORY | OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
        )?;
        let work: Vec<String> = rootfs::SYSTEM_DIRS.iter().map(|d| format!("{}/work", &d[1..])).collect();
        let work: Vec<&str> = work.iter().map(String::as_str).collect();
        archive::capture(
            dest,
            self.root_id,
            &[("root", root.as_fd(), &["run/e2b"]), ("layers", layers.as_fd(), &work), ("tmp", tmp.as_fd(), &[])],
        )
    }

    /// Takes the sandbox off the internet (leaving it its own loopback).
    pub async fn cut_network(&self) {
        let pasta = self.network.lock().unwrap().take();
        if let Some(mut pasta) = pasta {
            let _ = pasta.start_kill();
            let pid = pasta.id();
            let _ = pasta.wait().await;
            super::reaper::waited(pid);
        }
    }

    /// Freezes every process of the sandbox (its cgroup's freezer): they hold no CPU.
    pub async fn pause(&self) -> std::io::Result<()> {
        self.runc.pause(&self.name, &log_of(&self.bundle)).await?;
        self.frozen.store(true, Ordering::Release);
        Ok(())
    }

    /// Thaws the sandbox.
    pub async fn resume(&self) -> std::io::Result<()> {
        self.runc.resume(&self.name, &log_of(&self.bundle)).await?;
        self.frozen.store(false, Ordering::Release);
        Ok(())
    }

    /// Kills every process of the sandbox.
    pub fn kill(&self) {
        self.handle.kill();
    }

    /// Resolves once envd, and with it the sandbox, has ended (however it ended).
    pub async fn exited(&self) {
        self.handle.exited().await
    }

    /// Kills the sandbox and removes what is left of it: the network, cgroups, the runtime's
    /// state, the root filesystem and the bundle; the id range is free again. Callers at the same
    /// time all wait for the one removal.
    pub async fn remove(&self) {
        self.removed
            .get_or_init(|| async {
                self.kill();
                // Frozen processes die only once thawed (the kill is already pending then).
                if self.frozen.load(Ordering::Acquire) {
                    if let Err(e) = self.resume().await {
                        tracing::warn!(container = %self.name, "thawing to kill: {e}");
                    }
                }
                self.exited().await;
                self.cut_network().await;
                remove_files(&self.runc, &self.name, &self.bundle).await;
                self.slot.lock().unwrap().take();
            })
            .await;
    }
}

/// Removes the runtime's record of `name` (and its cgroups), the root filesystem and the bundle.
async fn remove_files(runc: &Runc, name: &str, bundle: &Path) {
    if let Err(e) = runc.delete(name, &log_of(bundle)).await {
        // Nothing to delete when the container never started.
        tracing::debug!(container = name, "runtime delete: {e}");
    }
    rootfs::release(bundle);
    if let Err(e) = std::fs::remove_dir_all(bundle) {
        if e.kind() != std::io::ErrorKind::NotFound {
            tracing::warn!("cannot remove {}: {e}", bundle.display());
        }
    }
}
