//! `files.watchDir`: a live stream of filesystem events under a sandbox directory, handed to the
//! caller's `onEvent` one at a time, and the `WatchHandle` that stops it.

use e2b_wire::envd::filesystem::{method, WatchDirRequest, SERVICE};
use e2b_wire::fields::watch as field;
use js_sys::{Function, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::config::{deadline, REQUEST_TIMEOUT_MS};
use crate::envd::connection::Connection;
use crate::envd::rpc::{start, CallOpts, Method, Stopper, Stream};
use crate::errors::{messages, Error, Result};
use crate::options::Options;
use crate::sandbox::callback::call;
use crate::sandbox::entry;
use crate::transport::body::json_text;
use crate::transport::js::set;
use crate::transport::reply::Reply;

/// Default time a watch may last.
const WATCH_TIMEOUT_MS: f64 = 60_000.0;

/// A directory being watched.
#[wasm_bindgen]
pub struct WatchHandle {
    stopper: Stopper,
}

#[wasm_bindgen]
impl WatchHandle {
    /// Stops watching; `onExit` is then called, as the official SDK calls it, with the stop's error.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn stop(&self) -> Promise {
        self.stopper.stop();
        Promise::resolve(&JsValue::UNDEFINED)
    }
}

/// The SDK's name of an event type; `None` for an unspecified one (skipped).
pub fn event_type(kind: &str) -> Option<&'static str> {
    Some(match kind {
        field::TYPE_CREATE => "create",
        field::TYPE_WRITE => "write",
        field::TYPE_REMOVE => "remove",
        field::TYPE_RENAME => "rename",
        field::TYPE_CHMOD => "chmod",
        _ => return None,
    })
}

/// `{name, type, entry?}` of one `FilesystemEvent`, or `None` for an unspecified type.
fn event_of(e: &Reply) -> Option<JsValue> {
    let kind = event_type(&e.str(field::TYPE)?)?;
    let obj = Object::new();
    set(&obj, "name", &e.str(field::NAME).unwrap_or_default().into());
    set(&obj, "type", &kind.into());
    set(&obj, "entry", &entry::to_js(&e.get(field::ENTRY)).unwrap_or(JsValue::UNDEFINED));
    Some(obj.into())
}

/// Hands each event of `stream` to `on_event`, in order, until it ends.
async fn pump(stream: &mut Stream, on_event: &Function) -> Result<()> {
    while let Some(message) = stream.next().await? {
        if let Some(event) = event_of(&message.get(field::FILESYSTEM)) {
            call(Some(on_event), &event).await?;
        }
    }
    Ok(())
}

/// Starts watching `path`; resolves once envd watches it. Events go to `on_event`; when the watch
/// ends (stopped, timed out, failed), `onExit` gets its error, if any.
pub async fn watch_dir(conn: &Connection, path: String, on_event: Function, o: Options) -> Result<WatchHandle> {
    let request = WatchDirRequest {
        path,
        recursive: o.boolean("recursive").unwrap_or(false),
        include_entry: o.boolean("includeEntry").unwrap_or(false),
        allow_network_mounts: o.boolean("allowNetworkMounts").unwrap_or(false),
    };
    let stopper = Stopper::new(o.signal().as_ref());
    let dl = deadline(&o, REQUEST_TIMEOUT_MS);
    let user = o.string("user");
    let call_opts = CallOpts { user: user.as_deref(), deadline: &dl };
    let timeout_ms = o.number("timeoutMs").unwrap_or(WATCH_TIMEOUT_MS);
    let method = Method { service: SERVICE, name: method::WATCH_DIR, files: true };
    let envd = conn.envd(&o);
    let (mut stream, first) =
        start(&envd, method, json_text(&request)?, &call_opts, timeout_ms, stopper.clone()).await?;
    if !first.get(field::START).is_present() {
        stopper.stop();
        return Err(Error::Plain(messages::EXPECTED_START.into()));
    }
    let on_exit: Option<Function> = o.get("onExit").and_then(|f| f.dyn_into().ok());
    let stop = stopper.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let outcome = pump(&mut stream, &on_event).await;
        let error = outcome.err().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        // A failing `onExit` has nobody to report to.
        let _ = call(on_exit.as_ref(), &error).await;
        stop.stop();
    });
    Ok(WatchHandle { stopper })
}
