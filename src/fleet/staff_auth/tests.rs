use super::*;
use crate::fleet::audit::{AuditEvent, MemoryAuditSink, Phase};
use crate::fleet::lockout::FileLockoutStore;
use crate::fleet::pin::{PinHash, MIN_ITERATIONS};
use crate::fleet::staff_registry::{render_registry, StaffEntrySpec};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

const CARD_UID: &[u8] = b"\x04\xA2\x19\x7F\x33\x10";

struct Fixture {
    auth: StaffAuth,
    sink: Arc<MemoryAuditSink>,
    gate: CitizenSessionGate,
    lockout_path: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

fn registry() -> StaffRegistry {
    let pin = PinHash::create("482913", MIN_ITERATIONS).expect("pin");
    let text = render_registry(
        &[9u8; 16],
        &[StaffEntrySpec {
            id: "S07",
            card_uid: Some(CARD_UID),
            fingerprint_ids: &[12],
            pin: &pin,
        }],
    );
    StaffRegistry::parse(&text).expect("registry")
}

fn start() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_750_000_000)
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let lockout_path = dir.path().join("staff-lockout.json");
    let sink = Arc::new(MemoryAuditSink::default());
    let gate = CitizenSessionGate::new();
    let auth = new_auth(&lockout_path, sink.clone(), gate.clone());
    Fixture {
        auth,
        sink,
        gate,
        lockout_path,
        _dir: dir,
    }
}

fn new_auth(
    lockout_path: &std::path::Path,
    sink: Arc<MemoryAuditSink>,
    gate: CitizenSessionGate,
) -> StaffAuth {
    StaffAuth::new(
        registry(),
        LockoutPolicy::default(),
        Box::new(FileLockoutStore::new(lockout_path)),
        gate,
        Auditor::new(sink),
        start(),
    )
}

fn card() -> StaffCredential {
    StaffCredential::Card {
        uid: CARD_UID.to_vec(),
    }
}

fn completions(events: &[AuditEvent]) -> Vec<Outcome> {
    events
        .iter()
        .filter_map(|event| match event.phase {
            Phase::Complete { outcome, .. } if event.id == AuditEventId::StaffLogin => {
                Some(outcome)
            }
            _ => None,
        })
        .collect()
}

#[test]
fn card_and_right_pin_open_staff_mode_and_are_audited_as_a_pair() {
    let mut f = fixture();
    f.auth
        .present_credential(&card(), start())
        .expect("known card");
    let session = f.auth.enter_pin("482913", start()).expect("right PIN");
    assert_eq!(session.staff_id_hash.as_str().len(), 16);
    let events = f.sink.events();
    assert_eq!(events.len(), 2);
    let (
        Phase::Init { correlation: a },
        Phase::Complete {
            correlation: b,
            outcome,
        },
    ) = (events[0].phase, events[1].phase)
    else {
        panic!("expected an init/complete pair, got {events:?}");
    };
    assert_eq!(a, b);
    assert_eq!(outcome, Outcome::Success);
    assert_eq!(events[1].fields.staff_id_hash, Some(session.staff_id_hash));
    let exported: String = events.iter().map(AuditEvent::to_json_line).collect();
    assert!(
        !exported.to_lowercase().contains("04a2197f"),
        "no card UID in audit"
    );
}

#[test]
fn a_fingerprint_also_identifies_staff() {
    let mut f = fixture();
    f.auth
        .present_credential(&StaffCredential::Fingerprint { template_id: 12 }, start())
        .expect("enrolled fingerprint");
    assert!(f.auth.enter_pin("482913", start()).is_ok());
}

#[test]
fn wrong_pins_lock_out_with_doubling_delays() {
    let mut f = fixture();
    let mut now = start();
    let mut delays = Vec::new();
    for _ in 0..4 {
        f.auth.present_credential(&card(), now).expect("not locked");
        match f.auth.enter_pin("000000", now) {
            Err(AuthError::WrongPin { retry_after }) => delays.push(retry_after.as_secs()),
            other => panic!("expected WrongPin, got {other:?}"),
        }
        // Trying again at once is refused and audited.
        assert!(matches!(
            f.auth.present_credential(&card(), now),
            Err(AuthError::LockedOut { .. })
        ));
        now += Duration::from_secs(*delays.last().unwrap_or(&0));
    }
    assert_eq!(delays, vec![1, 2, 4, 8]);
    let outcomes = completions(&f.sink.events());
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| **o == Outcome::Failure(ReasonCode::WrongPin))
            .count(),
        4
    );
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| **o == Outcome::Failure(ReasonCode::LockedOut))
            .count(),
        4
    );
    // The right PIN after the lock expires opens and resets the counter.
    f.auth
        .present_credential(&card(), now)
        .expect("lock expired");
    f.auth.enter_pin("482913", now).expect("right PIN");
    assert_eq!(f.auth.locked_for(now), Duration::ZERO);
}

#[test]
fn the_lockout_survives_a_restart() {
    let mut f = fixture();
    for attempt in 0..3u64 {
        let now = start() + Duration::from_secs(attempt * 10);
        f.auth.present_credential(&card(), now).expect("not locked");
        assert!(f.auth.enter_pin("111111", now).is_err());
    }
    let now = start() + Duration::from_secs(20);
    let restarted = new_auth(&f.lockout_path, f.sink.clone(), f.gate.clone());
    assert_eq!(restarted.locked_for(now), Duration::from_secs(4));
}

#[test]
fn unknown_cards_count_as_failures() {
    let mut f = fixture();
    let stranger = StaffCredential::Card {
        uid: vec![1, 2, 3, 4],
    };
    match f.auth.present_credential(&stranger, start()) {
        Err(AuthError::UnknownCredential { retry_after }) => {
            assert_eq!(retry_after, Duration::from_secs(1))
        }
        other => panic!("expected UnknownCredential, got {other:?}"),
    }
    assert!(f
        .sink
        .events()
        .iter()
        .any(|event| event.id == AuditEventId::StaffLockout));
}

#[test]
fn staff_mode_never_opens_during_a_citizen_session() {
    let mut f = fixture();
    f.gate.set_active(true);
    assert!(matches!(
        f.auth.present_credential(&card(), start()),
        Err(AuthError::CitizenSessionActive)
    ));
    // A citizen session that starts between card and PIN also blocks.
    f.gate.set_active(false);
    f.auth.present_credential(&card(), start()).expect("idle");
    f.gate.set_active(true);
    assert!(matches!(
        f.auth.enter_pin("482913", start()),
        Err(AuthError::CitizenSessionActive)
    ));
    let outcomes = completions(&f.sink.events());
    assert_eq!(
        outcomes,
        vec![
            Outcome::Failure(ReasonCode::CitizenSessionActive),
            Outcome::Failure(ReasonCode::CitizenSessionActive)
        ]
    );
}

#[test]
fn a_pin_without_a_credential_is_refused_and_cancel_is_audited() {
    let mut f = fixture();
    assert!(matches!(
        f.auth.enter_pin("482913", start()),
        Err(AuthError::NoCredentialPresented)
    ));
    f.auth.present_credential(&card(), start()).expect("known");
    f.auth.cancel().expect("cancel");
    assert_eq!(
        completions(&f.sink.events()),
        vec![Outcome::Cancelled(ReasonCode::UserCancelled)]
    );
}

#[test]
fn an_unreadable_lockout_file_fails_closed() {
    let f = fixture();
    std::fs::write(&f.lockout_path, b"garbage").expect("corrupt");
    let auth = new_auth(&f.lockout_path, f.sink.clone(), f.gate.clone());
    assert_eq!(auth.locked_for(start()), LockoutPolicy::default().max_delay);
}
