//! The control plane's sandbox handlers for what a sandbox is and how long it lives: get, list,
//! kill, timeout and refresh.

use std::time::{Duration, SystemTime};

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::Json;
use e2b_wire::headers;
use e2b_wire::sandboxes::{FullSandboxDetail, SandboxRefreshRequest, SandboxTimeout};

use super::listing::{ListQuery, Listing};
use super::replies;
use super::requests::{checked_timeout, json_body, not_found, optional_body};
use super::sandbox::Phase;
use crate::errors::ControlError;
use crate::state::SharedState;

/// Longest refresh (one hour).
const MAX_REFRESH_SECS: i64 = 3600;

/// `GET /sandboxes/{id}`: running or paused.
pub async fn get(
    State(state): State<SharedState>,
    Path(id): Path<String>,
) -> Result<Json<FullSandboxDetail>, ControlError> {
    state.sandboxes.get(&id).map(|s| Json(replies::detail(&s))).ok_or_else(|| not_found(&id))
}

/// `DELETE /sandboxes/{id}`: running or paused.
pub async fn kill(State(state): State<SharedState>, Path(id): Path<String>) -> Result<StatusCode, ControlError> {
    if state.sandboxes.remove(&id).await {
        tracing::info!(sandbox = %id, "sandbox killed");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_found(&id))
    }
}

/// `POST /sandboxes/{id}/timeout`: a running sandbox now times out `timeout` seconds from now
/// (a paused one has no timeout).
pub async fn set_timeout(
    State(state): State<SharedState>,
    Path(id): Path<String>,
    body: Result<Json<SandboxTimeout>, JsonRejection>,
) -> Result<StatusCode, ControlError> {
    let SandboxTimeout { timeout } = json_body(body)?;
    let timeout = checked_timeout(timeout)?;
    let s = state.sandboxes.get(&id).filter(|s| s.phase() == Phase::Running).ok_or_else(|| not_found(&id))?;
    s.set_timeout(timeout);
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /sandboxes/{id}/refreshes`: keeps a running sandbox alive `duration` seconds from now
/// (never shortening it).
pub async fn refresh(
    State(state): State<SharedState>,
    Path(id): Path<String>,
    body: Result<Json<SandboxRefreshRequest>, JsonRejection>,
) -> Result<StatusCode, ControlError> {
    let req = optional_body(body)?;
    let secs = req.duration.unwrap_or(0);
    if !(0..=MAX_REFRESH_SECS).contains(&secs) {
        return Err(ControlError::bad_request(format!("duration must be between 0 and {MAX_REFRESH_SECS} seconds")));
    }
    let s = state.sandboxes.get(&id).filter(|s| s.phase() == Phase::Running).ok_or_else(|| not_found(&id))?;
    let duration = Duration::from_secs(secs as u64);
    if SystemTime::now() + duration > s.end_at() {
        s.set_timeout(duration);
    }
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /v2/sandboxes`: filtered by metadata, state and template, paged with `nextToken`/`X-Next-Token`.
pub async fn list(
    State(state): State<SharedState>,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Response, ControlError> {
    let Query(q) = q.map_err(|e| ControlError::bad_request(format!("invalid query: {}", e.body_text())))?;
    let listing = Listing::parse(q).map_err(ControlError::bad_request)?;
    let all = state.sandboxes.all();
    let mut matching: Vec<_> = all
        .iter()
        .filter(|s| listing.matches(&s.template_id, &s.alias, &s.metadata, s.phase() != Phase::Running))
        .collect();
    matching.sort_by(|a, b| a.started_at.cmp(&b.started_at).then_with(|| a.id.cmp(&b.id)));
    if !listing.ascending {
        matching.reverse();
    }
    let (page, next) = listing.page(&matching);
    let items: Vec<_> = page.iter().map(|s| replies::listed(s)).collect();
    let mut headers = Vec::new();
    if listing.wants_running() {
        let running = matching.iter().filter(|s| s.phase() == Phase::Running).count();
        headers.push((headers::TOTAL_RUNNING, running.to_string()));
    }
    headers.extend(next.map(|token| (headers::NEXT_TOKEN, token)));
    Ok((AppendHeaders(headers), Json(items)).into_response())
}
