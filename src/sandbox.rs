//! `Sandbox`: create, connect, list and kill sandboxes (with volume mounts), and reach their
//! files and commands through envd.

use std::rc::Rc;

use crate::js::set;
use e2b_wire::sandboxes::{NewSandbox, Sandbox as WireSandbox, SandboxDetail, SandboxTimeout, SandboxVolumeMount};
use js_sys::{Array, Date, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;

use crate::commands::Commands;
use crate::config::ApiConfig;
use crate::envd::{self, Envd};
use crate::errors::{self, Family};
use crate::filesystem::Filesystem;
use crate::http::{self, api_call, Deadline};
use crate::options::Options;

/// Default lifetime of a sandbox.
const DEFAULT_TIMEOUT_MS: f64 = 300_000.0;

/// What a sandbox object knows: its identity, envd access, and the options it was made with.
pub struct SandboxData {
    pub id: String,
    pub sandbox_domain: Option<String>,
    pub envd_version: String,
    pub envd_token: Option<String>,
    pub traffic_token: Option<String>,
    /// The connection options given at creation, reused by instance calls.
    pub opts: JsValue,
}

impl SandboxData {
    /// Per-call options over the sandbox's own.
    pub fn merged(&self, call: &Option<JsValue>) -> Options {
        let merged = Object::new();
        if self.opts.is_object() {
            Object::assign(&merged, self.opts.unchecked_ref());
        }
        if let Some(c) = call.as_ref().filter(|c| c.is_object()) {
            Object::assign(&merged, c.unchecked_ref());
        }
        Options::new(Some(merged.into()))
    }

    /// envd of this sandbox, for calls with `opts`.
    pub fn envd(&self, opts: &Options) -> Envd {
        let cfg = ApiConfig::new(opts);
        let sandbox_url = opts.string("sandboxUrl").or_else(|| crate::env::var("E2B_SANDBOX_URL"));
        Envd {
            url: envd::base_url(sandbox_url, cfg.debug, &cfg.domain, &self.id, self.sandbox_domain.as_deref()),
            sandbox_id: self.id.clone(),
            token: self.envd_token.clone(),
            logger: cfg.logger.clone(),
            headers: cfg.headers.clone(),
        }
    }
}

use wasm_bindgen::JsCast;

/// A sandbox: a small Linux machine, here or in E2B's cloud.
#[wasm_bindgen(skip_typescript)]
pub struct Sandbox {
    data: Rc<SandboxData>,
}

fn path_of(id: &str) -> String {
    format!("/sandboxes/{}", String::from(js_sys::encode_uri_component(id)))
}

fn timeout_secs(ms: f64) -> i32 {
    (ms / 1000.0).ceil().clamp(0.0, i32::MAX as f64) as i32
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, JsValue> {
    let v = serde_wasm_bindgen::Serializer::json_compatible();
    Ok(String::from(js_sys::JSON::stringify(&value.serialize(&v)?)?))
}

/// `volumeMounts: { [path]: Volume | name }` → `[{name, path}]`.
fn mounts_of(value: Option<JsValue>) -> Result<Option<Vec<SandboxVolumeMount>>, JsValue> {
    let Some(value) = value else { return Ok(None) };
    let mut out = Vec::new();
    for entry in Object::entries(value.unchecked_ref()).iter() {
        let pair: Array = entry.unchecked_into();
        let path = pair.get(0).as_string().unwrap_or_default();
        let v = pair.get(1);
        let name = if let Some(n) = v.as_string() {
            n
        } else {
            Reflect::get(&v, &"name".into())?.as_string().ok_or_else(|| {
                errors::invalid_argument(&format!("volumeMounts['{path}'] must be a Volume or a volume name"))
            })?
        };
        out.push(SandboxVolumeMount { name, path });
    }
    Ok(Some(out))
}

fn string_map(value: Option<JsValue>) -> Option<std::collections::BTreeMap<String, String>> {
    let value = value?;
    let mut map = std::collections::BTreeMap::new();
    for entry in Object::entries(value.unchecked_ref()).iter() {
        let pair: Array = entry.unchecked_into();
        if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
            map.insert(k, v);
        }
    }
    Some(map)
}

/// `SandboxInfo` from a sandbox detail.
fn info(d: SandboxDetail, sandbox_domain: Option<String>) -> JsValue {
    let obj = Object::new();
    set(&obj, "sandboxId", &d.sandbox_id.into());
    set(&obj, "templateId", &d.template_id.into());
    if let Some(alias) = d.alias {
        set(&obj, "name", &alias.into());
    }
    let meta = Object::new();
    for (k, v) in d.metadata {
        set(&meta, &k, &v.into());
    }
    set(&obj, "metadata", &meta);
    set(&obj, "startedAt", &Date::new(&d.started_at.into()));
    set(&obj, "endAt", &Date::new(&d.end_at.into()));
    set(&obj, "state", &d.state.into());
    set(&obj, "cpuCount", &d.cpu_count.into());
    set(&obj, "memoryMB", &d.memory_mb.into());
    set(&obj, "envdVersion", &d.envd_version.into());
    if let Some(a) = d.allow_internet_access {
        set(&obj, "allowInternetAccess", &a.into());
    }
    if let Some(domain) = d.domain.or(sandbox_domain) {
        set(&obj, "sandboxDomain", &domain.into());
    }
    let mounts = Array::new();
    for m in d.volume_mounts {
        let o = Object::new();
        set(&o, "name", &m.name.into());
        set(&o, "path", &m.path.into());
        mounts.push(&o);
    }
    set(&obj, "volumeMounts", &mounts);
    obj.into()
}

async fn get_detail(cfg: &ApiConfig, id: &str) -> Result<SandboxDetail, JsValue> {
    let (res, flight) = api_call(cfg, "GET", &path_of(id), None).await?;
    if !res.ok() {
        let (code, message) = http::failure(&res, &flight).await;
        if code == Some(404) {
            return Err(errors::sandbox_not_found(&format!("Sandbox {id} not found")));
        }
        return Err(errors::from_status(res.status(), &message, Family::Sandbox));
    }
    Ok(serde_wasm_bindgen::from_value(http::json(&res, &flight).await?)?)
}

async fn kill_by_id(cfg: &ApiConfig, id: &str) -> Result<bool, JsValue> {
    let (res, flight) = api_call(cfg, "DELETE", &path_of(id), None).await?;
    if res.ok() {
        return Ok(true);
    }
    let (code, message) = http::failure(&res, &flight).await;
    if code == Some(404) {
        return Ok(false);
    }
    Err(errors::from_status(res.status(), &message, Family::Sandbox))
}

async fn set_timeout_by_id(cfg: &ApiConfig, id: &str, timeout_ms: f64) -> Result<(), JsValue> {
    let body = to_json(&SandboxTimeout { timeout: timeout_secs(timeout_ms) })?;
    let (res, flight) = api_call(cfg, "POST", &format!("{}/timeout", path_of(id)), Some(body)).await?;
    if res.ok() {
        return Ok(());
    }
    let (code, message) = http::failure(&res, &flight).await;
    if code == Some(404) {
        return Err(errors::sandbox_not_found(&format!("Sandbox {id} not found")));
    }
    Err(errors::from_status(res.status(), &message, Family::Sandbox))
}

async fn connect_by_id(cfg: &ApiConfig, opts: &Options, id: &str, raw_opts: JsValue) -> Result<Sandbox, JsValue> {
    let timeout = opts.number("timeoutMs").unwrap_or(DEFAULT_TIMEOUT_MS);
    let body = to_json(&SandboxTimeout { timeout: timeout_secs(timeout) })?;
    let (res, flight) = api_call(cfg, "POST", &format!("{}/connect", path_of(id)), Some(body)).await?;
    if !res.ok() {
        let (code, message) = http::failure(&res, &flight).await;
        if code == Some(404) {
            return Err(errors::sandbox_not_found(&format!("Paused sandbox {id} not found")));
        }
        return Err(errors::from_status(res.status(), &message, Family::Sandbox));
    }
    let s: WireSandbox = serde_wasm_bindgen::from_value(http::json(&res, &flight).await?)?;
    Ok(Sandbox::from_wire(s, raw_opts))
}

impl Sandbox {
    fn from_wire(s: WireSandbox, opts: JsValue) -> Self {
        Self {
            data: Rc::new(SandboxData {
                id: s.sandbox_id,
                sandbox_domain: s.domain.filter(|d| !d.is_empty()),
                envd_version: s.envd_version,
                envd_token: s.envd_access_token,
                traffic_token: s.traffic_access_token,
                opts,
            }),
        }
    }

    fn promise<F>(&self, f: impl FnOnce(Rc<SandboxData>) -> F) -> Promise
    where
        F: std::future::Future<Output = Result<JsValue, JsValue>> + 'static,
    {
        crate::http::promise(f(self.data.clone()))
    }
}

#[wasm_bindgen]
impl Sandbox {
    /// `Sandbox.create(opts?)` or `Sandbox.create(template, opts?)`.
    pub async fn create(template_or_opts: JsValue, maybe_opts: Option<JsValue>) -> Result<Sandbox, JsValue> {
        let (template, raw) = match template_or_opts.as_string() {
            Some(t) => (Some(t), maybe_opts.unwrap_or(JsValue::UNDEFINED)),
            None => (None, template_or_opts),
        };
        let opts = Options::new(Some(raw.clone()));
        let template = template.or_else(|| opts.string("template")).unwrap_or_else(|| "base".into());
        let cfg = ApiConfig::new(&opts);
        let body = NewSandbox {
            template_id: template,
            timeout: Some(timeout_secs(opts.number("timeoutMs").unwrap_or(DEFAULT_TIMEOUT_MS))),
            secure: Some(opts.boolean("secure").unwrap_or(true)),
            allow_internet_access: Some(opts.boolean("allowInternetAccess").unwrap_or(true)),
            metadata: string_map(opts.get("metadata")),
            env_vars: string_map(opts.get("envs")),
            volume_mounts: mounts_of(opts.get("volumeMounts"))?,
        };
        let (res, flight) = api_call(&cfg, "POST", "/sandboxes", Some(to_json(&body)?)).await?;
        if !res.ok() {
            let (_, message) = http::failure(&res, &flight).await;
            return Err(errors::from_status(res.status(), &message, Family::Sandbox));
        }
        let s: WireSandbox = serde_wasm_bindgen::from_value(http::json(&res, &flight).await?)?;
        if version_below(&s.envd_version, (0, 1, 0)) {
            let _ = kill_by_id(&cfg, &s.sandbox_id).await;
            return Err(errors::template("You need to update the template to use the new SDK."));
        }
        Ok(Sandbox::from_wire(s, raw))
    }

    /// `Sandbox.connect(sandboxId, opts?)`: a running sandbox (its timeout only grows).
    #[wasm_bindgen(js_name = __connect)]
    pub async fn connect_static(sandbox_id: String, opts: Option<JsValue>) -> Result<Sandbox, JsValue> {
        let raw = opts.unwrap_or(JsValue::UNDEFINED);
        let o = Options::new(Some(raw.clone()));
        connect_by_id(&ApiConfig::new(&o), &o, &sandbox_id, raw).await
    }

    /// `Sandbox.kill(sandboxId, opts?)`: false when there was no such sandbox.
    #[wasm_bindgen(js_name = __kill)]
    pub async fn kill_static(sandbox_id: String, opts: Option<JsValue>) -> Result<bool, JsValue> {
        kill_by_id(&ApiConfig::new(&Options::new(opts)), &sandbox_id).await
    }

    /// `Sandbox.getInfo(sandboxId, opts?)`.
    #[wasm_bindgen(js_name = __getInfo)]
    pub async fn get_info_static(sandbox_id: String, opts: Option<JsValue>) -> Result<JsValue, JsValue> {
        Ok(info(get_detail(&ApiConfig::new(&Options::new(opts)), &sandbox_id).await?, None))
    }

    /// `Sandbox.setTimeout(sandboxId, timeoutMs, opts?)`.
    #[wasm_bindgen(js_name = __setTimeout)]
    pub async fn set_timeout_static(sandbox_id: String, timeout_ms: f64, opts: Option<JsValue>) -> Result<(), JsValue> {
        set_timeout_by_id(&ApiConfig::new(&Options::new(opts)), &sandbox_id, timeout_ms).await
    }

    /// `Sandbox.list(opts?)`: a paginator over running sandboxes.
    #[wasm_bindgen(js_name = __list)]
    pub fn list_static(opts: Option<JsValue>) -> SandboxPaginator {
        let o = Options::new(opts.clone());
        SandboxPaginator { opts: opts.unwrap_or(JsValue::UNDEFINED), next_token: o.string("nextToken"), has_next: true }
    }

    /// The sandbox's ID.
    #[wasm_bindgen(getter, js_name = sandboxId)]
    pub fn sandbox_id(&self) -> String {
        self.data.id.clone()
    }

    /// The domain that serves the sandbox, when the API names one.
    #[wasm_bindgen(getter, js_name = sandboxDomain)]
    pub fn sandbox_domain(&self) -> Option<String> {
        self.data.sandbox_domain.clone()
    }

    /// Token for traffic to the sandbox's ports, when required.
    #[wasm_bindgen(getter, js_name = trafficAccessToken)]
    pub fn traffic_access_token(&self) -> Option<String> {
        self.data.traffic_token.clone()
    }

    /// Files inside the sandbox.
    #[wasm_bindgen(getter)]
    pub fn files(&self) -> Filesystem {
        Filesystem::new(self.data.clone())
    }

    /// Commands inside the sandbox.
    #[wasm_bindgen(getter)]
    pub fn commands(&self) -> Commands {
        Commands::new(self.data.clone())
    }

    /// The host under which the sandbox's `port` is reachable.
    #[wasm_bindgen(js_name = getHost)]
    pub fn get_host(&self, port: u16) -> String {
        let opts = self.data.merged(&None);
        let cfg = ApiConfig::new(&opts);
        if cfg.debug {
            return format!("localhost:{port}");
        }
        format!("{port}-{}.{}", self.data.id, self.data.sandbox_domain.clone().unwrap_or(cfg.domain))
    }

    /// Whether the sandbox is running (envd answers its health check).
    #[wasm_bindgen(js_name = isRunning)]
    pub fn is_running(&self, opts: Option<JsValue>) -> Promise {
        self.promise(move |d| async move {
            let o = d.merged(&opts);
            let deadline = Deadline { timeout_ms: o.number("requestTimeoutMs").unwrap_or(5000.0), signal: o.signal() };
            let (res, flight) = d.envd(&o).rest("GET", "/health", None, None, false, &deadline).await?;
            if res.status() == 502 {
                return Ok(false.into());
            }
            if res.ok() {
                return Ok(true.into());
            }
            let (_, message) = http::failure(&res, &flight).await;
            Err(errors::from_envd_status(res.status(), &message, false))
        })
    }

    /// Moves the sandbox's end to `timeoutMs` from now.
    #[wasm_bindgen(js_name = setTimeout)]
    pub fn set_timeout(&self, timeout_ms: f64, opts: Option<JsValue>) -> Promise {
        self.promise(move |d| async move {
            set_timeout_by_id(&ApiConfig::new(&d.merged(&opts)), &d.id, timeout_ms).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Kills the sandbox; resolves `true` (or `false` if it was already gone).
    pub fn kill(&self, opts: Option<JsValue>) -> Promise {
        self.promise(move |d| async move { Ok(kill_by_id(&ApiConfig::new(&d.merged(&opts)), &d.id).await?.into()) })
    }

    /// Information about the sandbox, including its volume mounts.
    #[wasm_bindgen(js_name = getInfo)]
    pub fn get_info(&self, opts: Option<JsValue>) -> Promise {
        self.promise(move |d| async move {
            Ok(info(get_detail(&ApiConfig::new(&d.merged(&opts)), &d.id).await?, d.sandbox_domain.clone()))
        })
    }

    /// Connects again (extending the timeout); resolves to this sandbox.
    pub fn connect(&self, opts: Option<JsValue>) -> Promise {
        self.promise(move |d| async move {
            let o = d.merged(&opts);
            let s = connect_by_id(&ApiConfig::new(&o), &o, &d.id, d.opts.clone()).await?;
            Ok(s.into())
        })
    }
}

/// Pages of `Sandbox.list()`.
#[wasm_bindgen(skip_typescript)]
pub struct SandboxPaginator {
    opts: JsValue,
    next_token: Option<String>,
    has_next: bool,
}

#[wasm_bindgen]
impl SandboxPaginator {
    /// Whether another page can be fetched.
    #[wasm_bindgen(getter, js_name = hasNext)]
    pub fn has_next(&self) -> bool {
        self.has_next
    }

    /// The cursor of the next page.
    #[wasm_bindgen(getter, js_name = nextToken)]
    pub fn next_token(&self) -> Option<String> {
        self.next_token.clone()
    }

    /// Fetches the next page of sandboxes.
    #[wasm_bindgen(js_name = nextItems)]
    pub async fn next_items(&mut self) -> Result<JsValue, JsValue> {
        if !self.has_next {
            return Err(js_sys::Error::new("No more items to fetch").into());
        }
        let opts = Options::new(Some(self.opts.clone()));
        let cfg = ApiConfig::new(&opts);
        let query = Options::new(opts.get("query"));
        let metadata = query.get("metadata").map(|m| {
            // encodeURIComponent on each key and value, joined as a form string.
            let params = web_sys::UrlSearchParams::new().expect("URLSearchParams");
            for entry in Object::entries(m.unchecked_ref()).iter() {
                let pair: Array = entry.unchecked_into();
                let k = js_sys::encode_uri_component(&pair.get(0).as_string().unwrap_or_default());
                let v = js_sys::encode_uri_component(&pair.get(1).as_string().unwrap_or_default());
                params.append(&String::from(k), &String::from(v));
            }
            String::from(params.to_string())
        });
        let state = query
            .get("state")
            .map(|s| Array::from(&s).iter().filter_map(|v| v.as_string()).collect::<Vec<_>>().join(","));
        let started_after =
            query.get("startedAfter").and_then(|d| d.dyn_into::<Date>().ok()).map(|d| String::from(d.to_iso_string()));
        let url = http::with_query(
            "/v2/sandboxes",
            &[
                ("metadata", metadata),
                ("state", state),
                ("startedAfter", started_after),
                ("template", query.string("template")),
                ("order", opts.string("order")),
                ("limit", opts.query_value("limit")),
                ("nextToken", self.next_token.clone()),
            ],
        );
        let (res, flight) = api_call(&cfg, "GET", &url, None).await?;
        if !res.ok() {
            let (_, message) = http::failure(&res, &flight).await;
            return Err(errors::from_status(res.status(), &message, Family::Sandbox));
        }
        let token = res.headers().get("x-next-token").ok().flatten().filter(|t| !t.is_empty());
        self.has_next = token.is_some();
        self.next_token = token;
        let list: Vec<SandboxDetail> = serde_wasm_bindgen::from_value(http::json(&res, &flight).await?)?;
        Ok(list.into_iter().map(|d| info(d, None)).collect::<Array>().into())
    }
}

/// True when semver `v` is below `min` (an unparsable version counts as below).
fn version_below(v: &str, min: (u32, u32, u32)) -> bool {
    let mut parts = v.split(['.', '-']).map(|p| p.parse::<u32>());
    match (parts.next(), parts.next(), parts.next()) {
        (Some(Ok(a)), Some(Ok(b)), Some(Ok(c))) => (a, b, c) < min,
        _ => true,
    }
}
