//! Sandboxes on the control plane: create, get, connect, set a timeout, kill and list, with the
//! failure of each mapped in one place.

use e2b_wire::headers::NEXT_TOKEN;
use e2b_wire::sandboxes::{NewSandbox, SandboxTimeout};

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

/// `POST /sandboxes`: the new sandbox (`wire::sandboxes::Sandbox`).
pub async fn create(cfg: &ApiConfig, body: &NewSandbox) -> Result<Reply> {
    let reply = call(cfg, "POST", "/sandboxes", Some(json_text(body)?), None, Read::Json).await?;
    Ok(Reply(reply.body))
}

/// `GET /sandboxes/{id}`: the sandbox's `SandboxDetail`.
pub async fn get(cfg: &ApiConfig, id: &str) -> Result<Reply> {
    let not_found = Some(messages::sandbox_not_found(id));
    Ok(Reply(call(cfg, "GET", &sandbox_path(id), None, not_found, Read::Json).await?.body))
}

/// `POST /sandboxes/{id}/connect`: a running sandbox (`wire::sandboxes::Sandbox`), whose timeout
/// only grows.
pub async fn connect(cfg: &ApiConfig, id: &str, timeout: i32) -> Result<Reply> {
    let path = [sandbox_path(id).as_str(), "/connect"].concat();
    let body = Some(json_text(&SandboxTimeout { timeout })?);
    let not_found = Some(messages::paused_sandbox_not_found(id));
    Ok(Reply(call(cfg, "POST", &path, body, not_found, Read::Json).await?.body))
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

/// One page of `GET /v2/sandboxes` (`ListedSandbox` items), and the cursor of the next one.
pub async fn list(cfg: &ApiConfig, query: &[(&str, Option<String>)]) -> Result<(Reply, Option<String>)> {
    let reply = call(cfg, "GET", &with_query("/v2/sandboxes", query), None, None, Read::Json).await?;
    let next = reply.response.header(NEXT_TOKEN).filter(|t| !t.is_empty());
    Ok((Reply(reply.body), next))
}
