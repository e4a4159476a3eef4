//! Bindings of the JS error classes declared in `src/js/errors.js`, and the one place they are built.

use wasm_bindgen::prelude::*;

use super::messages::{Class, Shaped};

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

/// The JS error an error's shape describes.
pub fn build(shaped: &Shaped) -> JsValue {
    let m = shaped.message.as_str();
    match shaped.class {
        Class::Sandbox => {
            let err = SandboxError::new(m);
            if let Some(status) = shaped.status {
                err.set_status_code(status);
            }
            err.into()
        }
        Class::Timeout => TimeoutError::new(m).into(),
        Class::InvalidArgument => InvalidArgumentError::new(m).into(),
        Class::NotEnoughSpace => NotEnoughSpaceError::new(m).into(),
        Class::NotFound => NotFoundError::new(m).into(),
        Class::FileNotFound => FileNotFoundError::new(m).into(),
        Class::SandboxNotFound => SandboxNotFoundError::new(m).into(),
        Class::Template => TemplateError::new(m).into(),
        Class::RateLimit => RateLimitError::new(m).into(),
        Class::Authentication => AuthenticationError::new(m).into(),
        Class::ServiceBusy => ServiceBusyError::new(m).into(),
        Class::Volume => VolumeError::new(m).into(),
        Class::VolumeNotFound => VolumeNotFoundError::new(m).into(),
        Class::VolumePathNotFound => VolumePathNotFoundError::new(m).into(),
        Class::Plain => js_sys::Error::new(m).into(),
    }
}

/// A `CommandExitError` carrying a command's result object.
pub fn command_exit(result: &JsValue) -> JsValue {
    CommandExitError::new(result).into()
}
