//! The relay against the real `case-server` process on loopback: every fault mode, a long
//! outage, rejections and key conflicts, each with its defined outcome.

mod common;

use common::*;
use legal_kiosk::cli::soak::{synthetic_jpeg, synthetic_png, synthetic_submission};
use legal_kiosk::forward::{WireSubmission, SUBMISSION_SCHEMA};
use legal_kiosk::store::{OutboxState, Receipt, Store};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn commit(store: &Arc<Store>, count: u32, scan_kib: usize) -> Vec<Receipt> {
    let scan = synthetic_jpeg(scan_kib * 1024);
    let mark = synthetic_png();
    (0..count)
        .map(|i| {
            store
                .commit_submission(synthetic_submission(i, &scan, &mark))
                .unwrap()
        })
        .collect()
}

/// Every receipt reached the case server exactly once, and the store shows it delivered with
/// the server's case number.
async fn assert_delivered_exactly_once(
    store: &Arc<Store>,
    server: &CaseServerProcess,
    receipts: &[Receipt],
) {
    let stored = server.submissions().await;
    assert_eq!(stored.len(), receipts.len(), "one record per submission");
    let by_key: HashMap<_, _> = stored
        .iter()
        .map(|s| (s.idempotency_key.clone(), s))
        .collect();
    let entries: HashMap<_, _> = store
        .outbox_entries(true)
        .unwrap()
        .into_iter()
        .map(|e| (e.idempotency_key.clone(), e))
        .collect();
    for receipt in receipts {
        let record = by_key
            .get(&receipt.idempotency_key)
            .expect("receipt delivered");
        assert_eq!(record.receipt_number, receipt.number);
        let entry = &entries[&receipt.idempotency_key];
        assert_eq!(entry.state, OutboxState::Delivered);
        assert_eq!(
            entry.case_number.as_deref(),
            Some(record.case_number.as_str())
        );
    }
    assert_eq!(server.stats().await.conflicts, 0);
}

/// Runs `count` submissions through a relay while the server has `spec` on for `times`
/// requests; returns the server's stats.
/// Also returns the delivery attempts the kiosk made in total.
async fn run_with_fault(
    spec: &str,
    times: u32,
    count: u32,
    timeout_s: u32,
) -> (legal_kiosk::caseserver::Stats, u32) {
    let dir = tempfile::tempdir().unwrap();
    let server = CaseServerProcess::start(free_port(), &dir.path().join("cases.db"), None);
    server.set_fault(spec, Some(times)).await;
    let store = open_store(&dir.path().join("kiosk"));
    let receipts = commit(&store, count, 300);
    let relay = start_relay(&store, &server.base_url(), timeout_s);
    wait_drained(&store, Duration::from_secs(60)).await;
    relay.shutdown().await;
    assert_delivered_exactly_once(&store, &server, &receipts).await;
    assert!(store.verify_audit().unwrap().intact);
    let attempts = store
        .outbox_entries(true)
        .unwrap()
        .iter()
        .map(|e| e.attempts)
        .sum();
    (server.stats().await, attempts)
}

#[tokio::test]
async fn server_errors_are_retried_until_delivered() {
    for code in ["500", "502", "503"] {
        let (stats, attempts) = run_with_fault(&format!("status:{code}"), 5, 3, 10).await;
        assert_eq!(stats.faults, 5, "HTTP {code}");
        assert_eq!(attempts, 8);
        assert_eq!(stats.submissions, 3);
    }
}

#[tokio::test]
async fn a_connection_dropped_before_commit_is_retried() {
    let (stats, attempts) = run_with_fault("drop-before-commit", 3, 3, 10).await;
    assert_eq!(stats.faults, 3);
    assert_eq!(attempts, 6);
}

#[tokio::test]
async fn a_connection_dropped_after_commit_is_deduplicated_by_key() {
    let (stats, _) = run_with_fault("drop-after-commit", 3, 3, 10).await;
    // The server stored them but the kiosk never heard; the retries were answered from the
    // original records instead of creating new ones.
    assert!(stats.replays >= 3, "{stats:?}");
    assert_eq!(stats.submissions, 3);
}

#[tokio::test]
async fn an_answer_slower_than_the_timeout_is_retried_and_deduplicated() {
    let (stats, _) = run_with_fault("latency:2500", 2, 2, 1).await;
    assert!(stats.replays >= 1, "{stats:?}");
}

#[tokio::test]
async fn a_server_reading_slowly_makes_the_request_time_out_and_it_is_retried() {
    // 300 KiB at 16 KiB per 100 ms takes about 2 s, longer than the 1 s timeout.
    let (stats, attempts) = run_with_fault("slow-read:100", 1, 1, 1).await;
    assert!(attempts >= 2, "{stats:?}");
    assert_eq!(stats.submissions, 1);
}

#[tokio::test]
async fn retry_after_is_honoured_for_429_and_503() {
    for code in [429, 503] {
        let started = Instant::now();
        let (stats, _) = run_with_fault(&format!("retry-after:{code}:2"), 1, 2, 10).await;
        assert_eq!(stats.faults, 1);
        assert!(
            started.elapsed() >= Duration::from_secs(2),
            "HTTP {code}: delivered before Retry-After elapsed"
        );
    }
}

#[tokio::test]
async fn a_rejection_is_parked_with_the_reason_and_retried_only_by_staff() {
    let dir = tempfile::tempdir().unwrap();
    let server = CaseServerProcess::start(
        free_port(),
        &dir.path().join("cases.db"),
        Some("reject:422"),
    );
    let store = open_store(&dir.path().join("kiosk"));
    let receipts = commit(&store, 1, 16);
    let relay = start_relay(&store, &server.base_url(), 10);
    wait_drained(&store, Duration::from_secs(30)).await;
    // Give a wrongly retrying relay the chance to try again before counting.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let entry = store.outbox_entries(false).unwrap().remove(0);
    assert_eq!(entry.state, OutboxState::Parked);
    assert!(
        entry.park_reason.as_deref().unwrap().contains("422"),
        "{entry:?}"
    );
    assert!(
        entry.park_reason.as_deref().unwrap().contains("refuses"),
        "{entry:?}"
    );
    assert_eq!(server.stats().await.posts, 1, "never retried automatically");
    assert_eq!(store.outbox_status().unwrap().parked, 1);

    server.set_fault("latency:0", Some(0)).await;
    store.retry_parked(entry.id, "staff-test").unwrap();
    wait_drained(&store, Duration::from_secs(30)).await;
    relay.shutdown().await;
    assert_delivered_exactly_once(&store, &server, &receipts).await;
}

#[tokio::test]
async fn a_key_already_used_for_other_content_is_parked_as_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let server = CaseServerProcess::start(free_port(), &dir.path().join("cases.db"), None);
    let store = open_store(&dir.path().join("kiosk"));
    let receipt = commit(&store, 1, 16).remove(0);
    let impostor = WireSubmission {
        schema: SUBMISSION_SCHEMA.into(),
        kiosk_id: "OTHER-KIOSK".into(),
        kind: legal_kiosk::domain::SubmissionKind::Rating,
        receipt_number: "PJ-20000101-0001".into(),
        submitted_at: "2000-01-01T00:00:00Z".into(),
        payload: serde_json::json!({"stars": 5}),
        attachments: vec![],
    };
    let first = reqwest::Client::new()
        .post(format!("{}/v1/submissions", server.base_url()))
        .header("Idempotency-Key", &receipt.idempotency_key)
        .json(&impostor)
        .send()
        .await
        .unwrap();
    assert_eq!(first.status().as_u16(), 201);
    let relay = start_relay(&store, &server.base_url(), 10);
    wait_drained(&store, Duration::from_secs(30)).await;
    relay.shutdown().await;
    let entry = store.outbox_entries(false).unwrap().remove(0);
    assert_eq!(entry.state, OutboxState::Parked);
    assert!(entry.park_reason.unwrap().starts_with("HTTP 409"));
    assert_eq!(server.stats().await.conflicts, 1);
}

#[tokio::test]
async fn a_long_outage_delays_but_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let store = open_store(&dir.path().join("kiosk"));
    let receipts = commit(&store, 8, 64);
    let relay = start_relay(&store, &format!("http://127.0.0.1:{port}"), 2);
    tokio::time::sleep(Duration::from_secs(3)).await;
    let status = store.outbox_status().unwrap();
    assert_eq!(status.pending, 8);
    let entries = store.outbox_entries(false).unwrap();
    assert!(entries.iter().all(|e| e.attempts >= 2), "{entries:?}");
    assert!(entries[0]
        .last_error
        .as_deref()
        .unwrap()
        .contains("request failed"));
    // More citizens submit while the case system is down.
    let mut receipts = receipts;
    receipts.extend(commit(&store, 4, 64));

    let server = CaseServerProcess::start(port, &dir.path().join("cases.db"), None);
    wait_drained(&store, Duration::from_secs(30)).await;
    relay.shutdown().await;
    assert_delivered_exactly_once(&store, &server, &receipts).await;
    // Personal data is gone once acknowledged.
    let id = store.outbox_entries(true).unwrap()[0].id;
    assert!(store.load_for_delivery(id).is_err());
}

#[tokio::test]
async fn status_is_queryable_by_key() {
    use legal_kiosk::forward::{CaseSystem, HttpCaseSystem};
    let dir = tempfile::tempdir().unwrap();
    let server = CaseServerProcess::start(free_port(), &dir.path().join("cases.db"), None);
    let store = open_store(&dir.path().join("kiosk"));
    let receipt = commit(&store, 1, 16).remove(0);
    let section = legal_kiosk::config::CaseSystemSection {
        base_url: server.base_url(),
        ..Default::default()
    };
    let system = HttpCaseSystem::new(&section).unwrap();
    assert_eq!(system.status(&receipt.idempotency_key).await.unwrap(), None);
    let relay = start_relay(&store, &server.base_url(), 10);
    wait_drained(&store, Duration::from_secs(30)).await;
    relay.shutdown().await;
    let result = system
        .status(&receipt.idempotency_key)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(result.receipt_number, receipt.number);
    assert_eq!(result.status, "received");
    assert!(result.case_number.unwrap().starts_with("CASE-"));
}
