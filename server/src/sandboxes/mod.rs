//! Sandboxes on the control plane — `/sandboxes`, `/v2/sandboxes`, `/snapshots` and
//! `/templates/{id}`, behind the API key — and the sandboxes themselves: isolated containers
//! (`runtime`), each a `sandbox` kept in the `registry` while it runs or is paused, until it times
//! out, is killed or dies.
//!
//! Handlers: `create` (v1 and v2, from the base template or a snapshot), `api` (get, list, kill,
//! timeout, refresh, with `listing` and `replies`), `lifecycle` (pause, resume, connect),
//! `snapshots` (snapshots and forks, kept in the `catalog`), `network` (egress rules), `metrics`
//! (resource use, sampled into each sandbox's `history`). `transitions` is what they do to a
//! sandbox's container; `mounts` checks volume mounts; `requests` is what handlers share.

mod api;
pub mod catalog;
mod create;
mod history;
mod lifecycle;
mod listing;
pub mod metrics;
mod mounts;
mod network;
pub mod registry;
mod replies;
mod requests;
pub mod runtime;
pub mod sandbox;
mod snapshots;
mod transitions;

use axum::middleware::from_fn_with_state;
use axum::routing::{delete, get, post, put};
use axum::Router;

use crate::auth;
use crate::state::SharedState;

/// The control plane's sandbox routes, behind the API key.
pub fn routes(state: &SharedState) -> Router<SharedState> {
    Router::new()
        .route("/sandboxes", post(create::create_v1))
        // The official SDK creates and connects through /v2 since 2.x.
        .route("/v2/sandboxes", get(api::list).post(create::create_v2))
        .route("/v2/sandboxes/{id}/connect", post(lifecycle::connect_v2))
        .route("/sandboxes/metrics", get(metrics::of_many))
        .route("/sandboxes/{id}", get(api::get).delete(api::kill))
        .route("/sandboxes/{id}/timeout", post(api::set_timeout))
        .route("/sandboxes/{id}/refreshes", post(api::refresh))
        .route("/sandboxes/{id}/connect", post(lifecycle::connect_v1))
        .route("/sandboxes/{id}/pause", post(lifecycle::pause))
        .route("/sandboxes/{id}/resume", post(lifecycle::resume))
        .route("/sandboxes/{id}/fork", post(snapshots::fork))
        .route("/sandboxes/{id}/snapshots", post(snapshots::take))
        .route("/sandboxes/{id}/metrics", get(metrics::of_one))
        .route("/sandboxes/{id}/network", put(network::update))
        .route("/snapshots", get(snapshots::list))
        .route("/templates/{id}", delete(snapshots::delete))
        .route_layer(from_fn_with_state(state.clone(), auth::api_key))
}
