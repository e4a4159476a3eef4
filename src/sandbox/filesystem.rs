//! `sandbox.files`: read, write, list, make directories, stat, rename, remove and watch inside a
//! sandbox.

pub mod links;

use std::future::Future;
use std::rc::Rc;

use e2b_wire::connect::Code;
use e2b_wire::envd::filesystem::{method as fs, ListDirRequest, MoveRequest, PathRequest, SERVICE};
use e2b_wire::envd::{FilesQuery, METADATA_HEADER_PREFIX};
use e2b_wire::fields::entry as field;
use e2b_wire::headers::{ACCEPT_ENCODING, CONTENT_ENCODING, GZIP};
use js_sys::{Array, Function, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::FormData;

use crate::args::text;
use crate::config::{deadline, REQUEST_TIMEOUT_MS};
use crate::envd::client::{files_path, Request};
use crate::envd::connection::Connection;
use crate::envd::rpc::{unary, CallOpts, Method};
use crate::errors::{messages, Error, Result};
use crate::options::Options;
use crate::sandbox::entry;
use crate::sandbox::watch;
use crate::transport::body::{json_text, stream_body, BodyFormat};
use crate::transport::fetch::{Deadline, Read};
use crate::transport::host;
use crate::transport::js::get;
use crate::transport::promise::promise;
use crate::transport::reply::Reply;
use crate::transport::upload::{blob_of, Upload};

#[wasm_bindgen(module = "/src/js/streams.js")]
extern "C" {
    /// `data` gzip-compressed: a stream when `stream`, else a Blob (see `src/js/streams.js`).
    fn gzipped(data: &JsValue, stream: bool) -> Promise;
}

/// Files inside one sandbox.
#[wasm_bindgen]
pub struct Filesystem {
    conn: Rc<Connection>,
}

impl Filesystem {
    /// Files of the sandbox `conn` reaches.
    pub fn new(conn: Rc<Connection>) -> Self {
        Self { conn }
    }

    /// The connection of the sandbox (shared with the sandbox's other members).
    pub fn connection(&self) -> Rc<Connection> {
        self.conn.clone()
    }

    /// Runs `f` with the connection and the merged options as a promise. The options are merged
    /// now, not in a wrapping future: one state machine per method instead of two.
    fn call<F>(&self, opts: Option<JsValue>, f: impl FnOnce(Rc<Connection>, Options) -> F) -> Promise
    where
        F: Future<Output = Result<JsValue>> + 'static,
    {
        let o = self.conn.merged(&opts);
        promise(f(self.conn.clone(), o))
    }
}

/// A unary `filesystem.Filesystem` call with a JSON request; resolves to the reply. The `user`
/// option sets who acts.
async fn rpc(conn: &Connection, o: &Options, name: &'static str, request: String) -> Result<Reply> {
    let user = o.string("user");
    let dl = deadline(o, REQUEST_TIMEOUT_MS);
    let method = Method { service: SERVICE, name, files: true };
    unary(&conn.envd(o), method, request, &CallOpts { user: user.as_deref(), deadline: &dl }).await
}

/// The request of `Stat`, `MakeDir` and `Remove` on the path argument `path`.
fn path_request(path: &JsValue) -> Result<String> {
    json_text(&PathRequest { path: text(path, "path")? })
}

/// The entry of a `Stat` or `Move` reply.
fn entry_of(reply: &Reply) -> Result<JsValue> {
    entry::to_js(&reply.get(field::ENTRY)).ok_or_else(|| Error::Sandbox("envd returned no entry".into()))
}

/// The `/files` URL for `path` (if one) as the `user` option.
fn files_url(path: Option<String>, o: &Options) -> Result<String> {
    files_path(&FilesQuery { path, username: o.string("user"), ..FilesQuery::default() })
}

/// Files to upload: each one's path and data.
type FileList = Vec<(String, JsValue)>;

/// `write(path, data)` or `write([{path, data}, …])` as a list of files, with the path of a single
/// write; the official SDK's errors for anything else.
fn files_to_write(path_or_files: &JsValue, data: JsValue) -> Result<(FileList, Option<String>)> {
    if let Some(path) = path_or_files.as_string() {
        if Array::is_array(&data) {
            return Err(Error::Plain(messages::PATH_AND_FILES.into()));
        }
        return Ok((vec![(path.clone(), data)], Some(path)));
    }
    if !Array::is_array(path_or_files) {
        return Err(Error::Plain(messages::PATH_OR_FILES_REQUIRED.into()));
    }
    let files: FileList = Array::from(path_or_files)
        .iter()
        .map(|f| (get(&f, "path").as_string().unwrap_or_default(), get(&f, "data")))
        .collect();
    if files.iter().any(|(p, _)| p.is_empty()) {
        return Err(Error::InvalidArgument("every file needs a path".into()));
    }
    Ok((files, None))
}

/// True for a metadata key that is an HTTP token (it travels as a header name).
fn is_token(key: &str) -> bool {
    !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The `metadata` option as upload headers (`X-Metadata-<key>`), checked as the official SDK checks it.
fn metadata_headers(o: &Options) -> Result<Vec<(String, String)>> {
    let Some(metadata) = o.get("metadata").filter(|m| m.is_object()) else { return Ok(Vec::new()) };
    let mut headers = Vec::new();
    for pair in Object::entries(metadata.unchecked_ref()).iter() {
        let pair: Array = pair.unchecked_into();
        let key = pair.get(0).as_string().unwrap_or_default();
        if !is_token(&key) {
            return Err(Error::InvalidArgument(messages::invalid_metadata_key(&key)));
        }
        let value = pair.get(1).as_string().filter(|v| v.bytes().all(|b| (0x20..=0x7e).contains(&b)));
        let value = value.ok_or_else(|| Error::InvalidArgument(messages::invalid_metadata_value(&key)))?;
        headers.push(([METADATA_HEADER_PREFIX, &key].concat(), value));
    }
    Ok(headers)
}

/// The files an upload reply reports (a list of `WriteInfo`, or one).
fn uploaded(reply: Reply) -> Vec<JsValue> {
    if Array::is_array(&reply.0) {
        return reply.items().map(|w| entry::written(&w)).collect();
    }
    vec![entry::written(&reply)]
}

/// Uploads `body` to `url` with `headers`: raw bytes (`octet`; a streamed one with no timeout, only
/// the signal), or a multipart form.
async fn upload(
    conn: &Connection,
    o: &Options,
    url: &str,
    body: JsValue,
    streamed: bool,
    octet: bool,
    headers: &[(String, String)],
) -> Result<Vec<JsValue>> {
    let content_type = octet.then_some("application/octet-stream");
    let dl = if streamed { Deadline { timeout_ms: 0.0, signal: o.signal() } } else { deadline(o, REQUEST_TIMEOUT_MS) };
    let req = Request { method: "POST", path: url, body: Some(body), content_type, streamed };
    let reply = conn.envd(o).rest_ok_with(req, headers, &dl, true, Read::Json).await?;
    Ok(uploaded(Reply(reply.body)))
}

/// Writes files: with `gzip`, each compressed in a request of its own; with `useOctetStream`, or
/// streams in Node unless it is `false`, each as raw bytes in a request of its own; everything else
/// in one multipart form. `single` is the path of a single write.
async fn write_files(
    conn: &Connection,
    o: &Options,
    files: Vec<(String, JsValue)>,
    single: Option<String>,
) -> Result<Vec<JsValue>> {
    let headers = metadata_headers(o)?;
    let gzip = o.boolean("gzip") == Some(true);
    let octet = o.boolean("useOctetStream");
    let mut infos = Vec::new();
    let form = FormData::new()?;
    let mut in_form = 0;
    for (path, value) in files {
        let data = Upload::classify(value).ok_or_else(|| {
            Error::InvalidArgument(
                "file data must be a string, ArrayBuffer, typed array, Blob or ReadableStream".into(),
            )
        })?;
        if gzip {
            let streamed = host::is_node();
            let body = JsFuture::from(gzipped(data.value(), streamed)).await?;
            let mut gz = headers.clone();
            gz.push((CONTENT_ENCODING.into(), GZIP.into()));
            infos.extend(upload(conn, o, &files_url(Some(path), o)?, body, streamed, true, &gz).await?);
            continue;
        }
        let (body, streamed) = data.body(octet != Some(false)).await?;
        if streamed || octet == Some(true) {
            infos.extend(upload(conn, o, &files_url(Some(path), o)?, body, streamed, true, &headers).await?)
        } else {
            form.append_with_blob_and_filename("file", &blob_of(body)?, &path)?;
            in_form += 1;
        }
    }
    if in_form > 0 {
        let url = files_url(single, o)?;
        infos.extend(upload(conn, o, &url, form.into(), false, false, &headers).await?);
    }
    Ok(infos)
}

/// Reads a file as `format` asks; `gzip` asks for a compressed transfer (the platform's `fetch`
/// decompresses it).
async fn read_file(conn: &Connection, o: &Options, path: String) -> Result<JsValue> {
    let format = BodyFormat::from_opts(o)?;
    let url = files_url(Some(path), o)?;
    let req = Request { method: "GET", path: &url, body: None, content_type: None, streamed: false };
    let dl = deadline(o, REQUEST_TIMEOUT_MS);
    let extra = if o.boolean("gzip") == Some(true) { vec![(ACCEPT_ENCODING.into(), GZIP.into())] } else { vec![] };
    match format.read() {
        Some(read) => Ok(conn.envd(o).rest_ok_with(req, &extra, &dl, true, read).await?.body),
        None => {
            let (res, flight) = conn.envd(o).rest_stream(req, &extra, &dl, true).await?;
            let idle = o.number("streamIdleTimeoutMs").unwrap_or(REQUEST_TIMEOUT_MS);
            Ok(stream_body(&res, flight, idle))
        }
    }
}

#[wasm_bindgen]
impl Filesystem {
    /// Reads a file as text (default), bytes, a Blob or a stream.
    #[wasm_bindgen(skip_typescript)]
    pub fn read(&self, path: JsValue, opts: Option<JsValue>) -> Promise {
        self.call(opts, async move |conn, o| read_file(&conn, &o, text(&path, "path")?).await)
    }

    /// Writes one file (`write(path, data)`) or several (`write([{path, data}, …])`), creating parents.
    #[wasm_bindgen(skip_typescript)]
    pub fn write(&self, path_or_files: JsValue, data_or_opts: JsValue, maybe_opts: Option<JsValue>) -> Promise {
        let many = Array::is_array(&path_or_files);
        let opts = if many { Some(data_or_opts.clone()).filter(|v| v.is_object()) } else { maybe_opts };
        self.call(opts, async move |conn, o| {
            let (files, single) = files_to_write(&path_or_files, data_or_opts)?;
            if files.is_empty() {
                return Ok(Array::new().into());
            }
            let infos = write_files(&conn, &o, files, single.clone()).await?;
            if single.is_some() && infos.len() == 1 {
                return Ok(infos.into_iter().next().unwrap_or(JsValue::UNDEFINED));
            }
            Ok(infos.into_iter().collect::<Array>().into())
        })
    }

    /// Writes several files in one request (as `write([{path, data}, …])`).
    #[wasm_bindgen(js_name = writeFiles, unchecked_return_type = "Promise<WriteInfo[]>")]
    pub fn write_files(
        &self,
        #[wasm_bindgen(unchecked_param_type = "WriteEntry[]")] files: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "FilesystemWriteOpts")] opts: Option<JsValue>,
    ) -> Promise {
        self.write(files, opts.unwrap_or(JsValue::UNDEFINED), None)
    }

    /// Lists a directory (`depth` levels, default 1).
    #[wasm_bindgen(unchecked_return_type = "Promise<EntryInfo[]>")]
    pub fn list(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] path: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "FilesystemListOpts")] opts: Option<JsValue>,
    ) -> Promise {
        self.call(opts, async move |conn, o| {
            let path = text(&path, "path")?;
            let depth = o.number("depth").unwrap_or(1.0);
            if depth < 1.0 {
                return Err(Error::InvalidArgument("depth should be at least one".into()));
            }
            let req = json_text(&ListDirRequest { path, depth: depth as u32 })?;
            let listed = rpc(&conn, &o, fs::LIST_DIR, req).await?;
            Ok(listed.get(field::ENTRIES).items().filter_map(|e| entry::to_js(&e)).collect::<Array>().into())
        })
    }

    /// Creates a directory and its parents; `false` if it already existed.
    #[wasm_bindgen(js_name = makeDir, unchecked_return_type = "Promise<boolean>")]
    pub fn make_dir(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] path: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "FilesystemRequestOpts")] opts: Option<JsValue>,
    ) -> Promise {
        self.call(opts, async move |conn, o| match rpc(&conn, &o, fs::MAKE_DIR, path_request(&path)?).await {
            Ok(_) => Ok(true.into()),
            Err(Error::Connect { code: Code::AlreadyExists, .. }) => Ok(false.into()),
            Err(e) => Err(e),
        })
    }

    /// Whether a path exists.
    #[wasm_bindgen(unchecked_return_type = "Promise<boolean>")]
    pub fn exists(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] path: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "FilesystemRequestOpts")] opts: Option<JsValue>,
    ) -> Promise {
        self.call(opts, async move |conn, o| match rpc(&conn, &o, fs::STAT, path_request(&path)?).await {
            Ok(_) => Ok(true.into()),
            Err(Error::Connect { code: Code::NotFound, .. }) => Ok(false.into()),
            Err(e) => Err(e),
        })
    }

    /// Information about a file or directory.
    #[wasm_bindgen(js_name = getInfo, unchecked_return_type = "Promise<EntryInfo>")]
    pub fn get_info(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] path: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "FilesystemRequestOpts")] opts: Option<JsValue>,
    ) -> Promise {
        self.call(opts, async move |conn, o| entry_of(&rpc(&conn, &o, fs::STAT, path_request(&path)?).await?))
    }

    /// Renames (moves) a file or directory.
    #[wasm_bindgen(unchecked_return_type = "Promise<EntryInfo>")]
    pub fn rename(
        &self,
        #[wasm_bindgen(js_name = oldPath, unchecked_param_type = "string")] old_path: JsValue,
        #[wasm_bindgen(js_name = newPath, unchecked_param_type = "string")] new_path: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "FilesystemRequestOpts")] opts: Option<JsValue>,
    ) -> Promise {
        self.call(opts, async move |conn, o| {
            let (source, destination) = (text(&old_path, "oldPath")?, text(&new_path, "newPath")?);
            let req = json_text(&MoveRequest { source, destination })?;
            entry_of(&rpc(&conn, &o, fs::MOVE, req).await?)
        })
    }

    /// Watches a directory: `onEvent` gets each change under it, one at a time, until the handle
    /// stops it or `timeoutMs` (default 60 000; 0 for none) passes.
    #[wasm_bindgen(js_name = watchDir, unchecked_return_type = "Promise<WatchHandle>")]
    pub fn watch_dir(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] path: JsValue,
        #[wasm_bindgen(js_name = onEvent, unchecked_param_type = "(event: FilesystemEvent) => void | Promise<void>")]
        on_event: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WatchOpts")] opts: Option<JsValue>,
    ) -> Promise {
        self.call(opts, async move |conn, o| {
            let path = text(&path, "path")?;
            let on_event: Function =
                on_event.dyn_into().map_err(|_| Error::InvalidArgument("onEvent must be a function".into()))?;
            Ok(watch::watch_dir(&conn, path, on_event, o).await?.into())
        })
    }

    /// Removes a file or a directory with its contents.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn remove(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] path: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "FilesystemRequestOpts")] opts: Option<JsValue>,
    ) -> Promise {
        self.call(opts, async move |conn, o| {
            rpc(&conn, &o, fs::REMOVE, path_request(&path)?).await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}
