//! `sudo` inside a sandbox. Sandbox processes have no new privileges (set-uid programs cannot
//! work there), so `sudo` is a client of envd: envd's own binary, run under the name `sudo`,
//! connects to a socket envd listens on ([`SOCKET`], open to every sandbox user, as E2B's
//! passwordless sudo is), passes its standard streams (`SCM_RIGHTS`) with the command, its
//! directory and environment; envd runs the command as the target user (root by default) on those
//! streams and sends back how it ended. Signals the client gets (Ctrl-C, `kill`) go on to the
//! command; a client that vanishes takes the command with it.
//!
//! Supported: `sudo [-u user] [-E] [-H] [-n] [VAR=value…] command [arg…]`, `sudo -i|-s [command]`,
//! `-v`, `-k`, `-K`, `-l`, `-V`, `-h`; other options are refused clearly.

use std::ffi::OsString;
use std::io::{IoSlice, IoSliceMut, Read as _, Write as _};
use std::mem::MaybeUninit;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStringExt as _;
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::ExitCode;

use rustix::net::{RecvAncillaryBuffer, RecvAncillaryMessage, RecvFlags, SendAncillaryBuffer, SendAncillaryMessage};
use serde::{Deserialize, Serialize};

/// Where envd listens for `sudo` inside a sandbox.
pub const SOCKET: &str = "/run/e2b/sudo.sock";
/// The `PATH` a command run through sudo gets (unless `-E`).
const SECURE_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/// Variables kept from the caller's environment (without `-E`).
const KEPT: &[&str] = &["TERM", "COLORTERM", "LANG", "LANGUAGE", "DISPLAY", "TZ"];
/// Signals passed on to the command.
const FORWARDED: [i32; 6] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT, libc::SIGUSR1, libc::SIGUSR2];
/// Largest request (its environment included).
const MAX_REQUEST: usize = 1 << 20;
const USAGE: &str = "usage: sudo [-u user] [-E] [-H] [-n] [-i | -s] [VAR=value...] [command [arg ...]]";

/// What the client asks envd for.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// Target user (name, or `#uid`); root when absent.
    pub user: Option<String>,
    /// `-i`: the target's login shell, in its home.
    pub login: bool,
    /// `-s`: a shell.
    pub shell: bool,
    /// `-E`: the caller's whole environment.
    pub preserve_env: bool,
    /// `-H`: `HOME` is the target's (the default too, unless `-E`).
    pub set_home: bool,
    /// `VAR=value` given before the command.
    pub assignments: Vec<(String, String)>,
    /// The command and its arguments.
    pub command: Vec<String>,
    /// The caller's working directory.
    pub cwd: String,
    /// The caller's environment.
    pub env: Vec<(String, String)>,
}

/// What the client does, from its arguments.
#[derive(Debug, PartialEq, Eq)]
enum Plan {
    Run(Request),
    /// Print this and exit with that code.
    Done(String, u8),
}

/// When this binary was started as `sudo`, runs the client and returns its exit code.
pub fn as_sudo() -> Option<ExitCode> {
    let mut args = std::env::args_os();
    let name = args.next()?;
    if Path::new(&name).file_name()? != "sudo" {
        return None;
    }
    let args: Vec<String> = args.map(|a| String::from_utf8_lossy(&a.into_vec()).into_owned()).collect();
    Some(ExitCode::from(client(&args)))
}

fn client(args: &[String]) -> u8 {
    let mut request = match parse(args) {
        Plan::Done(text, code) => {
            if code == 0 {
                print!("{text}");
            } else {
                eprintln!("{text}");
            }
            return code;
        }
        Plan::Run(request) => request,
    };
    request.cwd = std::env::current_dir().map(|d| d.to_string_lossy().into_owned()).unwrap_or_else(|_| "/".into());
    request.env = std::env::vars_os()
        .map(|(k, v)| (String::from_utf8_lossy(&k.into_vec()).into(), String::from_utf8_lossy(&v.into_vec()).into()))
        .collect();
    match run_remote(&request) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("sudo: {e}");
            1
        }
    }
}

/// Reads sudo's options.
fn parse(args: &[String]) -> Plan {
    let mut r = Request::default();
    let mut list = false;
    let mut i = 0;
    let bad = |what: String| Plan::Done(format!("sudo: {what}\n{USAGE}"), 1);
    while i < args.len() {
        let a = args[i].as_str();
        if a == "--" {
            i += 1;
            break;
        }
        if !a.starts_with('-') || a == "-" {
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            match name {
                "user" => match value.or_else(|| args.get(i + 1).cloned().inspect(|_| i += 1)) {
                    Some(u) => r.user = Some(u),
                    None => return bad("option '--user' requires an argument".into()),
                },
                "login" => r.login = true,
                "shell" => r.shell = true,
                "preserve-env" => r.preserve_env = true,
                "set-home" => r.set_home = true,
                "non-interactive" | "reset-timestamp" | "remove-timestamp" | "stdin" => {}
                "validate" => return Plan::Done(String::new(), 0),
                "list" => list = true,
                "help" => return Plan::Done(format!("{USAGE}\n"), 0),
                "version" => return Plan::Done("Sudo version 1.9 (e2b-local)\n".into(), 0),
                other => {
                    return bad(format!(
                        "unrecognized option '--{other}' (supported: -u, -i, -s, -E, -H, -n, -v, -k, -l)"
                    ))
                }
            }
            i += 1;
            continue;
        }
        let flags: Vec<char> = a[1..].chars().collect();
        let mut j = 0;
        while j < flags.len() {
            match flags[j] {
                'u' => {
                    let rest: String = flags[j + 1..].iter().collect();
                    let user = if !rest.is_empty() {
                        Some(rest)
                    } else {
                        i += 1;
                        args.get(i).cloned()
                    };
                    match user {
                        Some(u) => r.user = Some(u),
                        None => return bad("option requires an argument -- 'u'".into()),
                    }
                    j = flags.len();
                    continue;
                }
                'i' => r.login = true,
                's' => r.shell = true,
                'E' => r.preserve_env = true,
                'H' => r.set_home = true,
                'n' | 'k' | 'K' | 'S' => {}
                'v' => return Plan::Done(String::new(), 0),
                'l' => list = true,
                'h' => return Plan::Done(format!("{USAGE}\n"), 0),
                'V' => return Plan::Done("Sudo version 1.9 (e2b-local)\n".into(), 0),
                other => {
                    return bad(format!("invalid option -- '{other}' (supported: -u, -i, -s, -E, -H, -n, -v, -k, -l)"))
                }
            }
            j += 1;
        }
        i += 1;
    }
    if r.login && r.shell {
        return bad("you may not specify both the -i and -s options".into());
    }
    while let Some((name, value)) = args.get(i).and_then(|a| a.split_once('=')) {
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            break;
        }
        r.assignments.push((name.to_string(), value.to_string()));
        i += 1;
    }
    r.command = args[i..].to_vec();
    if list {
        return Plan::Done(
            "User may run the following commands on this sandbox:\n    (ALL : ALL) NOPASSWD: ALL\n".into(),
            0,
        );
    }
    if r.command.is_empty() && !r.login && !r.shell {
        return Plan::Done(USAGE.into(), 1);
    }
    Plan::Run(r)
}

/// Sends `request` with this process's standard streams to envd; returns the command's exit code.
fn run_remote(request: &Request) -> std::io::Result<u8> {
    let mut sock = UnixStream::connect(SOCKET)
        .map_err(|e| std::io::Error::new(e.kind(), format!("cannot reach envd at {SOCKET}: {e}")))?;
    let payload = serde_json::to_vec(request).map_err(std::io::Error::other)?;
    let mut framed = (payload.len() as u32).to_be_bytes().to_vec();
    framed.extend_from_slice(&payload);
    // A closed standard stream is passed as /dev/null.
    let null = std::fs::File::options().read(true).write(true).open("/dev/null")?;
    let streams: Vec<BorrowedFd<'_>> = (0..3)
        .map(|fd| {
            // SAFETY: checked open just below; borrowed only for the call.
            let borrowed = unsafe { BorrowedFd::borrow_raw(fd) };
            if rustix::io::fcntl_getfd(borrowed).is_ok() {
                borrowed
            } else {
                null.as_fd()
            }
        })
        .collect();
    let mut space = [MaybeUninit::uninit(); rustix::cmsg_space!(ScmRights(3))];
    let mut control = SendAncillaryBuffer::new(&mut space);
    control.push(SendAncillaryMessage::ScmRights(&streams));
    let sent = rustix::net::sendmsg(&sock, &[IoSlice::new(&framed)], &mut control, rustix::net::SendFlags::empty())?;
    sock.write_all(&framed[sent..])?;
    drop(null);
    let signals = SignalPipe::install()?;
    let mut reply = Vec::new();
    let mut buf = [0u8; 256];
    loop {
        use rustix::event::{PollFd, PollFlags};
        let mut fds = [PollFd::new(&sock, PollFlags::IN), PollFd::new(&signals.read, PollFlags::IN)];
        match rustix::event::poll(&mut fds, None) {
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(e.into()),
            Ok(_) => {}
        }
        let (from_envd, signalled) = (!fds[0].revents().is_empty(), fds[1].revents().contains(PollFlags::IN));
        if signalled {
            let mut sig = [0u8; 16];
            let n = rustix::io::read(&signals.read, &mut sig).unwrap_or(0);
            sock.write_all(&sig[..n])?;
        }
        if from_envd {
            let n = sock.read(&mut buf)?;
            if n == 0 {
                break;
            }
            reply.extend_from_slice(&buf[..n]);
        }
    }
    match serde_json::from_slice::<Reply>(&reply) {
        Ok(Reply { code: Some(code), .. }) => Ok(code.clamp(0, 255) as u8),
        Ok(Reply { error: Some(e), .. }) => Err(std::io::Error::other(e)),
        _ => Err(std::io::Error::other("envd ended the session without an answer")),
    }
}

/// How a session ended, as envd tells the client.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Reply {
    /// The command's exit code (128 + signal when a signal ended it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    code: Option<i32>,
    /// Why the command could not start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// The client's signals, turned into bytes on a pipe.
struct SignalPipe {
    read: OwnedFd,
}

static SIGNAL_WRITE: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(-1);

impl SignalPipe {
    fn install() -> std::io::Result<Self> {
        let (read, write) =
            rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC | rustix::pipe::PipeFlags::NONBLOCK)?;
        SIGNAL_WRITE.store(write.as_raw_fd(), std::sync::atomic::Ordering::Relaxed);
        std::mem::forget(write);
        extern "C" fn on_signal(sig: libc::c_int) {
            let fd = SIGNAL_WRITE.load(std::sync::atomic::Ordering::Relaxed);
            let byte = sig as u8;
            // SAFETY: write is async-signal-safe; the pipe lives as long as the process.
            unsafe { libc::write(fd, &byte as *const u8 as *const libc::c_void, 1) };
        }
        for sig in FORWARDED {
            // SAFETY: the handler only calls an async-signal-safe function.
            unsafe { libc::signal(sig, on_signal as *const () as libc::sighandler_t) };
        }
        Ok(Self { read })
    }
}

/// envd's side: listens at [`SOCKET`] (open to every sandbox user) and runs each session on a
/// thread of its own. Returns when the listener cannot be made.
pub async fn serve() {
    let _ = std::fs::remove_file(SOCKET);
    let listener = match tokio::net::UnixListener::bind(SOCKET) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("envd: sudo: cannot listen at {SOCKET}: {e}");
            return;
        }
    };
    let _ = std::fs::set_permissions(SOCKET, std::os::unix::fs::PermissionsExt::from_mode(0o666));
    loop {
        let Ok((stream, _)) = listener.accept().await else { continue };
        let Ok(stream) = stream.into_std() else { continue };
        std::thread::spawn(move || {
            if let Err(e) = session(stream) {
                eprintln!("envd: sudo: {e}");
            }
        });
    }
}

/// One `sudo`: reads the request and the streams, runs the command, reports its end.
fn session(mut sock: UnixStream) -> std::io::Result<()> {
    sock.set_nonblocking(false)?;
    let caller = rustix::net::sockopt::socket_peercred(&sock)?;
    let (request, streams) = receive(&sock)?;
    let reply = match start(&request, streams, caller.uid.as_raw()) {
        Ok(child) => Reply { code: Some(supervise(&mut sock, child)?), error: None },
        Err(e) => Reply { code: None, error: Some(e) },
    };
    sock.write_all(&serde_json::to_vec(&reply).map_err(std::io::Error::other)?)?;
    sock.shutdown(std::net::Shutdown::Write)?;
    // Signals sent meanwhile are read to the end: closing on unread bytes would reset the
    // connection before the client read the reply.
    sock.set_read_timeout(Some(std::time::Duration::from_secs(5)))?;
    let mut rest = [0u8; 64];
    while matches!(sock.read(&mut rest), Ok(n) if n > 0) {}
    Ok(())
}

/// Reads a length-prefixed request and the three descriptors sent with it.
fn receive(sock: &UnixStream) -> std::io::Result<(Request, Vec<OwnedFd>)> {
    let mut space = [MaybeUninit::uninit(); rustix::cmsg_space!(ScmRights(3))];
    let mut control = RecvAncillaryBuffer::new(&mut space);
    let mut buf = vec![0u8; 64 * 1024];
    let got = rustix::net::recvmsg(sock, &mut [IoSliceMut::new(&mut buf)], &mut control, RecvFlags::CMSG_CLOEXEC)?;
    let mut fds = Vec::new();
    for message in control.drain() {
        if let RecvAncillaryMessage::ScmRights(received) = message {
            fds.extend(received);
        }
    }
    let mut data = buf[..got.bytes].to_vec();
    while data.len() < 4 {
        data.extend(read_some(sock)?);
    }
    let len = u32::from_be_bytes([data[0], data[1], data[2], data[3]]) as usize;
    if len > MAX_REQUEST {
        return Err(std::io::Error::other("request too large"));
    }
    while data.len() < 4 + len {
        data.extend(read_some(sock)?);
    }
    if fds.len() != 3 {
        return Err(std::io::Error::other("the client sent no standard streams"));
    }
    let request = serde_json::from_slice(&data[4..4 + len]).map_err(std::io::Error::other)?;
    Ok((request, fds))
}

fn read_some(mut sock: &UnixStream) -> std::io::Result<Vec<u8>> {
    let mut buf = vec![0u8; 64 * 1024];
    let n = sock.read(&mut buf)?;
    if n == 0 {
        return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "the client left"));
    }
    buf.truncate(n);
    Ok(buf)
}

/// A user of the sandbox, from its `/etc/passwd` and `/etc/group`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Account {
    name: String,
    uid: u32,
    gid: u32,
    home: String,
    shell: String,
    groups: Vec<u32>,
}

/// Finds `who` (a name, or `#uid`) in passwd and group files' contents.
fn account(who: &str, passwd: &str, group: &str) -> Option<Account> {
    let by_uid = who.strip_prefix('#').and_then(|n| n.parse::<u32>().ok());
    let line = passwd
        .lines()
        .map(|l| l.split(':').collect::<Vec<_>>())
        .find(|f| f.len() >= 7 && (f[0] == who || by_uid.is_some_and(|u| f[2].parse() == Ok(u))));
    let Some(f) = line else {
        // A bare uid with no entry still names a user.
        let uid = by_uid?;
        return Some(Account {
            name: uid.to_string(),
            uid,
            gid: uid,
            home: "/".into(),
            shell: "/bin/sh".into(),
            groups: vec![uid],
        });
    };
    let (uid, gid) = (f[2].parse().ok()?, f[3].parse().ok()?);
    let mut groups = vec![gid];
    for g in group.lines().map(|l| l.split(':').collect::<Vec<_>>()).filter(|g| g.len() >= 4) {
        if g[3].split(',').any(|m| m == f[0]) {
            if let Ok(id) = g[2].parse() {
                if !groups.contains(&id) {
                    groups.push(id);
                }
            }
        }
    }
    let shell = if f[6].is_empty() { "/bin/sh" } else { f[6] };
    Some(Account { name: f[0].into(), uid, gid, home: f[5].into(), shell: shell.into(), groups })
}

/// What to run: program and arguments (`argv[0]` first), environment and directory.
#[derive(Debug, PartialEq, Eq)]
struct Launch {
    argv: Vec<String>,
    env: Vec<(String, String)>,
    cwd: String,
}

/// Quotes an argument for a shell's `-c`.
fn quote(arg: &str) -> String {
    if !arg.is_empty() && arg.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c)) {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

/// The command line, environment and directory of `r` run as `target` for `caller`.
fn plan(r: &Request, target: &Account, caller: &Account) -> Launch {
    let from_caller = |name: &str| r.env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let mut env: Vec<(String, String)> = if r.preserve_env {
        r.env.clone()
    } else {
        KEPT.iter().chain(["LC_ALL"].iter()).filter_map(|k| Some((k.to_string(), from_caller(k)?))).collect()
    };
    let mut set = |k: &str, v: String| {
        env.retain(|(name, _)| name != k);
        env.push((k.to_string(), v));
    };
    if !r.preserve_env {
        set("PATH", SECURE_PATH.into());
        set("SHELL", target.shell.clone());
    }
    if !r.preserve_env || r.set_home || r.login {
        set("HOME", target.home.clone());
    }
    set("USER", target.name.clone());
    set("LOGNAME", target.name.clone());
    set("SUDO_USER", caller.name.clone());
    set("SUDO_UID", caller.uid.to_string());
    set("SUDO_GID", caller.gid.to_string());
    set("SUDO_COMMAND", r.command.join(" "));
    for (k, v) in &r.assignments {
        set(k, v.clone());
    }
    let joined = r.command.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" ");
    let argv = if r.login {
        let mut argv = vec![target.shell.clone(), "-l".to_string()];
        if !r.command.is_empty() {
            argv.extend(["-c".to_string(), joined]);
        }
        argv
    } else if r.shell {
        let shell =
            if r.preserve_env { from_caller("SHELL").unwrap_or(target.shell.clone()) } else { target.shell.clone() };
        let mut argv = vec![shell];
        if !r.command.is_empty() {
            argv.extend(["-c".to_string(), joined]);
        }
        argv
    } else {
        r.command.clone()
    };
    let cwd = if r.login { target.home.clone() } else { r.cwd.clone() };
    Launch { argv, env, cwd }
}

/// Starts the command of `r` on `streams` for the caller `caller_uid`.
fn start(r: &Request, streams: Vec<OwnedFd>, caller_uid: u32) -> Result<std::process::Child, String> {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let group = std::fs::read_to_string("/etc/group").unwrap_or_default();
    let who = r.user.as_deref().unwrap_or("root");
    let target = account(who, &passwd, &group).ok_or_else(|| format!("unknown user {who}"))?;
    let caller = account(&format!("#{caller_uid}"), &passwd, &group).expect("a uid names a user");
    let launch = plan(r, &target, &caller);
    let mut streams = streams.into_iter();
    let (stdin, stdout, stderr) = (streams.next(), streams.next(), streams.next());
    let mut cmd = std::process::Command::new(&launch.argv[0]);
    cmd.args(&launch.argv[1..]).env_clear().envs(launch.env.iter().map(|(k, v)| (k, v))).current_dir(&launch.cwd);
    cmd.stdin(stdin.map(std::process::Stdio::from).unwrap_or_else(std::process::Stdio::null));
    cmd.stdout(stdout.map(std::process::Stdio::from).unwrap_or_else(std::process::Stdio::null));
    cmd.stderr(stderr.map(std::process::Stdio::from).unwrap_or_else(std::process::Stdio::null));
    if r.login {
        // A login shell is named with a leading dash.
        let name = Path::new(&launch.argv[0]).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        cmd.arg0(OsString::from(format!("-{name}")));
    }
    let (uid, gid, groups) = (target.uid, target.gid, target.groups.clone());
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            // Its own process group, so that forwarded signals reach all of it.
            if libc::setsid() < 0
                || libc::setgroups(groups.len(), groups.as_ptr()) != 0
                || libc::setresgid(gid, gid, gid) != 0
                || libc::setresuid(uid, uid, uid) != 0
            {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("{}: command not found", launch.argv[0]),
        _ => format!("{}: {e}", launch.argv[0]),
    })
}

/// Waits for the command, passing on the client's signals; a client that leaves takes the
/// command with it. Returns the exit code (128 + signal for a signal).
fn supervise(sock: &mut UnixStream, mut child: std::process::Child) -> std::io::Result<i32> {
    use rustix::event::{PollFd, PollFlags};
    let pid = rustix::process::Pid::from_child(&child);
    let pidfd = rustix::process::pidfd_open(pid, rustix::process::PidfdFlags::empty())?;
    let mut client_gone = false;
    loop {
        let mut fds = [PollFd::new(&pidfd, PollFlags::IN), PollFd::new(&*sock, PollFlags::IN)];
        let timeout = rustix::event::Timespec { tv_sec: 2, tv_nsec: 0 };
        match rustix::event::poll(&mut fds[..if client_gone { 1 } else { 2 }], client_gone.then_some(&timeout)) {
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(e.into()),
            Ok(0) => {
                // The command outlived its grace after the client left.
                let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
                continue;
            }
            Ok(_) => {}
        }
        let (ended, from_client) = (fds[0].revents().contains(PollFlags::IN), !fds[1].revents().is_empty());
        if ended {
            let status = child.wait()?;
            use std::os::unix::process::ExitStatusExt as _;
            return Ok(status.code().unwrap_or_else(|| 128 + status.signal().unwrap_or(0)));
        }
        if !client_gone && from_client {
            let mut sigs = [0u8; 16];
            match sock.read(&mut sigs) {
                Ok(n) if n > 0 => {
                    for sig in &sigs[..n] {
                        if FORWARDED.contains(&i32::from(*sig)) {
                            // SAFETY: kill takes no pointers.
                            unsafe { libc::kill(-(pid.as_raw_nonzero().get()), i32::from(*sig)) };
                        }
                    }
                }
                _ => {
                    client_gone = true;
                    let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::TERM);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    fn run(line: &str) -> Request {
        match parse(&args(line)) {
            Plan::Run(r) => r,
            other => panic!("{line}: {other:?}"),
        }
    }

    #[test]
    fn options_parse_as_sudo_reads_them() {
        assert_eq!(run("id -u").command, args("id -u"));
        let r = run("-u user whoami");
        assert_eq!((r.user.as_deref(), r.command.clone()), (Some("user"), args("whoami")));
        assert_eq!(run("-uuser whoami").user.as_deref(), Some("user"));
        assert_eq!(run("--user=user whoami").user.as_deref(), Some("user"));
        let r = run("-iu user");
        assert!(r.login && r.command.is_empty() && r.user.as_deref() == Some("user"));
        assert!(run("-s").shell);
        let r = run("-E -H -n A=1 B=x=y env -i ls");
        assert!(r.preserve_env && r.set_home);
        assert_eq!(r.assignments, vec![("A".into(), "1".into()), ("B".into(), "x=y".into())]);
        assert_eq!(r.command, args("env -i ls"));
        assert_eq!(run("-- -weird arg").command, args("-weird arg"));
        assert_eq!(parse(&args("-v")), Plan::Done(String::new(), 0));
        assert!(matches!(parse(&args("-l")), Plan::Done(t, 0) if t.contains("NOPASSWD: ALL")));
        for refused in ["-g wheel id", "--chroot=/ id", "-x id"] {
            assert!(matches!(parse(&args(refused)), Plan::Done(t, 1) if t.contains("supported")), "{refused}");
        }
        assert!(matches!(parse(&[]), Plan::Done(t, 1) if t.starts_with("usage:")));
        assert!(matches!(parse(&args("-i -s")), Plan::Done(_, 1)));
    }

    const PASSWD: &str = "root:x:0:0:root:/root:/bin/bash\nuser:x:1000:1000:user:/home/user:/bin/bash\n";
    const GROUP: &str = "root:x:0:\nsudo:x:27:user\nuser:x:1000:\n";

    #[test]
    fn users_come_from_passwd_and_group() {
        let user = account("user", PASSWD, GROUP).unwrap();
        assert_eq!((user.uid, user.home.as_str(), user.groups.clone()), (1000, "/home/user", vec![1000, 27]));
        assert_eq!(account("#0", PASSWD, GROUP).unwrap().name, "root");
        assert_eq!(account("#4242", PASSWD, GROUP).unwrap().uid, 4242);
        assert!(account("nobody-here", PASSWD, GROUP).is_none());
    }

    #[test]
    fn the_environment_is_reset_unless_kept() {
        let (root, user) = (account("root", PASSWD, GROUP).unwrap(), account("user", PASSWD, GROUP).unwrap());
        let mut r = run("ls -l");
        r.env =
            vec![("TERM".into(), "xterm".into()), ("SECRET".into(), "s".into()), ("HOME".into(), "/home/user".into())];
        r.cwd = "/tmp".into();
        let l = plan(&r, &root, &user);
        assert_eq!((l.argv.clone(), l.cwd.as_str()), (args("ls -l"), "/tmp"));
        let get = |l: &Launch, k: &str| l.env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        assert_eq!(get(&l, "TERM").as_deref(), Some("xterm"));
        assert_eq!(get(&l, "SECRET"), None);
        assert_eq!(get(&l, "HOME").as_deref(), Some("/root"));
        assert_eq!(get(&l, "SUDO_USER").as_deref(), Some("user"));
        assert_eq!(get(&l, "PATH").as_deref(), Some(SECURE_PATH));
        r.preserve_env = true;
        let kept = plan(&r, &root, &user);
        assert_eq!(get(&kept, "SECRET").as_deref(), Some("s"));
        assert_eq!(get(&kept, "HOME").as_deref(), Some("/home/user"));
        let mut login = run("-i echo 'a b'");
        login.command = vec!["echo".into(), "a b".into()];
        let l = plan(&login, &root, &user);
        assert_eq!(l.argv, vec!["/bin/bash".to_string(), "-l".into(), "-c".into(), "echo 'a b'".into()]);
        assert_eq!(l.cwd, "/root");
        assert_eq!(quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn a_command_runs_on_the_callers_streams() {
        if !rustix::process::geteuid().is_root() {
            return;
        }
        let (read, write) = rustix::pipe::pipe().unwrap();
        let null = || OwnedFd::from(std::fs::File::open("/dev/null").unwrap());
        let request = Request { command: args("/bin/echo hi"), cwd: "/".into(), ..Default::default() };
        let mut child = start(&request, vec![null(), write, null()], 0).unwrap();
        let mut out = String::new();
        std::fs::File::from(read).read_to_string(&mut out).unwrap();
        assert_eq!(out, "hi\n");
        assert!(child.wait().unwrap().success());
        let missing = Request { command: args("no-such-command"), cwd: "/".into(), ..Default::default() };
        assert_eq!(start(&missing, vec![null(), null(), null()], 0).unwrap_err(), "no-such-command: command not found");
    }
}
