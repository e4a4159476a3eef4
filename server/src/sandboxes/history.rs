//! A sandbox's resource use over time: samples taken every few seconds, the newest kept.

use std::collections::VecDeque;
use std::time::{Duration, SystemTime};

use e2b_wire::sandboxes::SandboxMetric;

use super::runtime::Usage;
use crate::timestamp;

/// Samples kept per sandbox (an hour's worth at one every 5 seconds).
pub const MAX_SAMPLES: usize = 720;

/// A sandbox's samples, oldest first, and the CPU reading the next one is measured from.
#[derive(Debug, Default)]
pub struct History {
    samples: VecDeque<SandboxMetric>,
    last_cpu: Option<(SystemTime, u64)>,
}

/// What a sample is measured against.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// CPUs the sandbox may use.
    pub cpu_count: u32,
    /// Memory it may use, in bytes.
    pub mem_total: u64,
}

impl History {
    /// Records `usage` taken at `at`; CPU use is measured since the previous reading, or since
    /// `since` (when the container started) for the first.
    pub fn record(&mut self, at: SystemTime, since: SystemTime, usage: &Usage, limits: Limits) {
        let (from, cpu_before) = match self.last_cpu {
            // A counter that went back belongs to a new container.
            Some((t, ns)) if ns <= usage.cpu_ns => (t, ns),
            _ => (since, 0),
        };
        let wall = at.duration_since(from).unwrap_or(Duration::ZERO).as_nanos() as f64;
        let busy = (usage.cpu_ns - cpu_before) as f64;
        let pct =
            if wall > 0.0 { (busy / (wall * f64::from(limits.cpu_count.max(1))) * 100.0).min(100.0) } else { 0.0 };
        self.last_cpu = Some((at, usage.cpu_ns));
        let unix = at.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default().as_secs() as i64;
        if self.samples.len() == MAX_SAMPLES {
            self.samples.pop_front();
        }
        self.samples.push_back(SandboxMetric {
            timestamp: timestamp::from_system(at),
            timestamp_unix: unix,
            cpu_count: limits.cpu_count,
            cpu_used_pct: pct as f32,
            mem_used: usage.mem_used as i64,
            mem_total: limits.mem_total as i64,
            mem_cache: usage.mem_cache as i64,
            disk_used: usage.disk_used as i64,
            disk_total: usage.disk_total as i64,
        });
    }

    /// Forgets the CPU reading (the sandbox moved to a new container).
    pub fn restart(&mut self) {
        self.last_cpu = None;
    }

    /// The samples taken from `start` to `end` (Unix seconds, both included).
    pub fn between(&self, start: Option<i64>, end: Option<i64>) -> Vec<SandboxMetric> {
        let inside = |m: &&SandboxMetric| {
            start.is_none_or(|s| m.timestamp_unix >= s) && end.is_none_or(|e| m.timestamp_unix <= e)
        };
        self.samples.iter().filter(inside).cloned().collect()
    }

    /// The newest sample.
    pub fn latest(&self) -> Option<SandboxMetric> {
        self.samples.back().cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usage(cpu_ns: u64) -> Usage {
        Usage { cpu_ns, mem_used: 10, mem_cache: 1, disk_used: 5, disk_total: 50 }
    }

    #[test]
    fn cpu_use_is_measured_between_samples_over_every_cpu() {
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1000);
        let limits = Limits { cpu_count: 2, mem_total: 100 };
        let mut h = History::default();
        // One CPU busy for the whole first second: half of two CPUs.
        h.record(t0 + Duration::from_secs(1), t0, &usage(1_000_000_000), limits);
        h.record(t0 + Duration::from_secs(2), t0, &usage(1_000_000_000), limits);
        let all = h.between(None, None);
        assert_eq!(all.len(), 2);
        assert!((all[0].cpu_used_pct - 50.0).abs() < 0.01, "{}", all[0].cpu_used_pct);
        assert_eq!(all[1].cpu_used_pct, 0.0);
        assert_eq!((all[0].mem_total, all[0].disk_total, all[0].timestamp_unix), (100, 50, 1001));
        assert_eq!(h.between(Some(1002), None).len(), 1);
        assert_eq!(h.between(None, Some(1001)).len(), 1);
        assert_eq!(h.latest().unwrap().timestamp_unix, 1002);
        // A new container's counter starts over.
        h.record(t0 + Duration::from_secs(3), t0 + Duration::from_secs(2), &usage(500_000_000), limits);
        assert!((h.latest().unwrap().cpu_used_pct - 25.0).abs() < 0.01);
    }

    #[test]
    fn the_history_is_bounded() {
        let t0 = SystemTime::UNIX_EPOCH;
        let limits = Limits { cpu_count: 1, mem_total: 1 };
        let mut h = History::default();
        for i in 0..(MAX_SAMPLES as u64 + 5) {
            h.record(t0 + Duration::from_secs(i + 1), t0, &usage(0), limits);
        }
        let all = h.between(None, None);
        assert_eq!(all.len(), MAX_SAMPLES);
        assert_eq!(all[0].timestamp_unix, 6, "the oldest went first");
    }
}
