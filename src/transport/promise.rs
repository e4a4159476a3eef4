//! The promise adapter: every async method's future becomes a JS promise here, its error a JS error.

use std::future::Future;
use std::pin::Pin;

use js_sys::Promise;
use wasm_bindgen::JsValue;

use crate::errors::Result;

/// Runs a future as a JS promise.
pub fn promise(f: impl Future<Output = Result<JsValue>> + 'static) -> Promise {
    run(Box::pin(f))
}

/// Not generic, so that one copy of the promise glue (and of the error conversion) serves every method.
fn run(f: Pin<Box<dyn Future<Output = Result<JsValue>>>>) -> Promise {
    wasm_bindgen_futures::future_to_promise(async move { f.await.map_err(JsValue::from) })
}
