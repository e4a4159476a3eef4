//! Requests to the volume content API (`/volumecontent/{id}/{path,dir,file}`) with the volume's token,
//! and what their replies become.

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::config::VolumeApiConfig;
use crate::control_plane::ensure_ok;
use crate::errors::{Error, Family, Result, Timeout};
use crate::options::Options;
use crate::transport::body::{failure_of, stream_body, text};
use crate::transport::fetch::{url_of, Call, Exchange, InFlight, Read, Response, Success};
use crate::transport::headers::Headers;
use crate::transport::promise::promise;
use crate::transport::query::more;
use crate::transport::reply::Reply;
use crate::transport::upload::Upload;
use crate::volume::entry;

/// Query parameters after `path`, in the order the official SDK sends them.
pub type Query = Vec<(&'static str, Option<String>)>;

/// A volume content request.
pub struct ContentRequest {
    method: &'static str,
    route: &'static str,
    /// The `path` parameter: a JS string, never copied into the wasm (see `url_of`).
    path: JsValue,
    query: Query,
    body: Option<JsValue>,
    /// Data still to be made a body (a stream becomes a Blob where it cannot be streamed).
    upload: Option<Upload>,
    streamed_body: bool,
    json_body: bool,
}

impl ContentRequest {
    /// `method` on `/volumecontent/{volumeID}/{route}`.
    pub fn new(method: &'static str, route: &'static str) -> Self {
        Self {
            method,
            route,
            path: JsValue::UNDEFINED,
            query: Vec::new(),
            body: None,
            upload: None,
            streamed_body: false,
            json_body: false,
        }
    }

    /// About `path` (a JS string), the `path` query parameter.
    pub fn about(mut self, path: JsValue) -> Self {
        self.path = path;
        self
    }

    /// The query parameters after `path`.
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
    fn body(mut self, body: JsValue, streamed: bool) -> Self {
        self.body = Some(body);
        self.streamed_body = streamed;
        self
    }

    /// A binary body made of `data` when the request is sent.
    pub fn upload(mut self, data: Upload) -> Self {
        self.upload = Some(data);
        self
    }

    /// The call, ready to send; fails only on a path that is not valid Unicode (a URIError).
    fn call(self, cfg: &VolumeApiConfig) -> Result<Call> {
        let content_type = match (self.json_body, &self.body) {
            (true, _) => Some("application/json"),
            (false, Some(_)) => Some("application/octet-stream"),
            (false, None) => None,
        };
        let headers = match content_type {
            Some(content_type) => {
                let mut headers = Headers::extending(&cfg.auth);
                headers.set("Content-Type", content_type);
                headers
            }
            None => Headers::shared(cfg.auth.clone()),
        };
        let rest = more(&self.query);
        let rest = (!rest.is_empty()).then_some(rest.as_str());
        let url = url_of(&cfg.api_url, &cfg.prefix, self.route, "path", &self.path, rest)?;
        let mut call = Call::to(self.method, url);
        call.headers = headers;
        call.body = self.body;
        call.streamed_body = self.streamed_body;
        call.logger = cfg.logger.clone();
        call.extra_headers = cfg.headers.clone();
        call.proxy = cfg.proxy.clone();
        Ok(call)
    }

    /// Sends the request; resolves to the reply, a 2xx one's body read as `read` asks.
    async fn send(self, cfg: &VolumeApiConfig, read: Read) -> Result<Exchange> {
        self.call(cfg)?.exchange(&cfg.deadline, read).await
    }

    /// Sends the request and fails unless it succeeded (a 404 is `VolumePathNotFoundError` for
    /// `path`); resolves once the response headers arrive, for a reply read as a stream.
    async fn stream(self, cfg: &VolumeApiConfig, path: &str) -> Result<(Response, InFlight)> {
        let (res, flight) = self.call(cfg)?.send(&cfg.deadline).await?;
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
}

/// What a content call resolves to, once its reply arrives.
pub enum Then {
    /// One entry (`VolumeEntryStat`).
    Entry,
    /// The entries of a listing.
    Entries,
    /// `undefined`.
    Nothing,
    /// Whether the path exists: a 404 is `false`.
    Exists,
    /// The file's body, read whole as asked.
    Body(Read),
    /// The file's body as a stream that errors after this many idle milliseconds (`None`: the
    /// call's timeout).
    Stream(Option<f64>),
}

impl Then {
    /// How a reply read whole is read, and what it then becomes; `None` for a stream.
    fn whole(&self) -> Option<(Read, Settle)> {
        Some(match self {
            Then::Entry => (Read::Json, Settle::Entry),
            Then::Entries => (Read::Json, Settle::Entries),
            Then::Nothing => (Read::Nothing, Settle::Nothing),
            Then::Exists => (Read::Nothing, Settle::Exists),
            Then::Body(read) => (*read, Settle::Body),
            Then::Stream(_) => return None,
        })
    }
}

/// What a reply read whole becomes; its number is how JavaScript hands it back to [`settle`].
#[derive(Clone, Copy)]
enum Settle {
    Entry,
    Entries,
    Nothing,
    Exists,
    Body,
}

impl Settle {
    const ALL: [Settle; 5] = [Settle::Entry, Settle::Entries, Settle::Nothing, Settle::Exists, Settle::Body];

    /// What a 2xx reply becomes, made in JavaScript where no Rust is needed: the body of a read
    /// (`undefined` for a removal), an entry or entries reshaped by their field table.
    fn success(self) -> Success {
        match self {
            Settle::Entry => Success::One(entry::ENTRY),
            Settle::Entries => Success::Each(entry::ENTRY),
            Settle::Nothing | Settle::Body => Success::Body,
            Settle::Exists => Success::Settle,
        }
    }

    /// The call's value from its reply, or the error a failed reply stands for.
    fn value(self, path: &str, reply: Exchange) -> Result<JsValue> {
        if let Settle::Exists = self {
            if reply.status() == 404 {
                return Ok(false.into());
            }
            ensure_ok(&reply, Family::Volume)?;
            return Ok(true.into());
        }
        not_found(reply.status(), path)?;
        ensure_ok(&reply, Family::Volume)?;
        Ok(match self {
            Settle::Entry => entry::to_js(&Reply(reply.body)),
            Settle::Entries => entry::list(&Reply(reply.body)),
            Settle::Nothing => JsValue::UNDEFINED,
            Settle::Exists | Settle::Body => reply.body,
        })
    }
}

thread_local! {
    /// [`settle`] as a JS function, made once.
    static SETTLE: Function = Closure::<dyn Fn(u32, JsValue, JsValue, JsValue) -> std::result::Result<JsValue, JsValue>>::new(
        |kind, path, response, body| settle(kind, path, response, body).map_err(JsValue::from),
    )
    .into_js_value()
    .unchecked_into();
}

/// The end of a call driven from JavaScript: its reply as the call's `kind` says, or a timeout when
/// there is no response. The response is not checked with `instanceof`: one fetched through a proxy
/// comes from undici's own `fetch`, whose `Response` is another class than the platform's.
fn settle(kind: u32, path: JsValue, response: JsValue, body: JsValue) -> Result<JsValue> {
    if response.is_undefined() {
        return Err(Error::Timeout(Timeout::Request));
    }
    let response: web_sys::Response = response.unchecked_into();
    let settle = Settle::ALL.get(kind as usize).copied().unwrap_or(Settle::Body);
    settle.value(&path.as_string().unwrap_or_default(), Exchange { response: Response::from(response), body })
}

/// Sends `req` and resolves as `then` says. A reply read whole, with no upload still to be made a
/// body and no logger, is driven from JavaScript ([`Call::exchange_then`]); the rest goes through
/// [`perform`], one async body for every content call (one state machine in the wasm).
pub fn start(cfg: VolumeApiConfig, mut req: ContentRequest, then: Then) -> Promise {
    let ready = matches!(req.upload, None | Some(Upload::Whole(_))) && cfg.logger.is_none();
    match then.whole() {
        Some((read, settle)) if ready => {
            if let Some(Upload::Whole(data)) = req.upload.take() {
                req = req.body(data, false);
            }
            let path = req.path.clone();
            let call = match req.call(&cfg) {
                Ok(call) => call,
                Err(e) => return Promise::reject(&e.into()),
            };
            let success = settle.success();
            SETTLE.with(|f| call.exchange_then(&cfg.deadline, read, f, settle as u32, &path, success))
        }
        _ => promise(perform(cfg, req, then)),
    }
}

/// Sends `req` and resolves as `then` says, in Rust.
async fn perform(mut cfg: VolumeApiConfig, mut req: ContentRequest, then: Then) -> Result<JsValue> {
    let path = req.path.as_string().unwrap_or_default();
    if let Some(data) = req.upload.take() {
        let (body, streamed) = data.body(true).await?;
        if streamed {
            // A streamed upload has no client timeout, only the user's signal.
            cfg.deadline.timeout_ms = 0.0;
        }
        req = req.body(body, streamed);
    }
    let Some((read, settle)) = then.whole() else {
        let idle = match then {
            Then::Stream(idle) => idle.unwrap_or(cfg.deadline.timeout_ms),
            _ => cfg.deadline.timeout_ms,
        };
        let (res, flight) = req.stream(&cfg, &path).await?;
        return Ok(stream_body(&res, flight, idle));
    };
    settle.value(&path, req.send(&cfg, read).await?)
}

/// A 404 is `VolumePathNotFoundError` for `path`.
fn not_found(status: u16, path: &str) -> Result<()> {
    if status == 404 {
        return Err(Error::VolumePathNotFound(path.to_string()));
    }
    Ok(())
}

/// The query of uploads and `makeDir` after the path: owner, mode and `force` when given.
pub fn write_query(opts: &Options) -> Query {
    vec![
        ("uid", opts.query_value("uid")),
        ("gid", opts.query_value("gid")),
        ("mode", opts.query_value("mode")),
        ("force", opts.query_value("force")),
    ]
}
