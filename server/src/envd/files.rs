//! envd's REST file routes: `GET /files` downloads, `POST /files` uploads (multipart or raw),
//! streamed, written atomically, as the sandbox user — with the upload's metadata and, either way,
//! gzip when the client asks for it.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Query, Request};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use bytes::Bytes;
use e2b_wire::envd::{FilesQuery, WriteInfo, METADATA_XATTR_PREFIX};
use futures_util::{Stream, StreamExt};

use super::encoding::{self, Coding};
use super::metadata;
use super::user::{as_user, SandboxUser};
use crate::errors::EnvdRestError as Error;
use crate::fs::{ConfinedRoot, FillError, FsError, NewEntry};

fn user_of(q: &FilesQuery) -> Result<SandboxUser, Error> {
    SandboxUser::parse(q.username.as_deref()).map_err(|e| Error::new(StatusCode::UNAUTHORIZED, e))
}

/// The sandbox's root (envd's own), for file work.
fn root() -> Result<ConfinedRoot, Error> {
    ConfinedRoot::open(std::path::Path::new("/"))
        .map_err(|e| Error::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
}

/// Runs blocking file work as `user` off the async threads.
async fn blocking_as<T: Send + 'static>(user: SandboxUser, f: impl FnOnce() -> T + Send + 'static) -> Result<T, Error> {
    tokio::task::spawn_blocking(move || as_user(user, f))
        .await
        .map_err(|e| Error::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
}

/// `GET /files?path=`: the file's bytes, gzipped if the client prefers it.
pub async fn download(Query(q): Query<FilesQuery>, headers: HeaderMap) -> Result<Response, Error> {
    let user = user_of(&q)?;
    let raw =
        q.path.filter(|p| !p.is_empty()).ok_or_else(|| Error::new(StatusCode::BAD_REQUEST, "path is required"))?;
    let path = user.resolve(&raw).map_err(|e| Error::from_fs("read", &raw, e))?;
    let root = root()?;
    let (file, size) =
        blocking_as(user, move || root.open_read(&path)).await?.map_err(|e| Error::from_fs("read", &raw, e))?;
    match encoding::for_reply(&headers) {
        Some(Coding::Identity) => Ok(crate::download::file_reply(file, size)),
        Some(Coding::Gzip) => Ok(encoding::gzip_reply(file, size)),
        None => Err(Error::new(StatusCode::NOT_ACCEPTABLE, encoding::not_acceptable())),
    }
}

/// `POST /files`: multipart (one part a file, the part's filename its path) or a raw body to
/// `?path=`; `X-Metadata-*` headers become every written file's metadata (replacing what it had).
pub async fn upload(
    Query(q): Query<FilesQuery>,
    headers: HeaderMap,
    request: Request,
) -> Result<Json<Vec<WriteInfo>>, Error> {
    let user = user_of(&q)?;
    let checked = encoding::of_request(&headers).and_then(|coding| Ok((coding, metadata::from_headers(&headers)?)));
    let (coding, metadata) = match checked {
        Ok(ok) => ok,
        Err(message) => {
            drain(request.into_body().into_data_stream()).await;
            return Err(Error::new(StatusCode::BAD_REQUEST, message));
        }
    };
    let (mut parts, body) = request.into_parts();
    let body = match coding {
        Coding::Identity => body,
        Coding::Gzip => {
            // The length now describes the compressed bytes.
            parts.headers.remove(header::CONTENT_LENGTH);
            Body::from_stream(encoding::gunzip(body.into_data_stream()))
        }
    };
    let request = Request::from_parts(parts, body);
    let metadata = Arc::new(metadata);
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !content_type.starts_with("multipart/form-data") {
        let raw = q
            .path
            .filter(|p| !p.is_empty())
            .ok_or_else(|| Error::new(StatusCode::BAD_REQUEST, "path is required for a raw upload"))?;
        let data = request.into_body().into_data_stream();
        return Ok(Json(vec![write_one(user, &raw, data, metadata).await?]));
    }
    // The form's reader stops at its closing boundary; what follows (a chunked body's end) is read
    // before the reply, or the connection may be closed under a sender still writing it.
    let (parts, body) = request.into_parts();
    let (rest, body) = SharedBody::split(body);
    let outcome = upload_form(user, q.path, Request::from_parts(parts, body), metadata).await;
    rest.drain().await;
    outcome.map(Json)
}

/// The files of a multipart upload, written in turn.
async fn upload_form(
    user: SandboxUser,
    path: Option<String>,
    request: Request,
    metadata: Arc<BTreeMap<String, String>>,
) -> Result<Vec<WriteInfo>, Error> {
    let mut multipart =
        Multipart::from_request(request, &()).await.map_err(|e| Error::new(StatusCode::BAD_REQUEST, e.body_text()))?;
    let mut written = Vec::new();
    while let Some(field) =
        multipart.next_field().await.map_err(|e| Error::new(StatusCode::BAD_REQUEST, e.body_text()))?
    {
        let dest = field
            .file_name()
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .or_else(|| path.clone())
            .ok_or_else(|| Error::new(StatusCode::BAD_REQUEST, "each part needs a filename (its path)"))?;
        match write_one(user, &dest, field, metadata.clone()).await {
            Ok(info) => written.push(info),
            Err(e) => {
                // Read what the client is still sending, so that it sees the reply and not a reset.
                while let Ok(Some(mut rest)) = multipart.next_field().await {
                    while let Ok(Some(_)) = rest.chunk().await {}
                }
                return Err(e);
            }
        }
    }
    Ok(written)
}

/// A request body read by a form's reader, whose rest the handler can still read after it.
#[derive(Clone)]
struct SharedBody(Arc<tokio::sync::Mutex<axum::body::BodyDataStream>>);

impl SharedBody {
    /// The shared body, and a body that reads from it (for the form's reader).
    fn split(body: Body) -> (SharedBody, Body) {
        let shared = SharedBody(Arc::new(tokio::sync::Mutex::new(body.into_data_stream())));
        let reader = futures_util::stream::unfold(shared.clone(), |s| async move {
            let item = s.0.lock().await.next().await?;
            Some((item, s))
        });
        (shared, Body::from_stream(reader))
    }

    /// Reads the body to its end.
    async fn drain(&self) {
        while self.0.lock().await.next().await.is_some() {}
    }
}

/// Reads what the client is still sending, so that it sees the reply and not a reset.
async fn drain<S: Stream + Unpin>(mut body: S) {
    while body.next().await.is_some() {}
}

/// Streams `data` into `raw` (resolved for `user`) inside the sandbox, atomically, owned by `user`.
async fn write_one<S, E>(
    user: SandboxUser,
    raw: &str,
    mut data: S,
    metadata: Arc<BTreeMap<String, String>>,
) -> Result<WriteInfo, Error>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let path = user.resolve(raw).map_err(|e| Error::from_fs("write", raw, e))?;
    let root = Arc::new(root()?);
    let new = NewEntry { uid: user.uid, gid: user.uid, mode: 0o644, parent_mode: 0o755 };
    let pending = {
        let (root, path) = (root.clone(), path.clone());
        blocking_as(user, move || root.begin_write(&path, new, true)).await?
    };
    let mut pending = match pending {
        Ok(p) => p,
        Err(e) => {
            // Read what the client is still sending, so that it sees the reply and not a reset.
            while let Some(Ok(_)) = data.next().await {}
            return Err(Error::from_fs("write", raw, e));
        }
    };
    match pending.fill(data).await {
        Ok(()) => {}
        Err(FillError::Body(e)) => {
            return Err(Error::new(StatusCode::BAD_REQUEST, format!("upload of {raw} interrupted: {e}")))
        }
        Err(FillError::Io(e)) => return Err(Error::from_fs("write", raw, FsError::Io(e))),
    }
    let attrs = metadata.clone();
    let published = blocking_as(user, move || {
        // Set before publishing: the file appears with its metadata, or not at all.
        pending.set_xattrs(METADATA_XATTR_PREFIX, &attrs)?;
        root.commit(pending)
    });
    published.await?.map_err(|e| Error::from_fs("write", raw, e))?;
    Ok(WriteInfo {
        name: path.name().to_string(),
        kind: "file".into(),
        path: path.as_str().to_string(),
        metadata: (!metadata.is_empty()).then(|| metadata.as_ref().clone()),
    })
}
