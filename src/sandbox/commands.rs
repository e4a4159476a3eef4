//! `sandbox.commands`: run shell commands inside a sandbox, in the foreground or the background,
//! with their output streamed; connect to, list, signal and feed stdin to running ones.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::args::text;
use crate::envd::connection::Connection;
use crate::errors::Result;
use crate::sandbox::command_handle::handle_of;
use crate::sandbox::process;
use crate::sandbox::run::{launch, start_request, Live, Open};
use crate::transport::promise::promise;

/// Commands of one sandbox.
#[wasm_bindgen]
pub struct Commands {
    conn: Rc<Connection>,
}

impl Commands {
    /// Commands of the sandbox `conn` reaches.
    pub fn new(conn: Rc<Connection>) -> Self {
        Self { conn }
    }

    /// Runs `cmd`: waits for its result, or with `background: true` resolves a handle once it started.
    async fn run_command(conn: Rc<Connection>, cmd: String, opts: Option<JsValue>) -> Result<JsValue> {
        let o = conn.merged(&opts);
        let live = Rc::new(RefCell::new(Live::new(&o)?));
        let background = o.boolean("background") == Some(true);
        let envs = o.string_map("envs").unwrap_or_default();
        let request = start_request(cmd, envs, o.string("cwd"), o.boolean("stdin").unwrap_or(false));
        let launched = launch(conn.clone(), Open::Start(request), o, live.clone());
        if background {
            return handle_of(conn, launched, live, true).await;
        }
        // A foreground run never awaits `started`: its rejection must not go unhandled.
        let ignore = Closure::<dyn FnMut(JsValue)>::new(|_| {});
        let _ = launched.started.catch(&ignore);
        ignore.forget();
        Ok(JsFuture::from(launched.done).await?)
    }
}

#[wasm_bindgen]
impl Commands {
    /// Runs `cmd` with bash. By default waits for it and resolves `{exitCode, stdout, stderr, error}`
    /// (a non-zero exit rejects with `CommandExitError`); with `background: true` resolves a handle.
    #[wasm_bindgen(skip_typescript)]
    pub fn run(&self, cmd: JsValue, opts: Option<JsValue>) -> Promise {
        let conn = self.conn.clone();
        promise(async move { Commands::run_command(conn, text(&cmd, "cmd")?, opts).await })
    }

    /// Connects to a running command by its pid: resolves a handle that streams its output from now
    /// on (`NotFoundError` when there is no such process).
    #[wasm_bindgen(unchecked_return_type = "Promise<CommandHandle>")]
    pub fn connect(
        &self,
        pid: u32,
        #[wasm_bindgen(unchecked_optional_param_type = "CommandConnectOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let conn = self.conn.clone();
        promise(async move {
            let o = conn.merged(&opts);
            let live = Rc::new(RefCell::new(Live::new(&o)?));
            let launched = launch(conn.clone(), Open::Connect(pid), o, live.clone());
            handle_of(conn, launched, live, true).await
        })
    }

    /// The processes running in the sandbox.
    #[wasm_bindgen(unchecked_return_type = "Promise<ProcessInfo[]>")]
    pub fn list(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CommandRequestOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let conn = self.conn.clone();
        promise(process::list(conn.clone(), conn.merged(&opts)))
    }

    /// Kills a process with SIGKILL; `false` if there was none.
    #[wasm_bindgen(unchecked_return_type = "Promise<boolean>")]
    pub fn kill(
        &self,
        pid: u32,
        #[wasm_bindgen(unchecked_optional_param_type = "CommandRequestOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let conn = self.conn.clone();
        promise(process::kill(conn.clone(), conn.merged(&opts), pid))
    }

    /// Writes text or bytes to a process's stdin (it must have been started with `stdin: true`).
    #[wasm_bindgen(js_name = sendStdin, unchecked_return_type = "Promise<void>")]
    pub fn send_stdin(
        &self,
        pid: u32,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] data: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CommandRequestOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let conn = self.conn.clone();
        promise(process::send_stdin(conn.clone(), conn.merged(&opts), pid, data))
    }

    /// Closes a process's stdin.
    #[wasm_bindgen(js_name = closeStdin, unchecked_return_type = "Promise<void>")]
    pub fn close_stdin(
        &self,
        pid: u32,
        #[wasm_bindgen(unchecked_optional_param_type = "CommandRequestOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let conn = self.conn.clone();
        promise(process::close_stdin(conn.clone(), conn.merged(&opts), pid))
    }
}
