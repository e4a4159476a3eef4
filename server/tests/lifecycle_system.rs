//! A writable system per sandbox: root writes anywhere (its own copy of `/usr`, `/etc`, `/opt`),
//! `sudo` works for the default user, host files only host root may read stay hidden, the size
//! is bounded, and it is all gone with the sandbox. The host is never written.

mod common;

use common::Server;
use serde_json::json;

fn server(extra: &[&str]) -> Server {
    let mut args = vec!["--warm-sandboxes", "0"];
    args.extend_from_slice(extra);
    Server::start_with(&args)
}

#[tokio::test]
async fn root_writes_the_system_and_the_host_is_untouched() {
    let s = server(&[]);
    let sb = s.sandbox(json!({"templateID": "base", "timeout": 120})).await;
    let marker = format!("e2b-test-{}", sb.id);
    let wrote = sb
        .root(&format!(
            "printf '#!/bin/sh\\necho from-x\\n' > /usr/local/bin/{marker} && chmod +x /usr/local/bin/{marker} \
             && echo mine > /etc/{marker} && mkdir -p /opt/{marker} && {marker} && cat /etc/{marker}"
        ))
        .await;
    assert_eq!(wrote.stdout, "from-x\nmine\n", "{wrote:?}");
    for host in [format!("/usr/local/bin/{marker}"), format!("/etc/{marker}"), format!("/opt/{marker}")] {
        assert!(!std::path::Path::new(&host).exists(), "{host} reached the host");
    }
    // Host files read as root's, and root's copy of one changes only the sandbox's.
    let owner = sb.root("stat -c '%U %G' /usr/bin/env /etc/passwd").await.stdout;
    assert_eq!(owner, "root root\nroot root\n");
    assert_eq!(sb.root("echo '# edited' >> /etc/profile && tail -1 /etc/profile").await.stdout, "# edited\n");
    assert!(!std::fs::read_to_string("/etc/profile").unwrap().contains("# edited"));
    // The default user may not write there.
    assert_ne!(sb.user("touch /usr/local/bin/u").await.code, 0);
    assert_ne!(sb.user("touch /etc/u").await.code, 0);
    // Set-user-id programs stay inert: no new privileges, and the system is mounted nosuid.
    let mounts = sb.user("grep -E ' /(usr|etc|opt) ' /proc/self/mounts").await.stdout;
    assert_eq!(mounts.lines().count(), 3, "{mounts}");
    assert!(mounts.lines().all(|l| l.contains("nosuid") && l.contains("nodev")), "{mounts}");
    s.kill(&sb).await;

    // Gone with the sandbox: the next one starts from the host's system again.
    let next = s.sandbox(json!({"templateID": "base", "timeout": 120})).await;
    assert_ne!(next.root(&format!("ls /usr/local/bin/{marker} /etc/{marker}")).await.code, 0);
    assert!(!next.root("tail -1 /etc/profile").await.stdout.contains("# edited"));
    s.kill(&next).await;
}

#[tokio::test]
async fn sudo_works_for_the_default_user() {
    let s = server(&[]);
    let sb = s.sandbox(json!({"templateID": "base", "timeout": 120})).await;
    let ran = sb
        .user("sudo id -u; sudo -u user id -un; sudo whoami; sudo -i pwd; echo x | sudo tee /etc/by-sudo >/dev/null; cat /etc/by-sudo; sudo -E env | grep -c '^SUDO_USER=user$'")
        .await;
    assert_eq!(ran.stdout, "0\nuser\nroot\n/root\nx\n1\n", "{ran:?}");
    // Exit codes, stdin and stderr pass through.
    let codes = sb.user("sudo sh -c 'exit 7'; echo code=$?; echo in | sudo cat; sudo sh -c 'echo err >&2' 2>&1").await;
    assert_eq!(codes.stdout, "code=7\nin\nerr\n", "{codes:?}");
    // Unknown options and commands are refused clearly.
    let refused = sb.user("sudo -g wheel id; echo code=$?").await;
    assert!(refused.stderr.contains("invalid option -- 'g'") && refused.stdout.contains("code=1"), "{refused:?}");
    let missing = sb.user("sudo no-such-command; echo code=$?").await;
    assert!(missing.stderr.contains("no-such-command: command not found") && missing.stdout.contains("code=1"));
    // A signal to sudo reaches the command.
    let killed = sb
        .user("sudo sleep 30 & p=$!; sleep 0.5; kill -TERM $p; wait $p; echo code=$?; pgrep -x sleep || echo gone")
        .await;
    assert_eq!(killed.stdout, "code=143\ngone\n", "{killed:?}");
    // Still no way out of the sandbox: its root has no new privileges either.
    let caps = sb.user("sudo grep -E '^NoNewPrivs' /proc/self/status").await.stdout;
    assert_eq!(caps.trim(), "NoNewPrivs:\t1");
    s.kill(&sb).await;
}

#[tokio::test]
async fn host_files_only_host_root_reads_are_absent_and_may_be_made_anew() {
    let s = server(&[]);
    let sb = s.sandbox(json!({"templateID": "base", "timeout": 120})).await;
    for file in ["/etc/shadow", "/etc/gshadow"] {
        let r = sb.root(&format!("test -e {file} || echo absent")).await;
        assert_eq!(r.stdout, "absent\n", "{file}");
    }
    let listed = sb.root("ls -a /etc | grep -c shadow").await.stdout;
    assert_eq!(listed.trim(), "0", "not even listed");
    // Its own shadow file is its own.
    assert_eq!(sb.root("echo 'root:*:1::::::' > /etc/shadow && cat /etc/shadow").await.stdout, "root:*:1::::::\n");
    assert_ne!(std::fs::read_to_string("/etc/shadow").unwrap_or_default(), "root:*:1::::::\n");
    if std::path::Path::new("/etc/ssl/private").exists() {
        assert_ne!(sb.root("ls /etc/ssl/private").await.code, 0, "private keys are listable");
    }
    s.kill(&sb).await;
}

#[tokio::test]
async fn the_writable_system_is_bounded_by_the_sandboxs_disk() {
    let s = server(&["--sandbox-disk-mb", "16"]);
    let sb = s.sandbox(json!({"templateID": "base", "timeout": 120})).await;
    let fill = sb.root("dd if=/dev/zero of=/usr/local/big bs=1M count=32 2>&1; df -m / | tail -1").await;
    assert!(fill.stdout.contains("No space left"), "the system grew past the disk: {fill:?}");
    let home = sb.root("dd if=/dev/zero of=/root/more bs=1M count=1 2>&1").await;
    assert!(home.stdout.contains("No space left"), "one bound for the system and the sandbox's files: {home:?}");
    assert_eq!(sb.root("rm /usr/local/big && echo freed > /root/ok && cat /root/ok").await.stdout, "freed\n");
    s.kill(&sb).await;
}
