//! Pseudo-terminals for `Start` with `pty`: the process runs on the terminal's user side as a new
//! session's leader with it as its controlling terminal (so it sees a TTY, gets SIGWINCH on resize
//! and job control works); envd reads and writes the other side, without blocking.

use std::io;
use std::os::fd::{AsFd, OwnedFd};

use rustix::fs::OFlags;
use rustix::pty::OpenptFlags;
use rustix::termios::Winsize;
use tokio::io::unix::AsyncFd;
use tokio::process::Command;

/// envd's side of a pseudo-terminal.
pub struct Terminal {
    master: AsyncFd<OwnedFd>,
    /// Input from several calls is written whole, one after the other.
    writing: tokio::sync::Mutex<()>,
}

impl Terminal {
    /// Opens a terminal of `cols` × `rows`; returns it with its user side, for the process.
    pub fn open(cols: u16, rows: u16) -> io::Result<(Self, OwnedFd)> {
        let flags = OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC;
        let master = rustix::pty::openpt(flags)?;
        rustix::pty::grantpt(&master)?;
        rustix::pty::unlockpt(&master)?;
        // The user side by descriptor, not by a /dev/pts name someone could swap.
        let user_side = rustix::pty::ioctl_tiocgptpeer(&master, flags)?;
        rustix::termios::tcsetwinsize(&master, winsize(cols, rows))?;
        let status = rustix::fs::fcntl_getfl(&master)?;
        rustix::fs::fcntl_setfl(&master, status | OFlags::NONBLOCK)?;
        // SAFETY: the descriptor is owned here and registered once.
        let master = unsafe { AsyncFd::register(master)? };
        Ok((Self { master, writing: tokio::sync::Mutex::new(()) }, user_side))
    }

    /// Reads output; 0 once no process has the terminal open any more.
    pub async fn read(&self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let mut ready = self.master.readable().await?;
            match ready.try_io(|fd| read_now(fd.get_ref(), buf)) {
                Ok(result) => return result,
                Err(_would_block) => continue,
            }
        }
    }

    /// Reads what output is there right now: `None` when there is none yet.
    pub fn read_ready(&self, buf: &mut [u8]) -> io::Result<Option<usize>> {
        match read_now(self.master.get_ref(), buf) {
            Ok(n) => Ok(Some(n)),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Writes all of `data` as the terminal's input.
    pub async fn write_all(&self, mut data: &[u8]) -> io::Result<()> {
        let _turn = self.writing.lock().await;
        while !data.is_empty() {
            let mut ready = self.master.writable().await?;
            match ready.try_io(|fd| Ok(rustix::io::write(fd.get_ref(), data)?)) {
                Ok(Ok(n)) => data = &data[n..],
                Ok(Err(e)) => return Err(e),
                Err(_would_block) => continue,
            }
        }
        Ok(())
    }

    /// Gives the terminal a new size (its foreground process group gets SIGWINCH).
    pub fn resize(&self, cols: u16, rows: u16) -> io::Result<()> {
        Ok(rustix::termios::tcsetwinsize(self.master.get_ref(), winsize(cols, rows))?)
    }
}

/// One read; end of output (the kernel's EIO once the user side is closed everywhere) reads as 0.
fn read_now(fd: impl AsFd, buf: &mut [u8]) -> io::Result<usize> {
    match rustix::io::read(fd, buf) {
        Ok(n) => Ok(n),
        Err(rustix::io::Errno::IO) => Ok(0),
        Err(e) => Err(e.into()),
    }
}

fn winsize(cols: u16, rows: u16) -> Winsize {
    Winsize { ws_row: rows, ws_col: cols, ws_xpixel: 0, ws_ypixel: 0 }
}

/// Makes `cmd` run on the terminal whose user side is `user_side`: as its stdin, stdout and
/// stderr, in a session of its own whose controlling terminal it is.
pub fn attach(cmd: &mut Command, user_side: OwnedFd) -> io::Result<()> {
    cmd.stdin(user_side.try_clone()?).stdout(user_side.try_clone()?).stderr(user_side);
    // SAFETY: between fork and exec the closure makes two system calls and allocates nothing.
    unsafe {
        cmd.pre_exec(|| {
            rustix::process::setsid()?;
            rustix::process::ioctl_tiocsctty(std::os::fd::BorrowedFd::borrow_raw(0))?;
            Ok(())
        });
    }
    Ok(())
}
