//! Owner and permission bits of new entries, and applying them to an open descriptor.

use std::io;
use std::os::fd::BorrowedFd;

use e2b_wire::{DEFAULT_DIR_MODE, DEFAULT_FILE_MODE, DEFAULT_OWNER_ID};
use rustix::fs::{AtFlags, Mode};
use rustix::io::Errno;

/// Owner and permission bits to give a new entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewEntry {
    /// Owner user ID.
    pub uid: u32,
    /// Owner group ID.
    pub gid: u32,
    /// Permission bits.
    pub mode: u32,
    /// Mode of parent directories created on the way.
    pub parent_mode: u32,
}

impl NewEntry {
    /// Requested values, or E2B's volume defaults for a file (`dir == false`) or directory.
    pub fn with_defaults(uid: Option<u32>, gid: Option<u32>, mode: Option<u32>, dir: bool) -> Self {
        let default_mode = if dir { DEFAULT_DIR_MODE } else { DEFAULT_FILE_MODE };
        Self {
            uid: uid.unwrap_or(DEFAULT_OWNER_ID),
            gid: gid.unwrap_or(DEFAULT_OWNER_ID),
            mode: mode.unwrap_or(default_mode) & 0o777,
            parent_mode: DEFAULT_DIR_MODE,
        }
    }
}

/// True when this process may give files away (chown to other users).
fn can_chown() -> bool {
    rustix::process::geteuid().is_root()
}

/// chown of an open descriptor; absent IDs stay unchanged.
pub(super) fn chown_fd(fd: BorrowedFd<'_>, uid: Option<u32>, gid: Option<u32>) -> io::Result<()> {
    let uid = uid.map(rustix::fs::Uid::from_raw);
    let gid = gid.map(rustix::fs::Gid::from_raw);
    match rustix::fs::chownat(fd, "", uid, gid, AtFlags::EMPTY_PATH) {
        Ok(()) => Ok(()),
        // Without root the owner cannot be set; the entry keeps the server's own uid and gid.
        Err(Errno::PERM) if !can_chown() => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Gives a freshly created entry its owner, then its mode.
pub(super) fn apply_owner_and_mode(fd: BorrowedFd<'_>, new: NewEntry) -> io::Result<()> {
    chown_fd(fd, Some(new.uid), Some(new.gid))?;
    rustix::fs::fchmod(fd, Mode::from_raw_mode(new.mode & 0o777))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::NewEntry;

    #[test]
    fn defaults_are_e2b_volume_defaults_and_modes_keep_permission_bits_only() {
        let file = NewEntry::with_defaults(None, None, None, false);
        assert_eq!(file, NewEntry { uid: 9090, gid: 9090, mode: 0o666, parent_mode: 0o777 });
        assert_eq!(NewEntry::with_defaults(None, None, None, true).mode, 0o777);
        let given = NewEntry::with_defaults(Some(1), Some(2), Some(0o4640), false);
        assert_eq!((given.uid, given.gid, given.mode), (1, 2, 0o640));
    }
}
