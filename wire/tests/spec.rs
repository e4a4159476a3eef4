//! Checks every wire type against E2B's own specs in `wire/spec/`: the OpenAPI schemas of the
//! control plane, the volume content API and envd's REST routes, and envd's protobuf messages.
//!
//! For a type and its schema: every key the type sends is a property of the schema; every property
//! the schema requires is sent even when all optional fields are empty; and a reply holding only the
//! required properties parses. For protobuf messages (proto3: every field may be absent), every key
//! is a field of the message and `{}` parses.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use e2b_wire::envd::{filesystem as fs, process as proc};
use e2b_wire::sandboxes::*;
use e2b_wire::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

fn spec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("spec")
}

fn load_yaml(name: &str) -> Value {
    let text = std::fs::read_to_string(spec_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Follows a local `$ref` (`#/components/...`) until a non-reference value.
fn resolve<'a>(doc: &'a Value, mut v: &'a Value) -> &'a Value {
    while let Some(r) = v.get("$ref").and_then(Value::as_str) {
        let pointer = r.strip_prefix('#').unwrap_or_else(|| panic!("only local references: {r}"));
        v = doc.pointer(pointer).unwrap_or_else(|| panic!("dangling reference {r}"));
    }
    v
}

/// Properties and required names of a schema, with `allOf` parts merged.
fn shape(doc: &Value, schema: &Value) -> (BTreeSet<String>, BTreeSet<String>) {
    let schema = resolve(doc, schema);
    let mut props = BTreeSet::new();
    let mut required = BTreeSet::new();
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        for part in parts {
            let (p, r) = shape(doc, part);
            props.extend(p);
            required.extend(r);
        }
    }
    if let Some(p) = schema.get("properties").and_then(Value::as_object) {
        props.extend(p.keys().cloned());
    }
    if let Some(r) = schema.get("required").and_then(Value::as_array) {
        required.extend(r.iter().filter_map(Value::as_str).map(String::from));
    }
    assert!(!props.is_empty(), "schema without properties: {schema}");
    (props, required)
}

fn component(doc: &Value, name: &str) -> Value {
    doc.pointer(&format!("/components/schemas/{name}")).unwrap_or_else(|| panic!("no schema {name}")).clone()
}

fn operation<'a>(doc: &'a Value, path: &str, method: &str) -> &'a Value {
    doc["paths"].get(path).and_then(|p| p.get(method)).unwrap_or_else(|| panic!("no operation {method} {path}"))
}

fn request_body(doc: &Value, path: &str, method: &str) -> Value {
    let op = operation(doc, path, method);
    op.pointer("/requestBody/content/application~1json/schema")
        .unwrap_or_else(|| panic!("{method} {path} has no JSON body"))
        .clone()
}

fn query_params(doc: &Value, path: &str, method: &str) -> BTreeSet<String> {
    let mut params = Vec::new();
    if let Some(shared) = doc["paths"][path].get("parameters").and_then(Value::as_array) {
        params.extend(shared.iter());
    }
    if let Some(own) = operation(doc, path, method).get("parameters").and_then(Value::as_array) {
        params.extend(own.iter());
    }
    params
        .into_iter()
        .map(|p| resolve(doc, p))
        .filter(|p| p["in"] == "query")
        .map(|p| p["name"].as_str().expect("parameter name").to_string())
        .collect()
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().unwrap_or_else(|| panic!("not an object: {v}")).keys().cloned().collect()
}

/// The three checks of a JSON type against an OpenAPI schema.
fn check<T: Serialize + DeserializeOwned>(doc: &Value, schema: &Value, what: &str, full: T, minimal: T) {
    let (props, required) = shape(doc, schema);
    let full = serde_json::to_value(&full).unwrap();
    let extra: Vec<_> = keys(&full).difference(&props).cloned().collect();
    assert!(extra.is_empty(), "{what}: sends keys the spec does not have: {extra:?}");
    let minimal = serde_json::to_value(&minimal).unwrap();
    let missing: Vec<_> = required.difference(&keys(&minimal)).cloned().collect();
    assert!(missing.is_empty(), "{what}: does not always send the required {missing:?}");
    let only_required: serde_json::Map<_, _> = full
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| required.contains(*k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if let Err(e) = serde_json::from_value::<T>(Value::Object(only_required)) {
        panic!("{what}: a reply with only the required fields does not parse: {e}");
    }
}

fn check_query<T: Serialize>(doc: &Value, path: &str, method: &str, full: T) {
    let params = query_params(doc, path, method);
    let sent = keys(&serde_json::to_value(&full).unwrap());
    let extra: Vec<_> = sent.difference(&params).cloned().collect();
    assert!(extra.is_empty(), "{method} {path}: query keys the spec does not have: {extra:?}");
}

fn mount() -> SandboxVolumeMount {
    SandboxVolumeMount { name: "vol".into(), path: "/mnt/vol".into() }
}

fn stat() -> VolumeEntryStat {
    VolumeEntryStat {
        name: "a".into(),
        kind: VolumeFileType::File,
        path: "/a".into(),
        size: 1,
        mode: 0o644,
        uid: 1,
        gid: 1,
        atime: "2026-01-01T00:00:00Z".into(),
        mtime: "2026-01-01T00:00:00Z".into(),
        ctime: "2026-01-01T00:00:00Z".into(),
        target: None,
    }
}

fn detail(with_options: bool) -> SandboxDetail {
    let some = |s: &str| with_options.then(|| s.to_string());
    SandboxDetail {
        template_id: "base".into(),
        alias: some("base"),
        sandbox_id: "id".into(),
        client_id: "c".into(),
        started_at: "2026-01-01T00:00:00Z".into(),
        end_at: "2026-01-01T00:00:00Z".into(),
        envd_version: "0.6.4".into(),
        envd_access_token: some("t"),
        allow_internet_access: with_options.then_some(true),
        domain: some("d"),
        cpu_count: 2,
        memory_mb: 512,
        disk_size_mb: 0,
        metadata: BTreeMap::from([("k".into(), "v".into())]),
        state: "running".into(),
        volume_mounts: vec![mount()],
    }
}

fn listed() -> ListedSandbox {
    ListedSandbox {
        template_id: "base".into(),
        alias: Some("base".into()),
        sandbox_id: "id".into(),
        client_id: "c".into(),
        started_at: "2026-01-01T00:00:00Z".into(),
        end_at: "2026-01-01T00:00:00Z".into(),
        envd_version: "0.6.4".into(),
        cpu_count: 2,
        memory_mb: 512,
        disk_size_mb: 0,
        metadata: BTreeMap::new(),
        state: "running".into(),
        volume_mounts: vec![],
    }
}

fn sandbox(with_options: bool) -> Sandbox {
    let some = |s: &str| with_options.then(|| s.to_string());
    Sandbox {
        template_id: "base".into(),
        sandbox_id: "id".into(),
        alias: some("base"),
        client_id: "c".into(),
        envd_version: "0.6.4".into(),
        envd_access_token: some("t"),
        traffic_access_token: some("t"),
        domain: some("d"),
    }
}

#[test]
fn control_plane_types_match_openapi() {
    let doc = load_yaml("openapi.yml");
    let s = |name: &str| component(&doc, name);
    check(&doc, &s("NewVolume"), "NewVolume", NewVolume { name: "n".into() }, NewVolume { name: "n".into() });
    let volume = || Volume { volume_id: "id".into(), name: "n".into() };
    check(&doc, &s("Volume"), "Volume", volume(), volume());
    let vt = |domain: Option<&str>| VolumeAndToken {
        volume_id: "id".into(),
        name: "n".into(),
        token: "t".into(),
        domain: domain.map(String::from),
    };
    check(&doc, &s("VolumeAndToken"), "VolumeAndToken", vt(Some("d")), vt(None));
    let err = || ApiError { code: 404, message: "m".into() };
    check(&doc, &s("Error"), "ApiError", err(), err());

    let new_full = NewSandbox {
        template_id: "base".into(),
        timeout: Some(1),
        secure: Some(true),
        allow_internet_access: Some(true),
        metadata: Some(BTreeMap::new()),
        env_vars: Some(BTreeMap::new()),
        volume_mounts: Some(vec![mount()]),
    };
    let new_min = NewSandbox { template_id: "base".into(), ..Default::default() };
    check(&doc, &s("NewSandbox"), "NewSandbox", new_full, new_min);
    check(&doc, &s("Sandbox"), "Sandbox", sandbox(true), sandbox(false));
    check(&doc, &s("SandboxDetail"), "SandboxDetail", detail(true), detail(false));
    check(&doc, &s("ListedSandbox"), "ListedSandbox", listed(), listed());
    check(&doc, &s("SandboxVolumeMount"), "SandboxVolumeMount", mount(), mount());
    let t = || SandboxTimeout { timeout: 30 };
    check(&doc, &request_body(&doc, "/sandboxes/{sandboxID}/timeout", "post"), "SandboxTimeout (timeout)", t(), t());
    check(&doc, &request_body(&doc, "/sandboxes/{sandboxID}/connect", "post"), "SandboxTimeout (connect)", t(), t());
}

fn network() -> SandboxNetworkConfig {
    SandboxNetworkConfig {
        allow_out: Some(vec!["10.0.0.0/8".into()]),
        deny_out: Some(vec!["0.0.0.0/0".into()]),
        allow_public_traffic: Some(true),
        mask_request_host: Some("h".into()),
        egress_proxy: Some(SandboxEgressProxyConfig {
            address: "p:1080".into(),
            username: Some("u".into()),
            password: Some("p".into()),
        }),
        rules: Some(BTreeMap::from([(
            "example.com".into(),
            vec![SandboxNetworkRule {
                transform: Some(SandboxNetworkTransform { headers: Some(BTreeMap::from([("a".into(), "b".into())])) }),
            }],
        )])),
        // SDK 2.51's types only: the spec copy has no `httpsPorts`.
        https_ports: None,
    }
}

fn metric() -> SandboxMetric {
    SandboxMetric {
        timestamp: "2026-01-01T00:00:00Z".into(),
        timestamp_unix: 1,
        cpu_count: 2,
        cpu_used_pct: 1.5,
        mem_used: 1,
        mem_total: 2,
        mem_cache: 0,
        disk_used: 1,
        disk_total: 2,
    }
}

#[test]
fn lifecycle_types_match_openapi() {
    let doc = load_yaml("openapi.yml");
    let s = |name: &str| component(&doc, name);
    // The spec copy names the v2 body `NewSandbox` (it has every field 2.51's `NewSandboxV2` has, and `secure`).
    let v2 = NewSandboxV2 {
        template_id: "base".into(),
        timeout: Some(1),
        auto_pause: Some(true),
        auto_pause_memory: Some(false),
        auto_resume: Some(SandboxAutoResumeConfig { enabled: true }),
        allow_internet_access: Some(false),
        network: Some(network()),
        metadata: Some(BTreeMap::new()),
        env_vars: Some(BTreeMap::new()),
        volume_mounts: Some(vec![mount()]),
    };
    check(
        &doc,
        &s("NewSandbox"),
        "NewSandboxV2",
        v2,
        NewSandboxV2 { template_id: "base".into(), ..Default::default() },
    );
    check(&doc, &s("SandboxNetworkConfig"), "SandboxNetworkConfig", network(), SandboxNetworkConfig::default());
    let update = SandboxNetworkUpdateConfig {
        allow_out: Some(vec![]),
        deny_out: Some(vec![]),
        egress_proxy: network().egress_proxy,
        rules: network().rules,
        allow_internet_access: Some(true),
    };
    check(&doc, &s("SandboxNetworkUpdateConfig"), "SandboxNetworkUpdateConfig", update, Default::default());
    let lifecycle = || SandboxLifecycle { auto_resume: true, on_timeout: on_timeout::PAUSE.into() };
    check(&doc, &s("SandboxLifecycle"), "SandboxLifecycle", lifecycle(), lifecycle());
    let full = FullSandboxDetail { detail: detail(true), network: Some(network()), lifecycle: Some(lifecycle()) };
    let bare = FullSandboxDetail { detail: detail(false), network: None, lifecycle: None };
    check(&doc, &s("SandboxDetail"), "FullSandboxDetail", full, bare);
    // The spec copy's connect, resume bodies lack 2.51's `memory`.
    let connect = || ConnectSandbox { timeout: 1, memory: None };
    check(&doc, &s("ConnectSandbox"), "ConnectSandbox", connect(), connect());
    let connect_v2 = ConnectSandboxV2 { timeout: Some(1), memory: None };
    check(
        &doc,
        &s("ConnectSandbox"),
        "ConnectSandboxV2",
        connect_v2,
        ConnectSandboxV2 { timeout: Some(1), memory: None },
    );
    let resumed = ResumedSandbox { timeout: Some(1), auto_pause: Some(false), memory: None };
    check(&doc, &s("ResumedSandbox"), "ResumedSandbox", resumed, ResumedSandbox::default());
    let pause = SandboxPauseRequest { memory: Some(false) };
    check(
        &doc,
        &request_body(&doc, "/sandboxes/{sandboxID}/pause", "post"),
        "SandboxPauseRequest",
        pause,
        Default::default(),
    );
    let refresh = SandboxRefreshRequest { duration: Some(5) };
    check(&doc, &s("SandboxRefreshRequest"), "SandboxRefreshRequest", refresh, Default::default());
    let fork = SandboxForkRequest { timeout: Some(1), count: Some(2) };
    check(
        &doc,
        &request_body(&doc, "/sandboxes/{sandboxID}/fork", "post"),
        "SandboxForkRequest",
        fork,
        Default::default(),
    );
    let forked =
        SandboxForkResult { sandbox: Some(sandbox(true)), error: Some(ApiError { code: 429, message: "m".into() }) };
    check(&doc, &s("SandboxForkResult"), "SandboxForkResult", forked, SandboxForkResult::default());
    let named = SandboxSnapshotRequest { name: Some("n".into()) };
    check(
        &doc,
        &request_body(&doc, "/sandboxes/{sandboxID}/snapshots", "post"),
        "SandboxSnapshotRequest",
        named,
        Default::default(),
    );
    let info = || SnapshotInfo { snapshot_id: "n:default".into(), names: vec!["n:default".into()] };
    check(&doc, &s("SnapshotInfo"), "SnapshotInfo", info(), info());
    let list = SnapshotListQuery {
        sandbox_id: Some("i".into()),
        name: Some("n".into()),
        limit: Some(1),
        next_token: Some("t".into()),
    };
    check_query(&doc, "/snapshots", "get", list);
    check(&doc, &s("SandboxMetric"), "SandboxMetric", metric(), metric());
    let window = SandboxMetricsQuery { start: Some(1), end: Some(2) };
    check_query(&doc, "/sandboxes/{sandboxID}/metrics", "get", window);
    check_query(&doc, "/sandboxes/metrics", "get", SandboxesMetricsQuery { sandbox_ids: "a,b".into() });
    let many = || SandboxesWithMetrics { sandboxes: BTreeMap::from([("a".into(), metric())]) };
    check(&doc, &s("SandboxesWithMetrics"), "SandboxesWithMetrics", many(), many());
    for state in [state::RUNNING, state::PAUSED] {
        assert!(s("SandboxState")["enum"].as_array().unwrap().iter().any(|v| v == state), "{state}");
    }
    for action in [on_timeout::KILL, on_timeout::PAUSE] {
        assert!(s("SandboxOnTimeout")["enum"].as_array().unwrap().iter().any(|v| v == action), "{action}");
    }
}

#[test]
fn listings_carry_no_secrets() {
    let doc = load_yaml("openapi.yml");
    let (props, _) = shape(&doc, &component(&doc, "ListedSandbox"));
    assert!(!props.contains("envdAccessToken"));
    assert!(!keys(&serde_json::to_value(listed()).unwrap()).contains("envdAccessToken"));
}

#[test]
fn volume_content_types_match_openapi() {
    let doc = load_yaml("openapi-volumecontent.yml");
    let mut symlink = stat();
    symlink.target = Some("/b".into());
    check(&doc, &component(&doc, "VolumeEntryStat"), "VolumeEntryStat", symlink, stat());
    let err = || ContentError { code: "PATH_NOT_FOUND".into(), message: "m".into() };
    check(&doc, &component(&doc, "Error"), "ContentError", err(), err());
    let update = MetadataUpdate { uid: Some(1), gid: Some(1), mode: Some(0o600) };
    check(
        &doc,
        &request_body(&doc, "/volumecontent/{volumeID}/path", "patch"),
        "MetadataUpdate",
        update,
        MetadataUpdate::default(),
    );

    let path = PathQuery { path: Some("/a".into()) };
    for (route, method) in [("path", "get"), ("path", "patch"), ("path", "delete"), ("file", "get")] {
        check_query(&doc, &format!("/volumecontent/{{volumeID}}/{route}"), method, path.clone());
    }
    let list = ListQuery { path: Some("/".into()), depth: Some(2) };
    check_query(&doc, "/volumecontent/{volumeID}/dir", "get", list);
    let write =
        WriteQuery { path: Some("/a".into()), uid: Some(1), gid: Some(1), mode: Some(0o644), force: Some(true) };
    check_query(&doc, "/volumecontent/{volumeID}/dir", "post", write.clone());
    check_query(&doc, "/volumecontent/{volumeID}/file", "put", write);
}

#[test]
fn envd_rest_types_match_openapi() {
    let doc = load_yaml("envd/envd.yaml");
    let info = |metadata: Option<BTreeMap<String, String>>| e2b_wire::envd::WriteInfo {
        name: "a".into(),
        kind: "file".into(),
        path: "/a".into(),
        metadata,
    };
    check(&doc, &component(&doc, "EntryInfo"), "WriteInfo", info(Some(BTreeMap::new())), info(None));
    let err = || e2b_wire::envd::EnvdError { message: "m".into(), code: 404 };
    check(&doc, &component(&doc, "Error"), "EnvdError", err(), err());
    let q = e2b_wire::envd::FilesQuery {
        path: Some("/a".into()),
        username: Some("user".into()),
        signature: Some("v1_x".into()),
        signature_expiration: Some(1),
    };
    let init = e2b_wire::envd::EnvdInit {
        env_vars: Some(BTreeMap::from([("A".into(), "1".into())])),
        default_user: Some("user".into()),
        default_workdir: Some("/home/user".into()),
        timestamp: Some("2026-01-01T00:00:00Z".into()),
    };
    let body = request_body(&doc, e2b_wire::envd::INIT_PATH, "post");
    check(&doc, &body, "EnvdInit", init, e2b_wire::envd::EnvdInit::default());
    check_query(&doc, e2b_wire::envd::FILES_PATH, "get", q.clone());
    check_query(&doc, e2b_wire::envd::FILES_PATH, "post", q);
}

#[test]
fn metadata_names_match_the_specs() {
    // The spec's prose wraps lines anywhere: compare with runs of white space as one space.
    let rest = std::fs::read_to_string(spec_dir().join("envd/envd.yaml")).unwrap();
    let rest = rest.split_whitespace().collect::<Vec<_>>().join(" ");
    let header = format!("`{}<key>: <value>`", e2b_wire::envd::METADATA_HEADER_PREFIX);
    assert!(rest.contains(&header), "envd.yaml names the header {header}");
    let max_key = format!("capped at {} bytes", e2b_wire::envd::MAX_METADATA_KEY_BYTES);
    assert!(rest.contains(&max_key), "envd.yaml: {max_key}");
    let max_all = format!("capped at {} bytes", e2b_wire::envd::MAX_METADATA_BYTES);
    assert!(rest.contains(&max_all), "envd.yaml: {max_all}");
    let proto = std::fs::read_to_string(spec_dir().join("envd/filesystem/filesystem.proto")).unwrap();
    let namespace = format!("`{}` xattr namespace", e2b_wire::envd::METADATA_XATTR_PREFIX);
    assert!(proto.contains(&namespace), "filesystem.proto: {namespace}");
    let pty = std::fs::read_to_string(spec_dir().join("envd/process/process.proto")).unwrap();
    assert!(pty.contains("rpc StreamInput(stream StreamInputRequest)"), "StreamInput is a client stream");
}

/// Fields (JSON names) of every message in a `.proto` file, by simple and dotted nested name.
fn proto_messages(file: &str) -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(spec_dir().join(file)).unwrap();
    let mut messages: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    // Open blocks: Some(qualified message name) for messages, None for oneofs, enums and services.
    let mut stack: Vec<Option<String>> = Vec::new();
    for raw in text.lines() {
        let line = raw.split("//").next().unwrap().trim();
        if line.is_empty() {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        if line.ends_with('{') {
            let block = match words[0] {
                "message" => {
                    let outer = stack.iter().rev().flatten().next();
                    Some(outer.map_or(words[1].to_string(), |o| format!("{o}.{}", words[1])))
                }
                _ => None,
            };
            if let Some(name) = &block {
                messages.entry(name.clone()).or_default();
            }
            stack.push(block);
            continue;
        }
        if line.starts_with('}') {
            stack.pop();
            continue;
        }
        // Fields of a oneof belong to the message around it.
        let Some(message) = stack.iter().rev().flatten().next().cloned() else { continue };
        let Some(eq) = words.iter().position(|w| *w == "=") else { continue };
        if eq == 0 || words[0] == "option" {
            continue;
        }
        let is_enum_value = eq == 1;
        if is_enum_value {
            continue;
        }
        messages.get_mut(&message).unwrap().insert(camel_case(words[eq - 1]));
    }
    messages
}

fn camel_case(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn check_message<T: Serialize + DeserializeOwned>(messages: &BTreeMap<String, BTreeSet<String>>, name: &str, full: T) {
    let fields = messages.get(name).unwrap_or_else(|| panic!("no message {name}"));
    let sent = keys(&serde_json::to_value(&full).unwrap());
    let extra: Vec<_> = sent.difference(fields).cloned().collect();
    assert!(extra.is_empty(), "{name}: keys the message does not have: {extra:?} (fields: {fields:?})");
    if let Err(e) = serde_json::from_value::<T>(json!({})) {
        panic!("{name}: an empty message (every field at its default) does not parse: {e}");
    }
}

fn entry() -> fs::EntryInfo {
    fs::EntryInfo {
        name: "a".into(),
        kind: fs::FileType::Symlink,
        path: "/a".into(),
        size: "1".into(),
        mode: 0o644,
        permissions: "-rw-r--r--".into(),
        owner: "user".into(),
        group: "user".into(),
        modified_time: Some("2026-01-01T00:00:00Z".into()),
        symlink_target: Some("/b".into()),
        metadata: BTreeMap::from([("k".into(), "v".into())]),
    }
}

#[test]
fn filesystem_messages_match_the_proto() {
    let m = proto_messages("envd/filesystem/filesystem.proto");
    check_message(&m, "EntryInfo", entry());
    check_message(&m, "StatRequest", fs::PathRequest { path: "/a".into() });
    check_message(&m, "MakeDirRequest", fs::PathRequest { path: "/a".into() });
    check_message(&m, "RemoveRequest", fs::PathRequest { path: "/a".into() });
    check_message(&m, "ListDirRequest", fs::ListDirRequest { path: "/a".into(), depth: 2 });
    check_message(&m, "MoveRequest", fs::MoveRequest { source: "/a".into(), destination: "/b".into() });
    check_message(&m, "StatResponse", fs::EntryResponse { entry: Some(entry()) });
    check_message(&m, "ListDirResponse", fs::ListDirResponse { entries: vec![entry()] });
    let watch =
        fs::WatchDirRequest { path: "/a".into(), recursive: true, include_entry: true, allow_network_mounts: true };
    check_message(&m, "WatchDirRequest", watch.clone());
    check_message(&m, "CreateWatcherRequest", watch);
    let event = fs::FilesystemEvent { name: "a".into(), kind: fs::EventType::Create, entry: Some(entry()) };
    check_message(&m, "FilesystemEvent", event.clone());
    let empty = Some(e2b_wire::envd::Empty {});
    check_message(
        &m,
        "WatchDirResponse",
        fs::WatchDirResponse { start: empty, filesystem: Some(event.clone()), keepalive: empty },
    );
    check_message(&m, "CreateWatcherResponse", fs::CreateWatcherResponse { watcher_id: "w".into() });
    check_message(&m, "GetWatcherEventsRequest", fs::WatcherRequest { watcher_id: "w".into() });
    check_message(&m, "RemoveWatcherRequest", fs::WatcherRequest { watcher_id: "w".into() });
    check_message(&m, "GetWatcherEventsResponse", fs::GetWatcherEventsResponse { events: vec![event] });
}

#[test]
fn process_messages_match_the_proto() {
    let m = proto_messages("envd/process/process.proto");
    let config = proc::ProcessConfig {
        cmd: "/bin/bash".into(),
        args: vec!["-c".into()],
        envs: BTreeMap::from([("A".into(), "1".into())]),
        cwd: Some("/".into()),
    };
    check_message(&m, "ProcessConfig", config.clone());
    let pty = proc::Pty { size: proc::PtySize { cols: 80, rows: 24 } };
    check_message(&m, "PTY", pty);
    check_message(&m, "PTY.Size", pty.size);
    let start =
        proc::StartRequest { process: config.clone(), pty: Some(pty), tag: Some("t".into()), stdin: Some(true) };
    check_message(&m, "StartRequest", start);
    let data = proc::DataEvent { stdout: Some("YQ==".into()), stderr: Some("YQ==".into()), pty: Some("YQ==".into()) };
    check_message(&m, "ProcessEvent.DataEvent", data.clone());
    let end = proc::EndEvent { exit_code: 1, exited: true, status: "exit status 1".into(), error: Some("e".into()) };
    check_message(&m, "ProcessEvent.EndEvent", end.clone());
    check_message(&m, "ProcessEvent.StartEvent", proc::StartEvent { pid: 1 });
    let event = proc::ProcessEvent {
        start: Some(proc::StartEvent { pid: 1 }),
        data: Some(data),
        end: Some(end),
        keepalive: Some(e2b_wire::envd::Empty {}),
    };
    check_message(&m, "ProcessEvent", event.clone());
    check_message(&m, "StartResponse", proc::ProcessEventMessage { event: event.clone() });
    check_message(&m, "ConnectResponse", proc::ProcessEventMessage { event });
    let selector = proc::ProcessSelector { pid: Some(1), tag: Some("t".into()) };
    check_message(&m, "ProcessSelector", selector.clone());
    let select = proc::SelectRequest { process: selector.clone() };
    check_message(&m, "CloseStdinRequest", select.clone());
    check_message(&m, "ConnectRequest", select);
    check_message(
        &m,
        "SendSignalRequest",
        proc::SendSignalRequest { process: selector.clone(), signal: proc::Signal::Kill },
    );
    let input = proc::ProcessInput { stdin: Some("YQ==".into()), pty: Some("YQ==".into()) };
    check_message(&m, "ProcessInput", input.clone());
    check_message(&m, "SendInputRequest", proc::SendInputRequest { process: selector.clone(), input });
    check_message(&m, "UpdateRequest", proc::UpdateRequest { process: selector.clone(), pty: Some(pty) });
    let stream_start = proc::StreamInputStart { process: selector };
    check_message(&m, "StreamInputRequest.StartEvent", stream_start.clone());
    let stream_data = proc::StreamInputData { input: proc::ProcessInput { stdin: Some("YQ==".into()), pty: None } };
    check_message(&m, "StreamInputRequest.DataEvent", stream_data.clone());
    check_message(
        &m,
        "StreamInputRequest",
        proc::StreamInputRequest {
            start: Some(stream_start),
            data: Some(stream_data),
            keepalive: Some(e2b_wire::envd::Empty {}),
        },
    );
    let info = proc::ProcessInfo { config, pid: 1, tag: Some("t".into()) };
    check_message(&m, "ProcessInfo", info.clone());
    check_message(&m, "ListResponse", proc::ListResponse { processes: vec![info] });
}

#[test]
fn signals_parse_by_name_and_by_number() {
    for (text, want) in [
        (r#""SIGNAL_SIGKILL""#, proc::Signal::Kill),
        ("9", proc::Signal::Kill),
        (r#""SIGNAL_SIGTERM""#, proc::Signal::Term),
        ("15", proc::Signal::Term),
        (r#""SIGNAL_SIGHUP""#, proc::Signal::Unspecified),
    ] {
        assert_eq!(serde_json::from_str::<proc::Signal>(text).unwrap(), want, "{text}");
    }
    assert_eq!(serde_json::to_string(&proc::Signal::Kill).unwrap(), r#""SIGNAL_SIGKILL""#);
}

#[test]
fn the_checks_catch_mismatches() {
    let doc = load_yaml("openapi.yml");
    // A detail carries the envd token, which a listing must not.
    let leaks = std::panic::catch_unwind(|| {
        check(&doc, &component(&doc, "ListedSandbox"), "detail as listing", detail(true), detail(false))
    });
    assert!(leaks.is_err());
    // A Sandbox lacks the times a detail requires.
    let short = std::panic::catch_unwind(|| {
        check(&doc, &component(&doc, "SandboxDetail"), "sandbox as detail", sandbox(true), sandbox(false))
    });
    assert!(short.is_err());
    let messages = proto_messages("envd/process/process.proto");
    let wrong = std::panic::catch_unwind(|| check_message(&messages, "ListRequest", proc::SelectRequest::default()));
    assert!(wrong.is_err());
}
