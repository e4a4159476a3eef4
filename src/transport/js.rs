//! Small helpers for reading and writing fields of plain JS objects (`src/js/object.js`).

use js_sys::Object;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/object.js")]
extern "C" {
    /// `obj[key] = value` (a failure, on a frozen object, is ignored).
    #[wasm_bindgen(js_name = set)]
    fn set_field(obj: &Object, key: &str, value: &JsValue);

    /// `value[key]`, or `undefined` when it cannot be read (also on `undefined` and `null`).
    #[wasm_bindgen(js_name = get)]
    fn get_field(value: &JsValue, key: &str) -> JsValue;

    /// Copies the fields of a JS field table from `reply` onto `into` (see `transport::reply`).
    #[wasm_bindgen(js_name = reshape)]
    pub fn reshape_fields(reply: &JsValue, table: &JsValue, into: &Object);
}

/// `obj[key] = value` (a failure, on a frozen object, is ignored).
pub fn set(obj: &Object, key: &str, value: &JsValue) {
    set_field(obj, key, value)
}

/// `value[key]`, or `undefined` when it cannot be read (also on `undefined` and `null`).
pub fn get(value: &JsValue, key: &str) -> JsValue {
    get_field(value, key)
}

/// True for a ReadableStream (anything with a `getReader` method, as the official SDK checks).
pub fn is_readable_stream(value: &JsValue) -> bool {
    value.is_object() && get(value, "getReader").is_function()
}
