//! Input to running processes: `SendInput` (one message) and `StreamInput` (a client stream of
//! them, in order: `start` names the process, then `data`, with `keepalive`s between). Bytes go to
//! the process's stdin, or to its terminal — each only where the process has one.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use base64::Engine as _;
use e2b_wire::connect::{Code, EnvelopeReader, ENVELOPE_HEADER_LEN, FLAG_COMPRESSED};
use e2b_wire::envd::process::{ProcessInput, ProcessSelector, SendInputRequest, StreamInputRequest};
use e2b_wire::envd::Empty;
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;

use super::table::Entry;
use super::terminal::Terminal;
use crate::envd::connect::{self, RpcError, Unary};
use crate::envd::state::Agent;

/// Largest message of an input stream.
const MAX_MESSAGE: usize = 4 << 20;

/// Where a process takes input.
#[derive(Clone)]
struct Target {
    stdin: Option<Arc<tokio::sync::Mutex<tokio::process::ChildStdin>>>,
    terminal: Option<Arc<Terminal>>,
}

fn target(agent: &Agent, selector: &ProcessSelector) -> Result<Target, RpcError> {
    let found = |_: u32, e: &mut Entry| Target { stdin: e.stdin.clone(), terminal: e.terminal.clone() };
    agent.processes.with(selector, found).ok_or_else(|| RpcError::not_found("process not found"))
}

/// Writes `input` where it belongs; writing to a process that has closed its side is a
/// precondition failure, as is input of the wrong kind.
async fn write(target: &Target, input: ProcessInput) -> Result<(), RpcError> {
    let decode = |b64: &str| {
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(|e| RpcError::invalid(format!("input must be base64: {e}")))
    };
    let precondition = |m: &str| RpcError::new(Code::FailedPrecondition, m);
    let gone = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::BrokenPipe => precondition("the process no longer reads its input"),
        _ => RpcError::internal(e.to_string()),
    };
    match (input.stdin, input.pty) {
        (Some(data), _) => {
            if target.terminal.is_some() {
                return Err(precondition(
                    "tty assigned to process — input should be written to the pty, not the stdin",
                ));
            }
            let stdin = target
                .stdin
                .as_ref()
                .ok_or_else(|| precondition("the process was started without stdin, or it is closed"))?;
            stdin.lock().await.write_all(&decode(&data)?).await.map_err(gone)
        }
        (None, Some(data)) => {
            let terminal = target.terminal.as_ref().ok_or_else(|| {
                precondition("tty not assigned to process — input should be written to the stdin, not the tty")
            })?;
            terminal.write_all(&decode(&data)?).await.map_err(gone)
        }
        (None, None) => Err(RpcError::invalid("the input carries neither stdin nor pty bytes")),
    }
}

/// `process.Process/SendInput`.
pub async fn send_input(
    State(agent): State<Arc<Agent>>,
    Unary(req): Unary<SendInputRequest>,
) -> Result<Response, RpcError> {
    let target = target(&agent, &req.process)?;
    write(&target, req.input).await?;
    Ok(connect::unary(&Empty {}))
}

/// `process.Process/StreamInput`: reads the request's envelopes as they arrive and feeds the
/// process; replies once the client ends its stream (or at the first failure).
pub async fn stream_input(State(agent): State<Arc<Agent>>, request: Request) -> Response {
    let end = match feed(&agent, request.into_body()).await {
        Ok(()) => vec![connect::message_envelope(&Empty {}), connect::end_ok()],
        Err(e) => vec![e.end_envelope()],
    };
    let stream = futures_util::stream::iter(end.into_iter().map(Ok::<_, std::io::Error>));
    connect::stream_response(Body::from_stream(stream))
}

async fn feed(agent: &Agent, body: Body) -> Result<(), RpcError> {
    let mut body = body.into_data_stream();
    let mut reader = EnvelopeReader::default();
    let mut target_of_stream: Option<Target> = None;
    loop {
        while let Some(envelope) = reader.next_envelope() {
            if envelope.flags & FLAG_COMPRESSED != 0 {
                return Err(RpcError::new(Code::Unimplemented, "compressed envelopes are not supported"));
            }
            let msg: StreamInputRequest = serde_json::from_slice(&envelope.payload)
                .map_err(|e| RpcError::invalid(format!("invalid input message: {e}")))?;
            match (msg.start, msg.data) {
                (Some(start), _) => target_of_stream = Some(target(agent, &start.process)?),
                (None, Some(data)) => {
                    let target = target_of_stream
                        .as_ref()
                        .ok_or_else(|| RpcError::new(Code::FailedPrecondition, "the stream must start with `start`"))?;
                    write(target, data.input).await?;
                }
                (None, None) => {} // a keepalive
            }
        }
        if reader.pending() > ENVELOPE_HEADER_LEN + MAX_MESSAGE {
            return Err(RpcError::new(
                Code::ResourceExhausted,
                format!("an input message exceeds {MAX_MESSAGE} bytes"),
            ));
        }
        match body.next().await {
            Some(Ok(chunk)) => reader.push(&chunk),
            Some(Err(e)) => return Err(RpcError::new(Code::Canceled, format!("the input stream broke: {e}"))),
            None if reader.pending() == 0 => return Ok(()),
            None => return Err(RpcError::invalid("the input stream ends inside a message")),
        }
    }
}
