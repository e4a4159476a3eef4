//! One HTTP call through the platform's `fetch`: its timeout, the user's `AbortSignal`, and logging.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, Headers, RequestInit, Response};

use crate::errors::{Error, Result, Timeout};
use crate::transport::idle::guard_idle;

#[wasm_bindgen]
extern "C" {
    /// The global `fetch` of Node 18+ and browsers.
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(input: &str, init: &RequestInit) -> std::result::Result<Promise, JsValue>;
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
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
    fn start(deadline: &Deadline) -> Result<Self> {
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
    fn keep_signal_linked(mut self) {
        self.clear_timeout();
        if let Some((_, cb)) = self.unlink.take() {
            cb.forget(); // runs at most once, on abort; the signal owns it from here
        }
    }

    /// Hands back a response body that errors with `TimeoutError` and cancels the call when no chunk
    /// arrives for `idle_ms` (0: never); the user's signal still cancels it.
    pub fn guard_idle_body(mut self, body: JsValue, idle_ms: f64) -> JsValue {
        self.clear_timeout();
        if idle_ms <= 0.0 || body.is_null() {
            self.keep_signal_linked();
            return body;
        }
        let make_error = Closure::<dyn FnMut() -> JsValue>::new(|| JsValue::from(Error::Timeout(Timeout::StreamIdle)));
        let controller = self.controller.clone();
        let on_idle = Closure::<dyn FnMut()>::new(move || controller.abort());
        let guarded = guard_idle(&body, idle_ms, &make_error.into_js_value(), &on_idle.into_js_value());
        self.keep_signal_linked();
        guarded
    }

    /// Turns a rejection of this call into the error users expect.
    pub fn map_error(&self, err: JsValue) -> Error {
        if self.timed_out.get() {
            Error::Timeout(Timeout::Request)
        } else {
            Error::Js(err)
        }
    }

    /// Awaits a promise tied to this call (fetch or body reading), mapping a timeout.
    pub async fn wait(&self, promise: Promise) -> Result<JsValue> {
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
    /// HTTP method.
    pub method: &'static str,
    /// Full URL.
    pub url: String,
    /// Request headers.
    pub headers: Headers,
    /// Request body, as `fetch` takes it.
    pub body: Option<JsValue>,
    /// Set for streamed request bodies (Node requires `duplex: 'half'`).
    pub streamed_body: bool,
    /// The user's logger.
    pub logger: Option<JsValue>,
}

impl Call {
    /// Sends the request; resolves once the response headers arrive.
    pub async fn send(self, deadline: &Deadline) -> Result<(Response, InFlight)> {
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
