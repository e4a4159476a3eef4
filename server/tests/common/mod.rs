//! Test harness: a real e2b-local process on an ephemeral loopback port with a temp data dir.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use reqwest::{Client, Method, RequestBuilder, Response};
use serde_json::Value;

pub struct Server {
    child: Child,
    pub url: String,
    pub api_key: String,
    pub data: tempfile::TempDir,
    extra: Vec<String>,
    pub http: Client,
}

impl Server {
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    pub fn start_with(extra: &[&str]) -> Self {
        let data = tempfile::tempdir().unwrap();
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        let (child, url, api_key) = spawn(data.path(), &extra);
        Self { child, url, api_key, data, extra, http: Client::new() }
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
        let (child, url, api_key) = spawn(self.data.path(), &self.extra);
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
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(data: &Path, extra: &[String]) -> (Child, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_e2b-local"))
        .args(["serve", "--port", "0", "--data-dir"])
        .arg(data)
        .args(extra)
        .env("RUST_LOG", "warn")
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
