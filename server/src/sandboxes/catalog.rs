//! Snapshots kept in the data directory, surviving restarts: each an archive of a sandbox's own
//! files (`<id>.tar`) and a record (`<id>.json`). A snapshot is a template: new sandboxes start
//! from it by its ID or name, with or without the `:default` tag (the only tag kept).

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use e2b_wire::sandboxes::SnapshotInfo;
use serde::{Deserialize, Serialize};

/// The one tag a snapshot has.
pub const TAG: &str = "default";
/// Longest snapshot name.
const MAX_NAME: usize = 128;

/// A snapshot's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Its template ID.
    pub id: String,
    /// Its name, if it was given one.
    pub name: Option<String>,
    /// The sandbox it was taken of.
    pub sandbox_id: String,
    /// When it was taken, in Unix milliseconds.
    pub created_ms: u64,
}

impl Record {
    /// How the API describes it.
    pub fn info(&self) -> SnapshotInfo {
        let base = self.name.as_deref().unwrap_or(&self.id);
        SnapshotInfo {
            snapshot_id: format!("{base}:{TAG}"),
            names: self.name.iter().map(|n| format!("{n}:{TAG}")).collect(),
        }
    }

    /// True when `reference` (an ID or name, with or without the tag) names it.
    fn named(&self, reference: &str) -> bool {
        let bare = reference.strip_suffix(&format!(":{TAG}")).unwrap_or(reference);
        bare == self.id || self.name.as_deref() == Some(bare)
    }
}

/// Checks a snapshot name (letters, digits, `-`, `_`, `.`); returns it lower-cased.
pub fn check_name(name: &str) -> Result<String, String> {
    let ok = !name.is_empty()
        && name.len() <= MAX_NAME
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !name.starts_with('.');
    if ok {
        Ok(name.to_ascii_lowercase())
    } else {
        Err(format!("invalid snapshot name {name:?}: use 1–{MAX_NAME} letters, digits, '-', '_' or '.'"))
    }
}

/// The snapshots of this server.
pub struct Catalog {
    dir: PathBuf,
    /// Held while records are written, so that two snapshots of one name never race.
    writing: Mutex<()>,
}

impl Catalog {
    /// The snapshots in `dir`.
    pub fn new(dir: PathBuf) -> Self {
        Self { dir, writing: Mutex::new(()) }
    }

    /// The archive of snapshot `id`.
    pub fn archive(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.tar"))
    }

    fn record_path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.json"))
    }

    /// Every snapshot, newest first.
    pub fn list(&self) -> Vec<Record> {
        let entries = std::fs::read_dir(&self.dir).into_iter().flatten().flatten();
        let mut all: Vec<Record> = entries
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .filter_map(|e| serde_json::from_slice(&std::fs::read(e.path()).ok()?).ok())
            .collect();
        all.sort_by(|a, b| b.created_ms.cmp(&a.created_ms).then_with(|| a.id.cmp(&b.id)));
        all
    }

    /// The snapshot `reference` names.
    pub fn find(&self, reference: &str) -> Option<Record> {
        self.list().into_iter().find(|r| r.named(reference))
    }

    /// Records a snapshot of `sandbox_id` whose archive was written to `taken` (moved into place); a
    /// snapshot of the same name is replaced.
    pub fn add(&self, name: Option<String>, sandbox_id: &str, taken: &Path) -> std::io::Result<Record> {
        let _writing = self.writing.lock().unwrap();
        let existing = name.as_deref().and_then(|n| self.list().into_iter().find(|r| r.name.as_deref() == Some(n)));
        let id = existing.map_or_else(crate::ids::random_hex::<10>, |r| r.id);
        let created_ms = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default().as_millis();
        let record = Record { id, name, sandbox_id: sandbox_id.to_string(), created_ms: created_ms as u64 };
        std::fs::rename(taken, self.archive(&record.id))?;
        let part = self.dir.join(format!("{}.json.part", record.id));
        std::fs::write(&part, serde_json::to_vec(&record).map_err(std::io::Error::other)?)?;
        std::fs::rename(&part, self.record_path(&record.id))?;
        Ok(record)
    }

    /// Deletes the snapshot `reference` names; false when there is none.
    pub fn delete(&self, reference: &str) -> bool {
        let _writing = self.writing.lock().unwrap();
        let Some(record) = self.find(reference) else { return false };
        let _ = std::fs::remove_file(self.record_path(&record.id));
        let _ = std::fs::remove_file(self.archive(&record.id));
        true
    }

    /// A fresh path in the catalogue's directory for an archive being written.
    pub fn scratch(&self) -> PathBuf {
        self.dir.join(format!("taking-{}.tar", crate::ids::random_hex::<8>()))
    }

    /// Removes archives left half-written by a server that stopped.
    pub fn tidy(&self) {
        for entry in std::fs::read_dir(&self.dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("taking-") || name.ends_with(".part") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshots_are_found_by_id_or_name_with_or_without_the_tag() {
        let dir = tempfile::tempdir().unwrap();
        let c = Catalog::new(dir.path().to_path_buf());
        let taken = c.scratch();
        std::fs::write(&taken, "a").unwrap();
        let plain = c.add(None, "sb1", &taken).unwrap();
        assert_eq!(plain.info(), SnapshotInfo { snapshot_id: format!("{}:default", plain.id), names: vec![] });
        std::thread::sleep(std::time::Duration::from_millis(2));
        let taken = c.scratch();
        std::fs::write(&taken, "b").unwrap();
        let named = c.add(Some("mine".into()), "sb2", &taken).unwrap();
        assert_eq!(named.info().snapshot_id, "mine:default");
        assert_eq!(named.info().names, vec!["mine:default".to_string()]);
        for reference in ["mine", "mine:default", named.id.as_str()] {
            assert_eq!(c.find(reference).unwrap().id, named.id, "{reference}");
        }
        assert_eq!(c.find(&format!("{}:default", plain.id)).unwrap().id, plain.id);
        assert!(c.find("mine:v2").is_none() && c.find("other").is_none());
        assert_eq!(c.list().iter().map(|r| r.sandbox_id.as_str()).collect::<Vec<_>>(), ["sb2", "sb1"]);
        // The same name again replaces it, keeping its ID.
        let taken = c.scratch();
        std::fs::write(&taken, "c").unwrap();
        let again = c.add(Some("mine".into()), "sb3", &taken).unwrap();
        assert_eq!(again.id, named.id);
        assert_eq!(std::fs::read_to_string(c.archive(&named.id)).unwrap(), "c");
        assert_eq!(c.list().len(), 2);
        assert!(c.delete("mine:default"));
        assert!(!c.delete("mine"));
        assert!(!c.archive(&named.id).exists());
    }

    #[test]
    fn names_are_checked() {
        assert_eq!(check_name("My-Snap_1.0").unwrap(), "my-snap_1.0");
        for bad in ["", "a b", "a/b", ".hidden", &"x".repeat(129), "a:b"] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }
}
