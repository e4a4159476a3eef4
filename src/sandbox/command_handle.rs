//! `CommandHandle`: a process running in the background (a command or a PTY) — its output so far,
//! and waiting for, killing, feeding, or leaving it.

use std::cell::RefCell;
use std::future::ready;
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::envd::connection::Connection;
use crate::envd::rpc::Stopper;
use crate::errors::{messages, Error, Result};
use crate::sandbox::process;
use crate::sandbox::run::{Launched, Live};
use crate::transport::promise::promise;

/// A process running in the background.
#[wasm_bindgen]
pub struct CommandHandle {
    pid: u32,
    done: Promise,
    live: Rc<RefCell<Live>>,
    conn: Rc<Connection>,
    stopper: Stopper,
    /// A command's handle feeds its stdin; a PTY's takes input through `pty.sendInput`.
    stdin: bool,
}

/// Waits for the process of `launched` to start, and resolves its handle. Its result may never be
/// awaited: that must not turn into an unhandled rejection.
pub async fn handle_of(
    conn: Rc<Connection>,
    launched: Launched,
    live: Rc<RefCell<Live>>,
    stdin: bool,
) -> Result<JsValue> {
    let Launched { started, done, stopper } = launched;
    let ignore = Closure::<dyn FnMut(JsValue)>::new(|_| {});
    let _ = done.catch(&ignore);
    ignore.forget();
    let pid = JsFuture::from(started).await?.as_f64().unwrap_or(0.0) as u32;
    Ok(CommandHandle { pid, done, live, conn, stopper, stdin }.into())
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

    /// envd's error message of how the command ended, if any, once it has.
    #[wasm_bindgen(getter)]
    pub fn error(&self) -> Option<String> {
        self.live.borrow().error()
    }

    /// Waits for the command: resolves its result, or rejects with `CommandExitError`.
    #[wasm_bindgen(unchecked_return_type = "Promise<CommandResult>")]
    pub fn wait(&self) -> Promise {
        self.done.clone()
    }

    /// Stops receiving the command's events; the command runs on (`commands.connect` reaches it
    /// again). `wait()` then rejects, as the official SDK's does.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn disconnect(&self) -> Promise {
        self.stopper.stop();
        Promise::resolve(&JsValue::UNDEFINED)
    }

    /// Kills the command; `false` if it had already ended.
    #[wasm_bindgen(unchecked_return_type = "Promise<boolean>")]
    pub fn kill(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CommandRequestOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let (conn, pid) = (self.conn.clone(), self.pid);
        promise(process::kill(conn.clone(), conn.merged(&opts), pid))
    }

    /// Writes text or bytes to the command's stdin (it must have been started with `stdin: true`).
    #[wasm_bindgen(js_name = sendStdin, unchecked_return_type = "Promise<void>")]
    pub fn send_stdin(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] data: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CommandRequestOpts")] opts: Option<JsValue>,
    ) -> Promise {
        if !self.stdin {
            return promise(ready(Err(Error::Sandbox(messages::NO_STDIN.into()))));
        }
        promise(process::send_stdin(self.conn.clone(), self.conn.merged(&opts), self.pid, data))
    }

    /// Closes the command's stdin (end of file).
    #[wasm_bindgen(js_name = closeStdin, unchecked_return_type = "Promise<void>")]
    pub fn close_stdin(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CommandRequestOpts")] opts: Option<JsValue>,
    ) -> Promise {
        if !self.stdin {
            return promise(ready(Err(Error::Sandbox(messages::NO_CLOSE_STDIN.into()))));
        }
        promise(process::close_stdin(self.conn.clone(), self.conn.merged(&opts), self.pid))
    }
}
