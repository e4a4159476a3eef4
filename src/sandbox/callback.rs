//! The caller's callbacks for streamed events (`onStdout`, `onStderr`, `onData`, `onEvent`): each
//! called in turn, and awaited when it returns a promise, as the official SDK does, so that a slow
//! callback holds the stream back instead of piling up calls.

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::errors::Result;

#[wasm_bindgen(module = "/src/js/streams.js")]
extern "C" {
    /// Calls `callback(value)`; what it returns to wait for, if anything (see `src/js/streams.js`).
    #[wasm_bindgen(catch, js_name = callAndWait)]
    fn call_and_wait(callback: Option<&Function>, value: &JsValue) -> std::result::Result<JsValue, JsValue>;
}

/// Calls `callback(value)` and waits for what it returns; a throw or a rejection is the error.
pub async fn call(callback: Option<&Function>, value: &JsValue) -> Result<()> {
    let out = call_and_wait(callback, value)?;
    if let Ok(pending) = out.dyn_into::<Promise>() {
        JsFuture::from(pending).await?;
    }
    Ok(())
}
