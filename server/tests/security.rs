//! Attacks on a real e2b-local, each of which must fail: from inside a sandbox (through envd, as
//! its root), from a second sandbox, from a local unprivileged user, and with hostile input.
//! The probes never change the host: write access to host state is tested by opening write-only
//! without writing, and fake programs only report who ran them.

mod common;

use std::io::{Read as _, Write as _};
use std::os::unix::process::CommandExt as _;
use std::time::{Duration, Instant};

use common::{descendants, expect, first_process, left_over, processes_of, Sbx, Server};
use e2b_wire::envd::{filesystem, rpc_path};
use e2b_wire::headers;
use reqwest::Method;
use serde_json::{json, Value};

/// A server that starts no sandbox ahead, so that its sandboxes' processes are all there is.
fn server(extra: &[&str]) -> Server {
    let mut args = vec!["--warm-sandboxes", "0"];
    args.extend_from_slice(extra);
    Server::start_with(&args)
}

async fn sandbox(s: &Server) -> Sbx {
    s.sandbox(json!({"templateID": "base", "timeout": 120})).await
}

/// A process's line of `/proc/<pid>/status` starting with `key`.
fn status_line(pid: u32, key: &str) -> String {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status.lines().find(|l| l.starts_with(key)).unwrap_or_default().to_string()
}

/// The sandbox's cgroup directory under the v1 or v2 hierarchy of `controller`.
fn cgroup_dir(pid: u32, controller: &str) -> std::path::PathBuf {
    let cgroups = std::fs::read_to_string(format!("/proc/{pid}/cgroup")).unwrap();
    for line in cgroups.lines() {
        let mut parts = line.splitn(3, ':');
        let (_, names, path) = (parts.next(), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        if names.split(',').any(|n| n == controller) {
            return std::path::Path::new("/sys/fs/cgroup").join(controller).join(path.trim_start_matches('/'));
        }
        if names.is_empty() && std::path::Path::new("/sys/fs/cgroup/cgroup.controllers").exists() {
            return std::path::Path::new("/sys/fs/cgroup").join(path.trim_start_matches('/'));
        }
    }
    panic!("no {controller} cgroup in {cgroups}");
}

#[tokio::test]
async fn sandbox_root_is_an_unprivileged_host_user_that_cannot_touch_the_kernel() {
    let s = server(&[]);
    let sb = sandbox(&s).await;
    let map = sb.root("cat /proc/self/uid_map").await.stdout;
    let fields: Vec<u64> = map.split_whitespace().map(|f| f.parse().unwrap()).collect();
    assert_eq!((fields[0], fields[2]), (0, 65536), "{map}");
    assert!(fields[1] >= 65536, "sandbox root is host uid {}: not a host user", fields[1]);
    let init = first_process(fields[1] as u32);
    let uid = status_line(init, "Uid:");
    assert!(!uid.split_whitespace().skip(1).any(|id| id == "0"), "envd runs as host uid {uid}");

    // Opened write-only, never written: a writable core_pattern would run a program as host root.
    for file in [
        "/proc/sys/kernel/core_pattern",
        "/proc/sys/kernel/modprobe",
        "/proc/sysrq-trigger",
        "/sys/kernel/uevent_helper",
    ] {
        let probe = sb.root(&format!("exec 3>>{file} && echo OPENED")).await;
        assert!(!probe.stdout.contains("OPENED"), "{file} is writable from the sandbox");
    }
    let kcore = sb.root("head -c 1 /proc/kcore | wc -c").await;
    assert_eq!(kcore.stdout.trim(), "0", "/proc/kcore reads nothing");
    let status = sb.root("grep -E '^(NoNewPrivs|Seccomp|CapEff):' /proc/self/status").await.stdout;
    assert!(status.contains("NoNewPrivs:\t1") && status.contains("Seccomp:\t2"), "{status}");
    assert!(!status.contains("CapEff:\t000001ff"), "no full capability set: {status}");
    // A new user namespace would hand the sandbox every capability inside it; mounts and module loads are refused.
    for cmd in ["unshare -U true", "unshare -r true", "mount -t tmpfs x /mnt", "python3 -c 'import os; os.setns(0, 0)'"]
    {
        assert_ne!(sb.root(cmd).await.code, 0, "{cmd} succeeded");
    }
    s.kill(&sb).await;
}

#[tokio::test]
async fn root_only_host_files_and_the_servers_data_stay_out_of_reach() {
    let s = server(&[]);
    let sb = sandbox(&s).await;
    for file in ["/etc/gshadow", "/etc/shadow"] {
        let r = sb.root(&format!("cat {file}")).await;
        assert_ne!(r.code, 0, "{file} is readable: {}", r.stdout);
    }
    if std::path::Path::new("/etc/ssl/private").exists() {
        assert_ne!(sb.root("ls /etc/ssl/private").await.code, 0, "private keys are listable");
    }
    let data = s.data.path().to_string_lossy().to_string();
    assert_ne!(sb.root(&format!("ls {data}")).await.code, 0, "the server's data is visible");
    let found = sb.root("ls /run/e2b-local /run/runc 2>&1; find / -name e2b-local.sqlite3 2>/dev/null").await;
    assert!(!found.stdout.contains("e2b-local.sqlite3"), "{}", found.stdout);
    s.kill(&sb).await;
}

#[tokio::test]
async fn the_servers_environment_never_reaches_a_sandbox() {
    let s = Server::start_with_env(&["--warm-sandboxes", "0"], &[("E2B_LOCAL_TEST_SECRET", "hunter2-cloud-key")]);
    let sb = sandbox(&s).await;
    let seen = sb.root("cat /proc/1/environ /proc/*/environ 2>/dev/null | tr '\\0' '\\n'; env").await.stdout;
    assert!(!seen.contains("hunter2"), "{seen}");
    assert!(seen.contains("E2B_SANDBOX_ID="), "the sandbox's own variables are there");
    s.kill(&sb).await;
}

#[tokio::test]
async fn nothing_the_server_runs_is_looked_up_through_path() {
    let fakes = tempfile::tempdir().unwrap();
    let marker = fakes.path().join("ran");
    for name in
        ["runc", "pasta", "nsenter", "setpriv", "sleep", "bwrap", "unshare", "mount", "env", "bash", "sh", "e2b-local"]
    {
        let script = format!("#!/bin/sh\necho \"{name} as $(id -u)\" >> {}\n", marker.display());
        let path = fakes.path().join(name);
        std::fs::write(&path, script).unwrap();
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    }
    let path = format!("{}:{}", fakes.path().display(), std::env::var("PATH").unwrap_or_default());
    let s = Server::start_with_env(&["--warm-sandboxes", "0"], &[("PATH", &path)]);
    let v = s.volume("bin").await;
    for name in ["bash", "sleep", "env"] {
        // A volume full of look-alikes, mounted where a sandbox's PATH looks.
        std::fs::copy(fakes.path().join(name), v.dir.join(name)).unwrap();
    }
    let sb = s
        .sandbox(json!({"templateID": "base", "volumeMounts": [{"name": "bin", "path": "/home/user/.local/bin"}]}))
        .await;
    assert_eq!(sb.user("echo hi").await.stdout, "hi\n");
    s.kill(&sb).await;
    drop(s);
    assert!(!marker.exists(), "fakes ran: {}", std::fs::read_to_string(&marker).unwrap_or_default());
}

#[tokio::test]
async fn a_sandbox_whose_first_process_dies_is_ended_at_once() {
    let s = server(&[]);
    let sb = sandbox(&s).await;
    let root = sb.host_root().await;
    let pid = rustix::process::Pid::from_raw(first_process(root) as i32).unwrap();
    rustix::process::kill_process(pid, rustix::process::Signal::KILL).unwrap();
    let started = Instant::now();
    loop {
        let res = s.api(Method::GET, &format!("/sandboxes/{}", sb.id)).send().await.unwrap();
        if res.status() == 404 {
            break;
        }
        // Seconds, not its two-minute timeout (a loaded machine is given a few).
        assert!(started.elapsed() < Duration::from_secs(10), "the server still thinks the sandbox runs");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let health = sb.envd(Method::GET, "/health").send().await.unwrap();
    assert_eq!(health.status(), 502, "envd calls for it are refused");
    let left = left_over(s.pid(), root);
    assert!(left.is_empty(), "{}: {left:?}", "none of its processes is left");
    // Its cleanup (network, runtime record, root filesystem) follows at once. Its steps run one
    // after another, so no helper process running is not yet the end: the runtime's record must
    // be gone too.
    let records = || std::fs::read_dir(s.data.path().join("runtime")).unwrap().count();
    loop {
        let helpers: Vec<String> = descendants(s.pid())
            .iter()
            .map(|p| std::fs::read_to_string(format!("/proc/{p}/cmdline")).unwrap_or_default().replace('\0', " "))
            .collect();
        if helpers.is_empty() && records() == 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "something of it is left: {helpers:?}, {} records",
            records()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn every_sandbox_needs_its_token_unless_made_without_one() {
    let s = server(&[]);
    // The official SDK 2.51 never sends `secure`.
    let sb = sandbox(&s).await;
    let token = sb.token.clone().expect("a token without asking for one");
    let health = |t: Option<String>| {
        let mut req = s.http.get(format!("{}/health", s.url)).header(headers::SANDBOX_ID, &sb.id);
        if let Some(t) = t {
            req = req.header(headers::ACCESS_TOKEN, t);
        }
        req.send()
    };
    assert_eq!(health(None).await.unwrap().status(), 401);
    let wrong: String = token.chars().rev().collect();
    assert_eq!(health(Some(wrong)).await.unwrap().status(), 401);
    assert_eq!(health(Some(format!("{token}x"))).await.unwrap().status(), 401);
    assert_eq!(health(Some(token)).await.unwrap().status(), 204);
    let open = s.sandbox(json!({"templateID": "base", "secure": false})).await;
    assert!(open.token.is_none());
    assert_eq!(open.envd(Method::GET, "/health").send().await.unwrap().status(), 204);
    s.kill(&sb).await;
    s.kill(&open).await;
}

#[tokio::test]
async fn sandbox_ids_appear_in_no_host_process_arguments() {
    let s = Server::start_with(&[]);
    let sb = sandbox(&s).await;
    sb.user("true").await;
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        if let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) {
            let text = String::from_utf8_lossy(&cmdline);
            assert!(!text.contains(&sb.id), "{} shows the sandbox ID: {text}", entry.path().display());
        }
    }
    s.kill(&sb).await;
}

#[tokio::test]
async fn sandboxes_have_networks_of_their_own() {
    let s = server(&[]);
    let a = sandbox(&s).await;
    let b = sandbox(&s).await;
    let listen = "nohup python3 -m http.server 8765 --bind 127.0.0.1 >/dev/null 2>&1 & sleep 1; curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8765/";
    assert_eq!(a.user(listen).await.stdout, "200", "a reaches its own service");
    let from_b = b.user("curl -s -m 3 -o /dev/null -w '%{http_code}' http://127.0.0.1:8765/; echo -n :$?").await;
    assert!(!from_b.stdout.starts_with("200"), "b reached a's localhost: {}", from_b.stdout);
    let port = s.url.rsplit(':').next().unwrap().to_string();
    let host = a
        .user(&format!("curl -s -m 3 -o /dev/null -w '%{{http_code}}' http://127.0.0.1:{port}/health; echo -n :$?"))
        .await;
    assert!(host.stdout.starts_with("000"), "the host's loopback is out of reach: {}", host.stdout);

    let offline = s.sandbox(json!({"templateID": "base", "allow_internet_access": false})).await;
    let links = offline.user("ls /sys/class/net; ip route").await.stdout;
    assert_eq!(links.trim(), "lo", "no interface but loopback, no route: {links}");
    let online = a.user("ip route").await.stdout;
    assert!(online.contains("default via"), "with internet access a route goes out: {online}");
    for sb in [a, b, offline] {
        s.kill(&sb).await;
    }
}

#[tokio::test]
async fn limits_hold_memory_processes_cpu_files_and_sandboxes() {
    let s = server(&[
        "--sandbox-memory-mb",
        "256",
        "--sandbox-pids",
        "64",
        "--sandbox-tmp-mb",
        "8",
        "--max-sandboxes",
        "2",
    ]);
    let sb = sandbox(&s).await;
    let detail = expect(s.api(Method::GET, &format!("/sandboxes/{}", sb.id)).send().await.unwrap(), 200).await;
    assert_eq!((detail["memoryMB"].as_u64(), detail["cpuCount"].as_u64()), (Some(256), Some(2)), "{detail}");
    let init = first_process(sb.host_root().await);
    let memory = std::fs::read_to_string(cgroup_dir(init, "memory").join("memory.limit_in_bytes"))
        .or_else(|_| std::fs::read_to_string(cgroup_dir(init, "memory").join("memory.max")))
        .unwrap();
    assert_eq!(memory.trim(), (256u64 << 20).to_string());
    let cpu = std::fs::read_to_string(cgroup_dir(init, "cpu").join("cpu.cfs_quota_us")).unwrap_or_default();
    assert_eq!(cpu.trim(), "200000", "two CPUs' worth");

    let hog = sb.root("python3 -c 'b = bytearray(1 << 30); print(len(b))'").await;
    assert_ne!(hog.code, 0, "1 GiB fit in 256 MiB: {hog:?}");
    let bomb = sb
        .root("for i in $(seq 100); do sleep 30 & done 2>&1 | grep -c 'Resource temporarily unavailable'; true")
        .await;
    assert!(bomb.stdout.trim().parse::<u32>().unwrap_or(0) > 0, "100 processes started under a limit of 64: {bomb:?}");
    let fill = sb.root("dd if=/dev/zero of=/tmp/fill bs=1M count=16 2>&1").await;
    assert!(fill.stdout.contains("No space left"), "/tmp grew past its size: {fill:?}");
    assert_eq!(s.api(Method::GET, "/sandboxes").send().await.unwrap().status(), 405, "the server still answers");

    let second = sandbox(&s).await;
    let third = s.api(Method::POST, "/sandboxes").json(&json!({"templateID": "base"})).send().await.unwrap();
    assert_eq!(third.status(), 429, "a third sandbox past the cap of two");
    s.kill(&sb).await;
    s.kill(&second).await;
}

#[tokio::test]
async fn hostile_files_get_a_clear_error_and_stall_nothing() {
    let s = server(&[]);
    let v = s.volume("hostile").await;
    let sb = s.sandbox(json!({"templateID": "base", "volumeMounts": [{"name": "hostile", "path": "/mnt/v"}]})).await;
    assert_eq!(
        sb.root(
            "mkfifo /mnt/v/fifo && python3 -c \"import socket; socket.socket(socket.AF_UNIX).bind('/mnt/v/sock')\""
        )
        .await
        .code,
        0
    );
    let quick = Duration::from_secs(5);
    for path in ["/fifo", "/sock"] {
        let res = tokio::time::timeout(quick, v.read(path)).await.expect("a special file stalls the volume API");
        assert_eq!(res.status(), 400, "{path}");
    }
    let envd_read = sb.envd(Method::GET, "/files").query(&[("path", "/mnt/v/fifo"), ("username", "root")]).send();
    let res = tokio::time::timeout(quick, envd_read).await.expect("a FIFO stalls envd").unwrap();
    assert_eq!(res.status(), 400);
    let proc_file = sb.envd(Method::GET, "/files").query(&[("path", "/proc/self/status")]).send().await.unwrap();
    assert_eq!(proc_file.status(), 200);
    assert!(proc_file.text().await.unwrap().contains("Name:"), "a /proc file is read to its end");

    // 3000 levels, made without ever naming a long path.
    let deep = "python3 -c \"import os\nos.chdir('/mnt/v')\nfor i in range(3000):\n    os.mkdir('d'); os.chdir('d')\"";
    assert_eq!(sb.root(deep).await.code, 0);
    expect(v.list("/", Some("10")).await, 200).await;
    expect(v.list("/", Some("11")).await, 400).await;
    let list = |depth: u32| {
        sb.envd(Method::POST, &rpc_path(filesystem::SERVICE, filesystem::method::LIST_DIR))
            .header("content-type", "application/json")
            .json(&json!({"path": "/mnt/v", "depth": depth}))
            .send()
    };
    assert_eq!(list(10).await.unwrap().status(), 200);
    assert_eq!(list(3000).await.unwrap().status(), 400);
    assert_eq!(s.api(Method::GET, "/volumes").send().await.unwrap().status(), 200, "the server still answers");
    s.kill(&sb).await;
}

#[tokio::test]
async fn nul_bytes_and_oversized_input_are_refused_with_400() {
    let s = server(&[]);
    let v = s.volume("nul").await;
    for path in ["a\0b", &"a/".repeat(3000)] {
        expect(v.stat(path).await, 400).await;
        expect(v.write(path, "x", &[]).await, 400).await;
    }
    let sb = sandbox(&s).await;
    let read = sb.envd(Method::GET, "/files").query(&[("path", "a\0b")]).send().await.unwrap();
    assert_eq!(read.status(), 400);
    let stat = sb
        .envd(Method::POST, &rpc_path(filesystem::SERVICE, filesystem::method::STAT))
        .header("content-type", "application/json")
        .json(&json!({"path": "a\u{0}b"}))
        .send()
        .await
        .unwrap();
    assert_eq!(stat.status(), 400);
    let huge = "x".repeat(2 << 20);
    let start = sb.root(&format!("echo {huge}")).await;
    assert_eq!(start.status, 400, "a 2 MiB command line never starts");
    let bad_env = s.api(Method::POST, "/sandboxes").json(&json!({"templateID": "base", "envVars": {"A": "x\u{0}y"}}));
    expect(bad_env.send().await.unwrap(), 400).await;
    let bad_mount = json!({"templateID": "base", "volumeMounts": [{"name": "nul", "path": "/mnt/a\u{0}b"}]});
    expect(s.api(Method::POST, "/sandboxes").json(&bad_mount).send().await.unwrap(), 400).await;
    s.kill(&sb).await;
}

#[tokio::test]
async fn slow_and_idle_connections_are_cut_off() {
    let s = server(&["--header-timeout-secs", "1", "--idle-timeout-secs", "2"]);
    let addr = s.url.trim_start_matches("http://").to_string();
    let closed_within = |mut conn: std::net::TcpStream, limit: Duration| {
        conn.set_read_timeout(Some(limit)).unwrap();
        let started = Instant::now();
        let mut buf = [0u8; 256];
        loop {
            match conn.read(&mut buf) {
                Ok(0) => return started.elapsed(),
                Ok(_) => continue,
                Err(e) => panic!("still open after {:?}: {e}", started.elapsed()),
            }
        }
    };
    let idle = std::net::TcpStream::connect(&addr).unwrap();
    assert!(closed_within(idle, Duration::from_secs(5)) < Duration::from_secs(4));
    let mut slow = std::net::TcpStream::connect(&addr).unwrap();
    slow.write_all(b"GET /volumes HTTP/1.1\r\nHost: x\r\n").unwrap();
    assert!(closed_within(slow, Duration::from_secs(5)) < Duration::from_secs(4));

    // An upload that stops halfway is cut off, and leaves no file.
    let v = s.volume("slow").await;
    let mut upload = std::net::TcpStream::connect(&addr).unwrap();
    let head = format!(
        "PUT /volumecontent/{}/file?path=/half HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Length: 1000\r\n\r\n0123456789",
        v.id, v.token
    );
    upload.write_all(head.as_bytes()).unwrap();
    closed_within(upload, Duration::from_secs(6));
    // A fresh client: the idle timeout also closed the test client's pooled connections.
    let v = common::Vol { http: reqwest::Client::new(), ..v };
    expect(v.stat("/half").await, 404).await;
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_their_turn() {
    let s = server(&["--max-connections", "1"]);
    let addr = s.url.trim_start_matches("http://").to_string();
    let holder = std::net::TcpStream::connect(&addr).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let waiting = std::thread::spawn(move || {
        let mut late = std::net::TcpStream::connect(&addr).unwrap();
        late.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
        let started = Instant::now();
        let mut reply = String::new();
        late.read_to_string(&mut reply).unwrap();
        (started.elapsed(), reply)
    });
    std::thread::sleep(Duration::from_millis(700));
    drop(holder);
    let (waited, reply) = waiting.join().unwrap();
    assert!(waited >= Duration::from_millis(500), "the second connection was served at once ({waited:?})");
    assert!(reply.starts_with("HTTP/1.1 "), "and it is served once the first closes: {reply}");
}

#[tokio::test]
async fn only_the_api_key_in_use_is_valid() {
    let mut s = Server::start_with(&["--warm-sandboxes", "0", "--api-key", "e2b_old"]);
    assert_eq!(s.api(Method::GET, "/volumes").send().await.unwrap().status(), 200);
    s.restart_with(&["--warm-sandboxes", "0", "--api-key", "e2b_new"]);
    let old = s.http.get(format!("{}/volumes", s.url)).header(headers::API_KEY, "e2b_old").send().await.unwrap();
    assert_eq!(old.status(), 401, "a rotated-out key");
    let new = s.http.get(format!("{}/volumes", s.url)).header(headers::API_KEY, "e2b_new").send().await.unwrap();
    assert_eq!(new.status(), 200);
}

#[tokio::test]
async fn sigterm_ends_sandboxes_first_and_the_server_within_its_grace() {
    let mut s = server(&["--shutdown-grace-secs", "2"]);
    let sb = sandbox(&s).await;
    let root = sb.host_root().await;
    // A command stream held open by a command that would run for a day.
    let pending = tokio::spawn(async move { sb.user("sleep 86400").await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(processes_of(root).len() >= 2, "envd and the command run");
    let cgroup = cgroup_dir(first_process(root), "memory");
    let took = s.stop();
    assert!(took < Duration::from_secs(5), "the server took {took:?} to stop");
    assert!(!cgroup.exists(), "the sandbox's cgroup outlived the server");
    let _ = tokio::time::timeout(Duration::from_secs(2), pending).await;
    let left = left_over(0, root);
    assert!(left.is_empty(), "{}: {left:?}", "the sandbox survived the server");
}

#[tokio::test]
async fn the_database_and_the_volume_directories_agree_after_a_crash() {
    let mut s = server(&[]);
    let kept = s.volume("kept").await;
    let orphan = s.volumes_dir().join("00000000-0000-4000-8000-00000000abcd");
    std::fs::create_dir(&orphan).unwrap();
    std::fs::remove_dir(&kept.dir).unwrap();
    s.restart_with(&["--warm-sandboxes", "0"]);
    assert!(!orphan.exists(), "a directory without a record is moved out");
    assert!(kept.dir.is_dir(), "a record without a directory gets one again");
    let kept = common::Vol { base: s.url.clone(), ..kept };
    expect(kept.write("/a", "x", &[]).await, 201).await;
}

#[tokio::test]
async fn a_volume_a_running_sandbox_mounts_cannot_be_deleted() {
    let s = server(&[]);
    let v = s.volume("busy").await;
    let sb = s.sandbox(json!({"templateID": "base", "volumeMounts": [{"name": "busy", "path": "/data"}]})).await;
    let refused = s.api(Method::DELETE, &format!("/volumes/{}", v.id)).send().await.unwrap();
    let body = expect(refused, 409).await;
    assert!(body["message"].as_str().unwrap().contains(&sb.id), "{body}");
    s.kill(&sb).await;
    assert_eq!(s.api(Method::DELETE, &format!("/volumes/{}", v.id)).send().await.unwrap().status(), 204);
}

#[tokio::test]
async fn owners_read_the_same_inside_a_sandbox_and_through_the_volume_api() {
    let s = server(&[]);
    let v = s.volume("owners").await;
    expect(v.write("/default", "x", &[]).await, 201).await;
    expect(v.write("/thousand", "x", &[("uid", "1000"), ("gid", "1000")]).await, 201).await;
    let sb = s.sandbox(json!({"templateID": "base", "volumeMounts": [{"name": "owners", "path": "/mnt/o"}]})).await;
    assert_eq!(
        sb.user("stat -c '%u:%g %U' /mnt/o/default /mnt/o/thousand").await.stdout,
        "9090:9090 UNKNOWN\n1000:1000 user\n"
    );
    sb.user("echo u > /mnt/o/by-user").await;
    sb.root("echo r > /mnt/o/by-root").await;
    for (path, uid) in [("/by-user", 1000), ("/by-root", 0)] {
        let stat = expect(v.stat(path).await, 200).await;
        assert_eq!((stat["uid"].as_u64(), stat["gid"].as_u64()), (Some(uid), Some(uid)), "{path}: {stat}");
    }
    s.kill(&sb).await;
}

#[tokio::test]
async fn a_local_unprivileged_user_reaches_nothing() {
    let s = server(&[]);
    let sb = sandbox(&s).await;
    let init = first_process(sb.host_root().await);
    let bundles: Vec<_> = std::fs::read_dir("/run/e2b-local/bundles").unwrap().flatten().map(|e| e.path()).collect();
    let socket = bundles.iter().map(|b| b.join("envd.sock")).find(|p| p.exists()).expect("an envd socket");
    let probes = format!(
        "ls {data} 2>/dev/null && echo DATA; ls /run/e2b-local/bundles 2>/dev/null && echo BUNDLES; \
         cat /proc/{init}/environ 2>/dev/null && echo ENVIRON; \
         python3 -c \"import socket; socket.socket(socket.AF_UNIX).connect('{sock}')\" 2>/dev/null && echo SOCKET; true",
        data = s.data.path().display(),
        sock = socket.display(),
    );
    let out = std::process::Command::new("/bin/sh").args(["-c", &probes]).uid(65534).gid(65534).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for leak in ["DATA", "BUNDLES", "ENVIRON", "SOCKET"] {
        assert!(!text.contains(leak), "a local user got through to {leak}: {text}");
    }
    let _ = sb;
}

#[tokio::test]
async fn nothing_is_left_after_kill_and_timeout() {
    let s = server(&[]);
    let v = s.volume("left").await;
    let sb = s
        .sandbox(json!({"templateID": "base", "timeout": 60, "volumeMounts": [{"name": "left", "path": "/mnt/l"}]}))
        .await;
    let root = sb.host_root().await;
    let init = first_process(root);
    let cgroups: Vec<_> = ["memory", "pids", "cpu", "freezer"].map(|c| cgroup_dir(init, c)).into();
    assert!(cgroups.iter().all(|c| c.is_dir()));
    let mounts = std::fs::read_to_string(format!("/proc/{}/mountinfo", s.pid())).unwrap();
    assert!(mounts.contains("/run/e2b-local/bundles/"), "the root filesystem is mounted in the server's namespace");
    s.kill(&sb).await;
    let left = left_over(s.pid(), root);
    assert!(left.is_empty(), "{}: {left:?}", "no process left");
    for c in &cgroups {
        assert!(!c.exists(), "{} is left", c.display());
    }
    let mounts = std::fs::read_to_string(format!("/proc/{}/mountinfo", s.pid())).unwrap();
    assert!(!mounts.contains("/run/e2b-local/bundles/"), "a mount is left: {mounts}");
    let namespaces: Vec<_> = std::fs::read_dir(format!("/proc/{}/fd", s.pid()))
        .unwrap()
        .flatten()
        .filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .filter(|target| target.to_string_lossy().contains("net:["))
        .collect();
    assert!(namespaces.is_empty(), "the server still holds a network namespace: {namespaces:?}");
    assert!(!mounts.contains(&v.id), "the volume is still mounted somewhere");

    let short = s.sandbox(json!({"templateID": "base", "timeout": 1})).await;
    let root = short.host_root().await;
    tokio::time::sleep(Duration::from_millis(1800)).await;
    expect(s.api(Method::GET, &format!("/sandboxes/{}", short.id)).send().await.unwrap(), 404).await;
    let left = left_over(s.pid(), root);
    assert!(left.is_empty(), "{}: {left:?}", "no process left after the timeout");
    let _: Value = Value::Null;
}
