//! Volume tokens: every content request is checked; tokens are bound to one volume.

mod common;

use common::{expect, expect_content_error, Server};
use reqwest::Method;

#[tokio::test]
async fn content_requests_need_the_volume_own_token() {
    let s = Server::start();
    let a = s.volume("a").await;
    let b = s.volume("b").await;
    expect(a.write("f", "secret", &[]).await, 201).await;
    let url = format!("{}/volumecontent/{}/file?path=f", s.url, a.id);

    let none = s.http.get(&url).send().await.unwrap();
    assert_eq!(expect_content_error(none, 401).await["code"], "UNAUTHORIZED");
    for bad in ["garbage", "a.b.c", &format!("{}x", a.token), &s.api_key] {
        expect_content_error(s.http.get(&url).bearer_auth(bad).send().await.unwrap(), 401).await;
    }
    let basic = s.http.get(&url).header("authorization", format!("Basic {}", a.token)).send().await.unwrap();
    expect_content_error(basic, 401).await;
    let other = s.http.get(&url).bearer_auth(&b.token).send().await.unwrap();
    assert_eq!(expect_content_error(other, 403).await["code"], "FORBIDDEN");
    // A forged token for volume a, with b's claims but a's ID swapped in, breaks the signature.
    let mut parts: Vec<String> = b.token.split('.').map(String::from).collect();
    parts[1] = parts[1].chars().rev().collect();
    expect_content_error(s.http.get(&url).bearer_auth(parts.join(".")).send().await.unwrap(), 401).await;
    // Writes are refused before any byte lands.
    let w = s.http.put(format!("{}/volumecontent/{}/file?path=g", s.url, a.id)).bearer_auth(&b.token).body("x");
    expect_content_error(w.send().await.unwrap(), 403).await;
    assert!(!a.dir.join("g").exists());
    assert_eq!(s.http.get(&url).bearer_auth(&a.token).send().await.unwrap().text().await.unwrap(), "secret");
    // Non-UUID volume IDs are a clean 400 once authenticated.
    let bad_id = s.http.get(format!("{}/volumecontent/nope/path?path=/", s.url)).bearer_auth(&a.token);
    expect_content_error(bad_id.send().await.unwrap(), 400).await;
}

#[tokio::test]
async fn expired_tokens_are_refused() {
    let s = Server::start_with(&["--token-ttl-secs", "1"]);
    let v = s.volume("short").await;
    expect(v.stat("/").await, 200).await;
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let e = expect_content_error(v.stat("/").await, 401).await;
    assert!(e["message"].as_str().unwrap().contains("xpired"), "{e}");
    // A fresh token from the control plane works again.
    let fresh = expect(s.api(Method::GET, &format!("/volumes/{}", v.id)).send().await.unwrap(), 200).await;
    let v2 = common::Vol { token: fresh["token"].as_str().unwrap().into(), ..v };
    expect(v2.stat("/").await, 200).await;
}

#[tokio::test]
async fn a_deleted_volume_is_not_served() {
    let s = Server::start();
    let v = s.volume("gone").await;
    assert_eq!(s.api(Method::DELETE, &format!("/volumes/{}", v.id)).send().await.unwrap().status(), 204);
    let e = expect_content_error(v.stat("/").await, 404).await;
    assert_eq!(e["code"], "VOLUME_NOT_FOUND");
}
