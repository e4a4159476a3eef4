//! Requests to the volume content API (`/volumecontent/{id}/{path,dir,file}`) with the volume's token.

use wasm_bindgen::JsValue;

use crate::config::VolumeApiConfig;
use crate::control_plane::ensure_ok;
use crate::errors::{Error, Family, Result};
use crate::options::Options;
use crate::transport::body::{failure_of, text};
use crate::transport::fetch::{Call, Exchange, InFlight, Read, Response};
use crate::transport::headers::Headers;
use crate::transport::query::{component, with_query};
use crate::transport::reply::Reply;
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

    /// The call, ready to send.
    fn call(self, cfg: &VolumeApiConfig) -> Call {
        let mut headers = Headers::with_metadata();
        headers.set("Authorization", &["Bearer ", cfg.token.as_str()].concat());
        if self.json_body {
            headers.set("Content-Type", "application/json");
        } else if self.body.is_some() {
            headers.set("Content-Type", "application/octet-stream");
        }
        let id = component(self.volume_id);
        let base = [cfg.api_url.as_str(), "/volumecontent/", &id, "/", self.route].concat();
        let mut call = Call::new(self.method, with_query(&base, &self.query));
        call.headers = headers;
        call.body = self.body;
        call.streamed_body = self.streamed_body;
        call.logger = cfg.logger.clone();
        call.extra_headers = cfg.headers.clone();
        call.proxy = cfg.proxy.clone();
        call
    }

    /// Sends the request; resolves to the reply, a 2xx one's body read as `read` asks.
    pub async fn send(self, cfg: &VolumeApiConfig, read: Read) -> Result<Exchange> {
        self.call(cfg).exchange(&cfg.deadline, read).await
    }

    /// Sends the request and fails unless it succeeded; a 404 is `VolumePathNotFoundError` for `path`.
    pub async fn send_ok(self, cfg: &VolumeApiConfig, path: &str, read: Read) -> Result<Exchange> {
        let reply = self.send(cfg, read).await?;
        not_found(reply.status(), path)?;
        ensure_ok(&reply, Family::Volume)?;
        Ok(reply)
    }

    /// Sends the request and fails unless it succeeded (as `send_ok`); resolves once the response
    /// headers arrive, for a reply read as a stream.
    pub async fn stream(self, cfg: &VolumeApiConfig, path: &str) -> Result<(Response, InFlight)> {
        let (res, flight) = self.call(cfg).send(&cfg.deadline).await?;
        if !res.ok() {
            let text = text(&res, &flight).await;
            not_found(res.status(), path)?;
            return Err(Error::Api {
                status: res.status(),
                message: failure_of(&res, text).message,
                family: Family::Volume,
            });
        }
        Ok((res, flight))
    }

    /// Sends a request whose reply is one entry, and converts it.
    pub async fn entry(self, cfg: &VolumeApiConfig, path: &str) -> Result<JsValue> {
        Ok(entry::to_js(&Reply(self.send_ok(cfg, path, Read::Json).await?.body)))
    }
}

/// A 404 is `VolumePathNotFoundError` for `path`.
fn not_found(status: u16, path: &str) -> Result<()> {
    if status == 404 {
        return Err(Error::VolumePathNotFound(path.to_string()));
    }
    Ok(())
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
