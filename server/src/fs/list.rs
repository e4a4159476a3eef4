//! Listing a directory of a confined tree, some levels deep, in a stable order.

use std::ffi::OsStr;
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;

use e2b_wire::VolumeEntryStat;
use rustix::fs::{AtFlags, FileType, Mode, OFlags, Stat};
use rustix::io::Errno;

use super::errors::{FsError, FsResult};
use super::path::TreePath;
use super::root::ConfinedRoot;

impl ConfinedRoot {
    /// Lists `path` down to `depth` levels (0 means 1; above the content API's maximum is refused):
    /// per directory sorted by name, depth-first pre-order.
    pub fn list(&self, path: &TreePath, depth: u32) -> FsResult<Vec<VolumeEntryStat>> {
        let depth = match depth {
            0 => 1,
            d if d > e2b_wire::MAX_LIST_DEPTH => return Err(FsError::Depth),
            d => d,
        };
        Ok(self.list_stats(path, depth)?.iter().map(|(p, st)| self.entry(st, p)).collect())
    }

    /// Paths and lstats below `path`, `depth` levels deep, in listing order.
    pub fn list_stats(&self, path: &TreePath, depth: u32) -> FsResult<Vec<(TreePath, Stat)>> {
        let dir = self.resolve(path, OFlags::RDONLY | OFlags::DIRECTORY)?;
        let mut out = Vec::new();
        walk(dir, path, depth.max(1), &mut out)?;
        Ok(out)
    }
}

/// Appends the entries below the open directory `dir` (at `at`), `levels_left` levels deep.
fn walk(dir: OwnedFd, at: &TreePath, levels_left: u32, out: &mut Vec<(TreePath, Stat)>) -> FsResult<()> {
    let mut names: Vec<Vec<u8>> = Vec::new();
    for item in rustix::fs::Dir::read_from(&dir)? {
        let item = item?;
        let name = item.file_name().to_bytes();
        if name != b"." && name != b".." {
            names.push(name.to_vec());
        }
    }
    names.sort();
    for raw in names {
        let name = String::from_utf8_lossy(&raw).into_owned();
        let st = match rustix::fs::statat(&dir, OsStr::from_bytes(&raw), AtFlags::SYMLINK_NOFOLLOW) {
            Ok(st) => st,
            Err(Errno::NOENT) => continue, // removed while we walked
            Err(e) => return Err(e.into()),
        };
        let child = at.join(&name);
        out.push((child.clone(), st));
        if levels_left > 1 && FileType::from_raw_mode(st.st_mode) == FileType::Directory {
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
            match rustix::fs::openat(&dir, OsStr::from_bytes(&raw), flags, Mode::empty()) {
                Ok(sub) => walk(sub, &child, levels_left - 1, out)?,
                Err(Errno::NOENT | Errno::NOTDIR | Errno::LOOP) => {} // changed while we walked
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(())
}
