//! Volumes mounted into a running sandbox: an idmapped clone of the volume's directory (so owners
//! read the same inside as through the volume API), placed at its path inside the sandbox's mount
//! namespace by a short-lived helper process (entering a mount namespace needs a single-threaded
//! process).

use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::os::unix::process::CommandExt as _;
use std::path::Path;

use rustix::fs::{Mode, OFlags, CWD};
use rustix::mount::{MoveMountFlags, OpenTreeFlags};

/// Descriptor numbers the helper finds its inputs at.
const MOUNT_NS_FD: i32 = 3;
const TREE_FD: i32 = 4;

/// A detached copy of `dir` whose owners are mapped through `user_ns`'s id mapping, `nosuid` and `nodev`.
pub fn idmapped_tree(dir: &Path, user_ns: BorrowedFd<'_>) -> std::io::Result<OwnedFd> {
    let tree = rustix::mount::open_tree(CWD, dir, OpenTreeFlags::OPEN_TREE_CLONE | OpenTreeFlags::OPEN_TREE_CLOEXEC)?;
    let attr = libc::mount_attr {
        attr_set: libc::MOUNT_ATTR_IDMAP | libc::MOUNT_ATTR_NOSUID | libc::MOUNT_ATTR_NODEV,
        attr_clr: 0,
        propagation: 0,
        userns_fd: user_ns.as_raw_fd() as u64,
    };
    // SAFETY: mount_setattr reads `size` bytes of `attr`, which lives across the call; the path is a
    // NUL-terminated empty string with AT_EMPTY_PATH.
    let r = unsafe {
        libc::syscall(
            libc::SYS_mount_setattr,
            tree.as_raw_fd(),
            c"".as_ptr(),
            libc::AT_EMPTY_PATH,
            &attr as *const libc::mount_attr,
            std::mem::size_of::<libc::mount_attr>(),
        )
    };
    if r != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(tree)
}

/// Mounts `tree` at `target` inside the mount namespace `mount_ns`, creating missing directories
/// owned by `owner` (the sandbox's root, as a host uid).
pub async fn attach(
    helper: &Path,
    mount_ns: BorrowedFd<'_>,
    tree: OwnedFd,
    target: &str,
    owner: u32,
) -> std::io::Result<()> {
    // Out of the way of the numbers they are moved to in the child.
    let ns = rustix::io::fcntl_dupfd_cloexec(mount_ns, 10)?;
    let tree = rustix::io::fcntl_dupfd_cloexec(&tree, 10)?;
    let mut cmd = tokio::process::Command::new(helper);
    cmd.arg("mount-into").arg(target).arg(owner.to_string());
    cmd.env_clear().stdin(std::process::Stdio::null()).stdout(std::process::Stdio::null());
    let (ns_raw, tree_raw) = (ns.as_raw_fd(), tree.as_raw_fd());
    // SAFETY: only dup2 (async-signal-safe) runs between fork and exec.
    unsafe {
        cmd.as_std_mut().pre_exec(move || {
            if libc::dup2(ns_raw, MOUNT_NS_FD) < 0 || libc::dup2(tree_raw, TREE_FD) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.stderr(std::process::Stdio::piped());
    let child = super::reaper::spawn(&mut cmd)?;
    let pid = child.id();
    let out = child.wait_with_output().await;
    super::reaper::waited(pid);
    let out = out?;
    drop((ns, tree));
    if out.status.success() {
        Ok(())
    } else {
        Err(std::io::Error::other(format!("cannot mount at {target}: {}", String::from_utf8_lossy(&out.stderr).trim())))
    }
}

/// The helper: enters the mount namespace, makes the mount point, moves the tree there.
pub fn helper_main(target: &str, owner: u32) -> std::io::Result<()> {
    // SAFETY: the descriptors were placed at these numbers by `attach` and are owned by this process.
    let (ns, tree) = unsafe {
        use std::os::fd::FromRawFd;
        (OwnedFd::from_raw_fd(MOUNT_NS_FD), OwnedFd::from_raw_fd(TREE_FD))
    };
    rustix::thread::move_into_link_name_space(ns.as_fd(), Some(rustix::thread::LinkNameSpaceType::Mount))?;
    make_dirs(target, owner)?;
    rustix::mount::move_mount(tree.as_fd(), "", CWD, target, MoveMountFlags::MOVE_MOUNT_F_EMPTY_PATH)?;
    Ok(())
}

/// `mkdir -p`, giving what it creates to `owner`.
fn make_dirs(target: &str, owner: u32) -> std::io::Result<()> {
    let mut dir = rustix::fs::open("/", OFlags::DIRECTORY | OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())?;
    for part in target.split('/').filter(|p| !p.is_empty()) {
        match rustix::fs::mkdirat(&dir, part, Mode::from_raw_mode(0o755)) {
            Ok(()) => {
                let id = Some(rustix::fs::Uid::from_raw(owner));
                rustix::fs::chownat(
                    &dir,
                    part,
                    id,
                    Some(rustix::fs::Gid::from_raw(owner)),
                    rustix::fs::AtFlags::SYMLINK_NOFOLLOW,
                )?;
            }
            Err(rustix::io::Errno::EXIST) => {}
            Err(e) => return Err(e.into()),
        }
        dir = rustix::fs::openat(
            &dir,
            part,
            OFlags::DIRECTORY | OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
        )?;
    }
    Ok(())
}
