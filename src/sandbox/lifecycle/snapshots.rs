//! `SnapshotPaginator`: the pages of `Sandbox.listSnapshots()`, and each `SnapshotInfo`.

use std::cell::RefCell;
use std::rc::Rc;

use e2b_wire::fields::lifecycle as field;
use js_sys::{Array, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::config::ApiConfig;
use crate::errors::{messages, Error};
use crate::options::Options;
use crate::sandbox::api;
use crate::transport::promise::promise;
use crate::transport::reply::{As, Field, Reply};

/// Reply field → `SnapshotInfo` field.
const SNAPSHOT: &[Field] = &[Field(field::SNAPSHOT_ID, "snapshotId", As::Str), Field(field::NAMES, "names", As::List)];

/// A `SnapshotInfo` from a reply's `SnapshotInfo`.
pub fn info(reply: &Reply) -> JsValue {
    reply.reshape(SNAPSHOT).into()
}

/// Pages of `Sandbox.listSnapshots()`.
#[wasm_bindgen]
pub struct SnapshotPaginator {
    state: Rc<RefCell<Pages>>,
}

/// Where a paginator is: shared with the page being fetched, which moves it on.
struct Pages {
    opts: JsValue,
    next_token: Option<String>,
    has_next: bool,
}

impl SnapshotPaginator {
    /// A paginator with the options of `listSnapshots(opts)`; nothing is fetched yet.
    pub fn new(opts: JsValue) -> Self {
        let next_token = Options::new(Some(opts.clone())).string("nextToken");
        Self { state: Rc::new(RefCell::new(Pages { opts, next_token, has_next: true })) }
    }
}

#[wasm_bindgen]
impl SnapshotPaginator {
    /// Whether another page can be fetched.
    #[wasm_bindgen(getter, js_name = hasNext)]
    pub fn has_next(&self) -> bool {
        self.state.borrow().has_next
    }

    /// The cursor of the next page.
    #[wasm_bindgen(getter, js_name = nextToken)]
    pub fn next_token(&self) -> Option<String> {
        self.state.borrow().next_token.clone()
    }

    /// Fetches the next page of snapshots; `opts` override the paginator's connection options.
    #[wasm_bindgen(js_name = nextItems, unchecked_return_type = "Promise<SnapshotInfo[]>")]
    pub fn next_items(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "SandboxApiOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let state = self.state.clone();
        promise(async move {
            let (list, call, token) = {
                let s = state.borrow();
                if !s.has_next {
                    return Err(Error::Plain(messages::NO_MORE_ITEMS.into()));
                }
                (Options::new(Some(s.opts.clone())), merged(&s.opts, opts), s.next_token.clone())
            };
            let query = [
                ("sandboxID", list.string("sandboxId")),
                ("name", list.string("name")),
                ("limit", list.query_value("limit")),
                ("nextToken", token),
            ];
            let (items, next) = api::snapshots(&ApiConfig::new(&call), &query).await?;
            let mut s = state.borrow_mut();
            s.has_next = next.is_some();
            s.next_token = next;
            Ok(items.items().map(|item| info(&item)).collect::<Array>().into())
        })
    }
}

/// The paginator's options with the defined ones of a page's call over them.
fn merged(base: &JsValue, call: Option<JsValue>) -> Options {
    let out = Object::new();
    if base.is_object() {
        Object::assign(&out, base.unchecked_ref());
    }
    if let Some(call) = call.filter(|c| c.is_object()) {
        for (key, value) in Object::entries(call.unchecked_ref()).iter().map(|e| {
            let pair: Array = e.unchecked_into();
            (pair.get(0), pair.get(1))
        }) {
            if !value.is_undefined() {
                let _ = js_sys::Reflect::set(&out, &key, &value);
            }
        }
    }
    Options::new(Some(out.into()))
}
