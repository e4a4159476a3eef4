//! The server's records in SQLite: volumes, API keys and the token signing key.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS api_keys (key TEXT PRIMARY KEY, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS volumes (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);
";

/// One volume row.
#[derive(Debug, Clone)]
pub struct VolumeRecord {
    /// Volume ID, a lowercase UUID.
    pub id: String,
    /// Volume name, unique.
    pub name: String,
}

/// Why a volume could not be inserted.
#[derive(Debug)]
pub enum InsertError {
    /// Another volume has this name.
    NameTaken,
    /// The database failed.
    Db(rusqlite::Error),
}

/// Handle to the SQLite database; cheap calls under one lock.
pub struct Store {
    conn: Mutex<Connection>,
}

impl Store {
    /// Opens (creating if needed) the database at `path`.
    pub fn open(path: &Path) -> rusqlite::Result<Self> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.execute_batch(SCHEMA)?;
        Ok(Self { conn: Mutex::new(conn) })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Returns the setting `key`, creating it with `init()` on first use.
    pub fn setting_or_init(&self, key: &str, init: impl FnOnce() -> String) -> rusqlite::Result<String> {
        let conn = self.conn();
        if let Some(v) = conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()? {
            return Ok(v);
        }
        let value = init();
        conn.execute("INSERT INTO settings (key, value) VALUES (?1, ?2)", params![key, value])?;
        Ok(value)
    }

    /// Records an API key as valid.
    pub fn add_api_key(&self, key: &str) -> rusqlite::Result<()> {
        self.conn().execute("INSERT OR IGNORE INTO api_keys (key, created_at) VALUES (?1, unixepoch())", [key])?;
        Ok(())
    }

    /// Makes `keys` the only valid API keys.
    pub fn set_api_keys(&self, keys: &[&str]) -> rusqlite::Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM api_keys", [])?;
        for key in keys {
            tx.execute("INSERT INTO api_keys (key, created_at) VALUES (?1, unixepoch())", [key])?;
        }
        tx.commit()
    }

    /// The oldest API key, if any.
    pub fn first_api_key(&self) -> rusqlite::Result<Option<String>> {
        self.conn()
            .query_row("SELECT key FROM api_keys ORDER BY created_at, rowid LIMIT 1", [], |r| r.get(0))
            .optional()
    }

    /// The valid API keys.
    pub fn api_keys(&self) -> rusqlite::Result<Vec<String>> {
        let conn = self.conn();
        // Every control-plane request asks: the statement is parsed once and kept.
        let mut stmt = conn.prepare_cached("SELECT key FROM api_keys")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect()
    }

    /// Inserts a volume; a taken name is reported as such.
    pub fn insert_volume(&self, v: &VolumeRecord) -> Result<(), InsertError> {
        match self
            .conn()
            .execute("INSERT INTO volumes (id, name, created_at) VALUES (?1, ?2, unixepoch())", params![v.id, v.name])
        {
            Ok(_) => Ok(()),
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => {
                Err(InsertError::NameTaken)
            }
            Err(e) => Err(InsertError::Db(e)),
        }
    }

    /// All volumes, oldest first.
    pub fn list_volumes(&self) -> rusqlite::Result<Vec<VolumeRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT id, name FROM volumes ORDER BY created_at, rowid")?;
        let rows = stmt.query_map([], |r| Ok(VolumeRecord { id: r.get(0)?, name: r.get(1)? }))?;
        rows.collect()
    }

    /// The volume with this ID.
    pub fn volume(&self, id: &str) -> rusqlite::Result<Option<VolumeRecord>> {
        // Every volume content request asks: the statement is parsed once and kept.
        self.conn()
            .prepare_cached("SELECT id, name FROM volumes WHERE id = ?1")?
            .query_row([id], |r| Ok(VolumeRecord { id: r.get(0)?, name: r.get(1)? }))
            .optional()
    }

    /// The volume with this name.
    pub fn volume_by_name(&self, name: &str) -> rusqlite::Result<Option<VolumeRecord>> {
        self.conn()
            .query_row("SELECT id, name FROM volumes WHERE name = ?1", [name], |r| {
                Ok(VolumeRecord { id: r.get(0)?, name: r.get(1)? })
            })
            .optional()
    }

    /// Deletes a volume row; false when there was none.
    pub fn delete_volume(&self, id: &str) -> rusqlite::Result<bool> {
        Ok(self.conn().execute("DELETE FROM volumes WHERE id = ?1", [id])? > 0)
    }
}
