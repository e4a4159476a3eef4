//! `Sandbox`: create, connect, inspect and kill sandboxes (with volume mounts), and reach their
//! files and commands.

use std::future::Future;
use std::rc::Rc;

use e2b_wire::envd::HEALTH_PATH;
use e2b_wire::fields::sandbox as field;
use js_sys::{Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::args::text;
use crate::config::{deadline, ApiConfig};
use crate::envd::client::{failed, Request};
use crate::envd::connection::Connection;
use crate::errors::{Error, Result};
use crate::options::Options;
use crate::sandbox::api;
use crate::sandbox::commands::Commands;
use crate::sandbox::create::{self, timeout_of, timeout_secs, version_below, MIN_ENVD_VERSION};
use crate::sandbox::filesystem::Filesystem;
use crate::sandbox::info;
use crate::sandbox::paginator::SandboxPaginator;
use crate::transport::fetch::Read;
use crate::transport::js::set;
use crate::transport::promise::promise;
use crate::transport::reply::Reply;

/// How long `isRunning` waits for envd's health check by default.
const HEALTH_TIMEOUT_MS: f64 = 5000.0;

/// A sandbox: a small Linux machine, here or in E2B's cloud.
#[wasm_bindgen]
pub struct Sandbox {
    conn: Rc<Connection>,
}

impl Sandbox {
    /// The sandbox of a create or connect reply (`wire::sandboxes::Sandbox`).
    fn from_reply(s: &Reply, opts: JsValue) -> Result<Self> {
        let conn = Connection {
            id: s.required(field::SANDBOX_ID)?,
            sandbox_domain: s.str(field::DOMAIN).filter(|d| !d.is_empty()),
            envd_token: s.str(field::ENVD_ACCESS_TOKEN),
            traffic_token: s.str(field::TRAFFIC_ACCESS_TOKEN),
            opts,
        };
        Ok(Self { conn: Rc::new(conn) })
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
        let template = template.or_else(|| opts.string("template")).unwrap_or_else(|| "base".into());
        let cfg = ApiConfig::new(&opts);
        let s = api::create(&cfg, &create::request(template, &opts)?).await?;
        if version_below(&s.str(field::ENVD_VERSION).unwrap_or_default(), MIN_ENVD_VERSION) {
            let _ = api::kill(&cfg, &s.required(field::SANDBOX_ID)?).await;
            return Err(Error::Template(crate::errors::messages::TEMPLATE_TOO_OLD.into()));
        }
        Sandbox::from_reply(&s, raw)
    }

    /// Connects to sandbox `id` with `opts` (given raw, as later calls reuse them).
    async fn connect_to(id: &str, opts: &Options, raw: JsValue) -> Result<Sandbox> {
        Sandbox::from_reply(&api::connect(&ApiConfig::new(opts), id, timeout_of(opts)).await?, raw)
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
        let conn = Connection {
            id: text(&o.get("sandboxId").unwrap_or(JsValue::UNDEFINED), "sandboxId")?,
            sandbox_domain: o.string("sandboxDomain"),
            envd_token: o.string("envdAccessToken"),
            traffic_token: o.string("trafficAccessToken"),
            opts,
        };
        Ok(Self { conn: Rc::new(conn) })
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

    /// `Sandbox.connect(sandboxId, opts?)`: a running sandbox (its timeout only grows).
    #[wasm_bindgen(js_name = __static_connect, skip_typescript)]
    pub fn connect_static(sandbox_id: JsValue, opts: Option<JsValue>) -> Promise {
        let raw = opts.unwrap_or(JsValue::UNDEFINED);
        promise(async move {
            let id = text(&sandbox_id, "sandboxId")?;
            Ok(Sandbox::connect_to(&id, &Options::new(Some(raw.clone())), raw).await?.into())
        })
    }

    /// `Sandbox.kill(sandboxId, opts?)`: false when there was no such sandbox.
    #[wasm_bindgen(js_name = __static_kill, skip_typescript)]
    pub fn kill_static(sandbox_id: JsValue, opts: Option<JsValue>) -> Promise {
        promise(async move {
            let id = text(&sandbox_id, "sandboxId")?;
            Ok(api::kill(&ApiConfig::new(&Options::new(opts)), &id).await?.into())
        })
    }

    /// `Sandbox.getInfo(sandboxId, opts?)`.
    #[wasm_bindgen(js_name = __static_getInfo, skip_typescript)]
    pub fn get_info_static(sandbox_id: JsValue, opts: Option<JsValue>) -> Promise {
        promise(async move {
            let id = text(&sandbox_id, "sandboxId")?;
            Ok(info::of(&api::get(&ApiConfig::new(&Options::new(opts)), &id).await?, None))
        })
    }

    /// `Sandbox.setTimeout(sandboxId, timeoutMs, opts?)`.
    #[wasm_bindgen(js_name = __static_setTimeout, skip_typescript)]
    pub fn set_timeout_static(sandbox_id: JsValue, timeout_ms: f64, opts: Option<JsValue>) -> Promise {
        promise(async move {
            let id = text(&sandbox_id, "sandboxId")?;
            api::set_timeout(&ApiConfig::new(&Options::new(opts)), &id, timeout_secs(timeout_ms)).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// `Sandbox.list(opts?)`: a paginator over running sandboxes.
    #[wasm_bindgen(js_name = __static_list, skip_typescript)]
    pub fn list_static(opts: Option<JsValue>) -> SandboxPaginator {
        SandboxPaginator::new(opts)
    }

    /// The sandbox's ID.
    #[wasm_bindgen(getter, js_name = sandboxId)]
    pub fn sandbox_id(&self) -> String {
        self.conn.id.clone()
    }

    /// The domain that serves the sandbox, when the API names one.
    #[wasm_bindgen(getter, js_name = sandboxDomain)]
    pub fn sandbox_domain(&self) -> Option<String> {
        self.conn.sandbox_domain.clone()
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
        format!("{port}-{}.{}", self.conn.id, self.conn.sandbox_domain.clone().unwrap_or(cfg.domain))
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
            api::set_timeout(&ApiConfig::new(&c.merged(&opts)), &c.id, timeout_secs(timeout_ms)).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Kills the sandbox; resolves `true` (or `false` if it was already gone).
    #[wasm_bindgen(unchecked_return_type = "Promise<boolean>")]
    pub fn kill(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "SandboxApiOpts")] opts: Option<JsValue>,
    ) -> Promise {
        self.promise(move |c| async move { Ok(api::kill(&ApiConfig::new(&c.merged(&opts)), &c.id).await?.into()) })
    }

    /// Information about the sandbox, including its volume mounts.
    #[wasm_bindgen(js_name = getInfo, unchecked_return_type = "Promise<SandboxInfo>")]
    pub fn get_info(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "SandboxApiOpts")] opts: Option<JsValue>,
    ) -> Promise {
        self.promise(move |c| async move {
            let d = api::get(&ApiConfig::new(&c.merged(&opts)), &c.id).await?;
            Ok(info::of(&d, c.sandbox_domain.as_deref()))
        })
    }

    /// Connects again (extending the timeout); resolves to this sandbox (the package's entry makes
    /// it resolve to this very object).
    #[wasm_bindgen(skip_typescript)]
    pub fn connect(&self, opts: Option<JsValue>) -> Promise {
        self.promise(
            move |c| async move { Ok(Sandbox::connect_to(&c.id, &c.merged(&opts), c.opts.clone()).await?.into()) },
        )
    }
}
