//! `Volume`: E2B volumes — create, connect, list, destroy — and their files, read and written directly.

use std::cell::OnceCell;
use std::rc::Rc;

use e2b_wire::fields::volume as field;
use js_sys::{Object, Promise};
use wasm_bindgen::prelude::*;

use crate::args::{ensure_text, optional_text, text};
use crate::config::{ApiConfig, VolumeApiConfig, VolumeDefaults, FILE_TIMEOUT_MS, REQUEST_TIMEOUT_MS};
use crate::errors::{Error, Result};
use crate::options::Options;
use crate::transport::body::BodyFormat;
use crate::transport::headers::Headers;
use crate::transport::js::set;
use crate::transport::promise::promise;
use crate::transport::query::component;
use crate::transport::reply::{As, Field, Reply};
use crate::transport::upload::Upload;
use crate::volume::api;
use crate::volume::content::{start, write_query, ContentRequest, Then};

struct VolumeData {
    volume_id: String,
    name: String,
    token: String,
    domain: Option<String>,
    debug: Option<bool>,
    proxy: Option<String>,
    /// The control-plane URL the user chose when creating or connecting, reused for content calls.
    api_url: Option<JsValue>,
    /// The headers of its content calls (`Headers::bearer` of the token), made on the first.
    auth: OnceCell<Object>,
    /// `/volumecontent/{volumeID}/`, made on the first content call.
    prefix: OnceCell<JsValue>,
}

/// A persistent volume: its identity and token, and methods on its files.
#[wasm_bindgen]
pub struct Volume {
    data: Rc<VolumeData>,
}

impl Volume {
    /// The volume of a `VolumeAndToken` reply.
    fn from_reply(v: &Reply, cfg: &ApiConfig) -> Result<Self> {
        Ok(Self {
            data: Rc::new(VolumeData {
                volume_id: v.required(field::VOLUME_ID)?,
                name: v.required(field::NAME)?,
                token: v.required(field::TOKEN)?,
                domain: Some(domain_of(v).unwrap_or_else(|| cfg.domain.clone())),
                debug: Some(cfg.debug),
                proxy: cfg.proxy.clone(),
                api_url: cfg.explicit_url.then(|| cfg.api_url.as_str().into()),
                auth: OnceCell::new(),
                prefix: OnceCell::new(),
            }),
        })
    }

    fn content_config(&self, opts: &Options, default_timeout_ms: f64) -> VolumeApiConfig {
        let d = &self.data;
        let defaults = VolumeDefaults {
            auth: d.auth.get_or_init(|| Headers::bearer(&d.token)),
            prefix: d.prefix.get_or_init(|| ["/volumecontent/", &component(&d.volume_id), "/"].concat().into()),
            domain: d.domain.as_deref(),
            debug: d.debug,
            api_url: d.api_url.as_ref(),
            proxy: d.proxy.as_deref(),
        };
        VolumeApiConfig::new(&defaults, opts, default_timeout_ms)
    }

    /// Sends the content request `build` makes about `path` (which must be a string; it is not
    /// copied into the wasm), with `opts` and the default timeout; resolves as `Then` says.
    fn content(
        &self,
        path: JsValue,
        opts: &Options,
        default_timeout_ms: f64,
        build: impl FnOnce() -> Result<(ContentRequest, Then)>,
    ) -> Promise {
        match ensure_text(&path, "path").and_then(|()| build()) {
            Ok((req, then)) => start(self.content_config(opts, default_timeout_ms), req.about(path), then),
            Err(e) => Promise::reject(&e.into()),
        }
    }
}

/// A volume as `Volume.list` shows it.
const LISTED: &[Field] = &[Field(field::VOLUME_ID, "volumeId", As::Str), Field(field::NAME, "name", As::Str)];

/// The domain a reply names, if not empty.
fn domain_of(v: &Reply) -> Option<String> {
    v.str(field::DOMAIN).filter(|d| !d.is_empty())
}

/// A `VolumeAndToken` reply as `Volume.getInfo` returns it.
fn info_of(v: &Reply) -> JsValue {
    let obj = v.reshape(LISTED);
    set(&obj, "token", &v.get(field::TOKEN).0);
    set(&obj, "domain", &domain_of(v).map(JsValue::from).unwrap_or(JsValue::UNDEFINED));
    obj.into()
}

/// The body of `updateMetadata`: the given fields, sent verbatim so that a bad value gets the
/// server's own 400, as with the official SDK.
fn metadata_body(metadata: &Options) -> Result<String> {
    let body = Object::new();
    for key in ["uid", "gid", "mode"] {
        if let Some(v) = metadata.get(key) {
            set(&body, key, &v);
        }
    }
    Ok(js_sys::JSON::stringify(&body)?.into())
}

#[wasm_bindgen]
impl Volume {
    /// Makes a local `Volume` object; no request is sent.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(js_name = volumeId, unchecked_param_type = "string")] volume_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] domain: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "boolean")] debug: Option<bool>,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] proxy: Option<JsValue>,
    ) -> std::result::Result<Volume, JsValue> {
        let data = VolumeData {
            volume_id: text(&volume_id, "volumeId")?,
            name: text(&name, "name")?,
            token: text(&token, "token")?,
            domain: optional_text(domain, "domain")?,
            debug,
            proxy: optional_text(proxy, "proxy")?,
            api_url: None,
            auth: OnceCell::new(),
            prefix: OnceCell::new(),
        };
        Ok(Volume { data: Rc::new(data) })
    }

    /// Takes the state of `other` (the package's entry uses it to make subclass instances).
    #[wasm_bindgen(js_name = __adopt, skip_typescript)]
    pub fn adopt(&mut self, other: &Volume) {
        self.data = other.data.clone();
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

    /// The proxy URL this volume's requests go through (in Node; see the `proxy` option).
    #[wasm_bindgen(getter)]
    pub fn proxy(&self) -> Option<String> {
        self.data.proxy.clone()
    }

    /// Creates a volume (`POST /volumes`).
    #[wasm_bindgen(unchecked_return_type = "Promise<Volume>")]
    pub fn create(
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ConnectionOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let cfg = ApiConfig::new(&Options::new(opts));
        promise(async move {
            let name = text(&name, "name")?;
            Ok(Volume::from_reply(&api::create(&cfg, name).await?, &cfg)?.into())
        })
    }

    /// Connects to an existing volume by ID (`GET /volumes/{id}`).
    #[wasm_bindgen(unchecked_return_type = "Promise<Volume>")]
    pub fn connect(
        #[wasm_bindgen(js_name = volumeId, unchecked_param_type = "string")] volume_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ConnectionOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let cfg = ApiConfig::new(&Options::new(opts));
        promise(async move {
            let volume_id = text(&volume_id, "volumeId")?;
            Ok(Volume::from_reply(&api::get(&cfg, &volume_id).await?, &cfg)?.into())
        })
    }

    /// `Volume.getInfo(volumeId, opts)`: the volume with a fresh token (exposed as `getInfo` by the
    /// package's entry, which strips the `__static_` prefix).
    #[wasm_bindgen(js_name = __static_getInfo, skip_typescript)]
    pub fn get_volume_info(volume_id: JsValue, opts: Option<JsValue>) -> Promise {
        let cfg = ApiConfig::new(&Options::new(opts));
        promise(async move { Ok(info_of(&api::get(&cfg, &text(&volume_id, "volumeId")?).await?)) })
    }

    /// `Volume.list(opts)`: every volume of the team (`{ volumeId, name }` each).
    #[wasm_bindgen(js_name = __static_list, skip_typescript)]
    pub fn list_volumes(opts: Option<JsValue>) -> Promise {
        let cfg = ApiConfig::new(&Options::new(opts));
        promise(async move { Ok(api::list(&cfg).await?.reshape_each(LISTED).into()) })
    }

    /// Destroys a volume; resolves `false` when it did not exist.
    #[wasm_bindgen(unchecked_return_type = "Promise<boolean>")]
    pub fn destroy(
        #[wasm_bindgen(js_name = volumeId, unchecked_param_type = "string")] volume_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ConnectionOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let cfg = ApiConfig::new(&Options::new(opts));
        promise(async move { Ok(api::destroy(&cfg, &text(&volume_id, "volumeId")?).await?.into()) })
    }

    /// Lists a directory, `depth` levels deep (default 1).
    #[wasm_bindgen(unchecked_return_type = "Promise<VolumeEntryStat[]>")]
    pub fn list(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] path: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "VolumeListOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let opts = Options::new(opts);
        self.content(path, &opts, REQUEST_TIMEOUT_MS, || {
            let query = vec![("depth", opts.query_value("depth"))];
            Ok((ContentRequest::new("GET", "dir").query(query), Then::Entries))
        })
    }

    /// Creates a directory (`force`: create parents; an existing directory is fine).
    #[wasm_bindgen(js_name = makeDir, unchecked_return_type = "Promise<VolumeEntryStat>")]
    pub fn make_dir(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] path: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "VolumeWriteOpts & VolumeApiOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let opts = Options::new(opts);
        self.content(path, &opts, REQUEST_TIMEOUT_MS, || {
            Ok((ContentRequest::new("POST", "dir").query(write_query(&opts)), Then::Entry))
        })
    }

    /// Metadata of a file or directory.
    #[wasm_bindgen(js_name = getInfo, unchecked_return_type = "Promise<VolumeEntryStat>")]
    pub fn get_info(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] path: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "VolumeApiOpts")] opts: Option<JsValue>,
    ) -> Promise {
        self.content(path, &Options::new(opts), REQUEST_TIMEOUT_MS, || {
            Ok((ContentRequest::new("GET", "path"), Then::Entry))
        })
    }

    /// Whether a path exists (only "not found" maps to `false`).
    #[wasm_bindgen(unchecked_return_type = "Promise<boolean>")]
    pub fn exists(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] path: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "VolumeApiOpts")] opts: Option<JsValue>,
    ) -> Promise {
        self.content(path, &Options::new(opts), REQUEST_TIMEOUT_MS, || {
            Ok((ContentRequest::new("GET", "path"), Then::Exists))
        })
    }

    /// Changes owner and mode (absent fields stay unchanged).
    #[wasm_bindgen(js_name = updateMetadata, unchecked_return_type = "Promise<VolumeEntryStat>")]
    pub fn update_metadata(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] path: JsValue,
        #[wasm_bindgen(unchecked_param_type = "VolumeMetadataOpts")] metadata: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "VolumeApiOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let metadata = Options::new(metadata);
        self.content(path, &Options::new(opts), REQUEST_TIMEOUT_MS, || {
            let req = ContentRequest::new("PATCH", "path").json(metadata_body(&metadata)?);
            Ok((req, Then::Entry))
        })
    }

    /// Reads a file as text (default), bytes, a Blob or a stream.
    #[wasm_bindgen(js_name = readFile, skip_typescript)]
    pub fn read_file(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] path: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "VolumeReadOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let opts = Options::new(opts);
        self.content(path, &opts, FILE_TIMEOUT_MS, || {
            let then = match BodyFormat::from_opts(&opts)?.read() {
                Some(read) => Then::Body(read),
                None => Then::Stream(opts.number("streamIdleTimeoutMs")),
            };
            Ok((ContentRequest::new("GET", "file"), then))
        })
    }

    /// Writes a file from a string, ArrayBuffer, typed array, Blob or ReadableStream.
    #[wasm_bindgen(js_name = writeFile, unchecked_return_type = "Promise<VolumeEntryStat>")]
    pub fn write_file(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] path: JsValue,
        #[wasm_bindgen(unchecked_param_type = "VolumeWriteData")] data: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "VolumeWriteFileOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let opts = Options::new(opts);
        self.content(path, &opts, FILE_TIMEOUT_MS, || {
            let data = Upload::classify(data).ok_or_else(|| {
                Error::InvalidArgument(
                    "writeFile data must be a string, ArrayBuffer, typed array, Blob or ReadableStream".into(),
                )
            })?;
            Ok((ContentRequest::new("PUT", "file").query(write_query(&opts)).upload(data), Then::Entry))
        })
    }

    /// Removes a file or a whole directory.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn remove(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] path: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "VolumeApiOpts")] opts: Option<JsValue>,
    ) -> Promise {
        self.content(path, &Options::new(opts), REQUEST_TIMEOUT_MS, || {
            Ok((ContentRequest::new("DELETE", "path"), Then::Nothing))
        })
    }
}
