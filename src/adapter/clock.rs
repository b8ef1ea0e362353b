//! The header clock. A fixed clock makes screenshots and golden images reproducible.

use crate::domain::Language;
use chrono::{Datelike, NaiveDateTime, Timelike};

#[derive(Debug, Clone)]
pub enum Clock {
    /// Local wall-clock time.
    System,
    /// Always the same instant (screenshots, tests).
    Fixed(NaiveDateTime),
}

impl Clock {
    pub fn now(&self) -> NaiveDateTime {
        match self {
            Clock::System => chrono::Local::now().naive_local(),
            Clock::Fixed(at) => *at,
        }
    }
}

/// "2026年11月22日 星期日 09:30" or "Sun 22 Nov 2026 09:30".
pub fn format_clock(at: NaiveDateTime, language: Language) -> String {
    const ZH_WEEKDAYS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];
    let weekday = at.weekday().num_days_from_monday() as usize;
    match language {
        Language::Zh => format!(
            "{}年{}月{}日 星期{} {:02}:{:02}",
            at.year(),
            at.month(),
            at.day(),
            ZH_WEEKDAYS[weekday],
            at.hour(),
            at.minute()
        ),
        Language::En => at.format("%a %-d %b %Y %H:%M").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_both_languages() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 22)
            .unwrap()
            .and_hms_opt(9, 5, 0)
            .unwrap();
        assert_eq!(
            format_clock(at, Language::Zh),
            "2026年11月22日 星期日 09:05"
        );
        assert_eq!(format_clock(at, Language::En), "Sun 22 Nov 2026 09:05");
    }
}
