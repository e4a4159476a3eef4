//! Processes on pseudo-terminals on a real e2b-local: the program sees a TTY of the size asked
//! for, as its session's controlling terminal, with `TERM`; `Update` resizes it (SIGWINCH); input
//! goes to the terminal; what only pipes have is refused.

mod common;

use std::time::{Duration, Instant};

use base64::Engine as _;
use common::{basic_auth, Envelopes, Sbx, Server};
use e2b_wire::envd::process::{method, SERVICE};
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(10);

fn b64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// Starts `script` with bash on a `cols`×`rows` terminal as the user; returns its stream and PID.
async fn start_pty(sb: &Sbx, script: &str, cols: u32, rows: u32, envs: Value) -> (Envelopes, u64) {
    let body = json!({
        "process": {"cmd": "/bin/bash", "args": ["-c", script], "envs": envs},
        "pty": {"size": {"cols": cols, "rows": rows}},
    });
    let auth = basic_auth("user");
    let res = sb.stream(SERVICE, method::START, body, &[("authorization", auth.as_str())]).await;
    let mut events = Envelopes::new(res);
    let (_, first) = events.message(WAIT).await;
    let pid = first["event"]["start"]["pid"].as_u64().unwrap_or_else(|| panic!("a start event first: {first}"));
    (events, pid)
}

/// Reads the terminal's output until it shows `want`; returns all of it so far.
async fn screen_until(events: &mut Envelopes, seen: &mut String, want: &str) {
    let deadline = Instant::now() + WAIT;
    while !seen.contains(want) {
        let left = deadline.saturating_duration_since(Instant::now());
        let Some(e) = events.next(left).await else { panic!("no {want:?} in {seen:?} ({:?})", events.closed) };
        let msg: Value = serde_json::from_slice(&e.payload).unwrap();
        assert!(msg["event"]["data"].get("stdout").is_none(), "a terminal's output is `pty`: {msg}");
        if let Some(d) = msg["event"]["data"]["pty"].as_str() {
            let bytes = base64::engine::general_purpose::STANDARD.decode(d).unwrap();
            seen.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
}

async fn update(sb: &Sbx, pid: u64, cols: u32, rows: u32) -> (u16, Value) {
    let body = json!({"process": {"pid": pid}, "pty": {"size": {"cols": cols, "rows": rows}}});
    sb.rpc_as(None, SERVICE, method::UPDATE, body).await
}

async fn input(sb: &Sbx, pid: u64, kind: &str, text: &str) -> (u16, Value) {
    sb.rpc_as(None, SERVICE, method::SEND_INPUT, json!({"process": {"pid": pid}, "input": {kind: b64(text)}})).await
}

#[tokio::test]
async fn a_terminal_is_a_tty_of_its_size_that_update_resizes() {
    let s = Server::start_with(&["--warm-sandboxes", "0"]);
    let sb = s.sandbox(json!({"templateID": "base", "timeout": 120})).await;
    let script = "tty; stty size; echo \"TERM=$TERM\"; read line; stty size; echo \"got:$line\"";
    let (mut events, pid) = start_pty(&sb, script, 80, 24, json!({})).await;
    let mut seen = String::new();
    screen_until(&mut events, &mut seen, "TERM=").await;
    screen_until(&mut events, &mut seen, "\n").await;
    assert!(seen.contains("/dev/pts/"), "tty names the terminal: {seen:?}");
    assert!(seen.contains("24 80\r\n"), "stty size: rows cols: {seen:?}");
    assert!(seen.contains("TERM=xterm-256color"), "{seen:?}");

    assert_eq!(update(&sb, pid, 132, 43).await, (200, json!({})));
    assert_eq!(input(&sb, pid, "pty", "hello\r").await, (200, json!({})));
    screen_until(&mut events, &mut seen, "got:hello").await;
    assert!(seen.contains("43 132\r\n"), "the new size: {seen:?}");
    let rest = events.rest(WAIT).await;
    let end = rest.iter().find_map(|(_, m)| m["event"].get("end").cloned()).expect("an end event");
    assert_eq!(end["exitCode"], 0);
    s.kill(&sb).await;
}

#[tokio::test]
async fn the_program_leads_its_session_and_hears_sigwinch() {
    let s = Server::start_with(&["--warm-sandboxes", "0"]);
    let sb = s.sandbox(json!({"templateID": "base", "timeout": 120})).await;
    let program = r#"exec python3 -c '
import os, signal, sys
size = lambda: "%dx%d" % tuple(os.get_terminal_size(0))
signal.signal(signal.SIGWINCH, lambda *a: print("winch", size(), flush=True))
print("leader", os.getsid(0) == os.getpid(), "foreground", os.tcgetpgrp(0) == os.getpgrp(), flush=True)
print("tty", os.isatty(0), os.isatty(1), os.isatty(2), size(), os.environ["TERM"], flush=True)
for line in sys.stdin:
    print("line", line.strip(), flush=True)
'"#;
    let (mut events, pid) = start_pty(&sb, program, 100, 30, json!({"TERM": "vt100"})).await;
    let mut seen = String::new();
    screen_until(&mut events, &mut seen, "vt100").await;
    assert!(seen.contains("leader True foreground True"), "{seen:?}");
    assert!(seen.contains("tty True True True 100x30 vt100"), "a TERM asked for is kept: {seen:?}");
    assert_eq!(update(&sb, pid, 90, 20).await.0, 200);
    screen_until(&mut events, &mut seen, "winch 90x20").await;

    // Input to a terminal goes to the terminal; what only pipes have is refused.
    let (status, err) = input(&sb, pid, "stdin", "x\n").await;
    assert_eq!((status, err["code"].as_str()), (400, Some("failed_precondition")), "{err}");
    let (status, err) = sb.rpc_as(None, SERVICE, method::CLOSE_STDIN, json!({"process": {"pid": pid}})).await;
    assert_eq!((status, err["code"].as_str()), (400, Some("failed_precondition")));
    assert!(err["message"].as_str().unwrap().contains("Ctrl+D"), "{err}");
    let (status, err) = update(&sb, pid, 70_000, 20).await;
    assert_eq!((status, err["code"].as_str()), (400, Some("invalid_argument")), "{err}");
    assert_eq!(input(&sb, pid, "pty", "typed\r").await.0, 200);
    screen_until(&mut events, &mut seen, "line typed").await;
    // Ctrl-D at the start of a line is end-of-file on a terminal.
    assert_eq!(input(&sb, pid, "pty", "\u{4}").await.0, 200);
    let rest = events.rest(WAIT).await;
    assert!(rest.iter().any(|(_, m)| m["event"]["end"]["exitCode"] == 0), "{rest:?}");

    // Without a terminal: no size to change, no terminal input; unknown processes are not found.
    let pipes = json!({"process": {"cmd": "/bin/sleep", "args": ["30"]}, "stdin": true});
    let auth = basic_auth("user");
    let mut plain = Envelopes::new(sb.stream(SERVICE, method::START, pipes, &[("authorization", auth.as_str())]).await);
    let plain_pid = plain.message(WAIT).await.1["event"]["start"]["pid"].as_u64().unwrap();
    let (status, err) = update(&sb, plain_pid, 80, 24).await;
    assert_eq!((status, err["code"].as_str()), (400, Some("failed_precondition")), "{err}");
    let (status, err) = input(&sb, plain_pid, "pty", "x").await;
    assert_eq!((status, err["code"].as_str()), (400, Some("failed_precondition")), "{err}");
    let no_size = sb.rpc_as(None, SERVICE, method::UPDATE, json!({"process": {"pid": plain_pid}})).await;
    assert_eq!(no_size, (200, json!({})), "an update without a size changes nothing");
    let (status, err) = update(&sb, 999_999, 80, 24).await;
    assert_eq!((status, err["code"].as_str()), (404, Some("not_found")));
    s.kill(&sb).await;
}
