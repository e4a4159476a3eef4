//! At start, the database and the volume directories are made to agree: a directory without a
//! record (left by a crash between creating it and recording it) goes to the trash; a record
//! without a directory gets an empty one again, so the volume stays usable.

use std::os::unix::fs::{DirBuilderExt as _, PermissionsExt as _};
use std::path::Path;

use crate::store::Store;

/// Reconciles `store` with the directories in `volumes`, moving orphans to `trash`.
pub fn reconcile(store: &Store, volumes: &Path, trash: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let records = store.list_volumes()?;
    let known: std::collections::HashSet<&str> = records.iter().map(|r| r.id.as_str()).collect();
    for entry in std::fs::read_dir(volumes)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !known.contains(name.as_str()) {
            tracing::warn!("volume directory {name} has no record; moving it to the trash");
            std::fs::rename(entry.path(), trash.join(format!("orphan-{name}-{}", crate::ids::random_hex::<4>())))?;
        }
    }
    for r in &records {
        let dir = volumes.join(&r.id);
        if !dir.exists() {
            tracing::warn!(volume = %r.id, name = %r.name, "volume directory missing; making it anew, empty");
            std::fs::DirBuilder::new().mode(0o777).create(&dir)?;
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777))?;
        }
    }
    Ok(())
}
