//! The server is the subreaper of its sandboxes: when the runtime hands over a sandbox's first
//! process (and its own helpers exit), they become the server's children, so the server learns of
//! every exit and reaps each at once. The programs the server runs itself (the runtime, pasta, the
//! mount helper) are reaped by tokio; they are registered here while they run, so that the sweep
//! reaps only the others.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Duration;

use rustix::process::{Pid, WaitOptions};

/// Children spawned through [`spawn`] and not yet waited for: tokio reaps them.
static OWN: Mutex<Option<HashSet<u32>>> = Mutex::new(None);

/// Makes this process the reaper of its descendants' orphans, and starts sweeping zombies.
pub fn start() -> std::io::Result<()> {
    rustix::process::set_child_subreaper(Some(rustix::process::getpid()))?;
    tokio::spawn(async {
        let mut children = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::child()).ok();
        loop {
            match children.as_mut() {
                Some(signal) => {
                    // A missed signal is caught by the next sweep.
                    let _ = tokio::time::timeout(Duration::from_secs(1), signal.recv()).await;
                }
                None => tokio::time::sleep(Duration::from_millis(200)).await,
            }
            sweep();
        }
    });
    Ok(())
}

/// Spawns `cmd`, registered as the server's own until [`waited`] says it has been reaped.
pub fn spawn(cmd: &mut tokio::process::Command) -> std::io::Result<tokio::process::Child> {
    // Held across the spawn, so that the sweep never sees the child before it is registered.
    let mut own = OWN.lock().unwrap();
    let child = cmd.spawn()?;
    if let Some(pid) = child.id() {
        own.get_or_insert_with(HashSet::new).insert(pid);
    }
    Ok(child)
}

/// Registers a child made some other way as the server's own, until [`waited`].
pub fn register(pid: u32) {
    OWN.lock().unwrap().get_or_insert_with(HashSet::new).insert(pid);
}

/// Tells that the child `pid` spawned through [`spawn`] has been waited for.
pub fn waited(pid: Option<u32>) {
    if let (Some(pid), Some(own)) = (pid, OWN.lock().unwrap().as_mut()) {
        own.remove(&pid);
    }
}

/// Reaps every zombie child that is not the server's own.
fn sweep() {
    let own = OWN.lock().unwrap();
    for pid in zombie_children() {
        if own.as_ref().is_some_and(|o| o.contains(&pid)) {
            continue;
        }
        if let Some(pid) = Pid::from_raw(pid as i32) {
            let _ = rustix::process::waitpid(Some(pid), WaitOptions::NOHANG);
        }
    }
}

/// Children of this process that have exited and wait to be reaped.
fn zombie_children() -> Vec<u32> {
    let mut out = Vec::new();
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else { return out };
    for task in tasks.flatten() {
        let children = std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
        for pid in children.split_whitespace().filter_map(|c| c.parse::<u32>().ok()) {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            if stat.rsplit_once(") ").is_some_and(|(_, rest)| rest.starts_with('Z')) {
                out.push(pid);
            }
        }
    }
    out
}
