//! A sandbox's root filesystem. Its own files live in a size-limited tmpfs (`disk`, gone with it):
//! `disk/root` is its `/` — its own directories, mount points, merged-/usr links, envd, and its
//! `/tmp` (a tmpfs of its own) — and `disk/layers` holds the upper layers of its writable system
//! (`system`), out of its sight.
//! A snapshot's archive may seed the disk before anything else is made. Prepared in the server's
//! private mount namespace, before the runtime makes the sandbox's namespaces from it.

use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

use rustix::fs::{Mode, OFlags};
use rustix::mount::{MountFlags, MountPropagationFlags, UnmountFlags};

use super::system::{self, Hidden, Upper};

/// Host directories every sandbox has as its own writable copy.
pub const SYSTEM_DIRS: &[&str] = &["/usr", "/etc", "/opt"];
/// Merged-/usr links recreated inside.
pub const SYSTEM_LINKS: &[&str] = &["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];
/// Where envd lives inside a sandbox.
pub const ENVD_PATH: &str = "/run/e2b/envd";
/// Where `sudo` is inside a sandbox: envd's binary, run under that name.
pub const SUDO_PATH: &str = "usr/bin/sudo";
/// The sandbox's `/`, in the bundle.
pub const ROOT: &str = "disk/root";

/// What a root filesystem is made of.
pub struct Plan<'a> {
    /// Host uid of the sandbox's root.
    pub root_id: u32,
    /// The sandbox user's uid inside.
    pub user_id: u32,
    pub user_name: &'a str,
    /// Size of the sandbox's own files.
    pub bytes: u64,
    /// Size of its `/tmp`.
    pub tmp_bytes: u64,
    /// The executable to run as envd (the server's own).
    pub envd: &'a Path,
    /// A user namespace mapping ids 0–65535 to the sandbox's range.
    pub user_ns: BorrowedFd<'a>,
    /// Host entries to hide.
    pub hidden: &'a Hidden,
    /// An archive of files to start from (a snapshot's).
    pub seed: Option<&'a Path>,
}

/// The tmpfs holding a sandbox's own files.
pub fn disk_of(bundle: &Path) -> PathBuf {
    bundle.join("disk")
}

/// Binds `source` at `target`, then makes the bind read-only.
fn bind_read_only(source: &Path, target: &Path) -> std::io::Result<()> {
    rustix::mount::mount_bind(source, target)?;
    let flags = MountFlags::BIND | MountFlags::RDONLY | MountFlags::NOSUID | MountFlags::NODEV;
    rustix::mount::mount_remount(target, flags, "")?;
    Ok(())
}

/// The files of `/etc` that a sandbox starts with as its own.
pub fn etc_files(plan: &Plan<'_>) -> [(&'static str, String); 4] {
    let (id, name) = (plan.user_id, plan.user_name);
    [
        ("passwd", format!("root:x:0:0:root:/root:/bin/bash\n{name}:x:{id}:{id}:{name}:/home/{name}:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n")),
        ("group", format!("root:x:0:\ntty:x:5:\nsudo:x:27:{name}\n{name}:x:{id}:\nnogroup:x:65534:\n")),
        ("hosts", "127.0.0.1\tlocalhost e2b\n::1\tlocalhost ip6-localhost ip6-loopback\n".to_string()),
        ("hostname", "e2b\n".to_string()),
    ]
}

/// Adds what was being done to an error.
fn doing<T>(what: impl std::fmt::Display, r: std::io::Result<T>) -> std::io::Result<T> {
    r.map_err(|e| std::io::Error::new(e.kind(), format!("{what}: {e}")))
}

/// Mounts and fills the root filesystem of the bundle at `bundle`.
pub fn prepare(bundle: &Path, plan: &Plan<'_>) -> std::io::Result<()> {
    doing("preparing the root filesystem", fill(bundle, plan))
}

fn fill(bundle: &Path, plan: &Plan<'_>) -> std::io::Result<()> {
    let disk = disk_of(bundle);
    std::fs::create_dir(&disk)?;
    // Searchable, not readable: the sandbox's root passes through to its `/`.
    let options = std::ffi::CString::new(format!("size={},mode=711,uid=0,gid=0", plan.bytes)).expect("no NUL");
    let flags = MountFlags::NOSUID | MountFlags::NODEV;
    doing("tmpfs", rustix::mount::mount("tmpfs", &disk, "tmpfs", flags, options.as_c_str()).map_err(Into::into))?;
    // Nothing mounted in this tree may propagate anywhere.
    doing("private", rustix::mount::mount_change(&disk, MountPropagationFlags::PRIVATE).map_err(Into::into))?;
    let (root, layers) = (disk.join("root"), disk.join("layers"));
    for (d, mode) in [(&root, 0o755), (&layers, 0o700)] {
        std::fs::create_dir(d)?;
        std::fs::set_permissions(d, std::fs::Permissions::from_mode(mode))?;
    }
    std::os::unix::fs::chown(&root, Some(plan.root_id), Some(plan.root_id))?;
    // `/tmp` is a tmpfs of its own, mounted here (not by the runtime inside the sandbox's user
    // namespace) so that the server may fill it from a snapshot and read it for one.
    let tmp = root.join("tmp");
    std::fs::create_dir(&tmp)?;
    let options = format!("size={},mode=1777,uid={id},gid={id}", plan.tmp_bytes, id = plan.root_id);
    let options = std::ffi::CString::new(options).expect("no NUL");
    doing("/tmp", rustix::mount::mount("tmpfs", &tmp, "tmpfs", flags, options.as_c_str()).map_err(Into::into))?;
    if let Some(seed) = plan.seed {
        let open = |p: &Path| rustix::fs::open(p, OFlags::DIRECTORY | OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty());
        let (root_fd, layers_fd, tmp_fd) = (open(&root)?, open(&layers)?, open(&tmp)?);
        let trees = [("root", root_fd.as_fd()), ("layers", layers_fd.as_fd()), ("tmp", tmp_fd.as_fd())];
        doing("restoring the snapshot", super::archive::restore(seed, plan.root_id, &trees))?;
    }
    let own = |p: &Path, id: u32, mode: u32| -> std::io::Result<()> {
        std::os::unix::fs::chown(p, Some(id), Some(id))?;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode))
    };
    let home = format!("home/{}", plan.user_name);
    // What a snapshot brought stays as it was; what is missing is made.
    for (d, id, mode) in [
        ("proc", plan.root_id, 0o555),
        ("dev", plan.root_id, 0o755),
        ("sys", plan.root_id, 0o555),
        ("tmp", plan.root_id, 0o1777),
        ("root", plan.root_id, 0o700),
        ("home", plan.root_id, 0o755),
        (home.as_str(), plan.root_id + plan.user_id, 0o755),
        ("mnt", plan.root_id, 0o755),
        ("run", plan.root_id, 0o755),
        ("run/e2b", plan.root_id, 0o755),
        ("var", plan.root_id, 0o755),
        ("var/tmp", plan.root_id, 0o1777),
        ("var/log", plan.root_id, 0o755),
        ("var/cache", plan.root_id, 0o755),
        ("var/lib", plan.root_id, 0o755),
    ] {
        let p = root.join(d);
        if std::fs::symlink_metadata(&p).is_err() {
            std::fs::create_dir(&p)?;
            own(&p, id, mode)?;
        }
    }
    for link in SYSTEM_LINKS {
        let at = root.join(&link[1..]);
        if let (Ok(target), Err(_)) = (std::fs::read_link(link), std::fs::symlink_metadata(&at)) {
            std::os::unix::fs::symlink(target, &at)?;
            std::os::unix::fs::lchown(&at, Some(plan.root_id), Some(plan.root_id))?;
        }
    }
    for d in SYSTEM_DIRS {
        let host = Path::new(d);
        if !host.is_dir() {
            continue;
        }
        let name = &d[1..];
        let (upper, work, target) = (layers.join(name).join("upper"), layers.join(name).join("work"), root.join(name));
        for dir in [layers.join(name), work.clone()] {
            std::fs::create_dir_all(&dir)?;
        }
        if std::fs::symlink_metadata(&target).is_err() {
            std::fs::create_dir(&target)?;
            own(&target, plan.root_id, 0o755)?;
        }
        let files = if *d == "/etc" {
            etc_files(plan).into_iter().map(|(n, t)| (PathBuf::from(n), t)).collect()
        } else {
            Vec::new()
        };
        let links = if *d == "/usr" {
            vec![(PathBuf::from(SUDO_PATH.trim_start_matches("usr/")), PathBuf::from(ENVD_PATH))]
        } else {
            Vec::new()
        };
        let layer =
            Upper { host, dir: &upper, base: plan.root_id, hidden: plan.hidden.under(host).collect(), files, links };
        doing(d, system::prepare_upper(&layer))?;
        let attach = bundle.join("lower").join(name);
        doing(d, system::mount(host, plan.user_ns, &attach, &upper, &work, &target))?;
    }
    let _ = std::fs::remove_dir(bundle.join("lower"));
    let envd = root.join(&ENVD_PATH[1..]);
    std::fs::write(&envd, b"")?;
    doing("envd", bind_read_only(plan.envd, &envd))?;
    rustix::mount::mount_change(&disk, MountPropagationFlags::PRIVATE | MountPropagationFlags::REC)?;
    Ok(())
}

/// Unmounts a sandbox's files (and everything mounted below them).
pub fn release(bundle: &Path) {
    let _ = rustix::mount::unmount(disk_of(bundle), UnmountFlags::DETACH);
}
