//! `SnapshotPaginator`: the pages of `Sandbox.listSnapshots()`, and each `SnapshotInfo`.

use std::cell::RefCell;
use std::rc::Rc;

use e2b_wire::fields::lifecycle as field;
use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;

use crate::config::ApiConfig;
use crate::sandbox::api;
use crate::sandbox::paginator::Cursor;
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
    cursor: Rc<RefCell<Cursor>>,
}

impl SnapshotPaginator {
    /// A paginator with the options of `listSnapshots(opts)`; nothing is fetched yet.
    pub fn new(opts: JsValue) -> Self {
        Self { cursor: Cursor::new(Some(opts)) }
    }
}

#[wasm_bindgen]
impl SnapshotPaginator {
    /// Whether another page can be fetched.
    #[wasm_bindgen(getter, js_name = hasNext)]
    pub fn has_next(&self) -> bool {
        self.cursor.borrow().has_next()
    }

    /// The cursor of the next page.
    #[wasm_bindgen(getter, js_name = nextToken)]
    pub fn next_token(&self) -> Option<String> {
        self.cursor.borrow().next_token()
    }

    /// Fetches the next page of snapshots; `opts` override the paginator's connection options.
    #[wasm_bindgen(js_name = nextItems, unchecked_return_type = "Promise<SnapshotInfo[]>")]
    pub fn next_items(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "SandboxApiOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let cursor = self.cursor.clone();
        promise(async move {
            let (list, call, token) = cursor.borrow().next(opts)?;
            let query = [
                ("sandboxID", list.string("sandboxId")),
                ("name", list.string("name")),
                ("limit", list.query_value("limit")),
                ("nextToken", token),
            ];
            let (items, next) = api::snapshots(&ApiConfig::new(&call), &query).await?;
            cursor.borrow_mut().moved(next);
            Ok(items.items().map(|item| info(&item)).collect::<Array>().into())
        })
    }
}
