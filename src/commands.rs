//! `sandbox.commands`: run shell commands inside a sandbox, in the foreground or the background,
//! with their output streamed; list, signal and feed stdin to running ones.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{TextDecodeOptions, TextDecoder};

use crate::config::REQUEST_TIMEOUT_MS;
use crate::envd::{base64_bytes, base64_string};
use crate::errors;
use crate::http::Deadline;
use crate::js::{get, set};
use crate::options::Options;
use crate::sandbox::SandboxData;

/// Default time a command may run.
const COMMAND_TIMEOUT_MS: f64 = 60_000.0;

/// Commands of one sandbox.
#[wasm_bindgen(skip_typescript)]
pub struct Commands {
    data: Rc<SandboxData>,
}

/// Output of one stream, decoded as UTF-8 across chunk boundaries, with its callback.
struct Output {
    decoder: TextDecoder,
    text: String,
    callback: Option<Function>,
}

impl Output {
    fn new(callback: JsValue) -> Result<Self, JsValue> {
        Ok(Self { decoder: TextDecoder::new()?, text: String::new(), callback: callback.dyn_into().ok() })
    }

    fn push(&mut self, b64: &str) -> Result<(), JsValue> {
        let bytes = base64_bytes(b64)?;
        let opts = TextDecodeOptions::new();
        opts.set_stream(true);
        let chunk = self.decoder.decode_with_u8_array_and_options(&bytes, &opts)?;
        self.deliver(chunk)
    }

    fn finish(&mut self) -> Result<(), JsValue> {
        let rest = self.decoder.decode()?;
        self.deliver(rest)
    }

    fn deliver(&mut self, chunk: String) -> Result<(), JsValue> {
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
struct Live {
    stdout: Output,
    stderr: Output,
    end: Option<JsValue>,
}

/// A unary `process.Process` call.
async fn rpc(data: &SandboxData, o: &Options, method: &str, request: &Object) -> Result<JsValue, JsValue> {
    let deadline =
        Deadline { timeout_ms: o.number("requestTimeoutMs").unwrap_or(REQUEST_TIMEOUT_MS), signal: o.signal() };
    data.envd(o).unary(&format!("process.Process/{method}"), request, None, &deadline, false).await
}

fn selector(pid: u32) -> Object {
    let process = Object::new();
    set(&process, "pid", &pid.into());
    let req = Object::new();
    set(&req, "process", &process);
    req
}

fn is_not_found(e: &JsValue) -> bool {
    get(e, "message").as_string().is_some_and(|m| m.contains("[not_found]"))
}

/// Starts `cmd`; resolves `started` with its pid and returns the promise of its result.
fn launch(data: Rc<SandboxData>, cmd: String, o: Options, live: Rc<RefCell<Live>>) -> (Promise, Promise) {
    let starter: Rc<RefCell<Option<(Function, Function)>>> = Rc::default();
    let started = {
        let starter = starter.clone();
        Promise::new(&mut move |resolve, reject| *starter.borrow_mut() = Some((resolve, reject)))
    };
    let done = crate::http::promise(async move {
        let process = Object::new();
        set(&process, "cmd", &"/bin/bash".into());
        set(&process, "args", &Array::of3(&"-l".into(), &"-c".into(), &cmd.into()).into());
        let envs = Object::new();
        if let Some(e) = o.get("envs") {
            Object::assign(&envs, e.unchecked_ref());
        }
        set(&process, "envs", &envs);
        if let Some(cwd) = o.string("cwd") {
            set(&process, "cwd", &cwd.into());
        }
        let request = Object::new();
        set(&request, "process", &process);
        set(&request, "stdin", &o.boolean("stdin").unwrap_or(false).into());
        let timeout_ms = o.number("timeoutMs").unwrap_or(COMMAND_TIMEOUT_MS);
        let deadline =
            Deadline { timeout_ms: o.number("requestTimeoutMs").unwrap_or(REQUEST_TIMEOUT_MS), signal: o.signal() };
        let user = o.string("user");
        let (sink, notify) = (live.clone(), starter.clone());
        let mut have_start = false;
        let outcome = data
            .envd(&o)
            .stream("process.Process/Start", &request, user.as_deref(), timeout_ms, &deadline, move |message| {
                let event = get(&message, "event");
                if !have_start {
                    let start = get(&event, "start");
                    if start.is_undefined() {
                        return Err(js_sys::Error::new("Expected start event").into());
                    }
                    have_start = true;
                    if let Some((resolve, _)) = notify.borrow_mut().take() {
                        let _ = resolve.call1(&JsValue::UNDEFINED, &get(&start, "pid"));
                    }
                    return Ok(());
                }
                let out = get(&event, "data");
                if out.is_object() {
                    if let Some(s) = get(&out, "stdout").as_string() {
                        sink.borrow_mut().stdout.push(&s)?;
                    }
                    if let Some(s) = get(&out, "stderr").as_string() {
                        sink.borrow_mut().stderr.push(&s)?;
                    }
                }
                let end = get(&event, "end");
                if end.is_object() {
                    sink.borrow_mut().end = Some(end);
                }
                Ok(())
            })
            .await;
        if let Err(e) = outcome {
            if let Some((_, reject)) = starter.borrow_mut().take() {
                let _ = reject.call1(&JsValue::UNDEFINED, &e);
            }
            return Err(e);
        }
        let mut l = live.borrow_mut();
        l.stdout.finish()?;
        l.stderr.finish()?;
        let end = l.end.clone().ok_or_else(|| errors::sandbox("the command ended without an end event", None))?;
        let result = Object::new();
        let exit_code = get(&end, "exitCode").as_f64().unwrap_or(0.0);
        set(&result, "exitCode", &exit_code.into());
        let error = get(&end, "error");
        if error.is_string() {
            set(&result, "error", &error);
        }
        set(&result, "stdout", &l.stdout.text.as_str().into());
        set(&result, "stderr", &l.stderr.text.as_str().into());
        if exit_code != 0.0 {
            return Err(errors::command_exit(&result));
        }
        Ok(result.into())
    });
    (started, done)
}

impl Commands {
    /// Commands of the sandbox `data` describes.
    pub fn new(data: Rc<SandboxData>) -> Self {
        Self { data }
    }
}

#[wasm_bindgen]
impl Commands {
    /// Runs `cmd` with bash. By default waits for it and resolves `{exitCode, stdout, stderr, error}`
    /// (a non-zero exit rejects with `CommandExitError`); with `background: true` resolves a handle.
    pub fn run(&self, cmd: String, opts: Option<JsValue>) -> Promise {
        let data = self.data.clone();
        crate::http::promise(async move {
            let o = data.merged(&opts);
            let live = Rc::new(RefCell::new(Live {
                stdout: Output::new(o.get("onStdout").unwrap_or(JsValue::UNDEFINED))?,
                stderr: Output::new(o.get("onStderr").unwrap_or(JsValue::UNDEFINED))?,
                end: None,
            }));
            let background = o.boolean("background") == Some(true);
            let (started, done) = launch(data.clone(), cmd, o, live.clone());
            // A foreground run never awaits `started`, and nobody may ever wait for a background
            // command: neither may turn into an unhandled rejection.
            let ignore = Closure::<dyn FnMut(JsValue)>::new(|_| {});
            let _ = started.catch(&ignore);
            if !background {
                ignore.forget();
                return wasm_bindgen_futures::JsFuture::from(done).await;
            }
            let _ = done.catch(&ignore);
            ignore.forget();
            let pid = wasm_bindgen_futures::JsFuture::from(started).await?.as_f64().unwrap_or(0.0) as u32;
            Ok(CommandHandle { pid, done, live, data }.into())
        })
    }

    /// The processes running in the sandbox.
    pub fn list(&self, opts: Option<JsValue>) -> Promise {
        let data = self.data.clone();
        crate::http::promise(async move {
            let o = data.merged(&opts);
            let res = rpc(&data, &o, "List", &Object::new()).await?;
            let out = Array::new();
            for p in Array::from(&get(&res, "processes")).iter() {
                let config = get(&p, "config");
                let info = Object::new();
                set(&info, "pid", &get(&p, "pid"));
                let tag = get(&p, "tag");
                if tag.is_string() {
                    set(&info, "tag", &tag);
                }
                set(&info, "cmd", &get(&config, "cmd"));
                set(&info, "args", &get(&config, "args"));
                set(&info, "envs", &get(&config, "envs"));
                let cwd = get(&config, "cwd");
                if cwd.is_string() {
                    set(&info, "cwd", &cwd);
                }
                out.push(&info);
            }
            Ok(out.into())
        })
    }

    /// Kills a process with SIGKILL; `false` if there was none.
    pub fn kill(&self, pid: u32, opts: Option<JsValue>) -> Promise {
        let data = self.data.clone();
        crate::http::promise(async move { kill(&data, &data.merged(&opts), pid).await })
    }

    /// Writes `data` to a process's stdin (it must have been started with `stdin: true`).
    #[wasm_bindgen(js_name = sendStdin)]
    pub fn send_stdin(&self, pid: u32, data: String, opts: Option<JsValue>) -> Promise {
        let sandbox = self.data.clone();
        crate::http::promise(async move { send_stdin(&sandbox, &sandbox.merged(&opts), pid, &data).await })
    }

    /// Closes a process's stdin.
    #[wasm_bindgen(js_name = closeStdin)]
    pub fn close_stdin(&self, pid: u32, opts: Option<JsValue>) -> Promise {
        let data = self.data.clone();
        crate::http::promise(async move {
            rpc(&data, &data.merged(&opts), "CloseStdin", &selector(pid)).await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}

async fn kill(data: &SandboxData, o: &Options, pid: u32) -> Result<JsValue, JsValue> {
    let req = selector(pid);
    set(&req, "signal", &"SIGNAL_SIGKILL".into());
    match rpc(data, o, "SendSignal", &req).await {
        Ok(_) => Ok(true.into()),
        Err(e) if is_not_found(&e) => Ok(false.into()),
        Err(e) => Err(e),
    }
}

async fn send_stdin(data: &SandboxData, o: &Options, pid: u32, text: &str) -> Result<JsValue, JsValue> {
    let req = selector(pid);
    let input = Object::new();
    set(&input, "stdin", &base64_string(text.as_bytes()).into());
    set(&req, "input", &input);
    rpc(data, o, "SendInput", &req).await?;
    Ok(JsValue::UNDEFINED)
}

/// A command running in the background.
#[wasm_bindgen(skip_typescript)]
pub struct CommandHandle {
    pid: u32,
    done: Promise,
    live: Rc<RefCell<Live>>,
    data: Rc<SandboxData>,
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
        self.live.borrow().stdout.text.clone()
    }

    /// Everything written to stderr so far.
    #[wasm_bindgen(getter)]
    pub fn stderr(&self) -> String {
        self.live.borrow().stderr.text.clone()
    }

    /// The exit code, once the command has ended.
    #[wasm_bindgen(getter, js_name = exitCode)]
    pub fn exit_code(&self) -> Option<f64> {
        self.live.borrow().end.as_ref().map(|e| get(e, "exitCode").as_f64().unwrap_or(0.0))
    }

    /// Waits for the command: resolves its result, or rejects with `CommandExitError`.
    pub fn wait(&self) -> Promise {
        self.done.clone()
    }

    /// Kills the command; `false` if it had already ended.
    pub fn kill(&self, opts: Option<JsValue>) -> Promise {
        let (data, pid) = (self.data.clone(), self.pid);
        crate::http::promise(async move { kill(&data, &data.merged(&opts), pid).await })
    }

    /// Writes to the command's stdin.
    #[wasm_bindgen(js_name = sendStdin)]
    pub fn send_stdin(&self, text: String, opts: Option<JsValue>) -> Promise {
        let (data, pid) = (self.data.clone(), self.pid);
        crate::http::promise(async move { send_stdin(&data, &data.merged(&opts), pid, &text).await })
    }
}
