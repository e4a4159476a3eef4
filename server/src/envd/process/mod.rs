//! `process.Process` over Connect: commands started in the sandbox as the calling user, their
//! output streamed back as events; one route per method.
//!
//! `start` handles `Start` with `command` (the command line) and `pump` (the event stream, with
//! `end` for the last event); `running` handles calls on running processes; `table` keeps them.

mod command;
mod end;
mod pump;
mod running;
mod start;
pub mod table;

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
        .route(&rpc_path(SERVICE, method::LIST), post(running::list))
        .route(&rpc_path(SERVICE, method::SEND_SIGNAL), post(running::send_signal))
        .route(&rpc_path(SERVICE, method::SEND_INPUT), post(running::send_input))
        .route(&rpc_path(SERVICE, method::CLOSE_STDIN), post(running::close_stdin))
        .route(&rpc_path(SERVICE, "{method}"), post(unimplemented))
}

/// Any other method of the service.
async fn unimplemented(Path(name): Path<String>) -> RpcError {
    RpcError::new(Code::Unimplemented, format!("{SERVICE}/{name} is not implemented"))
}
