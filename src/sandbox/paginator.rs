//! `SandboxPaginator`: the pages of `Sandbox.list()`, and the query each page is fetched with.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Date, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::config::ApiConfig;
use crate::errors::{messages, Error};
use crate::options::Options;
use crate::sandbox::api;
use crate::sandbox::info;
use crate::transport::promise::promise;
use crate::transport::query::encoded_form;

/// Pages of `Sandbox.list()`.
#[wasm_bindgen]
pub struct SandboxPaginator {
    state: Rc<RefCell<Pages>>,
}

/// Where a paginator is: shared with the page being fetched, which moves it on.
struct Pages {
    opts: JsValue,
    next_token: Option<String>,
    has_next: bool,
}

impl SandboxPaginator {
    /// A paginator with the options of `Sandbox.list(opts)`; nothing is fetched yet.
    pub fn new(opts: Option<JsValue>) -> Self {
        let next_token = Options::new(opts.clone()).string("nextToken");
        let pages = Pages { opts: opts.unwrap_or(JsValue::UNDEFINED), next_token, has_next: true };
        Self { state: Rc::new(RefCell::new(pages)) }
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
        self.state.borrow().has_next
    }

    /// The cursor of the next page.
    #[wasm_bindgen(getter, js_name = nextToken)]
    pub fn next_token(&self) -> Option<String> {
        self.state.borrow().next_token.clone()
    }

    /// Fetches the next page of sandboxes; `opts` (over the list's own) apply to this page only,
    /// such as a `signal` that aborts it.
    #[wasm_bindgen(js_name = nextItems, unchecked_return_type = "Promise<SandboxInfo[]>")]
    pub fn next_items(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "SandboxApiOpts")] opts: Option<JsValue>,
    ) -> Promise {
        let state = self.state.clone();
        promise(async move {
            let (opts, token) = {
                let s = state.borrow();
                if !s.has_next {
                    return Err(Error::Plain(messages::NO_MORE_ITEMS.into()));
                }
                let merged = Object::new();
                for layer in [&s.opts, opts.as_ref().unwrap_or(&JsValue::UNDEFINED)] {
                    if layer.is_object() {
                        Object::assign(&merged, layer.unchecked_ref());
                    }
                }
                (Options::new(Some(merged.into())), s.next_token.clone())
            };
            let (items, next) = api::list(&ApiConfig::new(&opts), &page_query(&opts, token)).await?;
            let mut s = state.borrow_mut();
            s.has_next = next.is_some();
            s.next_token = next;
            Ok(items.items().map(|item| info::of(&item, None)).collect::<Array>().into())
        })
    }
}
