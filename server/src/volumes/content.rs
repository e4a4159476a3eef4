//! The volume content API's handlers: stat, update, remove, list and make directories, read and
//! write files, all inside the volume's confined tree.

use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use e2b_wire::{ListQuery, MetadataUpdate, PathQuery, VolumeEntryStat, WriteQuery};

use crate::auth::VolumeGrant;
use crate::download::Opened;
use crate::errors::VolumeContentError as Error;
use crate::fs::{ConfinedRoot, FillError, FsError, NewEntry, TreePath};
use crate::state::SharedState;

/// The granted volume of a request, opened.
pub struct VolumeAccess {
    /// The volume's ID.
    pub id: String,
    /// Its tree.
    pub root: ConfinedRoot,
}

impl FromRequestParts<SharedState> for VolumeAccess {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &SharedState) -> Result<Self, Self::Rejection> {
        let VolumeGrant { id } =
            parts.extensions.get::<VolumeGrant>().cloned().ok_or_else(|| Error::internal("no volume grant"))?;
        let root = ConfinedRoot::open(&state.volume_dir(&id)).map_err(Error::internal)?;
        Ok(Self { id, root })
    }
}

/// The required, non-empty `path` query parameter.
fn required_path(path: Option<String>) -> Result<String, Error> {
    match path {
        Some(p) if !p.is_empty() => Ok(p),
        _ => Err(Error::bad_request("the query parameter 'path' is required and must not be empty")),
    }
}

fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, Error> {
    q.map(|Query(t)| t).map_err(|e| Error::bad_request(format!("invalid query: {}", e.body_text())))
}

/// Runs blocking filesystem work off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, Error> {
    tokio::task::spawn_blocking(f).await.map_err(Error::internal)
}

/// `GET …/path`: stat.
pub async fn stat(
    vol: VolumeAccess,
    q: Result<Query<PathQuery>, QueryRejection>,
) -> Result<Json<VolumeEntryStat>, Error> {
    let raw = required_path(query(q)?.path)?;
    let path = TreePath::parse(&raw).map_err(|e| Error::from_fs("stat", &raw, e))?;
    let r = blocking(move || vol.root.stat(&path)).await?;
    r.map(Json).map_err(|e| Error::from_fs("stat", &raw, e))
}

/// `PATCH …/path`: chmod and chown.
pub async fn update(
    vol: VolumeAccess,
    q: Result<Query<PathQuery>, QueryRejection>,
    body: Bytes,
) -> Result<Json<VolumeEntryStat>, Error> {
    let raw = required_path(query(q)?.path)?;
    let update: MetadataUpdate = if body.iter().all(u8::is_ascii_whitespace) {
        MetadataUpdate::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| Error::bad_request(format!("invalid metadata: {e}")))?
    };
    let path = TreePath::parse(&raw).map_err(|e| Error::from_fs("update", &raw, e))?;
    let r = blocking(move || vol.root.update(&path, update.uid, update.gid, update.mode)).await?;
    r.map(Json).map_err(|e| Error::from_fs("update", &raw, e))
}

/// `DELETE …/path`: recursive remove.
pub async fn remove(vol: VolumeAccess, q: Result<Query<PathQuery>, QueryRejection>) -> Result<StatusCode, Error> {
    let raw = required_path(query(q)?.path)?;
    let path = TreePath::parse(&raw).map_err(|e| Error::from_fs("delete", &raw, e))?;
    let r = blocking(move || vol.root.remove(&path)).await?;
    r.map(|()| StatusCode::NO_CONTENT).map_err(|e| Error::from_fs("delete", &raw, e))
}

/// `GET …/dir`: listing down to `depth`.
pub async fn list_dir(
    vol: VolumeAccess,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<Vec<VolumeEntryStat>>, Error> {
    let q = query(q)?;
    let raw = required_path(q.path)?;
    let depth = q.depth.unwrap_or(1);
    let path = TreePath::parse(&raw).map_err(|e| Error::from_fs("read", &raw, e))?;
    let r = blocking(move || vol.root.list(&path, depth)).await?;
    r.map(Json).map_err(|e| Error::from_fs("read", &raw, e))
}

/// `POST …/dir`: mkdir, or mkdir -p with `force`.
pub async fn make_dir(vol: VolumeAccess, q: Result<Query<WriteQuery>, QueryRejection>) -> Result<Response, Error> {
    let q = query(q)?;
    let raw = required_path(q.path)?;
    let new = NewEntry::with_defaults(q.uid, q.gid, q.mode, true);
    let force = q.force.unwrap_or(false);
    let path = TreePath::parse(&raw).map_err(|e| Error::from_fs("create directory", &raw, e))?;
    let r = blocking(move || vol.root.make_dir(&path, new, force)).await?;
    r.map(|e| (StatusCode::CREATED, Json(e)).into_response()).map_err(|e| Error::from_fs("create directory", &raw, e))
}

/// `GET …/file`: the file's bytes, streamed.
pub async fn read_file(vol: VolumeAccess, q: Result<Query<PathQuery>, QueryRejection>) -> Result<Response, Error> {
    let raw = required_path(query(q)?.path)?;
    let path = TreePath::parse(&raw).map_err(|e| Error::from_fs("read", &raw, e))?;
    let r = blocking(move || {
        let (file, size) = vol.root.open_read(&path)?;
        Ok::<_, FsError>(Opened::read(file, size)?)
    })
    .await?;
    Ok(r.map_err(|e| Error::from_fs("read", &raw, e))?.reply())
}

/// Uploads that say they are at most this long are collected first, then written and published in
/// one blocking call: one trip to the blocking pool per small file instead of one per step.
const WRITE_WHOLE_MAX: u64 = 256 * 1024;

/// `PUT …/file`: streams the body into an invisible file, then publishes it atomically.
pub async fn write_file(
    vol: VolumeAccess,
    q: Result<Query<WriteQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Error> {
    let q = query(q)?;
    let raw = required_path(q.path)?;
    let new = NewEntry::with_defaults(q.uid, q.gid, q.mode, false);
    let force = q.force.unwrap_or(false);
    let path = TreePath::parse(&raw).map_err(|e| Error::from_fs("write", &raw, e))?;
    let VolumeAccess { id, root } = vol;
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n <= WRITE_WHOLE_MAX) {
        let bytes = match axum::body::to_bytes(body, WRITE_WHOLE_MAX as usize).await {
            Ok(bytes) => bytes,
            Err(e) => return Err(interrupted(&id, &raw, e)),
        };
        let r = blocking(move || {
            let mut pending = root.begin_write(&path, new, force)?;
            pending.fill_from(&bytes)?;
            root.commit(pending)
        })
        .await?;
        return r.map(created).map_err(|e| Error::from_fs("write", &raw, e));
    }
    let root = std::sync::Arc::new(root);
    let r = {
        let root = root.clone();
        blocking(move || root.begin_write(&path, new, force)).await?
    };
    let mut pending = r.map_err(|e| Error::from_fs("write", &raw, e))?;
    match pending.fill(body.into_data_stream()).await {
        Ok(()) => {}
        Err(FillError::Body(e)) => return Err(interrupted(&id, &raw, e)),
        Err(FillError::Io(e)) => return Err(Error::from_fs("write", &raw, FsError::Io(e))),
    }
    let r = blocking(move || root.commit(pending)).await?;
    r.map(created).map_err(|e| Error::from_fs("write", &raw, e))
}

/// The reply to a published upload.
fn created(entry: VolumeEntryStat) -> Response {
    (StatusCode::CREATED, Json(entry)).into_response()
}

/// The error of an upload whose body broke off.
fn interrupted(id: &str, raw: &str, e: impl std::fmt::Display) -> Error {
    tracing::warn!(volume = %id, path = %raw, "upload interrupted: {e}");
    Error::bad_request(format!("upload of {raw:?} interrupted: {e}"))
}
