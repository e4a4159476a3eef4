//! envd, the agent inside each sandbox, served on e2b-local's port for every sandbox at once:
//! requests pick their sandbox with the `E2b-Sandbox-Id` header and prove access with
//! `X-Access-Token` (the `auth::sandbox_access` layer). File work happens in the sandbox's own
//! mount namespace, as its user.
//!
//! `files` serves the REST file routes; `filesystem` and `process` the two Connect services,
//! one route per method, over the Connect glue in `connect`; `user` is who acts.

mod connect;
mod files;
mod filesystem;
mod process;
mod user;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::routing::get;
use axum::Router;
use e2b_wire::envd::{FILES_PATH, HEALTH_PATH};

use crate::auth;
use crate::sandboxes::registry::Sandboxes;

/// envd's routes for the sandboxes in `sandboxes`, each call checked by `auth::sandbox_access`.
pub fn routes<S: Clone + Send + Sync + 'static>(sandboxes: Arc<Sandboxes>) -> Router<S> {
    Router::new()
        .route(HEALTH_PATH, get(health))
        .route(FILES_PATH, get(files::download).post(files::upload))
        .merge(filesystem::routes())
        .merge(process::routes())
        .route_layer(from_fn_with_state(sandboxes, auth::sandbox_access))
        // Uploads are streamed to disk, never buffered, so they need no size limit.
        .layer(DefaultBodyLimit::disable())
        .with_state(Arc::new(process::Processes::default()))
}

/// `GET /health`: 204 while the sandbox runs (the access layer has checked that).
async fn health() -> StatusCode {
    StatusCode::NO_CONTENT
}
