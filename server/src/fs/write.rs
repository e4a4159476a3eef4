//! Atomic file writes into a confined tree: the body streams into an invisible file beside the
//! target, which is published under its name only once complete.

use std::fs::File;
use std::io;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};

use e2b_wire::VolumeEntryStat;
use rustix::fs::{AtFlags, FileType, Mode, OFlags, RenameFlags, CWD};
use rustix::io::Errno;

use super::errors::{FsError, FsResult};
use super::owner::{apply_owner_and_mode, NewEntry};
use super::path::TreePath;
use super::root::ConfinedRoot;

/// A file being uploaded: invisible until committed, gone if dropped.
pub struct PendingWrite {
    file: Option<File>,
    parent: OwnedFd,
    name: String,
    temp_name: Option<String>,
    force: bool,
    new: NewEntry,
    path: TreePath,
}

/// Why streaming a body into a pending file failed.
#[derive(Debug)]
pub enum FillError {
    /// The client's body broke off (or could not be read).
    Body(String),
    /// Writing the temporary file failed.
    Io(io::Error),
}

impl ConfinedRoot {
    /// Starts writing `path`: checks the target, then opens an invisible temporary file beside it.
    /// With `force` an existing file is replaced and missing parents are made.
    pub fn begin_write(&self, path: &TreePath, new: NewEntry, force: bool) -> FsResult<PendingWrite> {
        if path.is_root() {
            return Err(FsError::IsDirectory);
        }
        let (parent, name) = if force { self.make_parents(path, new)? } else { self.parent_dir(path)? };
        match rustix::fs::statat(&parent, name.as_str(), AtFlags::SYMLINK_NOFOLLOW) {
            Ok(st) if FileType::from_raw_mode(st.st_mode) == FileType::Directory => return Err(FsError::IsDirectory),
            Ok(_) if !force => return Err(FsError::Exists),
            Ok(_) | Err(Errno::NOENT) => {}
            Err(e) => return Err(e.into()),
        }
        let (file, temp_name) = match rustix::fs::openat(
            &parent,
            ".",
            OFlags::TMPFILE | OFlags::WRONLY | OFlags::CLOEXEC,
            Mode::from_raw_mode(0o600),
        ) {
            Ok(fd) => (File::from(fd), None),
            // Some filesystems refuse O_TMPFILE (and tmpfs can while the directory is being renamed):
            // fall back to a hidden named file, removed on failure. Real errors surface from this open.
            Err(_) => {
                let temp = temp_name();
                let fd = rustix::fs::openat(
                    &parent,
                    temp.as_str(),
                    OFlags::CREATE | OFlags::EXCL | OFlags::WRONLY | OFlags::CLOEXEC,
                    Mode::from_raw_mode(0o600),
                )?;
                (File::from(fd), Some(temp))
            }
        };
        Ok(PendingWrite { file: Some(file), parent, name, temp_name, force, new, path: path.clone() })
    }

    /// Publishes a fully written file under its name, atomically; returns its stat.
    pub fn commit(&self, mut pending: PendingWrite) -> FsResult<VolumeEntryStat> {
        let file = pending.file.take().expect("commit takes a pending write once");
        apply_owner_and_mode(file.as_fd(), pending.new)?;
        file.sync_all()?;
        let parent = pending.parent.as_fd();
        let name = pending.name.as_str();
        let published = match pending.temp_name.take() {
            None if !pending.force => {
                let link = format!("/proc/self/fd/{}", file.as_raw_fd());
                rustix::fs::linkat(CWD, link.as_str(), parent, name, AtFlags::SYMLINK_FOLLOW)
            }
            None => {
                let temp = temp_name();
                let link = format!("/proc/self/fd/{}", file.as_raw_fd());
                rustix::fs::linkat(CWD, link.as_str(), parent, temp.as_str(), AtFlags::SYMLINK_FOLLOW)?;
                let r = rustix::fs::renameat(parent, temp.as_str(), parent, name);
                if r.is_err() {
                    let _ = rustix::fs::unlinkat(parent, temp.as_str(), AtFlags::empty());
                }
                r
            }
            Some(temp) => {
                let flags = if pending.force { RenameFlags::empty() } else { RenameFlags::NOREPLACE };
                let r = rustix::fs::renameat_with(parent, temp.as_str(), parent, name, flags);
                if r.is_err() {
                    let _ = rustix::fs::unlinkat(parent, temp.as_str(), AtFlags::empty());
                }
                r
            }
        };
        match published {
            Ok(()) => {}
            Err(Errno::EXIST) => return Err(FsError::Exists),
            Err(Errno::ISDIR) => return Err(FsError::IsDirectory),
            Err(e) => return Err(e.into()),
        }
        rustix::fs::fsync(&pending.parent)?;
        let st = rustix::fs::fstat(&file)?;
        Ok(self.entry(&st, &pending.path))
    }
}

impl PendingWrite {
    /// The file being written (`commit` consumes the pending write, so it is always there).
    pub(super) fn file(&self) -> &File {
        self.file.as_ref().expect("file present until commit")
    }

    /// Writes `bytes`, a whole body already in memory, into the temporary file (blocking).
    pub fn fill_from(&mut self, bytes: &[u8]) -> io::Result<()> {
        use std::io::Write as _;
        self.file().write_all(bytes)
    }

    /// Streams `body` into the temporary file (the file stays invisible until `commit`).
    pub async fn fill<S, E>(&mut self, mut body: S) -> Result<(), FillError>
    where
        S: futures_util::Stream<Item = Result<bytes::Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        use futures_util::StreamExt;
        use tokio::io::AsyncWriteExt;
        let file = self.file.as_ref().expect("file present until commit").try_clone().map_err(FillError::Io)?;
        let mut out = tokio::fs::File::from_std(file);
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| FillError::Body(e.to_string()))?;
            out.write_all(&chunk).await.map_err(FillError::Io)?;
        }
        out.flush().await.map_err(FillError::Io)
    }
}

impl Drop for PendingWrite {
    fn drop(&mut self) {
        if let Some(temp) = self.temp_name.take() {
            let _ = rustix::fs::unlinkat(&self.parent, temp.as_str(), AtFlags::empty());
        }
    }
}

/// First characters of the hidden names uploads take before they are published (watchers hide them).
pub const UPLOAD_TEMP_PREFIX: &str = ".e2b-upload-";

/// A hidden, unique name for a temporary file.
fn temp_name() -> String {
    format!("{UPLOAD_TEMP_PREFIX}{}", uuid::Uuid::new_v4().simple())
}
