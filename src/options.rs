//! Reading the option objects users pass (`{ apiKey, requestTimeoutMs, signal, … }`).

use std::collections::BTreeMap;

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::transport::js::{get, get_text, name, names};

#[wasm_bindgen(module = "/src/js/object.js")]
extern "C" {
    /// Which of `keys` `obj` holds, one bit each (see `src/js/object.js`).
    fn present(obj: &JsValue, keys: &JsValue) -> u32;

    /// Where the string `obj[key]` is in `choices`: -1 when absent, -2 when another string.
    fn choose(obj: &JsValue, key: &JsValue, choices: &JsValue) -> i32;
}

/// The options most calls read, probed in one call when an option object is wrapped: each read of
/// an absent one would otherwise cross into JavaScript (a small call reads about ten).
#[rustfmt::skip]
const PROBED: [&str; 32] = [
    "apiUrl", "apiKey", "domain", "debug", "token", "headers", "apiHeaders", "logger", "requestTimeoutMs",
    "signal", "proxy", "format", "streamIdleTimeoutMs", "uid", "gid", "mode", "force", "depth", "user",
    "timeoutMs", "envs", "cwd", "metadata", "template", "sandboxUrl", "sandboxDomain", "envdAccessToken",
    "gzip", "useOctetStream", "allowInternetAccess", "mcp", "background",
];

/// A user's option object; `undefined` and `null` read as empty.
#[derive(Clone, Default)]
pub struct Options {
    value: Option<JsValue>,
    /// Which [`PROBED`] options the object holds, one bit each.
    held: u32,
}

impl Options {
    /// Wraps an optional JS value.
    pub fn new(value: Option<JsValue>) -> Self {
        let value = value.filter(|v| v.is_object());
        let held = value.as_ref().map_or(0, |v| present(v, &names(&PROBED)));
        Self { value, held }
    }

    /// The raw value of `key`, skipping `undefined` and `null`.
    pub fn get(&self, key: &'static str) -> Option<JsValue> {
        let value = self.value.as_ref()?;
        if self.probed_absent(key) {
            return None;
        }
        Some(get(value, key)).filter(|v| !v.is_undefined() && !v.is_null())
    }

    /// True when the probe found `key` absent (so it need not be read).
    fn probed_absent(&self, key: &str) -> bool {
        PROBED.iter().position(|probed| *probed == key).is_some_and(|bit| self.held & (1 << bit) == 0)
    }

    /// A string option; empty strings count as absent, as in the official SDK's `||` defaults.
    pub fn string(&self, key: &'static str) -> Option<String> {
        self.string_value(key).and_then(|v| v.as_string())
    }

    /// [`Options::string`] as the JS string it is, copied nowhere.
    pub fn string_value(&self, key: &'static str) -> Option<JsValue> {
        let value = self.value.as_ref()?;
        if self.probed_absent(key) {
            return None;
        }
        get_text(value, key)
    }

    /// Which of `choices` the string option `key` is, in one call and with no string copied:
    /// `Ok(None)` when absent or empty, `Err(value)` for another string.
    pub fn choice(
        &self,
        key: &'static str,
        choices: &'static [&'static str],
    ) -> std::result::Result<Option<usize>, String> {
        let Some(value) = self.value.as_ref() else { return Ok(None) };
        if self.probed_absent(key) {
            return Ok(None);
        }
        match choose(value, &name(key), &names(choices)) {
            -1 => Ok(None),
            -2 => Err(self.string(key).unwrap_or_default()),
            at => Ok(Some(at as usize)),
        }
    }

    /// A numeric option.
    pub fn number(&self, key: &'static str) -> Option<f64> {
        self.get(key).and_then(|v| v.as_f64())
    }

    /// A boolean option.
    pub fn boolean(&self, key: &'static str) -> Option<bool> {
        self.get(key).and_then(|v| v.as_bool())
    }

    /// An option sent verbatim as a query parameter (numbers and booleans as JS prints them).
    pub fn query_value(&self, key: &'static str) -> Option<String> {
        let v = self.get(key)?;
        if let Some(s) = v.as_string() {
            Some(s)
        } else if v.as_f64().is_some() {
            // JS's own number printing: no float formatting code in the wasm.
            js_sys::Number::from(v).to_string_with_radix(10).ok().map(String::from)
        } else if let Some(b) = v.as_bool() {
            Some(b.to_string())
        } else {
            js_sys::JSON::stringify(&v).ok().map(String::from)
        }
    }

    /// A plain object of strings (`envs`, `metadata`); other values are skipped.
    pub fn string_map(&self, key: &'static str) -> Option<BTreeMap<String, String>> {
        let value = self.get(key)?;
        let mut map = BTreeMap::new();
        for entry in Object::entries(value.unchecked_ref()).iter() {
            let pair: Array = entry.unchecked_into();
            if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                map.insert(k, v);
            }
        }
        Some(map)
    }

    /// The `signal` option, if it is an `AbortSignal`.
    pub fn signal(&self) -> Option<web_sys::AbortSignal> {
        self.get("signal").and_then(|v| v.dyn_into().ok())
    }
}
