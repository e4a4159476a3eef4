//! `Start`: runs a command in the sandbox as the calling user — on pipes, or on a terminal when
//! asked — and streams its events.

use std::process::Stdio;
use std::sync::Arc;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use e2b_wire::connect::Code;
use e2b_wire::envd::process::StartRequest;

use super::command::{launch, Launch};
use super::events;
use super::hub::Hub;
use super::pump::{Output, Pump};
use super::table::Entry;
use super::terminal::{self, Terminal};
use crate::envd::connect::{self, RpcError, StreamRequest};
use crate::envd::state::Agent;
use crate::envd::user::SandboxUser;

/// `process.Process/Start`.
pub async fn start(
    State(agent): State<Arc<Agent>>,
    headers: HeaderMap,
    StreamRequest(req): StreamRequest<StartRequest>,
) -> Result<Response, RpcError> {
    let user = SandboxUser::from_basic_auth(&headers).map_err(|e| RpcError::new(Code::Unauthenticated, e))?;
    let Launch { program, args, env, cwd, uid } =
        launch(user, &agent.env_vars(), &req.process, req.pty.is_some()).map_err(RpcError::invalid)?;
    let mut cmd = tokio::process::Command::new(&program);
    cmd.args(&args).env_clear().envs(&env).current_dir(&cwd).uid(uid).gid(uid);
    let terminal = match req.pty {
        Some(pty) => {
            let (cols, rows) = terminal_size(pty.size.cols, pty.size.rows)?;
            let (terminal, user_side) =
                Terminal::open(cols, rows).map_err(|e| RpcError::internal(format!("cannot open a terminal: {e}")))?;
            terminal::attach(&mut cmd, user_side).map_err(|e| RpcError::internal(e.to_string()))?;
            Some(Arc::new(terminal))
        }
        None => {
            let stdin = if req.stdin == Some(true) { Stdio::piped() } else { Stdio::null() };
            cmd.stdin(stdin).stdout(Stdio::piped()).stderr(Stdio::piped()).process_group(0);
            None
        }
    };
    let spawned = cmd.spawn();
    // The command holds envd's copies of the terminal's user side: the terminal's output ends
    // only once the process's own copies are all closed.
    drop(cmd);
    let mut child = spawned.map_err(|e| RpcError::invalid(format!("cannot start {program:?} in {cwd:?}: {e}")))?;
    let pid = child.id().unwrap_or_default();
    let output = match &terminal {
        Some(t) => Output::Terminal(t.clone()),
        None => Output::Pipes(child.stdout.take().expect("piped"), child.stderr.take().expect("piped")),
    };
    let stdin = child.stdin.take().map(|s| Arc::new(tokio::sync::Mutex::new(s)));
    let hub = Arc::new(Hub::default());
    let events = hub.subscribe(true).expect("a new process's hub is open");
    agent.processes.add(pid, Entry { config: req.process, tag: req.tag, stdin, terminal, hub: hub.clone() });

    let deadline = connect::deadline(&headers);
    tokio::spawn(Pump { child, pid, output, deadline, agent, hub }.run());
    // The deadline is the process's: the pump kills it then and ends this stream.
    let body = events::body(events::start(pid), events, connect::keepalive(&headers), None);
    Ok(connect::stream_response(body))
}

/// A terminal's size as the kernel keeps it.
pub fn terminal_size(cols: u32, rows: u32) -> Result<(u16, u16), RpcError> {
    match (u16::try_from(cols), u16::try_from(rows)) {
        (Ok(c), Ok(r)) => Ok((c, r)),
        _ => Err(RpcError::invalid(format!("a terminal of {cols}x{rows} is too large (at most 65535 each way)"))),
    }
}
