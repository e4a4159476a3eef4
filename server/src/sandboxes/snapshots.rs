//! Snapshots and forks through the control plane: `POST /sandboxes/{id}/snapshots` (its files
//! captured, the sandbox frozen meanwhile), `GET /snapshots`, `DELETE /templates/{templateID}`
//! (a snapshot is a template), and `POST /sandboxes/{id}/fork` (a capture, then new sandboxes
//! from it with the same volume mounts and settings).

use std::sync::Arc;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::Json;
use e2b_wire::headers;
use e2b_wire::sandboxes::{
    SandboxForkRequest, SandboxForkResult, SandboxSnapshotRequest, SnapshotInfo, SnapshotListQuery,
};
use e2b_wire::ApiError;

use super::catalog::check_name;
use super::create::{self, Start};
use super::listing::{page_token, parse_page_token};
use super::replies;
use super::requests::{checked_timeout, not_found, optional_body};
use super::sandbox::{Sandbox, Spec, TEMPLATE};
use super::transitions;
use crate::errors::ControlError;
use crate::ids;
use crate::state::{AppState, SharedState};

/// The timeout of forks when none is given.
const FORK_DEFAULT_TIMEOUT_SECS: i32 = 15;
/// Most forks at once.
const MAX_FORKS: i32 = 100;
/// Most snapshots on one page, and the default page size.
const MAX_LIMIT: u32 = 100;

/// `POST /sandboxes/{id}/snapshots`: 201 with the snapshot.
pub async fn take(
    State(state): State<SharedState>,
    Path(id): Path<String>,
    body: Result<Json<SandboxSnapshotRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<SnapshotInfo>), ControlError> {
    let req = optional_body(body)?;
    let name =
        req.name.filter(|n| !n.is_empty()).map(|n| check_name(&n)).transpose().map_err(ControlError::bad_request)?;
    let s = state.sandboxes.get(&id).ok_or_else(|| not_found(&id))?;
    let scratch = state.snapshots.scratch();
    capture(&state, &s, &scratch).await?;
    let record = state.snapshots.add(name, &s.id, &scratch).map_err(|e| {
        let _ = std::fs::remove_file(&scratch);
        ControlError::internal(format!("cannot keep the snapshot: {e}"))
    })?;
    tracing::info!(sandbox = %id, snapshot = %record.id, "snapshot taken");
    Ok((StatusCode::CREATED, Json(record.info())))
}

/// Captures a sandbox's files to `dest` under its transition lock.
async fn capture(state: &AppState, s: &Arc<Sandbox>, dest: &std::path::Path) -> Result<(), ControlError> {
    let _transition = s.transition.lock().await;
    if !state.sandboxes.get(&s.id).is_some_and(|known| Arc::ptr_eq(&known, s)) {
        return Err(not_found(&s.id));
    }
    transitions::snapshot(s, dest).await.inspect_err(|_| {
        let _ = std::fs::remove_file(dest);
    })
}

/// `GET /snapshots`: newest first, filtered by sandbox and by name, paged.
pub async fn list(
    State(state): State<SharedState>,
    q: Result<Query<SnapshotListQuery>, QueryRejection>,
) -> Result<Response, ControlError> {
    let Query(q) = q.map_err(|e| ControlError::bad_request(format!("invalid query: {}", e.body_text())))?;
    let limit = q.limit.unwrap_or(MAX_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ControlError::bad_request(format!("limit must be between 1 and {MAX_LIMIT}")));
    }
    let start = match q.next_token.as_deref() {
        Some(t) if !t.is_empty() => {
            parse_page_token(t).ok_or_else(|| ControlError::bad_request("invalid nextToken"))?
        }
        _ => 0,
    };
    let wanted = q.name.as_deref().and_then(|n| state.snapshots.find(n)).map(|r| r.id);
    let all: Vec<SnapshotInfo> = state
        .snapshots
        .list()
        .into_iter()
        .filter(|r| q.sandbox_id.as_deref().is_none_or(|id| r.sandbox_id == id))
        .filter(|r| q.name.is_none() || wanted.as_deref() == Some(r.id.as_str()))
        .map(|r| r.info())
        .collect();
    let from = start.min(all.len());
    let to = (from + limit as usize).min(all.len());
    let next = (to < all.len()).then(|| page_token(to));
    let headers: Vec<_> = next.map(|t| (headers::NEXT_TOKEN, t)).into_iter().collect();
    Ok((AppendHeaders(headers), Json(all[from..to].to_vec())).into_response())
}

/// `DELETE /templates/{templateID}`: deletes a snapshot (by ID or name, with or without its tag).
pub async fn delete(
    State(state): State<SharedState>,
    Path(template): Path<String>,
) -> Result<StatusCode, ControlError> {
    if template == TEMPLATE || template == format!("{TEMPLATE}:default") {
        return Err(ControlError::bad_request(format!("the '{TEMPLATE}' template cannot be deleted")));
    }
    if state.snapshots.delete(&template) {
        tracing::info!(template = %template, "snapshot deleted");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ControlError::not_found(format!("template '{template}' not found")))
    }
}

/// `POST /sandboxes/{id}/fork`: 201 with one result per fork (each a sandbox or an error).
pub async fn fork(
    State(state): State<SharedState>,
    Path(id): Path<String>,
    body: Result<Json<SandboxForkRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<Vec<SandboxForkResult>>), ControlError> {
    let req = optional_body(body)?;
    let count = req.count.unwrap_or(1);
    if !(1..=MAX_FORKS).contains(&count) {
        return Err(ControlError::bad_request(format!("count must be between 1 and {MAX_FORKS}")));
    }
    let timeout = checked_timeout(req.timeout.unwrap_or(FORK_DEFAULT_TIMEOUT_SECS))?;
    let s = state.sandboxes.get(&id).ok_or_else(|| not_found(&id))?;
    let scratch = state.sandboxes.saved_dir().join(format!("fork-{}.tar", ids::random_hex::<8>()));
    capture(&state, &s, &scratch).await?;
    // The volumes cannot be deleted until every fork is registered as mounting them.
    let volumes_stay = state.mounts_lock.read().await;
    let mut results = Vec::new();
    for _ in 0..count {
        let fork_id = ids::sandbox_id();
        let mut envs = s.envs.clone();
        envs.insert("E2B_SANDBOX_ID".into(), fork_id.clone());
        let spec = Spec {
            id: fork_id,
            template_id: s.template_id.clone(),
            alias: s.alias.clone(),
            timeout,
            metadata: s.metadata.clone(),
            mounts: s.mounted(),
            envd_token: s.envd_token.is_some().then(ids::random_hex::<16>),
            envs,
            network: s.network(),
            resources: s.resources,
            lifecycle: s.lifecycle,
        };
        results.push(match create::start(&state, Start { spec, seed: Some(scratch.clone()) }).await {
            Ok(forked) => SandboxForkResult { sandbox: Some(replies::created(&forked)), error: None },
            Err(e) => SandboxForkResult {
                sandbox: None,
                error: Some(ApiError { code: i32::from(e.status.as_u16()), message: e.message }),
            },
        });
    }
    drop(volumes_stay);
    let _ = std::fs::remove_file(&scratch);
    tracing::info!(sandbox = %id, count, "sandbox forked");
    Ok((StatusCode::CREATED, Json(results)))
}
