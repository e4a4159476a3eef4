//! Small helpers for reading and writing fields of plain JS objects.

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

/// `obj[key] = value` (a failure, on a frozen object, is ignored).
pub fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

/// `value[key]`, or `undefined` when it cannot be read (also on `undefined` and `null`).
pub fn get(value: &JsValue, key: &str) -> JsValue {
    if value.is_undefined() || value.is_null() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// True for a ReadableStream (anything with a `getReader` method, as the official SDK checks).
pub fn is_readable_stream(value: &JsValue) -> bool {
    value.is_object() && get(value, "getReader").is_function()
}
