//! `sandbox.files`: read, write, list, make directories, stat, rename, remove and watch inside a
//! sandbox.

use std::rc::Rc;

use e2b_wire::connect::Code;
use e2b_wire::envd::filesystem::{method as fs, ListDirRequest, MoveRequest, PathRequest, SERVICE};
use e2b_wire::envd::FilesQuery;
use e2b_wire::fields::entry as field;
use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::FormData;

use crate::args::text;
use crate::config::{deadline, REQUEST_TIMEOUT_MS};
use crate::envd::client::{files_path, Request};
use crate::envd::connection::Connection;
use crate::envd::rpc::{unary, CallOpts, Method};
use crate::errors::{Error, Result};
use crate::options::Options;
use crate::sandbox::entry;
use crate::sandbox::watch;
use crate::transport::body::{json_text, stream_body, BodyFormat};
use crate::transport::fetch::{Deadline, Read};
use crate::transport::js::get;
use crate::transport::promise::promise;
use crate::transport::reply::Reply;
use crate::transport::upload::{blob_of, Upload};

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

    fn call(
        &self,
        opts: Option<JsValue>,
        f: impl AsyncFnOnce(Rc<Connection>, Options) -> Result<JsValue> + 'static,
    ) -> Promise {
        let conn = self.conn.clone();
        promise(async move {
            let o = conn.merged(&opts);
            f(conn, o).await
        })
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

/// `write(path, data)` or `write([{path, data}, …])` as a list of files; every file needs a path.
fn files_to_write(path_or_files: &JsValue, data: JsValue) -> Result<Vec<(String, JsValue)>> {
    let files: Vec<(String, JsValue)> = if Array::is_array(path_or_files) {
        Array::from(path_or_files)
            .iter()
            .map(|f| (get(&f, "path").as_string().unwrap_or_default(), get(&f, "data")))
            .collect()
    } else {
        vec![(path_or_files.as_string().unwrap_or_default(), data)]
    };
    if files.iter().any(|(p, _)| p.is_empty()) {
        return Err(Error::InvalidArgument("every file needs a path".into()));
    }
    Ok(files)
}

/// The files an upload reply reports (a list of `WriteInfo`, or one).
fn uploaded(reply: Reply) -> Vec<JsValue> {
    if Array::is_array(&reply.0) {
        return reply.items().map(|w| entry::written(&w)).collect();
    }
    vec![entry::written(&reply)]
}

/// Uploads `body` to `url`: a stream as raw bytes (no timeout, only the signal), or a multipart form.
async fn upload(conn: &Connection, o: &Options, url: &str, body: JsValue, streamed: bool) -> Result<Vec<JsValue>> {
    let (content_type, dl) = if streamed {
        (Some("application/octet-stream"), Deadline { timeout_ms: 0.0, signal: o.signal() })
    } else {
        (None, deadline(o, REQUEST_TIMEOUT_MS))
    };
    let req = Request { method: "POST", path: url, body: Some(body), content_type, streamed };
    let reply = conn.envd(o).rest_ok(req, &dl, true, Read::Json).await?;
    Ok(uploaded(Reply(reply.body)))
}

/// Writes files: streams (in Node) one request each, everything else in one multipart form.
async fn write_files(
    conn: &Connection,
    o: &Options,
    files: Vec<(String, JsValue)>,
    many: bool,
) -> Result<Vec<JsValue>> {
    let single = (!many).then(|| files[0].0.clone());
    let mut infos = Vec::new();
    let form = FormData::new()?;
    let mut in_form = 0;
    for (path, value) in files {
        let upload_data = Upload::classify(value).ok_or_else(|| {
            Error::InvalidArgument(
                "file data must be a string, ArrayBuffer, typed array, Blob or ReadableStream".into(),
            )
        })?;
        match upload_data.body().await? {
            (stream, true) => infos.extend(upload(conn, o, &files_url(Some(path), o)?, stream, true).await?),
            (whole, false) => {
                form.append_with_blob_and_filename("file", &blob_of(whole)?, &path)?;
                in_form += 1;
            }
        }
    }
    if in_form > 0 {
        infos.extend(upload(conn, o, &files_url(single, o)?, form.into(), false).await?);
    }
    Ok(infos)
}

#[wasm_bindgen]
impl Filesystem {
    /// Reads a file as text (default), bytes, a Blob or a stream.
    #[wasm_bindgen(skip_typescript)]
    pub fn read(&self, path: JsValue, opts: Option<JsValue>) -> Promise {
        self.call(opts, async move |conn, o| {
            let path = text(&path, "path")?;
            let format = BodyFormat::from_opts(&o)?;
            let url = files_url(Some(path), &o)?;
            let req = Request { method: "GET", path: &url, body: None, content_type: None, streamed: false };
            let dl = deadline(&o, REQUEST_TIMEOUT_MS);
            match format.read() {
                Some(read) => Ok(conn.envd(&o).rest_ok(req, &dl, true, read).await?.body),
                None => {
                    let (res, flight) = conn.envd(&o).rest_stream(req, &dl, true).await?;
                    let idle = o.number("streamIdleTimeoutMs").unwrap_or(REQUEST_TIMEOUT_MS);
                    Ok(stream_body(&res, flight, idle))
                }
            }
        })
    }

    /// Writes one file (`write(path, data)`) or several (`write([{path, data}, …])`), creating parents.
    #[wasm_bindgen(skip_typescript)]
    pub fn write(&self, path_or_files: JsValue, data_or_opts: JsValue, maybe_opts: Option<JsValue>) -> Promise {
        let many = Array::is_array(&path_or_files);
        let opts = if many { Some(data_or_opts.clone()).filter(|v| v.is_object()) } else { maybe_opts };
        self.call(opts, async move |conn, o| {
            let files = files_to_write(&path_or_files, data_or_opts)?;
            let infos = write_files(&conn, &o, files, many).await?;
            if many {
                return Ok(infos.into_iter().collect::<Array>().into());
            }
            infos.into_iter().next().ok_or_else(|| Error::Sandbox("the upload reported no file".into()))
        })
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
