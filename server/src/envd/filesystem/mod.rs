//! `filesystem.Filesystem` over Connect, in the sandbox, as the calling user; one route per method.
//!
//! `call` gives each call its user and the sandbox's root; `entries` serves the unary calls on
//! entries, described by `entry`. `watch` watches a directory with inotify, for the `watch_dir`
//! stream and for the polled `watchers`, which `registry` keeps.

mod call;
mod entries;
mod entry;
pub mod registry;
mod watch;
mod watch_dir;
mod watchers;

use std::sync::Arc;

use axum::extract::Path;
use axum::routing::post;
use axum::Router;
use e2b_wire::connect::Code;
use e2b_wire::envd::filesystem::{method, SERVICE};
use e2b_wire::envd::rpc_path;

use self::call::FsCall;
use crate::envd::connect::RpcError;
use crate::envd::state::Agent;

/// The service's routes; methods e2b-local does not serve answer `unimplemented`.
pub fn routes() -> Router<Arc<Agent>> {
    Router::new()
        .route(&rpc_path(SERVICE, method::STAT), post(entries::stat))
        .route(&rpc_path(SERVICE, method::LIST_DIR), post(entries::list_dir))
        .route(&rpc_path(SERVICE, method::MAKE_DIR), post(entries::make_dir))
        .route(&rpc_path(SERVICE, method::MOVE), post(entries::move_entry))
        .route(&rpc_path(SERVICE, method::REMOVE), post(entries::remove))
        .route(&rpc_path(SERVICE, method::WATCH_DIR), post(watch_dir::watch_dir))
        .route(&rpc_path(SERVICE, method::CREATE_WATCHER), post(watchers::create_watcher))
        .route(&rpc_path(SERVICE, method::GET_WATCHER_EVENTS), post(watchers::get_watcher_events))
        .route(&rpc_path(SERVICE, method::REMOVE_WATCHER), post(watchers::remove_watcher))
        .route(&rpc_path(SERVICE, "{method}"), post(unimplemented))
}

/// Any other method of the service (after the same user and sandbox checks as the others).
async fn unimplemented(_call: FsCall, Path(name): Path<String>) -> RpcError {
    RpcError::new(Code::Unimplemented, format!("{SERVICE}/{name} is not implemented"))
}
