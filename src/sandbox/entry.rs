//! `EntryInfo`, as the official SDK returns it, from envd's `filesystem.EntryInfo`, and the files
//! an upload reports (`WriteInfo`); metadata only when there is some.

use e2b_wire::fields::entry as field;
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::transport::js::{get, set};
use crate::transport::reply::{As, Field, Reply};

/// Reply field → `EntryInfo` field, but for `type`.
const ENTRY: &[Field] = &[
    Field(field::NAME, "name", As::Str),
    Field(field::PATH, "path", As::Str),
    Field(field::SIZE, "size", As::Int64),
    Field(field::MODE, "mode", As::Num),
    Field(field::PERMISSIONS, "permissions", As::Str),
    Field(field::OWNER, "owner", As::Str),
    Field(field::GROUP, "group", As::Str),
    Field(field::MODIFIED_TIME, "modifiedTime", As::Date),
    Field(field::SYMLINK_TARGET, "symlinkTarget", As::Opt),
    Field(field::METADATA, "metadata", As::Opt),
];

/// Reply field → `WriteInfo` field.
const WRITTEN: &[Field] = &[
    Field(field::NAME, "name", As::Str),
    Field(field::TYPE, "type", As::Str),
    Field(field::PATH, "path", As::Str),
    Field(field::METADATA, "metadata", As::Opt),
];

/// The SDK's name of an entry type; `None` for an unspecified one.
pub fn type_name(kind: &str) -> Option<&'static str> {
    match kind {
        field::TYPE_FILE => Some("file"),
        field::TYPE_DIRECTORY => Some("dir"),
        field::TYPE_SYMLINK => Some("symlink"),
        _ => None,
    }
}

/// The entry as a JS object; `None` for an entry of unspecified type (the official SDK skips those).
pub fn to_js(e: &Reply) -> Option<JsValue> {
    let kind = type_name(&e.str(field::TYPE)?)?;
    let obj = e.reshape(&ENTRY[..1]);
    set(&obj, "type", &kind.into());
    e.reshape_into(&obj, &ENTRY[1..]);
    Some(without_empty_metadata(obj))
}

/// One uploaded file as the official SDK reports it.
pub fn written(w: &Reply) -> JsValue {
    without_empty_metadata(w.reshape(WRITTEN))
}

/// `obj` without its `metadata` when that has no key: the official SDK reports no metadata then.
fn without_empty_metadata(obj: Object) -> JsValue {
    let metadata = get(&obj, "metadata");
    if metadata.is_object() && Object::keys(metadata.unchecked_ref::<Object>()).length() == 0 {
        let _ = Reflect::delete_property(&obj, &"metadata".into());
    }
    obj.into()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn entry_types_take_the_sdks_names() {
        assert_eq!(type_name(field::TYPE_FILE), Some("file"));
        assert_eq!(type_name(field::TYPE_DIRECTORY), Some("dir"));
        assert_eq!(type_name(field::TYPE_SYMLINK), Some("symlink"));
        assert_eq!(type_name("FILE_TYPE_UNSPECIFIED"), None);
        assert_eq!(type_name(""), None);
    }
}
