//! The JSON field names of the replies a client reads field by field. The SDK reads replies this way,
//! not through serde, to stay small in WebAssembly; the tests below prove that each name is the one
//! serde writes for the wire type it belongs to.

/// Error bodies: the control plane's and the volume content API's (`code`, `message`), a Connect
/// error (`code`, `message`) and a stream's end (`error`).
pub mod error {
    pub const CODE: &str = "code";
    pub const MESSAGE: &str = "message";
    pub const ERROR: &str = "error";
}

/// `Volume` and `VolumeAndToken` (`/volumes`).
pub mod volume {
    pub const VOLUME_ID: &str = "volumeID";
    pub const NAME: &str = "name";
    pub const TOKEN: &str = "token";
    pub const DOMAIN: &str = "domain";
}

/// `VolumeEntryStat` (the volume content API).
pub mod volume_entry {
    pub const NAME: &str = "name";
    pub const TYPE: &str = "type";
    pub const PATH: &str = "path";
    pub const SIZE: &str = "size";
    pub const MODE: &str = "mode";
    pub const UID: &str = "uid";
    pub const GID: &str = "gid";
    pub const ATIME: &str = "atime";
    pub const MTIME: &str = "mtime";
    pub const CTIME: &str = "ctime";
    pub const TARGET: &str = "target";
}

/// `Sandbox`, `SandboxDetail` and `ListedSandbox` (`/sandboxes`), with `SandboxVolumeMount`.
pub mod sandbox {
    pub const TEMPLATE_ID: &str = "templateID";
    pub const SANDBOX_ID: &str = "sandboxID";
    pub const ALIAS: &str = "alias";
    pub const ENVD_VERSION: &str = "envdVersion";
    pub const ENVD_ACCESS_TOKEN: &str = "envdAccessToken";
    pub const TRAFFIC_ACCESS_TOKEN: &str = "trafficAccessToken";
    pub const DOMAIN: &str = "domain";
    pub const STARTED_AT: &str = "startedAt";
    pub const END_AT: &str = "endAt";
    pub const ALLOW_INTERNET_ACCESS: &str = "allowInternetAccess";
    pub const CPU_COUNT: &str = "cpuCount";
    pub const MEMORY_MB: &str = "memoryMB";
    pub const METADATA: &str = "metadata";
    pub const STATE: &str = "state";
    pub const VOLUME_MOUNTS: &str = "volumeMounts";
}

/// envd's `filesystem.EntryInfo`, the replies that carry entries, and `WriteInfo` (`POST /files`).
pub mod entry {
    pub const NAME: &str = "name";
    pub const TYPE: &str = "type";
    pub const PATH: &str = "path";
    pub const SIZE: &str = "size";
    pub const MODE: &str = "mode";
    pub const PERMISSIONS: &str = "permissions";
    pub const OWNER: &str = "owner";
    pub const GROUP: &str = "group";
    pub const MODIFIED_TIME: &str = "modifiedTime";
    pub const SYMLINK_TARGET: &str = "symlinkTarget";
    pub const METADATA: &str = "metadata";
    /// The entry of `Stat`, `MakeDir` and `Move` replies.
    pub const ENTRY: &str = "entry";
    /// The entries of a `ListDir` reply.
    pub const ENTRIES: &str = "entries";
    /// `type` of a file, a directory and a symlink (anything else is unspecified).
    pub const TYPE_FILE: &str = "FILE_TYPE_FILE";
    pub const TYPE_DIRECTORY: &str = "FILE_TYPE_DIRECTORY";
    pub const TYPE_SYMLINK: &str = "FILE_TYPE_SYMLINK";
}

/// envd's `process.Process` replies: `ListResponse` with `ProcessInfo`, and the stream's
/// `ProcessEventMessage` with its events.
pub mod process {
    pub const PROCESSES: &str = "processes";
    pub const CONFIG: &str = "config";
    pub const PID: &str = "pid";
    pub const TAG: &str = "tag";
    pub const CMD: &str = "cmd";
    pub const ARGS: &str = "args";
    pub const ENVS: &str = "envs";
    pub const CWD: &str = "cwd";
    pub const EVENT: &str = "event";
    pub const START: &str = "start";
    pub const DATA: &str = "data";
    pub const END: &str = "end";
    pub const STDOUT: &str = "stdout";
    pub const STDERR: &str = "stderr";
    pub const PTY: &str = "pty";
    pub const EXIT_CODE: &str = "exitCode";
    pub const EXITED: &str = "exited";
    pub const STATUS: &str = "status";
    pub const ERROR: &str = "error";
}

/// envd's `filesystem.WatchDirResponse` (one of `start`, `filesystem`, `keepalive`) and its
/// `FilesystemEvent`.
pub mod watch {
    pub const START: &str = "start";
    pub const FILESYSTEM: &str = "filesystem";
    pub const NAME: &str = "name";
    pub const TYPE: &str = "type";
    pub const ENTRY: &str = "entry";
    /// `type` of each kind of event (anything else is unspecified).
    pub const TYPE_CREATE: &str = "EVENT_TYPE_CREATE";
    pub const TYPE_WRITE: &str = "EVENT_TYPE_WRITE";
    pub const TYPE_REMOVE: &str = "EVENT_TYPE_REMOVE";
    pub const TYPE_RENAME: &str = "EVENT_TYPE_RENAME";
    pub const TYPE_CHMOD: &str = "EVENT_TYPE_CHMOD";
}

/// The lifecycle replies: a sandbox's `network` and `lifecycle` (`GET /sandboxes/{id}`), a
/// `SnapshotInfo`, a `SandboxMetric`, and a `SandboxForkResult`.
pub mod lifecycle {
    /// `network` of a sandbox's detail (`SandboxNetworkConfig`).
    pub const NETWORK: &str = "network";
    /// `lifecycle` of a sandbox's detail (`SandboxLifecycle`).
    pub const LIFECYCLE: &str = "lifecycle";
    pub const ALLOW_OUT: &str = "allowOut";
    pub const DENY_OUT: &str = "denyOut";
    pub const RULES: &str = "rules";
    pub const EGRESS_PROXY: &str = "egressProxy";
    pub const ALLOW_PUBLIC_TRAFFIC: &str = "allowPublicTraffic";
    pub const MASK_REQUEST_HOST: &str = "maskRequestHost";
    pub const HTTPS_PORTS: &str = "httpsPorts";
    pub const ADDRESS: &str = "address";
    pub const USERNAME: &str = "username";
    pub const ON_TIMEOUT: &str = "onTimeout";
    pub const AUTO_RESUME: &str = "autoResume";
    pub const SNAPSHOT_ID: &str = "snapshotID";
    pub const NAMES: &str = "names";
    pub const TIMESTAMP: &str = "timestamp";
    pub const CPU_COUNT: &str = "cpuCount";
    pub const CPU_USED_PCT: &str = "cpuUsedPct";
    pub const MEM_USED: &str = "memUsed";
    pub const MEM_TOTAL: &str = "memTotal";
    pub const MEM_CACHE: &str = "memCache";
    pub const DISK_USED: &str = "diskUsed";
    pub const DISK_TOTAL: &str = "diskTotal";
    /// A fork's sandbox, when it started.
    pub const SANDBOX: &str = "sandbox";
    /// A fork's error, when it did not.
    pub const ERROR: &str = "error";
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;
    use serde_json::Value;

    use super::*;
    use crate::connect::{Code, ConnectError, EndStream};
    use crate::envd::filesystem::{EntryInfo, EntryResponse, FileType, ListDirResponse};
    use crate::envd::process::{
        DataEvent, EndEvent, ListResponse, ProcessConfig, ProcessEvent, ProcessEventMessage, ProcessInfo, StartEvent,
    };
    use crate::envd::{EnvdError, WriteInfo};
    use crate::sandboxes::{ListedSandbox, Sandbox, SandboxDetail, SandboxVolumeMount};
    use crate::{ApiError, ContentError, Volume, VolumeAndToken, VolumeEntryStat, VolumeFileType};

    /// Asserts that `value`, serialized, is an object with every one of `keys`.
    fn has_keys(value: &impl Serialize, keys: &[&str]) -> Value {
        let json = serde_json::to_value(value).expect("serializes");
        for key in keys {
            assert!(json.get(key).is_some(), "`{key}` is not a field of {json}");
        }
        json
    }

    fn map() -> BTreeMap<String, String> {
        BTreeMap::from([("k".to_string(), "v".to_string())])
    }

    #[test]
    fn error_fields() {
        has_keys(&ApiError { code: 404, message: "m".into() }, &[error::CODE, error::MESSAGE]);
        has_keys(&ContentError { code: "c".into(), message: "m".into() }, &[error::CODE, error::MESSAGE]);
        has_keys(&EnvdError { code: 404, message: "m".into() }, &[error::CODE, error::MESSAGE]);
        let e = ConnectError { code: Code::NotFound, message: "m".into() };
        has_keys(&e, &[error::CODE, error::MESSAGE]);
        let end = has_keys(&EndStream { error: Some(e) }, &[error::ERROR]);
        assert_eq!(end[error::ERROR][error::CODE], "not_found");
    }

    #[test]
    fn volume_fields() {
        use volume::*;
        has_keys(&Volume { volume_id: "v".into(), name: "n".into() }, &[VOLUME_ID, NAME]);
        let v = VolumeAndToken { volume_id: "v".into(), name: "n".into(), token: "t".into(), domain: Some("d".into()) };
        has_keys(&v, &[VOLUME_ID, NAME, TOKEN, DOMAIN]);
        use volume_entry as e;
        let entry = VolumeEntryStat {
            name: "n".into(),
            kind: VolumeFileType::Symlink,
            path: "/n".into(),
            size: 1,
            mode: 0o777,
            uid: 0,
            gid: 0,
            atime: "t".into(),
            mtime: "t".into(),
            ctime: "t".into(),
            target: Some("/x".into()),
        };
        let keys =
            [e::NAME, e::TYPE, e::PATH, e::SIZE, e::MODE, e::UID, e::GID, e::ATIME, e::MTIME, e::CTIME, e::TARGET];
        has_keys(&entry, &keys);
    }

    #[test]
    fn sandbox_fields() {
        use sandbox::*;
        let s = Sandbox {
            template_id: "t".into(),
            sandbox_id: "s".into(),
            alias: Some("a".into()),
            client_id: "c".into(),
            envd_version: "0.1.0".into(),
            envd_access_token: Some("e".into()),
            traffic_access_token: Some("r".into()),
            domain: Some("d".into()),
        };
        has_keys(&s, &[TEMPLATE_ID, SANDBOX_ID, ALIAS, ENVD_VERSION, ENVD_ACCESS_TOKEN, TRAFFIC_ACCESS_TOKEN, DOMAIN]);
        let mounts = vec![SandboxVolumeMount { name: "v".into(), path: "/mnt".into() }];
        let d = SandboxDetail {
            template_id: "t".into(),
            alias: Some("a".into()),
            sandbox_id: "s".into(),
            client_id: "c".into(),
            started_at: "t".into(),
            end_at: "t".into(),
            envd_version: "0.1.0".into(),
            envd_access_token: Some("e".into()),
            allow_internet_access: Some(true),
            domain: Some("d".into()),
            cpu_count: 2,
            memory_mb: 512,
            disk_size_mb: 1024,
            metadata: map(),
            state: "running".into(),
            volume_mounts: mounts.clone(),
        };
        let shown = [
            SANDBOX_ID,
            TEMPLATE_ID,
            ALIAS,
            METADATA,
            STARTED_AT,
            END_AT,
            STATE,
            CPU_COUNT,
            MEMORY_MB,
            ENVD_VERSION,
            ALLOW_INTERNET_ACCESS,
            DOMAIN,
            VOLUME_MOUNTS,
        ];
        let json = has_keys(&d, &shown);
        // Mounts are shown as they come: their field names are the SDK's.
        assert_eq!(json[VOLUME_MOUNTS][0], serde_json::json!({"name": "v", "path": "/mnt"}));
        let l = ListedSandbox {
            template_id: "t".into(),
            alias: Some("a".into()),
            sandbox_id: "s".into(),
            client_id: "c".into(),
            started_at: "t".into(),
            end_at: "t".into(),
            envd_version: "0.1.0".into(),
            cpu_count: 2,
            memory_mb: 512,
            disk_size_mb: 1024,
            metadata: map(),
            state: "running".into(),
            volume_mounts: mounts,
        };
        let listed: Vec<&str> = shown.into_iter().filter(|k| ![ALLOW_INTERNET_ACCESS, DOMAIN].contains(k)).collect();
        has_keys(&l, &listed);
    }

    #[test]
    fn entry_fields() {
        use entry::*;
        let info = EntryInfo {
            name: "n".into(),
            kind: FileType::Symlink,
            path: "/n".into(),
            size: "1".into(),
            mode: 0o777,
            permissions: "Lrwxrwxrwx".into(),
            owner: "user".into(),
            group: "user".into(),
            modified_time: Some("t".into()),
            symlink_target: Some("/x".into()),
            metadata: map(),
        };
        let keys = [NAME, TYPE, PATH, SIZE, MODE, PERMISSIONS, OWNER, GROUP, MODIFIED_TIME, SYMLINK_TARGET, METADATA];
        let json = has_keys(&info, &keys);
        assert_eq!(json[TYPE], TYPE_SYMLINK);
        for (kind, name) in [(FileType::File, TYPE_FILE), (FileType::Directory, TYPE_DIRECTORY)] {
            assert_eq!(serde_json::to_value(kind).expect("serializes"), name);
        }
        has_keys(&EntryResponse { entry: Some(info.clone()) }, &[ENTRY]);
        has_keys(&ListDirResponse { entries: vec![info] }, &[ENTRIES]);
        let written = WriteInfo { name: "n".into(), kind: "file".into(), path: "/n".into(), metadata: Some(map()) };
        has_keys(&written, &[NAME, TYPE, PATH, METADATA]);
    }

    #[test]
    fn process_fields() {
        use process::*;
        let config = ProcessConfig { cmd: "c".into(), args: vec!["a".into()], envs: map(), cwd: Some("/".into()) };
        has_keys(&config, &[CMD, ARGS, ENVS, CWD]);
        let info = ProcessInfo { config, pid: 1, tag: Some("t".into()) };
        has_keys(&ListResponse { processes: vec![info.clone()] }, &[PROCESSES]);
        has_keys(&info, &[CONFIG, PID, TAG]);
        let data = DataEvent { stdout: Some("b".into()), stderr: Some("b".into()), pty: Some("b".into()) };
        has_keys(&data, &[STDOUT, STDERR, PTY]);
        let end = EndEvent { exit_code: 1, exited: true, status: "s".into(), error: Some("e".into()) };
        has_keys(&end, &[EXIT_CODE, EXITED, STATUS, ERROR]);
        has_keys(&StartEvent { pid: 1 }, &[PID]);
        let event =
            ProcessEvent { start: Some(StartEvent { pid: 1 }), data: Some(data), end: Some(end), keepalive: None };
        has_keys(&event, &[START, DATA, END]);
        has_keys(&ProcessEventMessage { event }, &[EVENT]);
    }

    #[test]
    fn watch_fields() {
        use crate::envd::filesystem::{EventType, FilesystemEvent, WatchDirResponse};
        use crate::envd::Empty;
        use watch::*;
        has_keys(&WatchDirResponse { start: Some(Empty {}), ..Default::default() }, &[START]);
        let event = FilesystemEvent { name: "a".into(), kind: EventType::Write, entry: Some(EntryInfo::default()) };
        has_keys(&event, &[NAME, TYPE, ENTRY]);
        has_keys(&WatchDirResponse { filesystem: Some(event), ..Default::default() }, &[FILESYSTEM]);
        let kinds = [
            (EventType::Create, TYPE_CREATE),
            (EventType::Write, TYPE_WRITE),
            (EventType::Remove, TYPE_REMOVE),
            (EventType::Rename, TYPE_RENAME),
            (EventType::Chmod, TYPE_CHMOD),
        ];
        for (kind, name) in kinds {
            assert_eq!(serde_json::to_value(kind).expect("serializes"), name);
        }
    }
    #[test]
    fn lifecycle_fields() {
        use crate::sandboxes::{
            SandboxEgressProxyConfig, SandboxForkResult, SandboxLifecycle, SandboxMetric, SandboxNetworkConfig,
            SnapshotInfo,
        };
        use lifecycle::*;
        let proxy = SandboxEgressProxyConfig { address: "a:1".into(), username: Some("u".into()), password: None };
        let network = SandboxNetworkConfig {
            allow_out: Some(vec![]),
            deny_out: Some(vec![]),
            allow_public_traffic: Some(true),
            mask_request_host: Some("m".into()),
            egress_proxy: Some(proxy),
            rules: Some(BTreeMap::new()),
            https_ports: Some(vec![443]),
        };
        let keys = [ALLOW_OUT, DENY_OUT, RULES, EGRESS_PROXY, ALLOW_PUBLIC_TRAFFIC, MASK_REQUEST_HOST, HTTPS_PORTS];
        let json = has_keys(&network, &keys);
        assert!(json[EGRESS_PROXY].get(ADDRESS).is_some() && json[EGRESS_PROXY].get(USERNAME).is_some());
        has_keys(&SandboxLifecycle { auto_resume: true, on_timeout: "pause".into() }, &[ON_TIMEOUT, AUTO_RESUME]);
        has_keys(&SnapshotInfo { snapshot_id: "s".into(), names: vec![] }, &[SNAPSHOT_ID, NAMES]);
        let metric = SandboxMetric {
            timestamp: "t".into(),
            timestamp_unix: 1,
            cpu_count: 1,
            cpu_used_pct: 1.0,
            mem_used: 1,
            mem_total: 1,
            mem_cache: 1,
            disk_used: 1,
            disk_total: 1,
        };
        let keys = [TIMESTAMP, CPU_COUNT, CPU_USED_PCT, MEM_USED, MEM_TOTAL, MEM_CACHE, DISK_USED, DISK_TOTAL];
        has_keys(&metric, &keys);
        let failed = SandboxForkResult { sandbox: None, error: Some(ApiError { code: 400, message: "m".into() }) };
        has_keys(&failed, &[ERROR]);
        let json = serde_json::to_value(crate::sandboxes::FullSandboxDetail {
            detail: serde_json::from_value(serde_json::json!({
                "templateID": "t", "sandboxID": "s", "clientID": "c", "startedAt": "t", "endAt": "t",
                "envdVersion": "0.1.0", "cpuCount": 1, "memoryMB": 1, "diskSizeMB": 1, "state": "running"
            }))
            .expect("a detail"),
            network: Some(SandboxNetworkConfig::default()),
            lifecycle: Some(SandboxLifecycle { auto_resume: false, on_timeout: "kill".into() }),
        })
        .expect("serializes");
        assert!(json.get(NETWORK).is_some() && json.get(LIFECYCLE).is_some());
    }
}
