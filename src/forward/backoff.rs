//! Capped exponential backoff with full jitter (AWS Architecture blog): the n-th retry waits a
//! uniformly random time in `[0, min(cap, base·2ⁿ)]`, so a fleet of kiosks coming back after an
//! outage does not hammer the case system in lock-step.

use rand::Rng;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub base: Duration,
    pub cap: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            base: Duration::from_secs(1),
            cap: Duration::from_secs(300),
        }
    }
}

impl Backoff {
    /// Upper bound of the wait after `failures` failed attempts.
    pub fn ceiling(&self, failures: u32) -> Duration {
        let factor = 1u32.checked_shl(failures.min(31)).unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// A random wait in `[0, ceiling(failures)]`.
    pub fn delay(&self, failures: u32) -> Duration {
        let ceiling = self.ceiling(failures).as_millis() as u64;
        Duration::from_millis(rand::rng().random_range(0..=ceiling))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceiling_doubles_until_the_cap() {
        let b = Backoff {
            base: Duration::from_millis(100),
            cap: Duration::from_secs(1),
        };
        assert_eq!(b.ceiling(0), Duration::from_millis(100));
        assert_eq!(b.ceiling(3), Duration::from_millis(800));
        assert_eq!(b.ceiling(4), Duration::from_secs(1));
        assert_eq!(b.ceiling(1000), Duration::from_secs(1));
    }

    #[test]
    fn delays_stay_within_the_ceiling_and_vary() {
        let b = Backoff {
            base: Duration::from_millis(100),
            cap: Duration::from_secs(10),
        };
        let delays: Vec<_> = (0..200).map(|_| b.delay(5)).collect();
        assert!(delays.iter().all(|d| *d <= Duration::from_millis(3200)));
        let first = delays[0];
        assert!(delays.iter().any(|d| *d != first));
    }
}
