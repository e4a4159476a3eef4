//! A confined tree's root: resolving paths inside it, stat, lstat and opening files to read.
//!
//! Every path is resolved with `openat2` and `RESOLVE_IN_ROOT` against a descriptor of the root,
//! so `..` and absolute symlinks stay inside even when the tree changes during a request.

use std::fs::File;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::path::{Path, PathBuf};

use e2b_wire::{VolumeEntryStat, VolumeFileType};
use rustix::fs::{FileType, Mode, OFlags, ResolveFlags, Stat};
use rustix::io::Errno;

use super::errors::{FsError, FsResult};
use super::path::TreePath;

/// Filesystems whose files report sizes that are not their contents' (proc, sysfs, cgroup v1 and v2,
/// debugfs, tracefs, securityfs).
const SIZELESS: [i64; 7] = [0x9fa0, 0x6265_6572, 0x0027_e0eb, 0x6367_7270, 0x6462_6720, 0x7472_6163, 0x7363_6673];

/// How often a resolution that raced with a rename is retried.
const MAX_RESOLVE_ATTEMPTS: u32 = 256;

const IN_ROOT: ResolveFlags = ResolveFlags::IN_ROOT.union(ResolveFlags::NO_MAGICLINKS);

/// An open directory tree (a volume, or a sandbox's root); all paths resolve inside it.
pub struct ConfinedRoot {
    root: OwnedFd,
}

impl ConfinedRoot {
    /// Opens the tree whose root is the host directory `dir`.
    pub fn open(dir: &Path) -> io::Result<Self> {
        let root = rustix::fs::open(dir, OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())?;
        Ok(Self { root })
    }

    /// Opens `path` inside the tree with `flags`.
    pub(super) fn resolve(&self, path: &TreePath, flags: OFlags) -> FsResult<OwnedFd> {
        let mut attempts = 0;
        loop {
            match rustix::fs::openat2(&self.root, path.relative(), flags | OFlags::CLOEXEC, Mode::empty(), IN_ROOT) {
                // The kernel refuses a `..` walk that raced with a rename anywhere; retrying is the documented answer.
                Err(Errno::AGAIN) if attempts < MAX_RESOLVE_ATTEMPTS => attempts += 1,
                r => return Ok(r?),
            }
        }
    }

    /// Opens the directory that holds `path`'s final component.
    pub(super) fn parent_dir(&self, path: &TreePath) -> FsResult<(OwnedFd, String)> {
        let (parent, name) = path.split().ok_or(FsError::Root)?;
        let fd = self.resolve(&parent, OFlags::RDONLY | OFlags::DIRECTORY)?;
        Ok((fd, name.to_string()))
    }

    /// Stat of `path` (a symlink reports its target's type and mode).
    pub fn stat(&self, path: &TreePath) -> FsResult<VolumeEntryStat> {
        let fd = self.resolve(path, OFlags::PATH | OFlags::NOFOLLOW)?;
        let st = rustix::fs::fstat(&fd)?;
        Ok(self.entry(&st, path))
    }

    /// Builds the wire stat of an entry from its lstat, resolving symlinks inside the tree.
    pub(super) fn entry(&self, st: &Stat, path: &TreePath) -> VolumeEntryStat {
        let kind = FileType::from_raw_mode(st.st_mode);
        let (kind, mode, target) = if kind == FileType::Symlink {
            match self.resolve(path, OFlags::PATH).and_then(|fd| Ok((rustix::fs::fstat(&fd)?, fd))) {
                Ok((target_st, fd)) => {
                    let target = fd_path(fd.as_fd()).ok().and_then(|p| self.tree_path_of(&p));
                    (wire_type(FileType::from_raw_mode(target_st.st_mode)), target_st.st_mode & 0o777, target)
                }
                Err(_) => (VolumeFileType::Unknown, 0, None),
            }
        } else {
            (wire_type(kind), st.st_mode & 0o777, None)
        };
        let target = if FileType::from_raw_mode(st.st_mode) == FileType::Symlink {
            Some(target.unwrap_or_else(|| path.as_str().to_string()))
        } else {
            None
        };
        VolumeEntryStat {
            name: path.name().to_string(),
            kind,
            path: path.as_str().to_string(),
            size: st.st_size,
            mode,
            uid: st.st_uid,
            gid: st.st_gid,
            atime: stat_time(st.st_atime, st.st_atime_nsec as i64),
            mtime: stat_time(st.st_mtime, st.st_mtime_nsec as i64),
            ctime: stat_time(st.st_ctime, st.st_ctime_nsec as i64),
            target,
        }
    }

    /// The tree path of a host path inside the tree.
    fn tree_path_of(&self, host: &Path) -> Option<String> {
        // The root's canonical host path, asked only here (symlinks): most requests never need it.
        let rest = host.strip_prefix(fd_path(self.root.as_fd()).ok()?).ok()?;
        Some(format!("/{}", rest.to_string_lossy()))
    }

    /// The lstat of `path`.
    pub fn lstat(&self, path: &TreePath) -> FsResult<Stat> {
        let fd = self.resolve(path, OFlags::PATH | OFlags::NOFOLLOW)?;
        Ok(rustix::fs::fstat(&fd)?)
    }

    /// Where the symlink at `path` points, resolved inside the tree, if it resolves.
    pub fn resolved_target(&self, path: &TreePath) -> Option<String> {
        let fd = self.resolve(path, OFlags::PATH).ok()?;
        self.tree_path_of(&fd_path(fd.as_fd()).ok()?)
    }

    /// Opens a file for reading (symlinks followed inside the tree); returns it with its size.
    /// Only regular files are opened: a FIFO, socket or device is refused before it is opened
    /// (opening or reading one could block, or act on a device). The size is `None` where the
    /// filesystem's sizes cannot be trusted (`/proc`, `/sys`…): such a file is read to its end.
    pub fn open_read(&self, path: &TreePath) -> FsResult<(File, Option<u64>)> {
        let handle = self.resolve(path, OFlags::PATH)?;
        let st = rustix::fs::fstat(&handle)?;
        match FileType::from_raw_mode(st.st_mode) {
            FileType::RegularFile => {}
            FileType::Directory => return Err(FsError::IsDirectory),
            _ => return Err(FsError::NotRegular),
        }
        // The same inode, opened for reading through its handle.
        let link = format!("/proc/self/fd/{}", handle.as_raw_fd());
        let fd = rustix::fs::open(link.as_str(), OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())?;
        let sizes_lie = rustix::fs::fstatfs(&fd).is_ok_and(|fs| SIZELESS.contains(&{ fs.f_type }));
        Ok((File::from(fd), (!sizes_lie).then_some(st.st_size as u64)))
    }
}

/// The host path a descriptor refers to.
fn fd_path(fd: BorrowedFd<'_>) -> io::Result<PathBuf> {
    std::fs::read_link(format!("/proc/self/fd/{}", fd.as_raw_fd()))
}

fn wire_type(kind: FileType) -> VolumeFileType {
    match kind {
        FileType::RegularFile => VolumeFileType::File,
        FileType::Directory => VolumeFileType::Directory,
        _ => VolumeFileType::Unknown,
    }
}

/// A stat time in RFC 3339; the epoch when RFC 3339 cannot express it.
fn stat_time(secs: i64, nanos: i64) -> String {
    crate::timestamp::from_unix(secs, nanos).unwrap_or_else(|| "1970-01-01T00:00:00Z".into())
}
