//! `sandbox.commands`: run shell commands inside a sandbox, in the foreground or the background,
//! with their output streamed; list, signal and feed stdin to running ones.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::args::text;
use crate::envd::connection::Connection;
use crate::errors::Result;
use crate::sandbox::command_handle::CommandHandle;
use crate::sandbox::process;
use crate::sandbox::run::{launch, Live};
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
        let (started, done) = launch(conn.clone(), cmd, o, live.clone());
        // A foreground run never awaits `started`, and nobody may ever wait for a background
        // command: neither may turn into an unhandled rejection.
        let ignore = Closure::<dyn FnMut(JsValue)>::new(|_| {});
        let _ = started.catch(&ignore);
        if !background {
            ignore.forget();
            return Ok(JsFuture::from(done).await?);
        }
        let _ = done.catch(&ignore);
        ignore.forget();
        let pid = JsFuture::from(started).await?.as_f64().unwrap_or(0.0) as u32;
        Ok(CommandHandle::new(pid, done, live, conn).into())
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

    /// The processes running in the sandbox.
    #[wasm_bindgen(unchecked_return_type = "Promise<ProcessInfo[]>")]
    pub fn list(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CommandRequestOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let conn = self.conn.clone();
        promise(async move { process::list(&conn, &conn.merged(&opts)).await })
    }

    /// Kills a process with SIGKILL; `false` if there was none.
    #[wasm_bindgen(unchecked_return_type = "Promise<boolean>")]
    pub fn kill(
        &self,
        pid: u32,
        #[wasm_bindgen(unchecked_optional_param_type = "CommandRequestOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let conn = self.conn.clone();
        promise(async move { Ok(process::kill(&conn, &conn.merged(&opts), pid).await?.into()) })
    }

    /// Writes `data` to a process's stdin (it must have been started with `stdin: true`).
    #[wasm_bindgen(js_name = sendStdin, unchecked_return_type = "Promise<void>")]
    pub fn send_stdin(
        &self,
        pid: u32,
        #[wasm_bindgen(unchecked_param_type = "string")] data: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CommandRequestOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let conn = self.conn.clone();
        promise(async move {
            process::send_stdin(&conn, &conn.merged(&opts), pid, &text(&data, "data")?).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Closes a process's stdin.
    #[wasm_bindgen(js_name = closeStdin, unchecked_return_type = "Promise<void>")]
    pub fn close_stdin(
        &self,
        pid: u32,
        #[wasm_bindgen(unchecked_optional_param_type = "CommandRequestOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let conn = self.conn.clone();
        promise(async move {
            process::close_stdin(&conn, &conn.merged(&opts), pid).await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}
