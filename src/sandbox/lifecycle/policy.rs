//! The `lifecycle` option of `Sandbox.create` — pause or kill at the timeout, keep the memory,
//! resume on traffic — checked as e2b 2.51 checks it, and put as the create request has it.

use e2b_wire::sandboxes::{on_timeout, SandboxAutoResumeConfig};
use wasm_bindgen::JsValue;

use crate::errors::{lifecycle as messages, Error, Result};
use crate::options::Options;
use crate::transport::js::get;

/// The create request's lifecycle fields (`autoPause`, `autoPauseMemory`, `autoResume`).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// Pause at the timeout; left out when no `onTimeout` was given.
    pub auto_pause: Option<bool>,
    /// Keep the memory at that pause; only when `keepMemory` was given with `pause`.
    pub auto_pause_memory: Option<bool>,
    /// Resume on traffic; only when `autoResume` was given.
    pub auto_resume: Option<SandboxAutoResumeConfig>,
}

/// The policy of `opts.lifecycle`; an `InvalidArgumentError` for combinations 2.51 refuses.
pub fn of(opts: &Options) -> Result<Policy> {
    let lifecycle = Options::new(opts.get("lifecycle"));
    let requested = lifecycle.get("onTimeout");
    let configured = requested.is_some();
    let on_timeout = requested.unwrap_or_else(|| on_timeout::KILL.into());
    let bare = on_timeout.is_string();
    let action = if bare { on_timeout.clone() } else { get(&on_timeout, "action") };
    let action_name = action.as_string().unwrap_or_default();
    let allowed = [on_timeout::PAUSE, on_timeout::KILL];
    if configured && !allowed.contains(&action_name.as_str()) {
        let option = if bare { "onTimeout" } else { "onTimeout.action" };
        return Err(Error::InvalidArgument(messages::not_one_of(option, &allowed, &as_json(&action))));
    }
    let has_keep_memory =
        on_timeout.is_object() && js_sys::Reflect::has(&on_timeout, &"keepMemory".into()).unwrap_or(false);
    let keep_memory = !has_keep_memory || get(&on_timeout, "keepMemory").as_bool().unwrap_or(true);
    let auto_resume = lifecycle.boolean("autoResume");
    let pause = action_name == on_timeout::PAUSE;
    if has_keep_memory && !pause {
        return Err(Error::InvalidArgument(messages::KEEP_MEMORY_NEEDS_PAUSE.into()));
    }
    if auto_resume == Some(true) && !pause {
        return Err(Error::InvalidArgument(messages::AUTO_RESUME_NEEDS_PAUSE.into()));
    }
    if !keep_memory && auto_resume == Some(true) {
        return Err(Error::InvalidArgument(messages::AUTO_RESUME_NEEDS_MEMORY.into()));
    }
    Ok(Policy {
        auto_pause: configured.then_some(pause),
        auto_pause_memory: (pause && has_keep_memory).then_some(keep_memory),
        auto_resume: auto_resume.map(|enabled| SandboxAutoResumeConfig { enabled }),
    })
}

/// `JSON.stringify(value)`, `undefined` for what it cannot show.
pub fn as_json(value: &JsValue) -> String {
    js_sys::JSON::stringify(value).ok().and_then(|s| s.as_string()).unwrap_or_else(|| "undefined".into())
}
