//! Who may call what, as route layers on each area's router: the API key on the control plane,
//! a volume's token on that volume's content API, and a sandbox's access token on its envd.

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use e2b_wire::envd::{sandbox_id_from_host, FileOperation, FilesQuery, FILES_PATH};
use e2b_wire::headers;

use crate::envd::signature::Signed;
use crate::errors::{ControlError, EnvdRestError, VolumeContentError};
use crate::ids::parse_volume_id;
use crate::sandboxes::registry::Sandboxes;
use crate::sandboxes::sandbox::Sandbox;
use crate::state::SharedState;
use crate::tokens::TokenError;

/// Lets a request through only with a known `X-API-Key`.
pub async fn api_key(State(state): State<SharedState>, req: Request, next: Next) -> Result<Response, ControlError> {
    let key = header_str(req.headers(), headers::API_KEY)
        .ok_or_else(|| ControlError::unauthorized("missing API key: send it in the X-API-Key header"))?;
    match state.store.api_keys() {
        Ok(keys) if keys.iter().any(|k| same_secret(key, k)) => Ok(next.run(req).await),
        Ok(_) => Err(ControlError::unauthorized("invalid API key")),
        Err(e) => Err(ControlError::internal(e)),
    }
}

/// The volume a content request may act on: its token was valid for it, and it exists.
#[derive(Debug, Clone)]
pub struct VolumeGrant {
    /// The volume's canonical ID.
    pub id: String,
}

/// Lets a request to `/volumecontent/{volume_id}/…` through only with a valid token for that
/// volume (`Authorization: Bearer <token>`), and hands the handler a [`VolumeGrant`].
pub async fn volume_token(
    State(state): State<SharedState>,
    raw_id: Result<Path<String>, PathRejection>,
    mut req: Request,
    next: Next,
) -> Result<Response, VolumeContentError> {
    let Path(raw_id) = raw_id.map_err(|_| VolumeContentError::bad_request("invalid volume ID"))?;
    let token = header_str(req.headers(), header::AUTHORIZATION.as_str())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .ok_or_else(|| VolumeContentError::unauthorized("missing volume token: send Authorization: Bearer <token>"))?;
    let id = parse_volume_id(&raw_id).ok_or_else(|| VolumeContentError::bad_request("invalid volume ID"))?;
    match state.tokens.verify(token, &id) {
        Ok(_) => {}
        Err(TokenError::Invalid(why)) => {
            return Err(VolumeContentError::unauthorized(format!("invalid volume token: {why}")))
        }
        Err(TokenError::WrongVolume) => {
            return Err(VolumeContentError::forbidden("the token is not valid for this volume"))
        }
    }
    if state.store.volume(&id).map_err(VolumeContentError::internal)?.is_none() {
        let message = format!("volume {id} not found");
        return Err(VolumeContentError::new(StatusCode::NOT_FOUND, "VOLUME_NOT_FOUND", message));
    }
    req.extensions_mut().insert(VolumeGrant { id });
    Ok(next.run(req).await)
}

/// Lets an envd request through only for a running sandbox and with its `X-Access-Token` (every
/// sandbox has one, unless it was made with `secure: false`) — or, for `GET`/`POST /files`, with a
/// signature that token made; hands the handler the sandbox (`Extension<Arc<Sandbox>>`).
///
/// The sandbox is the one `E2b-Sandbox-Id` names, else the one a `49983-<id>.<domain>` host names
/// (E2B's routing by host), else — for a signed `/files` link, which a browser follows without
/// headers — the running sandbox whose token made the signature.
pub async fn sandbox_access(
    State(sandboxes): State<Arc<Sandboxes>>,
    mut req: Request,
    next: Next,
) -> Result<Response, EnvdRestError> {
    let signed = signed_files_request(&req);
    let named = header_str(req.headers(), headers::SANDBOX_ID)
        .or_else(|| header_str(req.headers(), header::HOST.as_str()).and_then(sandbox_id_from_host))
        .map(str::to_string);
    let sandbox = match (named, &signed) {
        // A paused sandbox whose lifecycle says so is resumed first (autoResume).
        (Some(id), _) => sandboxes.for_traffic(&id).await.ok_or_else(|| not_running(&id))?,
        // Found by its token among every sandbox, then let in as if named: a paused one only when it
        // resumes on traffic, never its files while it is paused.
        (None, Some(signed)) => {
            let made_it = |s: &Arc<Sandbox>| s.envd_token.as_deref().is_some_and(|t| signed.made_with(t));
            let signer = sandboxes.all().into_iter().find(made_it).ok_or_else(|| {
                EnvdRestError::new(StatusCode::UNAUTHORIZED, "invalid signature: it is no running sandbox's")
            })?;
            sandboxes.for_traffic(&signer.id).await.ok_or_else(|| not_running(&signer.id))?
        }
        (None, None) => return Err(not_running("")),
    };
    if let Some(expected) = &sandbox.envd_token {
        match (header_str(req.headers(), headers::ACCESS_TOKEN).filter(|t| !t.is_empty()), &signed) {
            (Some(given), _) if same_secret(given, expected) => {}
            (None, Some(signed)) => signed
                .check(expected, unix_now())
                .map_err(|refusal| EnvdRestError::new(StatusCode::UNAUTHORIZED, refusal.message()))?,
            _ => return Err(EnvdRestError::new(StatusCode::UNAUTHORIZED, "invalid or missing X-Access-Token")),
        }
    }
    req.extensions_mut().insert(sandbox);
    Ok(next.run(req).await)
}

/// E2B's proxy answers 502 for a sandbox that is not running; the SDKs read it that way.
fn not_running(id: &str) -> EnvdRestError {
    EnvdRestError::new(StatusCode::BAD_GATEWAY, format!("sandbox {id:?} is not running"))
}

/// What a `GET` (read) or `POST` (write) of `/files` with a `signature` parameter asks for.
fn signed_files_request(req: &Request) -> Option<Signed> {
    if req.uri().path() != FILES_PATH {
        return None;
    }
    let operation = match *req.method() {
        Method::GET => FileOperation::Read,
        Method::POST => FileOperation::Write,
        _ => return None,
    };
    let Query(q) = Query::<FilesQuery>::try_from_uri(req.uri()).ok()?;
    Some(Signed {
        path: q.path.unwrap_or_default(),
        operation,
        user: q.username.unwrap_or_default(),
        signature: q.signature?,
        expiration: q.signature_expiration,
    })
}

fn unix_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// True when `given` equals `expected`, in time that does not depend on where they differ.
fn same_secret(given: &str, expected: &str) -> bool {
    use subtle::ConstantTimeEq as _;
    given.len() == expected.len() && bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
}

/// A header's value, if present and text.
fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}
