//! Volume entries (`VolumeEntryStat`) as the official SDK returns them: its fields, times as `Date`s.

use e2b_wire::fields::volume_entry as field;
use wasm_bindgen::JsValue;

use crate::transport::reply::{As, Field, Reply};

/// Reply field → returned field.
pub const ENTRY: &[Field] = &[
    Field(field::NAME, "name", As::Str),
    Field(field::TYPE, "type", As::Str),
    Field(field::PATH, "path", As::Str),
    Field(field::SIZE, "size", As::Num),
    Field(field::MODE, "mode", As::Num),
    Field(field::UID, "uid", As::Num),
    Field(field::GID, "gid", As::Num),
    Field(field::ATIME, "atime", As::Date),
    Field(field::MTIME, "mtime", As::Date),
    Field(field::CTIME, "ctime", As::Date),
    Field(field::TARGET, "target", As::Opt),
];

/// One entry.
pub fn to_js(entry: &Reply) -> JsValue {
    entry.reshape(ENTRY).into()
}

/// A list of entries (anything but an array lists nothing).
pub fn list(entries: &Reply) -> JsValue {
    entries.reshape_each(ENTRY).into()
}
