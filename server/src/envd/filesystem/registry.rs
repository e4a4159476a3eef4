//! The watchers of `CreateWatcher`, by ID: each buffers its events (boundedly) until
//! `GetWatcherEvents` takes them, and stops at `RemoveWatcher`.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use e2b_wire::connect::Code;
use e2b_wire::envd::filesystem::FilesystemEvent;
use tokio::task::AbortHandle;

use crate::envd::connect::RpcError;

/// Events a watcher keeps unread; past that it stops, and says so.
pub const MAX_UNREAD: usize = 10_000;

/// One watcher's unread events, and why it stopped if it did.
#[derive(Default)]
pub struct Mailbox {
    inner: Mutex<Unread>,
}

#[derive(Default)]
struct Unread {
    events: VecDeque<FilesystemEvent>,
    stopped: Option<(Code, String)>,
}

impl Mailbox {
    /// Keeps an event; false (and the watcher is marked stopped) when too many wait unread.
    pub fn push(&self, event: FilesystemEvent) -> bool {
        let mut inner = self.inner.lock().unwrap();
        if inner.events.len() >= MAX_UNREAD {
            let why = format!("more than {MAX_UNREAD} events waited unread; the watcher stopped");
            inner.stopped = Some((Code::ResourceExhausted, why));
            return false;
        }
        inner.events.push_back(event);
        true
    }

    /// Marks the watcher stopped by `err`.
    pub fn stop(&self, err: RpcError) {
        self.inner.lock().unwrap().stopped = Some((err.code, err.message));
    }

    /// The unread events; once none are left, why the watcher stopped, if it did.
    pub fn take(&self) -> Result<Vec<FilesystemEvent>, RpcError> {
        let mut inner = self.inner.lock().unwrap();
        match (&inner.stopped, inner.events.is_empty()) {
            (Some((code, message)), true) => Err(RpcError::new(*code, message.clone())),
            _ => Ok(inner.events.drain(..).collect()),
        }
    }
}

/// A running watcher: its mailbox and the task that fills it.
struct Running {
    mailbox: Arc<Mailbox>,
    task: AbortHandle,
}

/// Every watcher of the sandbox, by ID.
#[derive(Default)]
pub struct Watchers {
    map: Mutex<HashMap<String, Running>>,
}

impl Watchers {
    /// Registers a watcher whose `task` fills `mailbox`; returns its new ID.
    pub fn add(&self, mailbox: Arc<Mailbox>, task: AbortHandle) -> String {
        let id = format!("w{}", uuid::Uuid::new_v4().simple());
        self.map.lock().unwrap().insert(id.clone(), Running { mailbox, task });
        id
    }

    /// The mailbox of watcher `id`.
    pub fn mailbox(&self, id: &str) -> Option<Arc<Mailbox>> {
        self.map.lock().unwrap().get(id).map(|r| r.mailbox.clone())
    }

    /// Stops and forgets watcher `id`; false when there is none.
    pub fn remove(&self, id: &str) -> bool {
        match self.map.lock().unwrap().remove(id) {
            Some(running) => {
                running.task.abort();
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use e2b_wire::envd::filesystem::EventType;

    use super::*;

    fn event(name: &str) -> FilesystemEvent {
        FilesystemEvent { name: name.into(), kind: EventType::Create, entry: None }
    }

    #[test]
    fn events_wait_until_taken_and_a_full_mailbox_stops_the_watcher() {
        let mailbox = Mailbox::default();
        assert!(mailbox.push(event("a")));
        assert_eq!(mailbox.take().unwrap(), [event("a")]);
        assert!(mailbox.take().unwrap().is_empty());
        for i in 0..MAX_UNREAD {
            assert!(mailbox.push(event(&i.to_string())));
        }
        assert!(!mailbox.push(event("one too many")));
        assert_eq!(mailbox.take().unwrap().len(), MAX_UNREAD, "what was kept is delivered first");
        let err = mailbox.take().unwrap_err();
        assert_eq!(err.code, Code::ResourceExhausted);
        assert!(err.message.contains("10000 events"), "{}", err.message);
    }

    #[tokio::test]
    async fn removed_watchers_stop_and_are_forgotten() {
        let watchers = Watchers::default();
        let task = tokio::spawn(std::future::pending::<()>());
        let id = watchers.add(Arc::default(), task.abort_handle());
        assert!(id.starts_with('w'));
        assert!(watchers.mailbox(&id).is_some());
        assert!(watchers.remove(&id));
        assert!(task.await.unwrap_err().is_cancelled());
        assert!(watchers.mailbox(&id).is_none() && !watchers.remove(&id));
    }
}
