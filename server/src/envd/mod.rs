//! envd, the agent inside each sandbox, and the server's side of it.
//!
//! Inside a sandbox, `e2b-local envd` runs as its first process: `init` (PID 1, which reaps
//! orphans) and `agent` (envd's own server, on a socket the host handed it, keeping in `state` the
//! settings the host sends to `/init`, its processes and its watchers). It serves the REST `files`
//! routes (with upload `metadata` and gzip `encoding`) and the Connect services `filesystem/`
//! (entries and watches) and `process/` (one route per method, over the glue in `connect`),
//! acting as a sandbox `user`.
//!
//! On the server, `proxy` passes each client's envd call — picked by `E2b-Sandbox-Id` (or host, or
//! `signature` of a signed `/files` link), checked by the `auth::sandbox_access` layer — to that
//! sandbox's envd.

pub mod agent;
mod connect;
mod encoding;
mod files;
mod filesystem;
mod init;
mod metadata;
mod process;
mod proxy;
pub mod signature;
mod state;
pub mod sudo;
mod user;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;
use e2b_wire::envd::{filesystem as fs_rpc, process as process_rpc, FILES_PATH, HEALTH_PATH};

use crate::auth;
use crate::sandboxes::registry::Sandboxes;

/// The server's envd routes: every call for a running sandbox's envd, checked by
/// `auth::sandbox_access` and passed on to it.
pub fn routes<S: Clone + Send + Sync + 'static>(sandboxes: Arc<Sandboxes>) -> Router<S> {
    let service = |name: &str| format!("/{name}/{{method}}");
    Router::new()
        .route(HEALTH_PATH, get(proxy::forward))
        .route(FILES_PATH, get(proxy::forward).post(proxy::forward))
        .route(&service(fs_rpc::SERVICE), post(proxy::forward))
        .route(&service(process_rpc::SERVICE), post(proxy::forward))
        .route_layer(from_fn_with_state(sandboxes, auth::sandbox_access))
        // Uploads are streamed through, never buffered, so they need no size limit.
        .layer(DefaultBodyLimit::disable())
}
