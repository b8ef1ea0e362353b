//! When a background loop last went round: the relay and the device monitor touch it on
//! every turn, and the watchdog's probe beats their heartbeats only while it is recent, so a
//! loop that died or hangs makes the kiosk unhealthy instead of failing silently.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct LastTurn {
    origin: Instant,
    at_ms: Arc<AtomicU64>,
}

impl Default for LastTurn {
    fn default() -> LastTurn {
        LastTurn::new()
    }
}

impl LastTurn {
    /// Starts as just touched.
    pub fn new() -> LastTurn {
        LastTurn {
            origin: Instant::now(),
            at_ms: Arc::new(AtomicU64::new(0)),
        }
    }

    pub fn touch(&self) {
        let now = u64::try_from(self.origin.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.at_ms.store(now, Ordering::Relaxed);
    }

    /// How long ago the loop last went round.
    pub fn age(&self) -> Duration {
        let at = Duration::from_millis(self.at_ms.load(Ordering::Relaxed));
        self.origin.elapsed().saturating_sub(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_age_restarts_at_each_touch() {
        let turn = LastTurn::new();
        std::thread::sleep(Duration::from_millis(30));
        assert!(turn.age() >= Duration::from_millis(30));
        turn.touch();
        assert!(turn.age() < Duration::from_millis(30));
    }
}
