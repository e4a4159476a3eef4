//! Sandboxes on a real e2b-local: real namespaces and bind mounts, and nothing left behind.

mod common;

use std::time::Duration;

use common::{descendants, expect, first_process, left_over, processes_of, Server};
use e2b_wire::envd::{process, rpc_path};
use e2b_wire::{connect, headers};
use reqwest::Method;
use serde_json::{json, Value};

/// The host uid of sandbox `id`'s root (every sandbox maps its ids to a host range of its own).
async fn host_root(s: &Server, id: &str, token: Option<&str>) -> u32 {
    let map = run(s, id, token, "cat /proc/self/uid_map").await.1;
    map.split_whitespace().nth(1).expect("a uid map").parse().unwrap()
}

/// The host PIDs of a sandbox's processes, and of what the server runs for any sandbox.
fn sandbox_processes(s: &Server, root: u32) -> Vec<u32> {
    let mut all = processes_of(root);
    all.extend(descendants(s.pid()));
    all
}

/// True while `pid` exists and is not a zombie.
fn is_alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the parenthesised command name.
        Ok(stat) => stat.rsplit_once(") ").is_some_and(|(_, rest)| !rest.starts_with('Z') && !rest.starts_with('X')),
        Err(_) => false,
    }
}

/// A server that starts no sandbox ahead, so that what it runs is for its sandboxes alone.
fn server() -> Server {
    Server::start_with(&["--warm-sandboxes", "0"])
}

/// Containers the server's OCI runtime knows.
fn containers(s: &Server) -> usize {
    std::fs::read_dir(s.data.path().join("runtime")).map(|d| d.count()).unwrap_or(0)
}

fn mounts_of(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/mountinfo")).unwrap_or_default()
}

async fn create(s: &Server, body: Value) -> reqwest::Response {
    s.api(Method::POST, "/sandboxes").json(&body).send().await.unwrap()
}

async fn run(s: &Server, id: &str, token: Option<&str>, cmd: &str) -> (i64, String) {
    let payload = serde_json::to_vec(&json!({"process": {"cmd": "/bin/bash", "args": ["-c", cmd]}})).unwrap();
    let mut req = s
        .http
        .post(format!("{}{}", s.url, rpc_path(process::SERVICE, process::method::START)))
        .header(headers::SANDBOX_ID, id)
        .header("content-type", connect::STREAM_CONTENT_TYPE)
        .body(connect::envelope(0, &payload));
    if let Some(t) = token {
        req = req.header(headers::ACCESS_TOKEN, t);
    }
    let bytes = req.send().await.unwrap().bytes().await.unwrap();
    let mut reader = connect::EnvelopeReader::default();
    reader.push(&bytes);
    let (mut out, mut code) = (String::new(), -999);
    while let Some(envelope) = reader.next_envelope() {
        let msg: Value = serde_json::from_slice(&envelope.payload).unwrap();
        if let Some(d) = msg["event"]["data"]["stdout"].as_str() {
            use base64::Engine as _;
            out.push_str(&String::from_utf8(base64::engine::general_purpose::STANDARD.decode(d).unwrap()).unwrap());
        }
        if let Some(end) = msg["event"].get("end") {
            code = end["exitCode"].as_i64().unwrap_or(0);
        }
    }
    (code, out)
}

#[tokio::test]
async fn a_sandbox_is_namespaced_with_its_volume_bind_mounted_and_leaves_nothing() {
    let s = server();
    let v = s.volume("mounted").await;
    let created = expect(create(&s, json!({"templateID": "base", "timeout": 60, "secure": true, "volumeMounts": [{"name": "mounted", "path": "/mnt/data"}]})).await, 201).await;
    let id = created["sandboxID"].as_str().unwrap().to_string();
    let token = created["envdAccessToken"].as_str().unwrap().to_string();
    assert_eq!(created["envdVersion"], "0.6.4");

    let root = host_root(&s, &id, Some(&token)).await;
    assert!(!processes_of(root).is_empty(), "the sandbox runs processes");
    let inner = first_process(root);
    let mountinfo = mounts_of(inner);
    assert!(mountinfo.contains(" /mnt/data "), "a real bind mount at the mount path:\n{mountinfo}");
    for ns in ["mnt", "pid", "uts", "ipc", "net", "user", "cgroup"] {
        let mine = std::fs::read_link(format!("/proc/self/ns/{ns}")).unwrap();
        let theirs = std::fs::read_link(format!("/proc/{inner}/ns/{ns}")).unwrap();
        assert_ne!(mine, theirs, "its own {ns} namespace");
    }

    // The same bytes at once, both ways.
    let (code, out) =
        run(&s, &id, Some(&token), "echo in-sandbox > /mnt/data/a; cat /mnt/data/b 2>/dev/null; hostname").await;
    assert_eq!(code, 0);
    assert_eq!(out, "e2b\n");
    assert_eq!(std::fs::read_to_string(v.dir.join("a")).unwrap(), "in-sandbox\n");
    std::fs::write(v.dir.join("b"), "from-host").unwrap();
    assert_eq!(run(&s, &id, Some(&token), "cat /mnt/data/b").await.1, "from-host");
    // The host's system is read-only, /tmp and the home are writable, the server's data is invisible.
    assert_ne!(run(&s, &id, Some(&token), "touch /usr/x").await.0, 0);
    assert_eq!(run(&s, &id, Some(&token), "touch /tmp/x ~/y").await.0, 0);
    let data = s.data.path().to_string_lossy().to_string();
    assert_ne!(run(&s, &id, Some(&token), &format!("ls {data}")).await.0, 0);

    // envd checks the access token.
    let denied = s.http.get(format!("{}/health", s.url)).header(headers::SANDBOX_ID, &id).send().await.unwrap();
    assert_eq!(denied.status(), 401);
    let ok =
        s.http.get(format!("{}/health", s.url)).header(headers::SANDBOX_ID, &id).header(headers::ACCESS_TOKEN, &token);
    assert_eq!(ok.send().await.unwrap().status(), 204);

    let res = s.api(Method::DELETE, &format!("/sandboxes/{id}")).send().await.unwrap();
    assert_eq!(res.status(), 204);
    let left = left_over(s.pid(), root);
    assert!(left.is_empty(), "{}: {left:?}", "no process left after kill");
    assert!(!is_alive(inner) && mounts_of(inner).is_empty(), "the sandbox's mount namespace is gone");
    let gone = s.http.get(format!("{}/health", s.url)).header(headers::SANDBOX_ID, &id).send().await.unwrap();
    assert_eq!(gone.status(), 502, "a sandbox that is not running");
    assert_eq!(std::fs::read_to_string(v.dir.join("a")).unwrap(), "in-sandbox\n", "the volume's data stays");
    assert_eq!(containers(&s), 0, "the runtime's record of the sandbox is removed");
}

#[tokio::test]
async fn a_sandbox_ends_at_its_timeout_and_at_shutdown() {
    let mut s = server();
    s.volume("t").await;
    let created = expect(
        create(&s, json!({"templateID": "base", "timeout": 1, "volumeMounts": [{"name": "t", "path": "/t"}]})).await,
        201,
    )
    .await;
    let id = created["sandboxID"].as_str().unwrap().to_string();
    let token = created["envdAccessToken"].as_str().map(String::from);
    let root = host_root(&s, &id, token.as_deref()).await;
    assert!(!sandbox_processes(&s, root).is_empty());
    let detail = expect(s.api(Method::GET, &format!("/sandboxes/{id}")).send().await.unwrap(), 200).await;
    assert_eq!(detail["volumeMounts"], json!([{"name": "t", "path": "/t"}]));
    tokio::time::sleep(Duration::from_millis(1800)).await;
    let left = left_over(s.pid(), root);
    assert!(left.is_empty(), "{}: {left:?}", "gone at its timeout");
    let body = expect(s.api(Method::GET, &format!("/sandboxes/{id}")).send().await.unwrap(), 404).await;
    assert_eq!(body["code"], 404, "the SDKs read 404 from the body");

    // Timeout changes; a graceful stop kills what is left.
    let created = expect(create(&s, json!({"templateID": "base", "timeout": 1})).await, 201).await;
    let id = created["sandboxID"].as_str().unwrap();
    let res =
        s.api(Method::POST, &format!("/sandboxes/{id}/timeout")).json(&json!({"timeout": 60})).send().await.unwrap();
    assert_eq!(res.status(), 204);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    expect(s.api(Method::GET, &format!("/sandboxes/{id}")).send().await.unwrap(), 200).await;
    let connected = expect(
        s.api(Method::POST, &format!("/sandboxes/{id}/connect")).json(&json!({"timeout": 5})).send().await.unwrap(),
        200,
    )
    .await;
    assert_eq!(connected["sandboxID"], id);
    let token = connected["envdAccessToken"].as_str().map(String::from);
    let root = host_root(&s, id, token.as_deref()).await;
    let before = sandbox_processes(&s, root);
    assert!(!before.is_empty());
    s.restart();
    for p in before {
        assert!(!is_alive(p), "process {p} survived the server");
    }
}

#[tokio::test]
async fn bad_sandbox_input_is_refused_whole() {
    let s = server();
    s.volume("exists").await;
    let body = expect(
        create(
            &s,
            json!({"templateID": "base", "volumeMounts": [
                {"name": "missing", "path": "/a"},
                {"name": "exists", "path": ""},
                {"name": "exists", "path": "rel"},
                {"name": "exists", "path": "/b/"},
                {"name": "exists", "path": "/c"},
                {"name": "exists", "path": "/c"},
                {"name": "exists", "path": "/proc"},
                {"name": "exists", "path": "/usr/local/data"}
            ]}),
        )
        .await,
        400,
    )
    .await;
    assert_eq!(
        body["message"],
        "invalid mounts:\n\t- volume mount #0: volume 'missing' not found\n\t- volume mount #1: path cannot be empty\n\t- volume mount #2: path must be absolute\n\t- volume mount #3: path must not contain any '.' or '..' components\n\t- volume mount #5: path '/c' is already used\n\t- volume mount #6: path '/proc' is reserved by the sandbox and cannot be a mount point\n\t- volume mount #7: path '/usr/local/data' is inside the sandbox's read-only system directories"
    );
    let tpl = expect(create(&s, json!({"templateID": "python"})).await, 404).await;
    assert_eq!(tpl["code"], 404);
    expect(create(&s, json!({"templateID": "base", "timeout": -1})).await, 400).await;
    expect(create(&s, json!({"timeout": 5})).await, 400).await;
    expect(s.api(Method::DELETE, "/sandboxes/nope").send().await.unwrap(), 404).await;
    expect(s.api(Method::POST, "/sandboxes/nope/timeout").json(&json!({"timeout": 5})).send().await.unwrap(), 404)
        .await;
    expect(s.api(Method::POST, "/sandboxes/nope/connect").json(&json!({"timeout": 5})).send().await.unwrap(), 404)
        .await;
    assert!(descendants(s.pid()).is_empty(), "nothing was started");
    assert_eq!(containers(&s), 0);
}

#[tokio::test]
async fn listing_filters_and_pages() {
    let s = Server::start();
    let mut ids = Vec::new();
    for (i, team) in ["red", "red", "blue"].iter().enumerate() {
        let c = expect(
            create(&s, json!({"templateID": "base", "timeout": 60, "metadata": {"team": team, "n": i.to_string()}}))
                .await,
            201,
        )
        .await;
        ids.push(c["sandboxID"].as_str().unwrap().to_string());
    }
    let res = s.api(Method::GET, "/v2/sandboxes?metadata=team%3Dred").send().await.unwrap();
    assert!(res.headers().get("x-next-token").is_none());
    let red: Vec<Value> = res.json().await.unwrap();
    assert_eq!(red.len(), 2);
    assert!(red.iter().all(|r| r["metadata"]["team"] == "red" && r["state"] == "running"));
    let res = s.api(Method::GET, "/v2/sandboxes?limit=2").send().await.unwrap();
    let token = res.headers()["x-next-token"].to_str().unwrap().to_string();
    let first: Vec<Value> = res.json().await.unwrap();
    assert_eq!(first.len(), 2);
    let rest: Vec<Value> = s
        .api(Method::GET, &format!("/v2/sandboxes?limit=2&nextToken={token}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(rest.len(), 1);
    let mut seen: Vec<String> =
        first.iter().chain(&rest).map(|r| r["sandboxID"].as_str().unwrap().to_string()).collect();
    seen.sort();
    ids.sort();
    assert_eq!(seen, ids);
    let paused: Vec<Value> =
        s.api(Method::GET, "/v2/sandboxes?state=paused").send().await.unwrap().json().await.unwrap();
    assert!(paused.is_empty());
    expect(s.api(Method::GET, "/v2/sandboxes?limit=0").send().await.unwrap(), 400).await;
    expect(s.api(Method::GET, "/v2/sandboxes?state=sleeping").send().await.unwrap(), 400).await;
    for id in ids {
        assert_eq!(s.api(Method::DELETE, &format!("/sandboxes/{id}")).send().await.unwrap().status(), 204);
    }
}

#[tokio::test]
async fn listings_carry_no_secrets() {
    let s = Server::start();
    let created = expect(create(&s, json!({"templateID": "base", "timeout": 60, "secure": true})).await, 201).await;
    let id = created["sandboxID"].as_str().unwrap().to_string();
    let token = created["envdAccessToken"].as_str().unwrap().to_string();
    let detail = expect(s.api(Method::GET, &format!("/sandboxes/{id}")).send().await.unwrap(), 200).await;
    assert_eq!(detail["envdAccessToken"], token.as_str(), "the detail still gives the token to its owner");

    let text = s.api(Method::GET, "/v2/sandboxes").send().await.unwrap().text().await.unwrap();
    let listed: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["sandboxID"], id.as_str());
    for field in ["envdAccessToken", "domain", "allowInternetAccess"] {
        assert!(listed[0].get(field).is_none(), "a listing has no {field}: {text}");
    }
    assert!(!text.contains(&token), "the token appears nowhere in the listing");
    assert_eq!(s.api(Method::DELETE, &format!("/sandboxes/{id}")).send().await.unwrap().status(), 204);
}
