//! One HTTP exchange: sent with the platform's `fetch(url, init)` (so that its errors — `TypeError`,
//! the user's abort reason — reach the caller untouched), its reply's status and headers read
//! through gloo-net's `Response`, under a deadline kept in JavaScript (`src/js/fetch.js`): the
//! request timeout and the user's `AbortSignal`. A reply read whole is read in the same JavaScript
//! call that sends the request ([`Call::exchange`]: one promise per call); a streamed reply is
//! handed over with its deadline ([`Call::send`]).

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use crate::errors::{Error, Result, Timeout};
use crate::transport::headers::Headers;
use crate::transport::js::name;
use crate::transport::reply::{js_table, Field};

#[wasm_bindgen(module = "/src/js/deadline.js")]
extern "C" {
    /// The deadline of one exchange (see `src/js/deadline.js`).
    pub type Timer;
    #[wasm_bindgen(constructor)]
    fn new(timeout_ms: f64, user: Option<&AbortSignal>, proxy: Option<&str>) -> Timer;
    #[wasm_bindgen(method, getter)]
    fn signal(this: &Timer) -> AbortSignal;
    #[wasm_bindgen(method, getter, js_name = timedOut)]
    fn timed_out(this: &Timer) -> bool;
    #[wasm_bindgen(method, js_name = clearTimeout)]
    fn clear_timeout(this: &Timer);
    #[wasm_bindgen(method)]
    fn dispose(this: &Timer);
}

#[wasm_bindgen(module = "/src/js/fetch.js")]
extern "C" {
    /// A request URL made in JavaScript of JS strings (see `src/js/fetch.js`).
    #[wasm_bindgen(js_name = requestUrl, catch)]
    fn request_url(
        base: &JsValue,
        prefix: &JsValue,
        route: &JsValue,
        key: &JsValue,
        value: &JsValue,
        rest: Option<&str>,
    ) -> std::result::Result<JsValue, JsValue>;

    /// Sends a request and reads its whole reply (see `src/js/fetch.js`).
    fn exchange(
        url: &JsValue,
        method: &JsValue,
        headers: &JsValue,
        user_headers: Option<&JsValue>,
        body: Option<&JsValue>,
        streamed: bool,
        timeout_ms: f64,
        signal: Option<&AbortSignal>,
        read: &JsValue,
        proxy: Option<&str>,
    ) -> Promise;

    /// `exchange`, then `settle(kind, subject, response, body)` (see `src/js/fetch.js`).
    #[wasm_bindgen(js_name = exchangeThen)]
    fn exchange_then(
        url: &JsValue,
        method: &JsValue,
        headers: &JsValue,
        user_headers: Option<&JsValue>,
        body: Option<&JsValue>,
        streamed: bool,
        timeout_ms: f64,
        signal: Option<&AbortSignal>,
        read: &JsValue,
        proxy: Option<&str>,
        settle: &Function,
        kind: u32,
        subject: &JsValue,
        success: u32,
        table: Option<&JsValue>,
    ) -> Promise;
}

#[wasm_bindgen(module = "/src/js/streams.js")]
extern "C" {
    /// `body` read through a guard that errors it with `error` and aborts `exchange` when no chunk
    /// arrives for `idle_ms` (the per-chunk work stays in JavaScript).
    #[wasm_bindgen(js_name = guardIdle)]
    fn guard_idle(body: &JsValue, idle_ms: f64, error: &JsValue, exchange: &Timer) -> JsValue;
}

#[wasm_bindgen(module = "/src/js/fetch.js")]
extern "C" {
    /// A response's body as a stream; an empty one when it has none.
    #[wasm_bindgen(js_name = bodyStream)]
    pub fn body_stream(response: &web_sys::Response) -> JsValue;

    /// `fetch(url, init)` with the init built in one step (see `src/js/fetch.js`).
    fn send(
        url: &JsValue,
        method: &JsValue,
        headers: &JsValue,
        user_headers: Option<&JsValue>,
        body: Option<&JsValue>,
        signal: &AbortSignal,
        streamed: bool,
        proxy: Option<&str>,
    ) -> Promise;
}

/// How long a call may take, and who may cancel it.
pub struct Deadline {
    /// Milliseconds until the call is aborted with a `TimeoutError`; 0 means none.
    pub timeout_ms: f64,
    /// The user's signal; aborting it aborts the call with the signal's reason.
    pub signal: Option<AbortSignal>,
}

/// An exchange under way: its deadline lives until it is dropped.
pub struct InFlight {
    timer: Timer,
}

impl InFlight {
    /// Stops the timeout (for streams: the timeout bounds only the wait for headers).
    pub fn clear_timeout(&mut self) {
        self.timer.clear_timeout();
    }

    /// Hands back a response body that errors with `TimeoutError` and cancels the exchange when no
    /// chunk arrives for `idle_ms` (0: never); the user's signal still cancels it.
    pub fn guard_idle_body(self, body: JsValue, idle_ms: f64) -> JsValue {
        self.timer.clear_timeout();
        let body = if idle_ms <= 0.0 || body.is_null() {
            body
        } else {
            guard_idle(&body, idle_ms, &Error::Timeout(Timeout::StreamIdle).into(), &self.timer)
        };
        // The body outlives this call: the user's signal stays linked (the timer holds it).
        std::mem::forget(self);
        body
    }

    /// Turns a rejection of this exchange into the error users expect.
    pub fn map_error(&self, err: JsValue) -> Error {
        if self.timer.timed_out() {
            Error::Timeout(Timeout::Request)
        } else {
            Error::Js(err)
        }
    }

    /// Awaits a promise tied to this exchange (fetch or body reading), mapping a timeout.
    pub async fn wait(&self, promise: Promise) -> Result<JsValue> {
        JsFuture::from(promise).await.map_err(|e| self.map_error(e))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.timer.dispose();
    }
}

/// A request ready to send.
pub struct Call {
    /// HTTP method.
    pub method: &'static str,
    /// Full URL, as a JS string.
    pub url: JsValue,
    /// Request headers.
    pub headers: Headers,
    /// Request body, as `fetch` takes it.
    pub body: Option<JsValue>,
    /// Set for a streamed request body: Node needs `duplex: 'half'`, and such a body is never
    /// followed through a redirect (which would make Node keep every chunk to replay it).
    pub streamed_body: bool,
    /// The user's logger.
    pub logger: Option<JsValue>,
    /// The user's `headers` option (a plain object of strings), added last.
    pub extra_headers: Option<JsValue>,
    /// The `proxy` option: in Node, the request goes through this HTTP proxy.
    pub proxy: Option<String>,
}

impl Call {
    /// A request with no headers or body yet.
    pub fn new(method: &'static str, url: &str) -> Self {
        Self::to(method, JsValue::from_str(url))
    }

    /// A request to a URL already made in JavaScript ([`url_of`]).
    pub fn to(method: &'static str, url: JsValue) -> Self {
        Self {
            method,
            url,
            headers: Headers::new(),
            body: None,
            streamed_body: false,
            logger: None,
            extra_headers: None,
            proxy: None,
        }
    }

    /// Sends the request and reads its whole reply: as `read` asks when the status is 2xx, as text
    /// otherwise. The deadline covers both.
    pub async fn exchange(self, deadline: &Deadline, read: Read) -> Result<Exchange> {
        self.log("info", "Request ", "");
        let sent = exchange(
            &self.url,
            &name(self.method),
            self.headers.as_js(),
            self.extra_headers.as_ref(),
            self.body.as_ref(),
            self.streamed_body,
            deadline.timeout_ms,
            deadline.signal.as_ref(),
            &name(read.name()),
            self.proxy.as_deref(),
        );
        let pair: js_sys::Array = match JsFuture::from(sent).await {
            Ok(pair) => pair.unchecked_into(),
            Err(e) => {
                self.log("error", "Request ", " failed");
                return Err(if e.is_instance_of::<Timer>() { Error::Timeout(Timeout::Request) } else { Error::Js(e) });
            }
        };
        let done =
            Exchange { response: Response::from(pair.get(0).unchecked_into::<web_sys::Response>()), body: pair.get(1) };
        if self.logger.is_some() {
            let level = if done.ok() { "info" } else { "error" };
            self.log(level, &["Response ", &done.status().to_string(), " "].concat(), "");
        }
        Ok(done)
    }

    /// What [`Call::exchange`] does, driven from JavaScript: the reply goes to `settle` (a function
    /// made once) as `(kind, subject, response, body)`, with no response when the timeout ran out,
    /// and the promise takes what it returns or throws — unless `success` says what a 2xx reply
    /// becomes, in JavaScript. For calls whose reply is read whole and that log nothing (the
    /// logger's lines are [`Call::exchange`]'s).
    pub fn exchange_then(
        self,
        deadline: &Deadline,
        read: Read,
        settle: &Function,
        kind: u32,
        subject: &JsValue,
        success: Success,
    ) -> Promise {
        let (success, table) = match success {
            Success::Settle => (0, None),
            Success::Body => (1, None),
            Success::One(table) => (2, Some(js_table(table))),
            Success::Each(table) => (3, Some(js_table(table))),
        };
        exchange_then(
            &self.url,
            &name(self.method),
            self.headers.as_js(),
            self.extra_headers.as_ref(),
            self.body.as_ref(),
            self.streamed_body,
            deadline.timeout_ms,
            deadline.signal.as_ref(),
            &name(read.name()),
            self.proxy.as_deref(),
            settle,
            kind,
            subject,
            success,
            table.as_ref(),
        )
    }

    /// Sends the request; resolves once the response headers arrive, for a reply read as a stream.
    pub async fn send(self, deadline: &Deadline) -> Result<(Response, InFlight)> {
        let flight =
            InFlight { timer: Timer::new(deadline.timeout_ms, deadline.signal.as_ref(), self.proxy.as_deref()) };
        self.log("info", "Request ", "");
        let sent = send(
            &self.url,
            &name(self.method),
            self.headers.as_js(),
            self.extra_headers.as_ref(),
            self.body.as_ref(),
            &flight.timer.signal(),
            self.streamed_body,
            self.proxy.as_deref(),
        );
        let raw = match flight.wait(sent).await {
            Ok(r) => r.unchecked_into::<web_sys::Response>(),
            Err(e) => {
                self.log("error", "Request ", " failed");
                return Err(e);
            }
        };
        let response = Response::from(raw);
        if self.logger.is_some() {
            let level = if response.ok() { "info" } else { "error" };
            self.log(level, &["Response ", &response.status().to_string(), " "].concat(), "");
        }
        Ok((response, flight))
    }

    /// Logs `{before}{method} {url}{after}` at `level`, when the user gave a logger.
    fn log(&self, level: &str, before: &str, after: &str) {
        if self.logger.is_some() {
            let url = self.url.as_string().unwrap_or_default();
            log(&self.logger, level, &[before, self.method, " ", &url, after]);
        }
    }
}

/// `{base}{prefix}{route}?{key}={value}{rest}`, made in JavaScript so that no string of it crosses
/// the wasm boundary: `base` loses its trailing slashes, `value` is encoded as `encodeURIComponent`
/// does, `rest` is further parameters already encoded (`&k=v…`).
pub fn url_of(
    base: &JsValue,
    prefix: &JsValue,
    route: &'static str,
    key: &'static str,
    value: &JsValue,
    rest: Option<&str>,
) -> Result<JsValue> {
    request_url(base, prefix, &name(route), &name(key), value, rest).map_err(Error::Js)
}

/// What a 2xx reply becomes in [`Call::exchange_then`] (its number is `src/js/fetch.js`'s).
pub enum Success {
    /// Whatever `settle` makes of it.
    Settle,
    /// Its body, as read.
    Body,
    /// Its JSON body reshaped by a field table.
    One(&'static [Field]),
    /// Each item of its JSON body (an array) reshaped by a field table.
    Each(&'static [Field]),
}

/// How to read a reply's body when its status is 2xx.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Read {
    /// Parsed as JSON.
    Json,
    /// As a string.
    Text,
    /// As a `Uint8Array`.
    Bytes,
    /// As a `Blob`.
    Blob,
    /// Drained and dropped.
    Nothing,
}

impl Read {
    /// The name `exchange` in `src/js/fetch.js` takes.
    fn name(self) -> &'static str {
        match self {
            Read::Json => "json",
            Read::Text => "text",
            Read::Bytes => "bytes",
            Read::Blob => "blob",
            Read::Nothing => "none",
        }
    }
}

/// A reply read whole.
pub struct Exchange {
    /// The reply (its status and headers; its body is read).
    pub response: Response,
    /// The body: as `Read` asked for a 2xx status, else the text (empty when unreadable).
    pub body: JsValue,
}

impl Exchange {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.response.status()
    }

    /// True for a 2xx status.
    pub fn ok(&self) -> bool {
        self.response.ok()
    }

    /// The body as text (a failed reply's, or one read with [`Read::Text`]).
    pub fn text(&self) -> String {
        self.body.as_string().unwrap_or_default()
    }
}

/// A reply: its status and headers read through gloo-net, its body through the platform's
/// `Response` (gloo-net's body readers would replace the platform's errors with its own).
pub struct Response {
    raw: web_sys::Response,
    head: gloo_net::http::Response,
}

impl From<web_sys::Response> for Response {
    fn from(raw: web_sys::Response) -> Self {
        Self { head: gloo_net::http::Response::from(Clone::clone(&raw)), raw }
    }
}

/// The platform's `Response`, for reading bodies (the status and headers are read through gloo-net).
impl std::ops::Deref for Response {
    type Target = web_sys::Response;
    fn deref(&self) -> &web_sys::Response {
        &self.raw
    }
}

impl Response {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.head.status()
    }
    /// True for a 2xx status.
    pub fn ok(&self) -> bool {
        self.head.ok()
    }
    /// The status text.
    pub fn status_text(&self) -> String {
        self.head.status_text()
    }
    /// A header, if present.
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.headers().get(name)
    }
}

/// Calls `logger[level](message)` when the user gave a logger with that method; the message is
/// `parts` joined.
fn log(logger: &Option<JsValue>, level: &str, parts: &[&str]) {
    let Some(logger) = logger else { return };
    if let Ok(f) = Reflect::get(logger, &level.into()).and_then(|f| f.dyn_into::<Function>()) {
        let _ = f.call1(logger, &parts.concat().into());
    }
}
