//! A sandbox's files, commands and terminals from Rust, run by `wasm-pack test --node` and in
//! headless browsers against a real e2b-local (its URL and key come from E2B_TEST_API_URL and
//! E2B_TEST_API_KEY at build time): writes with metadata and gzip, watching a directory, a PTY that
//! is a real terminal, connecting to a running command, and the errors of bad input.
#![cfg(target_arch = "wasm32")]

mod common;
use common::*;

use std::cell::RefCell;
use std::rc::Rc;

use e2b_wasm::{CommandHandle, Sandbox, WatchHandle};
use js_sys::{Array, Function, Promise, Uint8Array};
use wasm_bindgen::convert::TryFromJsValue;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(f: &Function, ms: i32);
}

async fn sleep(ms: i32) {
    wait(Promise::new(&mut |resolve, _| set_timeout(&resolve, ms))).await.unwrap();
}

/// Waits until `check()` is true; panics after about five seconds.
async fn until(what: &str, check: impl Fn() -> bool) {
    for _ in 0..200 {
        if check() {
            return;
        }
        sleep(25).await;
    }
    panic!("timed out waiting for {what}");
}

async fn sandbox() -> Sandbox {
    Sandbox::try_from_js_value(wait(Sandbox::create(opts(&[]), None)).await.unwrap()).unwrap()
}

/// A JS callback that records what it is called with (as text, or bytes decoded as UTF-8).
fn recorder() -> (Rc<RefCell<String>>, Function) {
    let seen = Rc::new(RefCell::new(String::new()));
    let sink = seen.clone();
    let f = Closure::<dyn FnMut(JsValue)>::new(move |v: JsValue| {
        let piece = match v.dyn_ref::<Uint8Array>() {
            Some(bytes) => String::from_utf8_lossy(&bytes.to_vec()).into_owned(),
            None if v.is_object() => format!("{} {}\n", text(&v, "type"), text(&v, "name")),
            None => v.as_string().unwrap_or_default(),
        };
        sink.borrow_mut().push_str(&piece);
    });
    let function = f.as_ref().unchecked_ref::<Function>().clone();
    f.forget();
    (seen, function)
}

#[wasm_bindgen_test]
async fn files_with_metadata_gzip_and_several_at_once() {
    let s = sandbox().await;
    let files = s.files();
    let meta = object(&[("metadata", object(&[("Owner", "wasm".into())]))]);
    let info = wait(files.write("/home/user/m.txt".into(), "m".into(), Some(meta))).await.unwrap();
    assert_eq!(text(&get(&info, "metadata"), "owner"), "wasm");
    let entry = wait(files.get_info("/home/user/m.txt".into(), None)).await.unwrap();
    assert_eq!(text(&get(&entry, "metadata"), "owner"), "wasm");

    let bad = object(&[("metadata", object(&[("bad key", "v".into())]))]);
    let refused = wait(files.write("/home/user/bad.txt".into(), "x".into(), Some(bad))).await.unwrap_err();
    assert_eq!(error_name(&refused), "InvalidArgumentError");

    let body = "gzip from wasm ".repeat(200);
    let gz = object(&[("gzip", true.into())]);
    wait(files.write("/home/user/g.txt".into(), body.as_str().into(), Some(gz.clone()))).await.unwrap();
    assert_eq!(wait(files.read("/home/user/g.txt".into(), Some(gz))).await.unwrap().as_string(), Some(body));

    let many = Array::of2(
        &object(&[("path", "/home/user/a".into()), ("data", "a".into())]),
        &object(&[("path", "/home/user/b".into()), ("data", "b".into())]),
    );
    let written = Array::from(&wait(files.write_files(many.into(), None)).await.unwrap());
    assert_eq!(written.iter().map(|w| text(&w, "name")).collect::<Vec<_>>(), ["a", "b"]);

    let missing = wait(files.read("/home/user/nope".into(), None)).await.unwrap_err();
    assert_eq!(error_name(&missing), "FileNotFoundError");
    let no_path = wait(files.write(JsValue::UNDEFINED, "x".into(), None)).await.unwrap_err();
    assert_eq!(text(&no_path, "message"), "Path or files are required");
    wait(s.kill(None)).await.unwrap();
}

#[wasm_bindgen_test]
async fn watch_dir_sees_changes_until_stopped() {
    let s = sandbox().await;
    let files = s.files();
    wait(files.make_dir("/home/user/w".into(), None)).await.unwrap();
    let (events, on_event) = recorder();
    let (exits, on_exit) = recorder();
    let watch_opts = opts(&[("recursive", true.into()), ("onExit", on_exit.into())]);
    let made = wait(files.watch_dir("/home/user/w".into(), on_event.into(), Some(watch_opts))).await.unwrap();
    let watch = WatchHandle::try_from_js_value(made).unwrap();
    wait(s.commands().run("mkdir /home/user/w/d && echo x > /home/user/w/d/f".into(), None)).await.unwrap();
    until("the creation of d/f", || events.borrow().contains("create d/f\n")).await;
    assert!(events.borrow().contains("create d\n"), "{}", events.borrow());
    wait(watch.stop()).await.unwrap();
    // onExit gets the stop as the official SDK reports it: a TimeoutError object.
    until("onExit", || exits.borrow().contains("TimeoutError")).await;

    let missing =
        wait(files.watch_dir("/home/user/nope".into(), Function::new_no_args("").into(), None)).await.unwrap_err();
    assert_eq!(error_name(&missing), "FileNotFoundError");
    wait(s.kill(None)).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_pty_is_a_real_terminal_that_resizes() {
    let s = sandbox().await;
    let pty = s.pty();
    let (screen, on_data) = recorder();
    let create = object(&[("cols", 80.into()), ("rows", 24.into()), ("onData", on_data.into())]);
    let handle = CommandHandle::try_from_js_value(wait(pty.create(create)).await.unwrap()).unwrap();
    let pid = handle.pid();
    let input = |s: &str| JsValue::from(Uint8Array::from(s.as_bytes()));
    wait(pty.send_input(pid, input("tty; stty size\n"), None)).await.unwrap();
    until("stty size", || screen.borrow().contains("24 80")).await;
    assert!(screen.borrow().contains("/dev/pts/"), "{}", screen.borrow());
    wait(pty.resize(pid, object(&[("cols", 100.into()), ("rows", 40.into())]), None)).await.unwrap();
    wait(pty.send_input(pid, input("stty size; exit\n"), None)).await.unwrap();
    let result = wait(handle.wait()).await.unwrap();
    assert_eq!(get(&result, "exitCode").as_f64(), Some(0.0));
    assert!(screen.borrow().contains("40 100"), "{}", screen.borrow());

    let unknown = wait(pty.resize(999_999, object(&[("cols", 1.into()), ("rows", 1.into())]), None)).await.unwrap_err();
    assert_eq!(error_name(&unknown), "NotFoundError");
    assert_eq!(wait(pty.kill(999_999, None)).await.unwrap(), JsValue::FALSE);
    wait(s.kill(None)).await.unwrap();
}

#[wasm_bindgen_test]
async fn commands_connect_stdin_and_a_killed_sandbox() {
    let s = sandbox().await;
    let commands = s.commands();
    let bg = opts(&[("background", true.into())]);
    let ticker = wait(commands.run("for i in 1 2 3; do echo tick$i; sleep 0.2; done".into(), Some(bg))).await.unwrap();
    let pid = CommandHandle::try_from_js_value(ticker).unwrap().pid();
    let (out, on_stdout) = recorder();
    let attached = wait(commands.connect(pid, Some(opts(&[("onStdout", on_stdout.into())])))).await.unwrap();
    let attached = CommandHandle::try_from_js_value(attached).unwrap();
    wait(attached.wait()).await.unwrap();
    assert!(out.borrow().ends_with("tick3\n"), "{}", out.borrow());

    let stdin = opts(&[("background", true.into()), ("stdin", true.into())]);
    let cat = CommandHandle::try_from_js_value(wait(commands.run("cat".into(), Some(stdin))).await.unwrap()).unwrap();
    wait(cat.send_stdin(Uint8Array::from(&b"bytes"[..]).into(), None)).await.unwrap();
    wait(cat.close_stdin(None)).await.unwrap();
    assert_eq!(text(&wait(cat.wait()).await.unwrap(), "stdout"), "bytes");

    let unknown = wait(commands.connect(999_999, None)).await.unwrap_err();
    assert_eq!(error_name(&unknown), "NotFoundError");
    wait(s.kill(None)).await.unwrap();
    let gone = wait(commands.run("true".into(), None)).await.unwrap_err();
    assert_eq!(error_name(&gone), "SandboxNotFoundError");
}
