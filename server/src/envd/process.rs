//! `process.Process` over Connect: commands started inside a sandbox's namespaces as its user,
//! their output streamed back as events; List, SendInput, SendSignal and CloseStdin on them.

use std::collections::HashMap;
use std::process::Stdio;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use base64::Engine as _;
use e2b_wire::envd::process::{
    DataEvent, EndEvent, ListResponse, ProcessConfig, ProcessEvent, ProcessEventMessage, ProcessInfo, ProcessSelector,
    SelectRequest, SendInputRequest, SendSignalRequest, Signal, StartEvent, StartRequest,
};
use e2b_wire::envd::Empty;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

use super::connect::{self, RpcError};
use super::{SandboxAccess, SandboxUser};
use crate::sandboxes::runtime::Sandbox;
use crate::state::SharedState;

/// How often an idle stream carries a keepalive event.
const KEEPALIVE: Duration = Duration::from_secs(30);

/// A process started through envd.
struct Entry {
    config: ProcessConfig,
    tag: Option<String>,
    /// Host PID of the process group leader (nsenter).
    group: i32,
    stdin: Option<Arc<tokio::sync::Mutex<tokio::process::ChildStdin>>>,
}

/// The processes of one sandbox, by the PID envd reports.
#[derive(Default)]
pub struct ProcessTable {
    next: AtomicU32,
    entries: Mutex<HashMap<u32, Entry>>,
}

impl ProcessTable {
    fn find(&self, selector: &ProcessSelector) -> Option<u32> {
        let entries = self.entries.lock().unwrap();
        match (&selector.pid, &selector.tag) {
            (Some(pid), _) => entries.contains_key(pid).then_some(*pid),
            (None, Some(tag)) => entries.iter().find(|(_, e)| e.tag.as_deref() == Some(tag)).map(|(p, _)| *p),
            _ => None,
        }
    }
}

/// `POST /process.Process/{method}`.
pub async fn call(
    State(_state): State<SharedState>,
    SandboxAccess(sandbox): SandboxAccess,
    Path(method): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, RpcError> {
    match method.as_str() {
        "Start" => start(sandbox, &headers, &body).await,
        "List" => {
            let entries = sandbox.processes.entries.lock().unwrap();
            let processes = entries
                .iter()
                .map(|(pid, e)| ProcessInfo { config: e.config.clone(), pid: *pid, tag: e.tag.clone() })
                .collect();
            Ok(connect::unary(&ListResponse { processes }))
        }
        "SendSignal" => {
            let req: SendSignalRequest = connect::parse_unary(&body)?;
            let signal = match req.signal {
                Signal::Kill => rustix::process::Signal::KILL,
                Signal::Term => rustix::process::Signal::TERM,
                Signal::Unspecified => return Err(RpcError::invalid("unsupported signal")),
            };
            let group = selected(&sandbox, &req.process, |e| e.group)?;
            if let Some(pgid) = rustix::process::Pid::from_raw(group) {
                let _ = rustix::process::kill_process_group(pgid, signal);
            }
            Ok(connect::unary(&Empty {}))
        }
        "SendInput" => {
            let req: SendInputRequest = connect::parse_unary(&body)?;
            let data = req.input.stdin.or(req.input.pty).unwrap_or_default();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(data)
                .map_err(|e| RpcError::invalid(format!("stdin must be base64: {e}")))?;
            let stdin = selected(&sandbox, &req.process, |e| e.stdin.clone())?.ok_or_else(|| {
                RpcError::new("failed_precondition", "the process was started without stdin, or it is closed")
            })?;
            stdin.lock().await.write_all(&bytes).await.map_err(|e| RpcError::new("internal", e.to_string()))?;
            Ok(connect::unary(&Empty {}))
        }
        "CloseStdin" => {
            let req: SelectRequest = connect::parse_unary(&body)?;
            let pid = sandbox.processes.find(&req.process).ok_or_else(|| RpcError::not_found("process not found"))?;
            if let Some(e) = sandbox.processes.entries.lock().unwrap().get_mut(&pid) {
                e.stdin = None;
            }
            Ok(connect::unary(&Empty {}))
        }
        other => Err(RpcError::new("unimplemented", format!("process.Process/{other} is not implemented"))),
    }
}

fn selected<T>(sandbox: &Sandbox, selector: &ProcessSelector, f: impl FnOnce(&Entry) -> T) -> Result<T, RpcError> {
    let pid = sandbox.processes.find(selector).ok_or_else(|| RpcError::not_found("process not found"))?;
    let entries = sandbox.processes.entries.lock().unwrap();
    entries.get(&pid).map(f).ok_or_else(|| RpcError::not_found("process not found"))
}

fn event(e: ProcessEvent) -> Bytes {
    connect::message_envelope(&ProcessEventMessage { event: e })
}

async fn start(sandbox: Arc<Sandbox>, headers: &HeaderMap, body: &[u8]) -> Result<Response, RpcError> {
    let req: StartRequest = connect::parse_stream_request(body)?;
    let user = SandboxUser::from_basic_auth(headers).map_err(|e| RpcError::new("unauthenticated", e))?;
    let deadline = connect::deadline(headers);
    let mut cmd = tokio::process::Command::new("nsenter");
    cmd.arg("--target").arg(sandbox.init_pid.to_string()).args(["--mount", "--uts", "--ipc", "--pid", "--"]);
    cmd.args(["setpriv", &format!("--reuid={}", user.uid), &format!("--regid={}", user.uid)]);
    cmd.args(["--clear-groups", "--bounding-set=-all", "--inh-caps=-all", "--no-new-privs", "--"]);
    let cwd = req.process.cwd.clone().filter(|c| !c.is_empty()).unwrap_or_else(|| user.home().to_string());
    cmd.args(["env", "-i", "-C"]).arg(&cwd);
    let mut env = vec![
        ("HOME".to_string(), user.home().to_string()),
        ("USER".to_string(), user.name.to_string()),
        ("LOGNAME".to_string(), user.name.to_string()),
        ("SHELL".to_string(), "/bin/bash".to_string()),
        ("PATH".to_string(), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string()),
        ("E2B_SANDBOX".to_string(), "true".to_string()),
        ("E2B_SANDBOX_ID".to_string(), sandbox.id.clone()),
    ];
    env.extend(sandbox.env_vars.iter().map(|(k, v)| (k.clone(), v.clone())));
    env.extend(req.process.envs.iter().map(|(k, v)| (k.clone(), v.clone())));
    for (k, v) in env {
        if k.is_empty() || k.contains('=') {
            return Err(RpcError::invalid(format!("invalid environment variable name {k:?}")));
        }
        cmd.arg(format!("{k}={v}"));
    }
    // `env` takes the first word without `=` as the command.
    if req.process.cmd.contains('=') || req.process.cmd.is_empty() {
        return Err(RpcError::invalid(format!("invalid command {:?}", req.process.cmd)));
    }
    cmd.arg(&req.process.cmd).args(&req.process.args);
    cmd.stdin(if req.stdin == Some(true) { Stdio::piped() } else { Stdio::null() });
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).process_group(0);
    let mut child = cmd.spawn().map_err(|e| RpcError::new("internal", format!("cannot start the process: {e}")))?;
    let group = child.id().unwrap_or_default() as i32;
    let pid = sandbox.processes.next.fetch_add(1, Ordering::Relaxed) + 1000;
    let stdin = child.stdin.take().map(|s| Arc::new(tokio::sync::Mutex::new(s)));
    sandbox
        .processes
        .entries
        .lock()
        .unwrap()
        .insert(pid, Entry { config: req.process.clone(), tag: req.tag.clone(), group, stdin });

    let (tx, rx) = mpsc::channel::<Bytes>(64);
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    tokio::spawn(async move {
        let send = |b: Bytes| {
            let tx = tx.clone();
            async move {
                let _ = tx.send(b).await; // a gone client does not stop the process
            }
        };
        send(event(ProcessEvent { start: Some(StartEvent { pid }), ..Default::default() })).await;
        let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        let (mut out_buf, mut err_buf) = (vec![0u8; 32 * 1024], vec![0u8; 32 * 1024]);
        let (mut out_open, mut err_open) = (true, true);
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
                    Ok(n) => send(event(ProcessEvent { data: Some(DataEvent { stdout: Some(b64(&out_buf[..n])), ..Default::default() }), ..Default::default() })).await,
                },
                n = stderr.read(&mut err_buf), if err_open => match n {
                    Ok(0) | Err(_) => err_open = false,
                    Ok(n) => send(event(ProcessEvent { data: Some(DataEvent { stderr: Some(b64(&err_buf[..n])), ..Default::default() }), ..Default::default() })).await,
                },
                _ = tokio::time::sleep(KEEPALIVE) => send(event(ProcessEvent { keepalive: Some(Empty {}), ..Default::default() })).await,
                _ = &mut timer, if !timed_out => {
                    timed_out = true;
                    if let Some(pgid) = rustix::process::Pid::from_raw(group) {
                        let _ = rustix::process::kill_process_group(pgid, rustix::process::Signal::KILL);
                    }
                }
            }
        }
        let status = child.wait().await;
        sandbox.processes.entries.lock().unwrap().remove(&pid);
        if timed_out {
            let err =
                RpcError::new("deadline_exceeded", "the command did not finish within its timeout and was killed");
            send(err.end_envelope()).await;
            return;
        }
        let end = match status {
            Ok(s) => match (s.code(), std::os::unix::process::ExitStatusExt::signal(&s)) {
                (Some(code), _) => {
                    EndEvent { exit_code: code, exited: true, status: format!("exit status {code}"), error: None }
                }
                (None, Some(sig)) => EndEvent {
                    exit_code: -1,
                    exited: false,
                    status: format!("signal: {}", signal_name(sig)),
                    error: None,
                },
                _ => EndEvent { exit_code: -1, exited: false, status: "unknown".into(), error: None },
            },
            Err(e) => EndEvent { exit_code: -1, exited: false, status: "error".into(), error: Some(e.to_string()) },
        };
        send(event(ProcessEvent { end: Some(end), ..Default::default() })).await;
        send(connect::end_ok()).await;
    });
    let stream =
        futures_util::stream::unfold(
            rx,
            |mut rx| async move { rx.recv().await.map(|b| (Ok::<_, std::io::Error>(b), rx)) },
        );
    Ok(connect::stream_response(Body::from_stream(stream)))
}

fn signal_name(sig: i32) -> &'static str {
    match sig {
        9 => "killed",
        15 => "terminated",
        2 => "interrupt",
        _ => "signal",
    }
}
