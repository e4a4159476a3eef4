//! The processes started through envd in its sandbox, by their PID there.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use e2b_wire::envd::process::{ProcessConfig, ProcessInfo, ProcessSelector};
use tokio::process::ChildStdin;

use super::hub::Hub;
use super::terminal::Terminal;

/// A process started through envd.
pub struct Entry {
    /// What was started.
    pub config: ProcessConfig,
    /// The client's name for it.
    pub tag: Option<String>,
    /// The process's stdin, while open (never for a process on a terminal).
    pub stdin: Option<Arc<tokio::sync::Mutex<ChildStdin>>>,
    /// Its terminal, when it runs on one.
    pub terminal: Option<Arc<Terminal>>,
    /// The streams attached to it.
    pub hub: Arc<Hub>,
}

/// The running processes started through envd, by PID (each leads its own process group).
#[derive(Default)]
pub struct ProcessTable {
    entries: Mutex<HashMap<u32, Entry>>,
}

impl ProcessTable {
    /// Records a started process.
    pub fn add(&self, pid: u32, entry: Entry) {
        self.entries.lock().unwrap().insert(pid, entry);
    }

    /// Forgets an ended process.
    pub fn remove(&self, pid: u32) {
        self.entries.lock().unwrap().remove(&pid);
    }

    /// Every running process.
    pub fn list(&self) -> Vec<ProcessInfo> {
        let entries = self.entries.lock().unwrap();
        entries.iter().map(|(pid, e)| ProcessInfo { config: e.config.clone(), pid: *pid, tag: e.tag.clone() }).collect()
    }

    /// Applies `f` to the process `selector` picks (by PID, else by tag) with its PID; `None`
    /// when none matches.
    pub fn with<T>(&self, selector: &ProcessSelector, f: impl FnOnce(u32, &mut Entry) -> T) -> Option<T> {
        let mut entries = self.entries.lock().unwrap();
        let pid = match (&selector.pid, &selector.tag) {
            (Some(pid), _) => *pid,
            (None, Some(tag)) => *entries.iter().find(|(_, e)| e.tag.as_deref() == Some(tag))?.0,
            _ => return None,
        };
        entries.get_mut(&pid).map(|e| f(pid, e))
    }
}

/// Sends `signal` to a process's whole group (the process and what it started).
pub fn signal_group(group: u32, signal: rustix::process::Signal) {
    if let Some(pgid) = rustix::process::Pid::from_raw(group as i32) {
        let _ = rustix::process::kill_process_group(pgid, signal);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(tag: Option<&str>) -> Entry {
        Entry {
            config: ProcessConfig::default(),
            tag: tag.map(String::from),
            stdin: None,
            terminal: None,
            hub: Arc::default(),
        }
    }

    #[test]
    fn processes_are_found_by_pid_or_tag() {
        let table = ProcessTable::default();
        table.add(40, entry(Some("web")));
        table.add(41, entry(None));
        let by = |pid: Option<u32>, tag: Option<&str>| ProcessSelector { pid, tag: tag.map(String::from) };
        assert_eq!(table.with(&by(Some(41), None), |pid, e| (pid, e.tag.clone())), Some((41, None)));
        assert_eq!(table.with(&by(None, Some("web")), |pid, _| pid), Some(40));
        assert_eq!(table.with(&by(Some(7), Some("web")), |_, _| ()), None, "a PID wins over a tag");
        assert_eq!(table.with(&by(None, None), |_, _| ()), None);
        table.remove(40);
        assert_eq!(table.list().iter().map(|p| p.pid).collect::<Vec<_>>(), [41]);
    }
}
