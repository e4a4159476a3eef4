//! `filesystem.Filesystem`: stat, list, make, move, remove and watch entries.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Empty;

/// The service's name, the first part of its methods' paths.
pub const SERVICE: &str = "filesystem.Filesystem";

/// Method names of the service.
pub mod method {
    pub const STAT: &str = "Stat";
    pub const MAKE_DIR: &str = "MakeDir";
    pub const MOVE: &str = "Move";
    pub const LIST_DIR: &str = "ListDir";
    pub const REMOVE: &str = "Remove";
    pub const WATCH_DIR: &str = "WatchDir";
    pub const CREATE_WATCHER: &str = "CreateWatcher";
    pub const GET_WATCHER_EVENTS: &str = "GetWatcherEvents";
    pub const REMOVE_WATCHER: &str = "RemoveWatcher";
}

/// `filesystem.FileType`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileType {
    #[serde(rename = "FILE_TYPE_FILE")]
    File,
    #[serde(rename = "FILE_TYPE_DIRECTORY")]
    Directory,
    #[serde(rename = "FILE_TYPE_SYMLINK")]
    Symlink,
    #[default]
    #[serde(rename = "FILE_TYPE_UNSPECIFIED", other)]
    Unspecified,
}

/// `filesystem.EntryInfo`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryInfo {
    #[serde(default)]
    pub name: String,
    #[serde(rename = "type")]
    #[serde(default)]
    pub kind: FileType,
    #[serde(default)]
    pub path: String,
    /// int64, a string in JSON.
    #[serde(default)]
    pub size: String,
    #[serde(default)]
    pub mode: u32,
    #[serde(default)]
    pub permissions: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub group: String,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub symlink_target: Option<String>,
    /// Metadata stored with the file (`user.e2b.*` xattrs, prefix stripped).
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
}

/// Request of `Stat`, `MakeDir` and `Remove`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathRequest {
    #[serde(default)]
    pub path: String,
}

/// Request of `ListDir`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListDirRequest {
    #[serde(default)]
    pub path: String,
    #[serde(default)]
    pub depth: u32,
}

/// Request of `Move`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveRequest {
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub destination: String,
}

/// Reply of `Stat`, `MakeDir` and `Move`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryResponse {
    #[serde(default)]
    pub entry: Option<EntryInfo>,
}

/// Reply of `ListDir`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListDirResponse {
    #[serde(default)]
    pub entries: Vec<EntryInfo>,
}

/// Request of `WatchDir` and `CreateWatcher`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WatchDirRequest {
    #[serde(default)]
    pub path: String,
    #[serde(default)]
    pub recursive: bool,
    #[serde(default)]
    pub include_entry: bool,
    #[serde(default)]
    pub allow_network_mounts: bool,
}

/// `filesystem.EventType`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventType {
    #[serde(rename = "EVENT_TYPE_CREATE")]
    Create,
    #[serde(rename = "EVENT_TYPE_WRITE")]
    Write,
    #[serde(rename = "EVENT_TYPE_REMOVE")]
    Remove,
    #[serde(rename = "EVENT_TYPE_RENAME")]
    Rename,
    #[serde(rename = "EVENT_TYPE_CHMOD")]
    Chmod,
    #[default]
    #[serde(rename = "EVENT_TYPE_UNSPECIFIED", other)]
    Unspecified,
}

/// One change under a watched directory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilesystemEvent {
    /// Path relative to the watched directory.
    #[serde(default)]
    pub name: String,
    #[serde(rename = "type")]
    #[serde(default)]
    pub kind: EventType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<EntryInfo>,
}

/// One message of the `WatchDir` stream: exactly one field is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchDirResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Empty>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filesystem: Option<FilesystemEvent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keepalive: Option<Empty>,
}

/// Reply of `CreateWatcher`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateWatcherResponse {
    #[serde(default)]
    pub watcher_id: String,
}

/// Request of `GetWatcherEvents` and `RemoveWatcher`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WatcherRequest {
    #[serde(default)]
    pub watcher_id: String,
}

/// Reply of `GetWatcherEvents`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetWatcherEventsResponse {
    #[serde(default)]
    pub events: Vec<FilesystemEvent>,
}
