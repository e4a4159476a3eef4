//! What `Sandbox.create` sends and checks: the `POST /v2/sandboxes` body from the user's options
//! (with the lifecycle, network, identity and MCP settings), the sandbox's lifetime in seconds,
//! and the envd version this SDK needs.

use e2b_wire::sandboxes::{NewSandboxV2, SandboxVolumeMount};
use js_sys::{Array, Object, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::errors::{Error, Result};
use crate::options::Options;
use crate::sandbox::lifecycle::{network, policy};
use crate::transport::js::set;

/// The oldest envd this SDK works with.
pub const MIN_ENVD_VERSION: (u32, u32, u32) = (0, 1, 0);
/// The template of a sandbox created without one.
pub const DEFAULT_TEMPLATE: &str = "base";
/// The template of a sandbox created with `mcp` and without a template.
pub const MCP_TEMPLATE: &str = "mcp-gateway";

/// A timeout in milliseconds as the whole seconds the API takes (rounded up, at least 0).
pub fn timeout_secs(ms: f64) -> i32 {
    (ms / 1000.0).ceil().clamp(0.0, i32::MAX as f64) as i32
}

/// The `timeoutMs` option in seconds, when given (the server's default applies otherwise).
pub fn timeout_of(opts: &Options) -> Option<i32> {
    opts.number("timeoutMs").map(timeout_secs)
}

/// True when semver `v` is below `min` (an unparsable version counts as below).
pub fn version_below(v: &str, min: (u32, u32, u32)) -> bool {
    let mut parts = v.split(['.', '-']).map(|p| p.parse::<u32>());
    match (parts.next(), parts.next(), parts.next()) {
        (Some(Ok(a)), Some(Ok(b)), Some(Ok(c))) => (a, b, c) < min,
        _ => true,
    }
}

/// The body of `POST /v2/sandboxes` (JSON text) for `template` and the options of `Sandbox.create`,
/// checked in the official SDK's order: lifecycle, identity, network, mounts. `secure` is not
/// sent: every sandbox is secured.
pub fn request(template: String, opts: &Options) -> Result<String> {
    let policy = policy::of(opts)?;
    let (iam, token_names) = network::iam_body(opts.get("iam"))?;
    let body = NewSandboxV2 {
        template_id: template,
        timeout: timeout_of(opts),
        auto_pause: policy.auto_pause,
        auto_pause_memory: policy.auto_pause_memory,
        auto_resume: policy.auto_resume,
        allow_internet_access: opts.boolean("allowInternetAccess"),
        network: network::create_body(opts.get("network"), &token_names)?,
        metadata: opts.string_map("metadata"),
        env_vars: opts.string_map("envs"),
        volume_mounts: mounts_of(opts.get("volumeMounts"))?,
    };
    let json = body.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?;
    let obj: &Object = json.unchecked_ref();
    // The MCP servers' settings are the user's, sent as given; `iam` has no wire type of its own.
    for (key, value) in [("mcp", opts.get("mcp")), ("iam", iam)] {
        if let Some(value) = value {
            set(obj, key, &value);
        }
    }
    Ok(String::from(js_sys::JSON::stringify(&json)?))
}

/// `s` quoted for a POSIX shell where it needs it.
pub fn shell_quote(s: &str) -> String {
    // Bytes and chars rather than `str::replace` and a `&str` pattern, whose searcher and slice
    // panics would bring the Unicode tables of `Debug` into the wasm.
    let safe = |b: u8| b.is_ascii_alphanumeric() || b"_@%+=:,./-".contains(&b);
    if s.is_empty() {
        return "''".into();
    }
    if s.bytes().all(safe) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' => out.push_str("'\"'\"'"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// `volumeMounts: { [path]: Volume | name }` → `[{name, path}]`.
fn mounts_of(value: Option<JsValue>) -> Result<Option<Vec<SandboxVolumeMount>>> {
    let Some(value) = value else { return Ok(None) };
    let mut out = Vec::new();
    for entry in Object::entries(value.unchecked_ref()).iter() {
        let pair: Array = entry.unchecked_into();
        let path = pair.get(0).as_string().unwrap_or_default();
        let v = pair.get(1);
        let invalid = || Error::InvalidArgument(format!("volumeMounts['{path}'] must be a Volume or a volume name"));
        let name = match v.as_string() {
            Some(n) => n,
            None if v.is_object() => Reflect::get(&v, &"name".into())?.as_string().ok_or_else(invalid)?,
            None => return Err(invalid()),
        };
        out.push(SandboxVolumeMount { name, path });
    }
    Ok(Some(out))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn timeouts_round_up_to_whole_seconds() {
        assert_eq!(timeout_secs(300_000.0), 300);
        assert_eq!(timeout_secs(1.0), 1);
        assert_eq!(timeout_secs(1000.5), 2);
        assert_eq!(timeout_secs(0.0), 0);
        assert_eq!(timeout_secs(-5.0), 0);
        assert_eq!(timeout_secs(f64::INFINITY), i32::MAX);
    }

    #[test]
    fn shell_quoting_leaves_safe_words_alone() {
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("a-b_c.d/e:f"), "a-b_c.d/e:f");
        assert_eq!(shell_quote(r#"{"a":"it's"}"#), r#"'{"a":"it'"'"'s"}'"#);
        assert_eq!(shell_quote("naïve café"), "'naïve café'");
    }

    #[test]
    fn versions_compare_by_their_numbers() {
        assert!(!version_below("0.1.0", MIN_ENVD_VERSION));
        assert!(!version_below("0.6.4", MIN_ENVD_VERSION));
        assert!(!version_below("1.0.0-rc.1", MIN_ENVD_VERSION));
        assert!(version_below("0.0.9", MIN_ENVD_VERSION));
        assert!(version_below("0.10.0", (0, 11, 0)));
        assert!(!version_below("0.10.0", (0, 9, 9)));
        assert!(version_below("", MIN_ENVD_VERSION));
        assert!(version_below("v1.0", MIN_ENVD_VERSION));
    }
}
