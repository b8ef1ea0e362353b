//! Debouncing and the meaning of each input line, as pure logic over timestamped samples.
//!
//! Wiring (all inputs use pull-ups, switches pull to ground):
//! - call-staff button: low = pressed; an event on press only;
//! - cabinet door: a reed switch closed by the magnet, low = door closed;
//! - paper-low sensor: an open-collector output, low = paper low.

use super::{GpioEvent, GpioInput};
use std::time::Duration;

/// How long a level must hold before it counts (mechanical buttons bounce for ~5–20 ms).
pub const DEBOUNCE: Duration = Duration::from_millis(30);

/// Tracks one input: the accepted level, and a candidate level with when it appeared.
#[derive(Debug, Clone, Copy)]
struct LineState {
    stable: bool,
    candidate: Option<(bool, Duration)>,
}

/// Debounces all inputs; `sample` turns raw readings into events.
#[derive(Debug, Clone)]
pub struct Debouncer {
    lines: [LineState; 3],
    period: Duration,
}

impl Debouncer {
    /// Starts from the idle levels (everything high: released, door open is the safe
    /// assumption only after it is sampled, so idle = pulled up).
    pub fn new(period: Duration, initial: [bool; 3]) -> Debouncer {
        Debouncer {
            lines: initial.map(|stable| LineState {
                stable,
                candidate: None,
            }),
            period,
        }
    }

    /// Feeds one reading of `input` taken at `now` (monotonic); returns the event when the
    /// input settled on a new level.
    pub fn sample(&mut self, input: GpioInput, high: bool, now: Duration) -> Option<GpioEvent> {
        let line = &mut self.lines[input.index()];
        if high == line.stable {
            line.candidate = None;
            return None;
        }
        match line.candidate {
            Some((level, since)) if level == high => {
                if now.saturating_sub(since) >= self.period {
                    line.stable = high;
                    line.candidate = None;
                    return event_for(input, high);
                }
                None
            }
            _ => {
                line.candidate = Some((high, now));
                None
            }
        }
    }
}

/// What a settled level means.
pub fn event_for(input: GpioInput, high: bool) -> Option<GpioEvent> {
    match (input, high) {
        (GpioInput::CallButton, false) => Some(GpioEvent::CallButtonPressed),
        (GpioInput::CallButton, true) => None,
        (GpioInput::DoorSwitch, false) => Some(GpioEvent::DoorClosed),
        (GpioInput::DoorSwitch, true) => Some(GpioEvent::DoorOpened),
        (GpioInput::PaperLow, false) => Some(GpioEvent::PaperLow),
        (GpioInput::PaperLow, true) => Some(GpioEvent::PaperOk),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// Feeds (time, level) samples for one input; returns the events.
    fn run(input: GpioInput, samples: &[(u64, bool)]) -> Vec<GpioEvent> {
        let mut d = Debouncer::new(DEBOUNCE, [true; 3]);
        samples
            .iter()
            .filter_map(|(t, level)| d.sample(input, *level, ms(*t)))
            .collect()
    }

    #[test]
    fn a_bouncing_press_gives_one_event_after_the_level_holds() {
        let samples = [
            (0, true),
            (5, false),
            (8, true),
            (10, false),
            (14, true),
            (16, false),
            (30, false),
            (46, false),
            (60, false),
            (200, false),
        ];
        assert_eq!(
            run(GpioInput::CallButton, &samples),
            vec![GpioEvent::CallButtonPressed]
        );
    }

    #[test]
    fn glitches_shorter_than_the_period_are_ignored() {
        let samples = [(0, true), (10, false), (25, false), (30, true), (100, true)];
        assert!(run(GpioInput::CallButton, &samples).is_empty());
    }

    #[test]
    fn release_of_the_button_is_not_an_event_but_allows_the_next_press() {
        let samples = [
            (0, false),
            (40, false),
            (50, true),
            (90, true),
            (100, false),
            (140, false),
        ];
        assert_eq!(
            run(GpioInput::CallButton, &samples),
            vec![GpioEvent::CallButtonPressed, GpioEvent::CallButtonPressed]
        );
    }

    #[test]
    fn door_and_paper_report_both_directions() {
        let door = [(0, false), (31, false), (40, true), (80, true)];
        assert_eq!(
            run(GpioInput::DoorSwitch, &door),
            vec![GpioEvent::DoorClosed, GpioEvent::DoorOpened]
        );
        let paper = [(0, false), (30, false), (50, true), (79, true), (81, true)];
        assert_eq!(
            run(GpioInput::PaperLow, &paper),
            vec![GpioEvent::PaperLow, GpioEvent::PaperOk]
        );
    }

    #[test]
    fn inputs_are_debounced_independently() {
        let mut d = Debouncer::new(DEBOUNCE, [true; 3]);
        assert_eq!(d.sample(GpioInput::CallButton, false, ms(0)), None);
        assert_eq!(d.sample(GpioInput::DoorSwitch, false, ms(20)), None);
        assert_eq!(
            d.sample(GpioInput::CallButton, false, ms(30)),
            Some(GpioEvent::CallButtonPressed)
        );
        assert_eq!(d.sample(GpioInput::DoorSwitch, false, ms(40)), None);
        assert_eq!(
            d.sample(GpioInput::DoorSwitch, false, ms(50)),
            Some(GpioEvent::DoorClosed)
        );
    }
}
