//! Base64, as protobuf's JSON mapping carries bytes, through the platform's `btoa` and `atob`.

use wasm_bindgen::prelude::*;

use crate::errors::Result;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = btoa)]
    fn btoa(s: &str) -> String;
    #[wasm_bindgen(catch, js_name = atob)]
    fn atob(s: &str) -> std::result::Result<String, JsValue>;
}

/// Encodes bytes as base64.
pub fn encode(bytes: &[u8]) -> String {
    btoa(&bytes.iter().map(|&b| b as char).collect::<String>())
}

/// Decodes base64 to bytes.
pub fn decode(b64: &str) -> Result<Vec<u8>> {
    Ok(atob(b64)?.chars().map(|c| c as u8).collect())
}
