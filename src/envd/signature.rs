//! Signatures of signed `/files` URLs, made as envd checks them: `v1_` and the unpadded base64 of
//! the SHA-256 of `wire::envd::signature_payload` (hashed by the platform's Web Crypto).

use e2b_wire::envd::{signature_payload, FileOperation, SIGNATURE_PREFIX};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::errors::Result;

#[wasm_bindgen(module = "/src/js/signature.js")]
extern "C" {
    /// Base64 of the SHA-256 of `text` (see `src/js/signature.js`).
    #[wasm_bindgen(js_name = sha256Base64)]
    fn sha256_base64(text: &str) -> js_sys::Promise;
}

/// The signature that lets `user` (`""`: the default one) do `operation` on `path` with a link,
/// until `expiration` (Unix seconds) if given; `token` is the sandbox's envd access token.
pub async fn sign(
    path: &str,
    operation: FileOperation,
    user: &str,
    token: &str,
    expiration: Option<i64>,
) -> Result<String> {
    let payload = signature_payload(path, operation, user, token, expiration);
    let hash = JsFuture::from(sha256_base64(&payload)).await?.as_string().unwrap_or_default();
    Ok([SIGNATURE_PREFIX, hash.trim_end_matches('=')].concat())
}
