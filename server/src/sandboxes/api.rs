//! The control plane's sandbox handlers: create (with volume mounts), get, list, kill, timeout, connect.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::Json;
use e2b_wire::envd::EnvdInit;
use e2b_wire::headers;
use e2b_wire::sandboxes::{NewSandbox, Sandbox as WireSandbox, SandboxDetail, SandboxTimeout, SandboxVolumeMount};

use super::listing::{ListQuery, Listing};
use super::runtime::{Container, StartError};
use super::sandbox::{Sandbox, Spec, TEMPLATE};
use super::{mounts, replies};
use crate::errors::ControlError;
use crate::ids;
use crate::state::{AppState, SharedState};
use crate::timestamp;

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
    // The volumes cannot be deleted until the sandbox is registered as mounting them.
    let _volumes_stay = state.mounts_lock.read().await;
    let dirs = volume_dirs(&state, &wanted)?;
    let mounts = mounts::check(&wanted, |name| dirs.get(name).cloned()).map_err(ControlError::bad_request)?;
    if state.sandboxes.len() >= state.max_sandboxes {
        let message = format!("you have reached the maximum number of concurrent sandboxes ({})", state.max_sandboxes);
        return Err(ControlError::new(StatusCode::TOO_MANY_REQUESTS, message));
    }
    let id = ids::sandbox_id();
    let container = state.runtime.acquire().await.map_err(|e| match e {
        StartError::Exhausted => ControlError::new(StatusCode::TOO_MANY_REQUESTS, e.to_string()),
        StartError::Unsupported(_) => ControlError::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
        StartError::Io(_) => ControlError::internal(e),
    })?;
    let spec = Spec {
        id: id.clone(),
        template_id: TEMPLATE.into(),
        timeout,
        metadata: req.metadata.unwrap_or_default(),
        mounts: mounts.iter().map(|(m, _)| m.clone()).collect(),
        // Every sandbox is secured unless an older client asks for the opposite.
        envd_token: (req.secure != Some(false)).then(ids::random_hex::<16>),
        allow_internet_access: req.allow_internet_access.unwrap_or(true),
    };
    let envs = sandbox_envs(&id, req.env_vars.unwrap_or_default());
    if let Err(e) = prepare(&state, &container, &mounts, &envs, spec.allow_internet_access).await {
        container.remove().await;
        return Err(ControlError::internal(format!("the sandbox could not start: {e}")));
    }
    let started = Arc::new(Sandbox::new(spec, container));
    state.sandboxes.insert(started.clone());
    tracing::info!(sandbox = %started.id, mounts = started.mounts.len(), "sandbox started");
    Ok((StatusCode::CREATED, Json(replies::created(&started))))
}

/// The environment every process of sandbox `id` gets, under the variables the request names.
fn sandbox_envs(id: &str, requested: BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut envs = BTreeMap::from([
        ("E2B_SANDBOX".to_string(), "true".to_string()),
        ("E2B_SANDBOX_ID".to_string(), id.to_string()),
    ]);
    envs.extend(requested);
    envs
}

/// Makes a container into the sandbox asked for: its volumes mounted (outer paths first), its
/// network cut if it may not reach the internet, envd told its environment.
async fn prepare(
    state: &AppState,
    container: &Container,
    mounts: &[(SandboxVolumeMount, PathBuf)],
    envs: &BTreeMap<String, String>,
    internet: bool,
) -> std::io::Result<()> {
    let mut ordered: Vec<_> = mounts.iter().collect();
    ordered.sort_by_key(|(m, _)| m.path.len());
    for (m, dir) in ordered {
        container.mount(&state.runtime.config().envd, dir, &m.path).await?;
    }
    if !internet {
        container.cut_network().await;
    }
    let init = EnvdInit {
        env_vars: Some(envs.clone()),
        timestamp: Some(timestamp::from_system(SystemTime::now())),
        ..Default::default()
    };
    container.init(&init).await
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
