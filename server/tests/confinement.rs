//! Path escapes: nothing outside a volume can be read, written, listed or removed through it.

mod common;

use std::os::unix::fs::symlink;

use common::{expect, expect_content_error, Server};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn dot_dot_clamps_at_the_root() {
    let s = Server::start();
    let a = s.volume("a").await;
    let b = s.volume("b").await;
    expect(b.write("secret.txt", "b's", &[]).await, 201).await;
    let sibling = format!("../{}/secret.txt", b.id);
    expect_content_error(a.read(&sibling).await, 404).await;
    expect_content_error(a.read(&format!("../../volumes/{}/secret.txt", b.id)).await, 404).await;
    let e = expect(a.write("../../../escape.txt", "x", &[]).await, 201).await;
    assert_eq!(e["path"], "/escape.txt");
    assert!(a.dir.join("escape.txt").exists());
    assert!(!s.data.path().join("escape.txt").exists() && !s.volumes_dir().join("escape.txt").exists());
    let listed = expect(a.list("../..", None).await, 200).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(b.read("secret.txt").await.text().await.unwrap(), "b's");
}

#[tokio::test]
async fn symlinks_resolve_inside_the_volume() {
    let s = Server::start();
    let v = s.volume("links").await;
    let other = s.volume("other").await;
    expect(other.write("secret.txt", "other's", &[]).await, 201).await;
    symlink("/etc", v.dir.join("etc-link")).unwrap();
    symlink("/etc/passwd", v.dir.join("passwd-link")).unwrap();
    symlink("..", v.dir.join("up")).unwrap();
    symlink("../..", v.dir.join("up2")).unwrap();
    symlink(s.volumes_dir(), v.dir.join("host-volumes")).unwrap();

    // The links dangle inside the volume: /etc does not exist there.
    expect_content_error(v.read("etc-link/passwd").await, 404).await;
    expect_content_error(v.read("passwd-link").await, 404).await;
    assert_eq!(expect(v.stat("passwd-link").await, 200).await["type"], "unknown");
    expect_content_error(v.list("etc-link", None).await, 404).await;
    // Relative links that climb clamp at the root, like `..`.
    let up = expect(v.list("up2", None).await, 200).await;
    let mut names: Vec<&str> = up.as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["etc-link", "host-volumes", "passwd-link", "up", "up2"], "up2 lists the volume itself");
    expect_content_error(v.read(&format!("up/{}/secret.txt", other.id)).await, 404).await;
    expect_content_error(v.read(&format!("host-volumes/{}/secret.txt", other.id)).await, 404).await;

    // Writes and directory creation through links never land outside.
    expect_content_error(v.write("etc-link/owned", "x", &[]).await, 404).await;
    expect_content_error(v.write("etc-link/owned", "x", &[("force", "true")]).await, 404).await;
    expect(v.mkdir("etc", &[]).await, 201).await;
    let e = expect(v.write("etc-link/owned", "x", &[]).await, 201).await;
    assert_eq!(e["path"], "/etc-link/owned");
    assert!(v.dir.join("etc").join("owned").exists(), "created inside the volume");
    assert!(!std::path::Path::new("/etc/owned").exists());
    expect(v.mkdir(&format!("up2/{}/made", other.id), &[("force", "true")]).await, 201).await;
    assert!(!other.dir.join("made").exists());

    // Metadata changes and removal act on the volume only.
    let patched = v.req(Method::PATCH, "path", &[("path", "up2")]).json(&json!({"mode": 0o755})).send().await.unwrap();
    assert_eq!(expect(patched, 200).await["mode"], 0o755);
    let removed = v.remove(&format!("up/{}", other.id)).await;
    assert_eq!(removed.status(), 204, "removes the in-volume directory made above");
    assert!(other.dir.join("secret.txt").exists());
    assert_eq!(v.remove("host-volumes").await.status(), 204);
    assert!(s.volumes_dir().join(&other.id).is_dir(), "removing a link never follows it");
}

#[tokio::test]
async fn a_symlink_swapped_in_during_requests_cannot_escape() {
    let s = Server::start();
    let v = s.volume("race").await;
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("f"), "OUTSIDE").unwrap();
    std::fs::create_dir(v.dir.join("d")).unwrap();
    std::fs::write(v.dir.join("d/f"), "inside").unwrap();

    // Swap `d` between a real directory and a link to the outside directory, as fast as possible.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let swapper = {
        let (dir, target, stop) = (v.dir.clone(), outside.path().to_path_buf(), stop.clone());
        std::thread::spawn(move || {
            let (real, link, d) = (dir.join("real"), dir.join("link"), dir.join("d"));
            std::fs::rename(&d, &real).unwrap();
            symlink(&target, &link).unwrap();
            let mut swaps = 0u32;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                // rename(2) swaps atomically, so at every instant `d` is one or the other.
                let _ = std::fs::rename(&link, &d);
                std::thread::sleep(std::time::Duration::from_micros(200));
                let _ = std::fs::rename(&d, &link);
                let _ = std::fs::rename(&real, &d);
                std::thread::sleep(std::time::Duration::from_micros(200));
                let _ = std::fs::rename(&d, &real);
                swaps += 1;
            }
            swaps
        })
    };
    let mut inside = 0;
    for i in 0..300 {
        let res = v.read("d/f").await;
        let status = res.status().as_u16();
        let body = res.text().await.unwrap();
        assert_ne!(body, "OUTSIDE", "read escaped the volume");
        if status == 200 {
            inside += 1;
        }
        let w = v.write("d/new", format!("w{i}"), &[("force", "true")]).await;
        let code = w.status().as_u16();
        assert!(code == 201 || code == 404 || code == 409 || code == 400, "write {code}: {}", w.text().await.unwrap());
        let l = v.list("d", None).await;
        if l.status() == 200 {
            let text = l.text().await.unwrap();
            assert!(!text.contains("OUTSIDE"));
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let swaps = swapper.join().unwrap();
    assert!(swaps > 0);
    assert_eq!(std::fs::read_to_string(outside.path().join("f")).unwrap(), "OUTSIDE");
    let outside_names: Vec<_> = std::fs::read_dir(outside.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(outside_names, ["f"], "nothing was written outside the volume");
    assert!(inside > 0, "some reads hit the real directory");
}
