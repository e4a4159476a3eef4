//! Every sandbox of this server, running or paused. A running one ends (or pauses, if its
//! lifecycle says so) at its timeout; any ends when killed, at shutdown, or when its first process
//! dies on its own — the kernel tells at once (its pidfd), and the sandbox is forgotten and cleaned
//! up like any other. A paused sandbox has no timeout: it stays paused until resumed or killed.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use super::sandbox::{OnTimeout, Phase, Sandbox};
use super::transitions;

/// All sandboxes of this server, by ID.
pub struct Sandboxes {
    map: Mutex<HashMap<String, Arc<Sandbox>>>,
    /// Where paused sandboxes' files are saved.
    saved_dir: PathBuf,
}

impl Sandboxes {
    /// No sandboxes yet; those paused without memory will save their files in `saved_dir`.
    pub fn new(saved_dir: PathBuf) -> Self {
        Self { map: Mutex::default(), saved_dir }
    }

    /// Where paused sandboxes' files are saved.
    pub fn saved_dir(&self) -> &std::path::Path {
        &self.saved_dir
    }

    /// The sandbox with this ID.
    pub fn get(&self, id: &str) -> Option<Arc<Sandbox>> {
        self.map.lock().unwrap().get(id).cloned()
    }

    /// Every sandbox.
    pub fn all(&self) -> Vec<Arc<Sandbox>> {
        self.map.lock().unwrap().values().cloned().collect()
    }

    /// How many sandboxes there are, paused ones included.
    pub fn len(&self) -> usize {
        self.map.lock().unwrap().len()
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many sandboxes hold a container (running, or paused with their memory).
    pub fn holding(&self) -> usize {
        self.map.lock().unwrap().values().filter(|s| s.container.get().is_some()).count()
    }

    /// Registers a started sandbox and watches for its end.
    pub fn insert(self: &Arc<Self>, sandbox: Arc<Sandbox>) {
        self.map.lock().unwrap().insert(sandbox.id.clone(), sandbox.clone());
        tokio::spawn(self.clone().watch(sandbox));
    }

    /// Ends or pauses `sandbox` at its timeout (which may move meanwhile), and forgets it when its
    /// container dies on its own.
    async fn watch(self: Arc<Self>, s: Arc<Sandbox>) {
        loop {
            // Taken before the state is read, so that no change is missed.
            let changed = s.changed.notified();
            if self.get(&s.id).is_none_or(|known| !Arc::ptr_eq(&known, &s)) {
                return;
            }
            let phase = s.phase();
            let Some(container) = s.container.get() else {
                changed.await;
                continue;
            };
            tokio::select! {
                () = container.exited() => {
                    let transition = s.transition.lock().await;
                    // A pause or resume may have ended or replaced it on purpose.
                    if s.container.get().is_some_and(|c| Arc::ptr_eq(&c, &container)) {
                        drop(transition);
                        if self.get(&s.id).is_some() {
                            tracing::warn!(sandbox = %s.id, "sandbox ended on its own");
                        }
                        self.remove(&s.id).await;
                        return;
                    }
                }
                () = until_timeout(&s), if phase == Phase::Running => {
                    let transition = s.transition.lock().await;
                    // A pause may have come first (it also moved the end to its own moment).
                    if s.phase() != Phase::Running || s.end_at() > SystemTime::now() {
                        continue;
                    }
                    match s.lifecycle.on_timeout {
                        OnTimeout::Kill => {
                            drop(transition);
                            tracing::info!(sandbox = %s.id, "sandbox timed out");
                            self.remove(&s.id).await;
                            return;
                        }
                        OnTimeout::Pause { memory } => match transitions::pause(&s, memory, &self.saved_dir).await {
                            Ok(()) => tracing::info!(sandbox = %s.id, memory, "sandbox paused at its timeout"),
                            Err(e) => {
                                tracing::warn!(sandbox = %s.id, "cannot pause at the timeout, killing: {}", e.message);
                                drop(transition);
                                self.remove(&s.id).await;
                                return;
                            }
                        },
                    }
                }
                () = changed => {}
            }
        }
    }

    /// Kills, cleans up and forgets a sandbox; false when there was none.
    pub async fn remove(&self, id: &str) -> bool {
        let Some(s) = self.get(id) else { return false };
        let _transition = s.transition.lock().await;
        if self.map.lock().unwrap().remove(id).is_none() {
            return false;
        }
        s.changed.notify_waiters();
        if let Some(c) = s.container.take() {
            c.remove().await;
        }
        if let Some(saved) = s.saved() {
            let _ = std::fs::remove_file(saved);
            s.set_saved(None);
        }
        true
    }

    /// Kills every sandbox (at shutdown), all at once.
    pub async fn kill_all(&self) {
        let ids: Vec<String> = self.map.lock().unwrap().keys().cloned().collect();
        futures_util::future::join_all(ids.iter().map(|id| self.remove(id))).await;
    }

    /// The sandbox an envd call may go to: a running one, or a paused one (with its memory) that
    /// traffic resumes — resumed now, for as long as it was made to run.
    pub async fn for_traffic(&self, id: &str) -> Option<Arc<Sandbox>> {
        let s = self.get(id)?;
        match s.phase() {
            Phase::Running => Some(s),
            Phase::Paused { memory: true } if s.lifecycle.auto_resume => {
                let _transition = s.transition.lock().await;
                if s.phase() == (Phase::Paused { memory: true }) {
                    let container = s.container.get()?;
                    if let Err(e) = container.resume().await {
                        tracing::warn!(sandbox = %s.id, "cannot resume for traffic: {e}");
                        return None;
                    }
                    s.set_phase(Phase::Running);
                    s.set_timeout(s.timeout);
                    tracing::info!(sandbox = %s.id, "sandbox resumed by traffic");
                }
                (s.phase() == Phase::Running).then_some(s.clone())
            }
            Phase::Paused { .. } => None,
        }
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
