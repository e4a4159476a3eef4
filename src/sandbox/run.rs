//! One process's stream: the `Start` request of a command, or `Connect` to a running process; the
//! events of its output; its result; and the promises and stopper its handle is made of.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use e2b_wire::envd::process::{method, EndEvent, ProcessConfig, ProcessSelector, SelectRequest, StartRequest, SERVICE};
use e2b_wire::fields::process as field;
use js_sys::{Function, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{TextDecodeOptions, TextDecoder};

use crate::config::{deadline, REQUEST_TIMEOUT_MS};
use crate::envd::base64;
use crate::envd::connection::Connection;
use crate::envd::rpc::{start, CallOpts, Method, Stopper};
use crate::errors::{messages, CommandResult, Error, Result};
use crate::options::Options;
use crate::sandbox::callback::call;
use crate::transport::body::json_text;
use crate::transport::promise::promise;
use crate::transport::reply::Reply;

/// Default time a command (or a connection to one) may run.
pub const COMMAND_TIMEOUT_MS: f64 = 60_000.0;
/// Commands run in a login shell.
const SHELL: &str = "/bin/bash";

/// The `Start` request that runs `cmd` with bash.
pub fn start_request(cmd: String, envs: BTreeMap<String, String>, cwd: Option<String>, stdin: bool) -> StartRequest {
    StartRequest {
        process: ProcessConfig { cmd: SHELL.into(), args: vec!["-l".into(), "-c".into(), cmd], envs, cwd },
        pty: None,
        tag: None,
        stdin: Some(stdin),
    }
}

/// The result of a command that ended with `end`: a non-zero exit is a `CommandExitError`.
pub fn result_of(end: &EndEvent, stdout: String, stderr: String) -> Result<CommandResult> {
    let result = CommandResult { exit_code: end.exit_code, error: end.error.clone(), stdout, stderr };
    if result.exit_code != 0 {
        return Err(Error::CommandExit(result));
    }
    Ok(result)
}

/// An `EndEvent` reply (absent fields are zero, as Connect's JSON leaves them out).
fn end_event(end: &Reply) -> EndEvent {
    EndEvent {
        exit_code: end.num(field::EXIT_CODE).unwrap_or(0.0) as i32,
        exited: end.bool(field::EXITED).unwrap_or(false),
        status: end.str(field::STATUS).unwrap_or_default(),
        error: end.str(field::ERROR),
    }
}

/// The callback option `name`, if it is a function.
fn callback(o: &Options, name: &'static str) -> Option<Function> {
    o.get(name).and_then(|c| c.dyn_into().ok())
}

/// Output of one stream, decoded as UTF-8 across chunk boundaries, with its callback.
struct Output {
    decoder: TextDecoder,
    text: String,
    callback: Option<Function>,
}

impl Output {
    fn new(callback: Option<Function>) -> Result<Self> {
        Ok(Self { decoder: TextDecoder::new()?, text: String::new(), callback })
    }

    fn push(&mut self, b64: &str, calls: &mut Calls) -> Result<()> {
        let bytes = base64::decode(b64)?;
        let opts = TextDecodeOptions::new();
        opts.set_stream(true);
        let chunk = self.decoder.decode_with_u8_array_and_options(&bytes, &opts)?;
        self.deliver(chunk, calls);
        Ok(())
    }

    fn finish(&mut self, calls: &mut Calls) -> Result<()> {
        let rest = self.decoder.decode()?;
        self.deliver(rest, calls);
        Ok(())
    }

    fn deliver(&mut self, chunk: String, calls: &mut Calls) {
        if chunk.is_empty() {
            return;
        }
        if let Some(cb) = &self.callback {
            calls.push((cb.clone(), JsValue::from_str(&chunk)));
        }
        self.text.push_str(&chunk);
    }
}

/// Callbacks to call with their argument, once the state they report is no longer borrowed (a
/// callback may read the handle).
type Calls = Vec<(Function, JsValue)>;

/// Calls each callback in order, each awaited; the first that throws or rejects ends the stream
/// with its error.
async fn call_all(calls: Calls) -> Result<()> {
    for (cb, arg) in calls {
        call(Some(&cb), &arg).await?;
    }
    Ok(())
}

/// What a running process has produced so far.
pub struct Live {
    stdout: Output,
    stderr: Output,
    /// `onData` of a PTY: its raw output.
    on_pty: Option<Function>,
    end: Option<EndEvent>,
}

impl Live {
    /// Nothing yet; output goes to the `onStdout` and `onStderr` callbacks as it arrives.
    pub fn new(o: &Options) -> Result<Self> {
        Ok(Self {
            stdout: Output::new(callback(o, "onStdout"))?,
            stderr: Output::new(callback(o, "onStderr"))?,
            on_pty: None,
            end: None,
        })
    }

    /// A PTY's: its output goes to the `onData` callback as bytes.
    pub fn pty(o: &Options) -> Result<Self> {
        Ok(Self { stdout: Output::new(None)?, stderr: Output::new(None)?, on_pty: callback(o, "onData"), end: None })
    }

    /// Everything written to stdout so far.
    pub fn stdout(&self) -> &str {
        &self.stdout.text
    }

    /// Everything written to stderr so far.
    pub fn stderr(&self) -> &str {
        &self.stderr.text
    }

    /// The exit code, once the process has ended.
    pub fn exit_code(&self) -> Option<i32> {
        self.end.as_ref().map(|e| e.exit_code)
    }

    /// envd's description of how the process ended, once it has.
    pub fn error(&self) -> Option<String> {
        self.end.as_ref().and_then(|e| e.error.clone())
    }

    /// Takes in one output or end event; returns the callbacks it calls for.
    fn apply(&mut self, event: &Reply) -> Result<Calls> {
        let mut calls = Calls::new();
        let data = event.get(field::DATA);
        if let Some(s) = data.str(field::STDOUT) {
            self.stdout.push(&s, &mut calls)?;
        }
        if let Some(s) = data.str(field::STDERR) {
            self.stderr.push(&s, &mut calls)?;
        }
        if let (Some(s), Some(cb)) = (data.str(field::PTY), &self.on_pty) {
            calls.push((cb.clone(), Uint8Array::from(base64::decode(&s)?.as_slice()).into()));
        }
        let end = event.get(field::END);
        if end.is_present() {
            self.end = Some(end_event(&end));
        }
        Ok(calls)
    }

    /// Flushes the decoders once the stream is over; returns the callbacks it calls for.
    fn flush(&mut self) -> Result<Calls> {
        let mut calls = Calls::new();
        self.stdout.finish(&mut calls)?;
        self.stderr.finish(&mut calls)?;
        Ok(calls)
    }

    /// The process's result, once its stream is over and flushed.
    fn result(&self) -> Result<CommandResult> {
        let end = self.end.as_ref().ok_or_else(|| Error::Sandbox(messages::NO_RESULT.into()))?;
        result_of(end, self.stdout.text.clone(), self.stderr.text.clone())
    }
}

/// How a process's stream begins.
pub enum Open {
    /// A new process (a command, or a PTY's shell).
    Start(StartRequest),
    /// A process already running, by its pid.
    Connect(u32),
}

/// A process's stream once launched: `started` resolves its pid, `done` its result; `stopper` ends
/// the stream (the process runs on).
pub struct Launched {
    /// Resolves the pid once the process runs.
    pub started: Promise,
    /// Resolves the result, or rejects with `CommandExitError` or the stream's failure.
    pub done: Promise,
    /// Stops listening.
    pub stopper: Stopper,
}

/// Who waits for the process's start: the `resolve` and `reject` of the `started` promise.
type Starter = Rc<RefCell<Option<(Function, Function)>>>;

/// Starts or connects to a process; its events go into `live`.
pub fn launch(conn: Rc<Connection>, open: Open, o: Options, live: Rc<RefCell<Live>>) -> Launched {
    let starter: Starter = Rc::default();
    let started = {
        let starter = starter.clone();
        Promise::new(&mut move |resolve, reject| *starter.borrow_mut() = Some((resolve, reject)))
    };
    let stopper = Stopper::new(o.signal().as_ref());
    let stop = stopper.clone();
    let done = promise(async move {
        let outcome = run(&conn, open, &o, &live, &starter, stop.clone()).await;
        stop.stop();
        if let Err(e) = &outcome {
            if let Some((_, reject)) = starter.borrow_mut().take() {
                let _ = reject.call1(&JsValue::UNDEFINED, &JsValue::from(e.clone()));
            }
        }
        outcome?;
        let calls = live.borrow_mut().flush()?;
        call_all(calls).await?;
        let result = live.borrow().result()?;
        Ok(result.to_js())
    });
    Launched { started, done, stopper }
}

/// Streams the process's events into `live`; the first must be its start, which resolves `starter`.
async fn run(
    conn: &Connection,
    open: Open,
    o: &Options,
    live: &Rc<RefCell<Live>>,
    starter: &Starter,
    stopper: Stopper,
) -> Result<()> {
    let (name, request, user) = match open {
        Open::Start(request) => (method::START, json_text(&request)?, o.string("user")),
        // Connecting acts as no user: the process keeps the one it was started as.
        Open::Connect(pid) => {
            let process = ProcessSelector { pid: Some(pid), tag: None };
            (method::CONNECT, json_text(&SelectRequest { process })?, None)
        }
    };
    let timeout_ms = o.number("timeoutMs").unwrap_or(COMMAND_TIMEOUT_MS);
    let dl = deadline(o, REQUEST_TIMEOUT_MS);
    let call = CallOpts { user: user.as_deref(), deadline: &dl };
    let method = Method { service: SERVICE, name, files: false };
    let (mut stream, first) = start(&conn.envd(o), method, request, &call, timeout_ms, stopper).await?;
    let start = first.get(field::EVENT).get(field::START);
    if !start.is_present() {
        return Err(Error::Plain(messages::EXPECTED_START.into()));
    }
    if let Some((resolve, _)) = starter.borrow_mut().take() {
        let _ = resolve.call1(&JsValue::UNDEFINED, &start.num(field::PID).unwrap_or(0.0).into());
    }
    while let Some(message) = stream.next().await? {
        let calls = live.borrow_mut().apply(&message.get(field::EVENT))?;
        call_all(calls).await?;
    }
    Ok(())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn commands_run_in_a_login_bash() {
        let envs = BTreeMap::from([("X".to_string(), "1".to_string())]);
        let req = start_request("echo hi".into(), envs.clone(), Some("/tmp".into()), true);
        assert_eq!(req.process.cmd, "/bin/bash");
        assert_eq!(req.process.args, ["-l", "-c", "echo hi"]);
        assert_eq!(req.process.envs, envs);
        assert_eq!(req.process.cwd.as_deref(), Some("/tmp"));
        assert_eq!(req.stdin, Some(true));
        assert_eq!(req.pty, None);
    }

    #[test]
    fn a_non_zero_exit_is_a_command_exit_error_with_the_output() {
        let end = EndEvent { exit_code: 0, exited: true, status: "exit status 0".into(), error: None };
        let ok = result_of(&end, "out".into(), "".into()).expect("exit 0 succeeds");
        assert_eq!(ok, CommandResult { exit_code: 0, error: None, stdout: "out".into(), stderr: "".into() });
        let end = EndEvent { exit_code: 7, error: Some("exit status 7".into()), ..end };
        match result_of(&end, "".into(), "bad".into()) {
            Err(Error::CommandExit(r)) => {
                assert_eq!((r.exit_code, r.error.as_deref(), r.stderr.as_str()), (7, Some("exit status 7"), "bad"))
            }
            other => panic!("{other:?}"),
        }
    }
}
