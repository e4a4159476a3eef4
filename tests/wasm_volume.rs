//! The Volume API from Rust, run by `wasm-pack test --node` and `wasm-pack test --headless --chrome`
//! against a real e2b-local (its URL and key come from E2B_TEST_API_URL and E2B_TEST_API_KEY at build time).
#![cfg(target_arch = "wasm32")]

mod common;
use common::*;

use e2b_wasm::Volume;
use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::convert::TryFromJsValue;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

/// `Volume.create(name, opts)`.
async fn create(name: String, opts: JsValue) -> Result<Volume, JsValue> {
    wait(Volume::create(name.into(), Some(opts))).await.map(|v| Volume::try_from_js_value(v).unwrap())
}

#[wasm_bindgen_test]
async fn create_write_read_list_stat_remove() {
    let name = unique("wasm");
    let vol = create(name.clone(), opts(&[])).await.unwrap();
    assert_eq!(vol.name(), name);
    let stat = wait(vol.write_file("/dir/hello.txt".into(), "hello".into(), Some(opts(&[("force", true.into())]))))
        .await
        .unwrap();
    assert_eq!(get(&stat, "size").as_f64(), Some(5.0));
    assert_eq!(get(&stat, "type").as_string().as_deref(), Some("file"));
    assert!(get(&stat, "mtime").is_instance_of::<js_sys::Date>());

    let text = wait(vol.read_file("/dir/hello.txt".into(), None)).await.unwrap();
    assert_eq!(text.as_string().as_deref(), Some("hello"));
    let bytes = wait(vol.read_file("/dir/hello.txt".into(), Some(opts(&[("format", "bytes".into())])))).await.unwrap();
    assert_eq!(bytes.dyn_into::<Uint8Array>().unwrap().to_vec(), b"hello");
    let blob = wait(vol.read_file("/dir/hello.txt".into(), Some(opts(&[("format", "blob".into())])))).await.unwrap();
    assert_eq!(blob.dyn_into::<web_sys::Blob>().unwrap().size(), 5.0);
    let stream =
        wait(vol.read_file("/dir/hello.txt".into(), Some(opts(&[("format", "stream".into())])))).await.unwrap();
    assert!(stream.is_instance_of::<web_sys::ReadableStream>());

    let listing = wait(vol.list("/".into(), Some(opts(&[("depth", 2.into())])))).await.unwrap();
    let paths: Vec<String> =
        js_sys::Array::from(&listing).iter().map(|e| get(&e, "path").as_string().unwrap()).collect();
    assert_eq!(paths, ["/dir", "/dir/hello.txt"]);

    let meta = Object::new();
    Reflect::set(&meta, &"mode".into(), &0o600.into()).unwrap();
    let updated = wait(vol.update_metadata("/dir/hello.txt".into(), Some(meta.into()), None)).await.unwrap();
    assert_eq!(get(&updated, "mode").as_f64(), Some(0o600 as f64));
    let dir = wait(vol.make_dir("/made".into(), None)).await.unwrap();
    assert_eq!(get(&dir, "type").as_string().as_deref(), Some("directory"));
    assert_eq!(wait(vol.exists("/made".into(), None)).await.unwrap(), JsValue::TRUE);
    wait(vol.remove("/made".into(), None)).await.unwrap();
    assert_eq!(wait(vol.exists("/made".into(), None)).await.unwrap(), JsValue::FALSE);
    assert_eq!(wait(Volume::destroy(vol.volume_id().into(), Some(opts(&[])))).await.unwrap(), JsValue::TRUE);
}

#[wasm_bindgen_test]
async fn upload_from_a_stream_and_a_blob() {
    let vol = create(unique("wasm-stream"), opts(&[])).await.unwrap();
    let parts = js_sys::Array::of1(&Uint8Array::from(&[1u8, 2, 3][..]));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).unwrap();
    wait(vol.write_file("/blob.bin".into(), blob.clone().into(), None)).await.unwrap();
    // In browsers a stream is collected into a Blob first; in Node it is streamed.
    wait(vol.write_file("/stream.bin".into(), blob.stream().into(), None)).await.unwrap();
    for p in ["/blob.bin", "/stream.bin"] {
        let got = wait(vol.read_file(p.into(), Some(opts(&[("format", "bytes".into())])))).await.unwrap();
        assert_eq!(got.dyn_into::<Uint8Array>().unwrap().to_vec(), [1, 2, 3], "{p}");
    }
    wait(vol.write_file("/empty".into(), "".into(), None)).await.unwrap();
    assert_eq!(wait(vol.read_file("/empty".into(), None)).await.unwrap().as_string().as_deref(), Some(""));
    wait(Volume::destroy(vol.volume_id().into(), Some(opts(&[])))).await.unwrap();
}

#[wasm_bindgen_test]
async fn errors_are_the_official_classes() {
    let vol = create(unique("wasm-errors"), opts(&[])).await.unwrap();
    let e = wait(vol.get_info("/missing".into(), None)).await.unwrap_err();
    assert_eq!(error_name(&e), "VolumePathNotFoundError");
    assert!(e.is_instance_of::<js_sys::Error>());
    assert_eq!(get(&e, "message").as_string().as_deref(), Some("Path /missing not found"));
    let e = wait(vol.write_file("/x".into(), JsValue::from(42), None)).await.unwrap_err();
    assert_eq!(error_name(&e), "InvalidArgumentError");
    let e = wait(Volume::connect("6c1b2a4e-2f5e-4c1d-9f3a-0a1b2c3d4e5f".into(), Some(opts(&[])))).await.err().unwrap();
    assert_eq!(error_name(&e), "VolumeNotFoundError");
    let e = create(vol.name(), opts(&[])).await.err().unwrap();
    assert_eq!(error_name(&e), "VolumeError");
    let e = create(unique("x"), opts(&[("apiKey", "e2b_wrong".into())])).await.err().unwrap();
    assert_eq!(error_name(&e), "AuthenticationError");
    let stranger = Volume::new(vol.volume_id().into(), vol.name().into(), "bad".into(), None, None, None).unwrap();
    let e = wait(stranger.read_file("/x".into(), Some(opts(&[])))).await.unwrap_err();
    assert_eq!(error_name(&e), "AuthenticationError");
    wait(Volume::destroy(vol.volume_id().into(), Some(opts(&[])))).await.unwrap();
}

#[wasm_bindgen_test]
async fn an_aborted_signal_cancels_the_call() {
    let controller = web_sys::AbortController::new().unwrap();
    controller.abort();
    let e = wait(Volume::list_volumes(Some(opts(&[("signal", controller.signal().into())])))).await.unwrap_err();
    assert_eq!(error_name(&e), "AbortError");
}
