//! The envd client of one sandbox: its headers and its REST calls (`/health`, `/files`).

use e2b_wire::envd::{FilesQuery, ENVD_PORT};
use e2b_wire::headers;
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::envd::base64;
use crate::errors::{Error, Result};
use crate::transport::body::{failure_of, text};
use crate::transport::fetch::{Call, Deadline, Exchange, InFlight, Read, Response};
use crate::transport::headers::Headers;
use crate::transport::query::with_query;

/// One sandbox's envd.
#[derive(Clone)]
pub struct Envd {
    /// Base URL (see `envd::url`).
    pub url: String,
    /// The sandbox, named on every call for routing hosts.
    pub sandbox_id: String,
    /// envd's access token, when the sandbox is secure.
    pub token: Option<String>,
    /// The user's logger.
    pub logger: Option<JsValue>,
    /// The user's extra headers.
    pub headers: Option<JsValue>,
    /// The `proxy` option (see `Call::proxy`).
    pub proxy: Option<String>,
}

/// A request to envd.
pub struct Request<'a> {
    /// HTTP method.
    pub method: &'static str,
    /// Path and query.
    pub path: &'a str,
    /// Request body.
    pub body: Option<JsValue>,
    /// `Content-Type` of the body.
    pub content_type: Option<&'static str>,
    /// Set for streamed request bodies.
    pub streamed: bool,
}

impl Envd {
    /// The headers of every call; `user` acts as that sandbox user (`Authorization: Basic`).
    pub fn headers(&self, user: Option<&str>) -> Headers {
        let mut h = Headers::new();
        h.set(headers::SANDBOX_ID, &self.sandbox_id);
        h.set(headers::SANDBOX_PORT, &ENVD_PORT.to_string());
        if let Some(token) = &self.token {
            h.set(headers::ACCESS_TOKEN, token);
        }
        h.user_agent();
        if let Some(user) = user {
            h.set("Authorization", &["Basic ", &base64::encode([user, ":"].concat().as_bytes())].concat());
        }
        h
    }

    /// The headers of every call (acting as no one in particular) and `extra` ones.
    pub fn headers_with(&self, extra: &[(String, String)]) -> Headers {
        let mut h = self.headers(None);
        for (name, value) in extra {
            h.set_dynamic(name, value);
        }
        h
    }

    /// The call of `req` with `headers` (see [`Envd::headers`]).
    pub fn call(&self, mut headers: Headers, req: Request<'_>) -> Call {
        if let Some(ct) = req.content_type {
            headers.set("Content-Type", ct);
        }
        let mut call = Call::new(req.method, &[self.url.as_str(), req.path].concat());
        call.headers = headers;
        call.body = req.body;
        call.streamed_body = req.streamed;
        call.logger = self.logger.clone();
        call.extra_headers = self.headers.clone();
        call.proxy = self.proxy.clone();
        call
    }

    /// A REST call; any reply, a 2xx one's body read as `read` asks.
    pub async fn rest(&self, req: Request<'_>, deadline: &Deadline, read: Read) -> Result<Exchange> {
        self.call(self.headers(None), req).exchange(deadline, read).await
    }

    /// A REST call that must succeed; `files` marks calls on files (their 404 is `FileNotFoundError`).
    pub async fn rest_ok(&self, req: Request<'_>, deadline: &Deadline, files: bool, read: Read) -> Result<Exchange> {
        self.rest_ok_with(req, &[], deadline, files, read).await
    }

    /// A REST call that must succeed (as `rest_ok`), with `extra` headers.
    pub async fn rest_ok_with(
        &self,
        req: Request<'_>,
        extra: &[(String, String)],
        deadline: &Deadline,
        files: bool,
        read: Read,
    ) -> Result<Exchange> {
        let reply = self.call(self.headers_with(extra), req).exchange(deadline, read).await?;
        if !reply.ok() {
            return Err(failed(&reply.response, reply.text(), files));
        }
        Ok(reply)
    }

    /// A REST call that must succeed (as `rest_ok`); resolves once the response headers arrive,
    /// for a reply read as a stream.
    pub async fn rest_stream(
        &self,
        req: Request<'_>,
        extra: &[(String, String)],
        deadline: &Deadline,
        files: bool,
    ) -> Result<(Response, InFlight)> {
        let (res, flight) = self.call(self.headers_with(extra), req).send(deadline).await?;
        if !res.ok() {
            let text = text(&res, &flight).await;
            return Err(failed(&res, text, files));
        }
        Ok((res, flight))
    }
}

/// The error of a failed REST reply with body `text`.
pub fn failed(res: &Response, text: String, files: bool) -> Error {
    Error::EnvdRest { status: res.status(), message: failure_of(res, text).message, files }
}

/// `/files?…` for a query, its parameters named and ordered as the wire type has them.
pub fn files_path(query: &FilesQuery) -> Result<String> {
    let fields = serde_wasm_bindgen::to_value(query)?;
    let params: Vec<(String, Option<String>)> = Object::entries(fields.unchecked_ref())
        .iter()
        .map(|e| {
            let pair: Array = e.unchecked_into();
            let value = pair.get(1);
            // Numbers (a signature's expiration: whole seconds) are written in decimal.
            let text = value.as_string().or_else(|| value.as_f64().map(|n| (n as i64).to_string()));
            (pair.get(0).as_string().unwrap_or_default(), text)
        })
        .collect();
    Ok(with_query(e2b_wire::envd::FILES_PATH, &params))
}
