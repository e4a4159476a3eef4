//! A sandbox's root filesystem: a size-limited tmpfs (the sandbox's own writable files, gone with
//! it) holding mount points, the host's system directories bound read-only, the sandbox's own
//! passwd/group/hosts, and envd. Prepared in the server's private mount namespace, before the
//! runtime makes the sandbox's namespaces from it.

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

use rustix::mount::{MountFlags, MountPropagationFlags, UnmountFlags};

/// Host directories shown read-only inside every sandbox.
pub const SYSTEM_DIRS: &[&str] = &["/usr", "/etc", "/opt"];
/// Merged-/usr links recreated inside.
pub const SYSTEM_LINKS: &[&str] = &["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];
/// Where envd lives inside a sandbox.
pub const ENVD_PATH: &str = "/run/e2b/envd";

/// What a root filesystem is made of.
pub struct Plan<'a> {
    /// Host uid of the sandbox's root.
    pub root_id: u32,
    /// The sandbox user's uid inside.
    pub user_id: u32,
    pub user_name: &'a str,
    /// Size of the tmpfs.
    pub bytes: u64,
    /// The executable to run as envd (the server's own).
    pub envd: &'a Path,
    /// Host paths to hide if they fall inside a system directory (the server's data).
    pub hide: &'a [PathBuf],
}

/// Binds `source` at `target` (with what is mounted below it), then makes the bind read-only.
fn bind_read_only(source: &Path, target: &Path) -> std::io::Result<()> {
    rustix::mount::mount_bind_recursive(source, target)?;
    let flags = MountFlags::BIND | MountFlags::RDONLY | MountFlags::NOSUID | MountFlags::NODEV;
    rustix::mount::mount_remount(target, flags, "")?;
    Ok(())
}

/// The files of `/etc` that a sandbox sees as its own.
pub fn etc_files(plan: &Plan<'_>) -> [(&'static str, String); 4] {
    let (id, name) = (plan.user_id, plan.user_name);
    [
        ("passwd", format!("root:x:0:0:root:/root:/bin/bash\n{name}:x:{id}:{id}:{name}:/home/{name}:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n")),
        ("group", format!("root:x:0:\ntty:x:5:\n{name}:x:{id}:\nnogroup:x:65534:\n")),
        ("hosts", "127.0.0.1\tlocalhost e2b\n::1\tlocalhost ip6-localhost ip6-loopback\n".to_string()),
        ("hostname", "e2b\n".to_string()),
    ]
}

/// Adds what was being done to an error.
fn doing<T>(what: impl std::fmt::Display, r: std::io::Result<T>) -> std::io::Result<T> {
    r.map_err(|e| std::io::Error::new(e.kind(), format!("{what}: {e}")))
}

/// Mounts and fills the root filesystem at `dir` (an empty directory).
pub fn prepare(dir: &Path, plan: &Plan<'_>) -> std::io::Result<()> {
    doing("preparing the root filesystem", fill(dir, plan))
}

fn fill(dir: &Path, plan: &Plan<'_>) -> std::io::Result<()> {
    let options = format!("size={},mode=755,uid={id},gid={id}", plan.bytes, id = plan.root_id);
    let options = std::ffi::CString::new(options).expect("no NUL");
    let flags = MountFlags::NOSUID | MountFlags::NODEV;
    doing("tmpfs", rustix::mount::mount("tmpfs", dir, "tmpfs", flags, options.as_c_str()).map_err(Into::into))?;
    // Nothing mounted in this tree may propagate anywhere.
    doing("private", rustix::mount::mount_change(dir, MountPropagationFlags::PRIVATE).map_err(Into::into))?;
    let own = |p: &Path, id: u32, mode: u32| -> std::io::Result<()> {
        std::os::unix::fs::chown(p, Some(id), Some(id))?;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode))
    };
    let home = format!("home/{}", plan.user_name);
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
        ("run/e2b/etc", plan.root_id, 0o755),
        ("var", plan.root_id, 0o755),
        ("var/tmp", plan.root_id, 0o1777),
        ("var/log", plan.root_id, 0o755),
        ("var/cache", plan.root_id, 0o755),
        ("var/lib", plan.root_id, 0o755),
    ] {
        let p = dir.join(d);
        std::fs::create_dir_all(&p)?;
        own(&p, id, mode)?;
    }
    for link in SYSTEM_LINKS {
        if let Ok(target) = std::fs::read_link(link) {
            let at = dir.join(&link[1..]);
            std::os::unix::fs::symlink(target, &at)?;
            let _ = rustix::fs::chownat(
                rustix::fs::CWD,
                &at,
                Some(rustix::fs::Uid::from_raw(plan.root_id)),
                Some(rustix::fs::Gid::from_raw(plan.root_id)),
                rustix::fs::AtFlags::SYMLINK_NOFOLLOW,
            );
        }
    }
    for d in SYSTEM_DIRS {
        if Path::new(d).is_dir() {
            let at = dir.join(&d[1..]);
            std::fs::create_dir_all(&at)?;
            doing(d, bind_read_only(Path::new(d), &at))?;
        }
    }
    for hidden in plan.hide {
        if SYSTEM_DIRS.iter().any(|d| hidden.starts_with(d)) {
            let at = dir.join(hidden.strip_prefix("/").unwrap_or(hidden));
            rustix::mount::mount(
                "tmpfs",
                &at,
                "tmpfs",
                MountFlags::RDONLY | MountFlags::NOSUID | MountFlags::NODEV,
                c"size=4k,mode=000",
            )?;
        }
    }
    for (name, text) in etc_files(plan) {
        let file = dir.join("run/e2b/etc").join(name);
        std::fs::write(&file, text)?;
        own(&file, plan.root_id, 0o644)?;
        let over = dir.join("etc").join(name);
        if over.exists() {
            doing(name, rustix::mount::mount_bind(&file, &over).map_err(Into::into))?;
        }
    }
    let envd = dir.join(&ENVD_PATH[1..]);
    std::fs::write(&envd, b"")?;
    doing("envd", bind_read_only(plan.envd, &envd))?;
    rustix::mount::mount_change(dir, MountPropagationFlags::PRIVATE | MountPropagationFlags::REC)?;
    Ok(())
}

/// Unmounts a root filesystem (and everything below it).
pub fn release(dir: &Path) {
    let _ = rustix::mount::unmount(dir, UnmountFlags::DETACH);
}
