//! `sandbox.files`: read, write, list, make directories, stat, rename and remove inside a sandbox.

use std::rc::Rc;

use js_sys::{Array, Date, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, FormData};

use crate::config::REQUEST_TIMEOUT_MS;
use crate::errors;
use crate::http::{self, Deadline};
use crate::js::{get, set};
use crate::options::Options;
use crate::sandbox::SandboxData;

/// Files inside one sandbox.
#[wasm_bindgen(skip_typescript)]
pub struct Filesystem {
    data: Rc<SandboxData>,
}

/// `EntryInfo` as the official SDK returns it.
fn entry_info(e: &JsValue) -> Option<JsValue> {
    let kind = match get(e, "type").as_string().as_deref() {
        Some("FILE_TYPE_FILE") => "file",
        Some("FILE_TYPE_DIRECTORY") => "dir",
        Some("FILE_TYPE_SYMLINK") => "symlink",
        _ => return None,
    };
    let obj = Object::new();
    set(&obj, "name", &get(e, "name"));
    set(&obj, "type", &kind.into());
    set(&obj, "path", &get(e, "path"));
    let size = get(e, "size");
    let size = size.as_string().and_then(|s| s.parse::<f64>().ok()).or(size.as_f64()).unwrap_or(0.0);
    set(&obj, "size", &size.into());
    set(&obj, "mode", &get(e, "mode").as_f64().unwrap_or(0.0).into());
    set(&obj, "permissions", &get(e, "permissions"));
    set(&obj, "owner", &get(e, "owner"));
    set(&obj, "group", &get(e, "group"));
    if let Some(t) = get(e, "modifiedTime").as_string() {
        set(&obj, "modifiedTime", &Date::new(&t.into()));
    }
    let target = get(e, "symlinkTarget");
    if target.is_string() {
        set(&obj, "symlinkTarget", &target);
    }
    let meta = get(e, "metadata");
    set(&obj, "metadata", &if meta.is_object() { meta } else { Object::new().into() });
    Some(obj.into())
}

impl Filesystem {
    /// Files of the sandbox `data` describes.
    pub fn new(data: Rc<SandboxData>) -> Self {
        Self { data }
    }

    fn call(
        &self,
        opts: Option<JsValue>,
        f: impl AsyncFnOnce(Rc<SandboxData>, Options) -> Result<JsValue, JsValue> + 'static,
    ) -> Promise {
        let data = self.data.clone();
        crate::http::promise(async move {
            let o = data.merged(&opts);
            f(data, o).await
        })
    }
}

fn deadline(o: &Options, default_ms: f64) -> Deadline {
    Deadline { timeout_ms: o.number("requestTimeoutMs").unwrap_or(default_ms), signal: o.signal() }
}

/// A unary filesystem call; the `user` option sets who acts.
async fn rpc(data: &SandboxData, o: &Options, method: &str, request: &Object) -> Result<JsValue, JsValue> {
    let user = o.string("user");
    data.envd(o)
        .unary(
            &format!("filesystem.Filesystem/{method}"),
            request,
            user.as_deref(),
            &deadline(o, REQUEST_TIMEOUT_MS),
            true,
        )
        .await
}

fn path_request(path: &str) -> Object {
    let req = Object::new();
    set(&req, "path", &path.into());
    req
}

/// A value `files.write` can send, as a Blob (strings, buffers, views and Blobs).
fn to_blob(data: &JsValue) -> Result<Option<Blob>, JsValue> {
    if data.is_instance_of::<Blob>() {
        return Ok(Some(data.clone().unchecked_into()));
    }
    if data.is_string() || data.is_instance_of::<js_sys::ArrayBuffer>() || js_sys::ArrayBuffer::is_view(data) {
        return Ok(Some(Blob::new_with_blob_sequence(&Array::of1(data))?));
    }
    Ok(None)
}

#[wasm_bindgen]
impl Filesystem {
    /// Reads a file as text (default), bytes, a Blob or a stream.
    pub fn read(&self, path: String, opts: Option<JsValue>) -> Promise {
        self.call(opts, async move |data, o| {
            let format = http::BodyFormat::from_opts(&o)?;
            let url = http::with_query("/files", &[("path", Some(path.clone())), ("username", o.string("user"))]);
            let (res, flight) =
                data.envd(&o).rest("GET", &url, None, None, false, &deadline(&o, REQUEST_TIMEOUT_MS)).await?;
            if !res.ok() {
                let message = http::error_message(&res, &flight).await;
                return Err(errors::from_envd_status(res.status(), &message, true));
            }
            let idle = o.number("streamIdleTimeoutMs").unwrap_or(REQUEST_TIMEOUT_MS);
            http::read_body(&res, flight, format, idle).await
        })
    }

    /// Writes one file (`write(path, data)`) or several (`write([{path, data}, …])`), creating parents.
    pub fn write(&self, path_or_files: JsValue, data_or_opts: JsValue, maybe_opts: Option<JsValue>) -> Promise {
        let many = Array::is_array(&path_or_files);
        let opts = if many { Some(data_or_opts.clone()).filter(|v| v.is_object()) } else { maybe_opts };
        self.call(opts, async move |data, o| {
            let files: Vec<(String, JsValue)> = if many {
                Array::from(&path_or_files)
                    .iter()
                    .map(|f| (get(&f, "path").as_string().unwrap_or_default(), get(&f, "data")))
                    .collect()
            } else {
                vec![(path_or_files.as_string().unwrap_or_default(), data_or_opts)]
            };
            if files.iter().any(|(p, _)| p.is_empty()) {
                return Err(errors::invalid_argument("every file needs a path"));
            }
            let user = o.string("user");
            let mut infos = Vec::new();
            // Streams in Node go one request each as raw bytes; everything else goes as one multipart form.
            let form = FormData::new()?;
            let mut in_form = 0;
            for (path, value) in &files {
                if crate::js::is_readable_stream(value) && crate::env::is_node() {
                    let url = http::with_query("/files", &[("path", Some(path.clone())), ("username", user.clone())]);
                    let dl = Deadline { timeout_ms: 0.0, signal: o.signal() };
                    let (res, flight) = data
                        .envd(&o)
                        .rest("POST", &url, Some(value.clone()), Some("application/octet-stream"), true, &dl)
                        .await?;
                    infos.extend(write_reply(&res, &flight).await?);
                    continue;
                }
                let blob = match to_blob(value)? {
                    Some(b) => b,
                    None if crate::js::is_readable_stream(value) => {
                        let response = web_sys::Response::new_with_opt_readable_stream(Some(value.unchecked_ref()))?;
                        flight_free(response.blob()?).await?.unchecked_into()
                    }
                    None => {
                        return Err(errors::invalid_argument(
                            "file data must be a string, ArrayBuffer, typed array, Blob or ReadableStream",
                        ))
                    }
                };
                form.append_with_blob_and_filename("file", &blob, path)?;
                in_form += 1;
            }
            if in_form > 0 {
                let single = (!many).then(|| files[0].0.clone());
                let url = http::with_query("/files", &[("path", single), ("username", user.clone())]);
                let (res, flight) = data
                    .envd(&o)
                    .rest("POST", &url, Some(form.into()), None, false, &deadline(&o, REQUEST_TIMEOUT_MS))
                    .await?;
                infos.extend(write_reply(&res, &flight).await?);
            }
            if many {
                Ok(infos.into_iter().collect::<Array>().into())
            } else {
                infos.into_iter().next().ok_or_else(|| errors::sandbox("the upload reported no file", None))
            }
        })
    }

    /// Lists a directory (`depth` levels, default 1).
    pub fn list(&self, path: String, opts: Option<JsValue>) -> Promise {
        self.call(opts, async move |data, o| {
            let depth = o.number("depth").unwrap_or(1.0);
            if depth < 1.0 {
                return Err(errors::invalid_argument("depth should be at least one"));
            }
            let req = path_request(&path);
            set(&req, "depth", &depth.into());
            let res = rpc(&data, &o, "ListDir", &req).await?;
            let entries = get(&res, "entries");
            let out: Array = if Array::is_array(&entries) {
                Array::from(&entries).iter().filter_map(|e| entry_info(&e)).collect()
            } else {
                Array::new()
            };
            Ok(out.into())
        })
    }

    /// Creates a directory and its parents; `false` if it already existed.
    #[wasm_bindgen(js_name = makeDir)]
    pub fn make_dir(&self, path: String, opts: Option<JsValue>) -> Promise {
        self.call(opts, async move |data, o| match rpc(&data, &o, "MakeDir", &path_request(&path)).await {
            Ok(_) => Ok(true.into()),
            Err(e) if get(&e, "message").as_string().is_some_and(|m| m.contains("[already_exists]")) => {
                Ok(false.into())
            }
            Err(e) => Err(e),
        })
    }

    /// Whether a path exists.
    pub fn exists(&self, path: String, opts: Option<JsValue>) -> Promise {
        self.call(opts, async move |data, o| match rpc(&data, &o, "Stat", &path_request(&path)).await {
            Ok(_) => Ok(true.into()),
            Err(e) if get(&e, "name").as_string().as_deref() == Some("FileNotFoundError") => Ok(false.into()),
            Err(e) => Err(e),
        })
    }

    /// Information about a file or directory.
    #[wasm_bindgen(js_name = getInfo)]
    pub fn get_info(&self, path: String, opts: Option<JsValue>) -> Promise {
        self.call(opts, async move |data, o| {
            let res = rpc(&data, &o, "Stat", &path_request(&path)).await?;
            entry_info(&get(&res, "entry")).ok_or_else(|| errors::sandbox("envd returned no entry", None))
        })
    }

    /// Renames (moves) a file or directory.
    pub fn rename(&self, old_path: String, new_path: String, opts: Option<JsValue>) -> Promise {
        self.call(opts, async move |data, o| {
            let req = Object::new();
            set(&req, "source", &old_path.into());
            set(&req, "destination", &new_path.into());
            let res = rpc(&data, &o, "Move", &req).await?;
            entry_info(&get(&res, "entry")).ok_or_else(|| errors::sandbox("envd returned no entry", None))
        })
    }

    /// Removes a file or a directory with its contents.
    pub fn remove(&self, path: String, opts: Option<JsValue>) -> Promise {
        self.call(opts, async move |data, o| {
            rpc(&data, &o, "Remove", &path_request(&path)).await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}

async fn flight_free(p: Promise) -> Result<JsValue, JsValue> {
    wasm_bindgen_futures::JsFuture::from(p).await
}

/// The `WriteInfo` list of an upload reply, or its error.
async fn write_reply(res: &web_sys::Response, flight: &http::InFlight) -> Result<Vec<JsValue>, JsValue> {
    if !res.ok() {
        let message = http::error_message(res, flight).await;
        return Err(errors::from_envd_status(res.status(), &message, true));
    }
    let json = http::json(res, flight).await?;
    Ok(if Array::is_array(&json) { Array::from(&json).iter().collect() } else { vec![json] })
}
