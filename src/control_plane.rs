//! Control-plane requests (`/volumes`, `/sandboxes`): the API key, metadata headers and JSON bodies,
//! and the error of a failed reply.

use e2b_wire::headers;
use wasm_bindgen::JsValue;

use crate::config::ApiConfig;
use crate::errors::{Error, Family, Result};
use crate::transport::body::failure;
use crate::transport::fetch::{Call, Exchange, Read};
use crate::transport::headers::Headers;

/// Sends a control-plane request with a JSON `body`; resolves to the reply, a 2xx one's body read as
/// `read` asks.
pub async fn send(
    cfg: &ApiConfig,
    method: &'static str,
    path: &str,
    body: Option<String>,
    read: Read,
) -> Result<Exchange> {
    let key = cfg.require_api_key()?;
    let mut h = Headers::with_metadata();
    h.set(headers::API_KEY, key);
    h.user_agent();
    if body.is_some() {
        h.set("Content-Type", "application/json");
    }
    let mut call = Call::new(method, &[cfg.api_url.as_str(), path].concat());
    call.headers = h;
    call.body = body.map(JsValue::from);
    call.logger = cfg.logger.clone();
    call.extra_headers = cfg.headers.clone();
    call.proxy = cfg.proxy.clone();
    call.exchange(&cfg.deadline, read).await
}

/// Fails with the error the official SDK raises for a non-2xx reply of `family`'s API.
pub fn ensure_ok(reply: &Exchange, family: Family) -> Result<()> {
    if reply.ok() {
        return Ok(());
    }
    Err(Error::Api { status: reply.status(), message: failure(reply).message, family })
}
