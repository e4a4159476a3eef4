//! Host id ranges for sandboxes: each running sandbox maps its uids and gids 0–65535 to a range of
//! host ids of its own, unprivileged and never used by the host's users. A range is held by a lock
//! on a file in a directory shared by every e2b-local on the machine, so that two servers never
//! hand out the same range; the kernel drops the lock if the server dies.

use std::os::fd::OwnedFd;
use std::path::PathBuf;

use rustix::fs::{FlockOperation, Mode, OFlags};

use super::oci::ID_RANGE;

/// Where ranges begin by default: inside the span that systemd sets aside for containers' ids.
pub const DEFAULT_BASE: u32 = 0x4000_0000;

/// The ranges one server may take.
pub struct Slots {
    dir: PathBuf,
    base: u32,
    count: u32,
}

/// One range, held until dropped.
pub struct Slot {
    /// The host uid (and gid) of the sandbox's root; sandbox id `n` is host id `host_id + n`.
    pub host_id: u32,
    _lock: OwnedFd,
}

impl Slots {
    /// Ranges from `base` on, locked in `dir` (created if missing).
    pub fn new(dir: PathBuf, base: u32) -> std::io::Result<Self> {
        std::fs::create_dir_all(&dir)?;
        let count = (u32::MAX - base) / ID_RANGE - 1;
        Ok(Self { dir, base, count })
    }

    /// The first free range, if any, cleared of what a server that died while holding it left.
    pub fn take(&self) -> Option<Slot> {
        (0..self.count).find_map(|i| {
            let lock = rustix::fs::open(
                self.dir.join(format!("{i}.lock")),
                OFlags::CREATE | OFlags::RDWR | OFlags::CLOEXEC,
                Mode::from_raw_mode(0o600),
            )
            .ok()?;
            rustix::fs::flock(&lock, FlockOperation::NonBlockingLockExclusive).ok()?;
            let slot = Slot { host_id: self.base + i * ID_RANGE, _lock: lock };
            kill_orphans(slot.host_id);
            Some(slot)
        })
    }
}

/// Kills the processes left in the range from `first`: a free range has no owner, so any of
/// its processes that a sandbox cgroup holds was left by a server that died (a container that
/// was still starting, for one, which nothing else would ever end).
fn kill_orphans(first: u32) {
    let Ok(entries) = std::fs::read_dir("/proc") else { return };
    for pid in entries.flatten().filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok()) {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let uid = status.lines().find_map(|l| l.strip_prefix("Uid:")).and_then(|u| u.split_whitespace().next());
        let in_range = uid.and_then(|u| u.parse::<u32>().ok()).is_some_and(|u| (first..first + ID_RANGE).contains(&u));
        let ours = std::fs::read_to_string(format!("/proc/{pid}/cgroup"))
            .is_ok_and(|c| c.contains(super::config::CGROUP_PARENT));
        if in_range && ours {
            if let Some(pid) = rustix::process::Pid::from_raw(pid) {
                tracing::warn!(pid = pid.as_raw_nonzero(), "killing a process a dead server left");
                let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_is_held_until_dropped_even_across_servers() {
        let dir = tempfile::tempdir().unwrap();
        let a = Slots::new(dir.path().to_path_buf(), DEFAULT_BASE).unwrap();
        let b = Slots::new(dir.path().to_path_buf(), DEFAULT_BASE).unwrap();
        let first = a.take().unwrap();
        let second = b.take().unwrap();
        assert_eq!(first.host_id, DEFAULT_BASE);
        assert_eq!(second.host_id, DEFAULT_BASE + 65536, "another server skips a held range");
        drop(first);
        assert_eq!(b.take().unwrap().host_id, DEFAULT_BASE, "a dropped range is free again");
    }
}
