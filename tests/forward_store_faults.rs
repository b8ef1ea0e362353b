//! The relay when the kiosk's own store fails: an outcome that cannot be recorded (disk
//! full, I/O error) or a row that cannot be read must not turn into a tight re-send loop.
//! Failures are injected with SQLite triggers on the real database file.

mod common;

use common::middlebox::{Behaviour, Middlebox};
use common::*;
use legal_kiosk::store::{OutboxState, DB_FILE};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tracing_subscriber::layer::SubscriberExt;

/// Counts the relay's "cannot load" errors: each is one pick of the unreadable entry.
struct LoadFailures(Arc<AtomicUsize>);

struct Message(String);

impl tracing::field::Visit for Message {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for LoadFailures {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        let mut message = Message(String::new());
        event.record(&mut message);
        if message.0.contains("cannot load outbox entry") {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}

fn load_failures() -> &'static Arc<AtomicUsize> {
    static COUNT: OnceLock<Arc<AtomicUsize>> = OnceLock::new();
    COUNT.get_or_init(|| {
        let count = Arc::new(AtomicUsize::new(0));
        let subscriber = tracing_subscriber::registry().with(LoadFailures(count.clone()));
        tracing::subscriber::set_global_default(subscriber).expect("one subscriber");
        count
    })
}

fn execute(kiosk_dir: &Path, sql: &str) {
    let db = rusqlite::Connection::open(kiosk_dir.join(DB_FILE)).unwrap();
    db.execute_batch(sql).unwrap();
}

#[tokio::test]
async fn an_outcome_that_cannot_be_recorded_is_held_back_not_resent_in_a_loop() {
    let dir = tempfile::tempdir().unwrap();
    let server = CaseServerProcess::start(free_port(), &dir.path().join("cases.db"), None);
    let kiosk = dir.path().join("kiosk");
    let store = open_store(&kiosk);
    let receipt = commit_one(&store, 16);
    // Recording "delivered" fails, as it would on a full disk.
    execute(
        &kiosk,
        "CREATE TRIGGER injected_write_failure BEFORE UPDATE OF state ON outbox
         WHEN NEW.state = 'delivered'
         BEGIN SELECT RAISE(ABORT, 'injected write failure'); END;",
    );
    let relay = start_relay(&store, &server.base_url(), 5);
    tokio::time::sleep(Duration::from_secs(4)).await;
    let posts = server.submissions().await[0].posts;
    println!("outcome not recordable for 4 s: {posts} POSTs");
    // Held back at least 1 s after each failure: at most five attempts in four seconds (a
    // tight loop sends hundreds).
    assert!((1..=5).contains(&posts), "{posts} POSTs in 4 s");
    assert_eq!(
        store.outbox_status().unwrap().pending,
        1,
        "still pending, not lost"
    );

    // The disk is freed: the next attempt is recorded, with the server's original answer.
    execute(&kiosk, "DROP TRIGGER injected_write_failure;");
    wait_drained(&store, Duration::from_secs(20)).await;
    relay.shutdown().await;
    let entry = entry_of(&store, &receipt);
    assert_eq!(entry.state, OutboxState::Delivered);
    assert_eq!(server.submissions().await.len(), 1, "recorded once");
}

#[tokio::test]
async fn a_row_that_cannot_be_read_is_held_back_not_picked_again_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = CaseServerProcess::start(free_port(), &dir.path().join("cases.db"), None);
    let kiosk = dir.path().join("kiosk");
    let store = open_store(&kiosk);
    commit_one(&store, 16);
    // A torn attachment row: loading the entry fails (the failure is in the store, not at
    // the case system, so nothing can be sent).
    execute(
        &kiosk,
        "UPDATE attachments SET position = 'torn' WHERE position = 0;",
    );
    let picks = load_failures();
    let relay = start_relay(&store, &server.base_url(), 5);
    tokio::time::sleep(Duration::from_secs(3)).await;
    relay.shutdown().await;
    let picks = picks.load(Ordering::Relaxed);
    println!("unreadable entry for 3 s: picked {picks} times");
    // Held back at least 1 s after each failure: at most four picks in three seconds (a
    // tight loop picks it thousands of times).
    assert!((1..=4).contains(&picks), "picked {picks} times in 3 s");
    let status = store.outbox_status().unwrap();
    assert_eq!(status.pending, 1, "kept for staff, not dropped");
    assert!(
        server.submissions().await.is_empty(),
        "nothing half-read was sent"
    );
}

#[tokio::test]
async fn the_relay_shows_it_is_alive_while_it_runs_and_not_after_it_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let server = CaseServerProcess::start(free_port(), &dir.path().join("cases.db"), None);
    let store = open_store(&dir.path().join("kiosk"));
    // The test relay polls every 100 ms.
    let relay = start_relay(&store, &server.base_url(), 5);
    let turn = relay.last_turn.clone();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(turn.age() < Duration::from_millis(400), "{:?}", turn.age());
    relay.shutdown().await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(
        turn.age() >= Duration::from_millis(500),
        "a stopped loop ages"
    );
}

#[tokio::test]
async fn what_the_case_system_says_about_a_refusal_is_stored_scrubbed() {
    let dir = tempfile::tempdir().unwrap();
    let server = CaseServerProcess::start(free_port(), &dir.path().join("cases.db"), None);
    let middlebox = Middlebox::start(server.port, vec![Behaviour::RejectQuotingInput], None).await;
    let store = open_store(&dir.path().join("kiosk"));
    commit_one(&store, 16);
    let relay = start_relay(&store, &middlebox.base_url(), 5);
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while store.outbox_status().unwrap().parked == 0 {
        assert!(std::time::Instant::now() < deadline, "never parked");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    relay.shutdown().await;
    let entry = store.outbox_entries(false).unwrap().remove(0);
    let reason = entry.park_reason.unwrap();
    // The reason is stored unencrypted and shown on the staff screen.
    assert!(reason.starts_with("HTTP 422"), "{reason}");
    assert!(
        reason.contains("[phone]") && !reason.contains("1234 5678"),
        "{reason}"
    );
}

/// After a rollback, the older binary meets an attachment kind only a newer one writes: the
/// entry is parked with its data intact and a reason staff can act on, nothing half-read is
/// sent, and once the newer version is back a retry delivers it.
#[tokio::test]
async fn an_attachment_kind_from_a_newer_version_is_parked_intact_not_sent() {
    let dir = tempfile::tempdir().unwrap();
    let server = CaseServerProcess::start(free_port(), &dir.path().join("cases.db"), None);
    let kiosk = dir.path().join("kiosk");
    let store = open_store(&kiosk);
    let receipt = commit_one(&store, 16);
    execute(
        &kiosk,
        "UPDATE attachments SET role = 'hologram' WHERE position = 0;",
    );
    let relay = start_relay(&store, &server.base_url(), 5);
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while store.outbox_status().unwrap().parked == 0 {
        assert!(std::time::Instant::now() < deadline, "never parked");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    relay.shutdown().await;
    let entry = entry_of(&store, &receipt);
    let reason = entry.park_reason.clone().unwrap();
    assert!(
        reason.contains("newer kiosk version") && reason.contains("hologram"),
        "{reason}"
    );
    assert!(
        server.submissions().await.is_empty(),
        "nothing half-read was sent"
    );

    // The newer version is back (it knows the kind): staff retry, and it is delivered.
    execute(
        &kiosk,
        "UPDATE attachments SET role = 'document' WHERE position = 0;",
    );
    store.retry_parked(entry.id, "staff").unwrap();
    let relay = start_relay(&store, &server.base_url(), 5);
    wait_drained(&store, Duration::from_secs(20)).await;
    relay.shutdown().await;
    assert_eq!(entry_of(&store, &receipt).state, OutboxState::Delivered);
    assert_eq!(server.submissions().await.len(), 1);
}
