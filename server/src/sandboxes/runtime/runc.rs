//! The OCI runtime (runc, from the distribution's packages), called by its absolute path: run a
//! bundle detached, pause, resume and delete. Its state lives in the server's data directory.

use std::os::fd::{AsRawFd, BorrowedFd};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};

use rustix::process::Pid;

/// Where the runtime may be installed; it is never looked up through `PATH`.
pub const CANDIDATES: &[&str] = &["/usr/sbin/runc", "/usr/bin/runc", "/usr/local/sbin/runc", "/usr/local/bin/runc"];

/// The runtime and its state directory.
#[derive(Debug, Clone)]
pub struct Runc {
    pub binary: PathBuf,
    pub state: PathBuf,
}

/// Descriptors handed to the sandbox's first process, from number 3 on.
pub struct Inherit<'a> {
    pub fds: Vec<BorrowedFd<'a>>,
}

impl Runc {
    /// The runtime at `binary`, or the first installed candidate.
    pub fn find(binary: Option<PathBuf>, state: PathBuf) -> Option<Self> {
        let binary = binary.or_else(|| CANDIDATES.iter().map(PathBuf::from).find(|p| p.is_file()))?;
        Some(Self { binary, state })
    }

    /// Containers the runtime still knows (from a server that stopped without removing them).
    pub fn leftovers(&self) -> Vec<String> {
        let entries = std::fs::read_dir(&self.state).into_iter().flatten().flatten();
        entries.filter(|e| e.path().is_dir()).filter_map(|e| e.file_name().into_string().ok()).collect()
    }

    /// A runtime call whose errors go to `log` (its standard streams are shared with the
    /// sandbox's first process, so they stay closed to the host).
    fn command(&self, log: &Path) -> tokio::process::Command {
        let mut cmd = tokio::process::Command::new(&self.binary);
        cmd.arg("--root").arg(&self.state).arg("--log").arg(log).args(["--log-format", "json"]);
        cmd.env_clear();
        cmd.stdin(std::process::Stdio::null()).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
        cmd
    }

    /// Runs a call to its end; on failure, the error the runtime logged.
    async fn status(&self, mut cmd: tokio::process::Command, log: &Path) -> std::io::Result<()> {
        let mut child = super::reaper::spawn(&mut cmd)?;
        let pid = child.id();
        let status = child.wait().await;
        super::reaper::waited(pid);
        let status = status?;
        if status.success() {
            return Ok(());
        }
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let message = text
            .lines()
            .rev()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .find(|v| v["level"] == "error")
            .and_then(|v| v["msg"].as_str().map(String::from));
        Err(std::io::Error::other(message.unwrap_or_else(|| format!("the runtime failed with {status}"))))
    }

    /// Starts the bundle at `bundle` as container `id`, detached; returns its first process's PID.
    pub async fn run(&self, id: &str, bundle: &Path, log: &Path, inherit: Inherit<'_>) -> std::io::Result<Pid> {
        let pid_file = bundle.join("pid");
        let mut cmd = self.command(log);
        cmd.args(["run", "--detach", "--preserve-fds"]).arg(inherit.fds.len().to_string());
        cmd.arg("--pid-file").arg(&pid_file).arg("--bundle").arg(bundle).arg(id);
        // Move the inherited descriptors to 3, 4, … in the child (dup2 clears close-on-exec).
        // Copies out of the way of the numbers they are moved to; closed when this call returns.
        let copies =
            inherit.fds.iter().map(|fd| rustix::io::fcntl_dupfd_cloexec(*fd, 64)).collect::<Result<Vec<_>, _>>()?;
        let moved: Vec<i32> = copies.iter().map(|fd| fd.as_raw_fd()).collect();
        // SAFETY: only dup2 (async-signal-safe) runs between fork and exec.
        unsafe {
            cmd.as_std_mut().pre_exec(move || {
                for (i, fd) in moved.iter().enumerate() {
                    if libc::dup2(*fd, 3 + i as i32) < 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                Ok(())
            });
        }
        let done = self.status(cmd, log).await;
        drop(copies);
        done?;
        let text = std::fs::read_to_string(&pid_file)?;
        let pid = text.trim().parse::<i32>().ok().and_then(Pid::from_raw);
        pid.ok_or_else(|| std::io::Error::other(format!("the runtime wrote no pid: {text:?}")))
    }

    async fn simple(&self, args: &[&str], log: &Path) -> std::io::Result<()> {
        let mut cmd = self.command(log);
        cmd.args(args);
        self.status(cmd, log).await
    }

    /// Forgets container `id` and removes its cgroups (killing what is left).
    pub async fn delete(&self, id: &str, log: &Path) -> std::io::Result<()> {
        self.simple(&["delete", "--force", id], log).await
    }

    /// Freezes every process of container `id`.
    pub async fn pause(&self, id: &str, log: &Path) -> std::io::Result<()> {
        self.simple(&["pause", id], log).await
    }

    /// Thaws container `id`.
    pub async fn resume(&self, id: &str, log: &Path) -> std::io::Result<()> {
        self.simple(&["resume", id], log).await
    }
}
