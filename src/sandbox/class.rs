//! `Sandbox`: create, connect, inspect and kill sandboxes (with volume mounts); pause them, take
//! snapshots, fork them, read their metrics and change their network; reach their files and
//! commands.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use e2b_wire::envd::HEALTH_PATH;
use e2b_wire::fields::{lifecycle as life, sandbox as field};
use e2b_wire::sandboxes::{ConnectSandboxV2, SandboxForkRequest, SandboxPauseRequest, SandboxSnapshotRequest};
use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::args::text;
use crate::config::{deadline, ApiConfig};
use crate::envd::client::{failed, Request};
use crate::envd::connection::{connection_options, Connection};
use crate::errors::{lifecycle as lifecycle_text, messages, Error, Family, Result};
use crate::options::Options;
use crate::sandbox::api;
use crate::sandbox::commands::Commands;
use crate::sandbox::create::{self, timeout_of, version_below, DEFAULT_TEMPLATE, MCP_TEMPLATE, MIN_ENVD_VERSION};
use crate::sandbox::filesystem::Filesystem;
use crate::sandbox::info;
use crate::sandbox::lifecycle::policy::as_json;
use crate::sandbox::lifecycle::snapshots::{self, SnapshotPaginator};
use crate::sandbox::lifecycle::{metrics, network};
use crate::sandbox::paginator::SandboxPaginator;
use crate::transport::body::json_text;
use crate::transport::fetch::Read;
use crate::transport::js::{get, set};
use crate::transport::promise::promise;
use crate::transport::reply::Reply;

/// How long `isRunning` waits for envd's health check by default.
const HEALTH_TIMEOUT_MS: f64 = 5000.0;
/// The ID of the sandbox debug mode pretends to make.
const DEBUG_SANDBOX_ID: &str = "debug_sandbox_id";
/// The envd version debug mode assumes.
const DEBUG_ENVD_VERSION: &str = "99.99.99";
/// The port of a sandbox's MCP gateway.
const MCP_PORT: u16 = 50005;
/// Where the MCP gateway keeps its token.
const MCP_TOKEN_PATH: &str = "/etc/mcp-gateway/.token";
/// The oldest envd that reports metrics, and the oldest that reports disk metrics.
const METRICS_ENVD: (u32, u32, u32) = (0, 1, 5);
const DISK_METRICS_ENVD: (u32, u32, u32) = (0, 2, 4);

/// A sandbox: a small Linux machine, here or in E2B's cloud.
#[wasm_bindgen]
pub struct Sandbox {
    conn: Rc<Connection>,
    /// The MCP gateway's token, once known.
    mcp_token: RefCell<Option<String>>,
}

impl Sandbox {
    fn with(conn: Connection) -> Self {
        Self { conn: Rc::new(conn), mcp_token: RefCell::new(None) }
    }

    /// The sandbox of a create, connect or fork reply (`wire::sandboxes::Sandbox`), keeping the
    /// connection options of `opts`.
    fn from_reply(s: &Reply, opts: &JsValue) -> Result<Self> {
        Ok(Self::with(Connection {
            id: s.required(field::SANDBOX_ID)?,
            sandbox_domain: s.str(field::DOMAIN).filter(|d| !d.is_empty()),
            envd_token: s.str(field::ENVD_ACCESS_TOKEN),
            traffic_token: s.str(field::TRAFFIC_ACCESS_TOKEN).filter(|t| !t.is_empty()),
            opts: connection_options(opts),
            envd_version: s.str(field::ENVD_VERSION),
        }))
    }

    /// The sandbox debug mode stands for: no request is made, envd is on localhost.
    fn debug(id: String, opts: &JsValue) -> Self {
        Self::with(Connection {
            id,
            sandbox_domain: None,
            envd_token: None,
            traffic_token: None,
            opts: connection_options(opts),
            envd_version: Some(DEBUG_ENVD_VERSION.into()),
        })
    }

    fn promise<F>(&self, f: impl FnOnce(Rc<Connection>) -> F) -> Promise
    where
        F: Future<Output = Result<JsValue>> + 'static,
    {
        promise(f(self.conn.clone()))
    }

    /// Creates a sandbox from the arguments of `Sandbox.create` (`template?, opts?`).
    async fn create_from(template_or_opts: JsValue, maybe_opts: Option<JsValue>) -> Result<Sandbox> {
        let (template, raw) = match template_or_opts.as_string() {
            Some(t) => (Some(t), maybe_opts.unwrap_or(JsValue::UNDEFINED)),
            None => (None, template_or_opts),
        };
        let opts = Options::new(Some(raw.clone()));
        let mcp = opts.get("mcp");
        let default = if mcp.is_some() { MCP_TEMPLATE } else { DEFAULT_TEMPLATE };
        let template = template.or_else(|| opts.string("template")).unwrap_or_else(|| default.into());
        let cfg = ApiConfig::new(&opts);
        if cfg.debug {
            return Ok(Sandbox::debug(DEBUG_SANDBOX_ID.into(), &raw));
        }
        let s = api::create(&cfg, create::request(template, &opts)?).await?;
        if version_below(&s.str(field::ENVD_VERSION).unwrap_or_default(), MIN_ENVD_VERSION) {
            let _ = api::kill(&cfg, &s.required(field::SANDBOX_ID)?).await;
            return Err(Error::Template(messages::TEMPLATE_TOO_OLD.into()));
        }
        let sandbox = Sandbox::from_reply(&s, &raw)?;
        if let Some(mcp) = mcp {
            sandbox.start_mcp(&cfg, &mcp).await?;
        }
        Ok(sandbox)
    }

    /// Starts the MCP gateway with the servers of `mcp`; on failure the sandbox is killed.
    async fn start_mcp(&self, cfg: &ApiConfig, mcp: &JsValue) -> Result<()> {
        let token = random_uuid()?;
        *self.mcp_token.borrow_mut() = Some(token.clone());
        let config = String::from(js_sys::JSON::stringify(mcp)?);
        let cmd = ["mcp-gateway --config ", &create::shell_quote(&config)].concat();
        let (run_opts, envs) = (Object::new(), Object::new());
        set(&envs, "GATEWAY_ACCESS_TOKEN", &token.into());
        set(&run_opts, "user", &"root".into());
        set(&run_opts, "envs", &envs.into());
        let run = Commands::new(self.conn.clone()).run(cmd.into(), Some(run_opts.into()));
        let Err(e) = JsFuture::from(run).await else { return Ok(()) };
        let _ = api::kill(cfg, &self.conn.id).await;
        if get(&e, "name").as_string().as_deref() == Some("CommandExitError") {
            let stderr = get(&e, "stderr").as_string().unwrap_or_default();
            return Err(Error::Sandbox(lifecycle_text::mcp_failed(&stderr)));
        }
        Err(Error::Js(e))
    }

    /// Connects to sandbox `id` with `raw` options: resumes it if paused (`onResume: 'reboot'`
    /// starts it afresh from its files); a running one's timeout only grows.
    async fn connect_to(id: String, raw: JsValue) -> Result<JsValue> {
        let opts = Options::new(Some(raw.clone()));
        let cfg = ApiConfig::new(&opts);
        if cfg.debug {
            return Ok(Sandbox::debug(id, &raw).into());
        }
        let on_resume = opts.get("onResume");
        if let Some(value) = &on_resume {
            let allowed = ["restore", "reboot"];
            if !value.as_string().is_some_and(|v| allowed.contains(&v.as_str())) {
                return Err(Error::InvalidArgument(lifecycle_text::not_one_of("onResume", &allowed, &as_json(value))));
            }
        }
        let reboot = on_resume.and_then(|v| v.as_string()).is_some_and(|v| v == "reboot");
        let body = ConnectSandboxV2 { timeout: timeout_of(&opts), memory: reboot.then_some(false) };
        Ok(Sandbox::from_reply(&api::connect(&cfg, &id, &body).await?, &raw)?.into())
    }

    /// `kill` of sandbox `id`: `false` when there was no such sandbox.
    async fn kill_with(id: String, opts: Options) -> Result<JsValue> {
        let cfg = ApiConfig::new(&opts);
        Ok((cfg.debug || api::kill(&cfg, &id).await?).into())
    }

    /// `getInfo` of sandbox `id`.
    async fn info_with(id: String, opts: Options) -> Result<JsValue> {
        Ok(info::of(&api::get(&ApiConfig::new(&opts), &id).await?, None))
    }

    /// Whether envd answers its health check (502: the sandbox is gone).
    async fn health(conn: &Connection, opts: &Options) -> Result<bool> {
        let req = Request { method: "GET", path: HEALTH_PATH, body: None, content_type: None, streamed: false };
        let reply = conn.envd(opts).rest(req, &deadline(opts, HEALTH_TIMEOUT_MS), Read::Nothing).await?;
        match reply.status() {
            502 => Ok(false),
            _ if reply.ok() => Ok(true),
            _ => Err(failed(&reply.response, reply.text(), false)),
        }
    }

    /// `pause` of sandbox `id`: `false` when it was paused already.
    async fn pause_with(id: String, opts: Options) -> Result<JsValue> {
        let body = SandboxPauseRequest { memory: opts.boolean("keepMemory") };
        Ok(api::pause(&ApiConfig::new(&opts), &id, &body).await?.into())
    }

    /// `createSnapshot` of sandbox `id`: its `SnapshotInfo`.
    async fn snapshot_with(id: String, opts: Options) -> Result<JsValue> {
        let body = json_text(&SandboxSnapshotRequest { name: opts.string("name") })?;
        Ok(snapshots::info(&api::snapshot(&ApiConfig::new(&opts), &id, body).await?))
    }

    /// `fork` of sandbox `id`: a sandbox or an error for each fork asked for.
    async fn fork_with(id: String, raw: JsValue) -> Result<JsValue> {
        let opts = Options::new(Some(raw.clone()));
        let count = opts.number("count").map(|c| c as i32);
        let body = SandboxForkRequest { timeout: timeout_of(&opts), count };
        let results = api::fork(&ApiConfig::new(&opts), &id, &body).await?;
        let out = Array::new();
        for result in results.items() {
            let (sandbox, error) = (result.get(life::SANDBOX), result.get(life::ERROR));
            let item = if error.is_present() || !sandbox.is_present() {
                JsValue::from(fork_error(&error))
            } else {
                Sandbox::from_reply(&sandbox, &raw)?.into()
            };
            out.push(&item);
        }
        Ok(out.into())
    }

    /// `getMetrics` of sandbox `id`.
    async fn metrics_with(id: String, opts: Options) -> Result<JsValue> {
        let cfg = ApiConfig::new(&opts);
        if cfg.debug {
            return Ok(Array::new().into());
        }
        Ok(metrics::list(&api::metrics(&cfg, &id, &metrics::query(&opts)).await?))
    }

    /// `updateNetwork` of sandbox `id`.
    async fn update_network_with(id: String, network: JsValue, opts: Options) -> Result<JsValue> {
        let body = json_text(&network::update_body(&network)?)?;
        api::update_network(&ApiConfig::new(&opts), &id, body).await?;
        Ok(JsValue::UNDEFINED)
    }
}

/// The error of a fork that did not start, as the official SDK makes it.
fn fork_error(error: &Reply) -> Error {
    let Some(code) = error.num(e2b_wire::fields::error::CODE) else {
        return Error::Sandbox(lifecycle_text::FORK_FAILED.into());
    };
    let message = error.str(e2b_wire::fields::error::MESSAGE).unwrap_or_default();
    match code as u16 {
        404 => Error::NotFound(format!("404: {message}")),
        status => Error::Api { status, message, family: Family::Sandbox },
    }
}

/// `crypto.randomUUID()`.
fn random_uuid() -> Result<String> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into())?;
    let f: Function = Reflect::get(&crypto, &"randomUUID".into())?.dyn_into()?;
    Ok(f.call0(&crypto)?.as_string().unwrap_or_default())
}

#[wasm_bindgen]
impl Sandbox {
    /// A sandbox object for a sandbox already known, from its connection data; sends no request
    /// (`Sandbox.create` and `Sandbox.connect` make it, so that subclasses get their own instances).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "SandboxConnectOpts & SandboxConnection")] opts: JsValue,
    ) -> std::result::Result<Sandbox, JsValue> {
        let o = Options::new(Some(opts.clone()));
        let sandbox = Self::with(Connection {
            id: text(&o.get("sandboxId").unwrap_or(JsValue::UNDEFINED), "sandboxId")?,
            sandbox_domain: o.string("sandboxDomain"),
            envd_token: o.string("envdAccessToken"),
            traffic_token: o.string("trafficAccessToken"),
            opts: connection_options(&opts),
            envd_version: o.string("envdVersion"),
        });
        *sandbox.mcp_token.borrow_mut() = o.string("mcpToken");
        Ok(sandbox)
    }

    /// What the constructor takes to make a twin of this sandbox object (for subclasses).
    #[wasm_bindgen(js_name = __connection, skip_typescript)]
    pub fn connection(&self) -> JsValue {
        let c = &self.conn;
        let obj = Object::new();
        if c.opts.is_object() {
            Object::assign(&obj, c.opts.unchecked_ref());
        }
        set(&obj, "sandboxId", &c.id.as_str().into());
        for (key, value) in [
            ("sandboxDomain", &c.sandbox_domain),
            ("envdAccessToken", &c.envd_token),
            ("trafficAccessToken", &c.traffic_token),
            ("envdVersion", &c.envd_version),
            ("mcpToken", &self.mcp_token.borrow()),
        ] {
            set(&obj, key, &value.as_deref().map(JsValue::from).unwrap_or(JsValue::UNDEFINED));
        }
        obj.into()
    }

    /// `Sandbox.create(opts?)` or `Sandbox.create(template, opts?)`.
    #[wasm_bindgen(skip_typescript)]
    pub fn create(template_or_opts: JsValue, maybe_opts: Option<JsValue>) -> Promise {
        promise(async move { Ok(Sandbox::create_from(template_or_opts, maybe_opts).await?.into()) })
    }

    /// `Sandbox.connect(sandboxId, opts?)`: a running sandbox (its timeout only grows), or a paused
    /// one resumed.
    #[wasm_bindgen(js_name = __static_connect, skip_typescript)]
    pub fn connect_static(sandbox_id: JsValue, opts: Option<JsValue>) -> Promise {
        let raw = opts.unwrap_or(JsValue::UNDEFINED);
        on_id(&sandbox_id, |id| Sandbox::connect_to(id, raw))
    }

    /// `Sandbox.kill(sandboxId, opts?)`: false when there was no such sandbox.
    #[wasm_bindgen(js_name = __static_kill, skip_typescript)]
    pub fn kill_static(sandbox_id: JsValue, opts: Option<JsValue>) -> Promise {
        on_id(&sandbox_id, |id| Sandbox::kill_with(id, Options::new(opts)))
    }

    /// `Sandbox.getInfo(sandboxId, opts?)`.
    #[wasm_bindgen(js_name = __static_getInfo, skip_typescript)]
    pub fn get_info_static(sandbox_id: JsValue, opts: Option<JsValue>) -> Promise {
        on_id(&sandbox_id, |id| Sandbox::info_with(id, Options::new(opts)))
    }

    /// `Sandbox.getFullInfo(sandboxId, opts?)`: the same as `getInfo`.
    #[wasm_bindgen(js_name = getFullInfo, skip_typescript)]
    pub fn get_full_info_static(sandbox_id: JsValue, opts: Option<JsValue>) -> Promise {
        Sandbox::get_info_static(sandbox_id, opts)
    }

    /// `Sandbox.setTimeout(sandboxId, timeoutMs, opts?)`.
    #[wasm_bindgen(js_name = __static_setTimeout, skip_typescript)]
    pub fn set_timeout_static(sandbox_id: JsValue, timeout_ms: f64, opts: Option<JsValue>) -> Promise {
        promise(async move {
            let id = text(&sandbox_id, "sandboxId")?;
            api::set_timeout(&ApiConfig::new(&Options::new(opts)), &id, create::timeout_secs(timeout_ms)).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// `Sandbox.list(opts?)`: a paginator over running and paused sandboxes.
    #[wasm_bindgen(js_name = __static_list, skip_typescript)]
    pub fn list_static(opts: Option<JsValue>) -> SandboxPaginator {
        SandboxPaginator::new(opts)
    }

    /// `Sandbox.pause(sandboxId, opts?)`: `false` when it was paused already.
    #[wasm_bindgen(js_name = __static_pause, skip_typescript)]
    pub fn pause_static(sandbox_id: JsValue, opts: Option<JsValue>) -> Promise {
        on_id(&sandbox_id, |id| Sandbox::pause_with(id, Options::new(opts)))
    }

    /// `Sandbox.betaPause(sandboxId, opts?)`: the same as `pause`.
    #[wasm_bindgen(js_name = __static_betaPause, skip_typescript)]
    pub fn beta_pause_static(sandbox_id: JsValue, opts: Option<JsValue>) -> Promise {
        Sandbox::pause_static(sandbox_id, opts)
    }

    /// `Sandbox.createSnapshot(sandboxId, opts?)`.
    #[wasm_bindgen(js_name = __static_createSnapshot, skip_typescript)]
    pub fn create_snapshot_static(sandbox_id: JsValue, opts: Option<JsValue>) -> Promise {
        on_id(&sandbox_id, |id| Sandbox::snapshot_with(id, Options::new(opts)))
    }

    /// `Sandbox.listSnapshots(opts?)`: a paginator over snapshots.
    #[wasm_bindgen(js_name = __static_listSnapshots, skip_typescript)]
    pub fn list_snapshots_static(opts: Option<JsValue>) -> SnapshotPaginator {
        SnapshotPaginator::new(opts.unwrap_or(JsValue::UNDEFINED))
    }

    /// `Sandbox.deleteSnapshot(snapshotId, opts?)`: `false` when there was no such snapshot.
    #[wasm_bindgen(js_name = deleteSnapshot, skip_typescript)]
    pub fn delete_snapshot_static(snapshot_id: JsValue, opts: Option<JsValue>) -> Promise {
        promise(async move {
            let id = text(&snapshot_id, "snapshotId")?;
            Ok(api::delete_snapshot(&ApiConfig::new(&Options::new(opts)), &id).await?.into())
        })
    }

    /// `Sandbox.fork(sandboxId, opts?)`: a sandbox or an error for each fork.
    #[wasm_bindgen(js_name = __static_fork, skip_typescript)]
    pub fn fork_static(sandbox_id: JsValue, opts: Option<JsValue>) -> Promise {
        let raw = opts.unwrap_or(JsValue::UNDEFINED);
        on_id(&sandbox_id, |id| Sandbox::fork_with(id, raw))
    }

    /// `Sandbox.getMetrics(sandboxId, opts?)`.
    #[wasm_bindgen(js_name = __static_getMetrics, skip_typescript)]
    pub fn get_metrics_static(sandbox_id: JsValue, opts: Option<JsValue>) -> Promise {
        on_id(&sandbox_id, |id| Sandbox::metrics_with(id, Options::new(opts)))
    }

    /// `Sandbox.updateNetwork(sandboxId, network, opts?)`.
    #[wasm_bindgen(js_name = __static_updateNetwork, skip_typescript)]
    pub fn update_network_static(sandbox_id: JsValue, network: JsValue, opts: Option<JsValue>) -> Promise {
        on_id(&sandbox_id, |id| Sandbox::update_network_with(id, network, Options::new(opts)))
    }

    /// The sandbox's ID.
    #[wasm_bindgen(getter, js_name = sandboxId)]
    pub fn sandbox_id(&self) -> String {
        self.conn.id.clone()
    }

    /// The domain that serves the sandbox: the one the API named, else the configured one.
    #[wasm_bindgen(getter, js_name = sandboxDomain)]
    pub fn sandbox_domain(&self) -> String {
        self.conn.domain(&ApiConfig::new(&self.conn.merged(&None)))
    }

    /// Token for traffic to the sandbox's ports, when required.
    #[wasm_bindgen(getter, js_name = trafficAccessToken)]
    pub fn traffic_access_token(&self) -> Option<String> {
        self.conn.traffic_token.clone()
    }

    /// Files inside the sandbox.
    #[wasm_bindgen(getter)]
    pub fn files(&self) -> Filesystem {
        Filesystem::new(self.conn.clone())
    }

    /// Commands inside the sandbox.
    #[wasm_bindgen(getter)]
    pub fn commands(&self) -> Commands {
        Commands::new(self.conn.clone())
    }

    /// The host under which the sandbox's `port` is reachable.
    #[wasm_bindgen(js_name = getHost)]
    pub fn get_host(&self, port: u16) -> String {
        let cfg = ApiConfig::new(&self.conn.merged(&None));
        if cfg.debug {
            return format!("localhost:{port}");
        }
        format!("{port}-{}.{}", self.conn.id, self.conn.domain(&cfg))
    }

    /// The URL of the sandbox's MCP gateway.
    #[wasm_bindgen(js_name = getMcpUrl)]
    pub fn get_mcp_url(&self) -> String {
        format!("https://{}/mcp", self.get_host(MCP_PORT))
    }

    /// The MCP gateway's token: the one made at creation, else the one the gateway keeps.
    #[wasm_bindgen(js_name = getMcpToken, unchecked_return_type = "Promise<string | undefined>")]
    pub fn get_mcp_token(&self) -> Promise {
        if let Some(token) = self.mcp_token.borrow().clone() {
            return Promise::resolve(&JsValue::from(token));
        }
        let opts = Object::new();
        set(&opts, "user", &"root".into());
        Filesystem::new(self.conn.clone()).read(MCP_TOKEN_PATH.into(), Some(opts.into()))
    }

    /// Whether the sandbox is running (envd answers its health check).
    #[wasm_bindgen(js_name = isRunning, unchecked_return_type = "Promise<boolean>")]
    pub fn is_running(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "Pick<ConnectionOpts, 'requestTimeoutMs' | 'signal'>")]
        opts: Option<JsValue>,
    ) -> Promise {
        self.promise(move |c| async move { Ok(Sandbox::health(&c, &c.merged(&opts)).await?.into()) })
    }

    /// Moves the sandbox's end to `timeoutMs` from now.
    #[wasm_bindgen(js_name = setTimeout, unchecked_return_type = "Promise<void>")]
    pub fn set_timeout(
        &self,
        #[wasm_bindgen(js_name = timeoutMs)] timeout_ms: f64,
        #[wasm_bindgen(unchecked_optional_param_type = "SandboxApiOpts")] opts: Option<JsValue>,
    ) -> Promise {
        self.promise(move |c| async move {
            let cfg = ApiConfig::new(&c.merged(&opts));
            if !cfg.debug {
                api::set_timeout(&cfg, &c.id, create::timeout_secs(timeout_ms)).await?;
            }
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Kills the sandbox; resolves `true` (or `false` if it was already gone).
    #[wasm_bindgen(unchecked_return_type = "Promise<boolean>")]
    pub fn kill(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "SandboxApiOpts")] opts: Option<JsValue>,
    ) -> Promise {
        promise(Sandbox::kill_with(self.conn.id.clone(), self.conn.merged(&opts)))
    }

    /// Information about the sandbox, including its volume mounts, network and lifecycle.
    #[wasm_bindgen(js_name = getInfo, unchecked_return_type = "Promise<SandboxInfo>")]
    pub fn get_info(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "SandboxApiOpts")] opts: Option<JsValue>,
    ) -> Promise {
        promise(Sandbox::info_with(self.conn.id.clone(), self.conn.merged(&opts)))
    }

    /// Connects again (resuming the sandbox if paused, extending its timeout); resolves to this
    /// sandbox (the package's entry makes it resolve to this very object).
    #[wasm_bindgen(skip_typescript)]
    pub fn connect(&self, opts: Option<JsValue>) -> Promise {
        let (id, raw) = (self.conn.id.clone(), merged_value(&self.conn, opts));
        promise(Sandbox::connect_to(id, raw))
    }

    /// Pauses the sandbox (`keepMemory: false`: only its files are kept); `false` when it was
    /// paused already.
    #[wasm_bindgen(unchecked_return_type = "Promise<boolean>")]
    pub fn pause(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "SandboxPauseOpts")] opts: Option<JsValue>,
    ) -> Promise {
        promise(Sandbox::pause_with(self.conn.id.clone(), self.conn.merged(&opts)))
    }

    /// The same as `pause`.
    #[wasm_bindgen(js_name = betaPause, unchecked_return_type = "Promise<boolean>")]
    pub fn beta_pause(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "SandboxPauseOpts")] opts: Option<JsValue>,
    ) -> Promise {
        self.pause(opts)
    }

    /// Takes a snapshot of the sandbox's files, from which new sandboxes can be created.
    #[wasm_bindgen(js_name = createSnapshot, unchecked_return_type = "Promise<SnapshotInfo>")]
    pub fn create_snapshot(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CreateSnapshotOpts")] opts: Option<JsValue>,
    ) -> Promise {
        promise(Sandbox::snapshot_with(self.conn.id.clone(), self.conn.merged(&opts)))
    }

    /// Pages through the snapshots taken of this sandbox.
    #[wasm_bindgen(js_name = listSnapshots)]
    pub fn list_snapshots(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "Omit<SnapshotListOpts, 'sandboxId'>")] opts: Option<JsValue>,
    ) -> SnapshotPaginator {
        let merged = merged_value(&self.conn, opts);
        set(merged.unchecked_ref(), "sandboxId", &self.conn.id.as_str().into());
        SnapshotPaginator::new(merged)
    }

    /// Forks the sandbox: new sandboxes from a snapshot of it, with the same volume mounts (the
    /// package's entry makes them instances of this sandbox's class).
    #[wasm_bindgen(skip_typescript)]
    pub fn fork(&self, opts: Option<JsValue>) -> Promise {
        let (id, raw) = (self.conn.id.clone(), merged_value(&self.conn, opts));
        promise(Sandbox::fork_with(id, raw))
    }

    /// The sandbox's CPU, memory and disk use over time.
    #[wasm_bindgen(js_name = getMetrics, unchecked_return_type = "Promise<SandboxMetrics[]>")]
    pub fn get_metrics(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "SandboxMetricsOpts")] opts: Option<JsValue>,
    ) -> Promise {
        self.promise(move |c| async move {
            let opts = c.merged(&opts);
            if let (Some(version), false) = (c.envd_version.as_deref(), ApiConfig::new(&opts).debug) {
                if version_below(version, METRICS_ENVD) {
                    return Err(Error::Template(messages::TEMPLATE_TOO_OLD.into()));
                }
                if version_below(version, DISK_METRICS_ENVD) {
                    warn(&opts, lifecycle_text::DISK_METRICS_UNSUPPORTED);
                }
            }
            Sandbox::metrics_with(c.id.clone(), opts).await
        })
    }

    /// Replaces the sandbox's egress rules (an absent field is cleared).
    #[wasm_bindgen(js_name = updateNetwork, unchecked_return_type = "Promise<void>")]
    pub fn update_network(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SandboxNetworkUpdate")] network: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Pick<SandboxOpts, 'requestTimeoutMs' | 'signal'>")]
        opts: Option<JsValue>,
    ) -> Promise {
        promise(Sandbox::update_network_with(self.conn.id.clone(), network, self.conn.merged(&opts)))
    }
}

/// The sandbox's connection options with a call's options over them, as one object.
fn merged_value(c: &Connection, call: Option<JsValue>) -> JsValue {
    let out = Object::new();
    if c.opts.is_object() {
        Object::assign(&out, c.opts.unchecked_ref());
    }
    if let Some(call) = call.filter(|v| v.is_object()) {
        Object::assign(&out, call.unchecked_ref());
    }
    out.into()
}

/// The promise of `f` on the sandbox ID `value`, checked now: statics make no wrapping future of
/// their own around the one they share with the instance method.
fn on_id<F>(value: &JsValue, f: impl FnOnce(String) -> F) -> Promise
where
    F: Future<Output = Result<JsValue>> + 'static,
{
    match text(value, "sandboxId") {
        Ok(id) => promise(f(id)),
        Err(e) => promise(std::future::ready(Err(e))),
    }
}

/// `logger.warn(message)`, when the user's logger has it.
fn warn(opts: &Options, message: &str) {
    let Some(logger) = opts.get("logger") else { return };
    if let Ok(f) = get(&logger, "warn").dyn_into::<Function>() {
        let _ = f.call1(&logger, &message.into());
    }
}
