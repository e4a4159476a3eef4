//! Sandboxes as real Linux sandboxes: bubblewrap gives each one its own mount, PID, UTS and IPC
//! namespaces, the host's system directories read-only, a writable `/home/user` and `/tmp`, and
//! each volume bind-mounted at its path. Commands enter those namespaces with `nsenter`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use e2b_wire::sandboxes::SandboxVolumeMount;
use tokio::sync::Notify;

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
    pub id: String,
    pub template_id: String,
    pub started_at: SystemTime,
    end_at: Mutex<SystemTime>,
    /// Wakes the reaper when the timeout changes or the sandbox is killed.
    pub changed: Notify,
    pub metadata: BTreeMap<String, String>,
    pub env_vars: BTreeMap<String, String>,
    pub mounts: Vec<SandboxVolumeMount>,
    pub envd_token: Option<String>,
    pub allow_internet_access: bool,
    /// Host PID of the namespaces' first process.
    pub init_pid: u32,
    /// bubblewrap, whose death ends the sandbox.
    bwrap: Mutex<Option<tokio::process::Child>>,
    /// The sandbox's own files (home directory, passwd).
    pub dir: PathBuf,
    pub processes: crate::envd::process::ProcessTable,
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
    pub id: String,
    pub template_id: String,
    pub timeout: Duration,
    pub metadata: BTreeMap<String, String>,
    pub env_vars: BTreeMap<String, String>,
    /// Mounts with the host directory of each volume.
    pub mounts: Vec<(SandboxVolumeMount, PathBuf)>,
    pub envd_token: Option<String>,
    pub allow_internet_access: bool,
}

/// Starts a sandbox under `base` (its files live in `base/<id>`).
pub async fn start(base: &Path, data_dir: &Path, spec: Spec) -> std::io::Result<Sandbox> {
    let dir = base.join(&spec.id);
    let home = dir.join("home");
    std::fs::create_dir_all(&home)?;
    std::os::unix::fs::chown(&home, Some(USER_ID), Some(USER_ID))?;
    std::fs::write(
        dir.join("passwd"),
        format!("root:x:0:0:root:/root:/bin/bash\n{USER_NAME}:x:{USER_ID}:{USER_ID}:{USER_NAME}:/home/{USER_NAME}:/bin/bash\n"),
    )?;
    std::fs::write(dir.join("group"), format!("root:x:0:\n{USER_NAME}:x:{USER_ID}:\n"))?;

    let mut cmd = tokio::process::Command::new("bwrap");
    cmd.args(["--die-with-parent", "--unshare-pid", "--unshare-uts", "--unshare-ipc", "--hostname", "e2b"]);
    for d in SYSTEM_DIRS {
        if Path::new(d).is_dir() {
            cmd.args(["--ro-bind", d, d]);
        }
    }
    for l in SYSTEM_LINKS {
        if let Ok(target) = std::fs::read_link(l) {
            cmd.arg("--symlink").arg(target).arg(l);
        }
    }
    // Hide the server's own data (other volumes, keys) if it lies under a system directory.
    if SYSTEM_DIRS.iter().any(|d| data_dir.starts_with(d)) {
        cmd.arg("--tmpfs").arg(data_dir);
    }
    cmd.args(["--dev", "/dev", "--proc", "/proc", "--perms", "1777", "--tmpfs", "/tmp"]);
    cmd.args(["--perms", "0755", "--dir", "/home", "--perms", "0755", "--dir", "/root"]);
    cmd.arg("--bind").arg(&home).arg(format!("/home/{USER_NAME}"));
    cmd.arg("--ro-bind").arg(dir.join("passwd")).arg("/etc/passwd");
    cmd.arg("--ro-bind").arg(dir.join("group")).arg("/etc/group");
    cmd.args(["--ro-bind", "/dev/null", "/etc/shadow"]);
    for (mount, host) in &spec.mounts {
        // Parents that bubblewrap creates would otherwise be 0700.
        let mut parent = Path::new(&mount.path).parent();
        let mut parents = Vec::new();
        while let Some(p) = parent.filter(|p| *p != Path::new("/")) {
            parents.push(p.to_path_buf());
            parent = p.parent();
        }
        for p in parents.iter().rev() {
            if !p.starts_with("/home") && !p.starts_with("/tmp") {
                cmd.args(["--perms", "0755", "--dir"]).arg(p);
            }
        }
        cmd.arg("--bind").arg(host).arg(&mount.path);
    }
    cmd.args(["--remount-ro", "/", "--chdir", "/home/user", "--info-fd", "1", "--", "sleep", "infinity"]);

    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).kill_on_drop(true);
    let mut child = cmd.spawn()?;
    // bubblewrap prints its JSON info on stdout (`--info-fd 1`) once the namespaces are ready.
    let mut lines = tokio::io::AsyncBufReadExt::lines(tokio::io::BufReader::new(child.stdout.take().expect("piped")));
    let mut info = String::new();
    while let Ok(Some(line)) = lines.next_line().await {
        info.push_str(&line);
        if line.starts_with('}') {
            break;
        }
    }
    let ready = match parse_child_pid(&info) {
        Some(pid) => wait_until_ready(pid, &mut child).await.map(|()| pid),
        None => Err(std::io::Error::other("bubblewrap reported no process")),
    };
    let init_pid = match ready {
        Ok(pid) => pid,
        Err(e) => {
            let _ = child.start_kill();
            let out = child.wait_with_output().await?;
            let _ = std::fs::remove_dir_all(&dir);
            let why = String::from_utf8_lossy(&out.stderr).trim().to_string();
            return Err(std::io::Error::other(format!(
                "the sandbox could not start: {}",
                if why.is_empty() { e.to_string() } else { why }
            )));
        }
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
        processes: Default::default(),
    })
}

/// Waits until the namespaces' init has started the sandbox's command, which happens only after
/// every mount is in place.
async fn wait_until_ready(init_pid: u32, bwrap: &mut tokio::process::Child) -> std::io::Result<()> {
    for _ in 0..2500 {
        if let Some(status) = bwrap.try_wait()? {
            return Err(std::io::Error::other(format!("bubblewrap exited with {status}")));
        }
        let children =
            std::fs::read_to_string(format!("/proc/{init_pid}/task/{init_pid}/children")).unwrap_or_default();
        for pid in children.split_whitespace() {
            if std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == "sleep") {
                return Ok(());
            }
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    Err(std::io::Error::other("the sandbox did not start in time"))
}

fn parse_child_pid(info: &str) -> Option<u32> {
    let v: serde_json::Value = serde_json::from_str(info).ok()?;
    v.get("child-pid")?.as_u64().map(|p| p as u32)
}

/// All sandboxes of this server.
#[derive(Default)]
pub struct Sandboxes {
    map: Mutex<HashMap<String, Arc<Sandbox>>>,
}

impl Sandboxes {
    /// The sandbox with this ID.
    pub fn get(&self, id: &str) -> Option<Arc<Sandbox>> {
        self.map.lock().unwrap().get(id).cloned()
    }
    /// Every sandbox.
    pub fn all(&self) -> Vec<Arc<Sandbox>> {
        self.map.lock().unwrap().values().cloned().collect()
    }
    /// Registers a started sandbox and arms its timeout.
    pub fn insert(self: &Arc<Self>, sandbox: Arc<Sandbox>) {
        self.map.lock().unwrap().insert(sandbox.id.clone(), sandbox.clone());
        let all = self.clone();
        tokio::spawn(async move {
            loop {
                let notified = sandbox.changed.notified();
                let left = sandbox.end_at().duration_since(SystemTime::now()).unwrap_or_default();
                if left.is_zero() {
                    break;
                }
                tokio::select! {
                    _ = tokio::time::sleep(left) => {}
                    _ = notified => {}
                }
                if all.get(&sandbox.id).is_none() {
                    return; // killed meanwhile
                }
            }
            tracing::info!(sandbox = %sandbox.id, "sandbox timed out");
            all.remove(&sandbox.id).await;
        });
    }
    /// Kills and forgets a sandbox; false when there was none.
    pub async fn remove(&self, id: &str) -> bool {
        let sandbox = self.map.lock().unwrap().remove(id);
        match sandbox {
            Some(s) => {
                s.kill().await;
                true
            }
            None => false,
        }
    }
    /// Kills every sandbox (at shutdown).
    pub async fn kill_all(&self) {
        let ids: Vec<String> = self.map.lock().unwrap().keys().cloned().collect();
        for id in ids {
            self.remove(&id).await;
        }
    }
}
