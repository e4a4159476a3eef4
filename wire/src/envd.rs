//! envd inside a sandbox: the REST file routes and the Connect services `filesystem.Filesystem`
//! and `process.Process`, in protobuf's JSON mapping (camelCase, enums as names, bytes as base64).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Error body of envd's REST routes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EnvdError {
    pub message: String,
    pub code: u16,
}

/// One uploaded file, as `POST /files` reports it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WriteInfo {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub path: String,
}

/// A Connect error (`code` is the snake_case Connect code).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConnectError {
    pub code: String,
    pub message: String,
}

/// `filesystem.FileType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileType {
    #[serde(rename = "FILE_TYPE_UNSPECIFIED")]
    Unspecified,
    #[serde(rename = "FILE_TYPE_FILE")]
    File,
    #[serde(rename = "FILE_TYPE_DIRECTORY")]
    Directory,
    #[serde(rename = "FILE_TYPE_SYMLINK")]
    Symlink,
}

/// `filesystem.EntryInfo`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryInfo {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: FileType,
    pub path: String,
    /// int64, a string in JSON.
    pub size: String,
    pub mode: u32,
    pub permissions: String,
    pub owner: String,
    pub group: String,
    pub modified_time: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub symlink_target: Option<String>,
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
}

/// Request of `Stat`, `MakeDir` and `Remove`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PathRequest {
    #[serde(default)]
    pub path: String,
}

/// Request of `ListDir`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ListDirRequest {
    #[serde(default)]
    pub path: String,
    #[serde(default)]
    pub depth: u32,
}

/// Request of `Move`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MoveRequest {
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub destination: String,
}

/// Reply of `Stat`, `MakeDir` and `Move`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EntryResponse {
    pub entry: EntryInfo,
}

/// Reply of `ListDir`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ListDirResponse {
    pub entries: Vec<EntryInfo>,
}

/// An empty message (`{}`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Empty {}

/// `process.ProcessConfig`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProcessConfig {
    pub cmd: String,
    #[serde(default)]
    pub args: Vec<String>,
    #[serde(default)]
    pub envs: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
}

/// Request of `Start`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StartRequest {
    pub process: ProcessConfig,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stdin: Option<bool>,
}

/// `process.ProcessEvent`: exactly one field is set.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProcessEvent {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<StartEvent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<DataEvent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<EndEvent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keepalive: Option<Empty>,
}

/// The process started.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StartEvent {
    #[serde(default)]
    pub pid: u32,
}

/// Output, base64-encoded.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DataEvent {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stdout: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stderr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pty: Option<String>,
}

/// The process ended.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndEvent {
    #[serde(default)]
    pub exit_code: i32,
    #[serde(default)]
    pub exited: bool,
    #[serde(default)]
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One message of the `Start` and `Connect` streams.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProcessEventMessage {
    pub event: ProcessEvent,
}

/// `process.ProcessSelector`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProcessSelector {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

/// Request of `SendSignal`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SendSignalRequest {
    #[serde(default)]
    pub process: ProcessSelector,
    #[serde(default)]
    pub signal: String,
}

/// `process.ProcessInput`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProcessInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stdin: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pty: Option<String>,
}

/// Request of `SendInput`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SendInputRequest {
    #[serde(default)]
    pub process: ProcessSelector,
    #[serde(default)]
    pub input: ProcessInput,
}

/// Request of `CloseStdin` and `Connect`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SelectRequest {
    #[serde(default)]
    pub process: ProcessSelector,
}

/// One running process in `List`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProcessInfo {
    pub config: ProcessConfig,
    pub pid: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

/// Reply of `List`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ListResponse {
    pub processes: Vec<ProcessInfo>,
}
