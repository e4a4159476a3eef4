//! The control plane's volume handlers: create, list, get (with a fresh token) and delete.

use std::os::unix::fs::DirBuilderExt as _;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::Json;
use e2b_wire::{is_valid_volume_name, NewVolume, Volume, VolumeAndToken};

use crate::errors::ControlError;
use crate::ids;
use crate::state::SharedState;
use crate::store::{InsertError, VolumeRecord};

/// Longest volume name E2B can store.
const MAX_NAME_LEN: usize = 250;

/// A `{volume_id}` path parameter that is a UUID, in canonical form.
pub struct VolumeId(pub String);

impl FromRequestParts<SharedState> for VolumeId {
    type Rejection = ControlError;

    async fn from_request_parts(parts: &mut Parts, state: &SharedState) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ControlError::bad_request("Invalid volume ID"))?;
        ids::parse_volume_id(&raw).map(VolumeId).ok_or_else(|| ControlError::bad_request("Invalid volume ID"))
    }
}

/// `POST /volumes`: creates a volume and its directory.
pub async fn create(
    State(state): State<SharedState>,
    body: Result<Json<NewVolume>, JsonRejection>,
) -> Result<(StatusCode, Json<VolumeAndToken>), ControlError> {
    let Json(NewVolume { name }) =
        body.map_err(|e| ControlError::bad_request(format!("Error when parsing request: {}", e.body_text())))?;
    if !is_valid_volume_name(&name) || name.len() > MAX_NAME_LEN {
        return Err(ControlError::bad_request("Invalid volume name"));
    }
    let taken = || ControlError::bad_request(format!("Volume with name '{name}' already exists"));
    if state.store.volume_by_name(&name).map_err(ControlError::internal)?.is_some() {
        return Err(taken());
    }
    let record = VolumeRecord { id: ids::new_volume_id(), name: name.clone() };
    let dir = state.volume_dir(&record.id);
    // World-writable like E2B's NFS-served volumes, which check no permissions: the sandbox
    // user must be able to write at the mount path.
    std::fs::DirBuilder::new()
        .mode(0o777)
        .create(&dir)
        .map_err(|e| ControlError::internal(format!("Error when creating directory: {e}")))?;
    // The umask trims the mode given at creation.
    std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o777))
        .map_err(|e| ControlError::internal(format!("Error when creating directory: {e}")))?;
    if let Err(err) = state.store.insert_volume(&record) {
        let _ = std::fs::remove_dir(&dir);
        return Err(match err {
            InsertError::NameTaken => taken(),
            InsertError::Db(e) => ControlError::internal(e),
        });
    }
    tracing::info!(volume = %record.id, name = %record.name, "volume created");
    Ok((StatusCode::CREATED, Json(with_token(&state, record))))
}

/// `GET /volumes`: every volume, without tokens.
pub async fn list(State(state): State<SharedState>) -> Result<Json<Vec<Volume>>, ControlError> {
    let rows = state.store.list_volumes().map_err(ControlError::internal)?;
    Ok(Json(rows.into_iter().map(|r| Volume { volume_id: r.id, name: r.name }).collect()))
}

/// `GET /volumes/{volumeID}`: the volume with a fresh token.
pub async fn get(
    State(state): State<SharedState>,
    VolumeId(id): VolumeId,
) -> Result<Json<VolumeAndToken>, ControlError> {
    let record = state.store.volume(&id).map_err(ControlError::internal)?;
    let record = record.ok_or_else(|| ControlError::not_found("Volume not found"))?;
    Ok(Json(with_token(&state, record)))
}

/// `DELETE /volumes/{volumeID}`: forgets the volume at once, removes its files in the background;
/// refused while a running sandbox mounts it.
pub async fn delete(State(state): State<SharedState>, VolumeId(id): VolumeId) -> Result<StatusCode, ControlError> {
    // No sandbox may start mounting it meanwhile.
    let _no_new_mounts = state.mounts_lock.write().await;
    let record = state.store.volume(&id).map_err(ControlError::internal)?;
    let record = record.ok_or_else(|| ControlError::not_found("Volume not found"))?;
    let users: Vec<String> = state
        .sandboxes
        .all()
        .iter()
        .filter(|s| s.mounts.iter().any(|m| m.name == record.name))
        .map(|s| s.id.clone())
        .collect();
    if !users.is_empty() {
        let message =
            format!("Volume '{}' is mounted by running sandboxes ({}); kill them first", record.name, users.join(", "));
        return Err(ControlError::new(StatusCode::CONFLICT, message));
    }
    if !state.store.delete_volume(&id).map_err(ControlError::internal)? {
        return Err(ControlError::not_found("Volume not found"));
    }
    // Move the tree out of the way first, so the name and ID are free at once.
    let trash = state.trash_dir.join(format!("{id}-{}", uuid::Uuid::new_v4().simple()));
    match std::fs::rename(state.volume_dir(&id), &trash) {
        Ok(()) => {
            tokio::task::spawn_blocking(move || {
                if let Err(e) = std::fs::remove_dir_all(&trash) {
                    tracing::warn!("could not remove {}: {e}", trash.display());
                }
            });
        }
        Err(e) => tracing::warn!(volume = %id, "could not move volume directory to trash: {e}"),
    }
    tracing::info!(volume = %id, "volume deleted");
    Ok(StatusCode::NO_CONTENT)
}

/// The volume with a freshly minted content token.
fn with_token(state: &SharedState, record: VolumeRecord) -> VolumeAndToken {
    let token = state.tokens.mint(&record.id);
    VolumeAndToken { volume_id: record.id, name: record.name, token, domain: None }
}
