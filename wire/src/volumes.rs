//! Volumes: the control plane's `/volumes` and the volume content API.

use serde::{Deserialize, Serialize};

/// Default uid and gid that E2B gives new volume entries.
pub const DEFAULT_OWNER_ID: u32 = 9090;
/// Default permission bits of a new file.
pub const DEFAULT_FILE_MODE: u32 = 0o666;
/// Default permission bits of a new directory.
pub const DEFAULT_DIR_MODE: u32 = 0o777;
/// Largest listing depth the content API accepts.
pub const MAX_LIST_DEPTH: u32 = 10;

/// Body of `POST /volumes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewVolume {
    /// Volume name, `^[a-zA-Z0-9_-]+$`.
    pub name: String,
}

/// An entry of `GET /volumes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volume {
    /// Volume ID, a lowercase UUID.
    #[serde(rename = "volumeID")]
    pub volume_id: String,
    /// Volume name, unique per team.
    pub name: String,
}

/// Reply of `POST /volumes` and `GET /volumes/{volumeID}`: a volume and a fresh content token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolumeAndToken {
    /// Volume ID, a lowercase UUID.
    #[serde(rename = "volumeID")]
    pub volume_id: String,
    /// Volume name.
    pub name: String,
    /// Bearer token for the volume content API, bound to this volume.
    pub token: String,
    /// Domain that serves the volume's content API (only for BYOC deployments).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
}

/// Error body of the control plane: a numeric code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// HTTP status repeated as a number.
    pub code: i32,
    /// Human-readable message.
    pub message: String,
}

/// Error body of the volume content API: a string code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentError {
    /// Machine-readable code such as `PATH_NOT_FOUND`.
    pub code: String,
    /// Human-readable message.
    pub message: String,
}

/// Kind of a volume entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VolumeFileType {
    /// Neither file nor directory, or a dangling symlink.
    Unknown,
    /// A regular file.
    File,
    /// A directory.
    Directory,
    /// A symbolic link (listed by the spec; E2B reports the target's type instead).
    Symlink,
}

impl VolumeFileType {
    /// The wire spelling of this type.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::File => "file",
            Self::Directory => "directory",
            Self::Symlink => "symlink",
        }
    }
}

/// Metadata of one path in a volume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolumeEntryStat {
    /// Base name; `/` for the root.
    pub name: String,
    /// Entry type; a symlink reports its target's type.
    #[serde(rename = "type")]
    pub kind: VolumeFileType,
    /// Cleaned path from the volume root, with a leading `/`.
    pub path: String,
    /// Size in bytes.
    pub size: i64,
    /// Permission bits (`& 0o777`).
    pub mode: u32,
    /// Owner user ID.
    pub uid: u32,
    /// Owner group ID.
    pub gid: u32,
    /// Last access time, RFC 3339.
    pub atime: String,
    /// Last modification time, RFC 3339.
    pub mtime: String,
    /// Inode change time, RFC 3339.
    pub ctime: String,
    /// For a symlink, its resolved in-volume path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

/// Body of `PATCH /volumecontent/{volumeID}/path`; absent fields stay unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetadataUpdate {
    /// New owner user ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<u32>,
    /// New owner group ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gid: Option<u32>,
    /// New permission bits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<u32>,
}

/// Query of the content API's `path` routes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathQuery {
    /// Path inside the volume (required, non-empty).
    #[serde(default)]
    pub path: Option<String>,
}

/// Query of `GET /volumecontent/{volumeID}/dir`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListQuery {
    /// Directory to list.
    #[serde(default)]
    pub path: Option<String>,
    /// Levels to descend, 1..=10 (0 means 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depth: Option<u32>,
}

/// Query of `POST /dir` and `PUT /file`: where to create, with which owner and mode.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteQuery {
    /// Path to create.
    #[serde(default)]
    pub path: Option<String>,
    /// Owner user ID (default 9090).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<u32>,
    /// Owner group ID (default 9090).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gid: Option<u32>,
    /// Permission bits (default 0666 for files, 0777 for directories).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<u32>,
    /// mkdir: create parents; write: overwrite and create parents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force: Option<bool>,
}

/// True when `name` is a valid volume name (`^[a-zA-Z0-9_-]+$`).
pub fn is_valid_volume_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volume_ids_use_the_spec_spelling() {
        let v = VolumeAndToken { volume_id: "id".into(), name: "n".into(), token: "t".into(), domain: None };
        assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"volumeID":"id","name":"n","token":"t"}"#);
    }

    #[test]
    fn names_follow_the_regex() {
        assert!(is_valid_volume_name("a-B_9"));
        assert!(!is_valid_volume_name(""));
        assert!(!is_valid_volume_name("a b"));
        assert!(!is_valid_volume_name("a/b"));
        assert!(!is_valid_volume_name("é"));
    }

    #[test]
    fn entry_type_is_lowercase() {
        assert_eq!(serde_json::to_string(&VolumeFileType::Directory).unwrap(), r#""directory""#);
    }
}
