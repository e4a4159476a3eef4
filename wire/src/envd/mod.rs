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

/// Prefix of the upload headers that carry metadata: `X-Metadata-<key>: <value>` (key lowercased).
pub const METADATA_HEADER_PREFIX: &str = "X-Metadata-";
/// Namespace of the extended attributes that hold a file's metadata: `user.e2b.<key>`.
pub const METADATA_XATTR_PREFIX: &str = "user.e2b.";
/// Most bytes of one metadata key (the kernel's 255-byte attribute name, less the namespace).
pub const MAX_METADATA_KEY_BYTES: usize = 246;
/// Most bytes of one file's metadata: every key with its namespace, plus every value.
pub const MAX_METADATA_BYTES: usize = 4096;

/// First characters of a signed `/files` URL's `signature`, before the unpadded base64 of its hash.
pub const SIGNATURE_PREFIX: &str = "v1_";

/// What a signed `/files` URL may do: `read` (`GET`) or `write` (`POST`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileOperation {
    Read,
    Write,
}

impl FileOperation {
    /// The word signed for it.
    pub fn as_str(self) -> &'static str {
        match self {
            FileOperation::Read => "read",
            FileOperation::Write => "write",
        }
    }
}

/// The text whose SHA-256 a signed `/files` URL carries:
/// `<path>:<operation>:<user or ''>:<envd access token>[:<expiration>]`.
pub fn signature_payload(
    path: &str,
    operation: FileOperation,
    user: &str,
    token: &str,
    expiration: Option<i64>,
) -> String {
    let mut text = format!("{path}:{}:{user}:{token}", operation.as_str());
    if let Some(at) = expiration {
        text.push_str(&format!(":{at}"));
    }
    text
}

/// The sandbox ID in a host of the form `<ENVD_PORT>-<sandboxID>.<domain>[:port]`, as E2B routes
/// envd by host.
pub fn sandbox_id_from_host(host: &str) -> Option<&str> {
    let label = host.split('.').next()?;
    let (port, id) = label.split_once('-')?;
    (port.parse::<u16>().ok()? == ENVD_PORT && !id.is_empty() && host.len() > label.len()).then_some(id)
}

/// The path of a Connect method: `/<service>/<method>`.
pub fn rpc_path(service: &str, method: &str) -> String {
    format!("/{service}/{method}")
}

/// An empty message (`{}`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Empty {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_sign_path_operation_user_token_and_expiry() {
        let plain = signature_payload("/a b", FileOperation::Read, "", "tok", None);
        assert_eq!(plain, "/a b:read::tok");
        assert_eq!(signature_payload("x", FileOperation::Write, "root", "t", Some(17)), "x:write:root:t:17");
    }

    #[test]
    fn hosts_name_the_sandbox_behind_envds_port() {
        assert_eq!(sandbox_id_from_host("49983-abc123.e2b.app"), Some("abc123"));
        assert_eq!(sandbox_id_from_host("49983-abc-def.localhost:3000"), Some("abc-def"));
        assert_eq!(sandbox_id_from_host("3000-abc.e2b.app"), None, "another port");
        assert_eq!(sandbox_id_from_host("49983-abc"), None, "no domain");
        assert_eq!(sandbox_id_from_host("49983-.e2b.app"), None);
        assert_eq!(sandbox_id_from_host("127.0.0.1:49983"), None);
    }
}
