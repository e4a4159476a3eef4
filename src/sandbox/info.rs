//! `SandboxInfo`, as the official SDK returns it, from a sandbox's detail or list item.

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

/// `SandboxInfo` from a `SandboxDetail` or `ListedSandbox` reply; `sandbox_domain` stands in when
/// the reply names no domain.
pub fn of(reply: &Reply, sandbox_domain: Option<&str>) -> JsValue {
    let obj = reply.reshape(INFO);
    if let (None, Some(domain)) = (reply.str(field::DOMAIN), sandbox_domain) {
        set(&obj, "sandboxDomain", &domain.into());
    }
    obj.into()
}
