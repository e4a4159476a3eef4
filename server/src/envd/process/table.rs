//! The processes started through envd, per sandbox: envd's own bookkeeping, kept beside the
//! sandboxes rather than in them, and dropped with the sandbox it belongs to.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, Weak};

use e2b_wire::envd::process::{ProcessConfig, ProcessInfo, ProcessSelector};
use tokio::process::ChildStdin;

use crate::sandboxes::runtime::Sandbox;

/// The first PID envd reports in a sandbox.
const FIRST_PID: u32 = 1000;

/// A process started through envd.
pub struct Entry {
    /// What was started.
    pub config: ProcessConfig,
    /// The client's name for it.
    pub tag: Option<String>,
    /// Host PID of the process group leader (nsenter).
    pub group: i32,
    /// The process's stdin, while open.
    pub stdin: Option<Arc<tokio::sync::Mutex<ChildStdin>>>,
}

/// The processes of one sandbox, by the PID envd reports.
#[derive(Default)]
pub struct ProcessTable {
    next: AtomicU32,
    entries: Mutex<HashMap<u32, Entry>>,
}

impl ProcessTable {
    /// Records a started process; returns the PID envd reports for it.
    pub fn add(&self, entry: Entry) -> u32 {
        let pid = self.next.fetch_add(1, Ordering::Relaxed) + FIRST_PID;
        self.entries.lock().unwrap().insert(pid, entry);
        pid
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

    /// Applies `f` to the process `selector` picks (by PID, else by tag); `None` when none matches.
    pub fn with<T>(&self, selector: &ProcessSelector, f: impl FnOnce(&mut Entry) -> T) -> Option<T> {
        let mut entries = self.entries.lock().unwrap();
        let pid = match (&selector.pid, &selector.tag) {
            (Some(pid), _) => *pid,
            (None, Some(tag)) => *entries.iter().find(|(_, e)| e.tag.as_deref() == Some(tag))?.0,
            _ => return None,
        };
        entries.get_mut(&pid).map(f)
    }
}

/// The process tables of every sandbox, by sandbox ID.
#[derive(Default)]
pub struct Processes {
    tables: Mutex<HashMap<String, SandboxTable>>,
}

/// A sandbox's process table, kept while the sandbox exists.
struct SandboxTable {
    sandbox: Weak<Sandbox>,
    table: Arc<ProcessTable>,
}

impl Processes {
    /// The process table of `sandbox`; tables of sandboxes that are gone are dropped on the way.
    pub fn of(&self, sandbox: &Arc<Sandbox>) -> Arc<ProcessTable> {
        let mut tables = self.tables.lock().unwrap();
        tables.retain(|_, t| t.sandbox.strong_count() > 0);
        let entry = tables
            .entry(sandbox.id.clone())
            .or_insert_with(|| SandboxTable { sandbox: Arc::downgrade(sandbox), table: Arc::default() });
        entry.table.clone()
    }
}

/// Sends `signal` to a process's whole group (the process and what it started).
pub fn signal_group(group: i32, signal: rustix::process::Signal) {
    if let Some(pgid) = rustix::process::Pid::from_raw(group) {
        let _ = rustix::process::kill_process_group(pgid, signal);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(tag: Option<&str>) -> Entry {
        Entry { config: ProcessConfig::default(), tag: tag.map(String::from), group: 0, stdin: None }
    }

    #[test]
    fn processes_are_found_by_pid_or_tag() {
        let table = ProcessTable::default();
        assert_eq!(table.add(entry(Some("web"))), 1000);
        assert_eq!(table.add(entry(None)), 1001);
        let by = |pid: Option<u32>, tag: Option<&str>| ProcessSelector { pid, tag: tag.map(String::from) };
        assert_eq!(table.with(&by(Some(1001), None), |e| e.tag.clone()), Some(None));
        assert_eq!(table.with(&by(None, Some("web")), |e| e.tag.clone()), Some(Some("web".into())));
        assert_eq!(table.with(&by(Some(7), Some("web")), |_| ()), None, "a PID wins over a tag");
        assert_eq!(table.with(&by(None, None), |_| ()), None);
        table.remove(1000);
        assert_eq!(table.list().iter().map(|p| p.pid).collect::<Vec<_>>(), [1001]);
        assert_eq!(table.add(entry(None)), 1002, "PIDs are not reused");
    }
}
