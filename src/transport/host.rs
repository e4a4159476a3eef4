//! What the SDK reads from its host: environment variables under Node, and which runtime it runs in.

use wasm_bindgen::prelude::*;

use crate::transport::js::get;

fn process() -> JsValue {
    get(&js_sys::global(), "process")
}

/// A non-empty `process.env[name]`, or `None` (always `None` in browsers).
pub fn var(name: &str) -> Option<String> {
    get(&get(&process(), "env"), name).as_string().filter(|v| !v.is_empty())
}

/// True under Node.js (and runtimes that mimic its `process.versions.node`).
pub fn is_node() -> bool {
    get(&get(&process(), "versions"), "node").is_string()
}

/// The runtime's name, as sent in the `sdk_runtime` header.
pub fn runtime() -> &'static str {
    if is_node() {
        "node"
    } else if !get(&js_sys::global(), "window").is_undefined() {
        "browser"
    } else {
        "unknown"
    }
}

/// The runtime's version (Node's version without the `v`), or `unknown`.
pub fn runtime_version() -> String {
    get(&get(&process(), "versions"), "node").as_string().unwrap_or_else(|| "unknown".into())
}
