//! envd's own server, inside a sandbox (`e2b-local envd`): it serves on the listening socket the
//! host handed it as descriptor 3, takes its settings from the host at `/init`, and exits when the
//! host's end of the lifeline (descriptor 4) closes — as it does if the server dies.

use std::os::fd::{FromRawFd as _, OwnedFd};
use std::process::ExitCode;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use e2b_wire::envd::{EnvdInit, FILES_PATH, HEALTH_PATH, INIT_PATH};

use super::state::Agent;
use super::{files, filesystem, init, process};

/// Descriptor of the listening socket.
pub const LISTEN_FD: i32 = 3;
/// Descriptor of the lifeline's read end.
pub const LIFELINE_FD: i32 = 4;

/// The agent's routes.
pub fn router(agent: Arc<Agent>) -> Router {
    Router::new()
        .route(INIT_PATH, post(settings))
        .route(HEALTH_PATH, get(|| async { StatusCode::NO_CONTENT }))
        .route(FILES_PATH, get(files::download).post(files::upload))
        .merge(filesystem::routes())
        .merge(process::routes())
        // Uploads are streamed to disk, never buffered, so they need no size limit.
        .layer(DefaultBodyLimit::disable())
        .with_state(agent)
}

/// `POST /init`: the host's settings for this sandbox.
async fn settings(State(agent): State<Arc<Agent>>, Json(init): Json<EnvdInit>) -> StatusCode {
    if let Some(vars) = init.env_vars {
        agent.set_env_vars(vars);
    }
    StatusCode::NO_CONTENT
}

/// Runs envd as a sandbox's first process; returns when it ends.
pub fn run() -> ExitCode {
    // PID 1 stays in `fork_envd`, reaping orphans; the child carries on as envd.
    init::fork_envd(&[LISTEN_FD, LIFELINE_FD]);
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(r) => r,
        Err(_) => return ExitCode::FAILURE,
    };
    runtime.block_on(serve());
    ExitCode::SUCCESS
}

async fn serve() {
    // SAFETY: the runtime placed these descriptors at these numbers for this process alone.
    let (listener, lifeline) = unsafe { (OwnedFd::from_raw_fd(LISTEN_FD), OwnedFd::from_raw_fd(LIFELINE_FD)) };
    let listener = std::os::unix::net::UnixListener::from(listener);
    let Ok(listener) = listener.set_nonblocking(true).and_then(|()| tokio::net::UnixListener::from_std(listener))
    else {
        return;
    };
    let app = router(Arc::new(Agent::default()));
    // `sudo` inside the sandbox is a client of envd.
    tokio::spawn(super::sudo::serve());
    tokio::select! {
        _ = axum::serve(listener, app) => {}
        () = host_gone(lifeline) => {}
    }
}

/// Resolves when the host's end of the lifeline closes.
async fn host_gone(lifeline: OwnedFd) {
    use tokio::io::AsyncReadExt as _;
    let Ok(mut pipe) = tokio::net::unix::pipe::Receiver::from_owned_fd(lifeline) else { return };
    let mut buf = [0u8; 1];
    while let Ok(n) = pipe.read(&mut buf).await {
        if n == 0 {
            return;
        }
    }
}
