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

/// Body of `POST /v2/sandboxes` (and, but for `secure`, of `POST /sandboxes`): every sandbox made
/// through it is secured.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NewSandboxV2 {
    /// Template ID or alias, or a snapshot's ID or name.
    #[serde(rename = "templateID")]
    pub template_id: String,
    /// Seconds until the sandbox times out (300 when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<i32>,
    /// Pause at the timeout instead of being killed.
    #[serde(default, rename = "autoPause", skip_serializing_if = "Option::is_none")]
    pub auto_pause: Option<bool>,
    /// Whether that pause keeps the memory (default) or only the filesystem.
    #[serde(default, rename = "autoPauseMemory", skip_serializing_if = "Option::is_none")]
    pub auto_pause_memory: Option<bool>,
    /// Whether traffic to a paused sandbox resumes it.
    #[serde(default, rename = "autoResume", skip_serializing_if = "Option::is_none")]
    pub auto_resume: Option<SandboxAutoResumeConfig>,
    /// Whether the sandbox may reach the internet.
    #[serde(default, rename = "allow_internet_access", skip_serializing_if = "Option::is_none")]
    pub allow_internet_access: Option<bool>,
    /// Egress rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<SandboxNetworkConfig>,
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

/// `autoResume` of a new sandbox.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxAutoResumeConfig {
    /// Whether traffic resumes the paused sandbox.
    pub enabled: bool,
}

/// A sandbox's egress rules, and settings of its public URLs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxNetworkConfig {
    /// Destinations always allowed (CIDR blocks, IP addresses or domain names); they win over `denyOut`.
    #[serde(default, rename = "allowOut", skip_serializing_if = "Option::is_none")]
    pub allow_out: Option<Vec<String>>,
    /// Destinations denied (CIDR blocks or IP addresses).
    #[serde(default, rename = "denyOut", skip_serializing_if = "Option::is_none")]
    pub deny_out: Option<Vec<String>>,
    /// Whether the sandbox's URLs are public.
    #[serde(default, rename = "allowPublicTraffic", skip_serializing_if = "Option::is_none")]
    pub allow_public_traffic: Option<bool>,
    /// Host mask for requests to the sandbox.
    #[serde(default, rename = "maskRequestHost", skip_serializing_if = "Option::is_none")]
    pub mask_request_host: Option<String>,
    /// A SOCKS5 proxy for egress.
    #[serde(default, rename = "egressProxy", skip_serializing_if = "Option::is_none")]
    pub egress_proxy: Option<SandboxEgressProxyConfig>,
    /// Per-domain transforms of egress HTTP requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<BTreeMap<String, Vec<SandboxNetworkRule>>>,
    /// Sandbox ports that serve HTTPS (SDK 2.51's types; not in the spec copy).
    #[serde(default, rename = "httpsPorts", skip_serializing_if = "Option::is_none")]
    pub https_ports: Option<Vec<u16>>,
}

/// Body of `PUT /sandboxes/{sandboxID}/network`: replaces the egress rules; an absent field is cleared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxNetworkUpdateConfig {
    /// Destinations always allowed.
    #[serde(default, rename = "allowOut", skip_serializing_if = "Option::is_none")]
    pub allow_out: Option<Vec<String>>,
    /// Destinations denied.
    #[serde(default, rename = "denyOut", skip_serializing_if = "Option::is_none")]
    pub deny_out: Option<Vec<String>>,
    /// A SOCKS5 proxy for egress.
    #[serde(default, rename = "egressProxy", skip_serializing_if = "Option::is_none")]
    pub egress_proxy: Option<SandboxEgressProxyConfig>,
    /// Per-domain transforms of egress HTTP requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<BTreeMap<String, Vec<SandboxNetworkRule>>>,
    /// Whether the sandbox may reach the internet.
    #[serde(default, rename = "allow_internet_access", skip_serializing_if = "Option::is_none")]
    pub allow_internet_access: Option<bool>,
}

/// A SOCKS5 proxy for a sandbox's egress.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxEgressProxyConfig {
    /// `host:port`.
    pub address: String,
    /// SOCKS5 user name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// SOCKS5 password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// A transform rule for egress requests to one domain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxNetworkRule {
    /// What is changed in matching requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transform: Option<SandboxNetworkTransform>,
}

/// Changes made to matching egress requests.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxNetworkTransform {
    /// Headers set on the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<BTreeMap<String, String>>,
}

/// What happens to a sandbox at its timeout: `kill` or `pause`.
pub mod on_timeout {
    /// The sandbox is killed.
    pub const KILL: &str = "kill";
    /// The sandbox is paused.
    pub const PAUSE: &str = "pause";
}

/// The states a sandbox is listed in.
pub mod state {
    /// Running.
    pub const RUNNING: &str = "running";
    /// Paused.
    pub const PAUSED: &str = "paused";
}

/// A sandbox's lifecycle policy, as its info reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxLifecycle {
    /// Whether traffic resumes it when paused.
    #[serde(rename = "autoResume")]
    pub auto_resume: bool,
    /// [`on_timeout::KILL`] or [`on_timeout::PAUSE`].
    #[serde(rename = "onTimeout")]
    pub on_timeout: String,
}

/// Reply of `GET /sandboxes/{sandboxID}`: the detail with the network and lifecycle policy.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FullSandboxDetail {
    /// Everything [`SandboxDetail`] holds.
    #[serde(flatten)]
    pub detail: SandboxDetail,
    /// Egress rules, when any were set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<SandboxNetworkConfig>,
    /// What happens at the timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<SandboxLifecycle>,
}

/// Body of `POST /sandboxes/{sandboxID}/connect`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ConnectSandbox {
    /// Seconds from now until the sandbox times out (only ever extended).
    pub timeout: i32,
    /// `false`: a paused sandbox starts afresh from its files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<bool>,
}

/// Body of `POST /v2/sandboxes/{sandboxID}/connect` (optional itself).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ConnectSandboxV2 {
    /// Seconds from now until the sandbox times out (300 when absent; only ever extended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<i32>,
    /// `false`: a paused sandbox starts afresh from its files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<bool>,
}

/// Body of `POST /sandboxes/{sandboxID}/pause` (optional itself).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SandboxPauseRequest {
    /// Keep the memory (default), or only the filesystem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<bool>,
}

/// Body of `POST /sandboxes/{sandboxID}/resume`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ResumedSandbox {
    /// Seconds until the resumed sandbox times out (15 when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<i32>,
    /// Deprecated: pause again at the timeout.
    #[serde(default, rename = "autoPause", skip_serializing_if = "Option::is_none")]
    pub auto_pause: Option<bool>,
    /// `false`: start afresh from the files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<bool>,
}

/// Body of `POST /sandboxes/{sandboxID}/refreshes`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SandboxRefreshRequest {
    /// Seconds to keep the sandbox alive from now (at most 3600).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<i64>,
}

/// Body of `POST /sandboxes/{sandboxID}/fork` (optional itself).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SandboxForkRequest {
    /// Seconds until each fork times out (15 when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<i32>,
    /// How many forks, 1–100 (1 when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<i32>,
}

/// One fork's outcome: exactly one of `sandbox` and `error`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SandboxForkResult {
    /// The fork, when it started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sandbox: Option<Sandbox>,
    /// Why it did not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<crate::volumes::ApiError>,
}

/// Body of `POST /sandboxes/{sandboxID}/snapshots`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SandboxSnapshotRequest {
    /// Name of the snapshot (a snapshot of that name is replaced).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A snapshot: a template new sandboxes can be made from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotInfo {
    /// Its ID with its tag (`<id>:default`, or `<name>:default` when named).
    #[serde(rename = "snapshotID")]
    pub snapshot_id: String,
    /// Its full names with their tags.
    pub names: Vec<String>,
}

/// Query of `GET /snapshots`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SnapshotListQuery {
    /// Only snapshots of this sandbox.
    #[serde(default, rename = "sandboxID", skip_serializing_if = "Option::is_none")]
    pub sandbox_id: Option<String>,
    /// Only the snapshot of this name or ID (optionally with its tag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Page size, 1–100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Cursor of the page.
    #[serde(default, rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// One sample of a sandbox's resource use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SandboxMetric {
    /// When it was taken (RFC 3339; deprecated on the wire, still required).
    pub timestamp: String,
    /// When it was taken, in Unix seconds.
    #[serde(rename = "timestampUnix")]
    pub timestamp_unix: i64,
    /// CPUs the sandbox may use.
    #[serde(rename = "cpuCount")]
    pub cpu_count: u32,
    /// CPU use since the previous sample, in percent of all its CPUs.
    #[serde(rename = "cpuUsedPct")]
    pub cpu_used_pct: f32,
    /// Memory used, in bytes.
    #[serde(rename = "memUsed")]
    pub mem_used: i64,
    /// Memory it may use, in bytes.
    #[serde(rename = "memTotal")]
    pub mem_total: i64,
    /// Page cache, in bytes.
    #[serde(rename = "memCache")]
    pub mem_cache: i64,
    /// Its own files, in bytes.
    #[serde(rename = "diskUsed")]
    pub disk_used: i64,
    /// Room for its own files, in bytes.
    #[serde(rename = "diskTotal")]
    pub disk_total: i64,
}

/// Query of `GET /sandboxes/{sandboxID}/metrics`: an interval in Unix seconds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SandboxMetricsQuery {
    /// Start of the interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<i64>,
    /// End of the interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<i64>,
}

/// Query of `GET /sandboxes/metrics`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SandboxesMetricsQuery {
    /// Comma-separated sandbox IDs (at most 100).
    #[serde(default)]
    pub sandbox_ids: String,
}

/// Reply of `GET /sandboxes/metrics`: each sandbox's latest sample.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SandboxesWithMetrics {
    /// By sandbox ID.
    pub sandboxes: BTreeMap<String, SandboxMetric>,
}
