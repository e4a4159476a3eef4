//! `CommandHandle`: a command running in the background — its output so far, and waiting for,
//! killing and feeding it.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::args::text;
use crate::envd::connection::Connection;
use crate::sandbox::process;
use crate::sandbox::run::Live;
use crate::transport::promise::promise;

/// A command running in the background.
#[wasm_bindgen]
pub struct CommandHandle {
    pid: u32,
    done: Promise,
    live: Rc<RefCell<Live>>,
    conn: Rc<Connection>,
}

impl CommandHandle {
    /// The handle of process `pid`, whose result `done` resolves.
    pub fn new(pid: u32, done: Promise, live: Rc<RefCell<Live>>, conn: Rc<Connection>) -> Self {
        Self { pid, done, live, conn }
    }
}

#[wasm_bindgen]
impl CommandHandle {
    /// The command's process ID.
    #[wasm_bindgen(getter)]
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Everything written to stdout so far.
    #[wasm_bindgen(getter)]
    pub fn stdout(&self) -> String {
        self.live.borrow().stdout().to_string()
    }

    /// Everything written to stderr so far.
    #[wasm_bindgen(getter)]
    pub fn stderr(&self) -> String {
        self.live.borrow().stderr().to_string()
    }

    /// The exit code, once the command has ended.
    #[wasm_bindgen(getter, js_name = exitCode)]
    pub fn exit_code(&self) -> Option<i32> {
        self.live.borrow().exit_code()
    }

    /// Waits for the command: resolves its result, or rejects with `CommandExitError`.
    #[wasm_bindgen(unchecked_return_type = "Promise<CommandResult>")]
    pub fn wait(&self) -> Promise {
        self.done.clone()
    }

    /// Kills the command; `false` if it had already ended.
    #[wasm_bindgen(unchecked_return_type = "Promise<boolean>")]
    pub fn kill(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CommandRequestOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let (conn, pid) = (self.conn.clone(), self.pid);
        promise(async move { Ok(process::kill(&conn, &conn.merged(&opts), pid).await?.into()) })
    }

    /// Writes to the command's stdin.
    #[wasm_bindgen(js_name = sendStdin, unchecked_return_type = "Promise<void>")]
    pub fn send_stdin(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] data: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CommandRequestOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let (conn, pid) = (self.conn.clone(), self.pid);
        promise(async move {
            process::send_stdin(&conn, &conn.merged(&opts), pid, &text(&data, "data")?).await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}
