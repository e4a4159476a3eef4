//! `getMetrics`: the interval asked for, and each `SandboxMetric` as the official SDK returns it.

use e2b_wire::fields::lifecycle as field;
use js_sys::Date;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::options::Options;
use crate::transport::reply::{As, Field, Reply};

/// Reply field → `SandboxMetrics` field.
const METRIC: &[Field] = &[
    Field(field::TIMESTAMP, "timestamp", As::Date),
    Field(field::CPU_USED_PCT, "cpuUsedPct", As::Num),
    Field(field::CPU_COUNT, "cpuCount", As::Num),
    Field(field::MEM_USED, "memUsed", As::Num),
    Field(field::MEM_TOTAL, "memTotal", As::Num),
    Field(field::MEM_CACHE, "memCache", As::Num),
    Field(field::DISK_USED, "diskUsed", As::Num),
    Field(field::DISK_TOTAL, "diskTotal", As::Num),
];

/// The query of `opts.start` and `opts.end` (`Date`s) in whole Unix seconds.
pub fn query(opts: &Options) -> Vec<(&'static str, Option<String>)> {
    let secs = |key: &'static str| {
        let date = opts.get(key)?.dyn_into::<Date>().ok()?;
        Some(((date.get_time() / 1000.0).round() as i64).to_string())
    };
    vec![("start", secs("start")), ("end", secs("end"))]
}

/// The `SandboxMetrics[]` of a reply.
pub fn list(reply: &Reply) -> JsValue {
    reply.reshape_each(METRIC).into()
}
