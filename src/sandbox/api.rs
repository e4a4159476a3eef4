//! Sandboxes on the control plane: create, get, connect, set a timeout, kill and list, with the
//! failure of each mapped in one place.

use e2b_wire::headers::NEXT_TOKEN;
use e2b_wire::sandboxes::{NewSandbox, SandboxTimeout};

use crate::config::ApiConfig;
use crate::control_plane::send;
use crate::errors::{messages, Error, Family, Result};
use crate::transport::body::{failure, json, json_text};
use crate::transport::fetch::{InFlight, Response};
use crate::transport::query::{component, with_query};
use crate::transport::reply::Reply;

fn sandbox_path(id: &str) -> String {
    format!("/sandboxes/{}", component(id))
}

/// Sends a call and fails unless it succeeded: when `not_found` is given, a failure whose body's
/// `code` is 404 is a `SandboxNotFoundError` with that text (as the official SDK keys it); any other
/// failure is the API error of its status.
async fn call(
    cfg: &ApiConfig,
    method: &'static str,
    path: &str,
    body: Option<String>,
    not_found: Option<String>,
) -> Result<(Response, InFlight)> {
    let (res, flight) = send(cfg, method, path, body).await?;
    if res.ok() {
        return Ok((res, flight));
    }
    let failed = failure(&res, &flight).await;
    match not_found {
        Some(text) if failed.code == Some(404) => Err(Error::SandboxNotFound(text)),
        _ => Err(Error::Api { status: res.status(), message: failed.message, family: Family::Sandbox }),
    }
}

/// `POST /sandboxes`: the new sandbox (`wire::sandboxes::Sandbox`).
pub async fn create(cfg: &ApiConfig, body: &NewSandbox) -> Result<Reply> {
    let (res, flight) = call(cfg, "POST", "/sandboxes", Some(json_text(body)?), None).await?;
    json(&res, &flight).await
}

/// `GET /sandboxes/{id}`: the sandbox's `SandboxDetail`.
pub async fn get(cfg: &ApiConfig, id: &str) -> Result<Reply> {
    let (res, flight) = call(cfg, "GET", &sandbox_path(id), None, Some(messages::sandbox_not_found(id))).await?;
    json(&res, &flight).await
}

/// `POST /sandboxes/{id}/connect`: a running sandbox (`wire::sandboxes::Sandbox`), whose timeout
/// only grows.
pub async fn connect(cfg: &ApiConfig, id: &str, timeout: i32) -> Result<Reply> {
    let path = format!("{}/connect", sandbox_path(id));
    let body = Some(json_text(&SandboxTimeout { timeout })?);
    let (res, flight) = call(cfg, "POST", &path, body, Some(messages::paused_sandbox_not_found(id))).await?;
    json(&res, &flight).await
}

/// `POST /sandboxes/{id}/timeout`: the sandbox ends `timeout` seconds from now.
pub async fn set_timeout(cfg: &ApiConfig, id: &str, timeout: i32) -> Result<()> {
    let path = format!("{}/timeout", sandbox_path(id));
    let body = Some(json_text(&SandboxTimeout { timeout })?);
    call(cfg, "POST", &path, body, Some(messages::sandbox_not_found(id))).await?;
    Ok(())
}

/// `DELETE /sandboxes/{id}`; `false` when there was no such sandbox.
pub async fn kill(cfg: &ApiConfig, id: &str) -> Result<bool> {
    match call(cfg, "DELETE", &sandbox_path(id), None, Some(String::new())).await {
        Ok(_) => Ok(true),
        Err(Error::SandboxNotFound(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// One page of `GET /v2/sandboxes` (`ListedSandbox` items), and the cursor of the next one.
pub async fn list(cfg: &ApiConfig, query: &[(&str, Option<String>)]) -> Result<(Reply, Option<String>)> {
    let (res, flight) = call(cfg, "GET", &with_query("/v2/sandboxes", query), None, None).await?;
    let next = res.header(NEXT_TOKEN).filter(|t| !t.is_empty());
    Ok((json(&res, &flight).await?, next))
}
