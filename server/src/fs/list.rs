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

    /// Paths and lstats below `path`, `depth` levels deep (0 means 1; above the maximum is
    /// refused), in listing order.
    pub fn list_stats(&self, path: &TreePath, depth: u32) -> FsResult<Vec<(TreePath, Stat)>> {
        if depth > e2b_wire::MAX_LIST_DEPTH {
            return Err(FsError::Depth);
        }
        let dir = self.resolve(path, OFlags::RDONLY | OFlags::DIRECTORY)?;
        walk(dir, path, depth.max(1))
    }
}

/// A directory being listed: its entries, sorted, and how far the walk has got.
struct Level {
    dir: OwnedFd,
    at: TreePath,
    names: std::vec::IntoIter<Vec<u8>>,
}

impl Level {
    fn open(dir: OwnedFd, at: TreePath) -> FsResult<Self> {
        let mut names: Vec<Vec<u8>> = Vec::new();
        for item in rustix::fs::Dir::read_from(&dir)? {
            let item = item?;
            let name = item.file_name().to_bytes();
            if name != b"." && name != b".." {
                names.push(name.to_vec());
            }
        }
        names.sort();
        Ok(Self { dir, at, names: names.into_iter() })
    }
}

/// The entries below the open directory `dir` (at `at`), `levels` levels deep, depth-first in
/// pre-order; walked with a stack of its own, never recursion, however deep the tree.
fn walk(dir: OwnedFd, at: &TreePath, levels: u32) -> FsResult<Vec<(TreePath, Stat)>> {
    let mut out = Vec::new();
    let mut stack = vec![Level::open(dir, at.clone())?];
    while let Some(level) = stack.last_mut() {
        let Some(raw) = level.names.next() else {
            stack.pop();
            continue;
        };
        let st = match rustix::fs::statat(&level.dir, OsStr::from_bytes(&raw), AtFlags::SYMLINK_NOFOLLOW) {
            Ok(st) => st,
            Err(Errno::NOENT) => continue, // removed while we walked
            Err(e) => return Err(e.into()),
        };
        let child = level.at.join(&String::from_utf8_lossy(&raw));
        out.push((child.clone(), st));
        if (stack.len() as u32) < levels && FileType::from_raw_mode(st.st_mode) == FileType::Directory {
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
            let parent = &stack.last().expect("a level is open").dir;
            match rustix::fs::openat(parent, OsStr::from_bytes(&raw), flags, Mode::empty()) {
                Ok(sub) => stack.push(Level::open(sub, child)?),
                Err(Errno::NOENT | Errno::NOTDIR | Errno::LOOP) => {} // changed while we walked
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(out)
}
