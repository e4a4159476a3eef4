//! `sandbox.commands`: run a shell command inside a sandbox and stream its output.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::{TextDecodeOptions, TextDecoder};

use crate::config::REQUEST_TIMEOUT_MS;
use crate::envd::base64_bytes;
use crate::errors;
use crate::http::Deadline;
use crate::sandbox::SandboxData;

/// Default time a command may run.
const COMMAND_TIMEOUT_MS: f64 = 60_000.0;

/// Commands of one sandbox.
#[wasm_bindgen(skip_typescript)]
pub struct Commands {
    data: Rc<SandboxData>,
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap_or(JsValue::UNDEFINED)
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

use wasm_bindgen::JsCast;

impl Commands {
    /// Commands of the sandbox `data` describes.
    pub fn new(data: Rc<SandboxData>) -> Self {
        Self { data }
    }
}

#[wasm_bindgen]
impl Commands {
    /// Runs `cmd` with bash and waits for it: resolves `{exitCode, stdout, stderr, error}`;
    /// a non-zero exit rejects with `CommandExitError`.
    pub fn run(&self, cmd: String, opts: Option<JsValue>) -> Promise {
        let data = self.data.clone();
        crate::http::promise(async move {
            let o = data.merged(&opts);
            if o.boolean("background") == Some(true) {
                return Err(errors::invalid_argument("background commands are not supported by e2b-wasm yet"));
            }
            let process = Object::new();
            set(&process, "cmd", &"/bin/bash".into());
            set(&process, "args", &js_sys::Array::of3(&"-l".into(), &"-c".into(), &cmd.into()).into());
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

            let stdout = Rc::new(RefCell::new(Output::new(o.get("onStdout").unwrap_or(JsValue::UNDEFINED))?));
            let stderr = Rc::new(RefCell::new(Output::new(o.get("onStderr").unwrap_or(JsValue::UNDEFINED))?));
            let end: Rc<RefCell<Option<JsValue>>> = Rc::default();
            let mut started = false;
            let timeout_ms = o.number("timeoutMs").unwrap_or(COMMAND_TIMEOUT_MS);
            let deadline =
                Deadline { timeout_ms: o.number("requestTimeoutMs").unwrap_or(REQUEST_TIMEOUT_MS), signal: o.signal() };
            let user = o.string("user");
            let (out, err, fin) = (stdout.clone(), stderr.clone(), end.clone());
            data.envd(&o)
                .stream("process.Process/Start", &request, user.as_deref(), timeout_ms, &deadline, move |message| {
                    let event = get(&message, "event");
                    if !started {
                        if get(&event, "start").is_undefined() {
                            return Err(js_sys::Error::new("Expected start event").into());
                        }
                        started = true;
                        return Ok(());
                    }
                    let data = get(&event, "data");
                    if data.is_object() {
                        if let Some(s) = get(&data, "stdout").as_string() {
                            out.borrow_mut().push(&s)?;
                        }
                        if let Some(s) = get(&data, "stderr").as_string() {
                            err.borrow_mut().push(&s)?;
                        }
                    }
                    let e = get(&event, "end");
                    if e.is_object() {
                        *fin.borrow_mut() = Some(e);
                    }
                    Ok(())
                })
                .await?;
            stdout.borrow_mut().finish()?;
            stderr.borrow_mut().finish()?;
            let end =
                end.borrow().clone().ok_or_else(|| errors::sandbox("the command ended without an end event", None))?;
            let result = Object::new();
            let exit_code = get(&end, "exitCode").as_f64().unwrap_or(0.0);
            set(&result, "exitCode", &exit_code.into());
            let error = get(&end, "error");
            if error.is_string() {
                set(&result, "error", &error);
            }
            set(&result, "stdout", &stdout.borrow().text.as_str().into());
            set(&result, "stderr", &stderr.borrow().text.as_str().into());
            if exit_code != 0.0 {
                return Err(errors::command_exit(&result));
            }
            Ok(result.into())
        })
    }
}
