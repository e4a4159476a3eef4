//! Shared server state — the database, the token issuer, the sandboxes and snapshots, and where files live —
//! and the layout of the data directory.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::sandboxes::catalog::Catalog;
use crate::sandboxes::registry::Sandboxes;
use crate::sandboxes::runtime::Runtime;
use crate::store::Store;
use crate::tokens::TokenIssuer;

/// Everything a request handler may need.
pub struct AppState {
    /// Volume records, API keys and the token secret.
    pub store: Store,
    /// Mints and checks volume tokens.
    pub tokens: TokenIssuer,
    /// Where each volume's files live, one directory per volume ID.
    pub volumes_dir: PathBuf,
    /// Where deleted volumes wait to be removed.
    pub trash_dir: PathBuf,
    /// The sandboxes, running or paused.
    pub sandboxes: Arc<Sandboxes>,
    /// The snapshots.
    pub snapshots: Catalog,
    /// Runs sandboxes.
    pub runtime: Arc<Runtime>,
    /// Most sandboxes running at once.
    pub max_sandboxes: usize,
    /// Held (shared) while a sandbox mounts volumes, and (exclusively) while a volume is deleted.
    pub mounts_lock: tokio::sync::RwLock<()>,
}

/// The state as handlers receive it, cloned cheaply.
pub type SharedState = Arc<AppState>;

impl AppState {
    /// Host directory of a volume's contents.
    pub fn volume_dir(&self, volume_id: &str) -> PathBuf {
        self.volumes_dir.join(volume_id)
    }
}

/// The files of the data directory.
pub struct DataDir {
    /// The directory itself.
    pub root: PathBuf,
}

impl DataDir {
    /// The data directory at `root`.
    pub fn new(root: &Path) -> Self {
        Self { root: root.to_path_buf() }
    }
    /// The SQLite database.
    pub fn database(&self) -> PathBuf {
        self.root.join("e2b-local.sqlite3")
    }
    /// Volumes' contents.
    pub fn volumes(&self) -> PathBuf {
        self.root.join("volumes")
    }
    /// Deleted volumes on their way out.
    pub fn trash(&self) -> PathBuf {
        self.root.join("trash")
    }
    /// Sandboxes' bundles (their configuration, root filesystem mount point and envd socket).
    pub fn sandboxes(&self) -> PathBuf {
        self.root.join("sandboxes")
    }
    /// Snapshots: their archives and records (kept across restarts).
    pub fn snapshots(&self) -> PathBuf {
        self.root.join("snapshots")
    }
    /// The files of sandboxes paused without their memory (gone at a restart, with the sandboxes).
    pub fn paused(&self) -> PathBuf {
        self.root.join("paused")
    }
    /// The OCI runtime's state.
    pub fn runtime_state(&self) -> PathBuf {
        self.root.join("runtime")
    }
}
