//! The office's free appointment times (`GET {base}/v1/slots`): the wire document and its
//! checks. Whatever answers instead of the case system (a portal's HTML page, a redirect, a
//! truncated or foreign JSON document) counts as "no answer", and the citizen is told the
//! office will call; a wrong time is never offered.

use crate::core::notary::appointment::Slot;
use serde::{Deserialize, Serialize};
use std::time::Duration;

pub const SLOTS_SCHEMA: &str = "legal-kiosk/slots/1";
/// How long a citizen waits for the office's times before being told the office will call.
pub const SLOTS_TIMEOUT: Duration = Duration::from_secs(8);
/// More times than an office could offer in the window: not the case system's answer.
pub const MAX_SLOTS: usize = 2000;

/// `GET /v1/slots?matter=…&from=YYYY-MM-DD&days=N` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotsAnswer {
    pub schema: String,
    pub matter: String,
    /// Free times only, each `start` < `end`, with the office's UTC offset.
    pub slots: Vec<Slot>,
}

/// Checks an answer body for `matter`; `Err` says why it is not the case system's.
pub fn parse_slots(body: &str, matter: &str) -> Result<Vec<Slot>, String> {
    let answer: SlotsAnswer =
        serde_json::from_str(body).map_err(|e| format!("not a slots document ({e})"))?;
    if answer.schema != SLOTS_SCHEMA {
        return Err(format!(
            "schema {:?}, expected {SLOTS_SCHEMA}",
            answer.schema
        ));
    }
    if answer.matter != matter {
        return Err(format!(
            "times for matter {:?}, asked for {matter:?}",
            answer.matter
        ));
    }
    if answer.slots.len() > MAX_SLOTS {
        return Err(format!(
            "{} times, more than {MAX_SLOTS}",
            answer.slots.len()
        ));
    }
    if let Some(bad) = answer.slots.iter().find(|s| s.end <= s.start) {
        return Err(format!("a time ends before it starts ({})", bad.start));
    }
    Ok(answer.slots)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"schema":"legal-kiosk/slots/1","matter":"will","slots":[
        {"start":"2026-12-07T09:00:00+08:00","end":"2026-12-07T09:30:00+08:00"}]}"#;

    #[test]
    fn the_case_systems_answer_is_read() {
        let slots = parse_slots(GOOD, "will").unwrap();
        assert_eq!(slots.len(), 1);
        assert_eq!(slots[0].start.to_rfc3339(), "2026-12-07T09:00:00+08:00");
    }

    #[test]
    fn anything_else_is_refused_with_its_reason() {
        let html = "<html><body>Please log in</body></html>";
        assert!(parse_slots(html, "will")
            .unwrap_err()
            .contains("not a slots document"));
        assert!(parse_slots(GOOD, "adoption")
            .unwrap_err()
            .contains("asked for"));
        let foreign = GOOD.replace("legal-kiosk/slots/1", "other/1");
        assert!(parse_slots(&foreign, "will")
            .unwrap_err()
            .contains("schema"));
        let backwards = GOOD.replace("T09:30", "T08:30");
        assert!(parse_slots(&backwards, "will")
            .unwrap_err()
            .contains("ends before"));
        let cut = &GOOD[..GOOD.len() - 10];
        assert!(parse_slots(cut, "will").is_err());
    }
}
