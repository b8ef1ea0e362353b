//! Idle handling. A kiosk left with a citizen's data on screen is a privacy incident: after
//! a quiet period the kiosk asks "Do you need more time?" with a countdown, and when the
//! countdown ends the session is wiped. Time is fed in by the caller, so the logic is
//! deterministic and testable without clocks.

use std::time::Duration;

/// Where the idle timer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdlePhase {
    /// Someone is using the kiosk (or it is at rest with nothing to wipe).
    Active,
    /// The "continue?" prompt is up; whole seconds left before the wipe.
    Warning { seconds_left: u32 },
    /// The countdown ran out: wipe the session now.
    Expired,
}

#[derive(Debug, Clone)]
pub struct IdleTimer {
    warn_after: Duration,
    countdown: Duration,
    quiet_for: Duration,
}

impl IdleTimer {
    pub fn new(warn_after: Duration, countdown: Duration) -> IdleTimer {
        IdleTimer {
            warn_after,
            countdown,
            quiet_for: Duration::ZERO,
        }
    }

    /// A touch, a key or any other sign of a person.
    pub fn touch(&mut self) {
        self.quiet_for = Duration::ZERO;
    }

    /// Changes the limits (elderly mode lengthens them) without losing the quiet time.
    pub fn set_limits(&mut self, warn_after: Duration, countdown: Duration) {
        self.warn_after = warn_after;
        self.countdown = countdown;
    }

    /// Advances time by `elapsed` and returns the new phase.
    pub fn advance(&mut self, elapsed: Duration) -> IdlePhase {
        self.quiet_for = self.quiet_for.saturating_add(elapsed);
        self.phase()
    }

    pub fn phase(&self) -> IdlePhase {
        if self.quiet_for < self.warn_after {
            return IdlePhase::Active;
        }
        let into_countdown = self.quiet_for - self.warn_after;
        if into_countdown >= self.countdown {
            return IdlePhase::Expired;
        }
        let left = self.countdown - into_countdown;
        // Round up: the prompt shows "30" for the whole first second.
        let seconds_left = left.as_millis().div_ceil(1000) as u32;
        IdlePhase::Warning { seconds_left }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn warns_then_counts_down_then_expires() {
        let mut t = IdleTimer::new(secs(90), secs(30));
        assert_eq!(t.advance(secs(89)), IdlePhase::Active);
        assert_eq!(t.advance(secs(1)), IdlePhase::Warning { seconds_left: 30 });
        assert_eq!(
            t.advance(Duration::from_millis(500)),
            IdlePhase::Warning { seconds_left: 30 }
        );
        assert_eq!(t.advance(secs(10)), IdlePhase::Warning { seconds_left: 20 });
        assert_eq!(t.advance(secs(20)), IdlePhase::Expired);
    }

    #[test]
    fn a_touch_restarts_the_quiet_period() {
        let mut t = IdleTimer::new(secs(90), secs(30));
        t.advance(secs(100));
        t.touch();
        assert_eq!(t.phase(), IdlePhase::Active);
        assert_eq!(t.advance(secs(89)), IdlePhase::Active);
    }

    #[test]
    fn longer_limits_take_effect_immediately() {
        let mut t = IdleTimer::new(secs(90), secs(30));
        t.advance(secs(95));
        t.set_limits(secs(180), secs(60));
        assert_eq!(t.phase(), IdlePhase::Active);
    }
}
