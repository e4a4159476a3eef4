//! Filesystem operations inside a directory tree confined like a chroot: a volume, or the root
//! of a sandbox (seen through `/proc/<pid>/root`).
//!
//! Every user path is cleaned (`..` clamps at the root), then resolved with `openat2` and
//! `RESOLVE_IN_ROOT` against a descriptor of the tree's root, so `..` and absolute symlinks
//! stay inside even when the tree changes during a request. Names are then acted on relative
//! to the resolved parent's descriptor, never through a host path.

use std::ffi::OsStr;
use std::fs::File;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use e2b_wire::{VolumeEntryStat, VolumeFileType, DEFAULT_DIR_MODE, DEFAULT_FILE_MODE, DEFAULT_OWNER_ID};
use rustix::fs::{AtFlags, FileType, Mode, OFlags, RenameFlags, ResolveFlags, Stat, CWD};
use rustix::io::Errno;

/// A cleaned in-volume path: always starts with `/`, no `.`/`..`, no trailing `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolPath(String);

impl VolPath {
    /// Cleans a user path as E2B does: add a leading `/`, then lexical cleaning.
    pub fn clean(raw: &str) -> Self {
        let cleaned = path_clean::clean(format!("/{raw}"));
        Self(cleaned.to_string_lossy().into_owned())
    }
    /// The path as shown in replies.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// True for the volume root.
    pub fn is_root(&self) -> bool {
        self.0 == "/"
    }
    /// The path relative to the root, as `openat2` wants it (`.` for the root).
    fn relative(&self) -> &str {
        if self.is_root() {
            "."
        } else {
            &self.0[1..]
        }
    }
    /// Parent path and final name; `None` for the root.
    fn split(&self) -> Option<(VolPath, &str)> {
        if self.is_root() {
            return None;
        }
        let idx = self.0.rfind('/').unwrap_or(0);
        let parent = if idx == 0 { "/".to_string() } else { self.0[..idx].to_string() };
        Some((VolPath(parent), &self.0[idx + 1..]))
    }
    /// Base name; `/` for the root.
    pub fn name(&self) -> &str {
        self.split().map_or("/", |(_, n)| n)
    }
    fn join(&self, name: &str) -> VolPath {
        if self.is_root() {
            VolPath(format!("/{name}"))
        } else {
            VolPath(format!("{}/{name}", self.0))
        }
    }
}

/// Owner and permission bits to give a new entry.
#[derive(Debug, Clone, Copy)]
pub struct NewEntry {
    pub uid: u32,
    pub gid: u32,
    pub mode: u32,
    /// Mode of parent directories created on the way.
    pub parent_mode: u32,
}

impl NewEntry {
    /// Requested values, or E2B's defaults for a file (`dir == false`) or directory.
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

/// Failure of a volume operation, with the reason users see.
#[derive(Debug)]
pub enum FsError {
    Io(io::Error),
    /// The path names the volume root where that is not allowed.
    Root,
    /// The entry exists and the operation does not overwrite.
    Exists,
    /// A directory where a file was needed.
    IsDirectory,
    /// A listing depth outside 1..=10.
    Depth,
}

impl From<Errno> for FsError {
    fn from(e: Errno) -> Self {
        FsError::Io(e.into())
    }
}

impl From<io::Error> for FsError {
    fn from(e: io::Error) -> Self {
        FsError::Io(e)
    }
}

type Result<T> = std::result::Result<T, FsError>;

/// An open volume directory; all paths resolve inside it.
pub struct ConfinedRoot {
    root: OwnedFd,
    /// Canonical host path of the root, to turn resolved descriptors back into volume paths.
    host: PathBuf,
}

/// How often a resolution that raced with a rename is retried.
const MAX_RESOLVE_ATTEMPTS: u32 = 256;

const IN_ROOT: ResolveFlags = ResolveFlags::IN_ROOT.union(ResolveFlags::NO_MAGICLINKS);

impl ConfinedRoot {
    /// Opens the volume directory at `dir`.
    pub fn open(dir: &Path) -> io::Result<Self> {
        let root = rustix::fs::open(dir, OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())?;
        let host = fd_path(root.as_fd())?;
        Ok(Self { root, host })
    }

    fn resolve(&self, path: &VolPath, flags: OFlags) -> Result<OwnedFd> {
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
    fn parent_dir(&self, path: &VolPath) -> Result<(OwnedFd, String)> {
        let (parent, name) = path.split().ok_or(FsError::Root)?;
        let fd = self.resolve(&parent, OFlags::RDONLY | OFlags::DIRECTORY)?;
        Ok((fd, name.to_string()))
    }

    /// Stat of `path` (a symlink reports its target's type and mode).
    pub fn stat(&self, path: &VolPath) -> Result<VolumeEntryStat> {
        let fd = self.resolve(path, OFlags::PATH | OFlags::NOFOLLOW)?;
        let st = rustix::fs::fstat(&fd)?;
        Ok(self.entry(&st, path))
    }

    /// Builds the wire stat of an entry from its lstat, resolving symlinks inside the volume.
    fn entry(&self, st: &Stat, path: &VolPath) -> VolumeEntryStat {
        let kind = FileType::from_raw_mode(st.st_mode);
        let (kind, mode, target) = if kind == FileType::Symlink {
            match self.resolve(path, OFlags::PATH).and_then(|fd| Ok((rustix::fs::fstat(&fd)?, fd))) {
                Ok((target_st, fd)) => {
                    let target = fd_path(fd.as_fd()).ok().and_then(|p| self.volume_path_of(&p));
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
            atime: rfc3339(st.st_atime, st.st_atime_nsec as i64),
            mtime: rfc3339(st.st_mtime, st.st_mtime_nsec as i64),
            ctime: rfc3339(st.st_ctime, st.st_ctime_nsec as i64),
            target,
        }
    }

    fn volume_path_of(&self, host: &Path) -> Option<String> {
        let rest = host.strip_prefix(&self.host).ok()?;
        Some(format!("/{}", rest.to_string_lossy()))
    }

    /// Lists `path` down to `depth` levels: per directory sorted by name, depth-first pre-order.
    pub fn list(&self, path: &VolPath, depth: u32) -> Result<Vec<VolumeEntryStat>> {
        let depth = match depth {
            0 => 1,
            d if d > e2b_wire::MAX_LIST_DEPTH => return Err(FsError::Depth),
            d => d,
        };
        Ok(self.list_stats(path, depth)?.iter().map(|(p, st)| self.entry(st, p)).collect())
    }

    /// Paths and lstats below `path`, `depth` levels deep, in listing order.
    pub fn list_stats(&self, path: &VolPath, depth: u32) -> Result<Vec<(VolPath, Stat)>> {
        let dir = self.resolve(path, OFlags::RDONLY | OFlags::DIRECTORY)?;
        let mut out = Vec::new();
        self.walk(dir, path, depth.max(1), &mut out)?;
        Ok(out)
    }

    /// The lstat of `path`.
    pub fn lstat(&self, path: &VolPath) -> Result<Stat> {
        let fd = self.resolve(path, OFlags::PATH | OFlags::NOFOLLOW)?;
        Ok(rustix::fs::fstat(&fd)?)
    }

    /// Where the symlink at `path` points, resolved inside the tree, if it resolves.
    pub fn resolved_target(&self, path: &VolPath) -> Option<String> {
        let fd = self.resolve(path, OFlags::PATH).ok()?;
        self.volume_path_of(&fd_path(fd.as_fd()).ok()?)
    }

    /// Renames `from` to `to` (replacing a file at `to`); both stay inside the tree.
    pub fn rename(&self, from: &VolPath, to: &VolPath) -> Result<()> {
        let (from_dir, from_name) = self.parent_dir(from)?;
        let (to_dir, to_name) = self.parent_dir(to)?;
        Ok(rustix::fs::renameat(&from_dir, from_name.as_str(), &to_dir, to_name.as_str())?)
    }

    fn walk(&self, dir: OwnedFd, at: &VolPath, levels_left: u32, out: &mut Vec<(VolPath, Stat)>) -> Result<()> {
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
                    Ok(sub) => self.walk(sub, &child, levels_left - 1, out)?,
                    Err(Errno::NOENT | Errno::NOTDIR | Errno::LOOP) => {} // changed while we walked
                    Err(e) => return Err(e.into()),
                }
            }
        }
        Ok(())
    }

    /// Creates missing parents of `path` (mode 0777, the given owner); returns the parent's descriptor.
    fn make_parents(&self, path: &VolPath, owner: NewEntry) -> Result<(OwnedFd, String)> {
        let (parent, name) = path.split().ok_or(FsError::Root)?;
        let name = name.to_string();
        match self.resolve(&parent, OFlags::RDONLY | OFlags::DIRECTORY) {
            Ok(fd) => return Ok((fd, name)),
            Err(FsError::Io(e)) if e.raw_os_error() == Some(Errno::NOENT.raw_os_error()) => {}
            Err(e) => return Err(e),
        }
        let parents = NewEntry { mode: owner.parent_mode, ..owner };
        let mut current = VolPath("/".into());
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
    pub fn make_dir(&self, path: &VolPath, new: NewEntry, force: bool) -> Result<VolumeEntryStat> {
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
        path: &VolPath,
        uid: Option<u32>,
        gid: Option<u32>,
        mode: Option<u32>,
    ) -> Result<VolumeEntryStat> {
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
    pub fn remove(&self, path: &VolPath) -> Result<()> {
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

    /// Opens a file for reading (symlinks followed inside the volume); returns it with its size.
    pub fn open_read(&self, path: &VolPath) -> Result<(File, u64)> {
        let fd = self.resolve(path, OFlags::RDONLY)?;
        let st = rustix::fs::fstat(&fd)?;
        if FileType::from_raw_mode(st.st_mode) == FileType::Directory {
            return Err(FsError::IsDirectory);
        }
        Ok((File::from(fd), st.st_size as u64))
    }

    /// Starts writing `path`: checks the target, then opens an invisible temporary file beside it.
    pub fn begin_write(&self, path: &VolPath, new: NewEntry, force: bool) -> Result<PendingWrite> {
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
    pub fn commit(&self, mut pending: PendingWrite) -> Result<VolumeEntryStat> {
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

/// A file being uploaded: invisible until committed, gone if dropped.
pub struct PendingWrite {
    file: Option<File>,
    parent: OwnedFd,
    name: String,
    temp_name: Option<String>,
    force: bool,
    new: NewEntry,
    path: VolPath,
}

/// Why streaming a body into a pending file failed.
#[derive(Debug)]
pub enum FillError {
    /// The client's body broke off (or could not be read).
    Body(String),
    /// Writing the temporary file failed.
    Io(io::Error),
}

impl PendingWrite {
    /// Streams `body` into the temporary file (the file stays invisible until `commit`).
    pub async fn fill<S, E>(&mut self, mut body: S) -> std::result::Result<(), FillError>
    where
        S: futures_util::Stream<Item = std::result::Result<bytes::Bytes, E>> + Unpin,
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

fn temp_name() -> String {
    format!(".e2b-upload-{}", uuid::Uuid::new_v4().simple())
}

fn wire_type(kind: FileType) -> VolumeFileType {
    match kind {
        FileType::RegularFile => VolumeFileType::File,
        FileType::Directory => VolumeFileType::Directory,
        _ => VolumeFileType::Unknown,
    }
}

/// A stat time in RFC 3339; the epoch when RFC 3339 cannot express it.
fn rfc3339(secs: i64, nanos: i64) -> String {
    crate::timestamp::from_unix(secs, nanos).unwrap_or_else(|| "1970-01-01T00:00:00Z".into())
}

fn fd_path(fd: BorrowedFd<'_>) -> io::Result<PathBuf> {
    std::fs::read_link(format!("/proc/self/fd/{}", fd.as_raw_fd()))
}

/// True when this process may give files away (chown to other users).
fn can_chown() -> bool {
    rustix::process::geteuid().is_root()
}

fn chown_fd(fd: BorrowedFd<'_>, uid: Option<u32>, gid: Option<u32>) -> io::Result<()> {
    let uid = uid.map(rustix::fs::Uid::from_raw);
    let gid = gid.map(rustix::fs::Gid::from_raw);
    match rustix::fs::chownat(fd, "", uid, gid, AtFlags::EMPTY_PATH) {
        Ok(()) => Ok(()),
        // Without root the owner cannot be set; the entry keeps the server's own uid and gid.
        Err(Errno::PERM) if !can_chown() => Ok(()),
        Err(e) => Err(e.into()),
    }
}

fn apply_owner_and_mode(fd: BorrowedFd<'_>, new: NewEntry) -> io::Result<()> {
    chown_fd(fd, Some(new.uid), Some(new.gid))?;
    rustix::fs::fchmod(fd, Mode::from_raw_mode(new.mode & 0o777))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::VolPath;

    #[test]
    fn paths_clean_like_e2b() {
        for (raw, want) in [
            ("a/b", "/a/b"),
            ("../x", "/x"),
            ("..", "/"),
            (".", "/"),
            ("", "/"),
            ("/a//b/", "/a/b"),
            ("a/./b/../c", "/a/c"),
            ("/../../etc/passwd", "/etc/passwd"),
            ("a\\b", "/a\\b"),
        ] {
            assert_eq!(VolPath::clean(raw).as_str(), want, "{raw:?}");
        }
        assert_eq!(VolPath::clean("/a/b").name(), "b");
        assert_eq!(VolPath::clean("/").name(), "/");
    }
}
