//! The envd client of one sandbox: its headers and its REST calls (`/health`, `/files`).

use e2b_wire::envd::{FilesQuery, ENVD_PORT};
use e2b_wire::headers;
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::envd::base64;
use crate::errors::{Error, Result};
use crate::transport::body::failure;
use crate::transport::fetch::{Call, Deadline, InFlight, Response};
use crate::transport::headers::{user_agent, Pairs};
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
    pub fn headers(&self, user: Option<&str>) -> Pairs {
        let mut h: Pairs =
            vec![(headers::SANDBOX_ID, self.sandbox_id.clone()), (headers::SANDBOX_PORT, ENVD_PORT.to_string())];
        if let Some(token) = &self.token {
            h.push((headers::ACCESS_TOKEN, token.clone()));
        }
        user_agent(&mut h);
        if let Some(user) = user {
            h.push(("Authorization", ["Basic ", &base64::encode([user, ":"].concat().as_bytes())].concat()));
        }
        h
    }

    /// Sends a request with `headers` (see [`Envd::headers`]); resolves once the response headers arrive.
    pub async fn send(
        &self,
        mut headers: Pairs,
        req: Request<'_>,
        deadline: &Deadline,
    ) -> Result<(Response, InFlight)> {
        if let Some(ct) = req.content_type {
            headers.push(("Content-Type", ct.into()));
        }
        let mut call = Call::new(req.method, [self.url.as_str(), req.path].concat());
        call.headers = headers;
        call.body = req.body;
        call.streamed_body = req.streamed;
        call.logger = self.logger.clone();
        call.extra_headers = self.headers.clone();
        call.send(deadline).await
    }

    /// A REST call; any reply.
    pub async fn rest(&self, req: Request<'_>, deadline: &Deadline) -> Result<(Response, InFlight)> {
        self.send(self.headers(None), req, deadline).await
    }

    /// A REST call that must succeed; `files` marks calls on files (their 404 is `FileNotFoundError`).
    pub async fn rest_ok(&self, req: Request<'_>, deadline: &Deadline, files: bool) -> Result<(Response, InFlight)> {
        let (res, flight) = self.rest(req, deadline).await?;
        if !res.ok() {
            return Err(failed(&res, &flight, files).await);
        }
        Ok((res, flight))
    }
}

/// The error of a failed REST reply.
pub async fn failed(res: &Response, flight: &InFlight, files: bool) -> Error {
    Error::EnvdRest { status: res.status(), message: failure(res, flight).await.message, files }
}

/// `/files?…` for a query, its parameters named and ordered as the wire type has them.
pub fn files_path(query: &FilesQuery) -> Result<String> {
    let fields = serde_wasm_bindgen::to_value(query)?;
    let params: Vec<(String, Option<String>)> = Object::entries(fields.unchecked_ref())
        .iter()
        .map(|e| {
            let pair: Array = e.unchecked_into();
            (pair.get(0).as_string().unwrap_or_default(), pair.get(1).as_string())
        })
        .collect();
    Ok(with_query(e2b_wire::envd::FILES_PATH, &params))
}
