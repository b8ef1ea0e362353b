//! `[office.calendar]`: the office's working days and hours, public holidays and weekend
//! days worked in lieu, so the receipt can say when the office takes an application up.
//! Checked and turned into dates and times by `core::notary::calendar::OfficeCalendar`.

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
