//! Connect calls to envd's services (JSON codec): unary calls, and server streams of enveloped
//! messages read with `wire::connect`'s framing, which their handles may stop.

use e2b_wire::connect::{envelope, Code, EnvelopeReader, PROTOCOL_VERSION, STREAM_CONTENT_TYPE, UNARY_CONTENT_TYPE};
use e2b_wire::envd::rpc_path;
use e2b_wire::fields::error as field;
use e2b_wire::headers;
use js_sys::Uint8Array;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{AbortController, AbortSignal};

use crate::envd::client::{Envd, Request};
use crate::errors::{messages, Error, Result};
use crate::transport::body::text;
use crate::transport::fetch::{Deadline, InFlight, Read};
use crate::transport::headers::Headers;
use crate::transport::js::get;
use crate::transport::reply::Reply;

#[wasm_bindgen(module = "/src/js/streams.js")]
extern "C" {
    /// An `AbortController` that `signal` also aborts (see `src/js/streams.js`).
    #[wasm_bindgen(js_name = linkedController)]
    fn linked_controller(signal: Option<&AbortSignal>) -> AbortController;
}

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
fn end_error(end: &Reply, files: bool) -> Option<Error> {
    let error = end.get(field::ERROR);
    error.is_present().then(|| Error::Connect {
        code: Code::parse(&error.str(field::CODE).unwrap_or_default()),
        message: error.str(field::MESSAGE).unwrap_or_default(),
        files,
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

/// Stops a server stream on request, and with the caller's signal (whose abort passes through
/// with its reason).
#[derive(Clone)]
pub struct Stopper {
    controller: AbortController,
    stopped: Rc<Cell<bool>>,
}

impl Stopper {
    /// A stopper linked to the caller's `signal`.
    pub fn new(signal: Option<&AbortSignal>) -> Self {
        Self { controller: linked_controller(signal), stopped: Rc::default() }
    }

    /// The signal the stream's request is sent with.
    pub fn signal(&self) -> AbortSignal {
        self.controller.signal()
    }

    /// Ends the stream; its reader then fails with `canceled`, as the official SDK's does.
    pub fn stop(&self) {
        if !self.stopped.replace(true) {
            self.controller.abort();
        }
    }

    /// True once [`Stopper::stop`] was called.
    pub fn stopped(&self) -> bool {
        self.stopped.get()
    }
}

/// A server stream under way: its reply messages one by one.
pub struct Stream {
    reader: web_sys::ReadableStreamDefaultReader,
    flight: InFlight,
    envelopes: EnvelopeReader,
    stopper: Stopper,
    files: bool,
}

impl Stream {
    /// Starts a server-streaming call with a JSON request. `timeout_ms` bounds the whole stream (0:
    /// none); the request timeout bounds the wait for the first message (see [`Stream::started`]);
    /// `stopper` (made with the caller's signal) ends it.
    pub async fn open(
        envd: &Envd,
        method: Method,
        request: String,
        opts: &CallOpts<'_>,
        timeout_ms: f64,
        stopper: Stopper,
    ) -> Result<Stream> {
        let mut h = connect_headers(envd, opts.user, timeout_ms);
        h.set(headers::KEEPALIVE_PING_INTERVAL, KEEPALIVE_SECS);
        let body = Uint8Array::from(envelope(0, request.as_bytes()).as_slice());
        let path = rpc_path(method.service, method.name);
        let dl = Deadline { timeout_ms: opts.deadline.timeout_ms, signal: Some(stopper.signal()) };
        let call = envd.call(h, post(&path, body.into(), STREAM_CONTENT_TYPE));
        let (res, flight) = call.send(&dl).await.map_err(|e| stopper.error(e))?;
        if !res.ok() {
            return Err(reply_error(res.status(), &text(&res, &flight).await, method.files));
        }
        let body = res.body().ok_or_else(|| Error::Sandbox("the stream reply has no body".into()))?;
        let reader = body.get_reader().unchecked_into();
        Ok(Stream { reader, flight, envelopes: EnvelopeReader::default(), stopper, files: method.files })
    }

    /// The first message has arrived: the request timeout no longer applies.
    pub fn started(&mut self) {
        self.flight.clear_timeout();
    }

    /// The next message; `None` once the stream ended well. An error end message, an end without
    /// one, and a stop are errors.
    pub async fn next(&mut self) -> Result<Option<Reply>> {
        loop {
            // Once stopped, nothing more is handed on, not even what has already arrived.
            if self.stopper.stopped() {
                return Err(self.stopper.error(Error::Plain(STOPPED.into())));
            }
            if let Some(e) = self.envelopes.next_envelope() {
                let message = Reply(js_sys::JSON::parse(&String::from_utf8_lossy(&e.payload))?);
                if e.is_end() {
                    let _ = self.reader.cancel();
                    return end_error(&message, self.files).map_or(Ok(None), Err);
                }
                return Ok(Some(message));
            }
            let chunk = self.flight.wait(self.reader.read()).await.map_err(|e| self.stopper.error(e))?;
            if get(&chunk, "done").as_bool() == Some(true) {
                return Err(Error::Connect {
                    code: Code::Unavailable,
                    message: "the stream ended without its end message".into(),
                    files: false,
                });
            }
            let bytes: Uint8Array = get(&chunk, "value").unchecked_into();
            self.envelopes.push(&bytes.to_vec());
        }
    }
}

/// Opens a stream of a process or a watch and reads its first message, which the caller checks is
/// its start: a sandbox that is gone before it is a `SandboxNotFoundError`, as the official SDK
/// reports it.
pub async fn start(
    envd: &Envd,
    method: Method,
    request: String,
    opts: &CallOpts<'_>,
    timeout_ms: f64,
    stopper: Stopper,
) -> Result<(Stream, Reply)> {
    let first = async {
        let mut stream = Stream::open(envd, method, request, opts, timeout_ms, stopper).await?;
        let message = stream.next().await?;
        Ok::<_, Error>((stream, message))
    };
    match first.await {
        Ok((mut stream, Some(message))) => {
            stream.started();
            Ok((stream, message))
        }
        Ok((_, None)) => Err(Error::Plain(messages::EXPECTED_START.into())),
        Err(Error::Connect { code: Code::Unavailable, .. }) => {
            Err(Error::SandboxNotFound(messages::SANDBOX_NOT_RUNNING.into()))
        }
        Err(e) => Err(e),
    }
}

impl Stopper {
    /// A stream's failure: a stop is `canceled` (as the official SDK reports it), anything else
    /// unchanged.
    fn error(&self, e: Error) -> Error {
        if self.stopped() {
            return Error::Connect { code: Code::Canceled, message: STOPPED.into(), files: false };
        }
        e
    }
}

/// The message of a stream stopped by its handle (the platform's text for an abort).
const STOPPED: &str = "This operation was aborted";
