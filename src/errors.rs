//! The SDK's JS error classes, and the mapping from HTTP failures to them.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/errors.js")]
extern "C" {
    #[wasm_bindgen(extends = js_sys::Error)]
    type TimeoutError;
    #[wasm_bindgen(constructor)]
    fn new(message: &str) -> TimeoutError;

    #[wasm_bindgen(extends = js_sys::Error)]
    type InvalidArgumentError;
    #[wasm_bindgen(constructor)]
    fn new(message: &str) -> InvalidArgumentError;

    #[wasm_bindgen(extends = js_sys::Error)]
    type RateLimitError;
    #[wasm_bindgen(constructor)]
    fn new(message: &str) -> RateLimitError;

    #[wasm_bindgen(extends = js_sys::Error)]
    type AuthenticationError;
    #[wasm_bindgen(constructor)]
    fn new(message: &str) -> AuthenticationError;

    #[wasm_bindgen(extends = js_sys::Error)]
    type ServiceBusyError;
    #[wasm_bindgen(constructor)]
    fn new(message: &str) -> ServiceBusyError;

    #[wasm_bindgen(extends = js_sys::Error)]
    type VolumeError;
    #[wasm_bindgen(constructor)]
    fn new(message: &str) -> VolumeError;

    #[wasm_bindgen(extends = js_sys::Error)]
    type VolumeNotFoundError;
    #[wasm_bindgen(constructor)]
    fn new(message: &str) -> VolumeNotFoundError;

    #[wasm_bindgen(extends = js_sys::Error)]
    type VolumePathNotFoundError;
    #[wasm_bindgen(constructor)]
    fn new(message: &str) -> VolumePathNotFoundError;
}

/// Which error family a failed call belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Volume calls raise `VolumeError`s.
    Volume,
}

/// A `TimeoutError` with `message`.
pub fn timeout(message: &str) -> JsValue {
    TimeoutError::new(message).into()
}

/// An `InvalidArgumentError` with `message`.
pub fn invalid_argument(message: &str) -> JsValue {
    InvalidArgumentError::new(message).into()
}

/// An `AuthenticationError` with `message`.
pub fn authentication(message: &str) -> JsValue {
    AuthenticationError::new(message).into()
}

/// A `VolumeNotFoundError` for volume `id`.
pub fn volume_not_found(id: &str) -> JsValue {
    VolumeNotFoundError::new(&format!("Volume {id} not found")).into()
}

/// A `VolumePathNotFoundError` for `path`.
pub fn volume_path_not_found(path: &str) -> JsValue {
    VolumePathNotFoundError::new(&format!("Path {path} not found")).into()
}

/// Maps a non-2xx status and the server's message to the error users of the official SDK expect.
pub fn from_status(status: u16, message: &str, family: Family) -> JsValue {
    let with = |prefix: &str| if message.is_empty() { prefix.to_string() } else { format!("{prefix} - {message}") };
    match status {
        401 => AuthenticationError::new(&with("Unauthorized, please check your credentials.")).into(),
        429 => RateLimitError::new(&with("Rate limit exceeded, please try again later")).into(),
        503 => ServiceBusyError::new(&with("Service temporarily unavailable, please retry")).into(),
        _ => {
            let text = format!("{status}: {message}");
            match family {
                Family::Volume => VolumeError::new(&text).into(),
            }
        }
    }
}
