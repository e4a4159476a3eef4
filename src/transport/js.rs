//! Small helpers for reading and writing fields of plain JS objects (`src/js/object.js`).

use std::cell::RefCell;
use std::thread::LocalKey;

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

    /// `obj[key]` when it is a non-empty string, else `undefined` (nothing is copied).
    #[wasm_bindgen(js_name = text)]
    fn text_field(obj: &JsValue, key: &JsValue) -> Option<JsValue>;

    /// Copies the fields of a JS field table from `reply` onto `into` (see `transport::reply`).
    #[wasm_bindgen(js_name = reshape)]
    pub fn reshape_fields(reply: &JsValue, table: &JsValue, into: &Object);

    /// Each item of an array reshaped by a JS field table into a new object (none for a non-array).
    #[wasm_bindgen(js_name = reshapeEach)]
    pub fn reshape_each(items: &JsValue, table: &JsValue) -> js_sys::Array;
}

/// JS values made once from static Rust data, by the data's address and length.
pub type MadeOnce = RefCell<Vec<((usize, usize), JsValue)>>;

thread_local! {
    /// The JS strings of the names made so far.
    static NAMES: MadeOnce = const { RefCell::new(Vec::new()) };
    /// The JS arrays of the name lists made so far.
    static LISTS: MadeOnce = const { RefCell::new(Vec::new()) };
}

/// What `cache` holds for the static data at `at` (address and length), made by `make` the first
/// time it is asked for.
pub fn made_once(cache: &'static LocalKey<MadeOnce>, at: (usize, usize), make: impl FnOnce() -> JsValue) -> JsValue {
    cache.with(|made| {
        if let Some((_, js)) = made.borrow().iter().find(|(key, _)| *key == at) {
            return js.clone();
        }
        let js = make();
        made.borrow_mut().push((at, js.clone()));
        js
    })
}

/// `list` as a JS array of strings, made once.
pub fn names(list: &'static [&'static str]) -> JsValue {
    made_once(&LISTS, (list.as_ptr() as usize, list.len()), || {
        list.iter().copied().map(name).collect::<js_sys::Array>().into()
    })
}

/// `name` as a JS string, made once. A string made afresh at each call is decoded from the wasm's
/// memory and, as a property key, hashed and looked up again each time: a few microseconds per
/// read, a dozen reads per call (options, environment, headers).
pub fn name(name: &'static str) -> JsValue {
    made_once(&NAMES, (name.as_ptr() as usize, name.len()), || JsValue::from_str(name))
}

/// `obj[key] = value` (a failure, on a frozen object, is ignored).
pub fn set(obj: &Object, key: &'static str, value: &JsValue) {
    set_field(obj, &name(key), value)
}

/// `value[key]`, or `undefined` when it cannot be read (also on `undefined` and `null`).
pub fn get(value: &JsValue, key: &'static str) -> JsValue {
    get_field(value, &name(key))
}

/// `value[key]` when it is a non-empty string, as the JS string it is (no copy into the wasm).
pub fn get_text(value: &JsValue, key: &'static str) -> Option<JsValue> {
    text_field(value, &name(key))
}

/// `obj[key] = value` for a key made at run time.
pub fn set_dynamic(obj: &Object, key: &str, value: &JsValue) {
    set_field(obj, &JsValue::from_str(key), value)
}

/// True for a ReadableStream (anything with a `getReader` method, as the official SDK checks).
pub fn is_readable_stream(value: &JsValue) -> bool {
    value.is_object() && get(value, "getReader").is_function()
}
