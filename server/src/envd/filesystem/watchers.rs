//! The watcher calls for clients that poll: `CreateWatcher` starts a watch whose events wait in a
//! mailbox, `GetWatcherEvents` takes them, `RemoveWatcher` stops it; an unknown ID is `not_found`.

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use e2b_wire::envd::filesystem::{CreateWatcherResponse, GetWatcherEventsResponse, WatchDirRequest, WatcherRequest};
use e2b_wire::envd::Empty;

use super::call::FsCall;
use super::registry::Mailbox;
use super::watch::Watcher;
use crate::envd::connect::{self, RpcError, Unary};
use crate::envd::state::Agent;

fn unknown(id: &str) -> RpcError {
    RpcError::not_found(format!("watcher with id {id} not found"))
}

/// `filesystem.Filesystem/CreateWatcher`.
pub async fn create_watcher(
    State(agent): State<Arc<Agent>>,
    call: FsCall,
    Unary(req): Unary<WatchDirRequest>,
) -> Result<Response, RpcError> {
    let mut watcher = Watcher::start(call, &req).await?;
    let mailbox = Arc::new(Mailbox::default());
    let filling = mailbox.clone();
    let task = tokio::spawn(async move {
        loop {
            match watcher.next().await {
                Ok(event) => {
                    if !filling.push(event) {
                        return;
                    }
                }
                Err(e) => return filling.stop(e),
            }
        }
    });
    let watcher_id = agent.watchers.add(mailbox, task.abort_handle());
    Ok(connect::unary(&CreateWatcherResponse { watcher_id }))
}

/// `filesystem.Filesystem/GetWatcherEvents`: the events since the last call.
pub async fn get_watcher_events(
    State(agent): State<Arc<Agent>>,
    Unary(req): Unary<WatcherRequest>,
) -> Result<Response, RpcError> {
    let mailbox = agent.watchers.mailbox(&req.watcher_id).ok_or_else(|| unknown(&req.watcher_id))?;
    Ok(connect::unary(&GetWatcherEventsResponse { events: mailbox.take()? }))
}

/// `filesystem.Filesystem/RemoveWatcher`.
pub async fn remove_watcher(
    State(agent): State<Arc<Agent>>,
    Unary(req): Unary<WatcherRequest>,
) -> Result<Response, RpcError> {
    if !agent.watchers.remove(&req.watcher_id) {
        return Err(unknown(&req.watcher_id));
    }
    Ok(connect::unary(&Empty {}))
}
