//! Every running sandbox of this server. Each one ends at its timeout, when killed, at shutdown,
//! or when its first process dies on its own — the kernel tells at once (its pidfd), and the
//! sandbox is forgotten and cleaned up like any other.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use super::sandbox::Sandbox;

/// All sandboxes of this server, by ID.
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

    /// How many sandboxes run.
    pub fn len(&self) -> usize {
        self.map.lock().unwrap().len()
    }

    /// True when none runs.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Registers a started sandbox and watches for its end.
    pub fn insert(self: &Arc<Self>, sandbox: Arc<Sandbox>) {
        self.map.lock().unwrap().insert(sandbox.id.clone(), sandbox.clone());
        tokio::spawn(self.clone().watch(sandbox));
    }

    /// Ends `sandbox` at its timeout (which may move meanwhile), or forgets it when it dies first.
    async fn watch(self: Arc<Self>, sandbox: Arc<Sandbox>) {
        tokio::select! {
            () = sandbox.container.exited() => {
                if self.get(&sandbox.id).is_some() {
                    tracing::warn!(sandbox = %sandbox.id, "sandbox ended on its own");
                }
            }
            () = until_timeout(&sandbox) => {
                tracing::info!(sandbox = %sandbox.id, "sandbox timed out");
            }
        }
        self.remove(&sandbox.id).await;
    }

    /// Kills, cleans up and forgets a sandbox; false when there was none.
    pub async fn remove(&self, id: &str) -> bool {
        let sandbox = self.map.lock().unwrap().remove(id);
        match sandbox {
            Some(s) => {
                s.container.remove().await;
                true
            }
            None => false,
        }
    }

    /// Kills every sandbox (at shutdown), all at once.
    pub async fn kill_all(&self) {
        let all: Vec<Arc<Sandbox>> = self.map.lock().unwrap().drain().map(|(_, s)| s).collect();
        futures_util::future::join_all(all.iter().map(|s| s.container.remove())).await;
    }
}

/// Resolves when the sandbox's end comes.
async fn until_timeout(sandbox: &Sandbox) {
    loop {
        let notified = sandbox.changed.notified();
        let left = sandbox.end_at().duration_since(SystemTime::now()).unwrap_or_default();
        if left.is_zero() {
            return;
        }
        tokio::select! {
            () = tokio::time::sleep(left) => {}
            () = notified => {}
        }
    }
}
