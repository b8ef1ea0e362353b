//! `GET /v1/slots`: the reference server's own appointment calendar. Working days Monday to
//! Friday, half-hour times 9:00–11:30 and 13:30–17:00 Beijing time, each taken by one
//! appointment; a time booked by an application the server has received is no longer
//! offered. An application that arrives for a time taken meanwhile is still accepted (the
//! citizen has a receipt): the office calls to move it.

use super::ServerState;
use crate::core::notary::appointment::Slot;
use crate::forward::{SlotsAnswer, SLOTS_SCHEMA};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, Offset, TimeZone, Weekday,
};
use serde::Deserialize;
use std::collections::HashSet;
use std::sync::Arc;

/// The longest window a kiosk may ask for.
pub const MAX_DAYS: u32 = 31;
const SLOT_MINUTES: i64 = 30;
/// (first start, last start) of each half day.
const SESSIONS: [((u32, u32), (u32, u32)); 2] = [((9, 0), (11, 0)), ((13, 30), (16, 30))];

#[derive(Debug, Deserialize)]
pub(super) struct SlotsQuery {
    matter: Option<String>,
    from: Option<String>,
    days: Option<u32>,
}

/// The office's time: China has one zone, UTC+8, without daylight saving.
fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap_or(chrono::Utc.fix())
}

/// Every time of the calendar in `days` days from `from`, booked or not.
pub fn calendar(from: NaiveDate, days: u32) -> Vec<Slot> {
    let zone = beijing();
    let mut slots = Vec::new();
    for offset in 0..days {
        let Some(day) = from.checked_add_days(chrono::Days::new(u64::from(offset))) else {
            break;
        };
        if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            continue;
        }
        for ((first_h, first_m), (last_h, last_m)) in SESSIONS {
            let (Some(first), Some(last)) = (
                NaiveTime::from_hms_opt(first_h, first_m, 0),
                NaiveTime::from_hms_opt(last_h, last_m, 0),
            ) else {
                continue;
            };
            let mut time = first;
            while time <= last {
                if let Some(start) = zone.from_local_datetime(&day.and_time(time)).single() {
                    slots.push(Slot {
                        start,
                        end: start + Duration::minutes(SLOT_MINUTES),
                    });
                }
                time += Duration::minutes(SLOT_MINUTES);
            }
        }
    }
    slots
}

fn refuse(code: &str, reason: impl Into<String>) -> Response {
    let body = crate::forward::ErrorBody {
        error: code.into(),
        reason: reason.into(),
    };
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

pub(super) async fn slots(
    State(state): State<Arc<ServerState>>,
    Query(query): Query<SlotsQuery>,
) -> Response {
    let Some(matter) = query.matter.filter(|m| !m.is_empty()) else {
        return refuse("missing_matter", "the matter query parameter is required");
    };
    let known = state
        .catalogue
        .as_ref()
        .is_some_and(|c| c.matter(&matter).is_some());
    if !known {
        return refuse("unknown_matter", format!("no matter {matter:?}"));
    }
    let now = chrono::Utc::now().with_timezone(&beijing());
    let from = match query.from.as_deref() {
        None => now.date_naive(),
        Some(text) => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(day) => day,
            Err(_) => return refuse("bad_from", format!("from {text:?} is not YYYY-MM-DD")),
        },
    };
    let days = query.days.unwrap_or(14);
    if days == 0 || days > MAX_DAYS {
        return refuse("bad_days", format!("days must be 1 to {MAX_DAYS}"));
    }
    let booked: HashSet<DateTime<FixedOffset>> = match state.db.booked_starts() {
        Ok(starts) => starts.into_iter().collect(),
        Err(e) => return super::routes::internal(e),
    };
    let free = calendar(from, days)
        .into_iter()
        .filter(|s| s.start > now && !booked.contains(&s.start))
        .collect();
    Json(SlotsAnswer {
        schema: SLOTS_SCHEMA.into(),
        matter,
        slots: free,
    })
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_calendar_has_working_days_only_in_half_hours() {
        // 2026-12-04 is a Friday: Friday, then Monday and Tuesday.
        let day = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let slots = calendar(day, 5);
        let days: HashSet<NaiveDate> = slots.iter().map(Slot::day).collect();
        assert_eq!(days.len(), 3);
        assert!(slots
            .iter()
            .all(|s| s.end - s.start == Duration::minutes(30)));
        assert_eq!(slots.len(), 3 * 12, "5 morning and 7 afternoon times a day");
        assert_eq!(slots[0].start.to_rfc3339(), "2026-12-04T09:00:00+08:00");
        assert_eq!(slots[11].start.to_rfc3339(), "2026-12-04T16:30:00+08:00");
    }
}
