//! One HTTP exchange: a request built with gloo-net, sent through the platform's `fetch` (so that its
//! errors — `TypeError`, the user's abort reason — reach the caller untouched), its reply read through
//! gloo-net's `Response` (status, headers) and the platform's (bodies), under a deadline kept in
//! JavaScript (`src/js/fetch.js`): the request timeout and the user's `AbortSignal`.

use gloo_net::http::{Request, RequestBuilder};
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestInit, RequestRedirect};

use crate::errors::{Error, Result, Timeout};
use crate::transport::idle::guard_idle;

#[wasm_bindgen(module = "/src/js/fetch.js")]
extern "C" {
    /// The deadline of one exchange (see `src/js/fetch.js`).
    pub type Timer;
    #[wasm_bindgen(constructor)]
    fn new(timeout_ms: f64, user: Option<&AbortSignal>) -> Timer;
    #[wasm_bindgen(method, getter)]
    fn signal(this: &Timer) -> AbortSignal;
    #[wasm_bindgen(method, getter, js_name = timedOut)]
    fn timed_out(this: &Timer) -> bool;
    #[wasm_bindgen(method, js_name = clearTimeout)]
    fn clear_timeout(this: &Timer);
    #[wasm_bindgen(method)]
    fn dispose(this: &Timer);
}

#[wasm_bindgen]
extern "C" {
    /// The global `fetch` of Node 18+ and browsers, with a `Request`.
    #[wasm_bindgen(js_name = fetch)]
    fn fetch_request(request: &web_sys::Request) -> Promise;
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
    /// Full URL.
    pub url: String,
    /// Request headers.
    pub headers: Vec<(&'static str, String)>,
    /// Request body, as `fetch` takes it.
    pub body: Option<JsValue>,
    /// Set for a streamed request body: Node needs `duplex: 'half'`, and such a body is never
    /// followed through a redirect (which would make Node keep every chunk to replay it).
    pub streamed_body: bool,
    /// The user's logger.
    pub logger: Option<JsValue>,
    /// The user's `headers` option (a plain object of strings), added last.
    pub extra_headers: Option<JsValue>,
}

impl Call {
    /// A request with no headers or body yet.
    pub fn new(method: &'static str, url: String) -> Self {
        Self { method, url, headers: Vec::new(), body: None, streamed_body: false, logger: None, extra_headers: None }
    }

    /// The request as the platform's `Request`, tied to `signal`.
    fn build(&self, signal: &AbortSignal) -> Result<web_sys::Request> {
        if self.streamed_body {
            // gloo-net's builder cannot ask for `duplex: 'half'`; the request is built here and wrapped.
            let init = RequestInit::new();
            init.set_method(self.method);
            init.set_signal(Some(signal));
            init.set_redirect(RequestRedirect::Error);
            Reflect::set(&init, &"duplex".into(), &"half".into())?;
            if let Some(body) = &self.body {
                init.set_body(body);
            }
            let raw = web_sys::Request::new_with_str_and_init(&self.url, &init)?;
            let headers = raw.headers();
            for (k, v) in &self.headers {
                headers.set(k, v)?;
            }
            set_user_headers(&headers, self.extra_headers.as_ref())?;
            return Ok(Request::from(raw).into());
        }
        let mut builder = RequestBuilder::new(&self.url).method(method(self.method)).abort_signal(Some(signal));
        for (k, v) in &self.headers {
            builder = builder.header(k, v);
        }
        if let Some(extra) = &self.extra_headers {
            for (k, v) in user_header_pairs(extra) {
                builder = builder.header(&k, &v);
            }
        }
        let request = match &self.body {
            Some(body) => builder.body(body.clone()),
            None => builder.build(),
        };
        request.map(Into::into).map_err(|e| Error::Plain(e.to_string()))
    }

    /// Sends the request; resolves once the response headers arrive.
    pub async fn send(self, deadline: &Deadline) -> Result<(Response, InFlight)> {
        let flight = InFlight { timer: Timer::new(deadline.timeout_ms, deadline.signal.as_ref()) };
        let request = self.build(&flight.timer.signal())?;
        log(&self.logger, "info", &["Request ", self.method, " ", &self.url]);
        let raw = match flight.wait(fetch_request(&request)).await {
            Ok(r) => r.unchecked_into::<web_sys::Response>(),
            Err(e) => {
                log(&self.logger, "error", &["Request ", self.method, " ", &self.url, " failed"]);
                return Err(e);
            }
        };
        let response = Response::from(raw);
        let level = if response.ok() { "info" } else { "error" };
        let status = response.status().to_string();
        log(&self.logger, level, &["Response ", &status, " ", self.method, " ", &self.url]);
        Ok((response, flight))
    }
}

/// gloo-net's name for an HTTP method.
fn method(name: &str) -> gloo_net::http::Method {
    use gloo_net::http::Method;
    match name {
        "POST" => Method::POST,
        "PUT" => Method::PUT,
        "PATCH" => Method::PATCH,
        "DELETE" => Method::DELETE,
        "HEAD" => Method::HEAD,
        _ => Method::GET,
    }
}

/// The `(name, value)` pairs of a user's `headers` option (string values only).
fn user_header_pairs(extra: &JsValue) -> Vec<(String, String)> {
    js_sys::Object::entries(extra.unchecked_ref())
        .iter()
        .filter_map(|entry| {
            let pair: js_sys::Array = entry.unchecked_into();
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

fn set_user_headers(headers: &web_sys::Headers, extra: Option<&JsValue>) -> Result<()> {
    for (k, v) in extra.map(user_header_pairs).unwrap_or_default() {
        headers.set(&k, &v)?;
    }
    Ok(())
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
