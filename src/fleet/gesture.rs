//! The hidden staff gesture: a quick series of taps in the top-left corner of the attract
//! screen. Citizens do not find it by accident (five taps within three seconds in a small
//! corner), and it needs no button that would invite curiosity.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// Recognises N taps inside a square corner zone within a time window. Fed with every tap the
/// UI sees; a tap outside the zone starts over.
#[derive(Debug, Clone)]
pub struct CornerTapRecognizer {
    zone_px: f32,
    taps_required: usize,
    window: Duration,
    taps: VecDeque<Instant>,
}

impl Default for CornerTapRecognizer {
    /// 5 taps within 3 s in the 120 × 120 px top-left corner.
    fn default() -> Self {
        CornerTapRecognizer::new(120.0, 5, Duration::from_secs(3))
    }
}

impl CornerTapRecognizer {
    pub fn new(zone_px: f32, taps_required: usize, window: Duration) -> Self {
        CornerTapRecognizer {
            zone_px,
            taps_required: taps_required.max(1),
            window,
            taps: VecDeque::new(),
        }
    }

    /// Feeds one tap at logical pixel (`x`, `y`); true when this tap completes the gesture
    /// (the recogniser then starts over).
    pub fn on_tap(&mut self, x: f32, y: f32, at: Instant) -> bool {
        let in_zone = (0.0..=self.zone_px).contains(&x) && (0.0..=self.zone_px).contains(&y);
        if !in_zone {
            self.taps.clear();
            return false;
        }
        if self.taps.back().is_some_and(|&last| at < last) {
            // Time went backwards (a caller bug): never let it help complete the gesture.
            self.taps.clear();
        }
        self.taps.push_back(at);
        while let Some(&first) = self.taps.front() {
            if at.duration_since(first) > self.window {
                self.taps.pop_front();
            } else {
                break;
            }
        }
        if self.taps.len() >= self.taps_required {
            self.taps.clear();
            return true;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tap_times(
        recognizer: &mut CornerTapRecognizer,
        start: Instant,
        offsets_ms: &[u64],
    ) -> Vec<bool> {
        offsets_ms
            .iter()
            .map(|&ms| recognizer.on_tap(10.0, 10.0, start + Duration::from_millis(ms)))
            .collect()
    }

    #[test]
    fn five_quick_corner_taps_open_and_the_count_restarts() {
        let mut recognizer = CornerTapRecognizer::default();
        let start = Instant::now();
        let results = tap_times(&mut recognizer, start, &[0, 300, 600, 900, 1200, 1500]);
        assert_eq!(results, vec![false, false, false, false, true, false]);
    }

    #[test]
    fn slow_taps_do_not_open() {
        let mut recognizer = CornerTapRecognizer::default();
        let start = Instant::now();
        let results = tap_times(&mut recognizer, start, &[0, 1000, 2000, 3000, 4000, 5000]);
        assert!(results.iter().all(|&opened| !opened));
        // A quick burst after a pause still opens.
        let burst = tap_times(&mut recognizer, start, &[9000, 9100, 9200, 9300, 9400]);
        assert_eq!(burst, vec![false, false, false, false, true]);
    }

    #[test]
    fn a_tap_outside_the_corner_starts_over() {
        let mut recognizer = CornerTapRecognizer::default();
        let start = Instant::now();
        tap_times(&mut recognizer, start, &[0, 100, 200, 300]);
        assert!(!recognizer.on_tap(500.0, 10.0, start + Duration::from_millis(350)));
        let results = tap_times(&mut recognizer, start, &[400, 500, 600, 700, 800]);
        assert_eq!(results, vec![false, false, false, false, true]);
    }
}
