//! Unary calls of envd's `process.Process`: list processes, send a signal, feed and close stdin,
//! feed and resize a PTY.

use std::future::Future;
use std::rc::Rc;

use e2b_wire::connect::Code;
use e2b_wire::envd::process::{
    method, ProcessInput, ProcessSelector, Pty, PtySize, SelectRequest, SendInputRequest, SendSignalRequest, Signal,
    UpdateRequest, SERVICE,
};
use e2b_wire::envd::Empty;
use e2b_wire::fields::process as field;
use js_sys::{Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use crate::config::{deadline, REQUEST_TIMEOUT_MS};
use crate::envd::base64;
use crate::envd::connection::Connection;
use crate::envd::rpc::{unary, CallOpts, Method};
use crate::errors::{Error, Result};
use crate::options::Options;
use crate::transport::body::json_text;
use crate::transport::reply::{As, Field, Reply};

/// A unary `process.Process` call with a JSON request; resolves to the reply.
async fn rpc(conn: &Connection, o: &Options, name: &'static str, request: String) -> Result<Reply> {
    let dl = deadline(o, REQUEST_TIMEOUT_MS);
    let method = Method { service: SERVICE, name, files: false };
    unary(&conn.envd(o), method, request, &CallOpts { user: None, deadline: &dl }).await
}

fn selector(pid: u32) -> ProcessSelector {
    ProcessSelector { pid: Some(pid), tag: None }
}

/// `ProcessInfo` field → the official SDK's field.
const INFO: &[Field] = &[Field(field::PID, "pid", As::Num), Field(field::TAG, "tag", As::Opt)];
/// `ProcessConfig` field → the official SDK's field (flattened into the process's info).
const CONFIG: &[Field] = &[
    Field(field::CMD, "cmd", As::Str),
    Field(field::ARGS, "args", As::List),
    Field(field::ENVS, "envs", As::Object),
    Field(field::CWD, "cwd", As::Opt),
];

/// A running process as the official SDK lists it.
fn process_info(p: &Reply) -> JsValue {
    let info = p.reshape(INFO);
    p.get(field::CONFIG).reshape_into(&info, CONFIG);
    info.into()
}

// The calls below own their arguments, so that a method hands its future straight to the promise
// (no wrapping future per method).

/// The processes running in the sandbox.
pub async fn list(conn: Rc<Connection>, o: Options) -> Result<JsValue> {
    let listed = rpc(&conn, &o, method::LIST, json_text(&Empty {})?).await?;
    Ok(listed.get(field::PROCESSES).items().map(|p| process_info(&p)).collect::<Array>().into())
}

/// Kills a process with SIGKILL; `false` if there was none.
pub async fn kill(conn: Rc<Connection>, o: Options, pid: u32) -> Result<JsValue> {
    let req = json_text(&SendSignalRequest { process: selector(pid), signal: Signal::Kill })?;
    match rpc(&conn, &o, method::SEND_SIGNAL, req).await {
        Ok(_) => Ok(true.into()),
        Err(Error::Connect { code: Code::NotFound, .. }) => Ok(false.into()),
        Err(e) => Err(e),
    }
}

/// The bytes of input given as text (sent as UTF-8) or as a `Uint8Array`.
fn input_bytes(data: &JsValue) -> Result<Vec<u8>> {
    if let Some(text) = data.as_string() {
        return Ok(text.into_bytes());
    }
    data.dyn_ref::<Uint8Array>()
        .map(Uint8Array::to_vec)
        .ok_or_else(|| Error::InvalidArgument("data must be a string or a Uint8Array".into()))
}

/// Writes `data` (text or a `Uint8Array`) to a process's stdin, or to its PTY as if typed (`pty`).
async fn send_input(conn: Rc<Connection>, o: Options, pid: u32, data: JsValue, pty: bool) -> Result<JsValue> {
    let encoded = Some(base64::encode(&input_bytes(&data)?));
    let input =
        if pty { ProcessInput { stdin: None, pty: encoded } } else { ProcessInput { stdin: encoded, pty: None } };
    rpc(&conn, &o, method::SEND_INPUT, json_text(&SendInputRequest { process: selector(pid), input })?).await?;
    Ok(JsValue::UNDEFINED)
}

/// Writes `data` to a process's stdin.
pub fn send_stdin(conn: Rc<Connection>, o: Options, pid: u32, data: JsValue) -> impl Future<Output = Result<JsValue>> {
    send_input(conn, o, pid, data, false)
}

/// Writes `data` to a PTY, as if typed.
pub fn send_pty_input(
    conn: Rc<Connection>,
    o: Options,
    pid: u32,
    data: JsValue,
) -> impl Future<Output = Result<JsValue>> {
    send_input(conn, o, pid, data, true)
}

/// Gives a PTY a new window size.
pub async fn resize(conn: &Connection, o: &Options, pid: u32, size: PtySize) -> Result<()> {
    let req = UpdateRequest { process: selector(pid), pty: Some(Pty { size }) };
    rpc(conn, o, method::UPDATE, json_text(&req)?).await?;
    Ok(())
}

/// Closes a process's stdin.
pub async fn close_stdin(conn: Rc<Connection>, o: Options, pid: u32) -> Result<JsValue> {
    rpc(&conn, &o, method::CLOSE_STDIN, json_text(&SelectRequest { process: selector(pid) })?).await?;
    Ok(JsValue::UNDEFINED)
}
