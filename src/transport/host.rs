//! What the SDK reads from its host: environment variables under Node, and which runtime it runs in.

use std::cell::OnceCell;

use wasm_bindgen::prelude::*;

use crate::transport::js::{get, get_text};

thread_local! {
    /// `process.env` (`undefined` in browsers), looked up once: its values are read at each call.
    static ENV: OnceCell<JsValue> = const { OnceCell::new() };
    /// `process.versions.node`, looked up once.
    static NODE: OnceCell<JsValue> = const { OnceCell::new() };
    /// The runtime's name, found once.
    static RUNTIME: OnceCell<&'static str> = const { OnceCell::new() };
}

fn process() -> JsValue {
    get(&js_sys::global(), "process")
}

/// A non-empty `process.env[name]`, or `None` (always `None` in browsers).
pub fn var(name: &'static str) -> Option<String> {
    var_value(name).and_then(|v| v.as_string())
}

/// [`var`] as the JS string it is, copied nowhere.
pub fn var_value(name: &'static str) -> Option<JsValue> {
    ENV.with(|env| get_text(env.get_or_init(|| get(&process(), "env")), name))
}

fn node_version() -> JsValue {
    NODE.with(|node| node.get_or_init(|| get(&get(&process(), "versions"), "node")).clone())
}

/// True under Node.js (and runtimes that mimic its `process.versions.node`).
pub fn is_node() -> bool {
    node_version().is_string()
}

/// The runtime's name, as sent in the `sdk_runtime` header.
pub fn runtime() -> &'static str {
    RUNTIME.with(|runtime| {
        *runtime.get_or_init(|| {
            if is_node() {
                "node"
            } else if !get(&js_sys::global(), "window").is_undefined() {
                "browser"
            } else {
                "unknown"
            }
        })
    })
}

/// The runtime's version (Node's version without the `v`), or `unknown`.
pub fn runtime_version() -> String {
    node_version().as_string().unwrap_or_else(|| "unknown".into())
}
