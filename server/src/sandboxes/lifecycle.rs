//! Pausing and resuming through the control plane: `POST /sandboxes/{id}/pause` (204; 409 when
//! paused already), `POST /sandboxes/{id}/resume` (201; 409 when running), and connecting —
//! `POST /sandboxes/{id}/connect` and `POST /v2/sandboxes/{id}/connect` — which extends a running
//! sandbox's timeout (200) or resumes a paused one (201).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use e2b_wire::sandboxes::{
    ConnectSandbox, ConnectSandboxV2, ResumedSandbox, Sandbox as WireSandbox, SandboxPauseRequest,
};

use super::replies;
use super::requests::{checked_timeout, json_body, not_found, optional_body};
use super::sandbox::{Phase, Sandbox};
use super::transitions;
use crate::errors::ControlError;
use crate::state::AppState;
use crate::state::SharedState;

/// The timeout of `resume` when none is given.
const RESUME_DEFAULT_TIMEOUT_SECS: i32 = 15;
/// The timeout of the v2 `connect` when none is given.
const CONNECT_DEFAULT_TIMEOUT_SECS: i32 = 300;

/// `POST /sandboxes/{id}/pause`: with its memory (the default: its processes frozen, its volumes
/// mounted), or only its files (`memory: false`: its processes end).
pub async fn pause(
    State(state): State<SharedState>,
    Path(id): Path<String>,
    body: Result<Json<SandboxPauseRequest>, JsonRejection>,
) -> Result<StatusCode, ControlError> {
    let req = optional_body(body)?;
    let s = state.sandboxes.get(&id).ok_or_else(|| not_found(&id))?;
    let _transition = s.transition.lock().await;
    ensure_known(&state, &s)?;
    transitions::pause(&s, req.memory.unwrap_or(true), state.sandboxes.saved_dir()).await?;
    tracing::info!(sandbox = %id, memory = req.memory.unwrap_or(true), "sandbox paused");
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /sandboxes/{id}/resume`: 409 when it runs.
pub async fn resume(
    State(state): State<SharedState>,
    Path(id): Path<String>,
    body: Result<Json<ResumedSandbox>, JsonRejection>,
) -> Result<(StatusCode, Json<WireSandbox>), ControlError> {
    let req = optional_body(body)?;
    let timeout = checked_timeout(req.timeout.unwrap_or(RESUME_DEFAULT_TIMEOUT_SECS))?;
    let s = state.sandboxes.get(&id).ok_or_else(|| not_found(&id))?;
    let _transition = s.transition.lock().await;
    ensure_known(&state, &s)?;
    if s.phase() == Phase::Running {
        return Err(ControlError::new(StatusCode::CONFLICT, format!("sandbox \"{id}\" is already running")));
    }
    wake(&state, &s, timeout, req.memory.unwrap_or(true)).await?;
    Ok((StatusCode::CREATED, Json(replies::created(&s))))
}

/// `POST /sandboxes/{id}/connect`.
pub async fn connect_v1(
    State(state): State<SharedState>,
    Path(id): Path<String>,
    body: Result<Json<ConnectSandbox>, JsonRejection>,
) -> Result<(StatusCode, Json<WireSandbox>), ControlError> {
    let req = json_body(body)?;
    connect(&state, &id, req.timeout, req.memory.unwrap_or(true)).await
}

/// `POST /v2/sandboxes/{id}/connect` (its body is optional; the timeout 300 s by default).
pub async fn connect_v2(
    State(state): State<SharedState>,
    Path(id): Path<String>,
    body: Result<Json<ConnectSandboxV2>, JsonRejection>,
) -> Result<(StatusCode, Json<WireSandbox>), ControlError> {
    let req = optional_body(body)?;
    connect(&state, &id, req.timeout.unwrap_or(CONNECT_DEFAULT_TIMEOUT_SECS), req.memory.unwrap_or(true)).await
}

/// A running sandbox's timeout only grows (200); a paused one is resumed (201).
async fn connect(
    state: &AppState,
    id: &str,
    timeout: i32,
    memory: bool,
) -> Result<(StatusCode, Json<WireSandbox>), ControlError> {
    let timeout = checked_timeout(timeout)?;
    let s = state.sandboxes.get(id).ok_or_else(|| not_found(id))?;
    let _transition = s.transition.lock().await;
    ensure_known(state, &s)?;
    if s.phase() == Phase::Running {
        if SystemTime::now() + timeout > s.end_at() {
            s.set_timeout(timeout);
        }
        return Ok((StatusCode::OK, Json(replies::created(&s))));
    }
    wake(state, &s, timeout, memory).await?;
    Ok((StatusCode::CREATED, Json(replies::created(&s))))
}

/// Resumes a paused sandbox (the caller holds its transition lock).
async fn wake(state: &AppState, s: &Arc<Sandbox>, timeout: Duration, memory: bool) -> Result<(), ControlError> {
    let cold = s.container.get().is_none() || !memory;
    if s.container.get().is_none() && state.sandboxes.holding() >= state.max_sandboxes {
        let message = format!("you have reached the maximum number of concurrent sandboxes ({})", state.max_sandboxes);
        return Err(ControlError::new(StatusCode::TOO_MANY_REQUESTS, message));
    }
    transitions::resume(s, &state.runtime, state.sandboxes.saved_dir(), timeout, memory).await?;
    tracing::info!(sandbox = %s.id, cold, "sandbox resumed");
    Ok(())
}

/// 404 when the sandbox was killed while the caller waited for its lock.
fn ensure_known(state: &AppState, s: &Arc<Sandbox>) -> Result<(), ControlError> {
    match state.sandboxes.get(&s.id) {
        Some(known) if Arc::ptr_eq(&known, s) => Ok(()),
        _ => Err(not_found(&s.id)),
    }
}
