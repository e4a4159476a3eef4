//! `Start`: runs a command inside the sandbox as the calling user and streams its events.

use std::process::Stdio;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use e2b_wire::connect::Code;
use e2b_wire::envd::process::StartRequest;
use tokio::sync::mpsc;

use super::command::{command_line, Launch};
use super::pump::Pump;
use super::table::{Entry, Processes};
use crate::envd::connect::{self, RpcError, StreamRequest};
use crate::envd::user::SandboxUser;
use crate::sandboxes::runtime::Sandbox;

/// Events buffered for a slow client before the process's output waits.
const EVENT_BUFFER: usize = 64;

/// `process.Process/Start`.
pub async fn start(
    State(processes): State<Arc<Processes>>,
    Extension(sandbox): Extension<Arc<Sandbox>>,
    headers: HeaderMap,
    StreamRequest(req): StreamRequest<StartRequest>,
) -> Result<Response, RpcError> {
    let user = SandboxUser::from_basic_auth(&headers).map_err(|e| RpcError::new(Code::Unauthenticated, e))?;
    let launch = Launch {
        init_pid: sandbox.init_pid,
        sandbox_id: &sandbox.id,
        sandbox_envs: &sandbox.env_vars,
        user,
        process: &req.process,
    };
    let args = command_line(&launch).map_err(RpcError::invalid)?;
    let mut child = tokio::process::Command::new(&args[0])
        .args(&args[1..])
        .stdin(if req.stdin == Some(true) { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|e| RpcError::internal(format!("cannot start the process: {e}")))?;
    let group = child.id().unwrap_or_default() as i32;
    let stdin = child.stdin.take().map(|s| Arc::new(tokio::sync::Mutex::new(s)));
    let table = processes.of(&sandbox);
    let pid = table.add(Entry { config: req.process, tag: req.tag, group, stdin });

    let (events, rx) = mpsc::channel::<Bytes>(EVENT_BUFFER);
    let deadline = connect::deadline(&headers);
    tokio::spawn(Pump { child, pid, group, deadline, table, events }.run());
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|envelope| (Ok::<_, std::io::Error>(envelope), rx))
    });
    Ok(connect::stream_response(Body::from_stream(stream)))
}
