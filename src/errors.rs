//! The SDK's JS error classes, and the mapping from HTTP failures to them.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/errors.js")]
extern "C" {
    #[wasm_bindgen(extends = js_sys::Error)]
    type SandboxError;
    #[wasm_bindgen(constructor)]
    fn new(message: &str) -> SandboxError;
    #[wasm_bindgen(method, setter, js_name = statusCode)]
    fn set_status_code(this: &SandboxError, code: u16);

    #[wasm_bindgen(extends = js_sys::Error)]
    type NotFoundError;
    #[wasm_bindgen(constructor)]
    fn new(message: &str) -> NotFoundError;

    #[wasm_bindgen(extends = js_sys::Error)]
    type FileNotFoundError;
    #[wasm_bindgen(constructor)]
    fn new(message: &str) -> FileNotFoundError;

    #[wasm_bindgen(extends = js_sys::Error)]
    type SandboxNotFoundError;
    #[wasm_bindgen(constructor)]
    fn new(message: &str) -> SandboxNotFoundError;

    #[wasm_bindgen(extends = js_sys::Error)]
    type NotEnoughSpaceError;
    #[wasm_bindgen(constructor)]
    fn new(message: &str) -> NotEnoughSpaceError;

    #[wasm_bindgen(extends = js_sys::Error)]
    type TemplateError;
    #[wasm_bindgen(constructor)]
    fn new(message: &str) -> TemplateError;

    #[wasm_bindgen(extends = js_sys::Error)]
    type CommandExitError;
    #[wasm_bindgen(constructor)]
    fn new(result: &JsValue) -> CommandExitError;

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
    /// Sandbox calls raise `SandboxError`s (with `statusCode`).
    Sandbox,
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
                Family::Sandbox => sandbox(&text, Some(status)),
            }
        }
    }
}

/// A `SandboxError`, with the HTTP status when there was one.
pub fn sandbox(message: &str, status: Option<u16>) -> JsValue {
    let err = SandboxError::new(message);
    if let Some(s) = status {
        err.set_status_code(s);
    }
    err.into()
}

/// A `SandboxNotFoundError` with `message`.
pub fn sandbox_not_found(message: &str) -> JsValue {
    SandboxNotFoundError::new(message).into()
}

/// A `TemplateError` with `message`.
pub fn template(message: &str) -> JsValue {
    TemplateError::new(message).into()
}

/// A `CommandExitError` carrying `result` (`{exitCode, error, stdout, stderr}`).
pub fn command_exit(result: &JsValue) -> JsValue {
    CommandExitError::new(result).into()
}

/// Maps a failed envd REST call, as the official SDK does; `files` picks `FileNotFoundError` for 404.
pub fn from_envd_status(status: u16, message: &str, files: bool) -> JsValue {
    match status {
        400 => InvalidArgumentError::new(message).into(),
        401 => AuthenticationError::new(message).into(),
        404 if files => FileNotFoundError::new(message).into(),
        404 => NotFoundError::new(message).into(),
        429 => RateLimitError::new(&format!("{message}: The requests are being rate limited.")).into(),
        502 => TimeoutError::new(&format!(
            "{message}: This error is likely due to sandbox timeout. You can modify the sandbox timeout by passing 'timeoutMs' when starting the sandbox or calling '.setTimeout' on the sandbox with the desired timeout."
        ))
        .into(),
        507 => NotEnoughSpaceError::new(message).into(),
        _ => sandbox(&format!("{status}: {message}"), Some(status)),
    }
}

/// Maps a Connect error code, as the official SDK does; `files` picks `FileNotFoundError`.
pub fn from_connect(code: &str, message: &str, files: bool) -> JsValue {
    let text = format!("[{code}] {message}");
    match code {
        "invalid_argument" => InvalidArgumentError::new(&text).into(),
        "unauthenticated" => AuthenticationError::new(&text).into(),
        "not_found" if files => FileNotFoundError::new(&text).into(),
        "not_found" => NotFoundError::new(&text).into(),
        "resource_exhausted" => RateLimitError::new(&format!("{text}: The requests are being rate limited.")).into(),
        "unavailable" => TimeoutError::new(&format!(
            "{text}: This error is likely due to sandbox timeout. You can modify the sandbox timeout by passing 'timeoutMs' when starting the sandbox or calling '.setTimeout' on the sandbox with the desired timeout."
        ))
        .into(),
        "canceled" => TimeoutError::new(&format!(
            "{text}: This error is likely due to exceeding 'requestTimeoutMs'. You can pass the request timeout value as an option when making the request."
        ))
        .into(),
        "deadline_exceeded" => TimeoutError::new(&format!(
            "{text}: This error is likely due to exceeding 'timeoutMs' — the total time a long running request (like command execution or directory watch) can be active. It can be modified by passing 'timeoutMs' when making the request. Use '0' to disable the timeout."
        ))
        .into(),
        _ => sandbox(&format!("{}: {text}", connect_code_number(code)), None),
    }
}

fn connect_code_number(code: &str) -> u8 {
    match code {
        "canceled" => 1,
        "unknown" => 2,
        "invalid_argument" => 3,
        "deadline_exceeded" => 4,
        "not_found" => 5,
        "already_exists" => 6,
        "permission_denied" => 7,
        "resource_exhausted" => 8,
        "failed_precondition" => 9,
        "aborted" => 10,
        "out_of_range" => 11,
        "unimplemented" => 12,
        "internal" => 13,
        "unavailable" => 14,
        "data_loss" => 15,
        "unauthenticated" => 16,
        _ => 2,
    }
}
