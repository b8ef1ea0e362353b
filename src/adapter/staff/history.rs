//! Recent health changes per device, for the staff device list: the monitor publishes only
//! the current state, so the staff adapter keeps the last few transitions itself.

use crate::domain::DeviceKind;
use crate::hal::manager::DeviceStatus;
use crate::hal::DeviceHealth;
use chrono::NaiveDateTime;
use std::collections::{HashMap, VecDeque};

/// Changes kept per device.
const KEPT: usize = 5;

#[derive(Debug, Default)]
pub(super) struct FaultHistory {
    last: HashMap<DeviceKind, DeviceHealth>,
    changes: HashMap<DeviceKind, VecDeque<(NaiveDateTime, DeviceHealth)>>,
}

/// "fault: paper out", "ready", "not connected".
pub(super) fn describe(health: &DeviceHealth) -> String {
    match health {
        DeviceHealth::Ready => "ready".into(),
        DeviceHealth::Busy => "busy".into(),
        DeviceHealth::Fault { reason } => format!("fault: {reason}"),
        DeviceHealth::Absent => "not connected".into(),
        DeviceHealth::NotFitted => "not fitted".into(),
    }
}

impl FaultHistory {
    /// Records the devices whose health differs from the last snapshot seen.
    pub(super) fn feed(&mut self, snapshot: &[DeviceStatus], at: NaiveDateTime) {
        for status in snapshot {
            if self.last.get(&status.kind) == Some(&status.health) {
                continue;
            }
            self.last.insert(status.kind, status.health.clone());
            let changes = self.changes.entry(status.kind).or_default();
            changes.push_front((at, status.health.clone()));
            changes.truncate(KEPT);
        }
    }

    /// Newest first, e.g. "09:12 fault: paper out".
    pub(super) fn lines(&self, kind: DeviceKind) -> Vec<String> {
        self.changes
            .get(&kind)
            .map(|changes| {
                changes
                    .iter()
                    .map(|(at, health)| {
                        format!("{} {}", at.format("%m-%d %H:%M"), describe(health))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(health: DeviceHealth) -> DeviceStatus {
        DeviceStatus {
            kind: DeviceKind::Printer,
            driver: "simulated".into(),
            health,
        }
    }

    fn at(minute: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 22)
            .and_then(|d| d.and_hms_opt(9, minute, 0))
            .expect("valid time")
    }

    #[test]
    fn only_changes_are_kept_newest_first_and_bounded() {
        let mut history = FaultHistory::default();
        history.feed(&[status(DeviceHealth::Ready)], at(0));
        history.feed(&[status(DeviceHealth::Ready)], at(1));
        let paper_out = DeviceHealth::Fault {
            reason: "paper out".into(),
        };
        history.feed(&[status(paper_out)], at(2));
        assert_eq!(
            history.lines(DeviceKind::Printer),
            vec!["11-22 09:02 fault: paper out", "11-22 09:00 ready"]
        );
        for minute in 3..12 {
            let health = if minute % 2 == 0 {
                DeviceHealth::Ready
            } else {
                DeviceHealth::Absent
            };
            history.feed(&[status(health)], at(minute));
        }
        assert_eq!(history.lines(DeviceKind::Printer).len(), KEPT);
        assert!(history.lines(DeviceKind::Camera).is_empty());
    }
}
