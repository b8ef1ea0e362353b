//! The relay through a hostile middle box in front of the real `case-server`: redirects to a
//! login page, 200 maintenance pages, JSON that is not an acknowledgement, resets, stalls and
//! a thin link. Whatever stands between the kiosk and the office, a receipted submission is
//! marked delivered only when the case server has it, and reaches it exactly once.

mod common;

use common::middlebox::{Behaviour, Middlebox};
use common::*;
use legal_kiosk::cli::soak::{synthetic_jpeg, synthetic_png, synthetic_submission};
use legal_kiosk::domain::{Attachment, AttachmentRole};
use legal_kiosk::store::{OutboxState, Receipt, Store};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Compares what the kiosk believes with what the case server recorded; returns
/// (marked delivered by the kiosk, really on the server) over `receipts`.
async fn tally(
    store: &Arc<Store>,
    server: &CaseServerProcess,
    receipts: &[Receipt],
) -> (usize, usize) {
    let on_server: HashSet<String> = server
        .submissions()
        .await
        .into_iter()
        .map(|s| s.idempotency_key)
        .collect();
    let entries: HashMap<_, _> = store
        .outbox_entries(true)
        .unwrap()
        .into_iter()
        .map(|e| (e.idempotency_key.clone(), e))
        .collect();
    let marked = receipts
        .iter()
        .filter(|r| entries[&r.idempotency_key].state == OutboxState::Delivered)
        .count();
    let arrived = receipts
        .iter()
        .filter(|r| on_server.contains(&r.idempotency_key))
        .count();
    (marked, arrived)
}

/// Waits until the kiosk has nothing pending, or `limit` passes.
async fn settle(store: &Arc<Store>, limit: Duration) {
    let deadline = Instant::now() + limit;
    while store.outbox_status().unwrap().pending > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn no_gateway_answer_counts_as_delivery_and_every_receipt_arrives_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = CaseServerProcess::start(free_port(), &dir.path().join("cases.db"), None);
    // A third of requests redirected to a login page, a third answered by a maintenance
    // page, the rest mixed with the other ways a middle box fails.
    let script = vec![
        Behaviour::Redirect(302),
        Behaviour::HtmlOk,
        Behaviour::Pass,
        Behaviour::Redirect(307),
        Behaviour::ForeignJson,
        Behaviour::Reset,
        Behaviour::Redirect(303),
        Behaviour::Stall,
        Behaviour::Pass,
    ];
    let middlebox = Middlebox::start(server.port, script, None).await;
    let store = open_store(&dir.path().join("kiosk"));
    let scan = synthetic_jpeg(64 * 1024);
    let mark = synthetic_png();
    let receipts: Vec<Receipt> = (0..12)
        .map(|i| {
            store
                .commit_submission(synthetic_submission(i, &scan, &mark))
                .unwrap()
        })
        .collect();
    let relay = start_relay(&store, &middlebox.base_url(), 1);
    settle(&store, Duration::from_secs(90)).await;
    relay.shutdown().await;

    let (marked, arrived) = tally(&store, &server, &receipts).await;
    let seen = middlebox.seen();
    println!(
        "hostile middle box: {} requests ({seen:?}); kiosk marked {marked} of 12 delivered, \
         the case server has {arrived} of 12",
        seen.values().sum::<u32>()
    );
    assert_eq!(
        marked, arrived,
        "the kiosk marked {marked} delivered but the case server has only {arrived}: \
         a gateway's answer was taken for delivery and the data purged"
    );
    assert_eq!(arrived, 12, "every receipted submission reaches the office");
    let records = server.submissions().await;
    assert_eq!(records.len(), 12, "each exactly once");
    assert_eq!(server.stats().await.conflicts, 0);
    // Every hostile behaviour was met at least once, so each was really tested.
    for behaviour in [
        Behaviour::Redirect(302),
        Behaviour::Redirect(307),
        Behaviour::HtmlOk,
        Behaviour::ForeignJson,
        Behaviour::Reset,
        Behaviour::Stall,
    ] {
        assert!(
            seen.get(&behaviour).copied().unwrap_or(0) > 0,
            "{behaviour:?}"
        );
    }
    // What staff see for an entry that met a redirect: where it pointed.
    let case_numbers: HashMap<_, _> = records
        .iter()
        .map(|r| (r.idempotency_key.clone(), r.case_number.clone()))
        .collect();
    for entry in store.outbox_entries(true).unwrap() {
        assert_eq!(
            entry.case_number.as_ref(),
            case_numbers.get(&entry.idempotency_key),
            "the case number recorded is the server's"
        );
    }
}

#[tokio::test]
async fn a_50_mb_application_over_a_thin_link_is_delivered_in_one_attempt() {
    let dir = tempfile::tempdir().unwrap();
    let server = CaseServerProcess::start(free_port(), &dir.path().join("cases.db"), None);
    // 8 MB/s: a 50 MB body takes about six seconds, twice the three-second timeout.
    let middlebox = Middlebox::start(server.port, vec![Behaviour::Pass], Some(8_000_000)).await;
    let store = open_store(&dir.path().join("kiosk"));
    let scan = synthetic_jpeg(12 * 1024 * 1024);
    let mut submission = synthetic_submission(0, &scan, &synthetic_png());
    for page in 2..=3 {
        submission.attachments.push(Attachment {
            role: AttachmentRole::Document,
            label: format!("household_register_page_{page}"),
            media_type: "image/jpeg".into(),
            data: synthetic_jpeg(12 * 1024 * 1024),
        });
    }
    let receipt = store.commit_submission(submission).unwrap();
    let started = Instant::now();
    let relay = start_relay(&store, &middlebox.base_url(), 3);
    settle(&store, Duration::from_secs(120)).await;
    relay.shutdown().await;
    let elapsed = started.elapsed();

    let entry = entry_of(&store, &receipt);
    println!(
        "50 MB over 8 MB/s: {:?} after {} attempt(s) in {:.1} s",
        entry.state,
        entry.attempts,
        elapsed.as_secs_f64()
    );
    assert_eq!(
        entry.state,
        OutboxState::Delivered,
        "{:?}",
        entry.last_error
    );
    assert_eq!(entry.attempts, 1, "never cut off while the upload moves");
    let records = server.submissions().await;
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].idempotency_key, receipt.idempotency_key);
}

#[tokio::test]
async fn a_peer_that_takes_the_request_and_never_answers_is_cut_off_and_retried() {
    let dir = tempfile::tempdir().unwrap();
    let server = CaseServerProcess::start(free_port(), &dir.path().join("cases.db"), None);
    let script = vec![Behaviour::Stall, Behaviour::Pass];
    let middlebox = Middlebox::start(server.port, script, None).await;
    let store = open_store(&dir.path().join("kiosk"));
    let receipt = commit_one(&store, 32);
    let relay = start_relay(&store, &middlebox.base_url(), 1);
    settle(&store, Duration::from_secs(30)).await;
    relay.shutdown().await;
    let entry = entry_of(&store, &receipt);
    assert_eq!(entry.state, OutboxState::Delivered);
    assert_eq!(entry.attempts, 2, "one stalled attempt, one delivered");
    assert_eq!(middlebox.seen()[&Behaviour::Stall], 1);
}

/// The office's appointment times through a middle box: a redirect, a portal page, foreign
/// JSON, a reset or a stall is never taken for them (the kiosk then says the office will
/// call); only the case server's own answer offers times.
#[tokio::test]
async fn only_the_case_systems_answer_offers_appointment_times() {
    let dir = tempfile::tempdir().unwrap();
    let server = CaseServerProcess::start(free_port(), &dir.path().join("cases.db"), None);
    let script = vec![
        Behaviour::Redirect(302),
        Behaviour::HtmlOk,
        Behaviour::ForeignJson,
        Behaviour::Reset,
        Behaviour::Stall,
        Behaviour::Pass,
    ];
    let middlebox = Middlebox::start(server.port, script.clone(), None).await;
    let system =
        legal_kiosk::forward::HttpCaseSystem::new(&legal_kiosk::config::CaseSystemSection {
            base_url: middlebox.base_url(),
            timeout_s: 2,
            ..Default::default()
        })
        .unwrap();
    let from = chrono::Local::now().date_naive();
    for behaviour in script {
        let started = Instant::now();
        let answer = system.slots("will", from, 7).await;
        match behaviour {
            Behaviour::Pass => {
                let slots = answer.expect("the case server's times");
                assert!(!slots.is_empty(), "a week has working days");
                assert!(slots.iter().all(|s| s.end > s.start));
            }
            _ => {
                let error = answer.expect_err("a middle box's answer is not the office's times");
                println!("{behaviour:?}: {error} after {:?}", started.elapsed());
            }
        }
    }
    for behaviour in [
        Behaviour::Redirect(302),
        Behaviour::HtmlOk,
        Behaviour::Stall,
    ] {
        assert_eq!(middlebox.seen().get(&behaviour), Some(&1), "{behaviour:?}");
    }
    // The reference server refuses a query it cannot answer with a reason.
    let direct =
        legal_kiosk::forward::HttpCaseSystem::new(&legal_kiosk::config::CaseSystemSection {
            base_url: server.base_url(),
            timeout_s: 2,
            ..Default::default()
        })
        .unwrap();
    let unknown = direct.slots("no_such_matter", from, 7).await.unwrap_err();
    assert!(unknown.to_string().contains("unknown_matter"), "{unknown}");
    let too_long = direct.slots("will", from, 90).await.unwrap_err();
    assert!(too_long.to_string().contains("bad_days"), "{too_long}");
}
