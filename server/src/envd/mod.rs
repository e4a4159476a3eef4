//! envd, the agent inside each sandbox, served on e2b-local's port for every sandbox at once:
//! requests pick their sandbox with the `E2b-Sandbox-Id` header and prove access with
//! `X-Access-Token`. File work happens in the sandbox's own mount namespace, as its user.

pub mod connect;
pub mod files;
pub mod filesystem;
pub mod process;

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine as _;
use e2b_wire::envd::EnvdError;

use crate::fs::{ConfinedRoot, TreePath};
use crate::sandboxes::runtime::{Sandbox, USER_ID, USER_NAME};
use crate::state::SharedState;

/// An envd REST failure: `{message, code}`.
#[derive(Debug)]
pub struct RestError(pub StatusCode, pub String);

impl IntoResponse for RestError {
    fn into_response(self) -> Response {
        (self.0, Json(EnvdError { message: self.1, code: self.0.as_u16() })).into_response()
    }
}

/// The sandbox a request is for, with access checked.
pub struct SandboxAccess(pub Arc<Sandbox>);

impl FromRequestParts<SharedState> for SandboxAccess {
    type Rejection = RestError;

    async fn from_request_parts(parts: &mut Parts, state: &SharedState) -> Result<Self, Self::Rejection> {
        let id = parts.headers.get("e2b-sandbox-id").and_then(|v| v.to_str().ok()).unwrap_or_default();
        // E2B's proxy answers 502 for a sandbox that is not running; the SDKs read it that way.
        let sandbox = state
            .sandboxes
            .get(id)
            .ok_or_else(|| RestError(StatusCode::BAD_GATEWAY, format!("sandbox {id:?} is not running")))?;
        if let Some(expected) = &sandbox.envd_token {
            let given = parts.headers.get("x-access-token").and_then(|v| v.to_str().ok());
            if given != Some(expected.as_str()) {
                return Err(RestError(StatusCode::UNAUTHORIZED, "invalid or missing X-Access-Token".into()));
            }
        }
        Ok(Self(sandbox))
    }
}

/// A user of the sandbox: `user` (the default) or `root`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SandboxUser {
    pub uid: u32,
    pub name: &'static str,
}

impl SandboxUser {
    /// Parses a user name; unknown names are refused.
    pub fn parse(name: Option<&str>) -> Result<Self, String> {
        match name.unwrap_or(USER_NAME) {
            "" | USER_NAME => Ok(Self { uid: USER_ID, name: USER_NAME }),
            "root" => Ok(Self { uid: 0, name: "root" }),
            other => Err(format!("user {other:?} does not exist in this sandbox (use \"user\" or \"root\")")),
        }
    }

    /// The user from an `Authorization: Basic base64("<user>:")` header.
    pub fn from_basic_auth(headers: &axum::http::HeaderMap) -> Result<Self, String> {
        let Some(value) = headers.get("authorization").and_then(|v| v.to_str().ok()) else {
            return Self::parse(None);
        };
        let encoded = value.strip_prefix("Basic ").ok_or("authorization must be Basic <user:>")?;
        let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).map_err(|e| e.to_string())?;
        let text = String::from_utf8(decoded).map_err(|e| e.to_string())?;
        Self::parse(Some(text.split(':').next().unwrap_or_default()))
    }

    /// The user's home directory.
    pub fn home(&self) -> &'static str {
        if self.uid == 0 {
            "/root"
        } else {
            "/home/user"
        }
    }

    /// A path as envd resolves it: relative paths start at the user's home.
    pub fn resolve(&self, path: &str) -> TreePath {
        if path.starts_with('/') {
            TreePath::clean(path)
        } else {
            TreePath::clean(&format!("{}/{path}", self.home()))
        }
    }
}

/// Opens the sandbox's root for confined file work.
pub fn sandbox_root(sandbox: &Sandbox) -> std::io::Result<ConfinedRoot> {
    ConfinedRoot::open(&sandbox.root_path())
}

/// Runs `f` with this thread's credentials switched to `user`, so the kernel checks permissions
/// as it would for the sandbox's own processes. Only for blocking-pool threads.
pub fn as_user<T>(user: SandboxUser, f: impl FnOnce() -> T) -> T {
    use rustix::process::{Gid, Uid};
    use rustix::thread::{set_thread_groups, set_thread_res_gid, set_thread_res_uid};
    if user.uid == 0 {
        return f();
    }
    let (uid, gid) = (Uid::from_raw(user.uid), Gid::from_raw(user.uid));
    // The saved IDs stay root so that the thread can switch back.
    set_thread_groups(&[gid]).expect("setgroups as root");
    set_thread_res_gid(gid, gid, Gid::ROOT).expect("setresgid as root");
    set_thread_res_uid(uid, uid, Uid::ROOT).expect("setresuid as root");
    struct Restore;
    impl Drop for Restore {
        fn drop(&mut self) {
            // A thread that cannot become root again must not serve another request.
            if set_thread_res_uid(Uid::ROOT, Uid::ROOT, Uid::ROOT).is_err()
                || set_thread_res_gid(Gid::ROOT, Gid::ROOT, Gid::ROOT).is_err()
                || set_thread_groups(&[]).is_err()
            {
                std::process::abort();
            }
        }
    }
    let _restore = Restore;
    f()
}
