//! `SandboxInfo`, as the official SDK returns it, from a sandbox's detail or list item.

use e2b_wire::sandboxes::{ListedSandbox, SandboxDetail};
use js_sys::{Array, Date, Object};
use wasm_bindgen::prelude::*;

use crate::transport::js::{object_of, set};

/// `SandboxInfo` from a sandbox detail; `sandbox_domain` stands in when the reply names no domain.
pub fn detail(d: SandboxDetail, sandbox_domain: Option<String>) -> JsValue {
    let obj = Object::new();
    set(&obj, "sandboxId", &d.sandbox_id.into());
    set(&obj, "templateId", &d.template_id.into());
    if let Some(alias) = d.alias {
        set(&obj, "name", &alias.into());
    }
    set(&obj, "metadata", &object_of(&d.metadata));
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

/// `SandboxInfo` from a list item (which carries no secrets, network setting or domain).
pub fn listed(l: ListedSandbox) -> JsValue {
    detail(
        SandboxDetail {
            template_id: l.template_id,
            alias: l.alias,
            sandbox_id: l.sandbox_id,
            client_id: l.client_id,
            started_at: l.started_at,
            end_at: l.end_at,
            envd_version: l.envd_version,
            envd_access_token: None,
            allow_internet_access: None,
            domain: None,
            cpu_count: l.cpu_count,
            memory_mb: l.memory_mb,
            disk_size_mb: l.disk_size_mb,
            metadata: l.metadata,
            state: l.state,
            volume_mounts: l.volume_mounts,
        },
        None,
    )
}
