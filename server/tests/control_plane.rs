//! The control plane's volume routes, against a real e2b-local.

mod common;

use common::{expect, Server};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn volume_lifecycle_matches_the_spec() {
    let s = Server::start();
    let created =
        expect(s.api(Method::POST, "/volumes").json(&json!({"name": "data-1"})).send().await.unwrap(), 201).await;
    let id = created["volumeID"].as_str().unwrap().to_string();
    assert_eq!(uuid_version(&id), Some(4), "a lowercase UUIDv4: {id}");
    assert_eq!(created["name"], "data-1");
    assert!(created["token"].as_str().unwrap().split('.').count() == 3, "a JWT");
    assert!(created.get("domain").is_none(), "no domain outside BYOC");
    assert!(s.volumes_dir().join(&id).is_dir(), "a real directory");

    let list = expect(s.api(Method::GET, "/volumes").send().await.unwrap(), 200).await;
    assert_eq!(list, json!([{"volumeID": id, "name": "data-1"}]));

    let a = expect(s.api(Method::GET, &format!("/volumes/{id}")).send().await.unwrap(), 200).await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let b = expect(s.api(Method::GET, &format!("/volumes/{id}")).send().await.unwrap(), 200).await;
    assert_eq!(a["volumeID"], id);
    assert_ne!(a["token"], b["token"], "a new token on every call");

    let upper = id.to_uppercase();
    expect(s.api(Method::GET, &format!("/volumes/{upper}")).send().await.unwrap(), 200).await;

    let res = s.api(Method::DELETE, &format!("/volumes/{id}")).send().await.unwrap();
    assert_eq!(res.status(), 204);
    let gone = expect(s.api(Method::GET, &format!("/volumes/{id}")).send().await.unwrap(), 404).await;
    assert_eq!(gone, json!({"code": 404, "message": "Volume not found"}));
    expect(s.api(Method::DELETE, &format!("/volumes/{id}")).send().await.unwrap(), 404).await;
    assert_eq!(expect(s.api(Method::GET, "/volumes").send().await.unwrap(), 200).await, json!([]));
    // The name is free again at once.
    expect(s.api(Method::POST, "/volumes").json(&json!({"name": "data-1"})).send().await.unwrap(), 201).await;
    for _ in 0..50 {
        if !s.volumes_dir().join(&id).exists() && std::fs::read_dir(s.data.path().join("trash")).unwrap().count() == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the deleted volume's files were not removed");
}

fn uuid_version(id: &str) -> Option<u32> {
    let parts: Vec<&str> = id.split('-').collect();
    let ok = parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && id.chars().all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c));
    ok.then(|| parts[2].chars().next().unwrap().to_digit(16).unwrap())
}

#[tokio::test]
async fn bad_input_gets_a_numeric_error() {
    let s = Server::start();
    expect(s.api(Method::POST, "/volumes").json(&json!({"name": "taken"})).send().await.unwrap(), 201).await;
    let dup = expect(s.api(Method::POST, "/volumes").json(&json!({"name": "taken"})).send().await.unwrap(), 400).await;
    assert_eq!(dup, json!({"code": 400, "message": "Volume with name 'taken' already exists"}));
    // Names are case-sensitive.
    expect(s.api(Method::POST, "/volumes").json(&json!({"name": "TAKEN"})).send().await.unwrap(), 201).await;

    let long = "a".repeat(251);
    for name in ["", "has space", "slash/name", "dot.name", "ünï", long.as_str()] {
        let body =
            expect(s.api(Method::POST, "/volumes").json(&json!({"name": name})).send().await.unwrap(), 400).await;
        assert_eq!(body, json!({"code": 400, "message": "Invalid volume name"}), "{name:?}");
    }
    expect(s.api(Method::POST, "/volumes").json(&json!({"name": "a".repeat(250)})).send().await.unwrap(), 201).await;

    for raw in ["{not json", "{}", r#"{"name": 5}"#, "[]"] {
        let res =
            s.api(Method::POST, "/volumes").header("content-type", "application/json").body(raw).send().await.unwrap();
        let body = expect(res, 400).await;
        assert_eq!(body["code"], 400);
        assert!(body["message"].as_str().unwrap().starts_with("Error when parsing request"), "{body}");
    }
    let res = s.api(Method::POST, "/volumes").body(r#"{"name":"x"}"#).send().await.unwrap();
    assert_eq!(expect(res, 400).await["code"], 400, "a body without content-type is refused");

    for id in ["not-a-uuid", "1234", "00000000-0000-0000-0000-00000000000g"] {
        let body = expect(s.api(Method::GET, &format!("/volumes/{id}")).send().await.unwrap(), 400).await;
        assert_eq!(body, json!({"code": 400, "message": "Invalid volume ID"}));
        expect(s.api(Method::DELETE, &format!("/volumes/{id}")).send().await.unwrap(), 400).await;
    }
    let unknown = "6c1b2a4e-2f5e-4c1d-9f3a-0a1b2c3d4e5f";
    expect(s.api(Method::GET, &format!("/volumes/{unknown}")).send().await.unwrap(), 404).await;

    let res = expect(s.api(Method::GET, "/no/such/route").send().await.unwrap(), 404).await;
    assert_eq!(res["code"], 404);
    let res = expect(s.api(Method::PUT, "/volumes").send().await.unwrap(), 405).await;
    assert_eq!(res["code"], 405);
}

#[tokio::test]
async fn every_route_needs_a_valid_api_key() {
    let s = Server::start();
    let id = "6c1b2a4e-2f5e-4c1d-9f3a-0a1b2c3d4e5f";
    for (method, path) in [
        (Method::GET, "/volumes".to_string()),
        (Method::POST, "/volumes".to_string()),
        (Method::GET, format!("/volumes/{id}")),
        (Method::DELETE, format!("/volumes/{id}")),
    ] {
        let url = format!("{}{path}", s.url);
        let none = s.http.request(method.clone(), &url).json(&json!({"name": "x"})).send().await.unwrap();
        assert_eq!(expect(none, 401).await["code"], 401);
        let wrong = s.http.request(method.clone(), &url).header("x-api-key", "e2b_0000").json(&json!({"name": "x"}));
        assert_eq!(expect(wrong.send().await.unwrap(), 401).await["code"], 401);
    }
    // The header name is case-insensitive, as the official SDK sends X-API-KEY.
    let res = s.http.get(format!("{}/volumes", s.url)).header("X-API-KEY", &s.api_key).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn a_given_api_key_is_accepted() {
    let s = Server::start_with(&["--api-key", "e2b_1234abcd"]);
    assert_eq!(s.api_key, "e2b_1234abcd");
    assert_eq!(s.api(Method::GET, "/volumes").send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn cors_lets_other_origins_call_every_route() {
    let s = Server::start();
    let res = s
        .http
        .request(Method::OPTIONS, format!("{}/volumecontent/x/file", s.url))
        .header("Origin", "http://localhost:5173")
        .header("Access-Control-Request-Method", "PUT")
        .header("Access-Control-Request-Headers", "authorization,lang,package_version,x-api-key")
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    let h = res.headers();
    assert_eq!(h["access-control-allow-origin"], "http://localhost:5173");
    assert!(h["access-control-allow-methods"].to_str().unwrap().contains("PUT"));
    assert!(h["access-control-allow-headers"].to_str().unwrap().contains("package_version"));

    let res = s.api(Method::GET, "/volumes").header("Origin", "http://localhost:5173").send().await.unwrap();
    assert_eq!(res.headers()["access-control-allow-origin"], "http://localhost:5173");
    assert!(res.headers()["access-control-expose-headers"].to_str().unwrap().contains("x-next-token"));
}
