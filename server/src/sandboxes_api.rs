//! E2B's control plane for sandboxes: create (with volume mounts), get, list, kill, timeout, connect.

use std::collections::BTreeMap;
use std::path::Path as FsPath;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine as _;
use e2b_wire::envd::ENVD_VERSION;
use e2b_wire::sandboxes::{NewSandbox, Sandbox as WireSandbox, SandboxDetail, SandboxTimeout, SandboxVolumeMount};
use serde::Deserialize;

use crate::errors::ControlError;
use crate::ids;
use crate::sandbox::{self, Sandbox, Spec};
use crate::state::SharedState;
use crate::timestamp;

/// The one template e2b-local provides.
const TEMPLATE: &str = "base";
/// The timeout E2B applies when none is given.
const DEFAULT_TIMEOUT_SECS: i32 = 15;
/// The longest timeout accepted (24 hours, E2B's Pro limit).
const MAX_TIMEOUT_SECS: i32 = 24 * 3600;
/// Paths a volume cannot be mounted at: they would hide what the sandbox itself needs.
const RESERVED: &[&str] =
    &["/", "/proc", "/dev", "/etc", "/usr", "/bin", "/sbin", "/lib", "/lib64", "/tmp", "/home", "/home/user"];

fn json_body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, ControlError> {
    body.map(|Json(t)| t)
        .map_err(|e| ControlError::bad_request(format!("Error when parsing request: {}", e.body_text())))
}

fn not_found(id: &str) -> ControlError {
    ControlError::not_found(format!("sandbox \"{id}\" not found"))
}

fn wire(s: &Sandbox) -> WireSandbox {
    WireSandbox {
        template_id: s.template_id.clone(),
        sandbox_id: s.id.clone(),
        alias: Some(TEMPLATE.into()),
        client_id: "e2b-local".into(),
        envd_version: ENVD_VERSION.into(),
        envd_access_token: s.envd_token.clone(),
        traffic_access_token: None,
        domain: None,
    }
}

fn detail(s: &Sandbox) -> SandboxDetail {
    SandboxDetail {
        template_id: s.template_id.clone(),
        alias: Some(TEMPLATE.into()),
        sandbox_id: s.id.clone(),
        client_id: "e2b-local".into(),
        started_at: timestamp::from_system(s.started_at),
        end_at: timestamp::from_system(s.end_at()),
        envd_version: ENVD_VERSION.into(),
        envd_access_token: s.envd_token.clone(),
        allow_internet_access: Some(s.allow_internet_access),
        domain: None,
        cpu_count: std::thread::available_parallelism().map(|n| n.get() as u32).unwrap_or(1),
        memory_mb: 512,
        disk_size_mb: 0,
        metadata: s.metadata.clone(),
        state: "running".into(),
        volume_mounts: s.mounts.clone(),
    }
}

/// Checks mounts with E2B's rules and messages; all failures are reported in one 400.
fn validate_mounts(
    state: &SharedState,
    mounts: &[SandboxVolumeMount],
) -> Result<Vec<(SandboxVolumeMount, std::path::PathBuf)>, ControlError> {
    let mut problems = Vec::new();
    let mut resolved = Vec::new();
    let mut used = std::collections::HashSet::new();
    for (i, m) in mounts.iter().enumerate() {
        let volume = state.store.volume_by_name(&m.name).map_err(ControlError::internal)?;
        let reason = if volume.is_none() {
            Some(format!("volume '{}' not found", m.name))
        } else if m.path.is_empty() {
            Some("path cannot be empty".to_string())
        } else if !m.path.starts_with('/') {
            Some("path must be absolute".to_string())
        } else if path_clean::clean(&m.path).to_string_lossy() != m.path {
            Some("path must not contain any '.' or '..' components".to_string())
        } else if !used.insert(m.path.clone()) {
            Some(format!("path '{}' is already used", m.path))
        } else if RESERVED.contains(&m.path.as_str()) || m.path.starts_with("/proc/") || m.path.starts_with("/dev/") {
            Some(format!("path '{}' is reserved by the sandbox and cannot be a mount point", m.path))
        } else if sandbox::SYSTEM_DIRS.iter().chain(sandbox::SYSTEM_LINKS).any(|d| FsPath::new(&m.path).starts_with(d))
        {
            Some(format!("path '{}' is inside the sandbox's read-only system directories", m.path))
        } else {
            None
        };
        match reason {
            Some(r) => problems.push(format!("\t- volume mount #{i}: {r}")),
            None => {
                let v = volume.expect("checked above");
                resolved.push((m.clone(), state.volume_dir(&v.id)));
            }
        }
    }
    if problems.is_empty() {
        Ok(resolved)
    } else {
        Err(ControlError::bad_request(format!("invalid mounts:\n{}", problems.join("\n"))))
    }
}

/// `POST /sandboxes`.
pub async fn create(
    State(state): State<SharedState>,
    body: Result<Json<NewSandbox>, JsonRejection>,
) -> Result<Response, ControlError> {
    let req = json_body(body)?;
    if req.template_id != TEMPLATE {
        return Err(ControlError::not_found(format!(
            "template '{}' not found: e2b-local provides only the '{TEMPLATE}' template",
            req.template_id
        )));
    }
    let timeout = req.timeout.unwrap_or(DEFAULT_TIMEOUT_SECS);
    if !(0..=MAX_TIMEOUT_SECS).contains(&timeout) {
        return Err(ControlError::bad_request(format!("timeout must be between 0 and {MAX_TIMEOUT_SECS} seconds")));
    }
    let mounts = validate_mounts(&state, req.volume_mounts.as_deref().unwrap_or_default())?;
    let secure = req.secure.unwrap_or(false);
    let spec = Spec {
        id: ids::sandbox_id(),
        template_id: TEMPLATE.into(),
        timeout: Duration::from_secs(timeout as u64),
        metadata: req.metadata.unwrap_or_default(),
        env_vars: req.env_vars.unwrap_or_default(),
        mounts,
        envd_token: secure.then(ids::random_hex::<16>),
        allow_internet_access: req.allow_internet_access.unwrap_or(true),
    };
    let started = sandbox::start(&state.sandboxes_dir, &state.data_dir, spec).await.map_err(ControlError::internal)?;
    let started = Arc::new(started);
    state.sandboxes.insert(started.clone());
    tracing::info!(sandbox = %started.id, mounts = started.mounts.len(), "sandbox started");
    Ok((StatusCode::CREATED, Json(wire(&started))).into_response())
}

/// `GET /sandboxes/{id}`.
pub async fn get(
    State(state): State<SharedState>,
    Path(id): Path<String>,
) -> Result<Json<SandboxDetail>, ControlError> {
    state.sandboxes.get(&id).map(|s| Json(detail(&s))).ok_or_else(|| not_found(&id))
}

/// `DELETE /sandboxes/{id}`.
pub async fn kill(
    State(state): State<SharedState>,
    Path(id): Path<String>,
) -> Result<StatusCode, ControlError> {
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
    if !(0..=MAX_TIMEOUT_SECS).contains(&timeout) {
        return Err(ControlError::bad_request(format!("timeout must be between 0 and {MAX_TIMEOUT_SECS} seconds")));
    }
    let s = state.sandboxes.get(&id).ok_or_else(|| not_found(&id))?;
    s.set_timeout(Duration::from_secs(timeout as u64));
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
    let wanted = SystemTime::now() + Duration::from_secs(timeout.clamp(0, MAX_TIMEOUT_SECS) as u64);
    if wanted > s.end_at() {
        s.set_timeout(Duration::from_secs(timeout.clamp(0, MAX_TIMEOUT_SECS) as u64));
    }
    Ok(Json(wire(&s)))
}

/// Query of `GET /v2/sandboxes`.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    metadata: Option<String>,
    state: Option<String>,
    limit: Option<u32>,
    #[serde(rename = "nextToken")]
    next_token: Option<String>,
    order: Option<String>,
    template: Option<String>,
}

/// `GET /v2/sandboxes`: filtered by metadata and state, paged with `nextToken`/`x-next-token`.
pub async fn list(
    State(state): State<SharedState>,
    q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ControlError> {
    let Query(q) = q.map_err(|e| ControlError::bad_request(format!("invalid query: {}", e.body_text())))?;
    let limit = q.limit.unwrap_or(100);
    if !(1..=100).contains(&limit) {
        return Err(ControlError::bad_request("limit must be between 1 and 100"));
    }
    let mut wanted = BTreeMap::new();
    if let Some(m) = q.metadata.as_deref().filter(|m| !m.is_empty()) {
        // `k=v&k2=v2`, each key and value percent-encoded once more by the SDKs.
        for pair in m.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            wanted.insert(percent_decode(k)?, percent_decode(v)?);
        }
    }
    if let Some(states) = &q.state {
        for s in states.split(',') {
            if s != "running" && s != "paused" {
                return Err(ControlError::bad_request(format!("invalid state {s:?}: use running or paused")));
            }
        }
    }
    let want_running = q.state.as_deref().is_none_or(|s| s.split(',').any(|s| s == "running"));
    let mut all: Vec<Arc<Sandbox>> = state
        .sandboxes
        .all()
        .into_iter()
        .filter(|s| want_running && wanted.iter().all(|(k, v)| s.metadata.get(k) == Some(v)))
        .filter(|s| q.template.as_deref().is_none_or(|t| t == TEMPLATE || t == s.template_id))
        .collect();
    all.sort_by(|a, b| a.started_at.cmp(&b.started_at).then_with(|| a.id.cmp(&b.id)));
    if q.order.as_deref() != Some("asc") {
        all.reverse();
    }
    let start = match &q.next_token {
        Some(t) if !t.is_empty() => base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(t)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| s.parse::<usize>().ok())
            .ok_or_else(|| ControlError::bad_request("invalid nextToken"))?,
        _ => 0,
    };
    let page: Vec<SandboxDetail> = all.iter().skip(start).take(limit as usize).map(|s| detail(s)).collect();
    let mut headers = HeaderMap::new();
    let running = state.sandboxes.all().len();
    headers.insert("x-total-running", HeaderValue::from(running));
    if start + page.len() < all.len() {
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode((start + page.len()).to_string());
        headers.insert("x-next-token", HeaderValue::from_str(&token).expect("base64 is a valid header"));
    }
    Ok((headers, Json(page)).into_response())
}

fn percent_decode(s: &str) -> Result<String, ControlError> {
    // A `+` here can only be a form-encoded space: the SDKs encode a literal `+` as %2B.
    let spaced = s.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| ControlError::bad_request("invalid metadata filter"))
}
