//! Control-plane requests (`/volumes`, `/sandboxes`): the API key, metadata headers and JSON bodies,
//! and the error of a failed reply.

use e2b_wire::headers;
use wasm_bindgen::JsValue;

use crate::config::ApiConfig;
use crate::errors::{Error, Family, Result};
use crate::transport::body::failure;
use crate::transport::fetch::{Call, InFlight, Response};
use crate::transport::headers::{user_agent, with_metadata};

/// Sends a control-plane request with a JSON `body`; resolves once the response headers arrive.
pub async fn send(
    cfg: &ApiConfig,
    method: &'static str,
    path: &str,
    body: Option<String>,
) -> Result<(Response, InFlight)> {
    let key = cfg.require_api_key()?;
    let mut h = with_metadata();
    h.push((headers::API_KEY, key.to_string()));
    user_agent(&mut h);
    if body.is_some() {
        h.push(("Content-Type", "application/json".into()));
    }
    let mut call = Call::new(method, [cfg.api_url.as_str(), path].concat());
    call.headers = h;
    call.body = body.map(JsValue::from);
    call.logger = cfg.logger.clone();
    call.extra_headers = cfg.headers.clone();
    call.send(&cfg.deadline).await
}

/// Fails with the error the official SDK raises for a non-2xx reply of `family`'s API.
pub async fn ensure_ok(response: &Response, flight: &InFlight, family: Family) -> Result<()> {
    if response.ok() {
        return Ok(());
    }
    let message = failure(response, flight).await.message;
    Err(Error::Api { status: response.status(), message, family })
}
