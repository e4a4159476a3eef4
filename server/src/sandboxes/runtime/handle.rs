//! A running sandbox as the kernel knows it: a pidfd of its first process and descriptors of its
//! namespaces, all taken once at start. Nothing later looks a PID up again, so a sandbox whose
//! process died can never be confused with another process that reused its number.

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use rustix::fs::{Mode, OFlags};
use rustix::process::{Pid, PidfdFlags, Signal};
use tokio::io::unix::AsyncFd;

/// The first process of a sandbox and its namespaces.
pub struct Handle {
    pidfd: AsyncFd<OwnedFd>,
    user_ns: OwnedFd,
    mount_ns: OwnedFd,
    net_ns: OwnedFd,
}

impl Handle {
    /// Takes hold of the process `pid`, the runtime's report of the first process of the
    /// container whose cgroup path ends in `/<container>`. Should it have died and been reaped
    /// already, its number could have been reused: the process held is checked to be in that
    /// cgroup, and its namespaces are opened through a descriptor of its `/proc` directory taken
    /// while it is known to be alive.
    pub fn take(pid: Pid, container: &str) -> std::io::Result<Self> {
        let pidfd = rustix::process::pidfd_open(pid, PidfdFlags::NONBLOCK)?;
        let proc_dir = rustix::fs::open(
            format!("/proc/{}", pid.as_raw_nonzero()),
            OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )?;
        let cgroups = std::fs::read_to_string(format!("/proc/{}/cgroup", pid.as_raw_nonzero()))?;
        let suffix = format!("/{container}");
        if !cgroups.lines().any(|l| l.ends_with(&suffix)) {
            return Err(std::io::Error::other("the runtime's first process is gone"));
        }
        // Alive now, so `proc_dir` and the cgroup read above were this very process's.
        if exited_now(&pidfd)? {
            return Err(std::io::Error::other("the sandbox died at start"));
        }
        let ns = |kind: &str| -> std::io::Result<OwnedFd> {
            Ok(rustix::fs::openat(&proc_dir, format!("ns/{kind}"), OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())?)
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

    /// Resolves once the first process has exited (a pidfd becomes readable then, and only then).
    pub async fn exited(&self) {
        let _ = self.pidfd.readable().await;
    }
}

/// True when the process behind `pidfd` has exited (its pidfd polls readable).
fn exited_now(pidfd: &OwnedFd) -> std::io::Result<bool> {
    use rustix::event::{PollFd, PollFlags};
    let mut fds = [PollFd::new(pidfd, PollFlags::IN)];
    let zero = rustix::event::Timespec { tv_sec: 0, tv_nsec: 0 };
    Ok(rustix::event::poll(&mut fds, Some(&zero))? > 0)
}
