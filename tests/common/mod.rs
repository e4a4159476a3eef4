//! What the wasm-bindgen suites share: the options that point the SDK at the e2b-local the test
//! command started (its URL and key are compiled in from E2B_TEST_API_URL and E2B_TEST_API_KEY),
//! and small readers of JS values.
#![allow(dead_code)] // each suite uses a part

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// A plain object of `fields`.
pub fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in fields {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

/// Options that reach the test's e2b-local (API and sandboxes), with `extra` added.
// `option_env!` rather than `env!`, so that the suites compile (for tooling) without a server.
#[allow(clippy::option_env_unwrap)]
pub fn opts(extra: &[(&str, JsValue)]) -> JsValue {
    let url = option_env!("E2B_TEST_API_URL").expect("build with E2B_TEST_API_URL set to a running e2b-local");
    let key = option_env!("E2B_TEST_API_KEY").expect("build with E2B_TEST_API_KEY");
    let base = [("apiUrl", url.into()), ("sandboxUrl", url.into()), ("apiKey", key.into())];
    object(&base.into_iter().chain(extra.iter().cloned()).collect::<Vec<_>>())
}

/// `v[key]`.
pub fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap()
}

/// `v[key]` as a string (empty if it is none).
pub fn text(v: &JsValue, key: &str) -> String {
    get(v, key).as_string().unwrap_or_default()
}

/// A name no other run uses.
pub fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", (js_sys::Math::random() * 1e12) as u64)
}

/// Awaits a promise.
pub async fn wait(p: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(p).await
}

/// The `name` of a thrown error (its class).
pub fn error_name(e: &JsValue) -> String {
    text(e, "name")
}
