//! Requests to the volume content API (`/volumecontent/{id}/{path,dir,file}`) with the volume's token.

use wasm_bindgen::JsValue;

use crate::config::VolumeApiConfig;
use crate::control_plane::ensure_ok;
use crate::errors::{Error, Family, Result};
use crate::options::Options;
use crate::transport::body::json;
use crate::transport::fetch::{Call, InFlight, Response};
use crate::transport::headers::with_metadata;
use crate::transport::query::{component, with_query};
use crate::volume::entry;

/// Query parameters, in the order the official SDK sends them.
pub type Query = Vec<(&'static str, Option<String>)>;

/// A volume content request.
pub struct ContentRequest<'a> {
    method: &'static str,
    route: &'static str,
    volume_id: &'a str,
    query: Query,
    body: Option<JsValue>,
    streamed_body: bool,
    json_body: bool,
}

impl<'a> ContentRequest<'a> {
    /// `method` on `/volumecontent/{volume_id}/{route}`.
    pub fn new(method: &'static str, route: &'static str, volume_id: &'a str) -> Self {
        Self { method, route, volume_id, query: Vec::new(), body: None, streamed_body: false, json_body: false }
    }

    /// Only the `path` query parameter.
    pub fn path(self, path: &str) -> Self {
        self.query(vec![("path", Some(path.to_string()))])
    }

    /// The query parameters.
    pub fn query(mut self, query: Query) -> Self {
        self.query = query;
        self
    }

    /// A JSON body.
    pub fn json(mut self, body: String) -> Self {
        self.body = Some(body.into());
        self.json_body = true;
        self
    }

    /// A binary body; `streamed` for a ReadableStream.
    pub fn body(mut self, body: JsValue, streamed: bool) -> Self {
        self.body = Some(body);
        self.streamed_body = streamed;
        self
    }

    /// Sends the request; resolves once the response headers arrive.
    pub async fn send(self, cfg: &VolumeApiConfig) -> Result<(Response, InFlight)> {
        let mut headers = with_metadata();
        headers.push(("Authorization", ["Bearer ", cfg.token.as_str()].concat()));
        if self.json_body {
            headers.push(("Content-Type", "application/json".into()));
        } else if self.body.is_some() {
            headers.push(("Content-Type", "application/octet-stream".into()));
        }
        let id = component(self.volume_id);
        let base = [cfg.api_url.as_str(), "/volumecontent/", &id, "/", self.route].concat();
        let mut call = Call::new(self.method, with_query(&base, &self.query));
        call.headers = headers;
        call.body = self.body;
        call.streamed_body = self.streamed_body;
        call.logger = cfg.logger.clone();
        call.extra_headers = cfg.headers.clone();
        call.send(&cfg.deadline).await
    }

    /// Sends the request and fails unless it succeeded; a 404 is `VolumePathNotFoundError` for `path`.
    pub async fn send_ok(self, cfg: &VolumeApiConfig, path: &str) -> Result<(Response, InFlight)> {
        let (res, flight) = self.send(cfg).await?;
        if res.status() == 404 {
            if let Some(body) = res.body() {
                let _ = body.cancel();
            }
            return Err(Error::VolumePathNotFound(path.to_string()));
        }
        ensure_ok(&res, &flight, Family::Volume).await?;
        Ok((res, flight))
    }

    /// Sends a request whose reply is one entry, and converts it.
    pub async fn entry(self, cfg: &VolumeApiConfig, path: &str) -> Result<JsValue> {
        let (res, flight) = self.send_ok(cfg, path).await?;
        Ok(entry::to_js(&json(&res, &flight).await?))
    }
}

/// The query of uploads and `makeDir`: the path, then owner, mode and `force` when given.
pub fn write_query(path: &str, opts: &Options) -> Query {
    vec![
        ("path", Some(path.to_string())),
        ("uid", opts.query_value("uid")),
        ("gid", opts.query_value("gid")),
        ("mode", opts.query_value("mode")),
        ("force", opts.query_value("force")),
    ]
}
