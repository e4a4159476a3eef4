//! Binding of the stream idle guard (`src/js/streams.js`), which runs per chunk in JavaScript.

use wasm_bindgen::prelude::*;

use crate::transport::fetch::Timer;

#[wasm_bindgen(module = "/src/js/streams.js")]
extern "C" {
    /// `body` read through a guard that errors it with `error` and aborts `exchange` when no chunk
    /// arrives for `idle_ms`.
    #[wasm_bindgen(js_name = guardIdle)]
    pub fn guard_idle(body: &JsValue, idle_ms: f64, error: &JsValue, exchange: &Timer) -> JsValue;
}
