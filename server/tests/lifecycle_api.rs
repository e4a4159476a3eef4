//! The lifecycle routes' contract on a real server: v1 and v2 creation defaults, connect, refresh,
//! what get and list report, and every error of bad input with `{code}` bodies the SDKs read.

mod common;
#[path = "common/lifecycle.rs"]
mod lifecycle;

use common::{expect, Server};
use lifecycle::{create_v2, expect_code, get, post};
use reqwest::Method;
use serde_json::{json, Value};

/// Seconds from `startedAt` to `endAt` of a sandbox's detail.
fn lifetime(detail: &Value) -> i64 {
    unix(detail["endAt"].as_str().unwrap()) - unix(detail["startedAt"].as_str().unwrap())
}

/// Unix seconds of an RFC 3339 UTC time (`2026-01-02T03:04:05[.frac]Z`).
fn unix(t: &str) -> i64 {
    let n = |r: std::ops::Range<usize>| t[r].parse::<i64>().unwrap();
    let (y, m, d) = (n(0..4), n(5..7), n(8..10));
    // Days since the epoch of a proleptic Gregorian date.
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + d - 1;
    let days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
    days * 86400 + n(11..13) * 3600 + n(14..16) * 60 + n(17..19)
}

#[test]
fn times_parse() {
    assert_eq!(unix("1970-01-01T00:00:00Z"), 0);
    assert_eq!(unix("2026-03-01T00:00:01.5Z"), 1772323201);
}

#[tokio::test]
async fn v2_creates_secured_sandboxes_for_300_seconds_and_v1_for_15() {
    let s = Server::start_with(&["--warm-sandboxes", "0"]);
    let (v2, created) = create_v2(&s, json!({"templateID": "base", "secure": false})).await;
    assert!(created["envdAccessToken"].is_string(), "v2 ignores secure: false");
    let detail = get(&s, &format!("/sandboxes/{}", v2.id), 200).await;
    assert!((299..=301).contains(&lifetime(&detail)), "{detail}");
    assert_eq!(detail["state"], "running");
    assert_eq!(detail["lifecycle"], json!({"autoResume": false, "onTimeout": "kill"}));
    assert_eq!(detail["allowInternetAccess"], true);
    assert!(detail.get("network").is_none());
    let v1 = expect(post(&s, "/sandboxes", json!({"templateID": "base"})).await, 201).await;
    let v1_detail = get(&s, &format!("/sandboxes/{}", v1["sandboxID"].as_str().unwrap()), 200).await;
    assert!((14..=16).contains(&lifetime(&v1_detail)), "{v1_detail}");

    // The v2 connect's body is optional; its timeout is 300 s then, and only ever extends.
    let short = expect(post(&s, "/v2/sandboxes", json!({"templateID": "base", "timeout": 10})).await, 201).await;
    let id = short["sandboxID"].as_str().unwrap();
    let connected = s.api(Method::POST, &format!("/v2/sandboxes/{id}/connect")).send().await.unwrap();
    assert_eq!(expect(connected, 200).await["sandboxID"], id);
    assert!(lifetime(&get(&s, &format!("/sandboxes/{id}"), 200).await) >= 299);
    // A refresh keeps it alive at least that long.
    expect(post(&s, &format!("/sandboxes/{id}/refreshes"), json!({"duration": 3600})).await, 204).await;
    assert!(lifetime(&get(&s, &format!("/sandboxes/{id}"), 200).await) >= 3599);
    expect_code(post(&s, &format!("/sandboxes/{id}/refreshes"), json!({"duration": 3601})).await, 400).await;
    expect_code(post(&s, "/sandboxes/nope/refreshes", json!({})).await, 404).await;

    // Listing: running ones are counted in X-Total-Running; a paused one is listed by state.
    expect(s.api(Method::POST, &format!("/sandboxes/{id}/pause")).send().await.unwrap(), 204).await;
    let res = s.api(Method::GET, "/v2/sandboxes").send().await.unwrap();
    assert_eq!(res.headers()["x-total-running"], "2");
    let all: Value = res.json().await.unwrap();
    assert_eq!(all.as_array().unwrap().len(), 3);
    let paused = get(&s, "/v2/sandboxes?state=paused", 200).await;
    assert_eq!(paused.as_array().unwrap().len(), 1);
    assert_eq!((paused[0]["sandboxID"].as_str(), paused[0]["state"].as_str()), (Some(id), Some("paused")));
    assert_eq!(get(&s, "/v2/sandboxes?state=running", 200).await.as_array().unwrap().len(), 2);
    let only_paused = s.api(Method::GET, "/v2/sandboxes?state=paused").send().await.unwrap();
    assert!(only_paused.headers().get("x-total-running").is_none(), "running ones were not asked for");
    // A paused sandbox has no timeout to set.
    expect_code(post(&s, &format!("/sandboxes/{id}/timeout"), json!({"timeout": 30})).await, 404).await;
    expect_code(post(&s, &format!("/sandboxes/{id}/refreshes"), json!({"duration": 30})).await, 404).await;
    s.kill(&v2).await;
    s.kill(&s.sbx(v1["sandboxID"].as_str().unwrap(), None)).await;
    s.kill(&s.sbx(id, None)).await;
}

#[tokio::test]
async fn bad_input_gets_the_specs_errors() {
    let s = Server::start_with(&["--warm-sandboxes", "0"]);
    let create = |body: Value| post(&s, "/v2/sandboxes", body);
    expect_code(create(json!({"templateID": "base", "timeout": -1})).await, 400).await;
    expect_code(create(json!({"templateID": "base", "timeout": 86401})).await, 400).await;
    expect_code(create(json!({"timeout": 5})).await, 400).await;
    expect_code(create(json!({"templateID": "nope"})).await, 404).await;
    let resume_alone = create(json!({"templateID": "base", "autoResume": {"enabled": true}})).await;
    assert!(expect_code(resume_alone, 400).await["message"].as_str().unwrap().contains("autoPause"));
    let cold_resume =
        json!({"templateID": "base", "autoPause": true, "autoPauseMemory": false, "autoResume": {"enabled": true}});
    expect_code(create(cold_resume).await, 400).await;
    expect_code(create(json!({"templateID": "base", "network": {"allowOut": ["example.com"]}})).await, 400).await;
    let raw = s.api(Method::POST, "/v2/sandboxes").header("content-type", "application/json").body("{").send();
    expect_code(raw.await.unwrap(), 400).await;
    for (path, body) in [
        ("/v2/sandboxes/nope/connect", json!({})),
        ("/sandboxes/nope/connect", json!({"timeout": 1})),
        ("/sandboxes/nope/pause", json!({})),
        ("/sandboxes/nope/resume", json!({})),
        ("/sandboxes/nope/fork", json!({})),
        ("/sandboxes/nope/snapshots", json!({})),
        ("/sandboxes/nope/timeout", json!({"timeout": 1})),
    ] {
        expect_code(post(&s, path, body).await, 404).await;
    }
    expect_code(s.api(Method::GET, "/sandboxes/nope").send().await.unwrap(), 404).await;
    expect_code(s.api(Method::DELETE, "/sandboxes/nope").send().await.unwrap(), 404).await;
    expect_code(s.api(Method::DELETE, "/templates/nope").send().await.unwrap(), 404).await;
    let (sb, _) = create_v2(&s, json!({"templateID": "base"})).await;
    expect_code(post(&s, &format!("/v2/sandboxes/{}/connect", sb.id), json!({"timeout": -5})).await, 400).await;
    expect_code(post(&s, &format!("/sandboxes/{}/connect", sb.id), json!({})).await, 400).await;
    expect_code(post(&s, &format!("/sandboxes/{}/resume", sb.id), json!({})).await, 409).await;
    expect_code(post(&s, &format!("/sandboxes/{}/fork", sb.id), json!({"count": 0})).await, 400).await;
    expect_code(post(&s, &format!("/sandboxes/{}/fork", sb.id), json!({"timeout": -1})).await, 400).await;
    expect_code(post(&s, &format!("/sandboxes/{}/snapshots", sb.id), json!({"name": "no spaces"})).await, 400).await;
    expect_code(s.api(Method::GET, "/snapshots?nextToken=@@").send().await.unwrap(), 400).await;
    expect_code(s.api(Method::GET, "/v2/sandboxes?state=frozen").send().await.unwrap(), 400).await;
    // Every route stays behind the API key.
    let anonymous = s.http.post(format!("{}/sandboxes/{}/pause", s.url, sb.id)).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    assert_eq!(s.http.get(format!("{}/snapshots", s.url)).send().await.unwrap().status(), 401);
    s.kill(&sb).await;
}
