//! Every running sandbox of this server, each killed at its timeout, on request, or at shutdown.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use super::runtime::Sandbox;

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

    /// Registers a started sandbox and arms its timeout.
    pub fn insert(self: &Arc<Self>, sandbox: Arc<Sandbox>) {
        self.map.lock().unwrap().insert(sandbox.id.clone(), sandbox.clone());
        tokio::spawn(self.clone().kill_at_timeout(sandbox));
    }

    /// Kills `sandbox` when its end comes (the end may move meanwhile), unless it is gone before.
    async fn kill_at_timeout(self: Arc<Self>, sandbox: Arc<Sandbox>) {
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
            if self.get(&sandbox.id).is_none() {
                return; // killed meanwhile
            }
        }
        tracing::info!(sandbox = %sandbox.id, "sandbox timed out");
        self.remove(&sandbox.id).await;
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
