//! Test harness: a real e2b-local process on an ephemeral loopback port with a temp data dir.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use e2b_wire::envd::{process, rpc_path};
use e2b_wire::{connect, headers};
use reqwest::{Client, Method, RequestBuilder, Response};
use serde_json::Value;

pub struct Server {
    child: Child,
    pub url: String,
    pub api_key: String,
    pub data: tempfile::TempDir,
    extra: Vec<String>,
    env: Vec<(String, String)>,
    pub http: Client,
}

impl Server {
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    pub fn start_with(extra: &[&str]) -> Self {
        Self::start_with_env(extra, &[])
    }

    /// Starts a server with extra arguments and extra environment variables.
    pub fn start_with_env(extra: &[&str], env: &[(&str, &str)]) -> Self {
        let data = tempfile::tempdir().unwrap();
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        let env: Vec<(String, String)> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let (child, url, api_key) = spawn(data.path(), &extra, &env);
        Self { child, url, api_key, data, extra, env, http: Client::new() }
    }

    /// Sends SIGTERM and waits for the exit, however long it takes; returns how long it took.
    pub fn stop(&mut self) -> std::time::Duration {
        let started = std::time::Instant::now();
        let pid = rustix::process::Pid::from_raw(self.child.id() as i32).unwrap();
        rustix::process::kill_process(pid, rustix::process::Signal::TERM).unwrap();
        let status = self.child.wait().unwrap();
        assert!(status.success(), "clean exit on SIGTERM, got {status}");
        started.elapsed()
    }

    /// Stops the server and starts it again on the same data, with `extra` arguments instead.
    pub fn restart_with(&mut self, extra: &[&str]) {
        self.stop();
        self.extra = extra.iter().map(|s| s.to_string()).collect();
        let (child, url, api_key) = spawn(self.data.path(), &self.extra, &self.env);
        (self.child, self.url, self.api_key) = (child, url, api_key);
    }

    /// Stops the process gracefully and starts a new one on the same data dir.
    pub fn restart(&mut self) {
        rustix::process::kill_process(
            rustix::process::Pid::from_raw(self.child.id() as i32).unwrap(),
            rustix::process::Signal::TERM,
        )
        .unwrap();
        let status = self.child.wait().unwrap();
        assert!(status.success(), "clean exit on SIGTERM, got {status}");
        let (child, url, api_key) = spawn(self.data.path(), &self.extra, &self.env);
        self.child = child;
        self.url = url;
        assert_eq!(self.api_key, api_key, "the generated API key is kept");
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn volumes_dir(&self) -> PathBuf {
        self.data.path().join("volumes")
    }

    pub fn api(&self, method: Method, path: &str) -> RequestBuilder {
        self.http.request(method, format!("{}{path}", self.url)).header("X-API-Key", &self.api_key)
    }

    /// Creates a volume and returns a handle for its content API.
    pub async fn volume(&self, name: &str) -> Vol {
        let res = self.api(Method::POST, "/volumes").json(&serde_json::json!({ "name": name })).send().await.unwrap();
        assert_eq!(res.status(), 201);
        let v: Value = res.json().await.unwrap();
        Vol {
            id: v["volumeID"].as_str().unwrap().to_string(),
            token: v["token"].as_str().unwrap().to_string(),
            base: self.url.clone(),
            http: self.http.clone(),
            dir: self.volumes_dir().join(v["volumeID"].as_str().unwrap()),
        }
    }
}

impl Drop for Server {
    /// Stops the server as people do (SIGTERM), so that it removes its sandboxes.
    fn drop(&mut self) {
        if let Some(pid) = rustix::process::Pid::from_raw(self.child.id() as i32) {
            let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
        }
        let _ = self.child.wait();
    }
}

fn spawn(data: &Path, extra: &[String], env: &[(String, String)]) -> (Child, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_e2b-local"))
        .args(["serve", "--port", "0", "--data-dir"])
        .arg(data)
        .args(extra)
        .env("RUST_LOG", "warn")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let (mut url, mut key) = (None, None);
    while url.is_none() || key.is_none() {
        let line = lines.next().expect("server printed its banner").unwrap();
        if let Some(u) = line.strip_prefix("export E2B_API_URL=") {
            url = Some(u.to_string());
        }
        if let Some(k) = line.strip_prefix("export E2B_API_KEY=") {
            key = Some(k.to_string());
        }
    }
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    let url = url.unwrap();
    assert!(url.starts_with("http://127.0.0.1:"), "binds loopback: {url}");
    (child, url, key.unwrap())
}

/// One volume's content API.
#[derive(Clone)]
pub struct Vol {
    pub id: String,
    pub token: String,
    pub base: String,
    pub http: Client,
    /// The volume's directory on the host.
    pub dir: PathBuf,
}

impl Vol {
    pub fn req(&self, method: Method, route: &str, query: &[(&str, &str)]) -> RequestBuilder {
        self.http
            .request(method, format!("{}/volumecontent/{}/{route}", self.base, self.id))
            .bearer_auth(&self.token)
            .query(query)
    }

    pub async fn write(&self, path: &str, body: impl Into<reqwest::Body>, extra: &[(&str, &str)]) -> Response {
        let mut q = vec![("path", path)];
        q.extend_from_slice(extra);
        self.req(Method::PUT, "file", &q).body(body).send().await.unwrap()
    }

    pub async fn read(&self, path: &str) -> Response {
        self.req(Method::GET, "file", &[("path", path)]).send().await.unwrap()
    }

    pub async fn stat(&self, path: &str) -> Response {
        self.req(Method::GET, "path", &[("path", path)]).send().await.unwrap()
    }

    pub async fn mkdir(&self, path: &str, extra: &[(&str, &str)]) -> Response {
        let mut q = vec![("path", path)];
        q.extend_from_slice(extra);
        self.req(Method::POST, "dir", &q).send().await.unwrap()
    }

    pub async fn list(&self, path: &str, depth: Option<&str>) -> Response {
        let mut q = vec![("path", path)];
        if let Some(d) = depth {
            q.push(("depth", d));
        }
        self.req(Method::GET, "dir", &q).send().await.unwrap()
    }

    pub async fn remove(&self, path: &str) -> Response {
        self.req(Method::DELETE, "path", &[("path", path)]).send().await.unwrap()
    }
}

/// Asserts the status and returns the JSON body.
pub async fn expect(res: Response, status: u16) -> Value {
    let got = res.status().as_u16();
    let text = res.text().await.unwrap();
    assert_eq!(got, status, "body: {text}");
    if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    }
}

/// Asserts a content-API error: status and string code.
pub async fn expect_content_error(res: Response, status: u16) -> Value {
    let body = expect(res, status).await;
    assert!(body["code"].is_string(), "content errors carry a string code: {body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "message: {body}");
    body
}

/// A sandbox of a test server, reached through its envd.
pub struct Sbx {
    pub id: String,
    pub token: Option<String>,
    base: String,
    http: Client,
}

/// What a command did.
#[derive(Debug)]
pub struct Ran {
    /// HTTP status of the call (200 once the stream started).
    pub status: u16,
    pub code: i64,
    pub stdout: String,
    pub stderr: String,
}

impl Server {
    /// Creates a sandbox from `body` (a `NewSandbox`); panics unless it starts.
    pub async fn sandbox(&self, body: Value) -> Sbx {
        let created = expect(self.api(Method::POST, "/sandboxes").json(&body).send().await.unwrap(), 201).await;
        Sbx {
            id: created["sandboxID"].as_str().unwrap().to_string(),
            token: created["envdAccessToken"].as_str().map(String::from),
            base: self.url.clone(),
            http: self.http.clone(),
        }
    }

    /// Kills a sandbox.
    pub async fn kill(&self, sandbox: &Sbx) {
        let res = self.api(Method::DELETE, &format!("/sandboxes/{}", sandbox.id)).send().await.unwrap();
        assert_eq!(res.status(), 204);
    }
}

impl Sbx {
    /// A request to this sandbox's envd, with its ID and token.
    pub fn envd(&self, method: Method, path: &str) -> RequestBuilder {
        let mut req = self.http.request(method, format!("{}{path}", self.base)).header(headers::SANDBOX_ID, &self.id);
        if let Some(t) = &self.token {
            req = req.header(headers::ACCESS_TOKEN, t);
        }
        req
    }

    /// Runs `cmd` with bash as `user` and waits for its end.
    pub async fn run_as(&self, user: &str, cmd: &str) -> Ran {
        use base64::Engine as _;
        let payload =
            serde_json::to_vec(&serde_json::json!({"process": {"cmd": "/bin/bash", "args": ["-c", cmd]}})).unwrap();
        let auth = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:")));
        let res = self
            .envd(Method::POST, &rpc_path(process::SERVICE, process::method::START))
            .header("content-type", connect::STREAM_CONTENT_TYPE)
            .header("authorization", auth)
            .body(connect::envelope(0, &payload))
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let bytes = res.bytes().await.unwrap();
        let mut ran = Ran { status, code: -999, stdout: String::new(), stderr: String::new() };
        if status != 200 {
            ran.stderr = String::from_utf8_lossy(&bytes).into_owned();
            return ran;
        }
        let mut reader = connect::EnvelopeReader::default();
        reader.push(&bytes);
        let decode = |b64: &str| {
            String::from_utf8_lossy(&base64::engine::general_purpose::STANDARD.decode(b64).unwrap()).into_owned()
        };
        while let Some(envelope) = reader.next_envelope() {
            let msg: Value = serde_json::from_slice(&envelope.payload).unwrap();
            if let Some(d) = msg["event"]["data"]["stdout"].as_str() {
                ran.stdout.push_str(&decode(d));
            }
            if let Some(d) = msg["event"]["data"]["stderr"].as_str() {
                ran.stderr.push_str(&decode(d));
            }
            if let Some(end) = msg["event"].get("end") {
                ran.code = end["exitCode"].as_i64().unwrap_or(0);
            }
        }
        ran
    }

    /// Runs `cmd` as the sandbox's root.
    pub async fn root(&self, cmd: &str) -> Ran {
        self.run_as("root", cmd).await
    }

    /// Runs `cmd` as the sandbox's user.
    pub async fn user(&self, cmd: &str) -> Ran {
        self.run_as("user", cmd).await
    }
}

/// Host PIDs of the processes descending from `pid`.
pub fn descendants(pid: u32) -> Vec<u32> {
    let mut found = Vec::new();
    let mut frontier = vec![pid];
    while let Some(pid) = frontier.pop() {
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { continue };
        for task in tasks.flatten() {
            let children = std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
            for child in children.split_whitespace().filter_map(|c| c.parse::<u32>().ok()) {
                found.push(child);
                frontier.push(child);
            }
        }
    }
    found
}

/// The real uid of a host process, if it still exists.
pub fn uid_of(pid: u32) -> Option<u32> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|l| l.strip_prefix("Uid:"))?.split_whitespace().next()?.parse().ok()
}

fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(") ")?.1.split(' ').nth(1)?.parse().ok()
}

/// Host PIDs of the live (not zombie) processes running as any of a sandbox's users (host uids
/// `root..root+65536`).
pub fn processes_of(root: u32) -> Vec<u32> {
    let pids =
        std::fs::read_dir("/proc").unwrap().flatten().filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok());
    pids.filter(|p| uid_of(*p).is_some_and(|u| (root..root + 65536).contains(&u)) && !is_zombie(*p)).collect()
}

fn is_zombie(pid: u32) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit_once(") ").is_some_and(|(_, rest)| rest.starts_with('Z'))
}

/// Waits (10 s at most) until no process runs as a sandbox's users any more, and no process the
/// server ran for it is left; returns what is still there (empty: all gone).
pub fn left_over(server_pid: u32, root: u32) -> Vec<String> {
    let started = std::time::Instant::now();
    loop {
        let left: Vec<u32> = processes_of(root).into_iter().chain(descendants(server_pid)).collect();
        if left.is_empty() || started.elapsed() > std::time::Duration::from_secs(10) {
            return left
                .iter()
                .map(|p| format!("{p}: {}", std::fs::read_to_string(format!("/proc/{p}/stat")).unwrap_or_default()))
                .collect();
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// The host PID of a sandbox's first process (envd, PID 1 inside), given its root's host uid.
pub fn first_process(root: u32) -> u32 {
    let mine = processes_of(root);
    let first = mine.iter().find(|p| {
        let comm = std::fs::read_to_string(format!("/proc/{p}/comm")).unwrap_or_default();
        comm.trim() == "envd" && parent_of(**p).is_some_and(|parent| !mine.contains(&parent))
    });
    *first.expect("the sandbox's first process")
}

impl Sbx {
    /// The host uid its root runs as.
    pub async fn host_root(&self) -> u32 {
        let map = self.root("cat /proc/self/uid_map").await.stdout;
        map.split_whitespace().nth(1).expect("a uid map").parse().unwrap()
    }
}

/// `Authorization: Basic base64("<user>:")`, as the SDKs name the user of an envd call.
pub fn basic_auth(user: &str) -> String {
    use base64::Engine as _;
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:")))
}

/// A streamed envd reply, read one envelope at a time as it arrives.
pub struct Envelopes {
    res: Response,
    reader: connect::EnvelopeReader,
    /// How the stream ended: `None` while open, `Some(None)` at a clean end of the body,
    /// `Some(Some(error))` when the connection broke.
    pub closed: Option<Option<String>>,
}

impl Envelopes {
    /// Reads the stream of `res`.
    pub fn new(res: Response) -> Self {
        Self { res, reader: connect::EnvelopeReader::default(), closed: None }
    }

    /// The next envelope; `None` once the body has ended (see `closed`) or after `wait`.
    pub async fn next(&mut self, wait: std::time::Duration) -> Option<connect::Envelope> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(e) = self.reader.next_envelope() {
                return Some(e);
            }
            if self.closed.is_some() {
                return None;
            }
            match tokio::time::timeout_at(deadline, self.res.chunk()).await {
                Err(_) => return None,
                Ok(Ok(Some(bytes))) => self.reader.push(&bytes),
                Ok(Ok(None)) => self.closed = Some(None),
                Ok(Err(e)) => self.closed = Some(Some(e.to_string())),
            }
        }
    }

    /// The next envelope as JSON, panicking if none comes within `wait`.
    pub async fn message(&mut self, wait: std::time::Duration) -> (bool, Value) {
        let e = self.next(wait).await.unwrap_or_else(|| panic!("no envelope within {wait:?} ({:?})", self.closed));
        (e.is_end(), serde_json::from_slice(&e.payload).unwrap())
    }

    /// Every envelope until the stream ends, as (is the end, JSON).
    pub async fn rest(&mut self, wait: std::time::Duration) -> Vec<(bool, Value)> {
        let mut all = Vec::new();
        while let Some(e) = self.next(wait).await {
            all.push((e.is_end(), serde_json::from_slice(&e.payload).unwrap()));
        }
        all
    }
}

impl Sbx {
    /// A unary Connect call to envd's `service`/`method` as `user` (none: no Authorization);
    /// returns the HTTP status and the JSON reply.
    pub async fn rpc_as(&self, user: Option<&str>, service: &str, method: &str, body: Value) -> (u16, Value) {
        let mut req = self.envd(Method::POST, &rpc_path(service, method)).json(&body);
        if let Some(user) = user {
            req = req.header("authorization", basic_auth(user));
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    /// A unary Connect call as the sandbox's user.
    pub async fn rpc(&self, service: &str, method: &str, body: Value) -> (u16, Value) {
        self.rpc_as(Some("user"), service, method, body).await
    }

    /// Opens a server-streaming Connect call with `headers`; returns the reply once its head arrives.
    pub async fn stream(&self, service: &str, method: &str, body: Value, headers: &[(&str, &str)]) -> Response {
        let mut req = self
            .envd(Method::POST, &rpc_path(service, method))
            .header("content-type", connect::STREAM_CONTENT_TYPE)
            .body(connect::envelope(0, &serde_json::to_vec(&body).unwrap()));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        req.send().await.unwrap()
    }
}

impl Server {
    /// This server's sandbox `id` (with its envd token), made some other way than [`Server::sandbox`].
    pub fn sbx(&self, id: &str, token: Option<&str>) -> Sbx {
        Sbx { id: id.to_string(), token: token.map(String::from), base: self.url.clone(), http: self.http.clone() }
    }
}
