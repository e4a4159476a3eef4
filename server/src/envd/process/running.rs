//! Unary calls on running processes: `List`, `SendSignal`, `CloseStdin` and `Update` (a terminal's
//! size).

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use e2b_wire::connect::Code;
use e2b_wire::envd::process::{ListResponse, SelectRequest, SendSignalRequest, Signal, UpdateRequest};
use e2b_wire::envd::Empty;

use super::start::terminal_size;
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

/// `process.Process/CloseStdin`: the process reads end-of-file. A terminal has no stdin to close.
pub async fn close_stdin(
    State(agent): State<Arc<Agent>>,
    Unary(req): Unary<SelectRequest>,
) -> Result<Response, RpcError> {
    let on_terminal = agent
        .processes
        .with(&req.process, |_, e| {
            e.stdin = None;
            e.terminal.is_some()
        })
        .ok_or_else(not_found)?;
    if on_terminal {
        let message = "cannot close stdin for PTY process — send Ctrl+D (0x04) instead";
        return Err(RpcError::new(Code::FailedPrecondition, message));
    }
    Ok(connect::unary(&Empty {}))
}

/// `process.Process/Update`: resizes the process's terminal (its programs get SIGWINCH).
pub async fn update(State(agent): State<Arc<Agent>>, Unary(req): Unary<UpdateRequest>) -> Result<Response, RpcError> {
    let terminal = agent.processes.with(&req.process, |_, e| e.terminal.clone()).ok_or_else(not_found)?;
    if let Some(pty) = req.pty {
        let terminal = terminal
            .ok_or_else(|| RpcError::new(Code::FailedPrecondition, "tty not assigned to process: it has no size"))?;
        let (cols, rows) = terminal_size(pty.size.cols, pty.size.rows)?;
        terminal.resize(cols, rows).map_err(|e| RpcError::internal(format!("error resizing tty: {e}")))?;
    }
    Ok(connect::unary(&Empty {}))
}
