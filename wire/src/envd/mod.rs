//! envd, the agent inside each sandbox: its port and version, its REST file routes, and the
//! Connect services `filesystem.Filesystem` and `process.Process` in protobuf's JSON mapping
//! (camelCase names, enums as names, 64-bit integers as strings, bytes as base64).

pub mod filesystem;
pub mod process;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Port envd listens on inside an E2B sandbox.
pub const ENVD_PORT: u16 = 49983;
/// Version of envd that e2b-local reports (volume mounts and every SDK feature need ≥ 0.6.4).
pub const ENVD_VERSION: &str = "0.6.4";

/// Internal route by which the host hands envd its sandbox's settings (never reachable by clients).
pub const INIT_PATH: &str = "/init";
/// Health route: 204 while the sandbox runs.
pub const HEALTH_PATH: &str = "/health";
/// File route: `GET` downloads, `POST` uploads.
pub const FILES_PATH: &str = "/files";

/// Error body of envd's REST routes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvdError {
    /// Human-readable message.
    pub message: String,
    /// The HTTP status, repeated.
    pub code: u16,
}

/// One uploaded file, as `POST /files` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteInfo {
    /// Base name.
    pub name: String,
    /// Always `file`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Absolute path inside the sandbox.
    pub path: String,
    /// Metadata stored with the file (`X-Metadata-*` headers of the upload).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<BTreeMap<String, String>>,
}

/// Query of `/files`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilesQuery {
    /// Path in the sandbox, absolute or relative to the user's home.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The user who acts (`user` when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Signature of a signed URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// Unix time at which a signed URL expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_expiration: Option<i64>,
}

/// Body of `POST /init`: what envd learns from the host when its sandbox is handed out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvdInit {
    /// Environment variables of every process, under each process's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env_vars: Option<BTreeMap<String, String>>,
    /// The user commands and file calls act as when the call names none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_user: Option<String>,
    /// The directory commands start in when the call names none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_workdir: Option<String>,
    /// The host's time, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
}

/// The path of a Connect method: `/<service>/<method>`.
pub fn rpc_path(service: &str, method: &str) -> String {
    format!("/{service}/{method}")
}

/// An empty message (`{}`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Empty {}
