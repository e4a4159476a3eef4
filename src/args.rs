//! The positional arguments users pass, checked before use: a wrong type is an
//! `InvalidArgumentError`, never a value that wasm-bindgen's string conversion (which checks
//! nothing) would turn into garbage.

use wasm_bindgen::JsValue;

use crate::errors::{Error, Result};

/// `value` as a string; `name` names the argument in the error.
pub fn text(value: &JsValue, name: &str) -> Result<String> {
    value.as_string().ok_or_else(|| not_text(name))
}

/// Fails unless `value` is a string, which is then left in JavaScript, not copied.
pub fn ensure_text(value: &JsValue, name: &str) -> Result<()> {
    if value.is_string() {
        Ok(())
    } else {
        Err(not_text(name))
    }
}

fn not_text(name: &str) -> Error {
    Error::InvalidArgument([name, " must be a string"].concat())
}

/// `value` as a string, or `None` when it is absent (`undefined` or `null`).
pub fn optional_text(value: Option<JsValue>, name: &str) -> Result<Option<String>> {
    value.map(|v| text(&v, name)).transpose()
}
