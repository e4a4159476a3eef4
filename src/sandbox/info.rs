//! `SandboxInfo`, as the official SDK returns it, from a sandbox's detail or list item.

use e2b_wire::fields::lifecycle as life;
use e2b_wire::fields::sandbox as field;
use wasm_bindgen::prelude::*;

use crate::transport::js::set;
use crate::transport::reply::{As, Field, Reply};

/// Reply field → `SandboxInfo` field. A list item has no network setting or domain.
const INFO: &[Field] = &[
    Field(field::SANDBOX_ID, "sandboxId", As::Str),
    Field(field::TEMPLATE_ID, "templateId", As::Str),
    Field(field::ALIAS, "name", As::Opt),
    Field(field::METADATA, "metadata", As::Object),
    Field(field::STARTED_AT, "startedAt", As::Date),
    Field(field::END_AT, "endAt", As::Date),
    Field(field::STATE, "state", As::Str),
    Field(field::CPU_COUNT, "cpuCount", As::Num),
    Field(field::MEMORY_MB, "memoryMB", As::Num),
    Field(field::ENVD_VERSION, "envdVersion", As::Str),
    Field(field::ALLOW_INTERNET_ACCESS, "allowInternetAccess", As::Opt),
    Field(field::DOMAIN, "sandboxDomain", As::Opt),
    Field(field::VOLUME_MOUNTS, "volumeMounts", As::List),
];

/// `network` of a detail → `SandboxNetworkInfo` (its proxy apart: the password never shows).
const NETWORK: &[Field] = &[
    Field(life::ALLOW_OUT, "allowOut", As::Opt),
    Field(life::DENY_OUT, "denyOut", As::Opt),
    Field(life::RULES, "rules", As::Opt),
    Field(life::ALLOW_PUBLIC_TRAFFIC, "allowPublicTraffic", As::Opt),
    Field(life::MASK_REQUEST_HOST, "maskRequestHost", As::Opt),
    Field(life::HTTPS_PORTS, "httpsPorts", As::Opt),
];

/// `egressProxy` of a network → `SandboxEgressProxyInfo`.
const PROXY: &[Field] = &[Field(life::ADDRESS, "address", As::Str), Field(life::USERNAME, "username", As::Opt)];

/// `lifecycle` of a detail → `SandboxInfoLifecycle`.
const LIFECYCLE: &[Field] =
    &[Field(life::ON_TIMEOUT, "onTimeout", As::Str), Field(life::AUTO_RESUME, "autoResume", As::Opt)];

/// `SandboxInfo` from a `SandboxDetail` or `ListedSandbox` reply; `sandbox_domain` stands in when
/// the reply names no domain (the official SDK's `getInfo` passes none).
pub fn of(reply: &Reply, sandbox_domain: Option<&str>) -> JsValue {
    let obj = reply.reshape(INFO);
    match (reply.str(field::DOMAIN).filter(|d| !d.is_empty()), sandbox_domain) {
        (None, Some(domain)) => set(&obj, "sandboxDomain", &domain.into()),
        // An empty domain is no domain, as `domain || undefined` has it.
        (None, None) => {
            let _ = js_sys::Reflect::delete_property(&obj, &"sandboxDomain".into());
        }
        _ => {}
    }
    let network = reply.get(life::NETWORK);
    if network.is_present() {
        let info = network.reshape(NETWORK);
        let proxy = network.get(life::EGRESS_PROXY);
        if proxy.is_present() {
            set(&info, "egressProxy", &proxy.reshape(PROXY).into());
        }
        set(&obj, "network", &info.into());
    }
    let lifecycle = reply.get(life::LIFECYCLE);
    if lifecycle.is_present() {
        set(&obj, "lifecycle", &lifecycle.reshape(LIFECYCLE).into());
    }
    obj.into()
}
