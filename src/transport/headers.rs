//! Headers every call carries: the SDK's metadata and user agent, and the user's own `headers` option.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Headers;

use crate::errors::Result;
use crate::transport::host;

/// Headers with the metadata every API call carries, as the official SDK sends them.
pub fn with_metadata() -> Result<Headers> {
    let headers = Headers::new()?;
    headers.set("lang", "js")?;
    headers.set("lang_version", &host::runtime_version())?;
    headers.set("package_version", env!("CARGO_PKG_VERSION"))?;
    headers.set("publisher", "e2b-wasm")?;
    headers.set("sdk_runtime", host::runtime())?;
    Ok(headers)
}

/// Names the SDK in `User-Agent` where the platform lets a request set it (Node).
pub fn user_agent(headers: &Headers) -> Result<()> {
    if host::is_node() {
        headers.set("User-Agent", concat!("e2b-wasm/", env!("CARGO_PKG_VERSION")))?;
    }
    Ok(())
}

/// Copies a user's `headers` option (a plain object of strings) onto `headers`.
pub fn user_headers(headers: &Headers, extra: Option<&JsValue>) -> Result<()> {
    let Some(extra) = extra else { return Ok(()) };
    for entry in js_sys::Object::entries(extra.unchecked_ref()).iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
            headers.set(&k, &v)?;
        }
    }
    Ok(())
}
