//! Pausing and resuming real sandboxes: frozen processes that hold no CPU and keep their volumes,
//! files written to a volume while paused seen at once after the resume, connect resuming a paused
//! sandbox, pausing at the timeout, traffic resuming a sandbox, and pausing without memory.

mod common;
#[path = "common/lifecycle.rs"]
mod lifecycle;

use std::time::Duration;

use common::{expect, first_process, processes_of, Server};
use lifecycle::{create_v2, eventually, frozen, get, post, state_of};
use reqwest::Method;
use serde_json::json;

fn server() -> Server {
    Server::start_with(&["--warm-sandboxes", "0"])
}

/// The counter a background loop in the sandbox keeps in `/tmp/n`.
async fn counter(sb: &common::Sbx) -> u64 {
    sb.user("cat /tmp/n").await.stdout.trim().parse().unwrap_or(0)
}

#[tokio::test]
async fn a_paused_sandbox_is_frozen_keeps_its_volume_and_sees_what_was_written_meanwhile() {
    let s = server();
    let v = s.volume("seed").await;
    let (sb, created) =
        create_v2(&s, json!({"templateID": "base", "volumeMounts": [{"name": "seed", "path": "/mnt/seed"}]})).await;
    assert!(created["envdAccessToken"].is_string(), "v2 sandboxes are secured");
    assert_eq!(sb.user("echo before > /mnt/seed/a && cat /mnt/seed/a").await.stdout, "before\n");
    // A counter that would advance ten times a second.
    sb.user("nohup bash -c 'i=0; while true; do i=$((i+1)); echo $i > /tmp/n; sleep 0.1; done' >/dev/null 2>&1 &")
        .await;
    assert!(eventually(Duration::from_secs(5), || async { counter(&sb).await > 3 }).await, "the counter runs");
    let root = sb.host_root().await;
    let init = first_process(root);

    expect(post(&s, &format!("/sandboxes/{}/pause", sb.id), json!({})).await, 204).await;
    assert_eq!(state_of(&s, &sb.id).await, "paused");
    assert!(frozen(init), "the cgroup freezer holds the sandbox");
    assert!(!processes_of(root).is_empty(), "its processes are kept");
    let at_pause = std::fs::read_to_string(cgroup_n(init)).ok();
    // Written through the volume API while the sandbox is paused.
    expect(v.write("/b", "while-paused", &[]).await, 201).await;
    assert_eq!(sb.envd(Method::GET, "/health").send().await.unwrap().status(), 502, "a paused sandbox takes no calls");
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(std::fs::read_to_string(cgroup_n(init)).ok(), at_pause, "the counter did not advance while paused");
    let listed: Vec<serde_json::Value> = get(&s, "/v2/sandboxes?state=paused", 200).await.as_array().unwrap().clone();
    assert!(listed.iter().any(|l| l["sandboxID"] == sb.id.as_str()), "listed as paused");
    let running = get(&s, "/v2/sandboxes?state=running", 200).await;
    assert!(running.as_array().unwrap().is_empty(), "not as running");

    let resumed = post(&s, &format!("/v2/sandboxes/{}/connect", sb.id), json!({"timeout": 60})).await;
    let body = expect(resumed, 201).await;
    assert_eq!(body["sandboxID"], sb.id.as_str());
    assert!(!frozen(init), "thawed");
    assert_eq!(first_process(root), init, "the same processes go on");
    assert_eq!(sb.user("cat /mnt/seed/a /mnt/seed/b").await.stdout, "before\nwhile-paused");
    let n = counter(&sb).await;
    assert!(eventually(Duration::from_secs(5), || async { counter(&sb).await > n }).await, "the counter goes on");
    // Connecting to a running sandbox is a 200, and its timeout only grows.
    let end = get(&s, &format!("/sandboxes/{}", sb.id), 200).await["endAt"].clone();
    expect(post(&s, &format!("/v2/sandboxes/{}/connect", sb.id), json!({"timeout": 5})).await, 200).await;
    assert_eq!(get(&s, &format!("/sandboxes/{}", sb.id), 200).await["endAt"], end, "a shorter timeout is ignored");
    s.kill(&sb).await;
}

/// Where the test reads the counter from the host: the sandbox's `/tmp/n` through its first process.
fn cgroup_n(init: u32) -> String {
    format!("/proc/{init}/root/tmp/n")
}

#[tokio::test]
async fn pause_and_resume_answer_as_the_spec_says() {
    let s = server();
    let (sb, _) = create_v2(&s, json!({"templateID": "base"})).await;
    let pause = format!("/sandboxes/{}/pause", sb.id);
    // No body at all is a pause with memory.
    expect(s.api(Method::POST, &pause).send().await.unwrap(), 204).await;
    lifecycle::expect_code(post(&s, &pause, json!({})).await, 409).await;
    let resumed = expect(post(&s, &format!("/sandboxes/{}/resume", sb.id), json!({"timeout": 30})).await, 201).await;
    assert_eq!(resumed["sandboxID"], sb.id.as_str());
    lifecycle::expect_code(post(&s, &format!("/sandboxes/{}/resume", sb.id), json!({})).await, 409).await;
    // The older connect resumes too.
    expect(post(&s, &pause, json!({"memory": true})).await, 204).await;
    expect(post(&s, &format!("/sandboxes/{}/connect", sb.id), json!({"timeout": 30})).await, 201).await;
    assert_eq!(sb.user("echo ok").await.stdout, "ok\n");
    s.kill(&sb).await;
    for path in ["pause", "resume", "connect"] {
        lifecycle::expect_code(post(&s, &format!("/sandboxes/{}/{path}", sb.id), json!({"timeout": 1})).await, 404)
            .await;
    }
    lifecycle::expect_code(post(&s, &format!("/v2/sandboxes/{}/connect", sb.id), json!({})).await, 404).await;
}

#[tokio::test]
async fn a_killed_paused_sandbox_leaves_nothing() {
    let s = server();
    let (sb, _) = create_v2(&s, json!({"templateID": "base"})).await;
    let root = sb.host_root().await;
    expect(post(&s, &format!("/sandboxes/{}/pause", sb.id), json!({})).await, 204).await;
    s.kill(&sb).await;
    let left = common::left_over(s.pid(), root);
    assert!(left.is_empty(), "frozen processes are killed too: {left:?}");
}

#[tokio::test]
async fn on_timeout_pause_pauses_instead_of_killing_and_stays_paused() {
    let s = server();
    let (sb, _) = create_v2(&s, json!({"templateID": "base", "timeout": 1, "autoPause": true})).await;
    sb.user("echo kept > ~/note").await;
    assert!(eventually(Duration::from_secs(5), || async { state_of(&s, &sb.id).await == "paused" }).await);
    let detail = get(&s, &format!("/sandboxes/{}", sb.id), 200).await;
    assert_eq!(detail["lifecycle"], json!({"autoResume": false, "onTimeout": "pause"}));
    // A paused sandbox has no timeout of its own: it stays paused.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(state_of(&s, &sb.id).await, "paused");
    // Without autoResume, traffic does not wake it.
    assert_eq!(sb.envd(Method::GET, "/health").send().await.unwrap().status(), 502);
    expect(post(&s, &format!("/v2/sandboxes/{}/connect", sb.id), json!({"timeout": 30})).await, 201).await;
    assert_eq!(sb.user("cat ~/note").await.stdout, "kept\n");
    s.kill(&sb).await;
}

#[tokio::test]
async fn auto_resume_wakes_a_paused_sandbox_on_its_next_envd_call() {
    let s = server();
    let body = json!({"templateID": "base", "timeout": 1, "autoPause": true, "autoResume": {"enabled": true}});
    let (sb, _) = create_v2(&s, body).await;
    assert!(eventually(Duration::from_secs(5), || async { state_of(&s, &sb.id).await == "paused" }).await);
    let detail = get(&s, &format!("/sandboxes/{}", sb.id), 200).await;
    assert_eq!(detail["lifecycle"], json!({"autoResume": true, "onTimeout": "pause"}));
    // The call is held while the sandbox resumes, then served.
    assert_eq!(sb.user("echo awake").await.stdout, "awake\n");
    assert_eq!(state_of(&s, &sb.id).await, "running");
    // It runs for its own timeout again, then pauses again.
    assert!(eventually(Duration::from_secs(5), || async { state_of(&s, &sb.id).await == "paused" }).await);
    s.kill(&sb).await;
}

#[tokio::test]
async fn a_pause_without_memory_keeps_only_the_files_and_a_resume_starts_afresh() {
    let s = server();
    let v = s.volume("cold").await;
    let (sb, _) = create_v2(
        &s,
        json!({"templateID": "base", "volumeMounts": [{"name": "cold", "path": "/data"}], "envVars": {"K": "v"}}),
    )
    .await;
    let root = sb.host_root().await;
    sb.root("echo etc > /etc/mine && echo usr > /usr/local/bin/mine && mkdir -p /srv/x && echo srv > /srv/x/f").await;
    sb.user("echo home > ~/h && echo tmp > /tmp/t && ln -s /tmp/t ~/link && chmod 640 ~/h").await;
    sb.user("nohup sleep 1000 >/dev/null 2>&1 &").await;
    assert!(sb.user("pgrep -x sleep").await.code == 0, "a process runs");
    expect(post(&s, &format!("/sandboxes/{}/pause", sb.id), json!({"memory": false})).await, 204).await;
    assert_eq!(state_of(&s, &sb.id).await, "paused");
    let left = common::left_over(s.pid(), root);
    assert!(left.is_empty(), "its processes ended: {left:?}");
    // Its volume is free meanwhile to the volume API, and still counted as mounted by it.
    expect(v.write("/while", "cold", &[]).await, 201).await;
    let busy = s.api(Method::DELETE, &format!("/volumes/{}", v.id)).send().await.unwrap();
    assert_eq!(busy.status(), 409, "a paused sandbox still mounts its volume");
    // Traffic never wakes a sandbox paused without memory.
    assert_eq!(sb.envd(Method::GET, "/health").send().await.unwrap().status(), 502);

    expect(post(&s, &format!("/v2/sandboxes/{}/connect", sb.id), json!({"timeout": 60})).await, 201).await;
    let files = sb
        .user("cat /etc/mine /usr/local/bin/mine /srv/x/f ~/h /tmp/t ~/link /data/while; stat -c '%a %U' ~/h; readlink ~/link; echo $K")
        .await;
    assert_eq!(files.stdout, "etc\nusr\nsrv\nhome\ntmp\ntmp\ncold640 user\n/tmp/t\nv\n", "{files:?}");
    assert_ne!(sb.user("pgrep -x sleep").await.code, 0, "processes did not survive: it started afresh");
    // Mounted again: writes go to the volume.
    sb.user("echo back > /data/back").await;
    assert_eq!(std::fs::read_to_string(v.dir.join("back")).unwrap(), "back\n");
    s.kill(&sb).await;
    assert_eq!(std::fs::read_dir(s.data.path().join("paused")).unwrap().count(), 0, "the saved files are gone");
}

#[tokio::test]
async fn connect_with_memory_false_reboots_a_frozen_sandbox_from_its_files() {
    let s = server();
    let (sb, _) = create_v2(&s, json!({"templateID": "base"})).await;
    sb.user("echo f > ~/f; nohup sleep 1000 >/dev/null 2>&1 &").await;
    expect(post(&s, &format!("/sandboxes/{}/pause", sb.id), json!({})).await, 204).await;
    expect(post(&s, &format!("/v2/sandboxes/{}/connect", sb.id), json!({"memory": false})).await, 201).await;
    assert_eq!(sb.user("cat ~/f").await.stdout, "f\n");
    assert_ne!(sb.user("pgrep -x sleep").await.code, 0, "rebooted");
    s.kill(&sb).await;
}
