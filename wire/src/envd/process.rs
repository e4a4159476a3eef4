//! `process.Process`: start processes (optionally on a pseudo-terminal), stream their output,
//! and list, signal, feed, resize and reconnect to running ones.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Empty;

/// The service's name, the first part of its methods' paths.
pub const SERVICE: &str = "process.Process";

/// Method names of the service.
pub mod method {
    pub const LIST: &str = "List";
    pub const CONNECT: &str = "Connect";
    pub const START: &str = "Start";
    pub const UPDATE: &str = "Update";
    pub const STREAM_INPUT: &str = "StreamInput";
    pub const SEND_INPUT: &str = "SendInput";
    pub const SEND_SIGNAL: &str = "SendSignal";
    pub const CLOSE_STDIN: &str = "CloseStdin";
}

/// `TERM` of a process on a pseudo-terminal unless its request sets one (as E2B's SDKs set it).
pub const PTY_TERM: &str = "xterm-256color";

/// `process.ProcessConfig`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessConfig {
    #[serde(default)]
    pub cmd: String,
    #[serde(default)]
    pub args: Vec<String>,
    #[serde(default)]
    pub envs: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
}

/// `process.PTY.Size`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PtySize {
    #[serde(default)]
    pub cols: u32,
    #[serde(default)]
    pub rows: u32,
}

/// `process.PTY`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pty {
    #[serde(default)]
    pub size: PtySize,
}

/// Request of `Start`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartRequest {
    #[serde(default)]
    pub process: ProcessConfig,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pty: Option<Pty>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stdin: Option<bool>,
}

/// `process.ProcessEvent`: exactly one field is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartEvent {
    #[serde(default)]
    pub pid: u32,
}

/// Output, base64-encoded: exactly one field is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataEvent {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stdout: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stderr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pty: Option<String>,
}

/// The process ended.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessEventMessage {
    #[serde(default)]
    pub event: ProcessEvent,
}

/// `process.ProcessSelector`: a pid or a tag.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessSelector {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

/// `process.Signal`: by name, or by number as protobuf's JSON mapping also allows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "SignalOnWire")]
pub enum Signal {
    #[default]
    #[serde(rename = "SIGNAL_UNSPECIFIED")]
    Unspecified,
    #[serde(rename = "SIGNAL_SIGTERM")]
    Term,
    #[serde(rename = "SIGNAL_SIGKILL")]
    Kill,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum SignalOnWire {
    Name(String),
    Number(i64),
}

impl From<SignalOnWire> for Signal {
    fn from(s: SignalOnWire) -> Self {
        match s {
            SignalOnWire::Name(n) if n == "SIGNAL_SIGTERM" => Signal::Term,
            SignalOnWire::Name(n) if n == "SIGNAL_SIGKILL" => Signal::Kill,
            SignalOnWire::Number(15) => Signal::Term,
            SignalOnWire::Number(9) => Signal::Kill,
            _ => Signal::Unspecified,
        }
    }
}

/// Request of `SendSignal`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendSignalRequest {
    #[serde(default)]
    pub process: ProcessSelector,
    #[serde(default)]
    pub signal: Signal,
}

/// `process.ProcessInput`: base64 bytes for stdin or the pty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stdin: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pty: Option<String>,
}

/// Request of `SendInput`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendInputRequest {
    #[serde(default)]
    pub process: ProcessSelector,
    #[serde(default)]
    pub input: ProcessInput,
}

/// Request of `CloseStdin` and `Connect`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectRequest {
    #[serde(default)]
    pub process: ProcessSelector,
}

/// Request of `Update` (a pty's size).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateRequest {
    #[serde(default)]
    pub process: ProcessSelector,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pty: Option<Pty>,
}

/// `StreamInputRequest.StartEvent`: the process the input stream feeds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamInputStart {
    #[serde(default)]
    pub process: ProcessSelector,
}

/// `StreamInputRequest.DataEvent`: bytes for the process.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamInputData {
    #[serde(default)]
    pub input: ProcessInput,
}

/// One message of the `StreamInput` client stream: exactly one field is set (`start` first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamInputRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<StreamInputStart>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<StreamInputData>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keepalive: Option<Empty>,
}

/// One running process in `List`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessInfo {
    #[serde(default)]
    pub config: ProcessConfig,
    #[serde(default)]
    pub pid: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

/// Reply of `List`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListResponse {
    #[serde(default)]
    pub processes: Vec<ProcessInfo>,
}
