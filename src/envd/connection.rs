//! What a sandbox object knows to reach its envd: its identity and tokens, and the options it was
//! made with (shared by `Sandbox`, `sandbox.files` and `sandbox.commands`).

use js_sys::Object;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::config::ApiConfig;
use crate::envd::client::Envd;
use crate::envd::url::{base_url, Target};
use crate::options::Options;
use crate::transport::host;

/// One sandbox's connection data.
pub struct Connection {
    /// The sandbox's ID.
    pub id: String,
    /// The domain the API named for it.
    pub sandbox_domain: Option<String>,
    /// envd's access token.
    pub envd_token: Option<String>,
    /// Token for traffic to the sandbox's ports.
    pub traffic_token: Option<String>,
    /// The connection options given at creation, reused by instance calls.
    pub opts: JsValue,
}

impl Connection {
    /// Per-call options over the sandbox's own.
    pub fn merged(&self, call: &Option<JsValue>) -> Options {
        let merged = Object::new();
        if self.opts.is_object() {
            Object::assign(&merged, self.opts.unchecked_ref());
        }
        if let Some(c) = call.as_ref().filter(|c| c.is_object()) {
            Object::assign(&merged, c.unchecked_ref());
        }
        Options::new(Some(merged.into()))
    }

    /// This sandbox's envd, for calls with `opts`.
    pub fn envd(&self, opts: &Options) -> Envd {
        let cfg = ApiConfig::new(opts);
        let sandbox_url = opts.string("sandboxUrl").or_else(|| host::var("E2B_SANDBOX_URL"));
        let target = Target {
            sandbox_url: sandbox_url.as_deref(),
            debug: cfg.debug,
            domain: &cfg.domain,
            sandbox_id: &self.id,
            sandbox_domain: self.sandbox_domain.as_deref(),
            in_browser: host::runtime() == "browser",
        };
        Envd {
            url: base_url(&target),
            sandbox_id: self.id.clone(),
            token: self.envd_token.clone(),
            logger: cfg.logger,
            headers: cfg.headers,
        }
    }
}
