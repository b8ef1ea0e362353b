use super::super::applicant::{id_number_digest, tests::zhang_san};
use super::*;
use chrono::TimeZone;

const NUMBER: &str = "GZ-20261122-0042";

fn at(hour: u32) -> DateTime<FixedOffset> {
    FixedOffset::east_opt(8 * 3600)
        .unwrap()
        .with_ymd_and_hms(2026, 11, 22, hour, 0, 0)
        .unwrap()
}

fn key() -> IdDigestKey {
    IdDigestKey::new("test-pepper")
}

fn holder(id_number: &str) -> ProgressEvent {
    ProgressEvent::Card(ProgressCard::Read(CardHolder {
        id_number: id_number.into(),
    }))
}

/// A query waiting for the card of the applicant of `NUMBER`.
fn awaiting_card() -> ProgressQuery {
    let mut q = ProgressQuery::new(key());
    assert_eq!(
        q.command(ProgressCommand::Enter("gz 20261122 0042".into())),
        vec![ProgressEffect::LookupSubmission(ReceiptRef::Number(
            NUMBER.into()
        ))]
    );
    let record = RecordedSubmission {
        receipt_number: NUMBER.into(),
        id_number_digest: id_number_digest(&key(), &zhang_san().id_number),
        matter_name: bi("出生公证", "Birth"),
    };
    let effects = q.event(ProgressEvent::SubmissionFound(Some(record)), at(9));
    assert_eq!(effects, vec![ProgressEffect::AwaitCard]);
    q
}

/// A query waiting for the case system's answer.
fn fetching() -> ProgressQuery {
    let mut q = awaiting_card();
    assert_eq!(
        q.event(holder(&zhang_san().id_number), at(9)),
        vec![ProgressEffect::FetchStatus {
            receipt_number: NUMBER.into()
        }]
    );
    q
}

#[test]
fn malformed_entries_are_refused_with_a_message() {
    let mut q = ProgressQuery::new(key());
    assert!(q.command(ProgressCommand::Enter("12345".into())).is_empty());
    assert_eq!(q.view().step, ProgressStep::Enter);
    assert!(q.view().message.unwrap().zh.contains("GZ-20261122-0042"));
    assert!(q
        .command(ProgressCommand::Enter("https://example.com".into()))
        .is_empty());
    assert_eq!(
        q.command(ProgressCommand::Enter(
            "lk-notary:abcdefghijklmnop1234".into()
        )),
        vec![ProgressEffect::LookupSubmission(ReceiptRef::Token(
            "abcdefghijklmnop1234".into()
        ))]
    );
}

#[test]
fn only_the_applicant_sees_the_state() {
    let mut q = awaiting_card();
    assert!(q.event(holder("110105198001010038"), at(9)).is_empty());
    assert_eq!(q.view().step, ProgressStep::AwaitCard);
    assert!(q.view().message.unwrap().en.contains("not the applicant's"));
    assert!(q.view().status.is_none());
    // The same card again must be placed afresh: the reader is asked again.
    assert_eq!(
        q.command(ProgressCommand::RetryCard),
        vec![ProgressEffect::AwaitCard]
    );
    let effects = q.event(holder(&zhang_san().id_number.to_lowercase()), at(9));
    assert_eq!(
        effects,
        vec![ProgressEffect::FetchStatus {
            receipt_number: NUMBER.into()
        }]
    );
    let status = CaseStatus {
        state: "accepted".into(),
        case_number: Some("(2026)京证字第123号".into()),
        updated_at: at(8),
    };
    q.event(ProgressEvent::Status(StatusAnswer::Online(status)), at(9));
    let shown = q.view().status.unwrap();
    assert_eq!(shown.state.en, "Accepted");
    assert_eq!(shown.stages_done, Some(3));
    assert!(shown.next_step.is_some());
    assert!(shown.staleness.is_none() && !shown.unreachable);
    assert!(q.holds_personal_data());
    q.wipe();
    assert!(!q.holds_personal_data());
}

#[test]
fn card_problems_keep_waiting_with_a_specific_message() {
    let mut q = awaiting_card();
    let mut messages = Vec::new();
    for problem in [
        ProgressCard::Unreadable,
        ProgressCard::NotPlaced,
        ProgressCard::ReaderUnavailable,
    ] {
        assert!(q.event(ProgressEvent::Card(problem), at(9)).is_empty());
        assert_eq!(q.view().step, ProgressStep::AwaitCard);
        messages.push(q.view().message.unwrap());
    }
    messages.dedup();
    assert_eq!(messages.len(), 3, "each problem says what to do");
}

#[test]
fn offline_shows_the_cached_state_and_its_age() {
    let mut q = fetching();
    let cached = CaseStatus {
        state: "in_review".into(),
        case_number: None,
        updated_at: at(1),
    };
    q.event(
        ProgressEvent::Status(StatusAnswer::Offline {
            cached: Some((cached, at(6))),
        }),
        at(9),
    );
    let shown = q.view().status.unwrap();
    assert_eq!(shown.state.en, "Under review");
    assert!(shown.staleness.unwrap().en.contains("3 hours ago"));
}

#[test]
fn offline_without_a_cache_says_so_and_can_ask_again() {
    let mut q = fetching();
    q.event(
        ProgressEvent::Status(StatusAnswer::Offline { cached: None }),
        at(9),
    );
    let shown = q.view().status.unwrap();
    assert!(shown.unreachable);
    assert!(shown.state.en.contains("cannot be reached"));
    assert_eq!(
        q.command(ProgressCommand::Refresh),
        vec![ProgressEffect::FetchStatus {
            receipt_number: NUMBER.into()
        }]
    );
    assert_eq!(q.view().step, ProgressStep::Fetching);
}

#[test]
fn unknown_receipts_return_to_entry() {
    let mut q = ProgressQuery::new(key());
    q.command(ProgressCommand::Enter(NUMBER.into()));
    assert!(q
        .event(ProgressEvent::SubmissionFound(None), at(9))
        .is_empty());
    assert_eq!(q.view().step, ProgressStep::Enter);
    assert!(q.view().message.is_some());
}

#[test]
fn back_steps_out_and_cancel_exits_releasing_the_reader() {
    let mut q = awaiting_card();
    assert_eq!(
        q.command(ProgressCommand::Back),
        vec![ProgressEffect::StopAwaitingCard]
    );
    assert_eq!(q.view().step, ProgressStep::Enter);
    assert!(!q.holds_personal_data());
    assert_eq!(q.command(ProgressCommand::Back), vec![ProgressEffect::Exit]);
    let mut q = awaiting_card();
    assert_eq!(
        q.command(ProgressCommand::Cancel),
        vec![ProgressEffect::StopAwaitingCard, ProgressEffect::Exit]
    );
    assert!(!q.holds_personal_data());
}

#[test]
fn late_answers_after_leaving_are_ignored() {
    let mut q = fetching();
    q.command(ProgressCommand::Back);
    let status = CaseStatus {
        state: "accepted".into(),
        case_number: None,
        updated_at: at(8),
    };
    assert!(q
        .event(ProgressEvent::Status(StatusAnswer::Online(status)), at(9))
        .is_empty());
    assert!(q.view().status.is_none());
}

#[test]
fn the_card_holder_is_masked_in_debug() {
    let text = format!(
        "{:?}",
        CardHolder {
            id_number: zhang_san().id_number
        }
    );
    assert!(!text.contains(&zhang_san().id_number), "{text}");
}
