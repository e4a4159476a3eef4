//! Calls on running processes: `List`, `SendSignal`, `SendInput` and `CloseStdin`.

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use base64::Engine as _;
use e2b_wire::connect::Code;
use e2b_wire::envd::process::{ListResponse, SelectRequest, SendInputRequest, SendSignalRequest, Signal};
use e2b_wire::envd::Empty;
use tokio::io::AsyncWriteExt;

use super::table::signal_group;
use crate::envd::connect::{self, RpcError, Unary};
use crate::envd::state::Agent;

fn not_found() -> RpcError {
    RpcError::not_found("process not found")
}

/// `process.Process/List`: every process started through envd that still runs.
pub async fn list(State(agent): State<Arc<Agent>>) -> Response {
    connect::unary(&ListResponse { processes: agent.processes.list() })
}

/// `process.Process/SendSignal`: SIGTERM or SIGKILL to the process and what it started.
pub async fn send_signal(
    State(agent): State<Arc<Agent>>,
    Unary(req): Unary<SendSignalRequest>,
) -> Result<Response, RpcError> {
    let signal = match req.signal {
        Signal::Kill => rustix::process::Signal::KILL,
        Signal::Term => rustix::process::Signal::TERM,
        Signal::Unspecified => return Err(RpcError::invalid("unsupported signal")),
    };
    let group = agent.processes.with(&req.process, |pid, _| pid).ok_or_else(not_found)?;
    signal_group(group, signal);
    Ok(connect::unary(&Empty {}))
}

/// `process.Process/SendInput`: bytes to the process's stdin.
pub async fn send_input(
    State(agent): State<Arc<Agent>>,
    Unary(req): Unary<SendInputRequest>,
) -> Result<Response, RpcError> {
    let data = req.input.stdin.or(req.input.pty).unwrap_or_default();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|e| RpcError::invalid(format!("stdin must be base64: {e}")))?;
    let stdin = agent.processes.with(&req.process, |_, e| e.stdin.clone()).ok_or_else(not_found)?.ok_or_else(|| {
        RpcError::new(Code::FailedPrecondition, "the process was started without stdin, or it is closed")
    })?;
    stdin.lock().await.write_all(&bytes).await.map_err(|e| RpcError::internal(e.to_string()))?;
    Ok(connect::unary(&Empty {}))
}

/// `process.Process/CloseStdin`: the process reads end-of-file.
pub async fn close_stdin(
    State(agent): State<Arc<Agent>>,
    Unary(req): Unary<SelectRequest>,
) -> Result<Response, RpcError> {
    agent.processes.with(&req.process, |_, e| e.stdin = None).ok_or_else(not_found)?;
    Ok(connect::unary(&Empty {}))
}
