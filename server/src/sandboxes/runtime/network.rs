//! Internet access for a sandbox: a user-mode network stack (pasta, from the distribution's
//! packages) attached to the sandbox's own network namespace. It maps no host address into the
//! sandbox (the host's loopback stays out of reach) and forwards no port in either direction.

use std::os::fd::{AsRawFd, BorrowedFd};
use std::os::unix::process::CommandExt as _;
use std::path::PathBuf;

/// Where pasta may be installed; it is never looked up through `PATH`.
pub const CANDIDATES: &[&str] = &["/usr/bin/pasta", "/usr/local/bin/pasta"];

/// The first installed candidate.
pub fn find() -> Option<PathBuf> {
    CANDIDATES.iter().map(PathBuf::from).find(|p| p.is_file())
}

/// Starts pasta for the namespaces `user_ns` and `net_ns`; it runs until killed.
pub fn start(
    pasta: &std::path::Path,
    user_ns: BorrowedFd<'_>,
    net_ns: BorrowedFd<'_>,
) -> std::io::Result<tokio::process::Child> {
    let mut cmd = tokio::process::Command::new(pasta);
    cmd.args(["--foreground", "--quiet", "--config-net", "--no-map-gw"]);
    cmd.args(["--tcp-ports", "none", "--udp-ports", "none", "--tcp-ns", "none", "--udp-ns", "none"]);
    // It joins the namespaces as root, then isolates itself (its own namespaces, no capabilities
    // in the host's, seccomp).
    cmd.args(["--runas", "0:0", "--userns", "/proc/self/fd/3", "--netns", "/proc/self/fd/4"]);
    cmd.env_clear()
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    cmd.kill_on_drop(true);
    let (u, n) = (user_ns.as_raw_fd(), net_ns.as_raw_fd());
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.as_std_mut().pre_exec(move || {
            // Dies with the server even if it crashes.
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            let (u2, n2) = (libc::fcntl(u, libc::F_DUPFD_CLOEXEC, 10), libc::fcntl(n, libc::F_DUPFD_CLOEXEC, 10));
            if u2 < 0 || n2 < 0 || libc::dup2(u2, 3) < 0 || libc::dup2(n2, 4) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    super::reaper::spawn(&mut cmd)
}
