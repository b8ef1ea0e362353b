//! The appointment step's properties: days as ISO dates, times as RFC 3339 starts (the ids
//! the pills send back).

use crate::core::notary::journey::ScreenView;
use crate::domain::Language;
use crate::ui::{NotaryAdapter, NotaryItem};
use chrono::{DateTime, FixedOffset, NaiveDate};
use slint::{ModelRc, SharedString, VecModel};

pub fn parse_day(id: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(id, "%Y-%m-%d").ok()
}

pub fn parse_start(id: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(id).ok()
}

fn pill(id: String, text: &str, selected: bool) -> NotaryItem {
    NotaryItem {
        id: id.into(),
        text: text.into(),
        detail: SharedString::new(),
        selected,
        state: 0,
    }
}

pub fn render(a: &NotaryAdapter<'_>, language: Language, screen: &ScreenView) {
    let empty = Vec::new;
    let (asking, days, times, chosen, office_calls) = match screen {
        ScreenView::Appointment(view) => (
            view.asking,
            view.days
                .iter()
                .map(|(day, label, on)| {
                    pill(day.format("%Y-%m-%d").to_string(), label.get(language), *on)
                })
                .collect(),
            view.times
                .iter()
                .map(|(start, label, on)| pill(start.to_rfc3339(), label, *on))
                .collect(),
            view.chosen
                .as_ref()
                .map(|m| m.get(language).to_string())
                .unwrap_or_default(),
            view.office_calls
                .as_ref()
                .map(|m| m.get(language).to_string())
                .unwrap_or_default(),
        ),
        _ => (false, empty(), empty(), String::new(), String::new()),
    };
    a.set_appointment_asking(asking);
    a.set_appointment_days(ModelRc::new(VecModel::from(days)));
    a.set_appointment_times(ModelRc::new(VecModel::from(times)));
    a.set_appointment_chosen(chosen.into());
    a.set_appointment_office_calls(office_calls.into());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_back() {
        assert_eq!(
            parse_day("2026-12-07"),
            NaiveDate::from_ymd_opt(2026, 12, 7)
        );
        let start = parse_start("2026-12-07T09:00:00+08:00").unwrap();
        assert_eq!(parse_start(&start.to_rfc3339()), Some(start));
        assert_eq!(parse_day("7 Dec"), None);
    }
}
