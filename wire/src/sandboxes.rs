//! Sandboxes on the control plane: `/sandboxes`, `/v2/sandboxes`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A volume mounted into a sandbox, by volume name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxVolumeMount {
    /// Name of the volume.
    pub name: String,
    /// Absolute mount path inside the sandbox.
    pub path: String,
}

/// Body of `POST /sandboxes`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NewSandbox {
    /// Template ID or alias.
    #[serde(rename = "templateID")]
    pub template_id: String,
    /// Seconds until the sandbox is killed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<i32>,
    /// Whether envd requires an access token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secure: Option<bool>,
    /// Whether the sandbox may reach the internet.
    #[serde(default, rename = "allow_internet_access", skip_serializing_if = "Option::is_none")]
    pub allow_internet_access: Option<bool>,
    /// User metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<BTreeMap<String, String>>,
    /// Environment variables of every process.
    #[serde(default, rename = "envVars", skip_serializing_if = "Option::is_none")]
    pub env_vars: Option<BTreeMap<String, String>>,
    /// Volumes to mount.
    #[serde(default, rename = "volumeMounts", skip_serializing_if = "Option::is_none")]
    pub volume_mounts: Option<Vec<SandboxVolumeMount>>,
}

/// Reply of `POST /sandboxes` and `POST /sandboxes/{id}/connect`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Sandbox {
    #[serde(rename = "templateID")]
    pub template_id: String,
    #[serde(rename = "sandboxID")]
    pub sandbox_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// Deprecated; always sent.
    #[serde(rename = "clientID")]
    pub client_id: String,
    #[serde(rename = "envdVersion")]
    pub envd_version: String,
    #[serde(default, rename = "envdAccessToken", skip_serializing_if = "Option::is_none")]
    pub envd_access_token: Option<String>,
    #[serde(default, rename = "trafficAccessToken")]
    pub traffic_access_token: Option<String>,
    #[serde(default)]
    pub domain: Option<String>,
}

/// Reply of `GET /sandboxes/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SandboxDetail {
    #[serde(rename = "templateID")]
    pub template_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    #[serde(rename = "sandboxID")]
    pub sandbox_id: String,
    #[serde(rename = "clientID")]
    pub client_id: String,
    #[serde(rename = "startedAt")]
    pub started_at: String,
    #[serde(rename = "endAt")]
    pub end_at: String,
    #[serde(rename = "envdVersion")]
    pub envd_version: String,
    #[serde(default, rename = "envdAccessToken", skip_serializing_if = "Option::is_none")]
    pub envd_access_token: Option<String>,
    #[serde(default, rename = "allowInternetAccess", skip_serializing_if = "Option::is_none")]
    pub allow_internet_access: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(rename = "cpuCount")]
    pub cpu_count: u32,
    #[serde(rename = "memoryMB")]
    pub memory_mb: u32,
    #[serde(rename = "diskSizeMB")]
    pub disk_size_mb: u32,
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    /// `running` or `paused`.
    pub state: String,
    #[serde(default, rename = "volumeMounts")]
    pub volume_mounts: Vec<SandboxVolumeMount>,
}

/// Each item of `GET /v2/sandboxes`: a sandbox without its secrets.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ListedSandbox {
    #[serde(rename = "templateID")]
    pub template_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    #[serde(rename = "sandboxID")]
    pub sandbox_id: String,
    #[serde(rename = "clientID")]
    pub client_id: String,
    #[serde(rename = "startedAt")]
    pub started_at: String,
    #[serde(rename = "endAt")]
    pub end_at: String,
    #[serde(rename = "envdVersion")]
    pub envd_version: String,
    #[serde(rename = "cpuCount")]
    pub cpu_count: u32,
    #[serde(rename = "memoryMB")]
    pub memory_mb: u32,
    #[serde(rename = "diskSizeMB")]
    pub disk_size_mb: u32,
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    /// `running` or `paused`.
    pub state: String,
    #[serde(default, rename = "volumeMounts")]
    pub volume_mounts: Vec<SandboxVolumeMount>,
}

/// Body of `POST /sandboxes/{id}/timeout` and `/connect`: seconds from now.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SandboxTimeout {
    pub timeout: i32,
}
