//! Request headers as `fetch` takes them (a plain object), starting from the metadata every API
//! call carries. (The user's own `headers` option is added last, by the call itself.)

use std::cell::OnceCell;

use js_sys::Object;
use wasm_bindgen::JsValue;

use crate::transport::host;
use crate::transport::js::{set, set_dynamic};

thread_local! {
    /// The metadata headers, built once: they depend only on the runtime.
    static METADATA: OnceCell<Object> = const { OnceCell::new() };
}

/// The headers of one request.
pub struct Headers(Object);

impl Headers {
    /// No headers yet.
    pub fn new() -> Self {
        Self(Object::new())
    }

    /// The metadata every API call carries, as the official SDK sends it.
    pub fn with_metadata() -> Self {
        METADATA.with(|cell| {
            let base = cell.get_or_init(|| {
                let base = Object::new();
                set(&base, "lang", &"js".into());
                set(&base, "lang_version", &host::runtime_version().into());
                set(&base, "package_version", &env!("CARGO_PKG_VERSION").into());
                set(&base, "publisher", &"e2b-wasm".into());
                set(&base, "sdk_runtime", &host::runtime().into());
                base
            });
            Self(Object::assign(&Object::new(), base))
        })
    }

    /// A copy of `base`, to add to.
    pub fn extending(base: &Object) -> Self {
        Self(Object::assign(&Object::new(), base))
    }

    /// `base` itself, for requests that add nothing to it: it is shared, and frozen.
    pub fn shared(base: Object) -> Self {
        Self(base)
    }

    /// The metadata and `Authorization: Bearer <token>`, frozen: the headers of a volume content
    /// call, built once per volume and shared by its calls (see [`Headers::shared`]).
    pub fn bearer(token: &str) -> Object {
        let mut headers = Self::with_metadata();
        headers.set("Authorization", &["Bearer ", token].concat());
        Object::freeze(&headers.0)
    }

    /// Sets one header.
    pub fn set(&mut self, name: &'static str, value: &str) {
        set(&self.0, name, &value.into());
    }

    /// Sets one header whose name is made at run time.
    pub fn set_dynamic(&mut self, name: &str, value: &str) {
        set_dynamic(&self.0, name, &value.into());
    }

    /// Names the SDK in `User-Agent` where the platform lets a request set it (Node).
    pub fn user_agent(&mut self) {
        if host::is_node() {
            self.set("User-Agent", concat!("e2b-wasm/", env!("CARGO_PKG_VERSION")));
        }
    }

    /// The headers as a JS object.
    pub fn as_js(&self) -> &JsValue {
        &self.0
    }
}

impl Default for Headers {
    fn default() -> Self {
        Self::new()
    }
}
