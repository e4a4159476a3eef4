//! Where calls go, with which credentials and how long they may take: the official SDK's option
//! and env precedence.

use wasm_bindgen::prelude::*;

use crate::errors::{messages, Error, Result};
use crate::options::Options;
use crate::transport::fetch::Deadline;
use crate::transport::headers::Headers;
use crate::transport::host;

/// Default timeout of one API request.
pub const REQUEST_TIMEOUT_MS: f64 = 60_000.0;
/// Default timeout of file reads and writes.
pub const FILE_TIMEOUT_MS: f64 = 3_600_000.0;

fn default_domain() -> String {
    host::var("E2B_DOMAIN").unwrap_or_else(|| "e2b.app".into())
}

fn env_debug() -> bool {
    host::var("E2B_DEBUG").is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// The `requestTimeoutMs` and `signal` options, with `default_ms` when no timeout is given.
pub fn deadline(opts: &Options, default_ms: f64) -> Deadline {
    Deadline { timeout_ms: opts.number("requestTimeoutMs").unwrap_or(default_ms), signal: opts.signal() }
}

/// The URL of an API: the chosen one, else `localhost:<debug_port>` in debug mode, else `api.<domain>`;
/// without a trailing slash.
fn api_url(chosen: Option<String>, debug: bool, debug_port: u16, domain: &str) -> String {
    let url = chosen.unwrap_or_else(|| {
        if debug {
            format!("http://localhost:{debug_port}")
        } else {
            format!("https://api.{domain}")
        }
    });
    url.trim_end_matches('/').to_string()
}

/// Settings of a control-plane call (`ConnectionOpts`).
pub struct ApiConfig {
    /// Control-plane URL, without a trailing slash.
    pub api_url: String,
    /// `apiKey` or `E2B_API_KEY`.
    pub api_key: Option<String>,
    /// `domain`, `E2B_DOMAIN` or `e2b.app`.
    pub domain: String,
    /// `debug` or `E2B_DEBUG`: localhost URLs.
    pub debug: bool,
    /// The user's extra headers (`headers`, then `apiHeaders`).
    pub headers: Option<JsValue>,
    /// The user's logger.
    pub logger: Option<JsValue>,
    /// `requestTimeoutMs` and `signal`.
    pub deadline: Deadline,
    /// True when the user chose the API URL (option or env), not a default.
    pub explicit_url: bool,
    /// The `proxy` option: requests go through it in Node; a volume and a sandbox keep it.
    pub proxy: Option<String>,
}

impl ApiConfig {
    /// Resolves options over `E2B_*` env vars over defaults.
    pub fn new(opts: &Options) -> Self {
        let domain = opts.string("domain").unwrap_or_else(default_domain);
        let debug = opts.boolean("debug").unwrap_or_else(env_debug);
        let chosen = opts.string("apiUrl").or_else(|| host::var("E2B_API_URL"));
        let explicit_url = chosen.is_some();
        Self {
            api_url: api_url(chosen, debug, 3000, &domain),
            api_key: opts.string("apiKey").or_else(|| host::var("E2B_API_KEY")),
            domain,
            debug,
            headers: control_plane_headers(opts),
            logger: opts.get("logger"),
            deadline: deadline(opts, REQUEST_TIMEOUT_MS),
            explicit_url,
            proxy: opts.string("proxy"),
        }
    }

    /// The API key, or the `AuthenticationError` the official SDK raises before sending.
    pub fn require_api_key(&self) -> Result<&str> {
        self.api_key.as_deref().ok_or_else(|| Error::Authentication(messages::API_KEY_REQUIRED.into()))
    }
}

/// The user's `headers` with `apiHeaders` over them: what a control-plane call adds.
fn control_plane_headers(opts: &Options) -> Option<JsValue> {
    let (headers, api) = (opts.get("headers"), opts.get("apiHeaders"));
    let Some(api) = api else { return headers };
    let merged = js_sys::Object::new();
    for layer in headers.iter().chain([&api]) {
        js_sys::Object::assign(&merged, wasm_bindgen::JsCast::unchecked_ref(layer));
    }
    Some(merged.into())
}

/// Settings of a volume content call (`VolumeApiOpts`), given the volume's own defaults.
pub struct VolumeApiConfig {
    /// Volume content URL, as the JS string it was chosen as (its trailing slashes are dropped when
    /// a request's URL is made, in JavaScript: see `transport::fetch::url_of`).
    pub api_url: JsValue,
    /// `/volumecontent/{volumeID}/`, the volume's part of each request's URL (a JS string).
    pub prefix: JsValue,
    /// The headers of every call: metadata and the volume's bearer token (frozen, shared).
    pub auth: js_sys::Object,
    /// The user's extra headers.
    pub headers: Option<JsValue>,
    /// The user's logger.
    pub logger: Option<JsValue>,
    /// `requestTimeoutMs` and `signal`.
    pub deadline: Deadline,
    /// The call's `proxy` option, else the volume's.
    pub proxy: Option<String>,
}

/// What a volume remembers for its content calls.
pub struct VolumeDefaults<'a> {
    /// [`Headers::bearer`] of the volume's content token, made once per volume.
    pub auth: &'a js_sys::Object,
    /// The volume's part of each request's URL (see [`VolumeApiConfig::prefix`]).
    pub prefix: &'a JsValue,
    /// The domain it was made with.
    pub domain: Option<&'a str>,
    /// The debug setting it was made with.
    pub debug: Option<bool>,
    /// The API URL the volume was created or connected with, when the user chose one.
    pub api_url: Option<&'a JsValue>,
    /// The `proxy` it was made with.
    pub proxy: Option<&'a str>,
}

impl VolumeApiConfig {
    /// Resolves per-call options over the volume's defaults over env vars.
    pub fn new(volume: &VolumeDefaults<'_>, opts: &Options, default_timeout_ms: f64) -> Self {
        // A chosen URL stays a JS string: decoding it into the wasm and encoding it back cost a
        // few microseconds at every call.
        let chosen = opts
            .string_value("apiUrl")
            .or_else(|| host::var_value("E2B_VOLUME_API_URL"))
            // e2b-local and E2B's cloud serve volume content at the control plane's origin.
            .or_else(|| volume.api_url.cloned());
        // The domain and debug mode only make the URL when none was chosen (each environment read
        // costs a call into Node's C++ side, on every request).
        let api_url = chosen.unwrap_or_else(|| {
            let domain =
                opts.string("domain").or_else(|| volume.domain.map(String::from)).unwrap_or_else(default_domain);
            let debug = opts.boolean("debug").or(volume.debug).unwrap_or_else(env_debug);
            api_url(None, debug, 8080, &domain).into()
        });
        Self {
            api_url,
            prefix: volume.prefix.clone(),
            auth: opts.string("token").map_or_else(|| volume.auth.clone(), |token| Headers::bearer(&token)),
            headers: opts.get("headers"),
            logger: opts.get("logger"),
            deadline: deadline(opts, default_timeout_ms),
            proxy: opts.string("proxy").or_else(|| volume.proxy.map(String::from)),
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn api_urls_follow_choice_then_debug_then_domain() {
        assert_eq!(api_url(Some("http://127.0.0.1:3000/".into()), true, 3000, "e2b.app"), "http://127.0.0.1:3000");
        assert_eq!(api_url(None, true, 3000, "e2b.app"), "http://localhost:3000");
        assert_eq!(api_url(None, true, 8080, "e2b.app"), "http://localhost:8080");
        assert_eq!(api_url(None, false, 3000, "example.dev"), "https://api.example.dev");
    }
}
