//! A sandbox's own files as one archive (tar), for snapshots and pauses without memory: its root
//! filesystem's raw contents (its own directories and the upper layers of its writable system,
//! with their whiteouts and overlay attributes) and its `/tmp`. Never its volumes: those are
//! mounted, not copied. Owners are kept relative to the sandbox's id range, so that a restore into
//! another range is right; modes, symlinks, FIFOs, times and extended attributes are kept too.
//!
//! Both ways work from directory descriptors and never follow a symlink, and the sandbox is frozen
//! (or not yet started) meanwhile, so what it made cannot lead them outside its files.

use std::ffi::{CStr, CString, OsStr};
use std::io::{Read as _, Write as _};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt as _;
use std::path::{Path, PathBuf};

use rustix::fs::{AtFlags, FileType, Mode, OFlags, Timespec, Timestamps};
use tar::{EntryType, Header};

use super::oci::ID_RANGE;

/// Prefix of PAX records holding extended attributes (as GNU tar writes them).
const XATTR: &str = "SCHILY.xattr.";
/// Where a sandbox's owners land when they are outside its range (`nobody`).
const OVERFLOW_ID: u32 = 65534;
/// Attribute namespaces kept: user metadata, and overlayfs' own (opaque directories and the like).
const KEPT_XATTRS: &[&str] = &["user.", "trusted.overlay."];

/// The sandbox-relative id of host id `id` in the range starting at `base`.
fn relative(id: u32, base: u32) -> u32 {
    id.checked_sub(base).filter(|r| *r < ID_RANGE).unwrap_or(OVERFLOW_ID)
}

/// Writes an archive of the directory trees at `trees` (each as `(name in the archive, directory,
/// paths below it to leave out)`), owners made relative to `base`.
pub fn capture(dest: &Path, base: u32, trees: &[(&str, BorrowedFd<'_>, &[&str])]) -> std::io::Result<()> {
    let file = std::fs::File::create(dest)?;
    let mut out = tar::Builder::new(std::io::BufWriter::new(file));
    for (name, dir, skip) in trees {
        let prefix = PathBuf::from(name);
        let own = rustix::fs::openat(dir, ".", OFlags::DIRECTORY | OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())?;
        append_dir(&mut out, &own, &prefix, base)?;
        walk(&mut out, own, &prefix, base, skip, &prefix)?;
    }
    out.into_inner()?.flush()
}

/// Appends the entries below `dir` (archived as `at`).
fn walk<W: std::io::Write>(
    out: &mut tar::Builder<W>,
    dir: OwnedFd,
    at: &Path,
    base: u32,
    skip: &[&str],
    top: &Path,
) -> std::io::Result<()> {
    let mut entries = Vec::new();
    for entry in rustix::fs::Dir::read_from(&dir)? {
        let entry = entry?;
        let name = entry.file_name().to_bytes();
        if name != b"." && name != b".." {
            entries.push(CString::from(entry.file_name()));
        }
    }
    entries.sort();
    for name in entries {
        let path = at.join(OsStr::from_bytes(name.to_bytes()));
        let below_top = path.strip_prefix(top).unwrap_or(&path);
        if skip.iter().any(|s| below_top == Path::new(s)) {
            continue;
        }
        let stat = rustix::fs::statat(&dir, name.as_c_str(), AtFlags::SYMLINK_NOFOLLOW)?;
        let mut header = header_of(&stat, base);
        match FileType::from_raw_mode(stat.st_mode) {
            FileType::Directory => {
                let sub = rustix::fs::openat(
                    &dir,
                    name.as_c_str(),
                    OFlags::DIRECTORY | OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                    Mode::empty(),
                )?;
                append_dir(out, &sub, &path, base)?;
                walk(out, sub, &path, base, skip, top)?;
            }
            FileType::RegularFile => {
                let file = rustix::fs::openat(
                    &dir,
                    name.as_c_str(),
                    OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC,
                    Mode::empty(),
                )?;
                append_xattrs(out, &file)?;
                header.set_entry_type(EntryType::Regular);
                header.set_size(stat.st_size as u64);
                let file = std::fs::File::from(file);
                // A file that changed size meanwhile is cut or padded to the size in its header.
                let body = file.take(stat.st_size as u64).chain(std::io::repeat(0)).take(stat.st_size as u64);
                out.append_data(&mut header, &path, body)?;
            }
            FileType::Symlink => {
                let target = rustix::fs::readlinkat(&dir, name.as_c_str(), Vec::new())?;
                header.set_entry_type(EntryType::Symlink);
                out.append_link(&mut header, &path, OsStr::from_bytes(target.to_bytes()))?;
            }
            // Only whiteouts (0/0) exist among a sandbox's devices.
            FileType::CharacterDevice if stat.st_rdev == 0 => {
                header.set_entry_type(EntryType::Char);
                header.set_device_major(0)?;
                header.set_device_minor(0)?;
                out.append_data(&mut header, &path, std::io::empty())?;
            }
            FileType::Fifo => {
                header.set_entry_type(EntryType::Fifo);
                out.append_data(&mut header, &path, std::io::empty())?;
            }
            // Sockets belong to processes, which a snapshot does not keep.
            _ => {}
        }
    }
    Ok(())
}

fn header_of(stat: &rustix::fs::Stat, base: u32) -> Header {
    let mut header = Header::new_gnu();
    header.set_mode(stat.st_mode & 0o7777);
    header.set_uid(u64::from(relative(stat.st_uid, base)));
    header.set_gid(u64::from(relative(stat.st_gid, base)));
    header.set_mtime(stat.st_mtime.max(0) as u64);
    header.set_size(0);
    header
}

fn append_dir<W: std::io::Write>(
    out: &mut tar::Builder<W>,
    dir: &OwnedFd,
    path: &Path,
    base: u32,
) -> std::io::Result<()> {
    let stat = rustix::fs::fstat(dir)?;
    append_xattrs(out, dir)?;
    let mut header = header_of(&stat, base);
    header.set_entry_type(EntryType::Directory);
    out.append_data(&mut header, path, std::io::empty())
}

/// Adds the kept extended attributes of `fd` as PAX records for the next entry.
fn append_xattrs<W: std::io::Write>(out: &mut tar::Builder<W>, fd: &OwnedFd) -> std::io::Result<()> {
    let mut names = vec![0u8; 4096];
    let n = match rustix::fs::flistxattr(fd, &mut names) {
        Ok(n) => n,
        Err(rustix::io::Errno::NOTSUP) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let mut records = Vec::new();
    for name in names[..n].split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let Ok(name) = std::str::from_utf8(name) else { continue };
        if !KEPT_XATTRS.iter().any(|p| name.starts_with(p)) {
            continue;
        }
        let mut value = vec![0u8; 65536];
        let len = rustix::fs::fgetxattr(fd, name, &mut value)?;
        value.truncate(len);
        records.push((format!("{XATTR}{name}"), value));
    }
    out.append_pax_extensions(records.iter().map(|(k, v)| (k.as_str(), v.as_slice())))
}

/// Restores the entries of the archive at `src` whose path starts with one of `trees`' names into
/// that tree's directory, owners moved into the range starting at `base`. Entries already there are
/// replaced (directories are kept and given the archived attributes).
pub fn restore(src: &Path, base: u32, trees: &[(&str, BorrowedFd<'_>)]) -> std::io::Result<()> {
    let mut archive = tar::Archive::new(std::io::BufReader::new(std::fs::File::open(src)?));
    let mut dirs: Vec<(OwnedFd, u64)> = Vec::new();
    for entry in archive.entries()? {
        let mut entry = entry?;
        let path = PathBuf::from(OsStr::from_bytes(&entry.path_bytes()));
        let mut parts = path.components();
        let Some(first) = parts.next() else { continue };
        let Some((_, tree)) = trees.iter().find(|(name, _)| first.as_os_str() == OsStr::new(name)) else {
            continue;
        };
        let rest: Vec<&OsStr> = parts.map(|c| c.as_os_str()).collect();
        if rest.iter().any(|c| *c == ".." || *c == "." || c.is_empty() || c.as_bytes().contains(&b'/')) {
            return Err(std::io::Error::other(format!("bad path in archive: {}", path.display())));
        }
        let xattrs: Vec<(String, Vec<u8>)> = match entry.pax_extensions()? {
            Some(records) => records
                .flatten()
                .filter_map(|r| Some((r.key().ok()?.strip_prefix(XATTR)?.to_string(), r.value_bytes().to_vec())))
                .collect(),
            None => Vec::new(),
        };
        let header = entry.header().clone();
        let owner = |id: u64| base + (id as u32).min(ID_RANGE - 1);
        let (uid, gid) = (owner(header.uid()?), owner(header.gid()?));
        let mode = Mode::from_raw_mode(header.mode()? & 0o7777);
        let mtime = header.mtime().unwrap_or(0);
        let (parent, name) = match rest.split_last() {
            None => (
                rustix::fs::openat(tree, ".", OFlags::DIRECTORY | OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())?,
                None,
            ),
            Some((name, dirs)) => (open_dirs(tree.as_fd(), dirs)?, Some(CString::new(name.as_bytes())?)),
        };
        let kind = header.entry_type();
        let Some(name) = name else {
            // The tree's own directory.
            if kind == EntryType::Directory {
                set_attrs(&parent, uid, gid, mode, &xattrs)?;
                dirs.push((parent, mtime));
            }
            continue;
        };
        let name = name.as_c_str();
        if kind != EntryType::Directory {
            remove(&parent, name)?;
        }
        match kind {
            EntryType::Directory => {
                match rustix::fs::mkdirat(&parent, name, Mode::from_raw_mode(0o700)) {
                    Ok(()) | Err(rustix::io::Errno::EXIST) => {}
                    Err(e) => return Err(e.into()),
                }
                let dir = rustix::fs::openat(
                    &parent,
                    name,
                    OFlags::DIRECTORY | OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                    Mode::empty(),
                )?;
                set_attrs(&dir, uid, gid, mode, &xattrs)?;
                dirs.push((dir, mtime));
            }
            EntryType::Regular | EntryType::Continuous => {
                let fd = rustix::fs::openat(
                    &parent,
                    name,
                    OFlags::CREATE | OFlags::EXCL | OFlags::WRONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                    Mode::from_raw_mode(0o600),
                )?;
                let mut file = std::fs::File::from(fd);
                std::io::copy(&mut entry, &mut file)?;
                let fd = OwnedFd::from(file);
                set_attrs(&fd, uid, gid, mode, &xattrs)?;
                rustix::fs::futimens(&fd, &times(mtime))?;
            }
            EntryType::Symlink => {
                let target = entry.link_name_bytes().unwrap_or_default();
                rustix::fs::symlinkat(CString::new(target.as_ref())?.as_c_str(), &parent, name)?;
                chown_at(&parent, name, uid, gid)?;
                rustix::fs::utimensat(&parent, name, &times(mtime), AtFlags::SYMLINK_NOFOLLOW)?;
            }
            EntryType::Char if device(header.device_major()) == 0 && device(header.device_minor()) == 0 => {
                // A whiteout: made (and owned) by the host, as overlayfs makes them.
                rustix::fs::mknodat(&parent, name, FileType::CharacterDevice, Mode::empty(), 0)?;
            }
            EntryType::Fifo => {
                rustix::fs::mknodat(&parent, name, FileType::Fifo, Mode::from_raw_mode(0o600), 0)?;
                chown_at(&parent, name, uid, gid)?;
                rustix::fs::chmodat(&parent, name, mode, AtFlags::empty())?;
            }
            _ => {}
        }
    }
    // Directories last, deepest first: filling them moved their times.
    for (dir, mtime) in dirs.into_iter().rev() {
        rustix::fs::futimens(&dir, &times(mtime))?;
    }
    Ok(())
}

/// A device number from a header (an empty field reads as 0).
fn device(field: std::io::Result<Option<u32>>) -> u32 {
    field.ok().flatten().unwrap_or(0)
}

/// Opens the directory `dirs` below `top`, never following a symlink.
fn open_dirs(top: BorrowedFd<'_>, dirs: &[&OsStr]) -> std::io::Result<OwnedFd> {
    let mut at = rustix::fs::openat(top, ".", OFlags::DIRECTORY | OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())?;
    for d in dirs {
        at = rustix::fs::openat(
            &at,
            CString::new(d.as_bytes())?.as_c_str(),
            OFlags::DIRECTORY | OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
        )?;
    }
    Ok(at)
}

/// Removes what is at `name` in `dir` (a directory with everything in it).
fn remove(dir: &OwnedFd, name: &CStr) -> std::io::Result<()> {
    match rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW) {
        Err(rustix::io::Errno::NOENT) => Ok(()),
        Err(e) => Err(e.into()),
        Ok(stat) if FileType::from_raw_mode(stat.st_mode) == FileType::Directory => {
            let sub = rustix::fs::openat(
                dir,
                name,
                OFlags::DIRECTORY | OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::empty(),
            )?;
            let mut names = Vec::new();
            for entry in rustix::fs::Dir::read_from(&sub)? {
                let entry = entry?;
                if entry.file_name().to_bytes() != b"." && entry.file_name().to_bytes() != b".." {
                    names.push(CString::from(entry.file_name()));
                }
            }
            for n in names {
                remove(&sub, &n)?;
            }
            Ok(rustix::fs::unlinkat(dir, name, AtFlags::REMOVEDIR)?)
        }
        Ok(_) => Ok(rustix::fs::unlinkat(dir, name, AtFlags::empty())?),
    }
}

/// Owner, then mode (a change of owner clears set-id bits), then extended attributes.
fn set_attrs(fd: &OwnedFd, uid: u32, gid: u32, mode: Mode, xattrs: &[(String, Vec<u8>)]) -> std::io::Result<()> {
    rustix::fs::fchown(fd, Some(rustix::fs::Uid::from_raw(uid)), Some(rustix::fs::Gid::from_raw(gid)))?;
    rustix::fs::fchmod(fd, mode)?;
    for (name, value) in xattrs {
        rustix::fs::fsetxattr(fd, name.as_str(), value, rustix::fs::XattrFlags::empty())?;
    }
    Ok(())
}

fn chown_at(dir: &OwnedFd, name: &CStr, uid: u32, gid: u32) -> std::io::Result<()> {
    let (uid, gid) = (Some(rustix::fs::Uid::from_raw(uid)), Some(rustix::fs::Gid::from_raw(gid)));
    Ok(rustix::fs::chownat(dir, name, uid, gid, AtFlags::SYMLINK_NOFOLLOW)?)
}

fn times(mtime: u64) -> Timestamps {
    let t = Timespec { tv_sec: mtime as i64, tv_nsec: 0 };
    Timestamps { last_access: t, last_modification: t }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};

    fn dir_fd(p: &Path) -> OwnedFd {
        rustix::fs::open(p, OFlags::DIRECTORY | OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty()).unwrap()
    }

    #[test]
    fn a_tree_comes_back_with_owners_moved_to_another_range() {
        if !rustix::process::geteuid().is_root() {
            return;
        }
        let (from, to) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let base = 1_000_000;
        let src = from.path();
        std::fs::create_dir_all(src.join("home/user")).unwrap();
        std::fs::write(src.join("home/user/a"), "hello").unwrap();
        std::os::unix::fs::chown(src.join("home/user/a"), Some(base + 1000), Some(base + 1000)).unwrap();
        std::fs::set_permissions(src.join("home/user/a"), std::fs::Permissions::from_mode(0o4750)).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", src.join("link")).unwrap();
        rustix::fs::mknodat(rustix::fs::CWD, src.join("gone"), FileType::CharacterDevice, Mode::empty(), 0).unwrap();
        rustix::fs::setxattr(src.join("home/user/a"), "user.e2b.k", b"v", rustix::fs::XattrFlags::empty()).unwrap();
        std::fs::create_dir(src.join("skipped")).unwrap();
        let archive = to.path().join("a.tar");
        capture(&archive, base, &[("root", dir_fd(src).as_fd(), &["skipped"])]).unwrap();

        let dest = to.path().join("dest");
        std::fs::create_dir(&dest).unwrap();
        let other = 2_000_000;
        restore(&archive, other, &[("root", dir_fd(&dest).as_fd()), ("tmp", dir_fd(&dest).as_fd())]).unwrap();
        let a = dest.join("home/user/a");
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "hello");
        let meta = std::fs::metadata(&a).unwrap();
        assert_eq!((meta.uid(), meta.gid(), meta.mode() & 0o7777), (other + 1000, other + 1000, 0o4750));
        assert_eq!(rustix::fs::getxattr(&a, "user.e2b.k", &mut [0u8; 8]).unwrap(), 1);
        assert_eq!(std::fs::read_link(dest.join("link")).unwrap(), Path::new("/etc/passwd"));
        let gone = std::fs::symlink_metadata(dest.join("gone")).unwrap();
        assert!(std::os::unix::fs::FileTypeExt::is_char_device(&gone.file_type()) && gone.rdev() == 0);
        assert!(!dest.join("skipped").exists(), "left out");
        // Someone else's range maps to nobody.
        assert_eq!(relative(5, base), OVERFLOW_ID);
    }
}
