//! `process.Process` over Connect: commands started in the sandbox as the calling user (on pipes
//! or a terminal), their events streamed to every client attached; one route per method.
//!
//! `start` handles `Start` with `command` (the command line) and `terminal` (pseudo-terminals);
//! `pump` carries each process's output and end (`end`) to its `hub`, which fans them out to the
//! streams of `events` — the `Start` stream and those `attach` (`Connect`) adds. `running` and
//! `input` serve the calls on running processes, which `table` keeps.

mod attach;
mod command;
mod end;
mod events;
mod hub;
mod input;
mod pump;
mod running;
mod start;
pub mod table;
mod terminal;

use std::sync::Arc;

use axum::extract::Path;
use axum::routing::post;
use axum::Router;
use e2b_wire::connect::Code;
use e2b_wire::envd::process::{method, SERVICE};
use e2b_wire::envd::rpc_path;

use super::connect::RpcError;
use super::state::Agent;

/// The service's routes; methods e2b-local does not serve answer `unimplemented`.
pub fn routes() -> Router<Arc<Agent>> {
    Router::new()
        .route(&rpc_path(SERVICE, method::START), post(start::start))
        .route(&rpc_path(SERVICE, method::CONNECT), post(attach::connect))
        .route(&rpc_path(SERVICE, method::LIST), post(running::list))
        .route(&rpc_path(SERVICE, method::SEND_SIGNAL), post(running::send_signal))
        .route(&rpc_path(SERVICE, method::SEND_INPUT), post(input::send_input))
        .route(&rpc_path(SERVICE, method::STREAM_INPUT), post(input::stream_input))
        .route(&rpc_path(SERVICE, method::CLOSE_STDIN), post(running::close_stdin))
        .route(&rpc_path(SERVICE, method::UPDATE), post(running::update))
        .route(&rpc_path(SERVICE, "{method}"), post(unimplemented))
}

/// Any other method of the service.
async fn unimplemented(Path(name): Path<String>) -> RpcError {
    RpcError::new(Code::Unimplemented, format!("{SERVICE}/{name} is not implemented"))
}
