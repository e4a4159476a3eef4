//! One client's stream of a process's events (the body of `Start` or `Connect`): its first events,
//! then what the process's hub sends it, with a keepalive whenever it has been idle for the
//! client's interval, until the hub ends it — or, for `Connect`, until the call's deadline.

use std::pin::Pin;
use std::time::Duration;

use axum::body::{Body, Bytes};
use e2b_wire::connect::Code;
use e2b_wire::envd::process::{ProcessEvent, ProcessEventMessage, StartEvent};
use e2b_wire::envd::Empty;
use tokio::sync::mpsc;
use tokio::time::Sleep;

use crate::envd::connect::{self, RpcError};

/// A process event as a stream envelope.
pub fn envelope(event: ProcessEvent) -> Bytes {
    connect::message_envelope(&ProcessEventMessage { event })
}

/// The `start` event of process `pid`.
pub fn start(pid: u32) -> Bytes {
    envelope(ProcessEvent { start: Some(StartEvent { pid }), ..Default::default() })
}

struct State {
    first: Option<Bytes>,
    events: mpsc::Receiver<Bytes>,
    keepalive: Duration,
    deadline: Option<Pin<Box<Sleep>>>,
    done: bool,
}

/// The body that carries `first`, then `events`, with keepalives every `keepalive` of silence;
/// at `deadline` (if any) it ends with `deadline_exceeded`, leaving the process running.
pub fn body(first: Bytes, events: mpsc::Receiver<Bytes>, keepalive: Duration, deadline: Option<Duration>) -> Body {
    let deadline = deadline.map(|d| Box::pin(tokio::time::sleep(d)));
    let state = State { first: Some(first), events, keepalive, deadline, done: false };
    Body::from_stream(futures_util::stream::unfold(state, |mut st| async move {
        if st.done {
            return None;
        }
        if let Some(first) = st.first.take() {
            return Some((Ok::<_, std::io::Error>(first), st));
        }
        let State { events, keepalive, deadline, .. } = &mut st;
        let at_deadline = async {
            match deadline {
                Some(d) => d.as_mut().await,
                None => std::future::pending().await,
            }
        };
        let mut reached = false;
        let next = tokio::select! {
            event = events.recv() => event?,
            () = tokio::time::sleep(*keepalive) => envelope(ProcessEvent { keepalive: Some(Empty {}), ..Default::default() }),
            () = at_deadline => {
                reached = true;
                RpcError::new(Code::DeadlineExceeded, "the stream reached its deadline; the process runs on").end_envelope()
            }
        };
        st.done = reached;
        Some((Ok(next), st))
    }))
}
