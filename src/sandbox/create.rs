//! What `Sandbox.create` sends and checks: the request from the user's options, the sandbox's
//! lifetime in seconds, and the envd version this SDK needs.

use e2b_wire::sandboxes::{NewSandbox, SandboxVolumeMount};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::errors::{Error, Result};
use crate::options::Options;

/// Default lifetime of a sandbox.
pub const DEFAULT_TIMEOUT_MS: f64 = 300_000.0;
/// The oldest envd this SDK works with.
pub const MIN_ENVD_VERSION: (u32, u32, u32) = (0, 1, 0);

/// A timeout in milliseconds as the whole seconds the API takes (rounded up, at least 0).
pub fn timeout_secs(ms: f64) -> i32 {
    (ms / 1000.0).ceil().clamp(0.0, i32::MAX as f64) as i32
}

/// The `timeoutMs` option in seconds (default 300 s).
pub fn timeout_of(opts: &Options) -> i32 {
    timeout_secs(opts.number("timeoutMs").unwrap_or(DEFAULT_TIMEOUT_MS))
}

/// True when semver `v` is below `min` (an unparsable version counts as below).
pub fn version_below(v: &str, min: (u32, u32, u32)) -> bool {
    let mut parts = v.split(['.', '-']).map(|p| p.parse::<u32>());
    match (parts.next(), parts.next(), parts.next()) {
        (Some(Ok(a)), Some(Ok(b)), Some(Ok(c))) => (a, b, c) < min,
        _ => true,
    }
}

/// The body of `POST /sandboxes` for `template` and the options of `Sandbox.create`.
pub fn request(template: String, opts: &Options) -> Result<NewSandbox> {
    Ok(NewSandbox {
        template_id: template,
        timeout: Some(timeout_of(opts)),
        secure: Some(opts.boolean("secure").unwrap_or(true)),
        allow_internet_access: Some(opts.boolean("allowInternetAccess").unwrap_or(true)),
        metadata: opts.string_map("metadata"),
        env_vars: opts.string_map("envs"),
        volume_mounts: mounts_of(opts.get("volumeMounts"))?,
    })
}

/// `volumeMounts: { [path]: Volume | name }` → `[{name, path}]`.
fn mounts_of(value: Option<JsValue>) -> Result<Option<Vec<SandboxVolumeMount>>> {
    let Some(value) = value else { return Ok(None) };
    let mut out = Vec::new();
    for entry in Object::entries(value.unchecked_ref()).iter() {
        let pair: Array = entry.unchecked_into();
        let path = pair.get(0).as_string().unwrap_or_default();
        let v = pair.get(1);
        let name = match v.as_string() {
            Some(n) => n,
            None => Reflect::get(&v, &"name".into())?.as_string().ok_or_else(|| {
                Error::InvalidArgument(format!("volumeMounts['{path}'] must be a Volume or a volume name"))
            })?,
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
