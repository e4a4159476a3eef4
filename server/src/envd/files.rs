//! envd's REST file routes: `GET /files` downloads, `POST /files` uploads (multipart or raw),
//! streamed, written atomically, as the sandbox user.

use axum::body::Body;
use axum::extract::{Multipart, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use bytes::Bytes;
use e2b_wire::envd::WriteInfo;
use futures_util::{Stream, StreamExt};
use serde::Deserialize;

use super::{as_user, sandbox_root, RestError, SandboxAccess, SandboxUser};
use crate::fs::{FillError, FsError, NewEntry, TreePath};
use crate::state::SharedState;

/// Query of `/files`.
#[derive(Debug, Default, Deserialize)]
pub struct FilesQuery {
    path: Option<String>,
    username: Option<String>,
}

fn rest_err(op: &str, path: &str, err: FsError) -> RestError {
    let (status, message) = err.rest_reply(op, path);
    RestError(status, message)
}

fn user_of(q: &FilesQuery) -> Result<SandboxUser, RestError> {
    SandboxUser::parse(q.username.as_deref()).map_err(|e| RestError(StatusCode::UNAUTHORIZED, e))
}

/// `GET /files?path=`: the file's bytes.
pub async fn download(
    SandboxAccess(sandbox): SandboxAccess,
    Query(q): Query<FilesQuery>,
) -> Result<Response, RestError> {
    let user = user_of(&q)?;
    let raw = q
        .path
        .clone()
        .filter(|p| !p.is_empty())
        .ok_or_else(|| RestError(StatusCode::BAD_REQUEST, "path is required".into()))?;
    let path = user.resolve(&raw);
    let root = sandbox_root(&sandbox).map_err(|e| RestError(StatusCode::BAD_GATEWAY, e.to_string()))?;
    let opened = tokio::task::spawn_blocking(move || as_user(user, || root.open_read(&path)))
        .await
        .map_err(|e| RestError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    let (file, size) = opened.map_err(|e| rest_err("read", &raw, e))?;
    let stream = tokio_util::io::ReaderStream::with_capacity(tokio::fs::File::from_std(file), 256 * 1024);
    Ok((
        [(header::CONTENT_TYPE, "application/octet-stream".to_string()), (header::CONTENT_LENGTH, size.to_string())],
        Body::from_stream(stream),
    )
        .into_response())
}

/// Streams `data` into `path` inside the sandbox, atomically, owned by `user`.
async fn write_one<S, E>(
    sandbox: &crate::sandboxes::runtime::Sandbox,
    user: SandboxUser,
    raw: &str,
    data: S,
) -> Result<WriteInfo, RestError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let path: TreePath = user.resolve(raw);
    let root =
        std::sync::Arc::new(sandbox_root(sandbox).map_err(|e| RestError(StatusCode::BAD_GATEWAY, e.to_string()))?);
    let new = NewEntry { uid: user.uid, gid: user.uid, mode: 0o644, parent_mode: 0o755 };
    let pending = {
        let (root, path) = (root.clone(), path.clone());
        tokio::task::spawn_blocking(move || as_user(user, || root.begin_write(&path, new, true)))
            .await
            .map_err(|e| RestError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
    };
    let mut data = data;
    let mut pending = match pending {
        Ok(p) => p,
        Err(e) => {
            // Read what the client is still sending, so that it sees the reply and not a reset.
            while let Some(Ok(_)) = data.next().await {}
            return Err(rest_err("write", raw, e));
        }
    };
    match pending.fill(data).await {
        Ok(()) => {}
        Err(FillError::Body(e)) => {
            return Err(RestError(StatusCode::BAD_REQUEST, format!("upload of {raw} interrupted: {e}")))
        }
        Err(FillError::Io(e)) => return Err(rest_err("write", raw, FsError::Io(e))),
    }
    let committed = tokio::task::spawn_blocking(move || as_user(user, || root.commit(pending)))
        .await
        .map_err(|e| RestError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    committed.map_err(|e| rest_err("write", raw, e))?;
    Ok(WriteInfo {
        name: path.name().to_string(),
        kind: "file".into(),
        path: path.as_str().to_string(),
        metadata: None,
    })
}

/// `POST /files`: multipart (one part a file, the part's filename its path) or a raw body to `?path=`.
pub async fn upload(
    State(_state): State<SharedState>,
    SandboxAccess(sandbox): SandboxAccess,
    Query(q): Query<FilesQuery>,
    headers: HeaderMap,
    request: axum::extract::Request,
) -> Result<Json<Vec<WriteInfo>>, RestError> {
    let user = user_of(&q)?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !content_type.starts_with("multipart/form-data") {
        let raw = q
            .path
            .clone()
            .filter(|p| !p.is_empty())
            .ok_or_else(|| RestError(StatusCode::BAD_REQUEST, "path is required for a raw upload".into()))?;
        let data = request.into_body().into_data_stream();
        return Ok(Json(vec![write_one(&sandbox, user, &raw, data).await?]));
    }
    let mut multipart = <Multipart as axum::extract::FromRequest<()>>::from_request(request, &())
        .await
        .map_err(|e| RestError(StatusCode::BAD_REQUEST, e.body_text()))?;
    let mut written = Vec::new();
    while let Some(field) =
        multipart.next_field().await.map_err(|e| RestError(StatusCode::BAD_REQUEST, e.body_text()))?
    {
        let dest = field
            .file_name()
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .or_else(|| q.path.clone())
            .ok_or_else(|| RestError(StatusCode::BAD_REQUEST, "each part needs a filename (its path)".into()))?;
        match write_one(&sandbox, user, &dest, field).await {
            Ok(info) => written.push(info),
            Err(e) => {
                while let Ok(Some(mut rest)) = multipart.next_field().await {
                    while let Ok(Some(_)) = rest.chunk().await {}
                }
                return Err(e);
            }
        }
    }
    Ok(Json(written))
}
