//! Sandboxes' resource use: a sampler that reads every running sandbox's cgroup and files every few
//! seconds into its bounded history, `GET /sandboxes/{id}/metrics` (the samples of an interval)
//! and `GET /sandboxes/metrics` (each sandbox's latest).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::Json;
use e2b_wire::sandboxes::{SandboxMetric, SandboxMetricsQuery, SandboxesMetricsQuery, SandboxesWithMetrics};

use super::history::Limits;
use super::registry::Sandboxes;
use super::requests::not_found;
use super::runtime::Runtime;
use super::sandbox::Phase;
use crate::errors::ControlError;
use crate::state::SharedState;

/// Most sandboxes one `GET /sandboxes/metrics` asks for.
const MAX_IDS: usize = 100;

/// Samples every running sandbox every `interval`, for as long as the server runs.
pub fn sample_every(sandboxes: Arc<Sandboxes>, runtime: Arc<Runtime>, interval: Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            for s in sandboxes.all() {
                let Some(container) = s.container.get().filter(|_| s.phase() == Phase::Running) else { continue };
                let Ok(usage) = container.usage(&runtime.cgroups) else { continue };
                let limits =
                    Limits { cpu_count: s.resources.cpu_count, mem_total: u64::from(s.resources.memory_mb) << 20 };
                s.usage.lock().unwrap().record(SystemTime::now(), container.started_at(), &usage, limits);
            }
        }
    });
}

/// `GET /sandboxes/{id}/metrics`: the samples from `start` to `end` (Unix seconds).
pub async fn of_one(
    State(state): State<SharedState>,
    Path(id): Path<String>,
    q: Result<Query<SandboxMetricsQuery>, QueryRejection>,
) -> Result<Json<Vec<SandboxMetric>>, ControlError> {
    let Query(q) = q.map_err(|e| ControlError::bad_request(format!("invalid query: {}", e.body_text())))?;
    if let (Some(start), Some(end)) = (q.start, q.end) {
        if start > end {
            return Err(ControlError::bad_request("start must not be after end"));
        }
    }
    let s = state.sandboxes.get(&id).ok_or_else(|| not_found(&id))?;
    let samples = s.usage.lock().unwrap().between(q.start, q.end);
    Ok(Json(samples))
}

/// `GET /sandboxes/metrics?sandbox_ids=a,b`: each known sandbox's latest sample.
pub async fn of_many(
    State(state): State<SharedState>,
    q: Result<Query<SandboxesMetricsQuery>, QueryRejection>,
) -> Result<Json<SandboxesWithMetrics>, ControlError> {
    let Query(q) = q.map_err(|e| ControlError::bad_request(format!("invalid query: {}", e.body_text())))?;
    let ids: Vec<&str> = q.sandbox_ids.split(',').filter(|s| !s.is_empty()).collect();
    if ids.is_empty() || ids.len() > MAX_IDS {
        return Err(ControlError::bad_request(format!("sandbox_ids must name 1 to {MAX_IDS} sandboxes")));
    }
    let mut out = SandboxesWithMetrics::default();
    for id in ids {
        if let Some(latest) = state.sandboxes.get(id).and_then(|s| s.usage.lock().unwrap().latest()) {
            out.sandboxes.insert(id.to_string(), latest);
        }
    }
    Ok(Json(out))
}
