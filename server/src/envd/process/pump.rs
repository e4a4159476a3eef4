//! Carries a started process's life to the streams attached to it: output as it comes (stdout and
//! stderr, or the terminal's), its end once it has exited (with what it had written by then), and
//! its kill at its deadline. A process killed because its sandbox is going away gets no end: the
//! connection drops, as E2B's clients expect of a sandbox that is gone.

use std::io;
use std::os::fd::AsFd;
use std::process::ExitStatus;
use std::sync::Arc;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use e2b_wire::connect::Code;
use e2b_wire::envd::process::{DataEvent, ProcessEvent};
use tokio::io::AsyncReadExt;
use tokio::process::{Child, ChildStderr, ChildStdout};

use super::end::{end_event, sandbox_ending};
use super::events::envelope;
use super::hub::Hub;
use super::table::signal_group;
use super::terminal::Terminal;
use crate::envd::connect::{self, RpcError};
use crate::envd::state::Agent;

/// Most output bytes in one data event.
const CHUNK: usize = 32 * 1024;

/// Where a process's output comes from.
pub enum Output {
    /// Its stdout and stderr pipes.
    Pipes(ChildStdout, ChildStderr),
    /// Its terminal.
    Terminal(Arc<Terminal>),
}

/// A started process and the streams attached to it.
pub struct Pump {
    /// The process.
    pub child: Child,
    /// Its PID, which is also its process group's.
    pub pid: u32,
    /// Its output.
    pub output: Output,
    /// When to kill it (the `Start` call's `Connect-Timeout-Ms`).
    pub deadline: Option<Duration>,
    /// envd, whose process table forgets it at its end.
    pub agent: Arc<Agent>,
    /// The streams attached to it.
    pub hub: Arc<Hub>,
}

impl Pump {
    /// Runs until the process has ended and its end has been sent.
    pub async fn run(mut self) {
        let (status, timed_out) = self.forward_output().await;
        if status.as_ref().is_ok_and(|s| !s.success()) && sandbox_ending() {
            // The sandbox is being killed whole: envd is about to go too, and must not report
            // this as the command's own end.
            return;
        }
        let end = envelope(ProcessEvent { end: Some(end_event(status)), ..Default::default() });
        let ended = [end, connect::end_ok()];
        let late =
            [RpcError::new(Code::DeadlineExceeded, "the command did not finish within its timeout and was killed")
                .end_envelope()];
        // The starter's call timed out; any other stream sees the process end as it did.
        self.hub.finish(if timed_out { &late } else { &ended }, &ended).await;
        self.agent.processes.remove(self.pid);
    }

    /// Sends output as it comes until the process exits, then what it left unread; returns how it
    /// ended, and whether its deadline killed it.
    async fn forward_output(&mut self) -> (io::Result<ExitStatus>, bool) {
        let Self { child, pid, output, deadline, hub, .. } = self;
        let timer = async {
            match deadline {
                Some(d) => tokio::time::sleep(*d).await,
                None => std::future::pending().await,
            }
        };
        tokio::pin!(timer);
        let mut timed_out = false;
        let (mut out_buf, mut err_buf) = (vec![0u8; CHUNK], vec![0u8; CHUNK]);
        let (mut out_open, mut err_open) = (true, true);
        let status = loop {
            let read = async {
                match &mut *output {
                    Output::Pipes(stdout, stderr) => tokio::select! {
                        n = stdout.read(&mut out_buf), if out_open => (Stream::Stdout, n),
                        n = stderr.read(&mut err_buf), if err_open => (Stream::Stderr, n),
                        else => std::future::pending().await,
                    },
                    Output::Terminal(terminal) if out_open => (Stream::Terminal, terminal.read(&mut out_buf).await),
                    Output::Terminal(_) => std::future::pending().await,
                }
            };
            tokio::select! {
                (stream, n) = read => match (stream, n) {
                    (Stream::Stderr, Ok(0) | Err(_)) => err_open = false,
                    (_, Ok(0) | Err(_)) => out_open = false,
                    (Stream::Stderr, Ok(n)) => publish(hub, Stream::Stderr, &err_buf[..n]).await,
                    (stream, Ok(n)) => publish(hub, stream, &out_buf[..n]).await,
                },
                status = child.wait() => break status,
                () = &mut timer, if !timed_out => {
                    timed_out = true;
                    signal_group(*pid, rustix::process::Signal::KILL);
                }
            }
        };
        drain(hub, output).await;
        (status, timed_out)
    }
}

/// Most reads of what a process left unread: output that processes it left behind keep writing
/// is not its own (as with E2B's envd, its stream ends when it exits).
const DRAIN_READS: usize = 64;

/// Sends what the process wrote before it exited and nobody has read yet.
async fn drain(hub: &Hub, output: &Output) {
    let mut buf = vec![0u8; CHUNK];
    let mut chunks = Vec::new();
    let mut take = |stream: Stream, read: &mut dyn FnMut(&mut [u8]) -> usize| {
        for _ in 0..DRAIN_READS {
            match read(&mut buf) {
                0 => break,
                n => chunks.push((stream, buf[..n].to_vec())),
            }
        }
    };
    match output {
        Output::Pipes(stdout, stderr) => {
            // Straight from the descriptors (non-blocking): nothing there now is nothing.
            take(Stream::Stdout, &mut |b| rustix::io::read(stdout.as_fd(), b).unwrap_or(0));
            take(Stream::Stderr, &mut |b| rustix::io::read(stderr.as_fd(), b).unwrap_or(0));
        }
        Output::Terminal(terminal) => {
            take(Stream::Terminal, &mut |b| terminal.read_ready(b).ok().flatten().unwrap_or(0));
        }
    }
    for (stream, bytes) in chunks {
        publish(hub, stream, &bytes).await;
    }
}

/// Sends output of `stream` to every attached stream.
async fn publish(hub: &Hub, stream: Stream, bytes: &[u8]) {
    let data = Some(BASE64.encode(bytes));
    let data = match stream {
        Stream::Stdout => DataEvent { stdout: data, ..Default::default() },
        Stream::Stderr => DataEvent { stderr: data, ..Default::default() },
        Stream::Terminal => DataEvent { pty: data, ..Default::default() },
    };
    hub.publish(envelope(ProcessEvent { data: Some(data), ..Default::default() })).await;
}

#[derive(Debug, Clone, Copy)]
enum Stream {
    Stdout,
    Stderr,
    Terminal,
}
