//! One sandbox's isolation, from launch to removal: its bundle and root filesystem, its container
//! run by the OCI runtime, the handle on its first process (envd), envd's private socket, the
//! lifeline that ends it if the server dies, its network, and its volume mounts.

use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::config::{Config, CGROUP_PARENT, USER_ID, USER_NAME};
use super::handle::Handle;
use super::runc::Runc;
use super::slots::Slot;
use super::{attach, network, oci, rootfs};

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
    removed: tokio::sync::OnceCell<()>,
}

/// Files of a bundle.
fn rootfs_of(bundle: &Path) -> PathBuf {
    bundle.join("rootfs")
}
fn socket_of(bundle: &Path) -> PathBuf {
    bundle.join("envd.sock")
}
fn log_of(bundle: &Path) -> PathBuf {
    bundle.join("runtime.log")
}

impl Container {
    /// Launches a container for a sandbox holding `slot`.
    pub async fn launch(config: &Config, runc: &Runc, slot: Slot) -> std::io::Result<Self> {
        let name = format!("e2b-{}", crate::ids::random_hex::<8>());
        let bundle = config.bundles.join(&name);
        let (handle, lifeline) = match Self::start(config, runc, &name, &bundle, slot.host_id).await {
            Ok(started) => started,
            Err(e) => {
                remove_files(runc, &name, &bundle).await;
                return Err(e);
            }
        };
        let container = Self {
            root_id: slot.host_id,
            slot: Mutex::new(Some(slot)),
            name,
            bundle,
            handle,
            runc: runc.clone(),
            _lifeline: lifeline,
            network: Mutex::new(None),
            removed: tokio::sync::OnceCell::new(),
        };
        if let Some(pasta) = &config.pasta {
            match network::start(pasta, container.handle.user_ns(), container.handle.net_ns()) {
                Ok(child) => *container.network.lock().unwrap() = Some(child),
                Err(e) => {
                    container.remove().await;
                    return Err(e);
                }
            }
        }
        Ok(container)
    }

    /// Prepares the bundle and runs it; returns the handle on envd and the lifeline's write end.
    async fn start(
        config: &Config,
        runc: &Runc,
        name: &str,
        bundle: &Path,
        host_id: u32,
    ) -> std::io::Result<(Handle, OwnedFd)> {
        std::fs::create_dir(bundle)?;
        // Searchable, not readable: the sandbox's root passes through to its root filesystem.
        std::fs::set_permissions(bundle, std::os::unix::fs::PermissionsExt::from_mode(0o711))?;
        std::fs::create_dir(rootfs_of(bundle))?;
        let plan = rootfs::Plan {
            root_id: host_id,
            user_id: USER_ID,
            user_name: USER_NAME,
            bytes: config.disk_bytes,
            envd: &config.envd,
            hide: std::slice::from_ref(&config.data_dir),
        };
        rootfs::prepare(&rootfs_of(bundle), &plan)?;
        let cgroup = format!("{CGROUP_PARENT}{name}");
        let spec = oci::spec(&oci::Config {
            host_id,
            limits: config.limits,
            cgroup: &cgroup,
            args: vec![rootfs::ENVD_PATH.into(), "envd".into()],
        });
        std::fs::write(bundle.join("config.json"), serde_json::to_vec(&spec).map_err(std::io::Error::other)?)?;
        let listener = UnixListener::bind(socket_of(bundle))?;
        // Only the server may talk to envd.
        std::fs::set_permissions(socket_of(bundle), std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
        let (lifeline_read, lifeline) = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC)?;
        let with = |what: &'static str| move |e: std::io::Error| std::io::Error::new(e.kind(), format!("{what}: {e}"));
        let inherit = super::runc::Inherit { fds: vec![listener.as_fd(), lifeline_read.as_fd()] };
        let pid = runc.run(name, bundle, &log_of(bundle), inherit).await.map_err(with("the OCI runtime"))?;
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

    /// Freezes every process of the sandbox.
    pub async fn pause(&self) -> std::io::Result<()> {
        self.runc.pause(&self.name, &log_of(&self.bundle)).await
    }

    /// Thaws the sandbox.
    pub async fn resume(&self) -> std::io::Result<()> {
        self.runc.resume(&self.name, &log_of(&self.bundle)).await
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
    rootfs::release(&rootfs_of(bundle));
    if let Err(e) = std::fs::remove_dir_all(bundle) {
        if e.kind() != std::io::ErrorKind::NotFound {
            tracing::warn!("cannot remove {}: {e}", bundle.display());
        }
    }
}
