//! Appointment slots for matters the applicant must attend in person: the office's free
//! times (`GET /v1/slots` on the case-system protocol), which the citizen picks from by day
//! and time. When the office cannot be asked (offline, no case system), or no time suits,
//! the application says so and the office telephones to agree a time; the preferred date
//! from the form is kept as the citizen's wish.

use super::calendar::weekday_zh;
use crate::domain::Bilingual;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike};
use serde::{Deserialize, Serialize};
use std::fmt;

/// How many days ahead the kiosk asks for (the office decides what it offers within them).
pub const SLOT_WINDOW_DAYS: u32 = 14;

/// One free appointment time at the office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    pub start: DateTime<FixedOffset>,
    pub end: DateTime<FixedOffset>,
}

impl Slot {
    pub fn day(&self) -> NaiveDate {
        self.start.date_naive()
    }

    /// "9:00–9:30", the office's local time.
    pub fn time_label(&self) -> String {
        format!(
            "{}:{:02}–{}:{:02}",
            self.start.hour(),
            self.start.minute(),
            self.end.hour(),
            self.end.minute()
        )
    }

    /// "12月7日（星期一）上午 9:00–9:30", for the review, the receipt and the payload.
    pub fn label(&self) -> Bilingual {
        let day = day_label(self.day());
        let half = if self.start.hour() < 12 {
            Bilingual::new("上午", "morning")
        } else {
            Bilingual::new("下午", "afternoon")
        };
        Bilingual::new(
            format!("{}{} {}", day.zh, half.zh, self.time_label()),
            format!("{}, {} ({})", day.en, self.time_label(), half.en),
        )
    }
}

/// "12月7日（星期一）" / "Mon 7 Dec".
pub fn day_label(day: NaiveDate) -> Bilingual {
    Bilingual::new(
        format!(
            "{}月{}日（{}）",
            day.month(),
            day.day(),
            weekday_zh(day.weekday())
        ),
        day.format("%a %-d %b").to_string(),
    )
}

/// Why the office's times could not be shown; the citizen is told the office will call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotsUnavailable;

/// Where the appointment step stands.
#[derive(Clone, PartialEq, Eq, Default)]
pub enum Appointment {
    /// Not asked yet (another matter, or the step not reached).
    #[default]
    NotAsked,
    /// Waiting for the office's answer.
    Asking,
    /// The office's free times; `day` is the day being looked at, `chosen` the time picked.
    Offered {
        slots: Vec<Slot>,
        day: Option<NaiveDate>,
        chosen: Option<Slot>,
    },
    /// None of the times suits: the office calls to agree one.
    OfficeCalls { offline: bool },
}

impl fmt::Debug for Appointment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Appointment::NotAsked => f.write_str("NotAsked"),
            Appointment::Asking => f.write_str("Asking"),
            Appointment::Offered { slots, chosen, .. } => {
                write!(
                    f,
                    "Offered({} slots, chosen: {})",
                    slots.len(),
                    chosen.is_some()
                )
            }
            Appointment::OfficeCalls { offline } => write!(f, "OfficeCalls(offline: {offline})"),
        }
    }
}

impl Appointment {
    /// The office's answer arrives. Times already past, or out of order, are dropped; an
    /// answer with no time at all is treated like no answer.
    pub fn answered(
        &mut self,
        answer: Result<Vec<Slot>, SlotsUnavailable>,
        now: DateTime<FixedOffset>,
    ) {
        if *self != Appointment::Asking {
            return;
        }
        let mut slots: Vec<Slot> = answer
            .unwrap_or_default()
            .into_iter()
            .filter(|s| s.start > now && s.end > s.start)
            .collect();
        slots.sort_by_key(|s| s.start);
        slots.dedup();
        *self = if slots.is_empty() {
            Appointment::OfficeCalls { offline: true }
        } else {
            Appointment::Offered {
                day: slots.first().map(Slot::day),
                slots,
                chosen: None,
            }
        };
    }

    /// The days that have a free time, in order.
    pub fn days(&self) -> Vec<NaiveDate> {
        let Appointment::Offered { slots, .. } = self else {
            return Vec::new();
        };
        let mut days: Vec<NaiveDate> = slots.iter().map(Slot::day).collect();
        days.dedup();
        days
    }

    pub fn choose_day(&mut self, wanted: NaiveDate) {
        if let Appointment::Offered { slots, day, .. } = self {
            if slots.iter().any(|s| s.day() == wanted) {
                *day = Some(wanted);
            }
        }
    }

    /// Picks the offered time starting at `start`; another start is ignored.
    pub fn choose(&mut self, start: DateTime<FixedOffset>) {
        if let Appointment::Offered {
            slots, chosen, day, ..
        } = self
        {
            if let Some(slot) = slots.iter().find(|s| s.start == start) {
                *day = Some(slot.day());
                *chosen = Some(slot.clone());
            }
        }
    }

    /// "None of these times suits me": the office calls.
    pub fn office_calls(&mut self) {
        if matches!(self, Appointment::Offered { .. }) {
            *self = Appointment::OfficeCalls { offline: false };
        }
    }

    /// Whether the citizen may go on: a time picked, or the office calls.
    pub fn settled(&self) -> bool {
        matches!(
            self,
            Appointment::Offered {
                chosen: Some(_),
                ..
            } | Appointment::OfficeCalls { .. }
        )
    }

    pub fn chosen(&self) -> Option<&Slot> {
        match self {
            Appointment::Offered { chosen, .. } => chosen.as_ref(),
            _ => None,
        }
    }

    /// What the review, the receipt and the end say about the appointment.
    pub fn summary(&self) -> Bilingual {
        match self.chosen() {
            Some(slot) => {
                let label = slot.label();
                Bilingual::new(
                    format!("{}，请按时到公证处，带齐材料和身份证原件", label.zh),
                    format!(
                        "{}: please come to the office on time with the materials and your ID card",
                        label.en
                    ),
                )
            }
            None => Bilingual::new(
                "公证处工作人员会打电话和您约定时间",
                "The office will call you to agree a time",
            ),
        }
    }
}

#[cfg(test)]
mod tests;
