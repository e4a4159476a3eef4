//! `Connect`: attaches another stream to a running process, by PID or tag — its start event
//! again, then its output from now on, and its end. The call's deadline ends the stream only.

use std::sync::Arc;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use e2b_wire::envd::process::SelectRequest;

use super::events;
use crate::envd::connect::{self, RpcError, StreamRequest};
use crate::envd::state::Agent;

/// `process.Process/Connect`; an unknown process ends the stream with `not_found`.
pub async fn connect(
    State(agent): State<Arc<Agent>>,
    headers: HeaderMap,
    StreamRequest(req): StreamRequest<SelectRequest>,
) -> Response {
    let found = agent.processes.with(&req.process, |pid, e| (pid, e.hub.clone()));
    // A process that has just ended takes no new streams.
    let Some((pid, attached)) = found.and_then(|(pid, hub)| Some((pid, hub.subscribe(false)?))) else {
        return connect::stream_error(RpcError::not_found(format!("process {} not found", describe(&req))));
    };
    let body = events::body(events::start(pid), attached, connect::keepalive(&headers), connect::deadline(&headers));
    connect::stream_response(body)
}

/// The selector as people name it: `with pid 7`, `with tag "web"`.
fn describe(req: &SelectRequest) -> String {
    match (&req.process.pid, &req.process.tag) {
        (Some(pid), _) => format!("with pid {pid}"),
        (None, Some(tag)) => format!("with tag {tag:?}"),
        (None, None) => "(none named)".into(),
    }
}
