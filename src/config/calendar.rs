//! `[office.calendar]`: the office's working days and hours, public holidays and weekend
//! days worked in lieu, so the receipt can say when the office takes an application up.

use crate::core::notary::calendar::OfficeCalendar;
use chrono::{NaiveDate, NaiveTime, Weekday};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarSection {
    /// Working weekdays, 1 = Monday … 7 = Sunday.
    pub weekdays: Vec<u8>,
    /// "09:00": when the office opens and closes.
    pub opens: String,
    pub closes: String,
    /// "2027-01-01": public holidays (法定节假日) the office is closed.
    #[serde(default)]
    pub holidays: Vec<String>,
    /// Weekend days the office works in lieu (调休上班).
    #[serde(default)]
    pub working_weekends: Vec<String>,
}

impl CalendarSection {
    /// The calendar, or `Err((key, message))` naming what does not parse.
    pub fn calendar(&self) -> Result<OfficeCalendar, (&'static str, String)> {
        let weekdays = self
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
            opens: time("opens", &self.opens)?,
            closes: time("closes", &self.closes)?,
            holidays: dates("holidays", &self.holidays)?,
            working_weekends: dates("working_weekends", &self.working_weekends)?,
        };
        if calendar.opens >= calendar.closes {
            return Err(("closes", "must be later than `opens`".into()));
        }
        Ok(calendar)
    }

    /// Monday to Friday, 9:00 to 17:30, no holidays listed (the demo and the default).
    pub fn weekdays_nine_to_half_past_five() -> CalendarSection {
        CalendarSection {
            weekdays: vec![1, 2, 3, 4, 5],
            opens: "09:00".into(),
            closes: "17:30".into(),
            holidays: Vec::new(),
            working_weekends: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::KioskConfig;
    use std::path::Path;

    const MINIMAL: &str = "[kiosk]\nid = \"K-1\"\nhall = \"厅\"\ndata_dir = \"/tmp\"\n[office]\nname = \"某某市某某公证处\"\nname_en = \"N\"\naddress = \"A\"\naddress_en = \"A\"\nhours = \"H\"\nhours_en = \"H\"\nphone = \"1\"\n";

    fn parse(calendar: &str) -> Result<KioskConfig, crate::config::ConfigError> {
        KioskConfig::parse(
            &format!("{MINIMAL}[office.calendar]\n{calendar}"),
            Path::new("/etc/kiosk.toml"),
        )
    }

    #[test]
    fn a_calendar_parses_and_bad_entries_are_named() {
        let config = parse("weekdays = [1, 2, 3, 4, 5, 6]\nopens = \"08:30\"\ncloses = \"17:00\"\nholidays = [\"2027-01-01\"]\n").unwrap();
        let calendar = config.office.calendar.unwrap().calendar().unwrap();
        assert_eq!(calendar.weekdays.len(), 6);
        assert_eq!(calendar.holidays.len(), 1);
        for (bad, key) in [
            (
                "weekdays = [0]\nopens = \"09:00\"\ncloses = \"17:00\"\n",
                "weekdays",
            ),
            (
                "weekdays = [1]\nopens = \"9h\"\ncloses = \"17:00\"\n",
                "opens",
            ),
            (
                "weekdays = [1]\nopens = \"18:00\"\ncloses = \"17:00\"\n",
                "closes",
            ),
            (
                "weekdays = [1]\nopens = \"09:00\"\ncloses = \"17:00\"\nholidays = [\"1 May\"]\n",
                "holidays",
            ),
        ] {
            let err = parse(bad).unwrap_err().to_string();
            assert!(err.contains(&format!("office.calendar.{key}")), "{err}");
        }
    }
}
