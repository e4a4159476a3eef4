//! JSON replies read field by field (their names from `wire::fields`) and reshaped into the objects
//! the SDK returns by small field tables. Replies are not decoded through serde: its visitors and
//! error formatting would be most of the wasm.

use std::cell::RefCell;

use js_sys::{Array, Object};
use wasm_bindgen::JsValue;

use crate::errors::{Error, Result};
use crate::transport::js::{get, made_once, reshape_each, reshape_fields, MadeOnce};

/// How a reply field becomes a field of a returned object. Scalars absent from a reply take their
/// zero value, as Connect's JSON leaves out zero values and the official SDK reads them back.
#[derive(Clone, Copy)]
pub enum As {
    /// A string (`""` when absent).
    Str,
    /// A number (`0` when absent).
    Num,
    /// A 64-bit integer, which Connect's JSON sends as a string, as a number (`0` when absent).
    Int64,
    /// A plain object, such as metadata (`{}` when absent).
    Object,
    /// An array (`[]` when absent).
    List,
    /// Any value, left out when absent.
    Opt,
    /// An RFC 3339 time as a `Date`, left out when absent.
    Date,
}

/// One row of a field table: the reply's name, the returned object's name, and how.
pub struct Field(pub &'static str, pub &'static str, pub As);

/// A JSON reply, or a part of one.
#[derive(Clone)]
pub struct Reply(pub JsValue);

impl Reply {
    /// Parses JSON text; an empty body is the empty message `{}`.
    pub fn parse(text: &str) -> Result<Reply> {
        if text.is_empty() {
            return Ok(Reply(Object::new().into()));
        }
        Ok(Reply(js_sys::JSON::parse(text)?))
    }

    /// The field `key` (`undefined` when absent).
    pub fn get(&self, key: &'static str) -> Reply {
        Reply(get(&self.0, key))
    }

    /// True unless this is `undefined` or `null`.
    pub fn is_present(&self) -> bool {
        !(self.0.is_undefined() || self.0.is_null())
    }

    /// The string field `key`.
    pub fn str(&self, key: &'static str) -> Option<String> {
        get(&self.0, key).as_string()
    }

    /// The string field `key`, which a well-formed reply always has.
    pub fn required(&self, key: &'static str) -> Result<String> {
        self.str(key)
            .ok_or_else(|| Error::Plain(["Unexpected response: no '", key, "' in ", &stringify(&self.0)].concat()))
    }

    /// The number field `key`.
    pub fn num(&self, key: &'static str) -> Option<f64> {
        get(&self.0, key).as_f64()
    }

    /// The boolean field `key`.
    pub fn bool(&self, key: &'static str) -> Option<bool> {
        get(&self.0, key).as_bool()
    }

    /// The items of an array (none for anything else).
    pub fn items(&self) -> impl Iterator<Item = Reply> {
        let array = if Array::is_array(&self.0) { Array::from(&self.0) } else { Array::new() };
        array.into_iter().map(Reply)
    }

    /// A new object with the fields of `table`.
    pub fn reshape(&self, table: &'static [Field]) -> Object {
        let obj = Object::new();
        self.reshape_into(&obj, table);
        obj
    }

    /// Each item of an array as a new object with the fields of `table`, in one call (an empty
    /// array for anything but an array).
    pub fn reshape_each(&self, table: &'static [Field]) -> Array {
        reshape_each(&self.0, &js_table(table))
    }

    /// Sets the fields of `table` on `obj`.
    pub fn reshape_into(&self, obj: &Object, table: &'static [Field]) {
        reshape_fields(&self.0, &js_table(table), obj);
    }
}

impl As {
    /// The kind's name in `src/js/object.js`.
    fn name(self) -> &'static str {
        match self {
            As::Str => "str",
            As::Num => "num",
            As::Int64 => "int64",
            As::Object => "object",
            As::List => "list",
            As::Opt => "opt",
            As::Date => "date",
        }
    }
}

thread_local! {
    /// Each table as a JS array, made on first use.
    static TABLES: MadeOnce = const { RefCell::new(Vec::new()) };
}

/// `table` as the JS array `reshape` takes: `[[replyName, name, kind], …]`.
pub fn js_table(table: &'static [Field]) -> JsValue {
    made_once(&TABLES, (table.as_ptr() as usize, table.len()), || {
        let rows: Array = table
            .iter()
            .map(|Field(from, to, kind)| Array::of3(&(*from).into(), &(*to).into(), &kind.name().into()))
            .collect();
        rows.into()
    })
}

/// `value` as JSON text, for messages.
fn stringify(value: &JsValue) -> String {
    js_sys::JSON::stringify(value).ok().and_then(|s| s.as_string()).unwrap_or_default()
}
