//! A running sandbox as the kernel knows it: a pidfd of its first process and descriptors of its
//! namespaces, all taken once at start. Nothing later looks a PID up again, so a sandbox whose
//! process died can never be confused with another process that reused its number.

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use rustix::fs::{Mode, OFlags};
use rustix::process::{Pid, PidfdFlags, Signal, WaitId, WaitIdOptions};
use tokio::io::unix::AsyncFd;

/// The first process of a sandbox and its namespaces.
pub struct Handle {
    pidfd: AsyncFd<OwnedFd>,
    user_ns: OwnedFd,
    mount_ns: OwnedFd,
    net_ns: OwnedFd,
}

impl Handle {
    /// Takes hold of `pid`, which must be an unreaped child of this process (so that the number
    /// cannot have been reused); its namespaces are opened now, once.
    pub fn take(pid: Pid) -> std::io::Result<Self> {
        let pidfd = rustix::process::pidfd_open(pid, PidfdFlags::NONBLOCK)?;
        let ns = |kind: &str| -> std::io::Result<OwnedFd> {
            Ok(rustix::fs::open(
                format!("/proc/{}/ns/{kind}", pid.as_raw_nonzero()),
                OFlags::RDONLY | OFlags::CLOEXEC,
                Mode::empty(),
            )?)
        };
        let (user_ns, mount_ns, net_ns) = (ns("user")?, ns("mnt")?, ns("net")?);
        // SAFETY: the pidfd is owned here and registered once.
        let pidfd = unsafe { AsyncFd::register(pidfd)? };
        Ok(Self { pidfd, user_ns, mount_ns, net_ns })
    }

    /// The sandbox's user namespace.
    pub fn user_ns(&self) -> BorrowedFd<'_> {
        self.user_ns.as_fd()
    }

    /// The sandbox's mount namespace.
    pub fn mount_ns(&self) -> BorrowedFd<'_> {
        self.mount_ns.as_fd()
    }

    /// The sandbox's network namespace.
    pub fn net_ns(&self) -> BorrowedFd<'_> {
        self.net_ns.as_fd()
    }

    /// Kills every process of the sandbox (its PID namespace dies with its first process).
    pub fn kill(&self) {
        let _ = rustix::process::pidfd_send_signal(self.pidfd.get_ref(), Signal::KILL);
    }

    /// Waits until the first process has exited, and reaps it.
    pub async fn exited(&self) {
        loop {
            match rustix::process::waitid(
                WaitId::PidFd(self.pidfd.get_ref().as_fd()),
                WaitIdOptions::EXITED | WaitIdOptions::NOHANG,
            ) {
                Ok(Some(_)) | Err(_) => return,
                Ok(None) => {}
            }
            match self.pidfd.readable().await {
                Ok(mut guard) => guard.clear_ready(),
                Err(_) => return,
            }
        }
    }
}
