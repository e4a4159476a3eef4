//! Small helpers for reading and writing fields of plain JS objects (`src/js/object.js`).

use std::cell::RefCell;

use js_sys::Object;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/object.js")]
extern "C" {
    /// `obj[key] = value` (a failure, on a frozen object, is ignored).
    #[wasm_bindgen(js_name = set)]
    fn set_field(obj: &Object, key: &JsValue, value: &JsValue);

    /// `value[key]`, or `undefined` when it cannot be read (also on `undefined` and `null`).
    #[wasm_bindgen(js_name = get)]
    fn get_field(value: &JsValue, key: &JsValue) -> JsValue;

    /// Copies the fields of a JS field table from `reply` onto `into` (see `transport::reply`).
    #[wasm_bindgen(js_name = reshape)]
    pub fn reshape_fields(reply: &JsValue, table: &JsValue, into: &Object);

    /// Each item of an array reshaped by a JS field table into a new object (none for a non-array).
    #[wasm_bindgen(js_name = reshapeEach)]
    pub fn reshape_each(items: &JsValue, table: &JsValue) -> js_sys::Array;
}

thread_local! {
    /// The JS strings of the names made so far, by the address of their Rust text.
    static NAMES: RefCell<Vec<(usize, JsValue)>> = const { RefCell::new(Vec::new()) };
    /// The JS arrays of the name lists made so far, by the address of their Rust slice.
    static LISTS: RefCell<Vec<(usize, JsValue)>> = const { RefCell::new(Vec::new()) };
}

/// `list` as a JS array of strings, made once.
pub fn names(list: &'static [&'static str]) -> JsValue {
    let at = list.as_ptr() as usize;
    LISTS.with(|lists| {
        if let Some((_, js)) = lists.borrow().iter().find(|(p, _)| *p == at) {
            return js.clone();
        }
        let js: JsValue = list.iter().copied().map(name).collect::<js_sys::Array>().into();
        lists.borrow_mut().push((at, js.clone()));
        js
    })
}

/// `name` as a JS string, made once. A string made afresh at each call is decoded from the wasm's
/// memory and, as a property key, hashed and looked up again each time: a few microseconds per
/// read, a dozen reads per call (options, environment, headers).
pub fn name(name: &'static str) -> JsValue {
    let at = name.as_ptr() as usize;
    NAMES.with(|names| {
        if let Some((_, js)) = names.borrow().iter().find(|(p, _)| *p == at) {
            return js.clone();
        }
        let js = JsValue::from_str(name);
        names.borrow_mut().push((at, js.clone()));
        js
    })
}

/// `obj[key] = value` (a failure, on a frozen object, is ignored).
pub fn set(obj: &Object, key: &'static str, value: &JsValue) {
    set_field(obj, &name(key), value)
}

/// `value[key]`, or `undefined` when it cannot be read (also on `undefined` and `null`).
pub fn get(value: &JsValue, key: &'static str) -> JsValue {
    get_field(value, &name(key))
}

/// `obj[key] = value` for a key made at run time.
pub fn set_dynamic(obj: &Object, key: &str, value: &JsValue) {
    set_field(obj, &JsValue::from_str(key), value)
}

/// True for a ReadableStream (anything with a `getReader` method, as the official SDK checks).
pub fn is_readable_stream(value: &JsValue) -> bool {
    value.is_object() && get(value, "getReader").is_function()
}
