//! What a sandbox object knows to reach its envd: its identity and tokens, and the connection
//! options it was made with (shared by `Sandbox`, `sandbox.files` and `sandbox.commands`).

use js_sys::Object;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::config::ApiConfig;
use crate::envd::client::Envd;
use crate::envd::url::{base_url, Target};
use crate::options::Options;
use crate::transport::host;
use crate::transport::js::{get, set};

/// The options a sandbox object keeps from `create`, `connect` or its constructor: the connection
/// settings alone, as the official SDK keeps its `ConnectionConfig`. (`timeoutMs`, `metadata`, the
/// `signal` and the rest applied to that one call.)
const KEPT: &[&str] = &[
    "apiKey",
    "accessToken",
    "validateApiKey",
    "debug",
    "domain",
    "apiUrl",
    "sandboxUrl",
    "requestTimeoutMs",
    "retries",
    "logger",
    "headers",
    "apiHeaders",
    "proxy",
];

/// The connection options of `raw` (an option object), as a sandbox object keeps them.
pub fn connection_options(raw: &JsValue) -> JsValue {
    let kept = Object::new();
    for key in KEPT {
        let value = get(raw, key);
        if !value.is_undefined() {
            set(&kept, key, &value);
        }
    }
    kept.into()
}

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
    /// The version of envd inside, when the API named it.
    pub envd_version: Option<String>,
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

    /// The domain serving this sandbox: the one the API named, else the configured one.
    pub fn domain(&self, cfg: &ApiConfig) -> String {
        self.sandbox_domain.clone().unwrap_or_else(|| cfg.domain.clone())
    }

    /// This sandbox's envd, for calls with `opts`.
    pub fn envd(&self, opts: &Options) -> Envd {
        let cfg = ApiConfig::new(opts);
        let sandbox_url = opts.string("sandboxUrl").or_else(|| host::var("E2B_SANDBOX_URL"));
        // The sandbox's own domain decides its envd's host (and whether a routing host serves it).
        let domain = self.domain(&cfg);
        let target = Target {
            sandbox_url: sandbox_url.as_deref(),
            debug: cfg.debug,
            domain: &domain,
            sandbox_id: &self.id,
            sandbox_domain: Some(&domain),
            in_browser: host::runtime() == "browser",
        };
        Envd {
            url: base_url(&target),
            sandbox_id: self.id.clone(),
            token: self.envd_token.clone(),
            logger: cfg.logger,
            headers: user_agent_only(cfg.headers),
            proxy: cfg.proxy,
        }
    }
}

/// Of the user's headers, envd is sent only a `User-Agent` (as by the official SDK).
fn user_agent_only(headers: Option<JsValue>) -> Option<JsValue> {
    let agent = get(&headers?, "User-Agent");
    agent.is_string().then(|| {
        let only = Object::new();
        set(&only, "User-Agent", &agent);
        only.into()
    })
}
