//! The control plane's sandbox handlers: create (with volume mounts), get, list, kill, timeout, connect.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::Json;
use e2b_wire::headers;
use e2b_wire::sandboxes::{NewSandbox, Sandbox as WireSandbox, SandboxDetail, SandboxTimeout, SandboxVolumeMount};

use super::listing::{ListQuery, Listing};
use super::runtime::{self, Spec, TEMPLATE};
use super::{mounts, replies};
use crate::errors::ControlError;
use crate::ids;
use crate::state::{AppState, SharedState};

/// The timeout E2B applies when none is given.
const DEFAULT_TIMEOUT_SECS: i32 = 15;
/// The longest timeout accepted (24 hours, E2B's Pro limit).
const MAX_TIMEOUT_SECS: i32 = 24 * 3600;

fn json_body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, ControlError> {
    body.map(|Json(t)| t)
        .map_err(|e| ControlError::bad_request(format!("Error when parsing request: {}", e.body_text())))
}

fn not_found(id: &str) -> ControlError {
    ControlError::not_found(format!("sandbox \"{id}\" not found"))
}

/// A timeout in seconds, if within what E2B accepts.
fn checked_timeout(secs: i32) -> Result<Duration, ControlError> {
    if !(0..=MAX_TIMEOUT_SECS).contains(&secs) {
        return Err(ControlError::bad_request(format!("timeout must be between 0 and {MAX_TIMEOUT_SECS} seconds")));
    }
    Ok(Duration::from_secs(secs as u64))
}

/// `POST /sandboxes` and `POST /v2/sandboxes`.
pub async fn create(
    State(state): State<SharedState>,
    body: Result<Json<NewSandbox>, JsonRejection>,
) -> Result<(StatusCode, Json<WireSandbox>), ControlError> {
    let req = json_body(body)?;
    if req.template_id != TEMPLATE {
        return Err(ControlError::not_found(format!(
            "template '{}' not found: e2b-local provides only the '{TEMPLATE}' template",
            req.template_id
        )));
    }
    let timeout = checked_timeout(req.timeout.unwrap_or(DEFAULT_TIMEOUT_SECS))?;
    let wanted = req.volume_mounts.unwrap_or_default();
    let dirs = volume_dirs(&state, &wanted)?;
    let mounts = mounts::check(&wanted, |name| dirs.get(name).cloned()).map_err(ControlError::bad_request)?;
    let spec = Spec {
        id: ids::sandbox_id(),
        template_id: TEMPLATE.into(),
        timeout,
        metadata: req.metadata.unwrap_or_default(),
        env_vars: req.env_vars.unwrap_or_default(),
        mounts,
        envd_token: req.secure.unwrap_or(false).then(ids::random_hex::<16>),
        allow_internet_access: req.allow_internet_access.unwrap_or(true),
    };
    let started = runtime::start(&state.sandboxes_dir, &state.data_dir, spec).await.map_err(ControlError::internal)?;
    let started = Arc::new(started);
    state.sandboxes.insert(started.clone());
    tracing::info!(sandbox = %started.id, mounts = started.mounts.len(), "sandbox started");
    Ok((StatusCode::CREATED, Json(replies::created(&started))))
}

/// The host directory of each mounted volume that exists, by name.
fn volume_dirs(state: &AppState, mounts: &[SandboxVolumeMount]) -> Result<HashMap<String, PathBuf>, ControlError> {
    let mut dirs = HashMap::new();
    for m in mounts {
        if let Some(volume) = state.store.volume_by_name(&m.name).map_err(ControlError::internal)? {
            dirs.insert(m.name.clone(), state.volume_dir(&volume.id));
        }
    }
    Ok(dirs)
}

/// `GET /sandboxes/{id}`.
pub async fn get(
    State(state): State<SharedState>,
    Path(id): Path<String>,
) -> Result<Json<SandboxDetail>, ControlError> {
    state.sandboxes.get(&id).map(|s| Json(replies::detail(&s))).ok_or_else(|| not_found(&id))
}

/// `DELETE /sandboxes/{id}`.
pub async fn kill(State(state): State<SharedState>, Path(id): Path<String>) -> Result<StatusCode, ControlError> {
    if state.sandboxes.remove(&id).await {
        tracing::info!(sandbox = %id, "sandbox killed");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_found(&id))
    }
}

/// `POST /sandboxes/{id}/timeout`: the sandbox now ends `timeout` seconds from now.
pub async fn set_timeout(
    State(state): State<SharedState>,
    Path(id): Path<String>,
    body: Result<Json<SandboxTimeout>, JsonRejection>,
) -> Result<StatusCode, ControlError> {
    let SandboxTimeout { timeout } = json_body(body)?;
    let timeout = checked_timeout(timeout)?;
    let s = state.sandboxes.get(&id).ok_or_else(|| not_found(&id))?;
    s.set_timeout(timeout);
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /sandboxes/{id}/connect`: a running sandbox's timeout only grows.
pub async fn connect(
    State(state): State<SharedState>,
    Path(id): Path<String>,
    body: Result<Json<SandboxTimeout>, JsonRejection>,
) -> Result<Json<WireSandbox>, ControlError> {
    let SandboxTimeout { timeout } = json_body(body)?;
    let s = state.sandboxes.get(&id).ok_or_else(|| not_found(&id))?;
    let timeout = Duration::from_secs(timeout.clamp(0, MAX_TIMEOUT_SECS) as u64);
    if SystemTime::now() + timeout > s.end_at() {
        s.set_timeout(timeout);
    }
    Ok(Json(replies::created(&s)))
}

/// `GET /v2/sandboxes`: filtered by metadata, state and template, paged with `nextToken`/`X-Next-Token`.
pub async fn list(
    State(state): State<SharedState>,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Response, ControlError> {
    let Query(q) = q.map_err(|e| ControlError::bad_request(format!("invalid query: {}", e.body_text())))?;
    let listing = Listing::parse(q).map_err(ControlError::bad_request)?;
    let running = state.sandboxes.all();
    let mut matching: Vec<_> = running.iter().filter(|s| listing.matches(&s.template_id, &s.metadata)).collect();
    matching.sort_by(|a, b| a.started_at.cmp(&b.started_at).then_with(|| a.id.cmp(&b.id)));
    if !listing.ascending {
        matching.reverse();
    }
    let (page, next) = listing.page(&matching);
    let items: Vec<_> = page.iter().map(|s| replies::listed(s)).collect();
    let mut headers = vec![(headers::TOTAL_RUNNING, running.len().to_string())];
    headers.extend(next.map(|token| (headers::NEXT_TOKEN, token)));
    Ok((AppendHeaders(headers), Json(items)).into_response())
}
