//! One HTTP call through the platform's `fetch`: headers, timeout, user `AbortSignal`, logging.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, Headers, RequestInit, Response};

use crate::errors;

#[wasm_bindgen(module = "/src/js/streams.js")]
extern "C" {
    /// `body` piped through an idle guard (see streams.js).
    #[wasm_bindgen(js_name = guardIdle)]
    fn guard_idle(body: &JsValue, idle_ms: f64, make_error: &JsValue, on_idle: &JsValue) -> JsValue;
}

#[wasm_bindgen]
extern "C" {
    /// The global `fetch` of Node 18+ and browsers.
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(input: &str, init: &RequestInit) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// Metadata headers every API call carries, as the official SDK sends them.
pub fn metadata_headers(headers: &Headers) -> Result<(), JsValue> {
    headers.set("lang", "js")?;
    headers.set("lang_version", &crate::env::runtime_version())?;
    headers.set("package_version", env!("CARGO_PKG_VERSION"))?;
    headers.set("publisher", "e2b-wasm")?;
    headers.set("sdk_runtime", crate::env::runtime())?;
    Ok(())
}

/// Copies a user's `headers` option (a plain object of strings) onto `headers`.
pub fn user_headers(headers: &Headers, extra: Option<&JsValue>) -> Result<(), JsValue> {
    let Some(extra) = extra else { return Ok(()) };
    for entry in js_sys::Object::entries(extra.unchecked_ref()).iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
            headers.set(&k, &v)?;
        }
    }
    Ok(())
}

/// How long a call may take, and who may cancel it.
pub struct Deadline {
    /// Milliseconds until the call is aborted with a `TimeoutError`; 0 means none.
    pub timeout_ms: f64,
    /// The user's signal; aborting it aborts the call with the signal's reason.
    pub signal: Option<AbortSignal>,
}

/// A call being made: the timer and signal link live until it is dropped.
pub struct InFlight {
    controller: AbortController,
    timer: Option<JsValue>,
    timed_out: Rc<Cell<bool>>,
    _on_timeout: Option<Closure<dyn FnMut()>>,
    unlink: Option<(AbortSignal, Closure<dyn FnMut()>)>,
}

impl InFlight {
    fn start(deadline: &Deadline) -> Result<Self, JsValue> {
        let controller = AbortController::new()?;
        let timed_out = Rc::new(Cell::new(false));
        let (timer, on_timeout) = if deadline.timeout_ms > 0.0 {
            let (c, flag) = (controller.clone(), timed_out.clone());
            let cb = Closure::<dyn FnMut()>::new(move || {
                flag.set(true);
                c.abort();
            });
            (Some(set_timeout(cb.as_ref().unchecked_ref(), deadline.timeout_ms)), Some(cb))
        } else {
            (None, None)
        };
        let mut unlink = None;
        if let Some(signal) = &deadline.signal {
            if signal.aborted() {
                controller.abort_with_reason(&signal.reason());
            } else {
                let (c, s) = (controller.clone(), signal.clone());
                let cb = Closure::<dyn FnMut()>::new(move || c.abort_with_reason(&s.reason()));
                signal.add_event_listener_with_callback("abort", cb.as_ref().unchecked_ref())?;
                unlink = Some((signal.clone(), cb));
            }
        }
        Ok(Self { controller, timer, timed_out, _on_timeout: on_timeout, unlink })
    }

    /// Stops the timeout (for streams: the timeout bounds only the wait for headers).
    pub fn clear_timeout(&mut self) {
        if let Some(timer) = self.timer.take() {
            clear_timeout(&timer);
        }
    }

    /// Keeps the user's signal able to cancel a body that outlives this call (a returned stream).
    pub fn keep_signal_linked(mut self) {
        self.clear_timeout();
        if let Some((_, cb)) = self.unlink.take() {
            cb.forget(); // runs at most once, on abort; the signal owns it from here
        }
    }

    /// Hands back a response body that errors with `TimeoutError` and cancels the call when no chunk
    /// arrives for `idle_ms` (0: never); the user's signal still cancels it.
    pub fn guard_idle_body(mut self, body: JsValue, idle_ms: f64) -> Result<JsValue, JsValue> {
        self.clear_timeout();
        if idle_ms <= 0.0 || body.is_null() {
            self.keep_signal_linked();
            return Ok(body);
        }
        let make_error = Closure::<dyn FnMut() -> JsValue>::new(|| {
            errors::timeout("Stream was idle for longer than 'streamIdleTimeoutMs' and was cancelled")
        });
        let controller = self.controller.clone();
        let on_idle = Closure::<dyn FnMut()>::new(move || controller.abort());
        let guarded = guard_idle(&body, idle_ms, &make_error.into_js_value(), &on_idle.into_js_value());
        self.keep_signal_linked();
        Ok(guarded)
    }

    /// Turns a rejection of this call into the error users expect.
    pub fn map_error(&self, err: JsValue) -> JsValue {
        if self.timed_out.get() {
            errors::timeout("Request timed out — the 'requestTimeoutMs' option can be used to increase this timeout")
        } else {
            err
        }
    }

    /// Awaits a promise tied to this call (fetch or body reading), mapping a timeout.
    pub async fn wait(&self, promise: Promise) -> Result<JsValue, JsValue> {
        JsFuture::from(promise).await.map_err(|e| self.map_error(e))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.clear_timeout();
        if let Some((signal, cb)) = self.unlink.take() {
            let _ = signal.remove_event_listener_with_callback("abort", cb.as_ref().unchecked_ref());
        }
    }
}

/// A request ready to send.
pub struct Call {
    pub method: &'static str,
    pub url: String,
    pub headers: Headers,
    pub body: Option<JsValue>,
    /// Set for streamed request bodies (Node requires `duplex: 'half'`).
    pub streamed_body: bool,
    pub logger: Option<JsValue>,
}

impl Call {
    /// Sends the request; resolves once the response headers arrive.
    pub async fn send(self, deadline: &Deadline) -> Result<(Response, InFlight), JsValue> {
        let flight = InFlight::start(deadline)?;
        let init = RequestInit::new();
        init.set_method(self.method);
        init.set_headers(&self.headers);
        init.set_signal(Some(&flight.controller.signal()));
        if let Some(body) = &self.body {
            init.set_body(body);
        }
        if self.streamed_body {
            Reflect::set(&init, &"duplex".into(), &"half".into())?;
        }
        log(&self.logger, "info", &format!("Request {} {}", self.method, self.url));
        let response: Response = match flight.wait(global_fetch(&self.url, &init)?).await {
            Ok(r) => r.unchecked_into(),
            Err(e) => {
                log(&self.logger, "error", &format!("Request {} {} failed", self.method, self.url));
                return Err(e);
            }
        };
        let level = if response.ok() { "info" } else { "error" };
        log(&self.logger, level, &format!("Response {} {} {}", response.status(), self.method, self.url));
        Ok((response, flight))
    }
}

/// Calls `logger[level](message)` when the user gave a logger with that method.
fn log(logger: &Option<JsValue>, level: &str, message: &str) {
    let Some(logger) = logger else { return };
    if let Ok(f) = Reflect::get(logger, &level.into()).and_then(|f| f.dyn_into::<Function>()) {
        let _ = f.call1(logger, &message.into());
    }
}

/// Runs a future as a JS promise; boxed so that one copy of the promise glue serves every method.
pub fn promise(f: impl std::future::Future<Output = Result<JsValue, JsValue>> + 'static) -> Promise {
    let boxed: std::pin::Pin<Box<dyn std::future::Future<Output = Result<JsValue, JsValue>>>> = Box::pin(f);
    wasm_bindgen_futures::future_to_promise(boxed)
}

/// Sends a control-plane request (`X-API-KEY`, metadata headers, JSON body).
pub async fn api_call(
    cfg: &crate::config::ApiConfig,
    method: &'static str,
    path: &str,
    body: Option<String>,
) -> Result<(Response, InFlight), JsValue> {
    let key = cfg.require_api_key()?;
    let headers = Headers::new()?;
    metadata_headers(&headers)?;
    headers.set("X-API-KEY", key)?;
    if crate::env::is_node() {
        headers.set("User-Agent", concat!("e2b-wasm/", env!("CARGO_PKG_VERSION")))?;
    }
    if body.is_some() {
        headers.set("Content-Type", "application/json")?;
    }
    user_headers(&headers, cfg.headers.as_ref())?;
    let call = Call {
        method,
        url: format!("{}{path}", cfg.api_url),
        headers,
        body: body.map(JsValue::from),
        streamed_body: false,
        logger: cfg.logger.clone(),
    };
    call.send(&cfg.deadline).await
}

/// A failed reply: the numeric `code` of its JSON body, if any (the SDKs key sandbox 404/409 on it),
/// and its message: `body.message`, else the raw body, else the status text.
pub async fn failure(response: &Response, flight: &InFlight) -> (Option<i64>, String) {
    let text = match response.text() {
        Ok(p) => flight.wait(p).await.ok().and_then(|t| t.as_string()).unwrap_or_default(),
        Err(_) => String::new(),
    };
    let json = js_sys::JSON::parse(&text).ok().filter(|v| v.is_object()).unwrap_or(JsValue::UNDEFINED);
    let code = crate::js::get(&json, "code").as_f64().map(|c| c as i64);
    let message = crate::js::get(&json, "message").as_string().filter(|m| !m.is_empty());
    (code, message.unwrap_or(if text.is_empty() { response.status_text() } else { text }))
}

/// The message of a failed reply (see [`failure`]).
pub async fn error_message(response: &Response, flight: &InFlight) -> String {
    failure(response, flight).await.1
}

/// How a caller wants a file's body: the `format` option of `readFile` and `files.read`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    Text,
    Bytes,
    Blob,
    Stream,
}

impl BodyFormat {
    /// The `format` option (default `text`); anything else is an `InvalidArgumentError`.
    pub fn from_opts(opts: &crate::options::Options) -> Result<Self, JsValue> {
        match opts.string("format").as_deref() {
            None | Some("text") => Ok(Self::Text),
            Some("bytes") => Ok(Self::Bytes),
            Some("blob") => Ok(Self::Blob),
            Some("stream") => Ok(Self::Stream),
            Some(other) => Err(errors::invalid_argument(&format!(
                "Unsupported format '{other}': use 'text', 'bytes', 'blob' or 'stream'"
            ))),
        }
    }
}

/// A successful file response's body in `format`; a stream is guarded by `idle_ms` (0: no guard).
/// File bytes stay JS values: they never enter wasm memory.
pub async fn read_body(
    response: &Response,
    flight: InFlight,
    format: BodyFormat,
    idle_ms: f64,
) -> Result<JsValue, JsValue> {
    match format {
        BodyFormat::Stream => {
            let body = match response.body() {
                Some(b) => b.into(),
                None => Response::new()?.body().map(JsValue::from).unwrap_or(JsValue::NULL),
            };
            // The timeout bounded the wait for headers; from here on, the idle timeout and the
            // user's signal guard the body.
            flight.guard_idle_body(body, idle_ms)
        }
        BodyFormat::Bytes => Ok(js_sys::Uint8Array::new(&flight.wait(response.array_buffer()?).await?).into()),
        BodyFormat::Blob => flight.wait(response.blob()?).await,
        BodyFormat::Text => flight.wait(response.text()?).await,
    }
}

/// Reads a JSON response body as a JS value.
pub async fn json(response: &Response, flight: &InFlight) -> Result<JsValue, JsValue> {
    flight.wait(response.json()?).await
}

/// Appends `?k=v&…` to `url`, percent-encoding like the official SDK (absent values skipped).
pub fn with_query(url: &str, params: &[(&str, Option<String>)]) -> String {
    let mut out = url.to_string();
    let mut sep = '?';
    for (k, v) in params {
        if let Some(v) = v {
            out.push(sep);
            out.push_str(k);
            out.push('=');
            out.push_str(&String::from(js_sys::encode_uri_component(v)));
            sep = '&';
        }
    }
    out
}
