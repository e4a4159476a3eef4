//! Every row of volume-semantics §3, against a real e2b-local.

mod common;

use std::os::unix::fs::MetadataExt;

use common::{expect, expect_content_error, Server};
use reqwest::Method;
use serde_json::{json, Value};

fn names(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|e| e["path"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn stat_of_the_root_and_missing_paths() {
    let s = Server::start();
    let v = s.volume("stat").await;
    for p in ["/", ".", "..", "/../..", "//"] {
        let e = expect(v.stat(p).await, 200).await;
        assert_eq!(
            (e["name"].as_str(), e["type"].as_str(), e["path"].as_str()),
            (Some("/"), Some("directory"), Some("/"))
        );
    }
    let e = expect_content_error(v.stat("nope/x").await, 404).await;
    assert_eq!(e["message"], r#"failed to stat: "nope/x" not found."#, "quotes the raw path");
    // An empty or absent path is a clean 400.
    expect_content_error(v.stat("").await, 400).await;
    expect_content_error(v.req(Method::GET, "path", &[]).send().await.unwrap(), 400).await;
    // A file used as a directory is a clean 400, not E2B's 500.
    expect(v.write("f.txt", "x", &[]).await, 201).await;
    expect_content_error(v.stat("f.txt/x").await, 400).await;
}

#[tokio::test]
async fn stat_fields_follow_e2b() {
    let s = Server::start();
    let v = s.volume("fields").await;
    let e = expect(v.write("dir/a.txt", "hello", &[("force", "true")]).await, 201).await;
    assert_eq!(e["name"], "a.txt");
    assert_eq!(e["path"], "/dir/a.txt");
    assert_eq!(e["type"], "file");
    assert_eq!(e["size"], 5);
    assert_eq!((e["mode"].as_u64(), e["uid"].as_u64(), e["gid"].as_u64()), (Some(0o666), Some(9090), Some(9090)));
    for t in ["atime", "mtime", "ctime"] {
        let ts = e[t].as_str().unwrap();
        assert!(ts.starts_with("20") && ts.ends_with('Z') && ts.contains('T'), "RFC 3339 {t}: {ts}");
    }
    assert!(e.get("target").is_none());
    let host = std::fs::metadata(v.dir.join("dir/a.txt")).unwrap();
    assert_eq!((host.uid(), host.gid(), host.mode() & 0o777), (9090, 9090, 0o666), "real owner and mode on disk");
    let d = expect(v.stat("dir").await, 200).await;
    assert_eq!((d["type"].as_str(), d["mode"].as_u64()), (Some("directory"), Some(0o777)));

    // Symlinks report the target's type and mode, their own size, and the resolved in-volume target.
    std::os::unix::fs::symlink("/dir/a.txt", v.dir.join("abs-link")).unwrap();
    std::os::unix::fs::symlink("dir", v.dir.join("rel-link")).unwrap();
    std::os::unix::fs::symlink("/missing", v.dir.join("dangling")).unwrap();
    let l = expect(v.stat("abs-link").await, 200).await;
    assert_eq!(
        (l["type"].as_str(), l["mode"].as_u64(), l["target"].as_str()),
        (Some("file"), Some(0o666), Some("/dir/a.txt"))
    );
    assert_eq!(l["size"], "/dir/a.txt".len());
    let l = expect(v.stat("rel-link").await, 200).await;
    assert_eq!((l["type"].as_str(), l["target"].as_str()), (Some("directory"), Some("/dir")));
    let l = expect(v.stat("dangling").await, 200).await;
    assert_eq!(
        (l["type"].as_str(), l["mode"].as_u64(), l["target"].as_str()),
        (Some("unknown"), Some(0), Some("/dangling"))
    );
    // Reading through an absolute link stays in the volume.
    assert_eq!(v.read("abs-link").await.text().await.unwrap(), "hello");
}

#[tokio::test]
async fn update_metadata_chmods_then_chowns_and_follows_links() {
    let s = Server::start();
    let v = s.volume("patch").await;
    expect(v.write("f", "x", &[]).await, 201).await;
    let patch = |body: Value, path: &str| v.req(Method::PATCH, "path", &[("path", path)]).json(&body).send();
    let e = expect(patch(json!({"mode": 0o4640}), "f").await.unwrap(), 200).await;
    assert_eq!((e["mode"].as_u64(), e["uid"].as_u64()), (Some(0o640), Some(9090)), "only 0o777 bits apply");
    let e = expect(patch(json!({"uid": 1000}), "f").await.unwrap(), 200).await;
    assert_eq!((e["uid"].as_u64(), e["gid"].as_u64(), e["mode"].as_u64()), (Some(1000), Some(9090), Some(0o640)));
    let e = expect(patch(json!({}), "f").await.unwrap(), 200).await;
    assert_eq!(e["uid"], 1000, "{{}} is just a stat");
    std::os::unix::fs::symlink("/f", v.dir.join("link")).unwrap();
    let e = expect(patch(json!({"gid": 7}), "link").await.unwrap(), 200).await;
    assert_eq!((e["name"].as_str(), e["path"].as_str(), e["gid"].as_u64()), (Some("link"), Some("/link"), Some(7)));
    assert_eq!(std::fs::metadata(v.dir.join("f")).unwrap().gid(), 7, "the target changed");
    let e = expect(patch(json!({"mode": 0o750}), "/").await.unwrap(), 200).await;
    assert_eq!(e["mode"], 0o750, "the root can be patched");

    let e = expect_content_error(patch(json!({"mode": 1}), "missing").await.unwrap(), 404).await;
    assert!(e["message"].as_str().unwrap().contains(r#""missing" not found"#));
    for bad in [json!({"mode": -1}), json!({"mode": "rw"}), json!({"uid": 4294967296u64}), json!({"owner": 1})] {
        expect_content_error(patch(bad, "f").await.unwrap(), 400).await;
    }
    let raw = v.req(Method::PATCH, "path", &[("path", "f")]).body("{oops").send().await.unwrap();
    expect_content_error(raw, 400).await;
}

#[tokio::test]
async fn delete_is_recursive_and_spares_the_root() {
    let s = Server::start();
    let v = s.volume("delete").await;
    expect(v.write("a/b/c/d.txt", "x", &[("force", "true")]).await, 201).await;
    std::os::unix::fs::symlink("/a", v.dir.join("link")).unwrap();
    let res = v.remove("link").await;
    assert_eq!(res.status(), 204);
    assert!(res.text().await.unwrap().is_empty());
    assert!(v.dir.join("a/b/c/d.txt").exists(), "removing a link leaves its target");
    assert_eq!(v.remove("a").await.status(), 204);
    assert!(!v.dir.join("a").exists());
    let e = expect_content_error(v.remove("a").await, 404).await;
    assert_eq!(e["message"], r#"failed to delete: "a" not found."#);
    for root in ["/", ".", "..", "a/.."] {
        let e = expect_content_error(v.remove(root).await, 400).await;
        assert_eq!(e, json!({"code": "CANNOT_DELETE_ROOT", "message": "cannot delete root"}));
    }
    expect_content_error(v.remove("").await, 400).await;
    assert!(v.dir.is_dir());
}

#[tokio::test]
async fn listing_depth_and_order() {
    let s = Server::start();
    let v = s.volume("list").await;
    for p in ["b/z.txt", "b/a/deep/x.txt", "a.txt", ".hidden", "B.txt", "c/1/2/3/4/5/6/7/8/9/10/11/f"] {
        expect(v.write(p, "x", &[("force", "true")]).await, 201).await;
    }
    let one = expect(v.list("/", None).await, 200).await;
    assert_eq!(names(&one), ["/.hidden", "/B.txt", "/a.txt", "/b", "/c"], "byte order, dotfiles included");
    assert_eq!(names(&expect(v.list("/", Some("0")).await, 200).await), names(&one), "depth 0 is 1");
    let two = expect(v.list("/", Some("2")).await, 200).await;
    assert_eq!(
        names(&two),
        ["/.hidden", "/B.txt", "/a.txt", "/b", "/b/a", "/b/z.txt", "/c", "/c/1"],
        "depth-first pre-order"
    );
    let ten = expect(v.list("c", Some("10")).await, 200).await;
    assert_eq!(names(&ten).last().unwrap(), "/c/1/2/3/4/5/6/7/8/9/10");
    let e = expect_content_error(v.list("/", Some("11")).await, 400).await;
    assert_eq!(e, json!({"code": "DEPTH_OUT_OF_RANGE", "message": "depth must be between 1 and 10"}));
    for bad in ["-1", "two", "4294967296"] {
        expect_content_error(v.list("/", Some(bad)).await, 400).await;
    }
    let e = expect_content_error(v.list("nope", None).await, 404).await;
    assert_eq!(e["message"], r#"failed to read: "nope" not found."#);
    expect_content_error(v.list("a.txt", None).await, 400).await;
    expect(v.mkdir("empty", &[]).await, 201).await;
    assert_eq!(expect(v.list("empty", Some("3")).await, 200).await, json!([]));
    // Linked directories are listed but not descended into.
    std::os::unix::fs::symlink("/b", v.dir.join("c/to-b")).unwrap();
    let l = expect(v.list("c", Some("2")).await, 200).await;
    assert_eq!(names(&l), ["/c/1", "/c/1/2", "/c/to-b"]);
    assert_eq!((l[2]["type"].as_str(), l[2]["target"].as_str()), (Some("directory"), Some("/b")));
}

#[tokio::test]
async fn make_dir_with_and_without_force() {
    let s = Server::start();
    let v = s.volume("mkdir").await;
    let e = expect(v.mkdir("d", &[]).await, 201).await;
    assert_eq!(
        (e["type"].as_str(), e["mode"].as_u64(), e["uid"].as_u64()),
        (Some("directory"), Some(0o777), Some(9090))
    );
    let e = expect(v.mkdir("d2", &[("mode", "448"), ("uid", "1000"), ("gid", "1001")]).await, 201).await;
    assert_eq!((e["mode"].as_u64(), e["uid"].as_u64(), e["gid"].as_u64()), (Some(0o700), Some(1000), Some(1001)));
    expect_content_error(v.mkdir("x/y", &[]).await, 404).await;
    let e = expect(v.mkdir("x/y/z", &[("force", "true"), ("mode", "448"), ("uid", "5")]).await, 201).await;
    assert_eq!(e["mode"], 0o700);
    let parent = expect(v.stat("x/y").await, 200).await;
    assert_eq!(
        (parent["mode"].as_u64(), parent["uid"].as_u64()),
        (Some(0o777), Some(5)),
        "parents: 0777, requested owner"
    );
    let e = expect_content_error(v.mkdir("d", &[]).await, 409).await;
    assert_eq!(e["code"], "PATH_ALREADY_EXISTS");
    expect(v.req(Method::PATCH, "path", &[("path", "d")]).json(&json!({"mode": 0o755})).send().await.unwrap(), 200)
        .await;
    let e = expect(v.mkdir("d", &[("force", "true"), ("mode", "448")]).await, 201).await;
    assert_eq!(e["mode"], 0o755, "an existing directory is left unchanged");
    expect(v.write("f.txt", "x", &[]).await, 201).await;
    expect_content_error(v.mkdir("f.txt", &[]).await, 409).await;
    expect_content_error(v.mkdir("f.txt", &[("force", "true")]).await, 409).await;
    let e = expect_content_error(v.mkdir("f.txt/x", &[]).await, 400).await;
    assert!(e["message"].as_str().unwrap().contains("a component of the path is a file"));
    expect_content_error(v.mkdir("f.txt/a/x", &[("force", "true")]).await, 400).await;
    expect_content_error(v.mkdir("/", &[]).await, 409).await;
    assert_eq!(expect(v.mkdir("/", &[("force", "true")]).await, 201).await["path"], "/");
    for bad in [("mode", "rwx"), ("uid", "-1"), ("force", "yes")] {
        expect_content_error(v.mkdir("bad", &[bad]).await, 400).await;
    }
}

/// Reads `path` and checks the reply: octets, their length, and exactly `bytes`.
async fn reads_back(v: &common::Vol, path: &str, bytes: &[u8]) {
    let res = v.read(path).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/octet-stream");
    assert_eq!(res.headers()["content-length"], bytes.len().to_string().as_str());
    assert!(res.bytes().await.unwrap() == bytes);
}

#[tokio::test]
async fn read_file_streams_bytes() {
    let s = Server::start();
    let v = s.volume("read").await;
    let bytes: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
    expect(v.write("big.bin", bytes.clone(), &[]).await, 201).await;
    reads_back(&v, "big.bin", &bytes).await;
    // A file of one chunk or less is read whole: the same reply.
    let small = &bytes[..200_000];
    expect(v.write("small.bin", small.to_vec(), &[]).await, 201).await;
    reads_back(&v, "small.bin", small).await;
    expect(v.write("empty", Vec::<u8>::new(), &[]).await, 201).await;
    let res = v.read("empty").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-length"], "0");
    assert_eq!(res.bytes().await.unwrap().len(), 0);
    expect_content_error(v.read("missing").await, 404).await;
    expect_content_error(v.read("big.bin/x").await, 400).await;
    expect(v.mkdir("dir", &[]).await, 201).await;
    expect_content_error(v.read("dir").await, 409).await;
    expect_content_error(v.read("/").await, 409).await;
}

#[tokio::test]
async fn write_file_force_means_overwrite_and_parents() {
    let s = Server::start();
    let v = s.volume("write").await;
    let e = expect(v.write("new.txt", "", &[]).await, 201).await;
    assert_eq!(e["size"], 0, "an empty body is allowed");
    expect_content_error(v.write("p/q.txt", "x", &[]).await, 404).await;
    expect(v.write("p/q.txt", "x", &[("force", "true"), ("uid", "3")]).await, 201).await;
    assert_eq!(expect(v.stat("p").await, 200).await["uid"], 3);
    let e = expect_content_error(v.write("p/q.txt", "other", &[]).await, 409).await;
    assert_eq!(e["code"], "PATH_ALREADY_EXISTS");
    assert_eq!(v.read("p/q.txt").await.text().await.unwrap(), "x", "content unchanged");
    expect(
        v.req(Method::PATCH, "path", &[("path", "p/q.txt")])
            .json(&json!({"mode": 0o600, "uid": 1}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let e = expect(v.write("p/q.txt", "replaced", &[("force", "true")]).await, 201).await;
    assert_eq!(
        (e["mode"].as_u64(), e["uid"].as_u64(), e["size"].as_u64()),
        (Some(0o666), Some(9090), Some(8)),
        "owner and mode reset"
    );
    let e = expect(v.write("p/q.txt", "again", &[("force", "true"), ("mode", "416"), ("gid", "4")]).await, 201).await;
    assert_eq!((e["mode"].as_u64(), e["gid"].as_u64()), (Some(0o640), Some(4)));
    expect_content_error(v.write("p", "x", &[]).await, 409).await;
    expect_content_error(v.write("p", "x", &[("force", "true")]).await, 409).await;
    expect_content_error(v.write("/", "x", &[("force", "true")]).await, 409).await;
    expect_content_error(v.write("p/q.txt/x", "x", &[]).await, 400).await;
    expect_content_error(v.write("p/q.txt/a/x", "x", &[("force", "true")]).await, 400).await;
    std::os::unix::fs::symlink("/p/q.txt", v.dir.join("link")).unwrap();
    expect_content_error(v.write("link", "x", &[]).await, 409).await;
    expect_content_error(v.write("", "x", &[]).await, 400).await;
    expect_content_error(v.write("z", "x", &[("mode", "0o777")]).await, 400).await;
    let names: Vec<String> =
        std::fs::read_dir(v.dir.join("p")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert_eq!(names, ["q.txt"], "no temporary files left behind");
}
