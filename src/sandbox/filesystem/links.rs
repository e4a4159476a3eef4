//! Links to a sandbox's files that work without headers — `sandbox.uploadUrl`, `sandbox.downloadUrl`
//! — signed with the sandbox's access token when it has one, and `getSignature`, which signs them.

use std::rc::Rc;

use e2b_wire::envd::{FileOperation, FilesQuery};
use js_sys::{Date, Object, Promise};
use wasm_bindgen::prelude::*;

use crate::args::{optional_text, text};
use crate::config::ApiConfig;
use crate::envd::client::files_path;
use crate::envd::connection::Connection;
use crate::envd::signature::sign;
use crate::envd::url::{base_url, Target};
use crate::errors::{messages, Error, Result};
use crate::options::Options;
use crate::sandbox::class::Sandbox;
use crate::transport::host;
use crate::transport::js::set;
use crate::transport::promise::promise;

/// The sandbox's own envd host (never a shared routing host: a link names its sandbox by host).
fn direct_url(conn: &Connection) -> String {
    let o = conn.merged(&None);
    let cfg = ApiConfig::new(&o);
    let sandbox_url = o.string("sandboxUrl").or_else(|| host::var("E2B_SANDBOX_URL"));
    base_url(&Target {
        sandbox_url: sandbox_url.as_deref(),
        debug: cfg.debug,
        domain: &cfg.domain,
        sandbox_id: &conn.id,
        sandbox_domain: conn.sandbox_domain.as_deref(),
        in_browser: true,
    })
}

/// Unix seconds `secs` from now.
fn seconds_from_now(secs: f64) -> i64 {
    (Date::now() / 1000.0).floor() as i64 + secs as i64
}

/// The `/files` link for `operation` on `path` with `opts` (`user`, `useSignatureExpiration`).
async fn link(conn: Rc<Connection>, path: String, operation: FileOperation, opts: Option<JsValue>) -> Result<JsValue> {
    let o = Options::new(opts);
    let user = o.string("user");
    let expires_in = o.number("useSignatureExpiration");
    let mut query = FilesQuery {
        path: Some(path.clone()).filter(|p| !p.is_empty()),
        username: user.clone(),
        ..FilesQuery::default()
    };
    match &conn.envd_token {
        Some(token) => {
            let expiration = expires_in.map(seconds_from_now);
            query.signature = Some(sign(&path, operation, user.as_deref().unwrap_or(""), token, expiration).await?);
            query.signature_expiration = expiration;
        }
        None if expires_in.is_some() => return Err(Error::InvalidArgument(messages::UNSIGNED_EXPIRATION.into())),
        None => {}
    }
    Ok([direct_url(&conn), files_path(&query)?].concat().into())
}

#[wasm_bindgen]
impl Sandbox {
    /// A URL to upload a file to with a multipart `POST` (signed when the sandbox is secure).
    #[wasm_bindgen(js_name = uploadUrl, unchecked_return_type = "Promise<string>")]
    pub fn upload_url(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] path: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "SandboxUrlOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let conn = self.files().connection();
        promise(async move {
            let path = optional_text(path.filter(|p| !p.is_undefined() && !p.is_null()), "path")?;
            link(conn, path.unwrap_or_default(), FileOperation::Write, opts).await
        })
    }

    /// A URL to download a file from with a plain `GET` (signed when the sandbox is secure).
    #[wasm_bindgen(js_name = downloadUrl, unchecked_return_type = "Promise<string>")]
    pub fn download_url(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] path: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SandboxUrlOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let conn = self.files().connection();
        promise(async move { link(conn, text(&path, "path")?, FileOperation::Read, opts).await })
    }
}

/// The signature of a `/files` link: `{signature, expiration}` (`expiration` in Unix seconds, or
/// `null`), for `path`, `operation` (`read` or `write`), `user`, `expirationInSeconds` and the
/// sandbox's `envdAccessToken`.
#[wasm_bindgen(js_name = getSignature, unchecked_return_type = "Promise<{ signature: string; expiration: number | null }>")]
pub fn get_signature(#[wasm_bindgen(unchecked_param_type = "SignatureOpts")] opts: JsValue) -> Promise {
    promise(async move {
        let o = Options::new(Some(opts));
        let token = o.string("envdAccessToken").filter(|t| !t.is_empty());
        let token = token.ok_or_else(|| Error::Plain(messages::NO_ACCESS_TOKEN.into()))?;
        let operation = match o.string("operation").as_deref() {
            Some("read") => FileOperation::Read,
            Some("write") => FileOperation::Write,
            _ => return Err(Error::InvalidArgument("operation must be 'read' or 'write'".into())),
        };
        let expiration = o.number("expirationInSeconds").map(seconds_from_now);
        let path = o.string("path").unwrap_or_default();
        let signature = sign(&path, operation, &o.string("user").unwrap_or_default(), &token, expiration).await?;
        let out = Object::new();
        set(&out, "signature", &signature.into());
        set(&out, "expiration", &expiration.map_or(JsValue::NULL, |e| JsValue::from_f64(e as f64)));
        Ok(out.into())
    })
}
