//! envd's files on a real e2b-local: upload metadata kept as extended attributes and shown on
//! every entry, gzip both ways, and Remove of what is not there.

mod common;

use std::collections::BTreeMap;

use common::{expect, Sbx, Server};
use e2b_wire::envd::filesystem::{method, SERVICE};
use futures_util::StreamExt as _;
use reqwest::Method;
use serde_json::{json, Value};
use tokio::io::AsyncReadExt as _;

async fn sandbox(s: &Server) -> Sbx {
    s.sandbox(json!({"templateID": "base", "timeout": 120})).await
}

fn server() -> Server {
    Server::start_with(&["--warm-sandboxes", "0"])
}

/// A raw upload of `body` to `path` with extra headers.
async fn upload(sb: &Sbx, path: &str, body: impl Into<reqwest::Body>, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut req = sb
        .envd(Method::POST, "/files")
        .query(&[("path", path)])
        .header("content-type", "application/octet-stream")
        .body(body);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.unwrap()
}

async fn stat(sb: &Sbx, path: &str) -> (u16, Value) {
    sb.rpc(SERVICE, method::STAT, json!({"path": path})).await
}

fn map(pairs: &[(&str, &str)]) -> Value {
    json!(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<BTreeMap<_, _>>())
}

const BOUNDARY: &str = "b0undary";

/// A multipart body with one `file` part per (path, content), as the SDKs send uploads.
fn form(files: &[(&str, &str)]) -> String {
    let mut body = String::new();
    for (path, content) in files {
        body.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{path}\"\r\n\r\n{content}\r\n"
        ));
    }
    body + &format!("--{BOUNDARY}--\r\n")
}

async fn gzip(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    async_compression::tokio::bufread::GzipEncoder::new(data).read_to_end(&mut out).await.unwrap();
    out
}

async fn gunzip(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    async_compression::tokio::bufread::GzipDecoder::new(data).read_to_end(&mut out).await.unwrap();
    out
}

#[tokio::test]
async fn upload_metadata_is_kept_in_xattrs_and_shown_on_every_entry() {
    let s = server();
    let sb = sandbox(&s).await;

    // The reply carries the metadata; keys are lowercased.
    let meta = [("X-Metadata-Author", "Mish"), ("X-Metadata-purpose", "a test, with spaces")];
    let reply = expect(upload(&sb, "notes/m.txt", "hello", &meta).await, 200).await;
    let want = map(&[("author", "Mish"), ("purpose", "a test, with spaces")]);
    assert_eq!(reply[0]["path"], "/home/user/notes/m.txt");
    assert_eq!(reply[0]["metadata"], want);

    // Inside, they are `user.e2b.*` extended attributes of the file.
    let list_xattrs = "python3 -c \"import os; print(sorted(os.listxattr('/home/user/notes/m.txt')))\"";
    assert_eq!(sb.user(list_xattrs).await.stdout.trim(), "['user.e2b.author', 'user.e2b.purpose']");

    // Stat and ListDir show them; a plain user.* attribute is not metadata.
    let other = "python3 -c \"import os; os.setxattr('/home/user/notes/m.txt', 'user.other', b'x')\"";
    assert_eq!(sb.user(other).await.code, 0);
    let (status, st) = stat(&sb, "notes/m.txt").await;
    assert_eq!((status, &st["entry"]["metadata"]), (200, &want));
    let (_, listed) = sb.rpc(SERVICE, method::LIST_DIR, json!({"path": "/home/user/notes"})).await;
    assert_eq!(listed["entries"][0]["name"], "m.txt");
    assert_eq!(listed["entries"][0]["metadata"], want);

    // A move keeps them (the same file); a new directory has none.
    let (status, moved) =
        sb.rpc(SERVICE, method::MOVE, json!({"source": "notes/m.txt", "destination": "notes/n.txt"})).await;
    assert_eq!((status, &moved["entry"]["metadata"]), (200, &want));
    let (status, dir) = sb.rpc(SERVICE, method::MAKE_DIR, json!({"path": "notes/sub"})).await;
    assert_eq!((status, &dir["entry"]["metadata"]), (200, &json!({})));

    // Each upload replaces the whole set; one without headers clears it.
    let again = expect(upload(&sb, "notes/n.txt", "v2", &[("X-Metadata-Purpose", "again")]).await, 200).await;
    assert_eq!(again[0]["metadata"], map(&[("purpose", "again")]));
    assert_eq!(stat(&sb, "notes/n.txt").await.1["entry"]["metadata"], map(&[("purpose", "again")]));
    let bare = expect(upload(&sb, "notes/n.txt", "v3", &[]).await, 200).await;
    assert!(bare[0].get("metadata").is_none(), "no metadata, no key: {bare}");
    assert_eq!(stat(&sb, "notes/n.txt").await.1["entry"]["metadata"], json!({}));

    // Every file of a multipart upload gets the same metadata.
    let res = sb
        .envd(Method::POST, "/files")
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .header("X-Metadata-Batch", "7")
        .body(form(&[("/home/user/multi/a.txt", "a"), ("/home/user/multi/b.txt", "b")]))
        .send()
        .await
        .unwrap();
    let written = expect(res, 200).await;
    assert_eq!(written.as_array().unwrap().len(), 2);
    for name in ["multi/a.txt", "multi/b.txt"] {
        assert_eq!(stat(&sb, name).await.1["entry"]["metadata"], map(&[("batch", "7")]), "{name}");
    }
    s.kill(&sb).await;
}

#[tokio::test]
async fn invalid_metadata_is_refused_with_400_and_nothing_is_written() {
    let s = server();
    let sb = sandbox(&s).await;
    let long_key = format!("X-Metadata-{}", "k".repeat(247));
    let big = "v".repeat(2100);
    let cases: [(Vec<(&str, &str)>, &str); 3] = [
        (vec![("X-Metadata-Note", "tab\there")], "invalid value of metadata key \"note\": use printable US-ASCII"),
        (vec![(&long_key, "v")], "is longer than 246 bytes"),
        (vec![("X-Metadata-A", &big), ("X-Metadata-B", &big)], "the metadata is larger than 4096 bytes"),
    ];
    for (headers, message) in cases {
        let body = expect(upload(&sb, "bad.txt", "x", &headers).await, 400).await;
        assert_eq!(body["code"], 400);
        assert!(body["message"].as_str().unwrap().contains(message), "{body}");
    }
    assert_eq!(stat(&sb, "bad.txt").await.0, 404, "nothing was written");
    // At the limits, it fits.
    let fits = format!("X-Metadata-{}", "k".repeat(246));
    expect(upload(&sb, "ok.txt", "x", &[(&fits, "v")]).await, 200).await;
    s.kill(&sb).await;
}

#[tokio::test]
async fn gzip_uploads_are_inflated_and_downloads_gzipped_on_request() {
    let s = server();
    let sb = sandbox(&s).await;
    let data: Vec<u8> = (0..1_500_000u32).map(|i| (i % 251) as u8).collect();

    // A raw gzip upload is stored inflated.
    let packed = gzip(&data).await;
    expect(upload(&sb, "big.bin", packed, &[("content-encoding", "gzip")]).await, 200).await;
    assert_eq!(stat(&sb, "big.bin").await.1["entry"]["size"], data.len().to_string());
    let plain = sb.envd(Method::GET, "/files").query(&[("path", "big.bin")]).send().await.unwrap();
    assert_eq!(plain.headers().get("content-length").unwrap(), &data.len().to_string());
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.bytes().await.unwrap(), data);

    // So is a gzipped multipart body, whole.
    let res = sb
        .envd(Method::POST, "/files")
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .header("content-encoding", "gzip")
        .body(gzip(form(&[("/home/user/form.txt", "from a form")]).as_bytes()).await)
        .send()
        .await
        .unwrap();
    assert_eq!(expect(res, 200).await[0]["path"], "/home/user/form.txt");
    assert_eq!(sb.user("cat form.txt").await.stdout, "from a form");

    // A download for a client that prefers gzip is gzipped, streamed without a length.
    let zipped = sb
        .envd(Method::GET, "/files")
        .query(&[("path", "big.bin")])
        .header("accept-encoding", "br;q=0.5, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(zipped.status(), 200);
    assert_eq!(zipped.headers().get("content-encoding").unwrap(), "gzip");
    assert!(zipped.headers().get("content-length").is_none());
    let body = zipped.bytes().await.unwrap();
    assert!(body.len() < data.len(), "compressed: {} bytes", body.len());
    assert_eq!(gunzip(&body).await, data);

    // Codings envd does not speak: identity when acceptable, else 406.
    let only_br = sb.envd(Method::GET, "/files").query(&[("path", "form.txt")]).header("accept-encoding", "br");
    let res = only_br.send().await.unwrap();
    assert!(res.headers().get("content-encoding").is_none());
    assert_eq!(res.text().await.unwrap(), "from a form");
    let refused = sb
        .envd(Method::GET, "/files")
        .query(&[("path", "form.txt")])
        .header("accept-encoding", "br, identity;q=0")
        .send()
        .await
        .unwrap();
    let body = expect(refused, 406).await;
    assert_eq!(body, json!({"code": 406, "message": "no acceptable encoding found, supported: [identity, gzip]"}));
    let missing =
        sb.envd(Method::GET, "/files").query(&[("path", "nope")]).header("accept-encoding", "br;q=0, identity;q=0");
    expect(missing.send().await.unwrap(), 404).await;

    // An upload in a coding envd does not speak, or corrupt gzip, writes nothing.
    let br = expect(upload(&sb, "br.txt", "x", &[("content-encoding", "br")]).await, 400).await;
    assert_eq!(br["message"], "unsupported Content-Encoding: br, supported: [identity, gzip]");
    let corrupt = expect(upload(&sb, "corrupt.txt", "not gzip", &[("content-encoding", "gzip")]).await, 400).await;
    assert!(corrupt["message"].as_str().unwrap().contains("interrupted"), "{corrupt}");
    let mut cut = gzip(&data).await;
    cut.truncate(cut.len() / 2);
    expect(upload(&sb, "cut.bin", cut, &[("content-encoding", "gzip")]).await, 400).await;
    for name in ["br.txt", "corrupt.txt", "cut.bin"] {
        assert_eq!(stat(&sb, name).await.0, 404, "{name} was not written");
    }
    s.kill(&sb).await;
}

#[tokio::test]
async fn remove_of_a_missing_path_succeeds_and_other_failures_stay_errors() {
    let s = server();
    let sb = sandbox(&s).await;
    let remove = |path: &'static str| sb.rpc(SERVICE, method::REMOVE, json!({"path": path}));
    assert_eq!(remove("/home/user/never-was").await, (200, json!({})));
    assert_eq!(remove("/no/such/dir/at/all").await, (200, json!({})));
    assert_eq!(sb.user("mkdir -p d/e && touch d/e/f").await.code, 0);
    assert_eq!(remove("d").await, (200, json!({})));
    assert_eq!(stat(&sb, "d").await.0, 404, "the tree is gone");
    assert_eq!(sb.root("touch /root-owned").await.code, 0);
    let (status, denied) = remove("/root-owned").await;
    assert_eq!((status, &denied["code"]), (403, &json!("permission_denied")));
    let (status, nul) = sb.rpc(SERVICE, method::REMOVE, json!({"path": "a\u{0}b"})).await;
    assert_eq!((status, &nul["code"]), (400, &json!("invalid_argument")));
    s.kill(&sb).await;
}

#[tokio::test]
async fn chunked_multipart_uploads_are_answered_only_after_their_body_ended() {
    // Forms sent chunked, a chunk per piece as the official SDK's fetch sends them: envd must read
    // each body to its end (past the closing boundary) before it answers, or the server's copy of
    // the body to envd may break off under it and the client get a 502 for a file that was written.
    let s = server();
    let sb = sandbox(&s).await;
    for i in 0..120 {
        let path = format!("/home/user/chunked{}.txt", i % 4);
        let content = "x".repeat(200 + i);
        let chunks = vec![
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{path}\"\r\n\r\n"),
            content,
            "\r\n".to_string(),
            format!("--{BOUNDARY}--\r\n"),
        ];
        // The body's end comes a moment after its last bytes, as it may from a client.
        let pause = std::time::Duration::from_micros(500 * (i as u64 % 6));
        let end = futures_util::stream::once(tokio::time::sleep(pause)).filter_map(|_| async { None });
        let stream = futures_util::stream::iter(chunks.into_iter().map(Ok::<_, std::io::Error>)).chain(end);
        let res = sb
            .envd(Method::POST, "/files")
            .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(reqwest::Body::wrap_stream(stream))
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        assert_eq!(status, 200, "upload {i}: {}", res.text().await.unwrap_or_default());
    }
}
