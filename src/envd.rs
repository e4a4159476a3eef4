//! Talking to envd inside a sandbox: its base URL and headers, REST calls, and Connect calls
//! (unary JSON, and server streams of enveloped JSON messages).

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Headers, Response};

use crate::errors;
use crate::http::{self, Call, Deadline, InFlight};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = btoa)]
    fn btoa(s: &str) -> String;
}

/// Port of envd in E2B sandboxes.
pub const ENVD_PORT: u16 = 49983;
/// Domains whose envd is reached through one routing host (outside browsers).
const ROUTED_DOMAINS: &[&str] = &["e2b.app", "e2b.dev", "e2b.pro", "e2b-staging.dev"];

/// One sandbox's envd.
#[derive(Clone)]
pub struct Envd {
    pub url: String,
    pub sandbox_id: String,
    pub token: Option<String>,
    pub logger: Option<JsValue>,
    pub headers: Option<JsValue>,
}

/// The envd URL, by the official SDK's rules.
pub fn base_url(
    sandbox_url: Option<String>,
    debug: bool,
    domain: &str,
    sandbox_id: &str,
    sandbox_domain: Option<&str>,
) -> String {
    if let Some(url) = sandbox_url {
        return url.trim_end_matches('/').to_string();
    }
    if debug {
        return format!("http://localhost:{ENVD_PORT}");
    }
    if crate::env::runtime() != "browser" && ROUTED_DOMAINS.contains(&domain) {
        return format!("https://sandbox.{domain}");
    }
    format!("https://{ENVD_PORT}-{sandbox_id}.{}", sandbox_domain.unwrap_or(domain))
}

/// `Authorization: Basic base64("<user>:")`.
fn basic_auth(user: &str) -> String {
    format!("Basic {}", btoa(&format!("{user}:")))
}

impl Envd {
    fn headers(&self, user: Option<&str>) -> Result<Headers, JsValue> {
        let h = Headers::new()?;
        h.set("E2b-Sandbox-Id", &self.sandbox_id)?;
        h.set("E2b-Sandbox-Port", &ENVD_PORT.to_string())?;
        if let Some(token) = &self.token {
            h.set("X-Access-Token", token)?;
        }
        if crate::env::is_node() {
            h.set("User-Agent", concat!("e2b-wasm/", env!("CARGO_PKG_VERSION")))?;
        }
        if let Some(user) = user {
            h.set("Authorization", &basic_auth(user))?;
        }
        http::user_headers(&h, self.headers.as_ref())?;
        Ok(h)
    }

    /// A REST call (`/health`, `/files`).
    pub async fn rest(
        &self,
        method: &'static str,
        path: &str,
        body: Option<JsValue>,
        content_type: Option<&str>,
        streamed: bool,
        deadline: &Deadline,
    ) -> Result<(Response, InFlight), JsValue> {
        let headers = self.headers(None)?;
        if let Some(ct) = content_type {
            headers.set("Content-Type", ct)?;
        }
        let call = Call {
            method,
            url: format!("{}{path}", self.url),
            headers,
            body,
            streamed_body: streamed,
            logger: self.logger.clone(),
        };
        call.send(deadline).await
    }

    /// A unary Connect call; resolves to the reply message.
    pub async fn unary(
        &self,
        method: &str,
        request: &JsValue,
        user: Option<&str>,
        deadline: &Deadline,
        files: bool,
    ) -> Result<JsValue, JsValue> {
        let headers = self.headers(user)?;
        headers.set("Content-Type", "application/json")?;
        headers.set("Connect-Protocol-Version", "1")?;
        if deadline.timeout_ms > 0.0 {
            headers.set("Connect-Timeout-Ms", &(deadline.timeout_ms as u64).to_string())?;
        }
        let call = Call {
            method: "POST",
            url: format!("{}/{method}", self.url),
            headers,
            body: Some(js_sys::JSON::stringify(request)?.into()),
            streamed_body: false,
            logger: self.logger.clone(),
        };
        let (res, flight) = call.send(deadline).await?;
        let text = flight.wait(res.text()?).await?.as_string().unwrap_or_default();
        if res.ok() {
            return if text.is_empty() { Ok(js_sys::Object::new().into()) } else { js_sys::JSON::parse(&text) };
        }
        Err(connect_failure(res.status(), &text, files))
    }

    /// A server-streaming Connect call; `on_message` sees each reply message in order.
    pub async fn stream(
        &self,
        method: &str,
        request: &JsValue,
        user: Option<&str>,
        timeout_ms: f64,
        deadline: &Deadline,
        mut on_message: impl FnMut(JsValue) -> Result<(), JsValue>,
    ) -> Result<(), JsValue> {
        let headers = self.headers(user)?;
        headers.set("Content-Type", "application/connect+json")?;
        headers.set("Connect-Protocol-Version", "1")?;
        headers.set("Keepalive-Ping-Interval", "50")?;
        if timeout_ms > 0.0 {
            headers.set("Connect-Timeout-Ms", &(timeout_ms as u64).to_string())?;
        }
        let payload = String::from(js_sys::JSON::stringify(request)?);
        let mut envelope = Vec::with_capacity(payload.len() + 5);
        envelope.push(0u8);
        envelope.extend_from_slice(&(payload.len() as u32).to_be_bytes());
        envelope.extend_from_slice(payload.as_bytes());
        let call = Call {
            method: "POST",
            url: format!("{}/{method}", self.url),
            headers,
            body: Some(Uint8Array::from(envelope.as_slice()).into()),
            streamed_body: false,
            logger: self.logger.clone(),
        };
        let (res, mut flight) = call.send(deadline).await?;
        if !res.ok() {
            let text = flight.wait(res.text()?).await?.as_string().unwrap_or_default();
            return Err(connect_failure(res.status(), &text, false));
        }
        // The request timeout bounds the wait for the first bytes; the stream has its own timeoutMs.
        flight.clear_timeout();
        let body = res.body().ok_or_else(|| errors::sandbox("the stream reply has no body", None))?;
        let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
        let mut buf: Vec<u8> = Vec::new();
        loop {
            let chunk = flight.wait(reader.read()).await?;
            if Reflect::get(&chunk, &"done".into())?.as_bool() == Some(true) {
                break;
            }
            let bytes: Uint8Array = Reflect::get(&chunk, &"value".into())?.unchecked_into();
            buf.extend_from_slice(&bytes.to_vec());
            while buf.len() >= 5 {
                let len = u32::from_be_bytes([buf[1], buf[2], buf[3], buf[4]]) as usize;
                if buf.len() < 5 + len {
                    break;
                }
                let flags = buf[0];
                let text = String::from_utf8_lossy(&buf[5..5 + len]).into_owned();
                buf.drain(..5 + len);
                let message = js_sys::JSON::parse(&text)?;
                if flags & 0x02 != 0 {
                    let _ = reader.cancel();
                    let error = Reflect::get(&message, &"error".into())?;
                    if error.is_object() {
                        let code =
                            Reflect::get(&error, &"code".into())?.as_string().unwrap_or_else(|| "unknown".into());
                        let msg = Reflect::get(&error, &"message".into())?.as_string().unwrap_or_default();
                        return Err(errors::from_connect(&code, &msg, false));
                    }
                    return Ok(());
                }
                on_message(message)?;
            }
        }
        Err(errors::from_connect("unavailable", "the stream ended without its end message", false))
    }
}

/// A Connect error reply (`{code, message}`), or a status without one.
fn connect_failure(status: u16, text: &str, files: bool) -> JsValue {
    let parsed = js_sys::JSON::parse(text).ok().filter(|v| v.is_object());
    let field = |k: &str| parsed.as_ref().and_then(|p| Reflect::get(p, &k.into()).ok()).and_then(|v| v.as_string());
    let code = field("code").unwrap_or_else(|| {
        match status {
            400 => "internal",
            401 => "unauthenticated",
            403 => "permission_denied",
            404 => "unimplemented",
            429 | 502 | 503 | 504 => "unavailable",
            _ => "unknown",
        }
        .to_string()
    });
    let message = field("message").unwrap_or_else(|| text.to_string());
    errors::from_connect(&code, &message, files)
}

/// Encodes bytes as base64 with the platform's `btoa`.
pub fn base64_string(bytes: &[u8]) -> String {
    btoa(&bytes.iter().map(|&b| b as char).collect::<String>())
}

/// Decodes base64 to bytes with the platform's `atob`.
pub fn base64_bytes(b64: &str) -> Result<Vec<u8>, JsValue> {
    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(catch, js_name = atob)]
        fn atob(s: &str) -> Result<String, JsValue>;
    }
    Ok(atob(b64)?.chars().map(|c| c as u8).collect())
}
