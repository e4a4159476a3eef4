//! Sandbox metrics on a real server: CPU, memory and disk sampled from the sandbox's cgroup and
//! files, growing under load, for one sandbox or several.

mod common;
#[path = "common/lifecycle.rs"]
mod lifecycle;

use std::time::Duration;

use common::Server;
use lifecycle::{eventually, expect_code, get};
use reqwest::Method;
use serde_json::{json, Value};

async fn latest(s: &Server, id: &str) -> Option<Value> {
    get(s, &format!("/sandboxes/{id}/metrics"), 200).await.as_array().unwrap().last().cloned()
}

#[tokio::test]
async fn metrics_grow_under_load() {
    let s = Server::start_with(&["--warm-sandboxes", "0", "--sandbox-metrics-interval-secs", "1"]);
    let sb = s.sandbox(json!({"templateID": "base", "timeout": 120})).await;
    assert!(eventually(Duration::from_secs(5), || async { latest(&s, &sb.id).await.is_some() }).await);
    let idle = latest(&s, &sb.id).await.unwrap();
    assert_eq!((idle["cpuCount"].as_u64(), idle["memTotal"].as_u64()), (Some(2), Some(512 << 20)), "{idle}");
    assert_eq!(idle["diskTotal"].as_u64(), Some(1024 << 20));
    for key in ["timestamp", "timestampUnix", "cpuUsedPct", "memUsed", "memCache", "diskUsed"] {
        assert!(idle.get(key).is_some(), "{key} in {idle}");
    }
    // Load: a busy CPU, 100 MiB held in memory, 50 MiB of files.
    sb.user("nohup python3 -c 'b = bytearray(100 << 20); import time\nwhile True: pass' >/dev/null 2>&1 &").await;
    sb.user("dd if=/dev/zero of=~/fill bs=1M count=50 2>/dev/null").await;
    let grew = eventually(Duration::from_secs(10), || async {
        let now = latest(&s, &sb.id).await.unwrap();
        now["cpuUsedPct"].as_f64().unwrap() > 20.0
            && now["memUsed"].as_i64().unwrap() > idle["memUsed"].as_i64().unwrap() + (80 << 20)
            && now["diskUsed"].as_i64().unwrap() > idle["diskUsed"].as_i64().unwrap() + (40 << 20)
    })
    .await;
    assert!(grew, "no growth: idle {idle}, now {}", latest(&s, &sb.id).await.unwrap());
    let all = get(&s, &format!("/sandboxes/{}/metrics", sb.id), 200).await;
    let times: Vec<i64> = all.as_array().unwrap().iter().map(|m| m["timestampUnix"].as_i64().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]) && times.len() >= 2, "{times:?}");
    // An interval selects samples; one that ends before it starts is refused.
    let last = *times.last().unwrap();
    let tail = get(&s, &format!("/sandboxes/{}/metrics?start={last}", sb.id), 200).await;
    assert!(tail.as_array().unwrap().iter().all(|m| m["timestampUnix"].as_i64().unwrap() >= last));
    let none = get(&s, &format!("/sandboxes/{}/metrics?end={}", sb.id, times[0] - 1), 200).await;
    assert_eq!(none, json!([]));
    expect_code(s.api(Method::GET, &format!("/sandboxes/{}/metrics?start=5&end=4", sb.id)).send().await.unwrap(), 400)
        .await;
    expect_code(s.api(Method::GET, "/sandboxes/nope/metrics").send().await.unwrap(), 404).await;
    // Several at once: each one's latest.
    let many = get(&s, &format!("/sandboxes/metrics?sandbox_ids={},nope", sb.id), 200).await;
    assert!(many["sandboxes"][&sb.id]["cpuCount"].is_number(), "{many}");
    assert!(many["sandboxes"].get("nope").is_none());
    expect_code(s.api(Method::GET, "/sandboxes/metrics?sandbox_ids=").send().await.unwrap(), 400).await;
    s.kill(&sb).await;
}
