//! The office's working calendar, so a citizen who applies at night or at the weekend is
//! told when the office will take the application up. Days and hours are the office's
//! (`[office.calendar]` in kiosk.toml); public holidays and the weekend days worked in lieu
//! (调休上班) change every year, so the office lists both.

use crate::config::CalendarSection;
use crate::domain::Bilingual;
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use std::collections::BTreeSet;

/// How far ahead a next working day is looked for (longer holidays are a configuration
/// mistake, and the citizen is then simply told nothing).
const LOOKAHEAD_DAYS: u64 = 31;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeCalendar {
    pub weekdays: Vec<Weekday>,
    pub opens: NaiveTime,
    pub closes: NaiveTime,
    pub holidays: BTreeSet<NaiveDate>,
    /// Weekend days the office works in lieu of a holiday.
    pub working_weekends: BTreeSet<NaiveDate>,
}

impl TryFrom<&CalendarSection> for OfficeCalendar {
    type Error = (&'static str, String);

    /// The calendar `[office.calendar]` describes, or `Err((key, message))` naming what does
    /// not parse.
    fn try_from(section: &CalendarSection) -> Result<OfficeCalendar, (&'static str, String)> {
        let weekdays = section
            .weekdays
            .iter()
            .map(|d| match d {
                1..=7 => Ok(Weekday::try_from(d - 1).unwrap_or(Weekday::Mon)),
                _ => Err(("weekdays", format!("{d} is not 1 (Monday) to 7 (Sunday)"))),
            })
            .collect::<Result<_, _>>()?;
        let time = |key, text: &str| {
            NaiveTime::parse_from_str(text, "%H:%M")
                .map_err(|_| (key, format!("`{text}` is not a time like 09:00")))
        };
        let dates = |key, list: &[String]| {
            list.iter()
                .map(|text| {
                    NaiveDate::parse_from_str(text, "%Y-%m-%d")
                        .map_err(|_| (key, format!("`{text}` is not a date like 2027-01-01")))
                })
                .collect::<Result<_, _>>()
        };
        let calendar = OfficeCalendar {
            weekdays,
            opens: time("opens", &section.opens)?,
            closes: time("closes", &section.closes)?,
            holidays: dates("holidays", &section.holidays)?,
            working_weekends: dates("working_weekends", &section.working_weekends)?,
        };
        if calendar.opens >= calendar.closes {
            return Err(("closes", "must be later than `opens`".into()));
        }
        Ok(calendar)
    }
}

/// When the office will take an application up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handling {
    /// The office is open now.
    Now,
    /// From this opening time (later today, or a next working day).
    From(NaiveDateTime),
}

impl OfficeCalendar {
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.working_weekends.contains(&day) {
            return true;
        }
        self.weekdays.contains(&day.weekday()) && !self.holidays.contains(&day)
    }

    /// When an application made at `now` (office-local time) is taken up; `None` when no
    /// working day comes within a month.
    pub fn handling(&self, now: NaiveDateTime) -> Option<Handling> {
        let today = now.date();
        if self.is_working_day(today) {
            if (self.opens..self.closes).contains(&now.time()) {
                return Some(Handling::Now);
            }
            if now.time() < self.opens {
                return Some(Handling::From(today.and_time(self.opens)));
            }
        }
        (1..=LOOKAHEAD_DAYS)
            .filter_map(|n| today.checked_add_days(Days::new(n)))
            .find(|day| self.is_working_day(*day))
            .map(|day| Handling::From(day.and_time(self.opens)))
    }

    /// What the receipt and the last screen say.
    pub fn handling_note(&self, now: NaiveDateTime) -> Option<Bilingual> {
        Some(match self.handling(now)? {
            Handling::Now => Bilingual::new(
                "公证处正在上班，会按顺序处理您的申请。",
                "The office is open now and will take your application up in turn.",
            ),
            Handling::From(at) if at.date() == now.date() => Bilingual::new(
                format!("现在还没到上班时间，公证处今天{}上班后处理您的申请。", at.format("%-H:%M")),
                format!(
                    "The office is not open yet: it takes your application up today after it opens at {}.",
                    at.format("%-H:%M")
                ),
            ),
            Handling::From(at) => Bilingual::new(
                format!(
                    "现在是公证处的下班或休息时间，公证处将在下一个工作日，即{}（{}）{}上班后处理您的申请。",
                    at.format("%-m月%-d日"),
                    weekday_zh(at.weekday()),
                    at.format("%-H:%M")
                ),
                format!(
                    "The office is closed now: it takes your application up on the next working day, {} {} at {}.",
                    weekday_en(at.weekday()),
                    at.format("%-d %B"),
                    at.format("%-H:%M")
                ),
            ),
        })
    }
}

/// "星期一" to "星期日".
pub(super) fn weekday_zh(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

fn weekday_en(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn at(m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        day(m, d).and_hms_opt(h, min, 0).unwrap()
    }

    fn calendar() -> OfficeCalendar {
        OfficeCalendar {
            weekdays: [
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ]
            .into(),
            opens: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            closes: NaiveTime::from_hms_opt(17, 30, 0).unwrap(),
            // National Day 2026 (example figures).
            holidays: (1..=7).map(|d| day(10, d)).collect(),
            working_weekends: [day(10, 10)].into(),
        }
    }

    #[test]
    fn open_hours_night_and_weekend() {
        let c = calendar();
        // Thursday 3 December 2026.
        assert_eq!(c.handling(at(12, 3, 10, 0)), Some(Handling::Now));
        assert_eq!(
            c.handling(at(12, 3, 7, 45)),
            Some(Handling::From(at(12, 3, 9, 0)))
        );
        assert_eq!(
            c.handling(at(12, 3, 23, 10)),
            Some(Handling::From(at(12, 4, 9, 0)))
        );
        // Friday evening and Saturday go to Monday.
        assert_eq!(
            c.handling(at(12, 4, 18, 0)),
            Some(Handling::From(at(12, 7, 9, 0)))
        );
        assert_eq!(
            c.handling(at(12, 5, 11, 0)),
            Some(Handling::From(at(12, 7, 9, 0)))
        );
    }

    #[test]
    fn holidays_are_skipped_and_days_worked_in_lieu_count() {
        let c = calendar();
        assert_eq!(
            c.handling(at(9, 30, 20, 0)),
            Some(Handling::From(at(10, 8, 9, 0)))
        );
        assert!(c.is_working_day(day(10, 10)), "a Saturday worked in lieu");
        let note = c.handling_note(at(12, 5, 11, 0)).unwrap();
        assert!(note.zh.contains("下一个工作日") && note.zh.contains("12月7日（星期一）9:00"));
        assert!(note.en.contains("Monday 7 December at 9:00"), "{}", note.en);
    }
}
