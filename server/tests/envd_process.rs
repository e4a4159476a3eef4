//! envd's processes on a real e2b-local: `Connect` attaching more streams to a running process,
//! keepalives at the client's interval, `StreamInput`, and the end of a process — on its own,
//! while processes it left behind still hold its output, and when its sandbox is killed.

mod common;

use std::time::{Duration, Instant};

use base64::Engine as _;
use common::{basic_auth, Envelopes, Sbx, Server};
use e2b_wire::connect;
use e2b_wire::envd::process::{method, SERVICE};
use e2b_wire::envd::rpc_path;
use reqwest::Method;
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(10);

fn b64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

fn unb64(text: &str) -> String {
    String::from_utf8_lossy(&base64::engine::general_purpose::STANDARD.decode(text).unwrap()).into_owned()
}

async fn sandbox(s: &Server) -> Sbx {
    s.sandbox(json!({"templateID": "base", "timeout": 120})).await
}

/// Starts `script` with bash as the user, stdin open, with `tag`; returns its stream and PID.
async fn start(sb: &Sbx, script: &str, tag: Option<&str>, headers: &[(&str, &str)]) -> (Envelopes, u64) {
    let mut body = json!({"process": {"cmd": "/bin/bash", "args": ["-c", script]}, "stdin": true});
    if let Some(tag) = tag {
        body["tag"] = json!(tag);
    }
    let auth = basic_auth("user");
    let mut all = vec![("authorization", auth.as_str())];
    all.extend_from_slice(headers);
    let res = sb.stream(SERVICE, method::START, body, &all).await;
    assert_eq!(res.status(), 200);
    let mut events = Envelopes::new(res);
    let (_, first) = events.message(WAIT).await;
    let pid = first["event"]["start"]["pid"].as_u64().unwrap_or_else(|| panic!("a start event first: {first}"));
    (events, pid)
}

/// Reads events until stdout has shown `want`; returns what stdout showed.
async fn stdout_until(events: &mut Envelopes, want: &str) -> String {
    let mut out = String::new();
    let deadline = Instant::now() + WAIT;
    while !out.contains(want) {
        let left = deadline.saturating_duration_since(Instant::now());
        let Some(e) = events.next(left).await else { panic!("no {want:?} in {out:?} ({:?})", events.closed) };
        let msg: Value = serde_json::from_slice(&e.payload).unwrap();
        if let Some(d) = msg["event"]["data"]["stdout"].as_str() {
            out.push_str(&unb64(d));
        }
    }
    out
}

async fn send(sb: &Sbx, pid: u64, text: &str) -> (u16, Value) {
    sb.rpc_as(None, SERVICE, method::SEND_INPUT, json!({"process": {"pid": pid}, "input": {"stdin": b64(text)}})).await
}

/// The events left in a stream: the end event's exit code, and whether it ended well.
async fn finish(events: &mut Envelopes) -> (Option<i64>, Value) {
    let mut code = None;
    for (is_end, msg) in events.rest(WAIT).await {
        if let Some(end) = msg["event"].get("end") {
            code = Some(end["exitCode"].as_i64().unwrap_or(0));
        }
        if is_end {
            return (code, msg);
        }
    }
    panic!("the stream did not end ({:?})", events.closed);
}

#[tokio::test]
async fn connect_attaches_more_streams_and_the_process_outlives_them() {
    let s = Server::start_with(&["--warm-sandboxes", "0"]);
    let sb = sandbox(&s).await;
    let echo = "while read line; do echo \"got $line\"; done; echo bye";
    let (mut started, pid) = start(&sb, echo, Some("echoer"), &[]).await;
    assert_eq!(send(&sb, pid, "one\n").await.0, 200);
    stdout_until(&mut started, "got one").await;

    // By PID, then by tag: the start event again, then what follows.
    let keepalive = [("Keepalive-Ping-Interval", "50")];
    let mut by_pid =
        Envelopes::new(sb.stream(SERVICE, method::CONNECT, json!({"process": {"pid": pid}}), &keepalive).await);
    assert_eq!(by_pid.message(WAIT).await.1, json!({"event": {"start": {"pid": pid}}}));
    let by_tag = sb.stream(SERVICE, method::CONNECT, json!({"process": {"tag": "echoer"}}), &[]).await;
    let mut by_tag = Envelopes::new(by_tag);
    assert_eq!(by_tag.message(WAIT).await.1, json!({"event": {"start": {"pid": pid}}}));
    assert_eq!(send(&sb, pid, "two\n").await.0, 200);
    for stream in [&mut started, &mut by_pid, &mut by_tag] {
        let out = stdout_until(stream, "got two").await;
        assert!(!out.contains("got one"), "only output from its attaching on: {out:?}");
    }

    // The client that started it goes; the process and the other streams go on.
    drop(started);
    assert_eq!(send(&sb, pid, "three\n").await.0, 200);
    stdout_until(&mut by_pid, "got three").await;
    stdout_until(&mut by_tag, "got three").await;
    let (_, listed) = sb.rpc_as(None, SERVICE, method::LIST, json!({})).await;
    assert!(listed["processes"].as_array().unwrap().iter().any(|p| p["pid"] == pid && p["tag"] == "echoer"));

    // Its end reaches every stream; then it is gone.
    let (status, _) = sb.rpc_as(None, SERVICE, method::CLOSE_STDIN, json!({"process": {"pid": pid}})).await;
    assert_eq!(status, 200);
    for stream in [&mut by_pid, &mut by_tag] {
        assert_eq!(finish(stream).await, (Some(0), json!({})));
    }
    for selector in [json!({"pid": pid}), json!({"tag": "echoer"}), json!({"pid": 999_999}), json!({"tag": "nope"})] {
        let mut gone = Envelopes::new(sb.stream(SERVICE, method::CONNECT, json!({"process": selector}), &[]).await);
        let (is_end, msg) = gone.message(WAIT).await;
        assert!(is_end, "the stream ends at once: {msg}");
        assert_eq!(msg["error"]["code"], "not_found", "{selector}: {msg}");
    }
    s.kill(&sb).await;
}

#[tokio::test]
async fn keepalives_follow_the_clients_interval_and_connects_deadline_ends_only_its_stream() {
    let s = Server::start_with(&["--warm-sandboxes", "0"]);
    let sb = sandbox(&s).await;
    let (mut started, pid) = start(&sb, "sleep 4; echo late", None, &[("Keepalive-Ping-Interval", "1")]).await;
    let attach = [("Keepalive-Ping-Interval", "1"), ("Connect-Timeout-Ms", "1500")];
    let mut attached =
        Envelopes::new(sb.stream(SERVICE, method::CONNECT, json!({"process": {"pid": pid}}), &attach).await);
    attached.message(WAIT).await;
    // Connect's deadline ends its stream, with keepalives until then…
    let rest = attached.rest(WAIT).await;
    let keepalives = rest.iter().filter(|(_, m)| m["event"].get("keepalive").is_some()).count();
    assert_eq!(keepalives, 1, "one idle second, one keepalive: {rest:?}");
    let (is_end, last) = rest.last().unwrap();
    assert!(is_end);
    assert_eq!(last["error"]["code"], "deadline_exceeded", "{last}");
    // …while the process runs on, keeping its own stream alive every second.
    let mut keepalives = 0;
    let mut stdout = String::new();
    for (_, msg) in started.rest(WAIT).await {
        keepalives += msg["event"].get("keepalive").is_some() as usize;
        if let Some(d) = msg["event"]["data"]["stdout"].as_str() {
            stdout.push_str(&unb64(d));
        }
    }
    assert!(keepalives >= 3, "{keepalives} keepalives in 4 idle seconds");
    assert_eq!(stdout, "late\n");
    s.kill(&sb).await;
}

#[tokio::test]
async fn a_process_ends_when_it_exits_though_what_it_left_behind_holds_its_output() {
    let s = Server::start_with(&["--warm-sandboxes", "0"]);
    let sb = sandbox(&s).await;
    let started = Instant::now();
    let ran = sb.user("sleep 30 & echo parent-done; exit 3").await;
    assert_eq!((ran.code, ran.stdout.as_str()), (3, "parent-done\n"));
    assert!(started.elapsed() < Duration::from_secs(10), "the end came when bash exited: {:?}", started.elapsed());
    // Output written just before the exit is all there.
    let burst = sb.user("head -c 300000 /dev/zero | tr '\\0' x; echo").await;
    assert_eq!(burst.stdout.len(), 300_001);
    s.kill(&sb).await;
}

#[tokio::test]
async fn stream_input_feeds_a_process_in_order() {
    let s = Server::start_with(&["--warm-sandboxes", "0"]);
    let sb = sandbox(&s).await;
    let (mut events, pid) = start(&sb, "cat", None, &[]).await;
    // The client stream: start, then data and keepalives, sent over time as one request body.
    let (tx, rx) = tokio::sync::mpsc::channel::<Vec<u8>>(8);
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (Ok::<_, std::io::Error>(chunk), rx))
    });
    let req = sb
        .envd(Method::POST, &rpc_path(SERVICE, method::STREAM_INPUT))
        .header("content-type", connect::STREAM_CONTENT_TYPE)
        .body(reqwest::Body::wrap_stream(body))
        .send();
    let reply = tokio::spawn(req);
    let msg = |v: Value| connect::envelope(0, &serde_json::to_vec(&v).unwrap());
    tx.send(msg(json!({"start": {"process": {"pid": pid}}}))).await.unwrap();
    for word in ["alpha ", "beta ", "gamma\n"] {
        tx.send(msg(json!({"data": {"input": {"stdin": b64(word)}}}))).await.unwrap();
        tx.send(msg(json!({"keepalive": {}}))).await.unwrap();
    }
    // It is fed as messages arrive, before the client's stream ends.
    assert_eq!(stdout_until(&mut events, "gamma").await, "alpha beta gamma\n");
    drop(tx);
    let res = reply.await.unwrap().unwrap();
    assert_eq!(res.status(), 200);
    let mut reader = connect::EnvelopeReader::default();
    reader.push(&res.bytes().await.unwrap());
    let (first, end) = (reader.next_envelope().unwrap(), reader.next_envelope().unwrap());
    assert_eq!((first.payload.as_slice(), end.is_end(), end.payload.as_slice()), (&b"{}"[..], true, &b"{}"[..]));

    // Data before start, and an unknown process, end the call with their codes.
    for (first, code) in [
        (json!({"data": {"input": {"stdin": b64("x")}}}), "failed_precondition"),
        (json!({"start": {"process": {"pid": 999_999}}}), "not_found"),
    ] {
        let res = sb
            .envd(Method::POST, &rpc_path(SERVICE, method::STREAM_INPUT))
            .header("content-type", connect::STREAM_CONTENT_TYPE)
            .body(msg(first))
            .send()
            .await
            .unwrap();
        let mut reader = connect::EnvelopeReader::default();
        reader.push(&res.bytes().await.unwrap());
        let end = reader.next_envelope().unwrap();
        let end: Value = serde_json::from_slice(&end.payload).unwrap();
        assert_eq!(end["error"]["code"], code, "{end}");
    }
    s.kill(&sb).await;
}

#[tokio::test]
async fn a_command_of_a_killed_sandbox_ends_without_an_end() {
    let s = Server::start_with(&["--warm-sandboxes", "0"]);
    let sb = sandbox(&s).await;
    let (mut events, _pid) = start(&sb, "echo started; sleep 60", None, &[]).await;
    stdout_until(&mut events, "started").await;
    s.kill(&sb).await;
    let rest = events.rest(WAIT).await;
    assert!(rest.iter().all(|(_, m)| m["event"].get("end").is_none()), "no end event: {rest:?}");
    assert!(!rest.iter().any(|(is_end, m)| *is_end && m.get("error").is_none()), "no successful end: {rest:?}");
    assert!(
        matches!(events.closed, Some(Some(_))),
        "the connection drops, as E2B's clients expect of a sandbox that is gone: {:?}",
        events.closed
    );
}
