//! `WatchDir`: a directory's changes as a stream — `start` first, then each change, with a
//! keepalive whenever it has been idle for the client's interval, until the call's deadline.

use axum::body::{Body, Bytes};
use axum::http::HeaderMap;
use axum::response::Response;
use e2b_wire::connect::Code;
use e2b_wire::envd::filesystem::{WatchDirRequest, WatchDirResponse};
use e2b_wire::envd::Empty;

use super::call::FsCall;
use super::watch::Watcher;
use crate::envd::connect::{self, RpcError, StreamRequest};

/// `filesystem.Filesystem/WatchDir`; a path that cannot be watched ends the stream with its code.
pub async fn watch_dir(
    call: FsCall,
    headers: HeaderMap,
    StreamRequest(req): StreamRequest<WatchDirRequest>,
) -> Response {
    let watcher = match Watcher::start(call, &req).await {
        Ok(w) => w,
        Err(e) => return connect::stream_error(e),
    };
    let keepalive = connect::keepalive(&headers);
    let deadline = connect::deadline(&headers).map(|d| Box::pin(tokio::time::sleep(d)));
    let first = message(WatchDirResponse { start: Some(Empty {}), ..Default::default() });
    let state = (Some(first), watcher, deadline, false);
    let stream = futures_util::stream::unfold(state, move |(first, mut watcher, mut deadline, done)| async move {
        if done {
            return None;
        }
        if let Some(first) = first {
            return Some((Ok::<_, std::io::Error>(first), (None, watcher, deadline, false)));
        }
        let at_deadline = async {
            match &mut deadline {
                Some(d) => d.as_mut().await,
                None => std::future::pending().await,
            }
        };
        let (next, done) = tokio::select! {
            change = watcher.next() => match change {
                Ok(event) => (message(WatchDirResponse { filesystem: Some(event), ..Default::default() }), false),
                Err(e) => (e.end_envelope(), true),
            },
            () = tokio::time::sleep(keepalive) => (message(WatchDirResponse { keepalive: Some(Empty {}), ..Default::default() }), false),
            () = at_deadline => (RpcError::new(Code::DeadlineExceeded, "the watch reached its deadline").end_envelope(), true),
        };
        Some((Ok(next), (None, watcher, deadline, done)))
    });
    connect::stream_response(Body::from_stream(stream))
}

fn message(m: WatchDirResponse) -> Bytes {
    connect::message_envelope(&m)
}
