//! `EntryInfo`, as the official SDK returns it, from envd's `filesystem.EntryInfo`.

use e2b_wire::envd::filesystem::{EntryInfo, FileType};
use js_sys::{Date, Object};
use wasm_bindgen::prelude::*;

use crate::transport::js::{object_of, set};

/// The SDK's name of an entry type; `None` for an unspecified one.
pub fn type_name(kind: FileType) -> Option<&'static str> {
    match kind {
        FileType::File => Some("file"),
        FileType::Directory => Some("dir"),
        FileType::Symlink => Some("symlink"),
        FileType::Unspecified => None,
    }
}

/// The entry as a JS object; `None` for an entry of unspecified type (the official SDK skips those).
pub fn to_js(e: &EntryInfo) -> Option<JsValue> {
    let kind = type_name(e.kind)?;
    let obj = Object::new();
    set(&obj, "name", &e.name.as_str().into());
    set(&obj, "type", &kind.into());
    set(&obj, "path", &e.path.as_str().into());
    // int64 travels as a string; the SDK gives a number.
    set(&obj, "size", &e.size.parse::<f64>().unwrap_or(0.0).into());
    set(&obj, "mode", &e.mode.into());
    set(&obj, "permissions", &e.permissions.as_str().into());
    set(&obj, "owner", &e.owner.as_str().into());
    set(&obj, "group", &e.group.as_str().into());
    if let Some(t) = &e.modified_time {
        set(&obj, "modifiedTime", &Date::new(&t.as_str().into()));
    }
    if let Some(target) = &e.symlink_target {
        set(&obj, "symlinkTarget", &target.as_str().into());
    }
    set(&obj, "metadata", &object_of(&e.metadata));
    Some(obj.into())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn entry_types_take_the_sdks_names() {
        assert_eq!(type_name(FileType::File), Some("file"));
        assert_eq!(type_name(FileType::Directory), Some("dir"));
        assert_eq!(type_name(FileType::Symlink), Some("symlink"));
        assert_eq!(type_name(FileType::Unspecified), None);
    }
}
