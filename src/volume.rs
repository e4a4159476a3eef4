//! `Volume`: E2B volumes — create, connect, list, destroy — and their files, read and written directly.

use std::rc::Rc;

use crate::js::set;
use e2b_wire::{NewVolume, Volume as WireVolume, VolumeAndToken};
use js_sys::{Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Headers, Response};

use crate::config::{ApiConfig, VolumeApiConfig, VolumeDefaults, FILE_TIMEOUT_MS, REQUEST_TIMEOUT_MS};
use crate::errors::{self, Family};
use crate::http::{self, api_call, Call, InFlight};
use crate::options::Options;
use crate::{entry, env};

struct VolumeData {
    volume_id: String,
    name: String,
    token: String,
    domain: Option<String>,
    debug: Option<bool>,
    proxy: Option<String>,
    /// The control-plane URL the user chose when creating or connecting, reused for content calls.
    api_url: Option<String>,
}

/// A persistent volume: its identity and token, and methods on its files.
#[wasm_bindgen(skip_typescript)]
pub struct Volume {
    data: Rc<VolumeData>,
}

/// Fails with the mapped error unless the response is a 2xx.
async fn ensure_ok(response: &Response, flight: &InFlight, family: Family) -> Result<(), JsValue> {
    if response.ok() {
        return Ok(());
    }
    let message = http::error_message(response, flight).await;
    Err(errors::from_status(response.status(), &message, family))
}

fn volume_path(id: &str) -> String {
    format!("/volumes/{}", String::from(js_sys::encode_uri_component(id)))
}

impl Volume {
    fn from_wire(v: VolumeAndToken, cfg: &ApiConfig) -> Self {
        Self {
            data: Rc::new(VolumeData {
                volume_id: v.volume_id,
                name: v.name,
                token: v.token,
                domain: Some(v.domain.filter(|d| !d.is_empty()).unwrap_or_else(|| cfg.domain.clone())),
                debug: Some(cfg.debug),
                proxy: None,
                api_url: cfg.explicit_url.then(|| cfg.api_url.clone()),
            }),
        }
    }

    fn content_config(&self, opts: &Options, default_timeout_ms: f64) -> VolumeApiConfig {
        let d = &self.data;
        let defaults = VolumeDefaults {
            token: &d.token,
            domain: d.domain.as_deref(),
            debug: d.debug,
            api_url: d.api_url.as_deref(),
        };
        VolumeApiConfig::new(&defaults, opts, default_timeout_ms)
    }

    /// Runs an async body with this volume's data as a JS promise.
    fn promise<F>(&self, f: impl FnOnce(Rc<VolumeData>, Volume) -> F) -> Promise
    where
        F: std::future::Future<Output = Result<JsValue, JsValue>> + 'static,
    {
        let me = Volume { data: self.data.clone() };
        crate::http::promise(f(self.data.clone(), me))
    }
}

/// A volume content request.
struct ContentRequest<'a> {
    method: &'static str,
    route: &'static str,
    query: Vec<(&'static str, Option<String>)>,
    body: Option<JsValue>,
    streamed_body: bool,
    json_body: bool,
    volume_id: &'a str,
}

impl<'a> ContentRequest<'a> {
    fn new(method: &'static str, route: &'static str, volume_id: &'a str) -> Self {
        Self { method, route, query: Vec::new(), body: None, streamed_body: false, json_body: false, volume_id }
    }
    /// Only the `path` query parameter.
    fn path(self, path: &str) -> Self {
        self.query(vec![("path", Some(path.to_string()))])
    }
    fn query(mut self, query: Vec<(&'static str, Option<String>)>) -> Self {
        self.query = query;
        self
    }
    fn json(mut self, body: JsValue) -> Self {
        self.body = Some(body);
        self.json_body = true;
        self
    }
    fn body(mut self, body: JsValue, streamed: bool) -> Self {
        self.body = Some(body);
        self.streamed_body = streamed;
        self
    }
}

/// Sends a volume content request.
async fn content_call(cfg: &VolumeApiConfig, req: ContentRequest<'_>) -> Result<(Response, InFlight), JsValue> {
    let headers = Headers::new()?;
    http::metadata_headers(&headers)?;
    headers.set("Authorization", &format!("Bearer {}", cfg.token))?;
    if req.json_body {
        headers.set("Content-Type", "application/json")?;
    } else if req.body.is_some() {
        headers.set("Content-Type", "application/octet-stream")?;
    }
    http::user_headers(&headers, cfg.headers.as_ref())?;
    let base = format!(
        "{}/volumecontent/{}/{}",
        cfg.api_url,
        String::from(js_sys::encode_uri_component(req.volume_id)),
        req.route
    );
    let call = Call {
        method: req.method,
        url: http::with_query(&base, &req.query),
        headers,
        body: req.body,
        streamed_body: req.streamed_body,
        logger: cfg.logger.clone(),
    };
    call.send(&cfg.deadline).await
}

/// Fails with `VolumePathNotFoundError` on 404 and the mapped error on other failures.
async fn ensure_content_ok(response: &Response, flight: &InFlight, path: &str) -> Result<(), JsValue> {
    if response.status() == 404 {
        if let Some(body) = response.body() {
            let _ = body.cancel();
        }
        return Err(errors::volume_path_not_found(path));
    }
    ensure_ok(response, flight, Family::Volume).await
}

/// Sends a content request whose reply is one entry, and converts it.
async fn entry_reply(cfg: &VolumeApiConfig, req: ContentRequest<'_>, path: &str) -> Result<JsValue, JsValue> {
    let (res, flight) = content_call(cfg, req).await?;
    ensure_content_ok(&res, &flight, path).await?;
    entry::from_json(http::json(&res, &flight).await?)
}

/// Kinds of data `writeFile` accepts, and how each is sent.
enum Upload {
    /// Sent as is: string, ArrayBuffer, typed array, DataView or Blob.
    Whole(JsValue),
    /// A ReadableStream, streamed (Node) without a timeout.
    Stream(JsValue),
}

fn classify_upload(data: JsValue) -> Result<Upload, JsValue> {
    if data.is_string() || data.is_instance_of::<js_sys::ArrayBuffer>() || js_sys::ArrayBuffer::is_view(&data) {
        return Ok(Upload::Whole(data));
    }
    if data.is_instance_of::<web_sys::Blob>() {
        return Ok(Upload::Whole(data));
    }
    if crate::js::is_readable_stream(&data) {
        return Ok(Upload::Stream(data));
    }
    Err(errors::invalid_argument("writeFile data must be a string, ArrayBuffer, typed array, Blob or ReadableStream"))
}

/// Collects a stream into a Blob (browsers cannot stream request bodies over HTTP/1.1).
async fn stream_to_blob(stream: JsValue) -> Result<JsValue, JsValue> {
    let response = Response::new_with_opt_readable_stream(Some(stream.unchecked_ref()))?;
    wasm_bindgen_futures::JsFuture::from(response.blob()?).await
}

#[wasm_bindgen]
impl Volume {
    /// Makes a local `Volume` object; no request is sent.
    #[wasm_bindgen(constructor)]
    pub fn new(
        volume_id: String,
        name: String,
        token: String,
        domain: Option<String>,
        debug: Option<bool>,
        proxy: Option<String>,
    ) -> Volume {
        Volume { data: Rc::new(VolumeData { volume_id, name, token, domain, debug, proxy, api_url: None }) }
    }

    /// The volume's ID.
    #[wasm_bindgen(getter, js_name = volumeId)]
    pub fn volume_id(&self) -> String {
        self.data.volume_id.clone()
    }

    /// The volume's name.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.data.name.clone()
    }

    /// The token for the volume content API.
    #[wasm_bindgen(getter)]
    pub fn token(&self) -> String {
        self.data.token.clone()
    }

    /// The domain of the volume content API.
    #[wasm_bindgen(getter)]
    pub fn domain(&self) -> Option<String> {
        self.data.domain.clone()
    }

    /// Whether debug mode (localhost URLs) is on for this volume.
    #[wasm_bindgen(getter)]
    pub fn debug(&self) -> Option<bool> {
        self.data.debug
    }

    /// Proxy URL (kept for API compatibility; requests go through the platform's `fetch`).
    #[wasm_bindgen(getter)]
    pub fn proxy(&self) -> Option<String> {
        self.data.proxy.clone()
    }

    /// Creates a volume (`POST /volumes`).
    pub async fn create(name: String, opts: Option<JsValue>) -> Result<Volume, JsValue> {
        let cfg = ApiConfig::new(&Options::new(opts));
        let body = serde_wasm_bindgen::to_value(&NewVolume { name }).map_err(JsValue::from)?;
        let body = String::from(js_sys::JSON::stringify(&body)?);
        let (res, flight) = api_call(&cfg, "POST", "/volumes", Some(body)).await?;
        ensure_ok(&res, &flight, Family::Volume).await?;
        let v: VolumeAndToken = serde_wasm_bindgen::from_value(http::json(&res, &flight).await?)?;
        Ok(Volume::from_wire(v, &cfg))
    }

    /// Connects to an existing volume by ID (`GET /volumes/{id}`).
    pub async fn connect(volume_id: String, opts: Option<JsValue>) -> Result<Volume, JsValue> {
        let cfg = ApiConfig::new(&Options::new(opts));
        let v = fetch_volume(&cfg, &volume_id).await?;
        Ok(Volume::from_wire(v, &cfg))
    }

    /// `Volume.getInfo(volumeId, opts)`: the volume with a fresh token.
    #[wasm_bindgen(js_name = __getInfo)]
    pub async fn get_volume_info(volume_id: String, opts: Option<JsValue>) -> Result<JsValue, JsValue> {
        let cfg = ApiConfig::new(&Options::new(opts));
        let v = fetch_volume(&cfg, &volume_id).await?;
        let obj = Object::new();
        set(&obj, "volumeId", &v.volume_id.into());
        set(&obj, "name", &v.name.into());
        set(&obj, "token", &v.token.into());
        set(&obj, "domain", &v.domain.filter(|d| !d.is_empty()).map(JsValue::from).unwrap_or(JsValue::UNDEFINED));
        Ok(obj.into())
    }

    /// `Volume.list(opts)`: every volume of the team.
    #[wasm_bindgen(js_name = __list)]
    pub async fn list_volumes(opts: Option<JsValue>) -> Result<JsValue, JsValue> {
        let cfg = ApiConfig::new(&Options::new(opts));
        let (res, flight) = api_call(&cfg, "GET", "/volumes", None).await?;
        ensure_ok(&res, &flight, Family::Volume).await?;
        let json = http::json(&res, &flight).await?;
        let list: Vec<WireVolume> = if json.is_null() { Vec::new() } else { serde_wasm_bindgen::from_value(json)? };
        Ok(list
            .into_iter()
            .map(|v| {
                let obj = Object::new();
                set(&obj, "volumeId", &v.volume_id.into());
                set(&obj, "name", &v.name.into());
                JsValue::from(obj)
            })
            .collect::<js_sys::Array>()
            .into())
    }

    /// Destroys a volume; resolves `false` when it did not exist.
    pub async fn destroy(volume_id: String, opts: Option<JsValue>) -> Result<bool, JsValue> {
        let cfg = ApiConfig::new(&Options::new(opts));
        let (res, flight) = api_call(&cfg, "DELETE", &volume_path(&volume_id), None).await?;
        if res.status() == 404 {
            return Ok(false);
        }
        ensure_ok(&res, &flight, Family::Volume).await?;
        Ok(true)
    }

    /// Lists a directory, `depth` levels deep (default 1).
    #[wasm_bindgen(skip_typescript)]
    pub fn list(&self, path: String, opts: Option<JsValue>) -> Promise {
        let opts = Options::new(opts);
        let cfg = self.content_config(&opts, REQUEST_TIMEOUT_MS);
        self.promise(move |d, _| async move {
            let req = ContentRequest::new("GET", "dir", &d.volume_id)
                .query(vec![("path", Some(path.clone())), ("depth", opts.query_value("depth"))]);
            let (res, flight) = content_call(&cfg, req).await?;
            ensure_content_ok(&res, &flight, &path).await?;
            let json = http::json(&res, &flight).await?;
            if !js_sys::Array::is_array(&json) {
                return Ok(js_sys::Array::new().into());
            }
            entry::list_from_json(json)
        })
    }

    /// Creates a directory (`force`: create parents; an existing directory is fine).
    #[wasm_bindgen(js_name = makeDir)]
    pub fn make_dir(&self, path: String, opts: Option<JsValue>) -> Promise {
        let opts = Options::new(opts);
        let cfg = self.content_config(&opts, REQUEST_TIMEOUT_MS);
        self.promise(move |d, _| async move {
            let req = ContentRequest::new("POST", "dir", &d.volume_id).query(write_query(&path, &opts));
            entry_reply(&cfg, req, &path).await
        })
    }

    /// Metadata of a file or directory.
    #[wasm_bindgen(js_name = getInfo)]
    pub fn get_info(&self, path: String, opts: Option<JsValue>) -> Promise {
        let opts = Options::new(opts);
        let cfg = self.content_config(&opts, REQUEST_TIMEOUT_MS);
        self.promise(move |d, _| async move {
            entry_reply(&cfg, ContentRequest::new("GET", "path", &d.volume_id).path(&path), &path).await
        })
    }

    /// Whether a path exists (only "not found" maps to `false`).
    pub fn exists(&self, path: String, opts: Option<JsValue>) -> Promise {
        let opts = Options::new(opts);
        let cfg = self.content_config(&opts, REQUEST_TIMEOUT_MS);
        self.promise(move |d, _| async move {
            let (res, flight) = stat_call(&cfg, &d.volume_id, &path).await?;
            if res.status() == 404 {
                return Ok(false.into());
            }
            ensure_ok(&res, &flight, Family::Volume).await?;
            Ok(true.into())
        })
    }

    /// Changes owner and mode (absent fields stay unchanged).
    #[wasm_bindgen(js_name = updateMetadata)]
    pub fn update_metadata(&self, path: String, metadata: Option<JsValue>, opts: Option<JsValue>) -> Promise {
        let opts = Options::new(opts);
        let metadata = Options::new(metadata);
        let cfg = self.content_config(&opts, REQUEST_TIMEOUT_MS);
        self.promise(move |d, _| async move {
            // Sent verbatim so that a bad value gets the server's own 400, as with the official SDK.
            let body = Object::new();
            for key in ["uid", "gid", "mode"] {
                if let Some(v) = metadata.get(key) {
                    set(&body, key, &v);
                }
            }
            let req = ContentRequest::new("PATCH", "path", &d.volume_id)
                .path(&path)
                .json(js_sys::JSON::stringify(&body)?.into());
            entry_reply(&cfg, req, &path).await
        })
    }

    /// Reads a file as text (default), bytes, a Blob or a stream.
    #[wasm_bindgen(js_name = readFile)]
    pub fn read_file(&self, path: String, opts: Option<JsValue>) -> Promise {
        let opts = Options::new(opts);
        let cfg = self.content_config(&opts, FILE_TIMEOUT_MS);
        let cfg_timeout_ms = cfg.deadline.timeout_ms;
        self.promise(move |d, _| async move {
            let format = http::BodyFormat::from_opts(&opts)?;
            let req = ContentRequest::new("GET", "file", &d.volume_id).path(&path);
            let (res, flight) = content_call(&cfg, req).await?;
            ensure_content_ok(&res, &flight, &path).await?;
            let idle = opts.number("streamIdleTimeoutMs").unwrap_or(cfg_timeout_ms);
            http::read_body(&res, flight, format, idle).await
        })
    }

    /// Writes a file from a string, ArrayBuffer, typed array, Blob or ReadableStream.
    #[wasm_bindgen(js_name = writeFile)]
    pub fn write_file(&self, path: String, data: JsValue, opts: Option<JsValue>) -> Promise {
        let opts = Options::new(opts);
        let mut cfg = self.content_config(&opts, FILE_TIMEOUT_MS);
        self.promise(move |d, _| async move {
            let (body, streamed) = match classify_upload(data)? {
                Upload::Whole(v) => (v, false),
                Upload::Stream(s) if env::is_node() => (s, true),
                Upload::Stream(s) => (stream_to_blob(s).await?, false),
            };
            if streamed {
                // A streamed upload has no client timeout, only the user's signal.
                cfg.deadline.timeout_ms = 0.0;
            }
            let req =
                ContentRequest::new("PUT", "file", &d.volume_id).query(write_query(&path, &opts)).body(body, streamed);
            entry_reply(&cfg, req, &path).await
        })
    }

    /// Removes a file or a whole directory.
    pub fn remove(&self, path: String, opts: Option<JsValue>) -> Promise {
        let opts = Options::new(opts);
        let cfg = self.content_config(&opts, REQUEST_TIMEOUT_MS);
        self.promise(move |d, _| async move {
            let req = ContentRequest::new("DELETE", "path", &d.volume_id).path(&path);
            let (res, flight) = content_call(&cfg, req).await?;
            ensure_content_ok(&res, &flight, &path).await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}

fn write_query(path: &str, opts: &Options) -> Vec<(&'static str, Option<String>)> {
    vec![
        ("path", Some(path.to_string())),
        ("uid", opts.query_value("uid")),
        ("gid", opts.query_value("gid")),
        ("mode", opts.query_value("mode")),
        ("force", opts.query_value("force")),
    ]
}

async fn stat_call(cfg: &VolumeApiConfig, volume_id: &str, path: &str) -> Result<(Response, InFlight), JsValue> {
    content_call(cfg, ContentRequest::new("GET", "path", volume_id).path(path)).await
}

async fn fetch_volume(cfg: &ApiConfig, volume_id: &str) -> Result<VolumeAndToken, JsValue> {
    let (res, flight) = api_call(cfg, "GET", &volume_path(volume_id), None).await?;
    if res.status() == 404 {
        return Err(errors::volume_not_found(volume_id));
    }
    ensure_ok(&res, &flight, Family::Volume).await?;
    Ok(serde_wasm_bindgen::from_value(http::json(&res, &flight).await?)?)
}
