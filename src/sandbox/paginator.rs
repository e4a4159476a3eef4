//! `SandboxPaginator`: the pages of `Sandbox.list()` and the query each page is fetched with, and
//! the cursor it shares with `SnapshotPaginator`.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Date, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::config::ApiConfig;
use crate::errors::{messages, Error, Result};
use crate::options::Options;
use crate::sandbox::api;
use crate::sandbox::info;
use crate::transport::promise::promise;
use crate::transport::query::encoded_form;

/// Pages of `Sandbox.list()`.
#[wasm_bindgen]
pub struct SandboxPaginator {
    cursor: Rc<RefCell<Cursor>>,
}

/// Where a paginator is, shared with the page being fetched, which moves it on. As the official
/// SDK's paginators: the list's options make every page's query, and a page's own options (the
/// defined ones) override the list's connection options for that page only.
pub struct Cursor {
    opts: JsValue,
    next_token: Option<String>,
    has_next: bool,
}

impl Cursor {
    /// At the first page (or the list's `nextToken`) of a list made with `opts`.
    pub fn new(opts: Option<JsValue>) -> Rc<RefCell<Self>> {
        let next_token = Options::new(opts.clone()).string("nextToken");
        Rc::new(RefCell::new(Self { opts: opts.unwrap_or(JsValue::UNDEFINED), next_token, has_next: true }))
    }

    /// Whether another page can be fetched.
    pub fn has_next(&self) -> bool {
        self.has_next
    }

    /// The cursor of the next page.
    pub fn next_token(&self) -> Option<String> {
        self.next_token.clone()
    }

    /// The next page's list options, connection options (`page`'s over the list's) and token; an
    /// error once there is no next page.
    pub fn next(&self, page: Option<JsValue>) -> Result<(Options, Options, Option<String>)> {
        if !self.has_next {
            return Err(Error::Plain(messages::NO_MORE_ITEMS.into()));
        }
        Ok((Options::new(Some(self.opts.clone())), merged(&self.opts, page), self.next_token.clone()))
    }

    /// Moves on past a page whose reply named `next` as the cursor after it.
    pub fn moved(&mut self, next: Option<String>) {
        self.has_next = next.is_some();
        self.next_token = next;
    }
}

/// The list's options with the defined ones of a page's call over them.
fn merged(base: &JsValue, page: Option<JsValue>) -> Options {
    let out = Object::new();
    if base.is_object() {
        Object::assign(&out, base.unchecked_ref());
    }
    if let Some(page) = page.filter(|c| c.is_object()) {
        for entry in Object::entries(page.unchecked_ref()).iter() {
            let pair: Array = entry.unchecked_into();
            if !pair.get(1).is_undefined() {
                let _ = js_sys::Reflect::set(&out, &pair.get(0), &pair.get(1));
            }
        }
    }
    Options::new(Some(out.into()))
}

impl SandboxPaginator {
    /// A paginator with the options of `Sandbox.list(opts)`; nothing is fetched yet.
    pub fn new(opts: Option<JsValue>) -> Self {
        Self { cursor: Cursor::new(opts) }
    }
}

/// The query of one page, in the official SDK's order.
fn page_query(opts: &Options, next_token: Option<String>) -> Vec<(&'static str, Option<String>)> {
    let query = Options::new(opts.get("query"));
    let metadata = query.get("metadata").map(|m| {
        let pairs: Vec<(String, String)> = Object::entries(m.unchecked_ref())
            .iter()
            .map(|e| {
                let pair: Array = e.unchecked_into();
                (pair.get(0).as_string().unwrap_or_default(), pair.get(1).as_string().unwrap_or_default())
            })
            .collect();
        encoded_form(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    });
    let state =
        query.get("state").map(|s| Array::from(&s).iter().filter_map(|v| v.as_string()).collect::<Vec<_>>().join(","));
    let started_after =
        query.get("startedAfter").and_then(|d| d.dyn_into::<Date>().ok()).map(|d| String::from(d.to_iso_string()));
    vec![
        ("metadata", metadata),
        ("state", state),
        ("startedAfter", started_after),
        ("template", query.string("template")),
        ("order", opts.string("order")),
        ("limit", opts.query_value("limit")),
        ("nextToken", next_token),
    ]
}

#[wasm_bindgen]
impl SandboxPaginator {
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

    /// Fetches the next page of sandboxes; `opts` (over the list's own) apply to this page only,
    /// such as a `signal` that aborts it.
    #[wasm_bindgen(js_name = nextItems, unchecked_return_type = "Promise<SandboxInfo[]>")]
    pub fn next_items(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "SandboxApiOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let cursor = self.cursor.clone();
        promise(async move {
            let (list, call, token) = cursor.borrow().next(opts)?;
            let (items, next) = api::list(&ApiConfig::new(&call), &page_query(&list, token)).await?;
            cursor.borrow_mut().moved(next);
            Ok(items.items().map(|item| info::of(&item, None)).collect::<Array>().into())
        })
    }
}
