//! Snapshots and forks of real sandboxes: a sandbox's own files (owners relative to its id range,
//! modes, symlinks, FIFOs, extended attributes, deletions in its system, `/tmp`) captured to the
//! data directory, never its volumes; new sandboxes made from them with the volume mounts of their
//! own request; forks; listing and deleting; snapshots that survive a restart.

mod common;
#[path = "common/lifecycle.rs"]
mod lifecycle;

use common::{expect, Server};
use lifecycle::{create_v2, expect_code, get, post};
use reqwest::Method;
use serde_json::{json, Value};

fn server() -> Server {
    Server::start_with(&["--warm-sandboxes", "0"])
}

/// Makes files of every kind a snapshot keeps.
const FILES: &str = "echo home > ~/h && chmod 600 ~/h && ln -s /etc/hostname ~/link && mkfifo ~/fifo \
    && python3 -c \"import os; os.setxattr(os.path.expanduser('~/h'), 'user.e2b.tag', b'kept')\" \
    && echo tmp > /tmp/t && mkdir -p ~/deep/er && echo d > ~/deep/er/f";
const ROOT_FILES: &str =
    "echo etc > /etc/mine && rm /etc/issue && echo bin > /usr/local/bin/mine && chown user:user /usr/local/bin/mine";
/// Reads them back.
const CHECK: &str = "cat ~/h /tmp/t ~/deep/er/f /etc/mine /usr/local/bin/mine; stat -c '%a %U' ~/h; readlink ~/link; \
    test -p ~/fifo && echo fifo; test -e /etc/issue || echo no-issue; stat -c %U /usr/local/bin/mine; \
    python3 -c \"import os; print(os.getxattr(os.path.expanduser('~/h'), 'user.e2b.tag').decode())\"";
const EXPECTED: &str = "home\ntmp\nd\netc\nbin\n600 user\n/etc/hostname\nfifo\nno-issue\nuser\nkept\n";

#[tokio::test]
async fn a_snapshot_keeps_the_sandboxs_files_and_new_sandboxes_start_from_it() {
    let s = server();
    let v = s.volume("snapvol").await;
    let mount = json!([{"name": "snapvol", "path": "/mnt/v"}]);
    let (sb, _) = create_v2(&s, json!({"templateID": "base", "volumeMounts": mount})).await;
    assert_eq!(sb.user(FILES).await.code, 0);
    assert_eq!(sb.root(ROOT_FILES).await.code, 0);
    sb.user("echo in-volume > /mnt/v/before").await;
    let snap = expect(post(&s, &format!("/sandboxes/{}/snapshots", sb.id), json!({})).await, 201).await;
    let snapshot_id = snap["snapshotID"].as_str().unwrap().to_string();
    assert!(snapshot_id.ends_with(":default"), "{snap}");
    assert_eq!(snap["names"], json!([]));
    assert_eq!(sb.user("echo still-running").await.stdout, "still-running\n", "a snapshot leaves it running");
    // The volume is mounted, not copied: the archive holds none of its files.
    let archives: Vec<_> = std::fs::read_dir(s.data.path().join("snapshots")).unwrap().flatten().collect();
    assert_eq!(archives.len(), 2, "an archive and its record");
    for a in &archives {
        let bytes = std::fs::read(a.path()).unwrap();
        assert!(!bytes.windows(9).any(|w| w == b"in-volume"), "volume contents in {}", a.path().display());
    }
    let old_root = sb.host_root().await;
    s.kill(&sb).await;
    expect(v.write("/after", "later", &[]).await, 201).await;

    // A keeper in the first range, so that the next sandbox gets another.
    let keeper = s.sandbox(json!({"templateID": "base", "timeout": 120})).await;
    let (restored, created) = create_v2(&s, json!({"templateID": snapshot_id, "volumeMounts": mount})).await;
    assert_eq!(created["templateID"].as_str().unwrap(), snapshot_id.trim_end_matches(":default"));
    assert_ne!(restored.host_root().await, old_root, "another id range");
    let back = restored.user(CHECK).await;
    assert_eq!(back.stdout, EXPECTED, "{back:?}");
    assert_eq!(restored.user("cat /mnt/v/before /mnt/v/after").await.stdout, "in-volume\nlater");
    assert_eq!(restored.user("sudo id -u").await.stdout, "0\n", "sudo too");
    let info = get(&s, &format!("/sandboxes/{}", restored.id), 200).await;
    assert_eq!(info["volumeMounts"], mount);
    // By its bare ID as well; a deleted snapshot is gone.
    let bare = snapshot_id.trim_end_matches(":default");
    let (again, _) = create_v2(&s, json!({"templateID": bare})).await;
    assert_eq!(again.user("cat /etc/mine").await.stdout, "etc\n");
    expect(s.api(Method::DELETE, &format!("/templates/{snapshot_id}")).send().await.unwrap(), 204).await;
    expect_code(s.api(Method::DELETE, &format!("/templates/{snapshot_id}")).send().await.unwrap(), 404).await;
    expect_code(post(&s, "/v2/sandboxes", json!({"templateID": snapshot_id})).await, 404).await;
    for sb in [keeper, restored, again] {
        s.kill(&sb).await;
    }
}

#[tokio::test]
async fn a_fork_is_a_snapshot_and_new_sandboxes_with_the_same_mounts() {
    let s = server();
    s.volume("forkvol").await;
    let mount = json!([{"name": "forkvol", "path": "/work"}]);
    let (sb, _) = create_v2(&s, json!({"templateID": "base", "volumeMounts": mount, "metadata": {"k": "v"}})).await;
    sb.user("echo state > ~/state && echo shared > /work/shared").await;
    let forks =
        expect(post(&s, &format!("/sandboxes/{}/fork", sb.id), json!({"count": 2, "timeout": 60})).await, 201).await;
    let forks = forks.as_array().unwrap().clone();
    assert_eq!(forks.len(), 2);
    let mut ids = Vec::new();
    for f in &forks {
        assert!(f.get("error").is_none(), "{f}");
        let fork = s.sbx(f["sandbox"]["sandboxID"].as_str().unwrap(), f["sandbox"]["envdAccessToken"].as_str());
        assert_eq!(
            fork.user("cat ~/state /work/shared; echo $E2B_SANDBOX_ID").await.stdout,
            format!("state\nshared\n{}\n", fork.id)
        );
        let info = get(&s, &format!("/sandboxes/{}", fork.id), 200).await;
        assert_eq!((info["volumeMounts"].clone(), info["metadata"].clone()), (mount.clone(), json!({"k": "v"})));
        ids.push(fork);
    }
    assert_ne!(ids[0].id, ids[1].id);
    // Each is its own: a change in one is in no other.
    ids[0].user("echo mine > ~/state").await;
    assert_eq!(ids[1].user("cat ~/state").await.stdout, "state\n");
    assert_eq!(sb.user("cat ~/state").await.stdout, "state\n");
    // One fork by default.
    let one = expect(post(&s, &format!("/sandboxes/{}/fork", sb.id), json!({})).await, 201).await;
    assert_eq!(one.as_array().unwrap().len(), 1);
    for bad in [0, -1, 101] {
        expect_code(post(&s, &format!("/sandboxes/{}/fork", sb.id), json!({"count": bad})).await, 400).await;
    }
    expect_code(post(&s, "/sandboxes/nope/fork", json!({})).await, 404).await;
    assert!(std::fs::read_dir(s.data.path().join("paused")).unwrap().next().is_none(), "the fork's archive is gone");
    for f in ids {
        s.kill(&f).await;
    }
    s.kill(&s.sbx(one[0]["sandbox"]["sandboxID"].as_str().unwrap(), None)).await;
    s.kill(&sb).await;
}

#[tokio::test]
async fn snapshots_are_named_listed_paged_and_survive_a_restart() {
    let mut s = server();
    let (a, _) = create_v2(&s, json!({"templateID": "base"})).await;
    let (b, _) = create_v2(&s, json!({"templateID": "base"})).await;
    a.user("echo one > ~/v").await;
    let named =
        expect(post(&s, &format!("/sandboxes/{}/snapshots", a.id), json!({"name": "My-Snap"})).await, 201).await;
    assert_eq!(named, json!({"snapshotID": "my-snap:default", "names": ["my-snap:default"]}));
    expect(post(&s, &format!("/sandboxes/{}/snapshots", b.id), json!({})).await, 201).await;
    // The same name again replaces it.
    a.user("echo two > ~/v").await;
    expect(post(&s, &format!("/sandboxes/{}/snapshots", a.id), json!({"name": "my-snap"})).await, 201).await;
    let all = get(&s, "/snapshots", 200).await;
    assert_eq!(all.as_array().unwrap().len(), 2, "{all}");
    let of_a = get(&s, &format!("/snapshots?sandboxID={}", a.id), 200).await;
    assert_eq!(of_a, json!([named]));
    assert_eq!(get(&s, "/snapshots?name=my-snap:default", 200).await, json!([named]));
    assert_eq!(get(&s, "/snapshots?name=nothing", 200).await, json!([]));
    let first = s.api(Method::GET, "/snapshots?limit=1").send().await.unwrap();
    let token = first.headers().get("x-next-token").expect("a next page").to_str().unwrap().to_string();
    let page: Value = first.json().await.unwrap();
    let rest = get(&s, &format!("/snapshots?limit=1&nextToken={token}"), 200).await;
    assert_ne!(page, rest);
    expect_code(s.api(Method::GET, "/snapshots?limit=0").send().await.unwrap(), 400).await;
    expect_code(post(&s, &format!("/sandboxes/{}/snapshots", a.id), json!({"name": "a/b"})).await, 400).await;
    expect_code(post(&s, "/sandboxes/nope/snapshots", json!({})).await, 404).await;
    expect_code(s.api(Method::DELETE, "/templates/base").send().await.unwrap(), 400).await;

    s.restart_with(&["--warm-sandboxes", "0"]);
    assert_eq!(get(&s, "/snapshots", 200).await.as_array().unwrap().len(), 2, "kept across the restart");
    let (c, created) = create_v2(&s, json!({"templateID": "my-snap"})).await;
    assert_eq!(created["alias"], "my-snap");
    assert_eq!(c.user("cat ~/v").await.stdout, "two\n", "the newer snapshot of the name");
    let listed = get(&s, "/v2/sandboxes?template=my-snap", 200).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    s.kill(&c).await;
}
