//! `sandbox.pty`: interactive terminals in a sandbox — a login shell on a pseudo-terminal, whose
//! output streams as bytes — over envd's process service.

use std::cell::RefCell;
use std::rc::Rc;

use e2b_wire::envd::process::{ProcessConfig, Pty as PtyConfig, PtySize, StartRequest, PTY_TERM};
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::envd::connection::Connection;
use crate::errors::{Error, Result};
use crate::options::Options;
use crate::sandbox::class::Sandbox;
use crate::sandbox::command_handle::handle_of;
use crate::sandbox::process;
use crate::sandbox::run::{launch, Live, Open};
use crate::transport::promise::promise;

/// The shell a PTY runs: interactive, login.
const SHELL: &str = "/bin/bash";
/// The locale a PTY's shell gets unless told otherwise.
const LOCALE: &str = "C.UTF-8";

/// Terminals of one sandbox.
#[wasm_bindgen]
pub struct Pty {
    conn: Rc<Connection>,
}

#[wasm_bindgen]
impl Sandbox {
    /// Interactive terminals inside the sandbox.
    #[wasm_bindgen(getter)]
    pub fn pty(&self) -> Pty {
        Pty { conn: self.files().connection() }
    }
}

/// The size `{cols, rows}` in `o`; both are required.
fn size_of(o: &Options) -> Result<PtySize> {
    let dim = |name: &'static str| {
        o.number(name)
            .filter(|n| *n >= 0.0 && n.fract() == 0.0)
            .map(|n| n as u32)
            .ok_or_else(|| Error::InvalidArgument([name, " must be a whole number"].concat()))
    };
    Ok(PtySize { cols: dim("cols")?, rows: dim("rows")? })
}

/// The `Start` request of a PTY: a login shell with `TERM`, `LANG` and `LC_ALL` set unless the
/// caller's `envs` set them.
fn pty_request(o: &Options) -> Result<StartRequest> {
    let mut envs = o.string_map("envs").unwrap_or_default();
    envs.entry("TERM".into()).or_insert_with(|| PTY_TERM.into());
    envs.entry("LANG".into()).or_insert_with(|| LOCALE.into());
    envs.entry("LC_ALL".into()).or_insert_with(|| LOCALE.into());
    Ok(StartRequest {
        process: ProcessConfig { cmd: SHELL.into(), args: vec!["-i".into(), "-l".into()], envs, cwd: o.string("cwd") },
        pty: Some(PtyConfig { size: size_of(o)? }),
        tag: None,
        stdin: None,
    })
}

impl Pty {
    /// Streams a PTY's process (started or connected to) into a handle.
    fn open(&self, opts: Option<JsValue>, open: impl FnOnce(&Options) -> Result<Open> + 'static) -> Promise {
        let conn = self.conn.clone();
        promise(async move {
            let o = conn.merged(&opts);
            let open = open(&o)?;
            let live = Rc::new(RefCell::new(Live::pty(&o)?));
            let launched = launch(conn.clone(), open, o, live.clone());
            handle_of(conn, launched, live, false).await
        })
    }
}

#[wasm_bindgen]
impl Pty {
    /// Starts a login shell on a new pseudo-terminal of `cols` × `rows`; resolves its handle once it
    /// runs (its output goes to `onData`, input through `sendInput`).
    #[wasm_bindgen(unchecked_return_type = "Promise<CommandHandle>")]
    pub fn create(&self, #[wasm_bindgen(unchecked_param_type = "PtyCreateOpts")] opts: JsValue) -> Promise {
        self.open(Some(opts), |o| Ok(Open::Start(pty_request(o)?)))
    }

    /// Connects to a running PTY by its pid: a handle whose output goes to `onData` from now on.
    #[wasm_bindgen(unchecked_return_type = "Promise<CommandHandle>")]
    pub fn connect(
        &self,
        pid: u32,
        #[wasm_bindgen(unchecked_optional_param_type = "PtyConnectOpts")] opts: Option<JsValue>,
    ) -> Promise {
        self.open(opts, move |_| Ok(Open::Connect(pid)))
    }

    /// Sends bytes to a PTY, as typed on its keyboard.
    #[wasm_bindgen(js_name = sendInput, unchecked_return_type = "Promise<void>")]
    pub fn send_input(
        &self,
        pid: u32,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] data: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "PtyRequestOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let conn = self.conn.clone();
        promise(process::send_pty_input(conn.clone(), conn.merged(&opts), pid, data))
    }

    /// Gives a PTY a new size (when the terminal showing it was resized).
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn resize(
        &self,
        pid: u32,
        #[wasm_bindgen(unchecked_param_type = "PtySize")] size: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "PtyRequestOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let conn = self.conn.clone();
        promise(async move {
            let size = size_of(&Options::new(Some(size)))?;
            process::resize(&conn, &conn.merged(&opts), pid, size).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Kills a PTY with SIGKILL; `false` if there was none.
    #[wasm_bindgen(unchecked_return_type = "Promise<boolean>")]
    pub fn kill(
        &self,
        pid: u32,
        #[wasm_bindgen(unchecked_optional_param_type = "PtyRequestOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let conn = self.conn.clone();
        promise(process::kill(conn.clone(), conn.merged(&opts), pid))
    }
}
