//! Volume entries from the wire (`VolumeEntryStat`) to the objects the official SDK returns.

use e2b_wire::VolumeEntryStat;
use js_sys::{Array, Date, Object};
use wasm_bindgen::prelude::*;

use crate::errors::{Error, Result};
use crate::transport::js::set;

/// One entry, with `Date` times.
pub fn to_js(entry: &VolumeEntryStat) -> JsValue {
    let obj = Object::new();
    set(&obj, "name", &entry.name.as_str().into());
    set(&obj, "type", &entry.kind.as_str().into());
    set(&obj, "path", &entry.path.as_str().into());
    set(&obj, "size", &(entry.size as f64).into());
    set(&obj, "mode", &entry.mode.into());
    set(&obj, "uid", &entry.uid.into());
    set(&obj, "gid", &entry.gid.into());
    set(&obj, "atime", &Date::new(&entry.atime.as_str().into()));
    set(&obj, "mtime", &Date::new(&entry.mtime.as_str().into()));
    set(&obj, "ctime", &Date::new(&entry.ctime.as_str().into()));
    if let Some(target) = &entry.target {
        set(&obj, "target", &target.as_str().into());
    }
    obj.into()
}

/// Parses a JSON entry (already decoded by `response.json()`) and converts it.
pub fn from_json(value: JsValue) -> Result<JsValue> {
    let entry: VolumeEntryStat = serde_wasm_bindgen::from_value(value).map_err(bad_reply)?;
    Ok(to_js(&entry))
}

/// Parses a JSON array of entries and converts each.
pub fn list_from_json(value: JsValue) -> Result<JsValue> {
    let entries: Vec<VolumeEntryStat> = serde_wasm_bindgen::from_value(value).map_err(bad_reply)?;
    Ok(entries.iter().map(to_js).collect::<Array>().into())
}

fn bad_reply(e: serde_wasm_bindgen::Error) -> Error {
    Error::Plain(format!("Unexpected response from the volume API: {e}"))
}
