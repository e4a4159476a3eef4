//! One command's run: its `Start` request, the events of its output stream, and its result.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use e2b_wire::envd::process::{method, EndEvent, ProcessConfig, StartRequest, SERVICE};
use e2b_wire::fields::process as field;
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{TextDecodeOptions, TextDecoder};

use crate::config::{deadline, REQUEST_TIMEOUT_MS};
use crate::envd::base64;
use crate::envd::connection::Connection;
use crate::envd::rpc::{stream, CallOpts, Method};
use crate::errors::{CommandResult, Error, Result};
use crate::options::Options;
use crate::transport::body::json_text;
use crate::transport::promise::promise;
use crate::transport::reply::Reply;

/// Default time a command may run.
const COMMAND_TIMEOUT_MS: f64 = 60_000.0;
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

/// Output of one stream, decoded as UTF-8 across chunk boundaries, with its callback.
struct Output {
    decoder: TextDecoder,
    text: String,
    callback: Option<Function>,
}

impl Output {
    fn new(callback: Option<JsValue>) -> Result<Self> {
        Ok(Self {
            decoder: TextDecoder::new()?,
            text: String::new(),
            callback: callback.and_then(|c| c.dyn_into().ok()),
        })
    }

    fn push(&mut self, b64: &str) -> Result<()> {
        let bytes = base64::decode(b64)?;
        let opts = TextDecodeOptions::new();
        opts.set_stream(true);
        let chunk = self.decoder.decode_with_u8_array_and_options(&bytes, &opts)?;
        self.deliver(chunk)
    }

    fn finish(&mut self) -> Result<()> {
        let rest = self.decoder.decode()?;
        self.deliver(rest)
    }

    fn deliver(&mut self, chunk: String) -> Result<()> {
        if chunk.is_empty() {
            return Ok(());
        }
        if let Some(cb) = &self.callback {
            cb.call1(&JsValue::UNDEFINED, &JsValue::from_str(&chunk))?;
        }
        self.text.push_str(&chunk);
        Ok(())
    }
}

/// What a running command has produced so far.
pub struct Live {
    stdout: Output,
    stderr: Output,
    end: Option<EndEvent>,
}

impl Live {
    /// Nothing yet; output goes to the `onStdout` and `onStderr` callbacks as it arrives.
    pub fn new(o: &Options) -> Result<Self> {
        Ok(Self { stdout: Output::new(o.get("onStdout"))?, stderr: Output::new(o.get("onStderr"))?, end: None })
    }

    /// Everything written to stdout so far.
    pub fn stdout(&self) -> &str {
        &self.stdout.text
    }

    /// Everything written to stderr so far.
    pub fn stderr(&self) -> &str {
        &self.stderr.text
    }

    /// The exit code, once the command has ended.
    pub fn exit_code(&self) -> Option<i32> {
        self.end.as_ref().map(|e| e.exit_code)
    }

    /// Takes in one output or end event.
    fn apply(&mut self, event: &Reply) -> Result<()> {
        let data = event.get(field::DATA);
        if let Some(s) = data.str(field::STDOUT) {
            self.stdout.push(&s)?;
        }
        if let Some(s) = data.str(field::STDERR) {
            self.stderr.push(&s)?;
        }
        let end = event.get(field::END);
        if end.is_present() {
            self.end = Some(end_event(&end));
        }
        Ok(())
    }

    /// The command's result, once its stream is over.
    fn finish(&mut self) -> Result<CommandResult> {
        self.stdout.finish()?;
        self.stderr.finish()?;
        let end = self.end.as_ref().ok_or_else(|| Error::Sandbox("the command ended without an end event".into()))?;
        result_of(end, self.stdout.text.clone(), self.stderr.text.clone())
    }
}

/// Who waits for the command's start: the `resolve` and `reject` of the `started` promise.
type Starter = Rc<RefCell<Option<(Function, Function)>>>;

/// Starts `cmd`; returns a promise of its pid once started, and the promise of its result.
pub fn launch(conn: Rc<Connection>, cmd: String, o: Options, live: Rc<RefCell<Live>>) -> (Promise, Promise) {
    let starter: Starter = Rc::default();
    let started = {
        let starter = starter.clone();
        Promise::new(&mut move |resolve, reject| *starter.borrow_mut() = Some((resolve, reject)))
    };
    let done = promise(async move {
        let outcome = run(&conn, cmd, &o, &live, &starter).await;
        if let Err(e) = &outcome {
            if let Some((_, reject)) = starter.borrow_mut().take() {
                let _ = reject.call1(&JsValue::UNDEFINED, &JsValue::from(e.clone()));
            }
        }
        outcome?;
        Ok(live.borrow_mut().finish()?.to_js())
    });
    (started, done)
}

/// Streams the command's events into `live`; the first must be its start, which resolves `starter`.
async fn run(conn: &Connection, cmd: String, o: &Options, live: &Rc<RefCell<Live>>, starter: &Starter) -> Result<()> {
    let envs = o.string_map("envs").unwrap_or_default();
    let request = start_request(cmd, envs, o.string("cwd"), o.boolean("stdin").unwrap_or(false));
    let timeout_ms = o.number("timeoutMs").unwrap_or(COMMAND_TIMEOUT_MS);
    let dl = deadline(o, REQUEST_TIMEOUT_MS);
    let user = o.string("user");
    let call = CallOpts { user: user.as_deref(), deadline: &dl };
    let method = Method { service: SERVICE, name: method::START, files: false };
    let mut have_start = false;
    stream(&conn.envd(o), method, json_text(&request)?, &call, timeout_ms, |message| {
        let event = message.get(field::EVENT);
        if have_start {
            return live.borrow_mut().apply(&event);
        }
        let start = event.get(field::START);
        if !start.is_present() {
            return Err(Error::Plain("Expected start event".into()));
        }
        have_start = true;
        if let Some((resolve, _)) = starter.borrow_mut().take() {
            let _ = resolve.call1(&JsValue::UNDEFINED, &start.num(field::PID).unwrap_or(0.0).into());
        }
        Ok(())
    })
    .await
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
