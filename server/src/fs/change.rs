//! Changing a confined tree: make directories, change owner and mode, remove, rename.
//! Names are acted on relative to their resolved parent's descriptor, never through a host path.

use std::os::fd::{AsFd, AsRawFd, OwnedFd};

use e2b_wire::{VolumeEntryStat, VolumeFileType};
use rustix::fs::{AtFlags, FileType, Mode, OFlags, CWD};
use rustix::io::Errno;

use super::errors::{FsError, FsResult};
use super::owner::{apply_owner_and_mode, chown_fd, NewEntry};
use super::path::TreePath;
use super::root::ConfinedRoot;

impl ConfinedRoot {
    /// Creates missing parents of `path` (with `owner`'s parent mode); returns the parent's descriptor.
    pub(super) fn make_parents(&self, path: &TreePath, owner: NewEntry) -> FsResult<(OwnedFd, String)> {
        let (parent, name) = path.split().ok_or(FsError::Root)?;
        let name = name.to_string();
        match self.resolve(&parent, OFlags::RDONLY | OFlags::DIRECTORY) {
            Ok(fd) => return Ok((fd, name)),
            Err(FsError::Io(e)) if e.raw_os_error() == Some(Errno::NOENT.raw_os_error()) => {}
            Err(e) => return Err(e),
        }
        let parents = NewEntry { mode: owner.parent_mode, ..owner };
        let mut current = TreePath::root();
        let mut fd = self.resolve(&current, OFlags::RDONLY | OFlags::DIRECTORY)?;
        for comp in parent.as_str().split('/').filter(|c| !c.is_empty()) {
            current = current.join(comp);
            match rustix::fs::mkdirat(&fd, comp, Mode::from_raw_mode(0o700)) {
                Ok(()) => {
                    let created = rustix::fs::openat(
                        &fd,
                        comp,
                        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                        Mode::empty(),
                    )?;
                    apply_owner_and_mode(created.as_fd(), parents)?;
                }
                Err(Errno::EXIST) => {}
                Err(e) => return Err(e.into()),
            }
            fd = self.resolve(&current, OFlags::RDONLY | OFlags::DIRECTORY)?;
        }
        Ok((fd, name))
    }

    /// `mkdir` (or `mkdir -p` with `force`); with `force` an existing directory is returned unchanged.
    pub fn make_dir(&self, path: &TreePath, new: NewEntry, force: bool) -> FsResult<VolumeEntryStat> {
        if path.is_root() {
            return if force { self.stat(path) } else { Err(FsError::Exists) };
        }
        let (parent, name) = if force { self.make_parents(path, new)? } else { self.parent_dir(path)? };
        match rustix::fs::mkdirat(&parent, name.as_str(), Mode::from_raw_mode(0o700)) {
            Ok(()) => {
                let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
                let dir = rustix::fs::openat(&parent, name.as_str(), flags, Mode::empty())?;
                apply_owner_and_mode(dir.as_fd(), new)?;
                let st = rustix::fs::fstat(&dir)?;
                Ok(self.entry(&st, path))
            }
            Err(Errno::EXIST) if force => {
                let existing = self.stat(path)?;
                if existing.kind == VolumeFileType::Directory {
                    Ok(existing)
                } else {
                    Err(FsError::Exists)
                }
            }
            Err(Errno::EXIST) => Err(FsError::Exists),
            Err(e) => Err(e.into()),
        }
    }

    /// chmod then chown (absent fields unchanged), following symlinks; returns the new stat.
    pub fn update(
        &self,
        path: &TreePath,
        uid: Option<u32>,
        gid: Option<u32>,
        mode: Option<u32>,
    ) -> FsResult<VolumeEntryStat> {
        let fd = self.resolve(path, OFlags::PATH)?;
        if let Some(mode) = mode {
            // fchmod does not take O_PATH descriptors; the descriptor's /proc link does.
            let link = format!("/proc/self/fd/{}", fd.as_raw_fd());
            rustix::fs::chmodat(CWD, link.as_str(), Mode::from_raw_mode(mode & 0o777), AtFlags::empty())?;
        }
        if uid.is_some() || gid.is_some() {
            chown_fd(fd.as_fd(), uid, gid)?;
        }
        let st = rustix::fs::fstat(&fd)?;
        let mut entry = self.entry(&st, path);
        entry.target = None;
        Ok(entry)
    }

    /// Removes a file, symlink or whole directory tree; the root cannot be removed.
    pub fn remove(&self, path: &TreePath) -> FsResult<()> {
        let (parent, name) = self.parent_dir(path)?;
        let st = rustix::fs::statat(&parent, name.as_str(), AtFlags::SYMLINK_NOFOLLOW)?;
        if FileType::from_raw_mode(st.st_mode) == FileType::Directory {
            // Anchored at the parent's descriptor; std's remove_dir_all never follows symlinks.
            std::fs::remove_dir_all(format!("/proc/self/fd/{}/{}", parent.as_raw_fd(), name))?;
        } else {
            rustix::fs::unlinkat(&parent, name.as_str(), AtFlags::empty())?;
        }
        Ok(())
    }

    /// Renames `from` to `to` (replacing a file at `to`); both stay inside the tree.
    pub fn rename(&self, from: &TreePath, to: &TreePath) -> FsResult<()> {
        let (from_dir, from_name) = self.parent_dir(from)?;
        let (to_dir, to_name) = self.parent_dir(to)?;
        Ok(rustix::fs::renameat(&from_dir, from_name.as_str(), &to_dir, to_name.as_str())?)
    }
}
