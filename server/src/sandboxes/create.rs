//! Creating sandboxes: `POST /sandboxes` (timeout 15 s by default; `secure: false` still honoured)
//! and `POST /v2/sandboxes` (300 s; always secured), from the base template or from a snapshot, and
//! the start every new sandbox goes through (forks too).

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use e2b_wire::sandboxes::{NewSandboxV2, Sandbox as WireSandbox, SandboxVolumeMount};
use serde::Deserialize;

use super::catalog::Catalog;
use super::network;
use super::replies;
use super::sandbox::{Lifecycle, OnTimeout, Resources, Sandbox, Spec, TEMPLATE};
use super::transitions::{boot, start_error};
use super::{mounts, requests};
use crate::errors::ControlError;
use crate::ids;
use crate::state::{AppState, SharedState};

/// The timeout of `POST /sandboxes` when none is given.
const V1_DEFAULT_TIMEOUT_SECS: i32 = 15;
/// The timeout of `POST /v2/sandboxes` when none is given.
const V2_DEFAULT_TIMEOUT_SECS: i32 = 300;
/// Most bytes of a sandbox's environment variables, and of its metadata.
const MAX_STRINGS_BYTES: usize = 64 * 1024;

/// Body of `POST /sandboxes`: the v2 body and `secure`.
#[derive(Debug, Deserialize)]
pub struct NewSandboxV1 {
    #[serde(flatten)]
    body: NewSandboxV2,
    secure: Option<bool>,
}

/// `POST /sandboxes`.
pub async fn create_v1(
    State(state): State<SharedState>,
    body: Result<Json<NewSandboxV1>, JsonRejection>,
) -> Result<(StatusCode, Json<WireSandbox>), ControlError> {
    let NewSandboxV1 { body, secure } = requests::json_body(body)?;
    // Every sandbox is secured unless an older client asks for the opposite.
    create(&state, body, V1_DEFAULT_TIMEOUT_SECS, secure != Some(false)).await
}

/// `POST /v2/sandboxes`.
pub async fn create_v2(
    State(state): State<SharedState>,
    body: Result<Json<NewSandboxV2>, JsonRejection>,
) -> Result<(StatusCode, Json<WireSandbox>), ControlError> {
    create(&state, requests::json_body(body)?, V2_DEFAULT_TIMEOUT_SECS, true).await
}

async fn create(
    state: &SharedState,
    req: NewSandboxV2,
    default_timeout: i32,
    secure: bool,
) -> Result<(StatusCode, Json<WireSandbox>), ControlError> {
    let template = Template::resolve(&state.snapshots, &req.template_id)?;
    let timeout = requests::checked_timeout(req.timeout.unwrap_or(default_timeout))?;
    let lifecycle = lifecycle(&req).map_err(ControlError::bad_request)?;
    let network = network::settings(req.network, req.allow_internet_access).map_err(ControlError::bad_request)?;
    let env_vars = req.env_vars.unwrap_or_default();
    let metadata = req.metadata.unwrap_or_default();
    check_strings(&env_vars, &metadata).map_err(ControlError::bad_request)?;
    let wanted = req.volume_mounts.unwrap_or_default();
    // The volumes cannot be deleted until the sandbox is registered as mounting them.
    let _volumes_stay = state.mounts_lock.read().await;
    let dirs = volume_dirs(state, &wanted)?;
    let mounts = mounts::check(&wanted, |name| dirs.get(name).cloned()).map_err(ControlError::bad_request)?;
    let id = ids::sandbox_id();
    let started = start(
        state,
        Start {
            seed: template.archive,
            spec: Spec {
                envs: sandbox_envs(&id, env_vars),
                id,
                template_id: template.id,
                alias: template.alias,
                timeout,
                metadata,
                mounts,
                envd_token: secure.then(ids::random_hex::<16>),
                network,
                resources: resources(state.runtime.config()),
                lifecycle,
            },
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(replies::created(&started))))
}

/// What a new sandbox starts from.
struct Template {
    id: String,
    alias: String,
    /// A snapshot's archive.
    archive: Option<PathBuf>,
}

impl Template {
    /// The base template, or the snapshot `reference` names (by ID or name, with or without its tag).
    fn resolve(snapshots: &Catalog, reference: &str) -> Result<Self, ControlError> {
        if reference == TEMPLATE || reference == format!("{TEMPLATE}:default") {
            return Ok(Self { id: TEMPLATE.into(), alias: TEMPLATE.into(), archive: None });
        }
        match snapshots.find(reference) {
            Some(r) => Ok(Self {
                archive: Some(snapshots.archive(&r.id)),
                alias: r.name.clone().unwrap_or_else(|| r.id.clone()),
                id: r.id,
            }),
            None => Err(ControlError::not_found(format!(
                "template '{reference}' not found: e2b-local provides only the '{TEMPLATE}' template and snapshots"
            ))),
        }
    }
}

/// A sandbox to start.
pub struct Start {
    /// What it is.
    pub spec: Spec,
    /// A snapshot's archive to start from (else a warm container of the base template).
    pub seed: Option<PathBuf>,
}

/// Starts a sandbox and registers it. The caller holds `mounts_lock` (shared).
pub async fn start(state: &AppState, start: Start) -> Result<Arc<Sandbox>, ControlError> {
    if state.sandboxes.holding() >= state.max_sandboxes {
        let message = format!("you have reached the maximum number of concurrent sandboxes ({})", state.max_sandboxes);
        return Err(ControlError::new(StatusCode::TOO_MANY_REQUESTS, message));
    }
    let container = match &start.seed {
        None => state.runtime.acquire().await,
        Some(archive) => state.runtime.launch_seeded(archive).await,
    }
    .map_err(start_error)?;
    let spec = start.spec;
    if let Err(e) = boot(&state.runtime, &container, &spec.mounts, &spec.envs, &spec.network).await {
        container.remove().await;
        return Err(ControlError::internal(format!("the sandbox could not start: {e}")));
    }
    let started = Arc::new(Sandbox::new(spec, container));
    state.sandboxes.insert(started.clone());
    tracing::info!(sandbox = %started.id, template = %started.template_id, mounts = started.mounts.len(), "sandbox started");
    Ok(started)
}

/// The lifecycle asked for; the error says which options clash.
fn lifecycle(req: &NewSandboxV2) -> Result<Lifecycle, String> {
    let pause = req.auto_pause.unwrap_or(false);
    let memory = req.auto_pause_memory.unwrap_or(true);
    let auto_resume = req.auto_resume.is_some_and(|r| r.enabled);
    if auto_resume && !pause {
        return Err("autoResume can only be enabled when the sandbox pauses at its timeout (autoPause)".into());
    }
    if auto_resume && !memory {
        return Err("autoResume cannot be combined with autoPauseMemory: false: a sandbox paused without its memory must be resumed explicitly".into());
    }
    let on_timeout = if pause { OnTimeout::Pause { memory } } else { OnTimeout::Kill };
    Ok(Lifecycle { on_timeout, auto_resume })
}

/// What every sandbox may use, from the runtime's limits.
pub fn resources(config: &super::runtime::Config) -> Resources {
    const MIB: u64 = 1 << 20;
    Resources {
        cpu_count: config.limits.cpus,
        memory_mb: (config.limits.memory_bytes / MIB) as u32,
        disk_size_mb: (config.disk_bytes / MIB) as u32,
    }
}

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
pub fn sandbox_envs(id: &str, requested: BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut envs = BTreeMap::from([
        ("E2B_SANDBOX".to_string(), "true".to_string()),
        ("E2B_SANDBOX_ID".to_string(), id.to_string()),
    ]);
    envs.extend(requested);
    envs
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

#[cfg(test)]
mod tests {
    use super::*;
    use e2b_wire::sandboxes::SandboxAutoResumeConfig;

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

    #[test]
    fn lifecycle_options_are_checked_together() {
        let req = |pause: Option<bool>, memory: Option<bool>, resume: Option<bool>| NewSandboxV2 {
            template_id: "base".into(),
            auto_pause: pause,
            auto_pause_memory: memory,
            auto_resume: resume.map(|enabled| SandboxAutoResumeConfig { enabled }),
            ..Default::default()
        };
        let kill = Lifecycle { on_timeout: OnTimeout::Kill, auto_resume: false };
        assert_eq!(lifecycle(&req(None, None, None)), Ok(kill));
        assert_eq!(
            lifecycle(&req(Some(true), None, Some(true))),
            Ok(Lifecycle { on_timeout: OnTimeout::Pause { memory: true }, auto_resume: true })
        );
        assert_eq!(
            lifecycle(&req(Some(true), Some(false), None)).unwrap().on_timeout,
            OnTimeout::Pause { memory: false }
        );
        assert!(lifecycle(&req(None, None, Some(true))).unwrap_err().contains("autoPause"));
        assert!(lifecycle(&req(Some(true), Some(false), Some(true))).unwrap_err().contains("autoPauseMemory"));
        assert_eq!(lifecycle(&req(Some(false), None, Some(false))), Ok(kill));
    }
}
