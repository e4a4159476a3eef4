//! Connect calls to envd's services (JSON codec): unary calls, and server streams of enveloped
//! messages read with `wire::connect`'s framing.

use e2b_wire::connect::{envelope, Code, EnvelopeReader, PROTOCOL_VERSION, STREAM_CONTENT_TYPE, UNARY_CONTENT_TYPE};
use e2b_wire::envd::rpc_path;
use e2b_wire::fields::error as field;
use e2b_wire::headers;
use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};

use crate::envd::client::{Envd, Request};
use crate::errors::{Error, Result};
use crate::transport::body::text;
use crate::transport::fetch::{Deadline, Read};
use crate::transport::headers::Headers;
use crate::transport::js::get;
use crate::transport::reply::Reply;

/// Seconds between the keepalive messages asked for on streams.
const KEEPALIVE_SECS: &str = "50";

/// A Connect method of one of envd's services.
#[derive(Clone, Copy)]
pub struct Method {
    /// The service, e.g. `filesystem.Filesystem`.
    pub service: &'static str,
    /// The method, e.g. `Stat`.
    pub name: &'static str,
    /// Calls on files: `not_found` is `FileNotFoundError`.
    pub files: bool,
}

/// Options of one Connect call.
pub struct CallOpts<'a> {
    /// The sandbox user who acts.
    pub user: Option<&'a str>,
    /// `requestTimeoutMs` (sent as Connect's timeout too) and `signal`.
    pub deadline: &'a Deadline,
}

/// The error of a failed Connect reply: its `{code, message}` body, or a code inferred from the
/// status when a proxy answered instead.
fn reply_error(status: u16, body: &str, files: bool) -> Error {
    let json = Reply(js_sys::JSON::parse(body).unwrap_or(JsValue::UNDEFINED));
    let code = json.str(field::CODE).map_or_else(|| Code::from_http_status(status), |c| Code::parse(&c));
    let message = json.str(field::MESSAGE).filter(|m| !m.is_empty()).unwrap_or_else(|| body.to_string());
    Error::Connect { code, message, files }
}

/// The error a stream's end message carries, if any.
fn end_error(end: &Reply) -> Option<Error> {
    let error = end.get(field::ERROR);
    error.is_present().then(|| Error::Connect {
        code: Code::parse(&error.str(field::CODE).unwrap_or_default()),
        message: error.str(field::MESSAGE).unwrap_or_default(),
        files: false,
    })
}

/// A Connect call's request: always a POST.
fn post<'a>(path: &'a str, body: JsValue, content_type: &'static str) -> Request<'a> {
    Request { method: "POST", path, body: Some(body), content_type: Some(content_type), streamed: false }
}

fn connect_headers(envd: &Envd, user: Option<&str>, timeout_ms: f64) -> Headers {
    let mut h = envd.headers(user);
    h.set(headers::CONNECT_PROTOCOL_VERSION, PROTOCOL_VERSION);
    if timeout_ms > 0.0 {
        h.set(headers::CONNECT_TIMEOUT_MS, &(timeout_ms as u64).to_string());
    }
    h
}

/// A unary call with a JSON request (see `json_text`); resolves to the reply (an empty body is the
/// empty message).
pub async fn unary(envd: &Envd, method: Method, request: String, opts: &CallOpts<'_>) -> Result<Reply> {
    let h = connect_headers(envd, opts.user, opts.deadline.timeout_ms);
    let path = rpc_path(method.service, method.name);
    let req = post(&path, request.into(), UNARY_CONTENT_TYPE);
    let reply = envd.call(h, req).exchange(opts.deadline, Read::Text).await?;
    if reply.ok() {
        return Reply::parse(&reply.text());
    }
    Err(reply_error(reply.status(), &reply.text(), method.files))
}

/// A server-streaming call with a JSON request; `on_message` sees each reply message in order. `timeout_ms` bounds the
/// whole stream (0: none); the deadline's timeout bounds only the wait for the first bytes.
pub async fn stream(
    envd: &Envd,
    method: Method,
    request: String,
    opts: &CallOpts<'_>,
    timeout_ms: f64,
    mut on_message: impl FnMut(Reply) -> Result<()>,
) -> Result<()> {
    let mut h = connect_headers(envd, opts.user, timeout_ms);
    h.set(headers::KEEPALIVE_PING_INTERVAL, KEEPALIVE_SECS);
    let body = Uint8Array::from(envelope(0, request.as_bytes()).as_slice());
    let path = rpc_path(method.service, method.name);
    let (res, mut flight) = envd.call(h, post(&path, body.into(), STREAM_CONTENT_TYPE)).send(opts.deadline).await?;
    if !res.ok() {
        return Err(reply_error(res.status(), &text(&res, &flight).await, false));
    }
    flight.clear_timeout();
    let body = res.body().ok_or_else(|| Error::Sandbox("the stream reply has no body".into()))?;
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut envelopes = EnvelopeReader::default();
    loop {
        let chunk = flight.wait(reader.read()).await?;
        if get(&chunk, "done").as_bool() == Some(true) {
            break;
        }
        let bytes: Uint8Array = get(&chunk, "value").unchecked_into();
        envelopes.push(&bytes.to_vec());
        while let Some(e) = envelopes.next_envelope() {
            let message = Reply(js_sys::JSON::parse(&String::from_utf8_lossy(&e.payload))?);
            if e.is_end() {
                let _ = reader.cancel();
                return end_error(&message).map_or(Ok(()), Err);
            }
            on_message(message)?;
        }
    }
    Err(Error::Connect {
        code: Code::Unavailable,
        message: "the stream ended without its end message".into(),
        files: false,
    })
}
