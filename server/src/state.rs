//! Shared server state: the database, the token issuer and where volumes live on disk.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::sandboxes::registry::Sandboxes;
use crate::store::Store;
use crate::tokens::TokenIssuer;

/// Everything a request handler may need; cloned cheaply as `Arc`.
pub struct AppState {
    pub store: Store,
    pub tokens: TokenIssuer,
    pub volumes_dir: PathBuf,
    pub trash_dir: PathBuf,
    pub api_key: String,
    /// The data directory (hidden from sandboxes).
    pub data_dir: PathBuf,
    /// Where sandboxes keep their own files.
    pub sandboxes_dir: PathBuf,
    pub sandboxes: Arc<Sandboxes>,
}

pub type SharedState = Arc<AppState>;

/// Files of the data directory.
pub struct DataDir {
    pub root: PathBuf,
}

impl DataDir {
    pub fn new(root: &Path) -> Self {
        Self { root: root.to_path_buf() }
    }
    pub fn database(&self) -> PathBuf {
        self.root.join("e2b-local.sqlite3")
    }
    pub fn volumes(&self) -> PathBuf {
        self.root.join("volumes")
    }
    pub fn trash(&self) -> PathBuf {
        self.root.join("trash")
    }
    pub fn sandboxes(&self) -> PathBuf {
        self.root.join("sandboxes")
    }
}

impl AppState {
    /// Host directory of a volume's contents.
    pub fn volume_dir(&self, volume_id: &str) -> PathBuf {
        self.volumes_dir.join(volume_id)
    }
}
