//! Who may call what, as route layers on each area's router: the API key on the control plane,
//! a volume's token on that volume's content API, and a sandbox's access token on its envd.

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use e2b_wire::headers;

use crate::errors::{ControlError, EnvdRestError, VolumeContentError};
use crate::ids::parse_volume_id;
use crate::sandboxes::registry::Sandboxes;
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

/// Lets an envd request through only for a running sandbox (named by `E2b-Sandbox-Id`) and with
/// its `X-Access-Token` (every sandbox has one, unless it was made with `secure: false`); hands the
/// handler the sandbox (`Extension<Arc<Sandbox>>`).
pub async fn sandbox_access(
    State(sandboxes): State<Arc<Sandboxes>>,
    mut req: Request,
    next: Next,
) -> Result<Response, EnvdRestError> {
    let id = header_str(req.headers(), headers::SANDBOX_ID).unwrap_or_default();
    // E2B's proxy answers 502 for a sandbox that is not running; the SDKs read it that way.
    let sandbox = sandboxes
        .get(id)
        .ok_or_else(|| EnvdRestError::new(StatusCode::BAD_GATEWAY, format!("sandbox {id:?} is not running")))?;
    if let Some(expected) = &sandbox.envd_token {
        let given = header_str(req.headers(), headers::ACCESS_TOKEN).unwrap_or_default();
        if !same_secret(given, expected) {
            return Err(EnvdRestError::new(StatusCode::UNAUTHORIZED, "invalid or missing X-Access-Token"));
        }
    }
    req.extensions_mut().insert(sandbox);
    Ok(next.run(req).await)
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
