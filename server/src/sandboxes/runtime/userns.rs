//! User namespaces made only to carry an id mapping, which an idmapped mount takes its mapping
//! from: a short-lived child enters a new user namespace, the server writes its mapping, keeps a
//! descriptor of the namespace and lets the child exit.

use std::os::fd::{AsRawFd, OwnedFd};

use rustix::fs::{Mode, OFlags};

/// A user namespace mapping ids `0..count` to host ids `first..first + count`.
pub fn mapping(first: u32, count: u32) -> std::io::Result<OwnedFd> {
    let (read, write) = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC)?;
    let (r, w) = (read.as_raw_fd(), write.as_raw_fd());
    // SAFETY: a fork-like clone; the child only calls close, read and _exit (async-signal-safe)
    // and never returns into Rust code. It cannot exit before the pipe closes, so registering it
    // afterwards is early enough.
    let pid = unsafe {
        let pid = libc::syscall(libc::SYS_clone, (libc::CLONE_NEWUSER | libc::SIGCHLD) as libc::c_ulong, 0, 0, 0, 0);
        if pid == 0 {
            libc::close(w);
            let mut byte = 0u8;
            // Waits until the server closes its end.
            while libc::read(r, &mut byte as *mut u8 as *mut libc::c_void, 1) > 0 {}
            libc::_exit(0);
        }
        if pid > 0 {
            super::reaper::register(pid as u32);
        }
        pid
    };
    if pid < 0 {
        return Err(std::io::Error::last_os_error());
    }
    drop(read);
    let result = (|| {
        let map = format!("0 {first} {count}\n");
        std::fs::write(format!("/proc/{pid}/uid_map"), &map)?;
        std::fs::write(format!("/proc/{pid}/gid_map"), &map)?;
        Ok(rustix::fs::open(format!("/proc/{pid}/ns/user"), OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())?)
    })();
    drop(write);
    if let Some(p) = rustix::process::Pid::from_raw(pid as i32) {
        let _ = rustix::process::waitpid(Some(p), rustix::process::WaitOptions::empty());
    }
    super::reaper::waited(Some(pid as u32));
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_namespace_carries_the_mapping() {
        if !rustix::process::geteuid().is_root() {
            return;
        }
        let ns = mapping(3_000_000, 65536).unwrap();
        let link = std::fs::read_link(format!("/proc/self/fd/{}", ns.as_raw_fd())).unwrap();
        assert!(link.to_string_lossy().starts_with("user:["), "{}", link.display());
    }
}
