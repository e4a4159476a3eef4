//! Storage a user can trust: persistence, atomic writes, aborted uploads, bounded memory.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;

use common::{expect, Server};
use reqwest::Method;

#[tokio::test]
async fn everything_survives_a_restart() {
    let mut s = Server::start();
    let v = s.volume("keep").await;
    expect(v.write("dir/f.txt", "persisted", &[("force", "true")]).await, 201).await;
    s.restart();
    let list = expect(s.api(Method::GET, "/volumes").send().await.unwrap(), 200).await;
    assert_eq!(list[0]["volumeID"], v.id.as_str());
    // Tokens minted before the restart still verify: the signing key is kept.
    let v = common::Vol { base: s.url.clone(), ..v };
    assert_eq!(v.read("dir/f.txt").await.text().await.unwrap(), "persisted");
    let dup = s.api(Method::POST, "/volumes").json(&serde_json::json!({"name": "keep"})).send().await.unwrap();
    expect(dup, 400).await;
}

#[tokio::test]
async fn concurrent_writers_never_mix() {
    let s = Server::start();
    let v = s.volume("race").await;
    const SIZE: usize = 2 * 1024 * 1024;
    let writers: Vec<_> = (0..8u8)
        .map(|i| {
            let v = v.clone();
            tokio::spawn(async move { v.write("same.bin", vec![b'a' + i; SIZE], &[("force", "true")]).await.status() })
        })
        .collect();
    for w in writers {
        assert_eq!(w.await.unwrap(), 201);
    }
    let body = v.read("same.bin").await.bytes().await.unwrap();
    assert_eq!(body.len(), SIZE);
    assert!(body.iter().all(|&b| b == body[0]), "one complete version wins");

    // Without force exactly one create wins; the others see 409.
    let creators: Vec<_> = (0..8u8)
        .map(|i| {
            let v = v.clone();
            tokio::spawn(async move { v.write("once.bin", vec![b'a' + i; SIZE], &[]).await.status().as_u16() })
        })
        .collect();
    let mut codes = Vec::new();
    for c in creators {
        codes.push(c.await.unwrap());
    }
    assert_eq!(codes.iter().filter(|&&c| c == 201).count(), 1, "{codes:?}");
    assert!(codes.iter().all(|&c| c == 201 || c == 409), "{codes:?}");
    let body = v.read("once.bin").await.bytes().await.unwrap();
    assert!(body.len() == SIZE && body.iter().all(|&b| b == body[0]));
    let entries = std::fs::read_dir(&v.dir).unwrap().count();
    assert_eq!(entries, 2, "no temporary files left");
}

#[tokio::test]
async fn an_aborted_upload_leaves_nothing() {
    let s = Server::start();
    let v = s.volume("abort").await;
    expect(v.write("keep.txt", "old", &[]).await, 201).await;
    // A big body streams into the file; a small one is collected first: both are cut short here.
    let cases = [("new.bin", "false", 10_000_000, 300_000), ("keep.txt", "true", 10_000_000, 300_000)];
    let small = [("new.bin", "false", 100_000, 50_000), ("keep.txt", "true", 100_000, 50_000)];
    for (path, force, declared, sent) in cases.into_iter().chain(small) {
        let addr = s.url.trim_start_matches("http://").to_string();
        let mut tcp = TcpStream::connect(&addr).unwrap();
        let head = format!(
            "PUT /volumecontent/{}/file?path={path}&force={force} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\n\
             Content-Type: application/octet-stream\r\nContent-Length: {declared}\r\n\r\n",
            v.id, v.token
        );
        tcp.write_all(head.as_bytes()).unwrap();
        tcp.write_all(&vec![b'x'; sent]).unwrap();
        tcp.shutdown(std::net::Shutdown::Write).unwrap();
        let mut reply = String::new();
        let _ = tcp.read_to_string(&mut reply);
        assert!(!reply.starts_with("HTTP/1.1 201"), "a cut body is never a success: {reply}");
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(expect(v.stat("new.bin").await, 404).await["code"], "PATH_NOT_FOUND");
    assert_eq!(v.read("keep.txt").await.text().await.unwrap(), "old", "the old version stays whole");
    let names: Vec<_> = std::fs::read_dir(&v.dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, ["keep.txt"], "nothing else is visible");
}

/// Resident memory of a process, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[tokio::test]
async fn large_bodies_stream_both_ways() {
    use futures_util::StreamExt;
    let s = Server::start();
    let v = s.volume("big").await;
    const CHUNK: usize = 1024 * 1024;
    const CHUNKS: usize = 256;
    let before = rss_kib(s.pid());
    let body = futures_util::stream::iter((0..CHUNKS).map(|i| Ok::<_, std::io::Error>(vec![(i % 251) as u8; CHUNK])));
    let res = v.write("big.bin", reqwest::Body::wrap_stream(body), &[]).await;
    assert_eq!(res.status(), 201);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["size"], CHUNK * CHUNKS);
    let after_upload = rss_kib(s.pid());
    let mut stream = v.read("big.bin").await.bytes_stream();
    let (mut total, mut offset) = (0usize, 0usize);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.unwrap();
        for (k, b) in chunk.iter().enumerate() {
            assert_eq!(*b, (((offset + k) / CHUNK) % 251) as u8);
        }
        offset += chunk.len();
        total += chunk.len();
    }
    assert_eq!(total, CHUNK * CHUNKS);
    let after_download = rss_kib(s.pid());
    let grew = after_upload.max(after_download).saturating_sub(before);
    assert!(grew < 32 * 1024, "server memory grew by {grew} KiB for a 256 MiB body each way");
}
