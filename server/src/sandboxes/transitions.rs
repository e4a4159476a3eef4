//! What happens to one sandbox's container: made into the sandbox (`boot`), paused with its memory
//! (frozen) or without (its files saved, its processes ended), resumed (thawed, or started afresh
//! on its saved files with its volumes mounted again), and its files captured for a snapshot.
//! Callers hold the sandbox's `transition` lock.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::http::StatusCode;
use e2b_wire::envd::EnvdInit;
use e2b_wire::sandboxes::SandboxVolumeMount;

use super::runtime::{Cidr, Container, Egress, Runtime, StartError};
use super::sandbox::{Network, Phase, Sandbox};
use crate::errors::ControlError;
use crate::timestamp;

/// A failure to get a container, as the control plane answers it.
pub fn start_error(e: StartError) -> ControlError {
    match e {
        StartError::Exhausted => ControlError::new(StatusCode::TOO_MANY_REQUESTS, e.to_string()),
        StartError::Unsupported(_) => ControlError::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
        StartError::Io(_) => ControlError::internal(e),
    }
}

fn conflict(message: impl Into<String>) -> ControlError {
    ControlError::new(StatusCode::CONFLICT, message)
}

/// Makes a container into the sandbox asked for: its volumes mounted (outer paths first), its
/// network and egress rules set, envd told its environment.
pub async fn boot(
    runtime: &Runtime,
    container: &Container,
    mounts: &[(SandboxVolumeMount, PathBuf)],
    envs: &BTreeMap<String, String>,
    network: &Network,
) -> std::io::Result<()> {
    let mut ordered: Vec<_> = mounts.iter().collect();
    ordered.sort_by_key(|(m, _)| m.path.len());
    for (m, dir) in ordered {
        container.mount(&runtime.config().envd, dir, &m.path).await?;
    }
    // A new container has the default rules already.
    apply_network(container, network, false).await?;
    let init = EnvdInit {
        env_vars: Some(envs.clone()),
        timestamp: Some(timestamp::from_system(SystemTime::now())),
        ..Default::default()
    };
    container.init(&init).await
}

/// Gives a container the sandbox's network: no internet without allowed destinations (not even an
/// interface), else internet with every egress rule. `always`: replace the rules even when the
/// defaults would do (they may have been changed).
pub async fn apply_network(container: &Container, network: &Network, always: bool) -> std::io::Result<()> {
    let mut egress = network.egress.clone();
    if network.internet {
        container.connect_network().await?;
    } else if egress.allow.is_empty() {
        container.cut_network().await;
    } else {
        // Like `denyOut` of everything: the allowed destinations still win.
        container.connect_network().await?;
        egress.deny.extend(["0.0.0.0/0", "::/0"].map(|c| Cidr::parse(c).expect("a CIDR")));
    }
    if always || egress != Egress::default() {
        container.set_egress(&egress).await?;
    }
    Ok(())
}

/// Pauses a running sandbox: freezes it, and without `memory` saves its files into `saved_dir`
/// and ends its container. 409 when it is paused already.
pub async fn pause(s: &Sandbox, memory: bool, saved_dir: &Path) -> Result<(), ControlError> {
    if s.phase() != Phase::Running {
        return Err(conflict(format!("sandbox \"{}\" is already paused", s.id)));
    }
    let container = s.container.get().ok_or_else(|| ControlError::internal("the sandbox has no container"))?;
    container.pause().await.map_err(|e| ControlError::internal(format!("cannot pause the sandbox: {e}")))?;
    if !memory {
        if let Err(e) = save(s, &container, saved_dir).await {
            let _ = container.resume().await;
            return Err(e);
        }
    }
    s.set_phase(Phase::Paused { memory });
    Ok(())
}

/// Saves a frozen sandbox's files and ends its container.
async fn save(s: &Sandbox, container: &Arc<Container>, saved_dir: &Path) -> Result<(), ControlError> {
    let dest = saved_dir.join(format!("{}.tar", s.id));
    capture(container, &dest)
        .await
        .map_err(|e| ControlError::internal(format!("cannot save the sandbox's files: {e}")))?;
    s.set_saved(Some(dest));
    if let Some(c) = s.container.take() {
        c.remove().await;
    }
    Ok(())
}

/// Resumes a paused sandbox with `timeout` from now: thawed, or — when it kept no memory, or
/// `memory` is false — started afresh on its files. False when it was running.
pub async fn resume(
    s: &Sandbox,
    runtime: &Runtime,
    saved_dir: &Path,
    timeout: Duration,
    memory: bool,
) -> Result<bool, ControlError> {
    match s.phase() {
        Phase::Running => return Ok(false),
        Phase::Paused { memory: true } if memory => {
            let container = s.container.get().ok_or_else(|| ControlError::internal("the sandbox has no container"))?;
            container.resume().await.map_err(|e| ControlError::internal(format!("cannot resume the sandbox: {e}")))?;
        }
        Phase::Paused { memory: true } => {
            let container = s.container.get().ok_or_else(|| ControlError::internal("the sandbox has no container"))?;
            save(s, &container, saved_dir).await?;
            s.set_phase(Phase::Paused { memory: false });
            restart(s, runtime).await?;
        }
        Phase::Paused { memory: false } => restart(s, runtime).await?,
    }
    s.set_phase(Phase::Running);
    s.set_timeout(timeout);
    Ok(true)
}

/// Starts a sandbox paused without memory afresh on its saved files.
async fn restart(s: &Sandbox, runtime: &Runtime) -> Result<(), ControlError> {
    let saved = s.saved().ok_or_else(|| ControlError::internal("the sandbox's files were not saved"))?;
    let container = runtime.launch_seeded(&saved).await.map_err(start_error)?;
    if let Err(e) = boot(runtime, &container, &s.mounted(), &s.envs, &s.network()).await {
        container.remove().await;
        return Err(ControlError::internal(format!("the sandbox could not start again: {e}")));
    }
    s.container.set(container);
    s.usage.lock().unwrap().restart();
    let _ = std::fs::remove_file(&saved);
    s.set_saved(None);
    Ok(())
}

/// Writes an archive of a sandbox's own files to `dest`, whatever its phase: a running one is
/// frozen meanwhile, a frozen one stays so, one paused without memory has them saved already.
pub async fn snapshot(s: &Sandbox, dest: &Path) -> Result<(), ControlError> {
    let failed = |e: std::io::Error| ControlError::internal(format!("cannot capture the sandbox's files: {e}"));
    match (s.phase(), s.container.get()) {
        (Phase::Running, Some(c)) => {
            c.pause().await.map_err(failed)?;
            let captured = capture(&c, dest).await;
            c.resume().await.map_err(failed)?;
            captured.map_err(failed)
        }
        (Phase::Paused { memory: true }, Some(c)) => capture(&c, dest).await.map_err(failed),
        _ => {
            let saved = s.saved().ok_or_else(|| ControlError::internal("the sandbox's files were not saved"))?;
            std::fs::copy(saved, dest).map(|_| ()).map_err(failed)
        }
    }
}

/// Captures a (frozen) container's files, off the async threads.
async fn capture(container: &Arc<Container>, dest: &Path) -> std::io::Result<()> {
    let c = container.clone();
    let (part, done) = (dest.with_extension("part"), dest.to_path_buf());
    let target = part.clone();
    let written = tokio::task::spawn_blocking(move || {
        c.capture(&target)?;
        std::fs::rename(&target, &done)
    })
    .await
    .map_err(std::io::Error::other)?;
    if written.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    written
}
