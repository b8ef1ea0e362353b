//! Figures shared by the latency benchmarks.

use std::time::Duration;

/// The `p` quantile (0.0..=1.0) of samples sorted ascending.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
