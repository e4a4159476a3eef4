//! Signed `/files` URLs on a real e2b-local: links that read or write one path without the access
//! token, routed without `E2b-Sandbox-Id` (by host, or by whose token made the signature), and
//! refused when the signature is wrong, for another request, or expired, or when its sandbox is
//! paused (unless traffic resumes it).

mod common;
#[path = "common/lifecycle.rs"]
mod lifecycle;

use std::time::Duration;

use base64::Engine as _;
use common::{expect, Sbx, Server};
use e2b_wire::envd::{signature_payload, FileOperation};
use e2b_wire::headers;
use lifecycle::{create_v2, eventually, post, state_of};
use reqwest::{Client, Method};
use serde_json::json;
use sha2::{Digest as _, Sha256};

/// The signature the official SDK makes (`getSignature`): `v1_` + unpadded base64 of SHA-256.
fn sign(path: &str, op: FileOperation, user: &str, token: &str, expiration: Option<i64>) -> String {
    let digest = Sha256::digest(signature_payload(path, op, user, token, expiration).as_bytes());
    format!("v1_{}", base64::engine::general_purpose::STANDARD.encode(digest).trim_end_matches('='))
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// A `/files` link as `Sandbox.downloadUrl`/`uploadUrl` build it, against the server's one URL.
fn link(s: &Server, path: &str, user: Option<&str>, signature: &str, expiration: Option<i64>) -> String {
    let mut url = reqwest::Url::parse(&format!("{}/files", s.url)).unwrap();
    {
        let mut q = url.query_pairs_mut();
        if let Some(u) = user {
            q.append_pair("username", u);
        }
        if !path.is_empty() {
            q.append_pair("path", path);
        }
        q.append_pair("signature", signature);
        if let Some(at) = expiration {
            q.append_pair("signature_expiration", &at.to_string());
        }
    }
    url.to_string()
}

async fn sandbox(s: &Server, secure: bool) -> Sbx {
    s.sandbox(json!({"templateID": "base", "timeout": 120, "secure": secure})).await
}

#[tokio::test]
async fn signed_links_read_and_write_without_the_token() {
    let s = Server::start_with(&["--warm-sandboxes", "0"]);
    let (a, b) = (sandbox(&s, true).await, sandbox(&s, true).await);
    let (ta, tb) = (a.token.clone().unwrap(), b.token.clone().unwrap());
    assert_eq!(b.user("echo from-b > /home/user/s.txt").await.code, 0);
    let plain = Client::new();
    let get = |url: String| plain.get(url).send();

    // A plain link (no headers at all) reaches the sandbox whose token signed it.
    let path = "/home/user/s.txt";
    let read = get(link(&s, path, None, &sign(path, FileOperation::Read, "", &tb, None), None)).await.unwrap();
    assert_eq!(read.status(), 200);
    assert_eq!(read.text().await.unwrap(), "from-b\n");
    // Relative paths and a named user are signed as sent.
    let rel = sign("s.txt", FileOperation::Read, "user", &tb, None);
    assert_eq!(get(link(&s, "s.txt", Some("user"), &rel, None)).await.unwrap().text().await.unwrap(), "from-b\n");
    let as_root = sign("s.txt", FileOperation::Read, "root", &tb, None);
    expect(get(link(&s, "s.txt", Some("root"), &as_root, None)).await.unwrap(), 404).await; // /root/s.txt

    // An expiry in the future passes; one in the past is refused with a clear message.
    let soon = now() + 60;
    let fresh = sign(path, FileOperation::Read, "", &tb, Some(soon));
    assert_eq!(get(link(&s, path, None, &fresh, Some(soon))).await.unwrap().status(), 200);
    let past = now() - 1;
    let stale = sign(path, FileOperation::Read, "", &tb, Some(past));
    let expired = expect(get(link(&s, path, None, &stale, Some(past))).await.unwrap(), 401).await;
    assert_eq!(expired, json!({"code": 401, "message": "signature is already expired"}));
    // The expiry is part of what is signed.
    let moved = expect(get(link(&s, path, None, &stale, Some(soon))).await.unwrap(), 401).await;
    assert!(moved["message"].as_str().unwrap().starts_with("invalid signature"), "{moved}");

    // A write link uploads (the SDK's uploadUrl: path signed, multipart filename the destination).
    let upload = sign("/home/user/up.txt", FileOperation::Write, "", &ta, None);
    let sent = plain
        .post(link(&s, "/home/user/up.txt", None, &upload, None))
        .header("content-type", "application/octet-stream")
        .body("uploaded by link")
        .send()
        .await
        .unwrap();
    assert_eq!(expect(sent, 200).await[0]["path"], "/home/user/up.txt");
    assert_eq!(a.user("cat up.txt").await.stdout, "uploaded by link");
    let no_path = sign("", FileOperation::Write, "", &ta, None);
    let form = "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"/home/user/form.txt\"\r\n\r\nvia form\r\n--x--\r\n";
    let sent = plain
        .post(link(&s, "", None, &no_path, None))
        .header("content-type", "multipart/form-data; boundary=x")
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(expect(sent, 200).await[0]["path"], "/home/user/form.txt");

    // A read signature does not write, and a write signature does not read.
    let read_sig = sign("/home/user/up.txt", FileOperation::Read, "", &ta, None);
    let refused = plain.post(link(&s, "/home/user/up.txt", None, &read_sig, None)).body("x").send().await.unwrap();
    assert_eq!(refused.status(), 401);
    assert_eq!(get(link(&s, "/home/user/up.txt", None, &upload, None)).await.unwrap().status(), 401);
    assert_eq!(a.user("cat up.txt").await.stdout, "uploaded by link", "unchanged");
    s.kill(&a).await;
    s.kill(&b).await;
}

#[tokio::test]
async fn wrong_signatures_tokens_and_routes_are_refused() {
    let s = Server::start_with(&["--warm-sandboxes", "0"]);
    let (a, b) = (sandbox(&s, true).await, sandbox(&s, true).await);
    let (ta, tb) = (a.token.clone().unwrap(), b.token.clone().unwrap());
    assert_eq!(a.user("echo a > f.txt").await.code, 0);
    let plain = Client::new();
    let path = "/home/user/f.txt";

    // Garbage, or no sandbox's: refused.
    let garbage = expect(plain.get(link(&s, path, None, "v1_nope", None)).send().await.unwrap(), 401).await;
    assert_eq!(garbage["message"], "invalid signature: it is no running sandbox's");
    // Named by header, a sandbox checks the signature against its own token only.
    let by_b = sign(path, FileOperation::Read, "", &tb, None);
    let crossed = plain.get(link(&s, path, None, &by_b, None)).header(headers::SANDBOX_ID, &a.id).send();
    assert_eq!(expect(crossed.await.unwrap(), 401).await["message"], "invalid signature");
    let by_a = sign(path, FileOperation::Read, "", &ta, None);
    let named = plain.get(link(&s, path, None, &by_a, None)).header(headers::SANDBOX_ID, &a.id).send();
    assert_eq!(named.await.unwrap().text().await.unwrap(), "a\n");
    // A wrong token in the header is not rescued by a good signature.
    let wrong_token = plain
        .get(link(&s, path, None, &by_a, None))
        .header(headers::SANDBOX_ID, &a.id)
        .header(headers::ACCESS_TOKEN, &tb);
    assert_eq!(wrong_token.send().await.unwrap().status(), 401);
    // Signatures open /files only.
    let rpc = format!("{}/filesystem.Filesystem/Stat?signature={by_a}", s.url);
    let stat = plain.post(rpc).header(headers::SANDBOX_ID, &a.id).json(&json!({"path": path})).send();
    assert_eq!(stat.await.unwrap().status(), 401);
    // No header, no host, no signature: no sandbox.
    assert_eq!(plain.get(format!("{}/files?path=x", s.url)).send().await.unwrap().status(), 502);
    s.kill(&a).await;
    s.kill(&b).await;
}

#[tokio::test]
async fn hosts_route_like_e2bs_and_open_sandboxes_need_nothing() {
    let s = Server::start_with(&["--warm-sandboxes", "0"]);
    let (secure, open) = (sandbox(&s, true).await, sandbox(&s, false).await);
    assert!(open.token.is_none());
    let plain = Client::new();
    let host = |sb: &Sbx| format!("49983-{}.e2b.local", sb.id);
    let health = |h: String, token: Option<&str>| {
        let mut req = plain.request(Method::GET, format!("{}/health", s.url)).header("host", h);
        if let Some(t) = token {
            req = req.header(headers::ACCESS_TOKEN, t);
        }
        req.send()
    };
    assert_eq!(health(host(&secure), secure.token.as_deref()).await.unwrap().status(), 204);
    assert_eq!(health(host(&secure), None).await.unwrap().status(), 401, "the token is still needed");
    assert_eq!(health(host(&open), None).await.unwrap().status(), 204);
    assert_eq!(health("49983-gone.e2b.local".into(), None).await.unwrap().status(), 502);
    assert_eq!(health("3000-whatever.e2b.local".into(), None).await.unwrap().status(), 502, "not envd's port");
    // A signed link by host.
    assert_eq!(secure.user("echo hi > h.txt").await.code, 0);
    let sig = sign("h.txt", FileOperation::Read, "", secure.token.as_deref().unwrap(), None);
    let read = plain.get(link(&s, "h.txt", None, &sig, None)).header("host", host(&secure)).send().await.unwrap();
    assert_eq!(read.text().await.unwrap(), "hi\n");
    // An open sandbox ignores signatures, good or bad.
    assert_eq!(open.user("echo open > o.txt").await.code, 0);
    let any = plain.get(link(&s, "o.txt", None, "v1_whatever", None)).header(headers::SANDBOX_ID, &open.id).send();
    assert_eq!(any.await.unwrap().text().await.unwrap(), "open\n");
    s.kill(&secure).await;
    s.kill(&open).await;
}

#[tokio::test]
async fn a_signed_link_reaches_a_paused_sandbox_only_when_traffic_resumes_it() {
    let s = Server::start_with(&["--warm-sandboxes", "0"]);
    let plain = Client::new();
    let path = "/home/user/p.txt";

    // Paused (with its memory), without autoResume: the link is refused and the sandbox stays paused.
    let a = sandbox(&s, true).await;
    assert_eq!(a.user("echo kept > /home/user/p.txt").await.code, 0);
    expect(s.api(Method::POST, &format!("/sandboxes/{}/pause", a.id)).send().await.unwrap(), 204).await;
    let read = sign(path, FileOperation::Read, "", a.token.as_deref().unwrap(), None);
    let refused = expect(plain.get(link(&s, path, None, &read, None)).send().await.unwrap(), 502).await;
    assert!(refused["message"].as_str().unwrap().ends_with("is not running"), "{refused}");
    let write = sign(path, FileOperation::Write, "", a.token.as_deref().unwrap(), None);
    let sent = plain.post(link(&s, path, None, &write, None)).header("content-type", "application/octet-stream");
    assert_eq!(sent.body("overwritten").send().await.unwrap().status(), 502);
    assert_eq!(state_of(&s, &a.id).await, "paused");

    // Paused at its timeout with autoResume: the link wakes it and is served.
    let body =
        json!({"templateID": "base", "timeout": 1, "secure": true, "autoPause": true, "autoResume": {"enabled": true}});
    let (b, _) = create_v2(&s, body).await;
    assert_eq!(b.user("echo awake > /home/user/p.txt").await.code, 0);
    assert!(eventually(Duration::from_secs(5), || async { state_of(&s, &b.id).await == "paused" }).await);
    let read = sign(path, FileOperation::Read, "", b.token.as_deref().unwrap(), None);
    let served = plain.get(link(&s, path, None, &read, None)).send().await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.text().await.unwrap(), "awake\n");
    assert_eq!(state_of(&s, &b.id).await, "running");

    // The first sandbox's file was never touched while it was paused.
    expect(post(&s, &format!("/sandboxes/{}/resume", a.id), json!({"timeout": 30})).await, 201).await;
    assert_eq!(a.user("cat /home/user/p.txt").await.stdout, "kept\n");
    s.kill(&a).await;
    s.kill(&b).await;
}
