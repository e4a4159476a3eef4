//! A sandbox as the control plane describes it: on creation and connection, in detail (with its
//! network and lifecycle policy), and in listings (which carry no secrets).

use e2b_wire::envd::ENVD_VERSION;
use e2b_wire::sandboxes::{
    on_timeout, state, FullSandboxDetail, ListedSandbox, Sandbox as WireSandbox, SandboxDetail, SandboxLifecycle,
};

use super::sandbox::{OnTimeout, Phase, Sandbox};
use crate::timestamp;

/// The client ID E2B's replies still carry.
const CLIENT_ID: &str = "e2b-local";

/// Reply of create and connect: how to reach the sandbox's envd.
pub fn created(s: &Sandbox) -> WireSandbox {
    WireSandbox {
        template_id: s.template_id.clone(),
        sandbox_id: s.id.clone(),
        alias: Some(s.alias.clone()),
        client_id: CLIENT_ID.into(),
        envd_version: ENVD_VERSION.into(),
        envd_access_token: s.envd_token.clone(),
        traffic_access_token: None,
        domain: None,
    }
}

/// Reply of `GET /sandboxes/{id}`.
pub fn detail(s: &Sandbox) -> FullSandboxDetail {
    let l = listed(s);
    let network = s.network();
    let action = match s.lifecycle.on_timeout {
        OnTimeout::Kill => on_timeout::KILL,
        OnTimeout::Pause { .. } => on_timeout::PAUSE,
    };
    FullSandboxDetail {
        detail: SandboxDetail {
            template_id: l.template_id,
            alias: l.alias,
            sandbox_id: l.sandbox_id,
            client_id: l.client_id,
            started_at: l.started_at,
            end_at: l.end_at,
            envd_version: l.envd_version,
            envd_access_token: s.envd_token.clone(),
            allow_internet_access: Some(network.internet),
            domain: None,
            cpu_count: l.cpu_count,
            memory_mb: l.memory_mb,
            disk_size_mb: l.disk_size_mb,
            metadata: l.metadata,
            state: l.state,
            volume_mounts: l.volume_mounts,
        },
        network: network.config,
        lifecycle: Some(SandboxLifecycle { auto_resume: s.lifecycle.auto_resume, on_timeout: action.into() }),
    }
}

/// One item of `GET /v2/sandboxes`: no envd token, as the spec has it.
pub fn listed(s: &Sandbox) -> ListedSandbox {
    ListedSandbox {
        template_id: s.template_id.clone(),
        alias: Some(s.alias.clone()),
        sandbox_id: s.id.clone(),
        client_id: CLIENT_ID.into(),
        started_at: timestamp::from_system(s.started_at),
        end_at: timestamp::from_system(s.end_at()),
        envd_version: ENVD_VERSION.into(),
        cpu_count: s.resources.cpu_count,
        memory_mb: s.resources.memory_mb,
        disk_size_mb: s.resources.disk_size_mb,
        metadata: s.metadata.clone(),
        state: match s.phase() {
            Phase::Running => state::RUNNING,
            Phase::Paused { .. } => state::PAUSED,
        }
        .into(),
        volume_mounts: s.mounts.clone(),
    }
}
