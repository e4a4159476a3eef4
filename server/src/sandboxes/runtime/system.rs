//! A sandbox's writable system: each host system directory (`/usr`, `/etc`, `/opt`) is an overlay
//! mounted by the server, whose lower layer is an idmapped clone of the host directory (host ids
//! 0–65535 read as the sandbox's own, so host root's files are its root's, and a copy-up keeps
//! them so) and whose upper and work directories live in the sandbox's own files: bounded with
//! them, gone with them unless a snapshot keeps them. The host is never written.
//!
//! Host entries that others may not read (`/etc/shadow`, private keys, …) would become readable
//! to the sandbox's root through the mapping: each is hidden by an overlay whiteout in the upper
//! layer, so that the sandbox sees it absent (and may make its own). They are found once, by a
//! scan of the host directories when the server starts.

use std::os::fd::BorrowedFd;
use std::os::unix::ffi::OsStrExt as _;
use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};

use rustix::fs::{FileType, Mode, CWD};
use rustix::mount::{MountFlags, MoveMountFlags, UnmountFlags};

use super::attach::idmapped_tree;
use super::oci::ID_RANGE;

/// Host entries hidden from sandboxes, by absolute path.
#[derive(Debug, Clone, Default)]
pub struct Hidden {
    paths: Vec<PathBuf>,
}

impl Hidden {
    /// Scans `dirs` for entries others may not read (not entering those, nor other filesystems);
    /// `also` are hidden too.
    pub fn scan(dirs: &[&str], also: &[PathBuf]) -> Self {
        let mut paths: Vec<PathBuf> = dirs.iter().flat_map(|d| unreadable(Path::new(d))).collect();
        paths.extend(also.iter().filter(|p| dirs.iter().any(|d| p.starts_with(d))).cloned());
        Self { paths }
    }

    /// The hidden entries below `dir`, relative to it.
    pub fn under<'a>(&'a self, dir: &'a Path) -> impl Iterator<Item = &'a Path> + 'a {
        self.paths.iter().filter_map(move |p| p.strip_prefix(dir).ok()).filter(|p| !p.as_os_str().is_empty())
    }
}

/// Entries below `top` that others may not read (directories: list and enter), found by a few
/// threads sharing a stack of directories still to read.
fn unreadable(top: &Path) -> Vec<PathBuf> {
    let Ok(dev) = std::fs::metadata(top).map(|m| m.dev()) else { return Vec::new() };
    let work = std::sync::Mutex::new(vec![top.to_path_buf()]);
    let found = std::sync::Mutex::new(Vec::new());
    // Directories in flight: a thread that finds the stack empty waits while others may add.
    let busy = std::sync::atomic::AtomicUsize::new(0);
    let threads = 2;
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let next = {
                    let mut stack = work.lock().unwrap();
                    let next = stack.pop();
                    if next.is_some() {
                        busy.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
                    }
                    next
                };
                let Some(dir) = next else {
                    if busy.load(std::sync::atomic::Ordering::Acquire) == 0 {
                        return;
                    }
                    std::thread::yield_now();
                    continue;
                };
                let (subdirs, hidden) = read_one(&dir, dev);
                work.lock().unwrap().extend(subdirs);
                if !hidden.is_empty() {
                    found.lock().unwrap().extend(hidden);
                }
                busy.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
            });
        }
    });
    let mut found = found.into_inner().unwrap();
    found.sort();
    found
}

/// The readable subdirectories of `dir` on device `dev`, and its entries others may not read.
fn read_one(dir: &Path, dev: u64) -> (Vec<PathBuf>, Vec<PathBuf>) {
    use rustix::fs::{AtFlags, OFlags};
    let (mut subdirs, mut hidden) = (Vec::new(), Vec::new());
    let Ok(fd) =
        rustix::fs::open(dir, OFlags::DIRECTORY | OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC, Mode::empty())
    else {
        return (subdirs, hidden);
    };
    let Ok(entries) = rustix::fs::Dir::read_from(&fd) else { return (subdirs, hidden) };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name.to_bytes() == b"." || name.to_bytes() == b".." || entry.file_type() == FileType::Symlink {
            continue;
        }
        let Ok(stat) = rustix::fs::statat(&fd, name, AtFlags::SYMLINK_NOFOLLOW) else { continue };
        let kind = FileType::from_raw_mode(stat.st_mode);
        if kind == FileType::Symlink || stat.st_dev != dev {
            continue;
        }
        let path = dir.join(std::ffi::OsStr::from_bytes(name.to_bytes()));
        let is_dir = kind == FileType::Directory;
        let mode = stat.st_mode;
        if if is_dir { mode & 0o005 != 0o005 } else { mode & 0o004 == 0 } {
            hidden.push(path);
        } else if is_dir {
            subdirs.push(path);
        }
    }
    (subdirs, hidden)
}

/// The host id a sandbox in the range from `base` sees host id `id` as (through the mapping).
fn mapped(id: u32, base: u32) -> u32 {
    base + if id < ID_RANGE { id } else { 65534 }
}

/// What the upper layer of one system directory starts with.
pub struct Upper<'a> {
    /// The host directory.
    pub host: &'a Path,
    /// Its upper directory.
    pub dir: &'a Path,
    /// First host id of the sandbox's range.
    pub base: u32,
    /// Entries to hide, relative to `host`.
    pub hidden: Vec<&'a Path>,
    /// Files the sandbox gets as its own (relative path, contents), owned by its root.
    pub files: Vec<(PathBuf, String)>,
    /// Symlinks the sandbox gets (relative path, target).
    pub links: Vec<(PathBuf, PathBuf)>,
}

/// Fills an upper directory (making it if absent). Nothing there already is replaced: an upper
/// layer restored from a snapshot keeps what the sandbox made of it.
pub fn prepare_upper(u: &Upper<'_>) -> std::io::Result<()> {
    if std::fs::symlink_metadata(u.dir).is_err() {
        std::fs::create_dir(u.dir)?;
        mirror(u.host, u.dir, u.base)?;
    }
    for rel in &u.hidden {
        if let Some(at) = place(u, rel)? {
            rustix::fs::mknodat(CWD, &at, FileType::CharacterDevice, Mode::empty(), 0)?;
        }
    }
    for (rel, text) in &u.files {
        if let Some(at) = place(u, rel)? {
            std::fs::write(&at, text)?;
            std::os::unix::fs::chown(&at, Some(u.base), Some(u.base))?;
            std::fs::set_permissions(&at, std::fs::Permissions::from_mode(0o644))?;
        }
    }
    for (rel, target) in &u.links {
        if let Some(at) = place(u, rel)? {
            std::os::unix::fs::symlink(target, &at)?;
            std::os::unix::fs::lchown(&at, Some(u.base), Some(u.base))?;
        }
    }
    Ok(())
}

/// Where `rel` goes in the upper layer, its parents made as the host has them; `None` when
/// something is there already, or when a parent is not a plain directory on the host.
fn place(u: &Upper<'_>, rel: &Path) -> std::io::Result<Option<PathBuf>> {
    let at = u.dir.join(rel);
    if std::fs::symlink_metadata(&at).is_ok() {
        return Ok(None);
    }
    let mut host = u.host.to_path_buf();
    let mut upper = u.dir.to_path_buf();
    for part in rel.parent().into_iter().flat_map(|p| p.components()) {
        host.push(part);
        upper.push(part);
        match std::fs::symlink_metadata(&host) {
            Ok(m) if m.is_dir() => {}
            _ => return Ok(None),
        }
        if std::fs::symlink_metadata(&upper).is_err() {
            std::fs::create_dir(&upper)?;
            mirror(&host, &upper, u.base)?;
        }
    }
    Ok(Some(at))
}

/// Gives `upper` the owner (mapped) and mode of the host directory `host`: a merged directory
/// shows its upper directory's attributes.
fn mirror(host: &Path, upper: &Path, base: u32) -> std::io::Result<()> {
    let meta = std::fs::metadata(host)?;
    std::os::unix::fs::chown(upper, Some(mapped(meta.uid(), base)), Some(mapped(meta.gid(), base)))?;
    std::fs::set_permissions(upper, std::fs::Permissions::from_mode(meta.mode() & 0o7777))
}

/// Mounts at `target` the overlay of `host` (idmapped through `user_ns`, attached at `attach` for
/// as long as the mount takes) under `upper`, with `work` as overlayfs' work directory.
pub fn mount(
    host: &Path,
    user_ns: BorrowedFd<'_>,
    attach: &Path,
    upper: &Path,
    work: &Path,
    target: &Path,
) -> std::io::Result<()> {
    let tree = idmapped_tree(host, user_ns)?;
    std::fs::create_dir_all(attach)?;
    rustix::mount::move_mount(&tree, "", CWD, attach, MoveMountFlags::MOVE_MOUNT_F_EMPTY_PATH)?;
    let options = format!(
        "lowerdir={},upperdir={},workdir={},redirect_dir=off,index=off,metacopy=off",
        attach.display(),
        upper.display(),
        work.display()
    );
    let options = std::ffi::CString::new(options)?;
    let mounted =
        rustix::mount::mount("overlay", target, "overlay", MountFlags::NOSUID | MountFlags::NODEV, options.as_c_str());
    // The overlay holds its own clone of the layer: the attachment is no longer needed.
    let _ = rustix::mount::unmount(attach, UnmountFlags::DETACH);
    let _ = std::fs::remove_dir(attach);
    Ok(mounted?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_entries_are_found_without_entering_them() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("ssl/private")).unwrap();
        std::fs::write(d.join("ssl/private/key"), "k").unwrap();
        std::fs::write(d.join("shadow"), "s").unwrap();
        std::fs::write(d.join("passwd"), "p").unwrap();
        std::fs::set_permissions(d.join("ssl/private"), std::fs::Permissions::from_mode(0o700)).unwrap();
        std::fs::set_permissions(d.join("shadow"), std::fs::Permissions::from_mode(0o640)).unwrap();
        std::fs::set_permissions(d.join("passwd"), std::fs::Permissions::from_mode(0o644)).unwrap();
        let found = unreadable(d);
        assert_eq!(found, vec![d.join("shadow"), d.join("ssl/private")]);
        let top = d.to_str().unwrap();
        let hidden = Hidden::scan(&[top], &[d.join("data"), PathBuf::from("/elsewhere")]);
        let rel: Vec<&Path> = hidden.under(d).collect();
        assert_eq!(rel, vec![Path::new("shadow"), Path::new("ssl/private"), Path::new("data")]);
    }

    #[test]
    fn an_upper_layer_hides_and_adds_without_replacing() {
        if !rustix::process::geteuid().is_root() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let (host, upper) = (dir.path().join("host"), dir.path().join("upper"));
        std::fs::create_dir_all(host.join("ssl/private")).unwrap();
        std::fs::create_dir_all(host.join("bin")).unwrap();
        std::os::unix::fs::symlink("bin", host.join("sbin")).unwrap();
        let base = 4_000_000;
        let u = Upper {
            host: &host,
            dir: &upper,
            base,
            hidden: vec![Path::new("ssl/private"), Path::new("sbin/x")],
            files: vec![(PathBuf::from("passwd"), "root:x:0:0::/root:/bin/bash\n".into())],
            links: vec![(PathBuf::from("bin/sudo"), PathBuf::from("/run/e2b/envd"))],
        };
        prepare_upper(&u).unwrap();
        let whiteout = std::fs::symlink_metadata(upper.join("ssl/private")).unwrap();
        assert!(std::os::unix::fs::FileTypeExt::is_char_device(&whiteout.file_type()) && whiteout.rdev() == 0);
        let ssl = std::fs::metadata(upper.join("ssl")).unwrap();
        assert_eq!(ssl.uid(), base + std::fs::metadata(host.join("ssl")).unwrap().uid());
        assert!(!upper.join("sbin").exists(), "nothing is made below a host symlink");
        assert_eq!(std::fs::read_link(upper.join("bin/sudo")).unwrap(), Path::new("/run/e2b/envd"));
        assert_eq!(std::fs::metadata(upper.join("passwd")).unwrap().uid(), base);
        // A second pass (a restored layer) keeps what is there.
        std::fs::write(upper.join("passwd"), "changed").unwrap();
        prepare_upper(&u).unwrap();
        assert_eq!(std::fs::read_to_string(upper.join("passwd")).unwrap(), "changed");
    }
}
