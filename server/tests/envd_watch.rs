//! Watching directories through envd on a real e2b-local: `WatchDir` streams the changes made by
//! uploads, by calls and by commands — recursively or not, with entries or not — and the polled
//! watchers buffer them; bad paths, permissions and deadlines end the watch with their codes.

mod common;

use std::time::{Duration, Instant};

use common::{basic_auth, Envelopes, Sbx, Server};
use e2b_wire::envd::filesystem::{method, SERVICE};
use reqwest::Method;
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(10);

async fn sandbox(s: &Server) -> Sbx {
    let sb = s.sandbox(json!({"templateID": "base", "timeout": 120})).await;
    assert_eq!(sb.user("mkdir -p /home/user/w").await.code, 0);
    sb
}

async fn watch(sb: &Sbx, user: &str, body: Value, headers: &[(&str, &str)]) -> Envelopes {
    let auth = basic_auth(user);
    let mut all = vec![("authorization", auth.as_str())];
    all.extend_from_slice(headers);
    Envelopes::new(sb.stream(SERVICE, method::WATCH_DIR, body, &all).await)
}

/// A change as (name, type without its prefix).
fn change(msg: &Value) -> Option<(String, String)> {
    let fs = msg.get("filesystem")?;
    let kind = fs["type"].as_str()?.trim_start_matches("EVENT_TYPE_").to_string();
    Some((fs["name"].as_str()?.to_string(), kind))
}

/// Reads changes until `want` (name, type) has come; returns every message read.
async fn until(events: &mut Envelopes, want: (&str, &str)) -> Vec<Value> {
    until_that(events, want, |_| true).await
}

/// Reads changes until `want` (name, type) has come and `also` holds for it.
async fn until_that(events: &mut Envelopes, want: (&str, &str), also: impl Fn(&Value) -> bool) -> Vec<Value> {
    let mut seen = Vec::new();
    let deadline = Instant::now() + WAIT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let Some(e) = events.next(left).await else { panic!("no {want:?} among {seen:?} ({:?})", events.closed) };
        let msg: Value = serde_json::from_slice(&e.payload).unwrap();
        assert!(!e.is_end(), "the watch ended: {msg}");
        let hit = change(&msg).is_some_and(|(n, k)| n == want.0 && k == want.1) && also(&msg);
        seen.push(msg);
        if hit {
            return seen;
        }
    }
}

fn changes(msgs: &[Value]) -> Vec<(String, String)> {
    msgs.iter().filter_map(change).collect()
}

fn has(msgs: &[Value], name: &str, kind: &str) -> bool {
    changes(msgs).iter().any(|(n, k)| n == name && k == kind)
}

async fn upload(sb: &Sbx, path: &str, body: &'static str, headers: &[(&str, &str)]) {
    let mut req = sb
        .envd(Method::POST, "/files")
        .query(&[("path", path)])
        .header("content-type", "application/octet-stream")
        .body(body);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    assert_eq!(req.send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn a_watch_streams_what_uploads_calls_and_commands_change() {
    let s = Server::start_with(&["--warm-sandboxes", "0"]);
    let sb = sandbox(&s).await;
    let mut events = watch(&sb, "user", json!({"path": "w"}), &[]).await;
    assert_eq!(events.message(WAIT).await, (false, json!({"start": {}})));

    // An upload: the file created and written, under its own name only.
    upload(&sb, "w/a.txt", "hello", &[]).await;
    let seen = until(&mut events, ("a.txt", "WRITE")).await;
    assert_eq!(changes(&seen), [("a.txt".into(), "CREATE".into()), ("a.txt".into(), "WRITE".into())]);
    assert!(seen.iter().all(|m| m["filesystem"].get("entry").is_none()), "no entries unless asked: {seen:?}");

    // A command's writes, mode change, rename and removal.
    assert_eq!(sb.user("cd w && echo more >> a.txt && chmod 600 a.txt && mv a.txt b.txt && rm b.txt").await.code, 0);
    let seen = until(&mut events, ("b.txt", "REMOVE")).await;
    for (name, kind) in [("a.txt", "WRITE"), ("a.txt", "CHMOD"), ("a.txt", "RENAME"), ("b.txt", "CREATE")] {
        assert!(has(&seen, name, kind), "{name} {kind} in {:?}", changes(&seen));
    }

    // The filesystem calls; not recursive: a new directory, not what it holds.
    let (status, _) = sb.rpc(SERVICE, method::MAKE_DIR, json!({"path": "w/sub/deeper"})).await;
    assert_eq!(status, 200);
    until(&mut events, ("sub", "CREATE")).await;
    sb.rpc(SERVICE, method::MOVE, json!({"source": "w/sub", "destination": "w/moved"})).await;
    let seen = until(&mut events, ("moved", "CREATE")).await;
    assert!(has(&seen, "sub", "RENAME"));
    sb.rpc(SERVICE, method::REMOVE, json!({"path": "w/moved"})).await;
    let seen = until(&mut events, ("moved", "REMOVE")).await;
    assert!(changes(&seen).iter().all(|(n, _)| !n.contains('/')), "nothing from below: {seen:?}");
    s.kill(&sb).await;
}

#[tokio::test]
async fn a_recursive_watch_follows_new_directories_with_entries() {
    let s = Server::start_with(&["--warm-sandboxes", "0"]);
    let sb = sandbox(&s).await;
    assert_eq!(sb.user("mkdir -p w/old/older").await.code, 0);
    let mut events =
        watch(&sb, "user", json!({"path": "/home/user/w", "recursive": true, "includeEntry": true}), &[]).await;
    events.message(WAIT).await;

    // Directories there before, and made since — even what was made in them before their watch
    // (reported as created once the watch is there).
    assert_eq!(sb.user("touch w/old/older/f && mkdir -p w/x/y && echo hi > w/x/y/f").await.code, 0);
    let seen = until(&mut events, ("x/y/f", "CREATE")).await;
    for (name, kind) in [("old/older/f", "CREATE"), ("x", "CREATE"), ("x/y", "CREATE")] {
        assert!(has(&seen, name, kind), "{name} {kind} in {:?}", changes(&seen));
    }
    assert_eq!(sb.user("echo more >> w/x/y/f").await.code, 0);
    // The entry as it is when the change is reported: after this write, 8 bytes.
    let seen = until_that(&mut events, ("x/y/f", "WRITE"), |m| m["filesystem"]["entry"]["size"] == "8").await;
    let entry = &seen.last().unwrap()["filesystem"]["entry"];
    assert_eq!((entry["path"].as_str(), entry["type"].as_str()), (Some("/home/user/w/x/y/f"), Some("FILE_TYPE_FILE")));

    // An upload deep down, with its metadata on the entry.
    upload(&sb, "w/x/y/up.txt", "data", &[("X-Metadata-Origin", "test")]).await;
    let seen = until(&mut events, ("x/y/up.txt", "WRITE")).await;
    assert_eq!(seen.last().unwrap()["filesystem"]["entry"]["metadata"], json!({"origin": "test"}));

    // A directory moved within is followed under its new name; what is gone has no entry.
    assert_eq!(sb.user("mv w/x w/z && touch w/z/y/new && rm w/z/y/f").await.code, 0);
    let seen = until(&mut events, ("z/y/f", "REMOVE")).await;
    assert!(
        has(&seen, "x", "RENAME") && has(&seen, "z", "CREATE") && has(&seen, "z/y/new", "CREATE"),
        "{:?}",
        changes(&seen)
    );
    assert!(seen.last().unwrap()["filesystem"].get("entry").is_none(), "a removed entry cannot be stat-ed");
    s.kill(&sb).await;
}

#[tokio::test]
async fn bad_paths_permissions_and_deadlines_end_the_watch_with_their_codes() {
    let s = Server::start_with(&["--warm-sandboxes", "0"]);
    let sb = sandbox(&s).await;
    assert_eq!(sb.user("touch w/file").await.code, 0);
    for (user, path, code) in [
        ("user", "w/missing", "not_found"),
        ("user", "w/file", "invalid_argument"),
        ("user", "/root", "permission_denied"),
    ] {
        let mut events = watch(&sb, user, json!({"path": path}), &[]).await;
        let (is_end, msg) = events.message(WAIT).await;
        assert!(is_end, "{path}: the stream ends at once: {msg}");
        assert_eq!(msg["error"]["code"], code, "{path}: {msg}");
    }
    // As root, /root can be watched.
    let mut as_root = watch(&sb, "root", json!({"path": "/root"}), &[]).await;
    assert_eq!(as_root.message(WAIT).await, (false, json!({"start": {}})));
    drop(as_root);

    // Keepalives at the client's interval, then the deadline.
    let timing = [("Keepalive-Ping-Interval", "1"), ("Connect-Timeout-Ms", "2500")];
    let mut events = watch(&sb, "user", json!({"path": "w"}), &timing).await;
    events.message(WAIT).await;
    let rest = events.rest(WAIT).await;
    let keepalives = rest.iter().filter(|(_, m)| m.get("keepalive").is_some()).count();
    assert_eq!(keepalives, 2, "{rest:?}");
    let (is_end, last) = rest.last().unwrap();
    assert!(*is_end);
    assert_eq!(last["error"]["code"], "deadline_exceeded");
    s.kill(&sb).await;
}

/// Takes watcher `id`'s events into `got` until one of `kind` for p.txt is among them.
async fn poll_until(sb: &Sbx, id: &str, kind: &str, got: &mut Vec<Value>) {
    let deadline = Instant::now() + WAIT;
    while !got.iter().any(|e| e["name"] == "p.txt" && e["type"] == kind) {
        assert!(Instant::now() < deadline, "no {kind} among {got:?}");
        let (status, events) = sb.rpc(SERVICE, method::GET_WATCHER_EVENTS, json!({"watcherId": id})).await;
        assert_eq!(status, 200);
        got.extend(events["events"].as_array().unwrap().iter().cloned());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn polled_watchers_keep_events_until_taken() {
    let s = Server::start_with(&["--warm-sandboxes", "0"]);
    let sb = sandbox(&s).await;
    let (status, created) = sb.rpc(SERVICE, method::CREATE_WATCHER, json!({"path": "w", "includeEntry": true})).await;
    assert_eq!(status, 200);
    let id = created["watcherId"].as_str().unwrap().to_string();
    let mut got = Vec::new();
    upload(&sb, "w/p.txt", "x", &[]).await;
    poll_until(&sb, &id, "EVENT_TYPE_WRITE", &mut got).await;
    assert_eq!(got.last().unwrap()["entry"]["name"], "p.txt", "the entry, asked for");
    assert_eq!(sb.user("rm w/p.txt").await.code, 0);
    poll_until(&sb, &id, "EVENT_TYPE_REMOVE", &mut got).await;
    let kinds: Vec<&str> = got.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["EVENT_TYPE_CREATE", "EVENT_TYPE_WRITE", "EVENT_TYPE_REMOVE"]);
    let (_, again) = sb.rpc(SERVICE, method::GET_WATCHER_EVENTS, json!({"watcherId": id})).await;
    assert_eq!(again, json!({"events": []}), "taken events are gone");

    assert_eq!(sb.rpc(SERVICE, method::REMOVE_WATCHER, json!({"watcherId": id})).await, (200, json!({})));
    for m in [method::GET_WATCHER_EVENTS, method::REMOVE_WATCHER] {
        let (status, err) = sb.rpc(SERVICE, m, json!({"watcherId": id})).await;
        assert_eq!((status, err["code"].as_str()), (404, Some("not_found")), "{m}: {err}");
        assert_eq!(err["message"], format!("watcher with id {id} not found"));
    }
    let (status, err) = sb.rpc(SERVICE, method::CREATE_WATCHER, json!({"path": "w/missing"})).await;
    assert_eq!((status, err["code"].as_str()), (404, Some("not_found")));
    assert_eq!(sb.user("touch w/f").await.code, 0);
    let (status, err) = sb.rpc(SERVICE, method::CREATE_WATCHER, json!({"path": "w/f"})).await;
    assert_eq!((status, err["code"].as_str()), (400, Some("invalid_argument")));
    s.kill(&sb).await;
}
