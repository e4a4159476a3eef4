//! Binding of the stream idle guard (`src/js/streams.js`), which runs per chunk in JavaScript.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/streams.js")]
extern "C" {
    /// `body` piped through a guard that errors it with `make_error()` and calls `on_idle()` when no
    /// chunk arrives for `idle_ms`.
    #[wasm_bindgen(js_name = guardIdle)]
    pub fn guard_idle(body: &JsValue, idle_ms: f64, make_error: &JsValue, on_idle: &JsValue) -> JsValue;
}
