//! Fixed states of the progress screens for screenshots: the core is fed the events a real
//! query would produce, without a store, reader or case system.

use super::super::Controller;
use crate::core::notary::id_number_digest;
use crate::core::notary::progress::{
    CardHolder, CaseStatus, ProgressCard, ProgressCommand, ProgressEvent, RecordedSubmission,
    StatusAnswer,
};
use crate::core::{Command, Screen};
use crate::domain::bi;
use chrono::Duration;

/// Scene names `screenshot --screen` accepts beyond the core's screens (the entry step is
/// the `progress` screen itself).
pub const PROGRESS_SCENES: [&str; 4] = [
    "progress-identify",
    "progress-result",
    "progress-offline",
    "progress-not-found",
];

const SAMPLE_NUMBER: &str = "GZ-20261122-0042";
/// A synthetic ID number (the simulator's sample adult), never a real person's.
const SAMPLE_ID: &str = "11010519800101001X";

/// Puts the progress screen into the named scene; false for other names.
pub(in crate::adapter) fn stage(c: &Controller, name: &str) -> bool {
    if !PROGRESS_SCENES.contains(&name) {
        return false;
    }
    c.dispatch(Command::Open(Screen::Progress));
    let now = c.progress_now();
    let record = RecordedSubmission {
        receipt_number: SAMPLE_NUMBER.into(),
        id_number_digest: id_number_digest(&c.progress.key, SAMPLE_ID),
        matter_name: bi("学历公证", "Education certificate"),
    };
    let found = Some(record).filter(|_| name != "progress-not-found");
    let holder = ProgressCard::Read(CardHolder {
        id_number: SAMPLE_ID.into(),
    });
    let status = CaseStatus {
        state: "accepted".into(),
        case_number: Some("(2026)京长安证字第01234号".into()),
        updated_at: now - Duration::hours(17),
    };
    let answer = match name {
        "progress-offline" => StatusAnswer::Offline {
            cached: Some((status, now - Duration::hours(3))),
        },
        _ => StatusAnswer::Online(status),
    };
    let mut events = vec![ProgressEvent::SubmissionFound(found)];
    if matches!(name, "progress-result" | "progress-offline") {
        events.push(ProgressEvent::Card(holder));
        events.push(ProgressEvent::Status(answer));
    }
    c.progress_adapter(|a| a.set_entry("20261122-0042".into()));
    {
        let mut query = c.progress.query.borrow_mut();
        query.command(ProgressCommand::Enter(SAMPLE_NUMBER.into()));
        for event in events {
            // The effects (reader, office) are not carried out: the scene is the state.
            query.event(event, now);
        }
    }
    c.render_progress();
    true
}
