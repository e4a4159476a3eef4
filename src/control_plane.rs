//! Control-plane requests (`/volumes`, `/sandboxes`): the API key, metadata headers and JSON bodies,
//! and the error of a failed reply.

use e2b_wire::headers;
use wasm_bindgen::JsValue;
use web_sys::Response;

use crate::config::ApiConfig;
use crate::errors::{Error, Family, Result};
use crate::transport::body::failure;
use crate::transport::fetch::{Call, InFlight};
use crate::transport::headers::{user_agent, user_headers, with_metadata};

/// Sends a control-plane request with a JSON `body`; resolves once the response headers arrive.
pub async fn send(
    cfg: &ApiConfig,
    method: &'static str,
    path: &str,
    body: Option<String>,
) -> Result<(Response, InFlight)> {
    let key = cfg.require_api_key()?;
    let h = with_metadata()?;
    h.set(headers::API_KEY, key)?;
    user_agent(&h)?;
    if body.is_some() {
        h.set("Content-Type", "application/json")?;
    }
    user_headers(&h, cfg.headers.as_ref())?;
    let call = Call {
        method,
        url: format!("{}{path}", cfg.api_url),
        headers: h,
        body: body.map(JsValue::from),
        streamed_body: false,
        logger: cfg.logger.clone(),
    };
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
