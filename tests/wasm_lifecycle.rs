//! The sandbox lifecycle from Rust, run by `wasm-pack test --node` and in headless browsers against a
//! real e2b-local (its URL and key come from E2B_TEST_API_URL and E2B_TEST_API_KEY at build time):
//! a volume through pause, resume, snapshot and fork.
#![cfg(target_arch = "wasm32")]

mod common;
use common::*;

use e2b_wasm::{Sandbox, Volume};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::convert::TryFromJsValue;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

async fn sandbox(p: js_sys::Promise) -> Sandbox {
    Sandbox::try_from_js_value(wait(p).await.unwrap()).unwrap()
}

async fn read(s: &Sandbox, path: &str) -> String {
    wait(s.files().read(path.into(), None)).await.unwrap().as_string().unwrap()
}

#[wasm_bindgen_test]
async fn a_volume_through_pause_resume_snapshot_and_fork() {
    let made = wait(Volume::create(unique("wasm-lifecycle").into(), Some(opts(&[])))).await.unwrap();
    let vol = Volume::try_from_js_value(made).unwrap();
    let mounts = Object::new();
    Reflect::set(&mounts, &"/mnt/v".into(), &vol.name().into()).unwrap();
    let s = sandbox(Sandbox::create(opts(&[("volumeMounts", mounts.into())]), None)).await;
    let id = s.sandbox_id();
    wait(s.files().write("/home/user/own.txt".into(), "own".into(), None)).await.unwrap();

    // Paused, then paused again: false. The volume takes a write meanwhile.
    assert_eq!(wait(s.pause(None)).await.unwrap(), JsValue::TRUE);
    assert_eq!(wait(Sandbox::pause_static(id.clone().into(), Some(opts(&[])))).await.unwrap(), JsValue::FALSE);
    let info = wait(s.get_info(None)).await.unwrap();
    assert_eq!(get(&info, "state").as_string().as_deref(), Some("paused"));
    wait(vol.write_file("/while-paused.txt".into(), "paused".into(), None)).await.unwrap();

    // Connect resumes it: both files are there.
    let again = sandbox(Sandbox::connect_static(id.clone().into(), Some(opts(&[])))).await;
    assert_eq!(read(&again, "/mnt/v/while-paused.txt").await, "paused");
    assert_eq!(read(&s, "/home/user/own.txt").await, "own");

    // A snapshot, and a fork with the same mount.
    let snap = wait(s.create_snapshot(None)).await.unwrap();
    let snapshot_id = get(&snap, "snapshotId").as_string().unwrap();
    let listed = wait(s.list_snapshots(None).next_items(None)).await.unwrap();
    assert_eq!(get(&Array::from(&listed).get(0), "snapshotId").as_string(), Some(snapshot_id.clone()));
    let forks = Array::from(&wait(s.fork(None)).await.unwrap());
    assert_eq!(forks.length(), 1);
    let fork = Sandbox::try_from_js_value(forks.get(0)).unwrap();
    assert_eq!(read(&fork, "/home/user/own.txt").await, "own");
    assert_eq!(read(&fork, "/mnt/v/while-paused.txt").await, "paused");
    assert_eq!(wait(fork.kill(None)).await.unwrap(), JsValue::TRUE);
    assert_eq!(wait(s.kill(None)).await.unwrap(), JsValue::TRUE);

    // A sandbox from the snapshot has the sandbox's own files.
    let restored = sandbox(Sandbox::create(snapshot_id.clone().into(), Some(opts(&[])))).await;
    assert_eq!(read(&restored, "/home/user/own.txt").await, "own");
    wait(restored.kill(None)).await.unwrap();
    assert_eq!(
        wait(Sandbox::delete_snapshot_static(snapshot_id.into(), Some(opts(&[])))).await.unwrap(),
        JsValue::TRUE
    );
    wait(Volume::destroy(vol.volume_id().into(), Some(opts(&[])))).await.unwrap();
}

#[wasm_bindgen_test]
async fn lifecycle_errors_are_the_official_classes() {
    let bad = Object::new();
    Reflect::set(&bad, &"onTimeout".into(), &"sleep".into()).unwrap();
    let e = wait(Sandbox::create(opts(&[("lifecycle", bad.into())]), None)).await.unwrap_err();
    assert_eq!(get(&e, "name").as_string().as_deref(), Some("InvalidArgumentError"));
    let e = wait(Sandbox::pause_static("nosuchsandbox".into(), Some(opts(&[])))).await.unwrap_err();
    assert_eq!(get(&e, "name").as_string().as_deref(), Some("SandboxNotFoundError"));
    let e = wait(Sandbox::fork_static("nosuchsandbox".into(), Some(opts(&[])))).await.unwrap_err();
    assert_eq!(get(&e, "name").as_string().as_deref(), Some("SandboxNotFoundError"));
}
