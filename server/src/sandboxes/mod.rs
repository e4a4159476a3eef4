//! Sandboxes: the control plane's `/sandboxes` and `/v2/sandboxes` (API key), and the sandboxes
//! themselves — isolated containers (`runtime`), each a `sandbox` kept in the `registry` until it
//! times out, is killed or dies.

mod api;
mod listing;
mod mounts;
pub mod registry;
mod replies;
pub mod runtime;
pub mod sandbox;

use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;

use crate::auth;
use crate::state::SharedState;

/// The control plane's sandbox routes, behind the API key.
pub fn routes(state: &SharedState) -> Router<SharedState> {
    Router::new()
        .route("/sandboxes", post(api::create))
        // The official SDK creates through /v2/sandboxes since 2.x.
        .route("/v2/sandboxes", get(api::list).post(api::create))
        .route("/sandboxes/{id}", get(api::get).delete(api::kill))
        .route("/sandboxes/{id}/timeout", post(api::set_timeout))
        .route("/sandboxes/{id}/connect", post(api::connect))
        .route_layer(from_fn_with_state(state.clone(), auth::api_key))
}
