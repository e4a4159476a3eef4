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
use super::sandbox::{Resources, Sandbox, Spec, TEMPLATE};
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
    let env_vars = req.env_vars.unwrap_or_default();
    let metadata = req.metadata.unwrap_or_default();
    check_strings(&env_vars, &metadata).map_err(ControlError::bad_request)?;
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
        metadata,
        mounts: mounts.iter().map(|(m, _)| m.clone()).collect(),
        // Every sandbox is secured unless an older client asks for the opposite.
        envd_token: (req.secure != Some(false)).then(ids::random_hex::<16>),
        allow_internet_access: req.allow_internet_access.unwrap_or(true),
        resources: resources(state.runtime.config()),
    };
    let envs = sandbox_envs(&id, env_vars);
    if let Err(e) = prepare(&state, &container, &mounts, &envs, spec.allow_internet_access).await {
        container.remove().await;
        return Err(ControlError::internal(format!("the sandbox could not start: {e}")));
    }
    let started = Arc::new(Sandbox::new(spec, container));
    state.sandboxes.insert(started.clone());
    tracing::info!(sandbox = %started.id, mounts = started.mounts.len(), "sandbox started");
    Ok((StatusCode::CREATED, Json(replies::created(&started))))
}

/// What every sandbox may use, from the runtime's limits.
fn resources(config: &super::runtime::Config) -> Resources {
    const MIB: u64 = 1 << 20;
    Resources {
        cpu_count: config.limits.cpus,
        memory_mb: (config.limits.memory_bytes / MIB) as u32,
        disk_size_mb: (config.disk_bytes / MIB) as u32,
    }
}

/// Most bytes of a sandbox's environment variables, and of its metadata.
const MAX_STRINGS_BYTES: usize = 64 * 1024;

/// Checks the environment variables and metadata of a new sandbox; the error says what is wrong.
fn check_strings(envs: &BTreeMap<String, String>, metadata: &BTreeMap<String, String>) -> Result<(), String> {
    for (name, map) in [("envVars", envs), ("metadata", metadata)] {
        if map.iter().any(|(k, v)| k.contains('\0') || v.contains('\0')) {
            return Err(format!("{name} must not contain NUL bytes"));
        }
        if map.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>() > MAX_STRINGS_BYTES {
            return Err(format!("{name} must be at most {MAX_STRINGS_BYTES} bytes"));
        }
    }
    if let Some(bad) = envs.keys().find(|k| k.is_empty() || k.contains('=')) {
        return Err(format!("invalid environment variable name {bad:?}"));
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn environments_and_metadata_are_checked() {
        let none = BTreeMap::new();
        assert_eq!(check_strings(&map(&[("A", "1")]), &map(&[("k", "v")])), Ok(()));
        assert_eq!(check_strings(&map(&[("A", "x\0")]), &none), Err("envVars must not contain NUL bytes".into()));
        assert_eq!(check_strings(&none, &map(&[("k\0", "v")])), Err("metadata must not contain NUL bytes".into()));
        assert_eq!(
            check_strings(&map(&[("A=B", "1")]), &none),
            Err("invalid environment variable name \"A=B\"".into())
        );
        assert_eq!(check_strings(&map(&[("", "1")]), &none), Err("invalid environment variable name \"\"".into()));
        let big = "x".repeat(MAX_STRINGS_BYTES);
        assert_eq!(check_strings(&none, &map(&[("k", &big)])), Err("metadata must be at most 65536 bytes".into()));
    }

    #[test]
    fn every_process_knows_its_sandbox() {
        let envs = sandbox_envs("sb1", map(&[("A", "1"), ("E2B_SANDBOX", "custom")]));
        assert_eq!(envs, map(&[("A", "1"), ("E2B_SANDBOX", "custom"), ("E2B_SANDBOX_ID", "sb1")]));
    }
}
