//! Who is called at a given hour: the hall desk while the hall is staffed, the 12348 duty
//! line or the duty notary after hours. Lines come from `[[telephony.line]]`; the first line
//! whose days and hours contain the local time is called. Pure.

use chrono::{Datelike, Days, NaiveDateTime, NaiveTime, Timelike, Weekday};

/// One configured line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Stable slug (`hall-desk`, `duty-12348`): what the audit log records for a call.
    pub id: String,
    /// Who answers, shown on the call screen: Chinese first, then English.
    pub name: String,
    pub name_en: String,
    /// `sip:` or `sips:` URI dialled.
    pub uri: String,
    pub hours: LineHours,
}

/// On which days and between which times a line answers. `until` before `from` runs past
/// midnight into the next day (a night line 17:30–09:00); `from == until` is the whole day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineHours {
    pub weekdays: Vec<Weekday>,
    pub from: NaiveTime,
    pub until: NaiveTime,
}

impl LineHours {
    pub fn contains(&self, at: NaiveDateTime) -> bool {
        let day_listed = |day: Weekday| self.weekdays.contains(&day);
        let time = at.time();
        let today = at.date().weekday();
        if self.from == self.until {
            return day_listed(today);
        }
        if self.from < self.until {
            return day_listed(today) && (self.from..self.until).contains(&time);
        }
        // Past midnight: the evening part belongs to today, the early-morning part to the
        // day the line started on, yesterday.
        let yesterday = at
            .date()
            .checked_sub_days(Days::new(1))
            .map(|d| d.weekday());
        (day_listed(today) && time >= self.from)
            || (yesterday.is_some_and(day_listed) && time < self.until)
    }
}

/// The line to call at local time `at`: the first that answers then.
pub fn line_for(lines: &[Line], at: NaiveDateTime) -> Option<&Line> {
    lines.iter().find(|line| line.hours.contains(at))
}

/// The first minute of the week (Monday 00:00 onwards) no line answers, if any: a 24-hour
/// hall must always have someone to call.
pub fn first_uncovered_minute(lines: &[Line]) -> Option<(Weekday, NaiveTime)> {
    // 2024-01-01 is a Monday; any week serves, only weekdays and times matter.
    let monday = chrono::NaiveDate::from_ymd_opt(2024, 1, 1)?.and_hms_opt(0, 0, 0)?;
    (0..7 * 24 * 60)
        .map(|minute| monday + chrono::Duration::minutes(minute))
        .find(|at| line_for(lines, *at).is_none())
        .map(|at| {
            (
                at.weekday(),
                NaiveTime::from_hms_opt(at.hour(), at.minute(), 0).unwrap_or_default(),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn time(text: &str) -> NaiveTime {
        NaiveTime::parse_from_str(text, "%H:%M").expect("time")
    }

    fn line(id: &str, weekdays: &[Weekday], from: &str, until: &str) -> Line {
        Line {
            id: id.into(),
            name: id.into(),
            name_en: id.into(),
            uri: format!("sip:{id}@pbx.example"),
            hours: LineHours {
                weekdays: weekdays.to_vec(),
                from: time(from),
                until: time(until),
            },
        }
    }

    const WORKDAYS: [Weekday; 5] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ];
    const ALL_DAYS: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    fn at(day: u32, hm: &str) -> NaiveDateTime {
        // December 2026: the 7th is a Monday.
        NaiveDate::from_ymd_opt(2026, 12, day)
            .expect("date")
            .and_time(time(hm))
    }

    fn hall_and_duty() -> Vec<Line> {
        vec![
            line("hall-desk", &WORKDAYS, "09:00", "17:30"),
            line("duty-12348", &ALL_DAYS, "00:00", "00:00"),
        ]
    }

    #[test]
    fn the_desk_by_day_and_the_duty_line_at_night_and_at_weekends() {
        let lines = hall_and_duty();
        let called = |day, hm| line_for(&lines, at(day, hm)).map(|l| l.id.as_str());
        assert_eq!(called(7, "09:00"), Some("hall-desk"));
        assert_eq!(called(7, "17:29"), Some("hall-desk"));
        assert_eq!(called(7, "17:30"), Some("duty-12348"));
        assert_eq!(called(8, "02:00"), Some("duty-12348"));
        assert_eq!(called(12, "10:00"), Some("duty-12348"), "Saturday");
        assert_eq!(first_uncovered_minute(&lines), None);
    }

    #[test]
    fn a_night_line_runs_past_midnight_into_the_next_day() {
        let night = line("duty-notary", &[Weekday::Fri], "17:30", "09:00");
        assert!(night.hours.contains(at(11, "23:59")), "Friday evening");
        assert!(night.hours.contains(at(12, "08:59")), "Saturday early");
        assert!(!night.hours.contains(at(12, "09:00")));
        assert!(
            !night.hours.contains(at(11, "08:00")),
            "Friday early belongs to Thursday"
        );
    }

    #[test]
    fn a_gap_is_found_and_named() {
        let lines = vec![
            line("hall-desk", &WORKDAYS, "09:00", "17:30"),
            line("duty-notary", &WORKDAYS, "17:30", "09:00"),
        ];
        // Monday 00:00 to 09:00 would be covered by Sunday's night line, which does not exist.
        assert_eq!(
            first_uncovered_minute(&lines),
            Some((Weekday::Mon, time("00:00")))
        );
    }
}
