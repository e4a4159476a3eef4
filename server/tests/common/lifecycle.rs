//! Helpers of the lifecycle tests: creating through `/v2`, control-plane calls with JSON bodies,
//! a sandbox's cgroup, and waiting for a condition.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use reqwest::{Method, Response};
use serde_json::Value;

use super::common::{expect, Sbx, Server};

/// Creates a sandbox through `POST /v2/sandboxes`; returns it and the reply.
pub async fn create_v2(s: &Server, body: Value) -> (Sbx, Value) {
    let created = expect(post(s, "/v2/sandboxes", body).await, 201).await;
    let sbx = s.sbx(created["sandboxID"].as_str().unwrap(), created["envdAccessToken"].as_str());
    (sbx, created)
}

/// `POST path` with a JSON body.
pub async fn post(s: &Server, path: &str, body: Value) -> Response {
    s.api(Method::POST, path).json(&body).send().await.unwrap()
}

/// `GET path`, its JSON body (asserting `status`).
pub async fn get(s: &Server, path: &str, status: u16) -> Value {
    expect(s.api(Method::GET, path).send().await.unwrap(), status).await
}

/// Asserts a control-plane error: the status, and the same code in the body (the SDKs read it).
pub async fn expect_code(res: Response, status: u16) -> Value {
    let body = expect(res, status).await;
    assert_eq!(body["code"], status, "{body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    body
}

/// The state of sandbox `id` as `GET /sandboxes/{id}` reports it.
pub async fn state_of(s: &Server, id: &str) -> String {
    get(s, &format!("/sandboxes/{id}"), 200).await["state"].as_str().unwrap().to_string()
}

/// The directory of the cgroup of host process `pid` under `controller` (v1) or the unified hierarchy.
pub fn cgroup_dir(pid: u32, controller: &str) -> std::path::PathBuf {
    let cgroups = std::fs::read_to_string(format!("/proc/{pid}/cgroup")).unwrap();
    for line in cgroups.lines() {
        let mut parts = line.splitn(3, ':');
        let (_, names, path) = (parts.next(), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        if names.split(',').any(|n| n == controller) {
            return std::path::Path::new("/sys/fs/cgroup").join(controller).join(path.trim_start_matches('/'));
        }
        if names.is_empty() && std::path::Path::new("/sys/fs/cgroup/cgroup.controllers").exists() {
            return std::path::Path::new("/sys/fs/cgroup").join(path.trim_start_matches('/'));
        }
    }
    panic!("no {controller} cgroup in {cgroups}");
}

/// Whether the cgroup holding host process `pid` is frozen (v1 `freezer.state`, v2 `cgroup.freeze`).
pub fn frozen(pid: u32) -> bool {
    let v1 = cgroup_dir(pid, "freezer").join("freezer.state");
    match std::fs::read_to_string(&v1) {
        Ok(state) => state.trim() == "FROZEN",
        Err(_) => std::fs::read_to_string(cgroup_dir(pid, "").join("cgroup.freeze")).unwrap().trim() == "1",
    }
}

/// Waits up to `limit` for `check` to hold, polling; false if it never did.
pub async fn eventually<F, Fut>(limit: Duration, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    loop {
        if check().await {
            return true;
        }
        if started.elapsed() > limit {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
