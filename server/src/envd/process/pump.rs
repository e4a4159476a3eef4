//! Carries a started process's life to its client as events: start, output, keepalives, end —
//! and kills it at its deadline.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use e2b_wire::connect::Code;
use e2b_wire::envd::process::{DataEvent, ProcessEvent, ProcessEventMessage, StartEvent};
use e2b_wire::envd::Empty;
use tokio::io::AsyncReadExt;
use tokio::process::Child;
use tokio::sync::mpsc::Sender;

use super::end::end_event;
use super::table::signal_group;
use crate::envd::connect::{self, RpcError};
use crate::envd::state::Agent;

/// How often an idle stream carries a keepalive event.
const KEEPALIVE: Duration = Duration::from_secs(30);
/// Most output bytes in one data event.
const CHUNK: usize = 32 * 1024;

/// A started process and where its events go.
pub struct Pump {
    /// The process.
    pub child: Child,
    /// Its PID, which is also its process group's.
    pub pid: u32,
    /// When to kill it (`Connect-Timeout-Ms`).
    pub deadline: Option<Duration>,
    /// envd, whose process table forgets it at its end.
    pub agent: Arc<Agent>,
    /// Where its events go, as envelopes.
    pub events: Sender<Bytes>,
}

impl Pump {
    /// Runs until the process has ended and its end has been sent.
    pub async fn run(mut self) {
        self.send(event(ProcessEvent { start: Some(StartEvent { pid: self.pid }), ..Default::default() })).await;
        let timed_out = self.forward_output().await;
        let status = self.child.wait().await;
        self.agent.processes.remove(self.pid);
        if timed_out {
            let late =
                RpcError::new(Code::DeadlineExceeded, "the command did not finish within its timeout and was killed");
            self.send(late.end_envelope()).await;
            return;
        }
        self.send(event(ProcessEvent { end: Some(end_event(status)), ..Default::default() })).await;
        self.send(connect::end_ok()).await;
    }

    /// Sends stdout and stderr as they come until both close; true when the deadline killed the process.
    async fn forward_output(&mut self) -> bool {
        let mut stdout = self.child.stdout.take().expect("piped");
        let mut stderr = self.child.stderr.take().expect("piped");
        let (mut out_buf, mut err_buf) = (vec![0u8; CHUNK], vec![0u8; CHUNK]);
        let (mut out_open, mut err_open) = (true, true);
        let deadline = self.deadline;
        let timer = async {
            match deadline {
                Some(d) => tokio::time::sleep(d).await,
                None => std::future::pending().await,
            }
        };
        tokio::pin!(timer);
        let mut timed_out = false;
        while out_open || err_open {
            tokio::select! {
                n = stdout.read(&mut out_buf), if out_open => match n {
                    Ok(0) | Err(_) => out_open = false,
                    Ok(n) => self.send(data(DataEvent { stdout: Some(BASE64.encode(&out_buf[..n])), ..Default::default() })).await,
                },
                n = stderr.read(&mut err_buf), if err_open => match n {
                    Ok(0) | Err(_) => err_open = false,
                    Ok(n) => self.send(data(DataEvent { stderr: Some(BASE64.encode(&err_buf[..n])), ..Default::default() })).await,
                },
                _ = tokio::time::sleep(KEEPALIVE) => {
                    self.send(event(ProcessEvent { keepalive: Some(Empty {}), ..Default::default() })).await
                }
                _ = &mut timer, if !timed_out => {
                    timed_out = true;
                    signal_group(self.pid, rustix::process::Signal::KILL);
                }
            }
        }
        timed_out
    }

    async fn send(&self, envelope: Bytes) {
        let _ = self.events.send(envelope).await; // a gone client does not stop the process
    }
}

fn event(e: ProcessEvent) -> Bytes {
    connect::message_envelope(&ProcessEventMessage { event: e })
}

fn data(d: DataEvent) -> Bytes {
    event(ProcessEvent { data: Some(d), ..Default::default() })
}
