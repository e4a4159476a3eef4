//! `Start`: runs a command in the sandbox as the calling user and streams its events.

use std::process::Stdio;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use e2b_wire::connect::Code;
use e2b_wire::envd::process::StartRequest;
use tokio::sync::mpsc;

use super::command::{launch, Launch};
use super::pump::Pump;
use super::table::Entry;
use crate::envd::connect::{self, RpcError, StreamRequest};
use crate::envd::state::Agent;
use crate::envd::user::SandboxUser;

/// Events buffered for a slow client before the process's output waits.
const EVENT_BUFFER: usize = 64;

/// `process.Process/Start`.
pub async fn start(
    State(agent): State<Arc<Agent>>,
    headers: HeaderMap,
    StreamRequest(req): StreamRequest<StartRequest>,
) -> Result<Response, RpcError> {
    let user = SandboxUser::from_basic_auth(&headers).map_err(|e| RpcError::new(Code::Unauthenticated, e))?;
    let Launch { program, args, env, cwd, uid } =
        launch(user, &agent.env_vars(), &req.process).map_err(RpcError::invalid)?;
    let mut child = tokio::process::Command::new(&program)
        .args(&args)
        .env_clear()
        .envs(&env)
        .current_dir(&cwd)
        .uid(uid)
        .gid(uid)
        .stdin(if req.stdin == Some(true) { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|e| RpcError::invalid(format!("cannot start {program:?} in {cwd:?}: {e}")))?;
    let pid = child.id().unwrap_or_default();
    let stdin = child.stdin.take().map(|s| Arc::new(tokio::sync::Mutex::new(s)));
    agent.processes.add(pid, Entry { config: req.process, tag: req.tag, stdin });

    let (events, rx) = mpsc::channel::<Bytes>(EVENT_BUFFER);
    let deadline = connect::deadline(&headers);
    tokio::spawn(Pump { child, pid, deadline, agent, events }.run());
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|envelope| (Ok::<_, std::io::Error>(envelope), rx))
    });
    Ok(connect::stream_response(Body::from_stream(stream)))
}
