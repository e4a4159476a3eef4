//! Sandboxes on the control plane: create, get, connect, set a timeout, kill and list; pause,
//! snapshots, forks, metrics and network rules; with the failure of each mapped in one place.

use e2b_wire::headers::NEXT_TOKEN;
use e2b_wire::sandboxes::{ConnectSandboxV2, SandboxForkRequest, SandboxPauseRequest, SandboxTimeout};

use crate::config::ApiConfig;
use crate::control_plane::send;
use crate::errors::{messages, Error, Family, Result};
use crate::transport::body::{failure, json_text};
use crate::transport::fetch::{Exchange, Read};
use crate::transport::query::{component, with_query};
use crate::transport::reply::Reply;

fn sandbox_path(id: &str) -> String {
    ["/sandboxes/", &component(id)].concat()
}

/// Sends a call and fails unless it succeeded: when `not_found` is given, a failure whose body's
/// `code` is 404 is a `SandboxNotFoundError` with that text (as the official SDK keys it); any other
/// failure is the API error of its status. A 2xx reply's body is read as `read` asks.
async fn call(
    cfg: &ApiConfig,
    method: &'static str,
    path: &str,
    body: Option<String>,
    not_found: Option<String>,
    read: Read,
) -> Result<Exchange> {
    let reply = send(cfg, method, path, body, read).await?;
    if reply.ok() {
        return Ok(reply);
    }
    let failed = failure(&reply);
    match not_found {
        Some(text) if failed.code == Some(404) => Err(Error::SandboxNotFound(text)),
        _ => Err(Error::Api { status: reply.status(), message: failed.message, family: Family::Sandbox }),
    }
}

/// `POST /v2/sandboxes` with a `NewSandboxV2` body (JSON text): the new sandbox
/// (`wire::sandboxes::Sandbox`).
pub async fn create(cfg: &ApiConfig, body: String) -> Result<Reply> {
    let reply = call(cfg, "POST", "/v2/sandboxes", Some(body), None, Read::Json).await?;
    Ok(Reply(reply.body))
}

/// `GET /sandboxes/{id}`: the sandbox's `SandboxDetail`.
pub async fn get(cfg: &ApiConfig, id: &str) -> Result<Reply> {
    let not_found = Some(messages::sandbox_not_found(id));
    Ok(Reply(call(cfg, "GET", &sandbox_path(id), None, not_found, Read::Json).await?.body))
}

/// `POST /v2/sandboxes/{id}/connect`: the sandbox (`wire::sandboxes::Sandbox`), resumed if it was
/// paused; a running one's timeout only grows.
pub async fn connect(cfg: &ApiConfig, id: &str, body: &ConnectSandboxV2) -> Result<Reply> {
    let path = ["/v2", &sandbox_path(id), "/connect"].concat();
    let not_found = Some(messages::paused_sandbox_not_found(id));
    Ok(Reply(call(cfg, "POST", &path, Some(json_text(body)?), not_found, Read::Json).await?.body))
}

/// `POST /sandboxes/{id}/timeout`: the sandbox ends `timeout` seconds from now.
pub async fn set_timeout(cfg: &ApiConfig, id: &str, timeout: i32) -> Result<()> {
    let path = [sandbox_path(id).as_str(), "/timeout"].concat();
    let body = Some(json_text(&SandboxTimeout { timeout })?);
    call(cfg, "POST", &path, body, Some(messages::sandbox_not_found(id)), Read::Nothing).await?;
    Ok(())
}

/// `DELETE /sandboxes/{id}`; `false` when there was no such sandbox.
pub async fn kill(cfg: &ApiConfig, id: &str) -> Result<bool> {
    match call(cfg, "DELETE", &sandbox_path(id), None, Some(String::new()), Read::Nothing).await {
        Ok(_) => Ok(true),
        Err(Error::SandboxNotFound(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// `POST /sandboxes/{id}/pause`: `false` when it was paused already.
pub async fn pause(cfg: &ApiConfig, id: &str, body: &SandboxPauseRequest) -> Result<bool> {
    let path = [sandbox_path(id).as_str(), "/pause"].concat();
    let reply = send(cfg, "POST", &path, Some(json_text(body)?), Read::Nothing).await?;
    if reply.ok() {
        return Ok(true);
    }
    let failed = failure(&reply);
    match failed.code {
        Some(404) => Err(Error::SandboxNotFound(messages::sandbox_not_found(id))),
        Some(409) => Ok(false),
        _ => Err(Error::Api { status: reply.status(), message: failed.message, family: Family::Sandbox }),
    }
}

/// `POST /sandboxes/{id}/snapshots` with a `SandboxSnapshotRequest` (JSON text): the `SnapshotInfo`.
pub async fn snapshot(cfg: &ApiConfig, id: &str, body: String) -> Result<Reply> {
    let path = [sandbox_path(id).as_str(), "/snapshots"].concat();
    let not_found = Some(messages::sandbox_not_found(id));
    Ok(Reply(call(cfg, "POST", &path, Some(body), not_found, Read::Json).await?.body))
}

/// One page of `GET /snapshots` (`SnapshotInfo` items), and the cursor of the next one.
pub async fn snapshots(cfg: &ApiConfig, query: &[(&str, Option<String>)]) -> Result<(Reply, Option<String>)> {
    let reply = call(cfg, "GET", &with_query("/snapshots", query), None, None, Read::Json).await?;
    let next = reply.response.header(NEXT_TOKEN).filter(|t| !t.is_empty());
    Ok((Reply(reply.body), next))
}

/// `DELETE /templates/{id}`: a snapshot is a template; `false` when there was none.
pub async fn delete_snapshot(cfg: &ApiConfig, id: &str) -> Result<bool> {
    let path = ["/templates/", &component(id)].concat();
    match call(cfg, "DELETE", &path, None, Some(String::new()), Read::Nothing).await {
        Ok(_) => Ok(true),
        Err(Error::SandboxNotFound(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// `POST /sandboxes/{id}/fork`: one `SandboxForkResult` per fork. A 404 (by status) is the
/// server's own message as a `SandboxNotFoundError`.
pub async fn fork(cfg: &ApiConfig, id: &str, body: &SandboxForkRequest) -> Result<Reply> {
    let path = [sandbox_path(id).as_str(), "/fork"].concat();
    let reply = send(cfg, "POST", &path, Some(json_text(body)?), Read::Json).await?;
    if reply.ok() {
        return Ok(Reply(reply.body));
    }
    let failed = failure(&reply);
    if reply.status() == 404 {
        let text = json_message(&reply.text()).unwrap_or_else(|| messages::sandbox_not_found(id));
        return Err(Error::SandboxNotFound(text));
    }
    Err(Error::Api { status: reply.status(), message: failed.message, family: Family::Sandbox })
}

/// `GET /sandboxes/{id}/metrics` with `start` and `end` (Unix seconds): `SandboxMetric` items.
pub async fn metrics(cfg: &ApiConfig, id: &str, query: &[(&str, Option<String>)]) -> Result<Reply> {
    let path = with_query(&[sandbox_path(id).as_str(), "/metrics"].concat(), query);
    let not_found = Some(messages::sandbox_not_found(id));
    Ok(Reply(call(cfg, "GET", &path, None, not_found, Read::Json).await?.body))
}

/// `PUT /sandboxes/{id}/network` with a `SandboxNetworkUpdateConfig` (JSON text).
pub async fn update_network(cfg: &ApiConfig, id: &str, body: String) -> Result<()> {
    let path = [sandbox_path(id).as_str(), "/network"].concat();
    call(cfg, "PUT", &path, Some(body), Some(messages::sandbox_not_found(id)), Read::Nothing).await?;
    Ok(())
}

/// The `message` of a JSON error body, when it has one.
fn json_message(text: &str) -> Option<String> {
    let json = js_sys::JSON::parse(text).ok()?;
    crate::transport::js::get(&json, e2b_wire::fields::error::MESSAGE).as_string()
}

/// One page of `GET /v2/sandboxes` (`ListedSandbox` items), and the cursor of the next one.
pub async fn list(cfg: &ApiConfig, query: &[(&str, Option<String>)]) -> Result<(Reply, Option<String>)> {
    let reply = call(cfg, "GET", &with_query("/v2/sandboxes", query), None, None, Read::Json).await?;
    let next = reply.response.header(NEXT_TOKEN).filter(|t| !t.is_empty());
    Ok((Reply(reply.body), next))
}
