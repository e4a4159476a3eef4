//! Egress rules of real sandboxes, enforced in each sandbox's own network namespace. Traffic goes
//! only to loopback addresses inside the sandbox: blocked destinations elsewhere are checked by
//! reading the rules installed, never by sending to them.

mod common;
#[path = "common/lifecycle.rs"]
mod lifecycle;

use std::os::fd::AsRawFd as _;
use std::os::unix::process::CommandExt as _;

use common::{expect, first_process, Sbx, Server};
use lifecycle::{create_v2, expect_code, get};
use reqwest::Method;
use serde_json::json;

/// The sandbox's nftables ruleset, read from the host inside its network namespace.
async fn ruleset(sb: &Sbx) -> String {
    let ns = std::fs::File::open(format!("/proc/{}/ns/net", first_process(sb.host_root().await))).unwrap();
    let raw = ns.as_raw_fd();
    let mut cmd = std::process::Command::new("/usr/sbin/nft");
    cmd.args(["list", "ruleset"]);
    // SAFETY: only setns runs between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            if libc::setns(raw, libc::CLONE_NEWNET) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// HTTP status a curl inside the sandbox gets from `url` ("000": no connection).
async fn status(sb: &Sbx, url: &str) -> String {
    sb.user(&format!("curl -s -m 3 -o /dev/null -w '%{{http_code}}' {url}")).await.stdout
}

async fn put_network(s: &Server, id: &str, body: serde_json::Value) -> reqwest::Response {
    s.api(Method::PUT, &format!("/sandboxes/{id}/network")).json(&body).send().await.unwrap()
}

#[tokio::test]
async fn rules_are_enforced_in_the_sandbox_and_replaced_on_update() {
    if !std::path::Path::new("/usr/sbin/nft").exists() {
        panic!("nftables (nft) is needed: scripts/setup.sh installs it");
    }
    let s = Server::start_with(&["--warm-sandboxes", "0"]);
    let (sb, _) = create_v2(&s, json!({"templateID": "base"})).await;
    // Every sandbox refuses link-local (cloud metadata) addresses, whatever its rules.
    let rules = ruleset(&sb).await;
    assert!(rules.contains("ip daddr 169.254.0.0/16 reject"), "{rules}");
    // The same service on the two loopback addresses the rules below tell apart.
    for addr in ["127.0.0.1", "127.0.0.2"] {
        sb.user(&format!("nohup python3 -m http.server 8765 --bind {addr} >/dev/null 2>&1 &")).await;
    }
    assert!(
        lifecycle::eventually(std::time::Duration::from_secs(5), || async {
            status(&sb, "http://127.0.0.1:8765/").await == "200" && status(&sb, "http://127.0.0.2:8765/").await == "200"
        })
        .await
    );

    // Deny loopback: even the sandbox's own service is refused.
    expect(put_network(&s, &sb.id, json!({"denyOut": ["127.0.0.0/8"]})).await, 204).await;
    assert_eq!(status(&sb, "http://127.0.0.1:8765/").await, "000");
    // An allowed address wins over a denied block.
    expect(put_network(&s, &sb.id, json!({"denyOut": ["127.0.0.0/8"], "allowOut": ["127.0.0.2"]})).await, 204).await;
    assert_eq!(status(&sb, "http://127.0.0.2:8765/").await, "200");
    assert_eq!(status(&sb, "http://127.0.0.1:8765/").await, "000");
    let rules = ruleset(&sb).await;
    assert!(rules.contains("ip daddr 127.0.0.2 accept") && rules.contains("169.254.0.0/16 reject"), "{rules}");
    let info = get(&s, &format!("/sandboxes/{}", sb.id), 200).await;
    assert_eq!(info["network"], json!({"allowOut": ["127.0.0.2"], "denyOut": ["127.0.0.0/8"]}));
    // An update that leaves the rules out clears them.
    expect(put_network(&s, &sb.id, json!({})).await, 204).await;
    assert_eq!(status(&sb, "http://127.0.0.1:8765/").await, "200");
    assert!(get(&s, &format!("/sandboxes/{}", sb.id), 200).await.get("network").is_none());

    // Off the internet: no interface but loopback, and back on.
    expect(put_network(&s, &sb.id, json!({"allow_internet_access": false})).await, 204).await;
    assert_eq!(sb.user("ls /sys/class/net").await.stdout.trim(), "lo");
    assert_eq!(get(&s, &format!("/sandboxes/{}", sb.id), 200).await["allowInternetAccess"], false);
    expect(put_network(&s, &sb.id, json!({"allow_internet_access": true})).await, 204).await;
    assert!(sb.user("ip route").await.stdout.contains("default via"), "online again");

    // Refused: what e2b-local cannot enforce, bad blocks, paused and unknown sandboxes.
    for bad in [
        json!({"allowOut": ["example.com"]}),
        json!({"denyOut": ["10.0.0.0/33"]}),
        json!({"egressProxy": {"address": "proxy:1080"}}),
        json!({"rules": {"example.com": [{"transform": {"headers": {"a": "b"}}}]}}),
    ] {
        expect_code(put_network(&s, &sb.id, bad).await, 400).await;
    }
    expect_code(put_network(&s, "nope", json!({})).await, 404).await;
    expect(s.api(Method::POST, &format!("/sandboxes/{}/pause", sb.id)).send().await.unwrap(), 204).await;
    expect_code(put_network(&s, &sb.id, json!({})).await, 409).await;
    s.kill(&sb).await;
}

#[tokio::test]
async fn rules_given_at_creation_hold_from_the_start() {
    let s = Server::start_with(&["--warm-sandboxes", "1"]);
    let body = json!({"templateID": "base", "network": {"denyOut": ["127.0.0.0/8"], "allowOut": ["127.0.0.3/32"]}});
    let (sb, _) = create_v2(&s, body).await;
    sb.user("nohup python3 -m http.server 8766 --bind 0.0.0.0 >/dev/null 2>&1 & sleep 1").await;
    assert_eq!(status(&sb, "http://127.0.0.1:8766/").await, "000");
    assert_eq!(status(&sb, "http://127.0.0.3:8766/").await, "200");
    // No internet, yet allowed destinations stay reachable: the interface is kept, all else denied.
    let (offline, _) = create_v2(
        &s,
        json!({"templateID": "base", "allow_internet_access": false, "network": {"allowOut": ["127.0.0.1"]}}),
    )
    .await;
    let rules = ruleset(&offline).await;
    assert!(rules.contains("ip daddr 0.0.0.0/0 reject") && rules.contains("ip daddr 127.0.0.1 accept"), "{rules}");
    assert!(offline.user("ls /sys/class/net").await.stdout.contains("eth0"));
    let refused = s
        .api(Method::POST, "/v2/sandboxes")
        .json(&json!({"templateID": "base", "network": {"allowOut": ["*.example.com"]}}))
        .send()
        .await
        .unwrap();
    expect_code(refused, 400).await;
    s.kill(&sb).await;
    s.kill(&offline).await;
}
