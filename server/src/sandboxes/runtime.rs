//! Sandboxes as real Linux sandboxes: bubblewrap gives each one its own mount, PID, UTS and IPC
//! namespaces, the host's system directories read-only, a writable `/home/user` and `/tmp`, and
//! each volume bind-mounted at its path.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use e2b_wire::sandboxes::SandboxVolumeMount;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, ChildStdout};
use tokio::sync::Notify;

/// The one template e2b-local provides.
pub const TEMPLATE: &str = "base";
/// The sandbox user of E2B's templates.
pub const USER_NAME: &str = "user";
/// uid and gid of the sandbox user.
pub const USER_ID: u32 = 1000;
/// Host directories shown read-only inside every sandbox.
pub const SYSTEM_DIRS: &[&str] = &["/usr", "/etc", "/opt", "/var", "/srv"];
/// Merged-/usr links recreated inside.
pub const SYSTEM_LINKS: &[&str] = &["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

/// A running sandbox.
pub struct Sandbox {
    /// Its ID.
    pub id: String,
    /// Its template.
    pub template_id: String,
    /// When it started.
    pub started_at: SystemTime,
    end_at: Mutex<SystemTime>,
    /// Wakes the reaper when the timeout changes or the sandbox is killed.
    pub changed: Notify,
    /// User metadata.
    pub metadata: BTreeMap<String, String>,
    /// Environment variables of every process.
    pub env_vars: BTreeMap<String, String>,
    /// Its volume mounts.
    pub mounts: Vec<SandboxVolumeMount>,
    /// The token envd requires, if the sandbox is secure.
    pub envd_token: Option<String>,
    /// Whether it may reach the internet (reported only).
    pub allow_internet_access: bool,
    /// Host PID of the namespaces' first process.
    pub init_pid: u32,
    /// bubblewrap, whose death ends the sandbox.
    bwrap: Mutex<Option<Child>>,
    /// The sandbox's own files (home directory, passwd).
    pub dir: PathBuf,
}

impl Sandbox {
    /// When the sandbox will be killed.
    pub fn end_at(&self) -> SystemTime {
        *self.end_at.lock().unwrap()
    }

    /// Moves the end to `timeout` from now.
    pub fn set_timeout(&self, timeout: Duration) {
        *self.end_at.lock().unwrap() = SystemTime::now() + timeout;
        self.changed.notify_waiters();
    }

    /// Host path of the sandbox's root, as seen through its first process.
    pub fn root_path(&self) -> PathBuf {
        PathBuf::from(format!("/proc/{}/root", self.init_pid))
    }

    /// Kills every process of the sandbox; its mounts go with its mount namespace.
    pub async fn kill(&self) {
        let child = self.bwrap.lock().unwrap().take();
        if let Some(mut child) = child {
            let _ = child.start_kill();
            let _ = child.wait().await;
        }
        // PID 1 of the namespace is gone, so the kernel has killed the rest; wait until it has.
        for _ in 0..200 {
            if !is_alive(self.init_pid) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
        self.changed.notify_waiters();
    }
}

/// True while `pid` exists and is not a zombie.
pub fn is_alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the parenthesised command name.
        Ok(stat) => stat.rsplit_once(") ").is_some_and(|(_, rest)| !rest.starts_with('Z') && !rest.starts_with('X')),
        Err(_) => false,
    }
}

/// What a new sandbox needs.
pub struct Spec {
    /// The new sandbox's ID.
    pub id: String,
    /// Its template.
    pub template_id: String,
    /// Time until it is killed.
    pub timeout: Duration,
    /// User metadata.
    pub metadata: BTreeMap<String, String>,
    /// Environment variables of every process.
    pub env_vars: BTreeMap<String, String>,
    /// Mounts with the host directory of each volume.
    pub mounts: Vec<(SandboxVolumeMount, PathBuf)>,
    /// The token envd requires, if the sandbox is secure.
    pub envd_token: Option<String>,
    /// Whether it may reach the internet (reported only).
    pub allow_internet_access: bool,
}

/// Starts a sandbox under `base` (its files live in `base/<id>`), hiding `data_dir` from it.
pub async fn start(base: &Path, data_dir: &Path, spec: Spec) -> io::Result<Sandbox> {
    let dir = base.join(&spec.id);
    write_own_files(&dir)?;
    let layout = Layout {
        system_dirs: SYSTEM_DIRS.iter().copied().filter(|d| Path::new(d).is_dir()).collect(),
        system_links: SYSTEM_LINKS.iter().filter_map(|l| Some((*l, std::fs::read_link(l).ok()?))).collect(),
        data_dir,
        dir: &dir,
        mounts: &spec.mounts,
    };
    let mut child = tokio::process::Command::new("bwrap")
        .args(bwrap_args(&layout))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let init_pid = match wait_until_ready(&mut child).await {
        Ok(pid) => pid,
        Err(e) => return Err(abandon(child, &dir, e).await),
    };
    Ok(Sandbox {
        id: spec.id,
        template_id: spec.template_id,
        started_at: SystemTime::now(),
        end_at: Mutex::new(SystemTime::now() + spec.timeout),
        changed: Notify::new(),
        metadata: spec.metadata,
        env_vars: spec.env_vars,
        mounts: spec.mounts.into_iter().map(|(m, _)| m).collect(),
        envd_token: spec.envd_token,
        allow_internet_access: spec.allow_internet_access,
        init_pid,
        bwrap: Mutex::new(Some(child)),
        dir,
    })
}

/// Writes the sandbox's own files: its user's home, and `passwd` and `group` naming that user.
fn write_own_files(dir: &Path) -> io::Result<()> {
    let home = dir.join("home");
    std::fs::create_dir_all(&home)?;
    std::os::unix::fs::chown(&home, Some(USER_ID), Some(USER_ID))?;
    std::fs::write(
        dir.join("passwd"),
        format!("root:x:0:0:root:/root:/bin/bash\n{USER_NAME}:x:{USER_ID}:{USER_ID}:{USER_NAME}:/home/{USER_NAME}:/bin/bash\n"),
    )?;
    std::fs::write(dir.join("group"), format!("root:x:0:\n{USER_NAME}:x:{USER_ID}:\n"))
}

/// What a sandbox is made of: what the host offers, and where the sandbox's own files are.
pub struct Layout<'a> {
    /// The [`SYSTEM_DIRS`] the host has.
    pub system_dirs: Vec<&'a str>,
    /// The [`SYSTEM_LINKS`] the host has, with their targets.
    pub system_links: Vec<(&'a str, PathBuf)>,
    /// The server's data directory, hidden if it lies under a system directory.
    pub data_dir: &'a Path,
    /// The sandbox's own files (`home/`, `passwd`, `group`).
    pub dir: &'a Path,
    /// Volumes to bind, with their host directories.
    pub mounts: &'a [(SandboxVolumeMount, PathBuf)],
}

/// bubblewrap's arguments for a sandbox laid out so; it runs `sleep infinity` as the namespaces' process.
pub fn bwrap_args(layout: &Layout<'_>) -> Vec<OsString> {
    let mut args: Vec<OsString> = Vec::new();
    let mut push = |items: &[&dyn AsRef<std::ffi::OsStr>]| args.extend(items.iter().map(|i| i.as_ref().to_owned()));
    push(&[&"--die-with-parent", &"--unshare-pid", &"--unshare-uts", &"--unshare-ipc", &"--hostname", &"e2b"]);
    for d in &layout.system_dirs {
        push(&[&"--ro-bind", d, d]);
    }
    for (link, target) in &layout.system_links {
        push(&[&"--symlink", target, link]);
    }
    // Hide the server's own data (other volumes, keys) if it lies under a system directory.
    if SYSTEM_DIRS.iter().any(|d| layout.data_dir.starts_with(d)) {
        push(&[&"--tmpfs", &layout.data_dir]);
    }
    push(&[&"--dev", &"/dev", &"--proc", &"/proc", &"--perms", &"1777", &"--tmpfs", &"/tmp"]);
    push(&[&"--perms", &"0755", &"--dir", &"/home", &"--perms", &"0755", &"--dir", &"/root"]);
    push(&[&"--bind", &layout.dir.join("home"), &format!("/home/{USER_NAME}")]);
    push(&[&"--ro-bind", &layout.dir.join("passwd"), &"/etc/passwd"]);
    push(&[&"--ro-bind", &layout.dir.join("group"), &"/etc/group"]);
    push(&[&"--ro-bind", &"/dev/null", &"/etc/shadow"]);
    for (mount, host) in layout.mounts {
        // Parents that bubblewrap creates would otherwise be 0700.
        let parents: Vec<&Path> = Path::new(&mount.path).ancestors().skip(1).filter(|p| *p != Path::new("/")).collect();
        for p in parents.iter().rev().filter(|p| !p.starts_with("/home") && !p.starts_with("/tmp")) {
            push(&[&"--perms", &"0755", &"--dir", p]);
        }
        push(&[&"--bind", host, &mount.path]);
    }
    push(&[&"--remount-ro", &"/", &"--chdir", &"/home/user", &"--info-fd", &"1", &"--", &"sleep", &"infinity"]);
    args
}

/// Waits until bubblewrap reports the namespaces' first process and that process has started
/// the sandbox's command, which happens only after every mount is in place; returns its PID.
async fn wait_until_ready(bwrap: &mut Child) -> io::Result<u32> {
    let info = read_info(bwrap.stdout.take().expect("piped")).await;
    let init_pid = parse_child_pid(&info).ok_or_else(|| io::Error::other("bubblewrap reported no process"))?;
    for _ in 0..2500 {
        if let Some(status) = bwrap.try_wait()? {
            return Err(io::Error::other(format!("bubblewrap exited with {status}")));
        }
        let children =
            std::fs::read_to_string(format!("/proc/{init_pid}/task/{init_pid}/children")).unwrap_or_default();
        for pid in children.split_whitespace() {
            if std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == "sleep") {
                return Ok(init_pid);
            }
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    Err(io::Error::other("the sandbox did not start in time"))
}

/// bubblewrap's JSON info (`--info-fd 1`), printed once the namespaces are ready.
async fn read_info(stdout: ChildStdout) -> String {
    let mut lines = BufReader::new(stdout).lines();
    let mut info = String::new();
    while let Ok(Some(line)) = lines.next_line().await {
        info.push_str(&line);
        if line.starts_with('}') {
            break;
        }
    }
    info
}

/// The namespaces' first process from bubblewrap's info.
fn parse_child_pid(info: &str) -> Option<u32> {
    let v: serde_json::Value = serde_json::from_str(info).ok()?;
    v.get("child-pid")?.as_u64().map(|p| p as u32)
}

/// Kills a sandbox that failed to start and removes its files; the error says why, in
/// bubblewrap's words when it gave any.
async fn abandon(mut child: Child, dir: &Path, e: io::Error) -> io::Error {
    let _ = child.start_kill();
    let out = match child.wait_with_output().await {
        Ok(out) => out,
        Err(wait_error) => return wait_error,
    };
    let _ = std::fs::remove_dir_all(dir);
    let why = String::from_utf8_lossy(&out.stderr).trim().to_string();
    io::Error::other(format!("the sandbox could not start: {}", if why.is_empty() { e.to_string() } else { why }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout<'a>(data_dir: &'a Path, mounts: &'a [(SandboxVolumeMount, PathBuf)]) -> Layout<'a> {
        Layout {
            system_dirs: vec!["/usr", "/etc"],
            system_links: vec![("/bin", PathBuf::from("usr/bin"))],
            data_dir,
            dir: Path::new("/data/sandboxes/sb1"),
            mounts,
        }
    }

    fn text(args: &[OsString]) -> String {
        args.iter().map(|a| a.to_string_lossy().into_owned()).collect::<Vec<_>>().join(" ")
    }

    fn mount(path: &str, host: &str) -> (SandboxVolumeMount, PathBuf) {
        (SandboxVolumeMount { name: "v".into(), path: path.into() }, PathBuf::from(host))
    }

    #[test]
    fn the_system_is_read_only_and_the_sandbox_files_are_bound() {
        let args = text(&bwrap_args(&layout(Path::new("/data"), &[])));
        assert!(args.starts_with("--die-with-parent --unshare-pid --unshare-uts --unshare-ipc --hostname e2b "));
        assert!(args.contains("--ro-bind /usr /usr --ro-bind /etc /etc --symlink usr/bin /bin "), "{args}");
        assert!(args.contains("--bind /data/sandboxes/sb1/home /home/user "), "{args}");
        assert!(args.contains("--ro-bind /data/sandboxes/sb1/passwd /etc/passwd "), "{args}");
        assert!(args.contains("--ro-bind /data/sandboxes/sb1/group /etc/group --ro-bind /dev/null /etc/shadow"));
        assert!(args.ends_with("--remount-ro / --chdir /home/user --info-fd 1 -- sleep infinity"), "{args}");
        assert!(!args.contains("--tmpfs /data"), "a data dir outside the system directories needs no hiding");
    }

    #[test]
    fn volumes_are_bound_at_their_paths_with_their_parents_made() {
        let mounts = [mount("/mnt/data/deep", "/data/volumes/a"), mount("/home/user/v", "/data/volumes/b")];
        let args = text(&bwrap_args(&layout(Path::new("/data"), &mounts)));
        let first = "--perms 0755 --dir /mnt --perms 0755 --dir /mnt/data --bind /data/volumes/a /mnt/data/deep";
        assert!(args.contains(first), "{args}");
        // Parents under /home and /tmp exist already (or are made by the sandbox's own binds).
        assert!(args.contains("--remount-ro") && args.contains("--bind /data/volumes/b /home/user/v --remount-ro"));
        assert!(!args.contains("--dir /home/user "), "{args}");
    }

    #[test]
    fn a_data_dir_under_a_system_directory_is_hidden() {
        let args = text(&bwrap_args(&layout(Path::new("/var/lib/e2b-local"), &[])));
        assert!(args.contains("--tmpfs /var/lib/e2b-local --dev /dev"), "{args}");
    }

    #[test]
    fn the_first_process_comes_from_bubblewraps_info() {
        assert_eq!(parse_child_pid("{\n    \"child-pid\": 4242\n}"), Some(4242));
        assert_eq!(parse_child_pid("{}"), None);
        assert_eq!(parse_child_pid("not json"), None);
    }
}
