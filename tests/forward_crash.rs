//! Crash safety: `legal-kiosk soak` is SIGKILLed at random points again and again (while
//! committing, while delivering, between the case system's answer and the local update) and
//! restarted. Every submission that reached the receipt stage must be delivered exactly once
//! (by idempotency key), and none may be lost.

mod common;

use common::{free_port, CaseServerProcess};
use rand::Rng;
use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const TARGET_RECEIPTS: usize = 40;
const KILLS: usize = 12;

fn soak(config: &Path, sessions: usize) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_legal-kiosk"));
    command
        .args([
            "soak",
            "--attachment-kib",
            "48",
            "--timeout-s",
            "60",
            "--sessions",
        ])
        .arg(sessions.to_string())
        .arg("--config")
        .arg(config)
        .env("RUST_LOG", "off")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    command
}

/// Collects the `receipt <number> <key>` lines a soak process prints.
fn collect_receipts(
    child: &mut std::process::Child,
    into: Arc<Mutex<Vec<(String, String)>>>,
) -> std::thread::JoinHandle<()> {
    let stdout = child.stdout.take().expect("piped stdout");
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let parts: Vec<&str> = line.split_whitespace().collect();
            if let ["receipt", number, key] = parts.as_slice() {
                into.lock()
                    .unwrap()
                    .push((number.to_string(), key.to_string()));
            }
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_at_random_points_every_receipted_submission_is_delivered_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = CaseServerProcess::start(free_port(), &dir.path().join("cases.db"), None);
    let config = dir.path().join("kiosk.toml");
    std::fs::write(
        &config,
        format!(
            "[kiosk]\nid = \"CRASH-1\"\nhall = \"测试厅\"\ndata_dir = \"data\"\n\
             [case_system]\nbase_url = \"{}\"\ntimeout_s = 5\nretry_base_ms = 20\nretry_cap_s = 1\n\
             [store]\nmin_free_mb = 0\n",
            server.base_url()
        ),
    )
    .unwrap();
    let receipts = Arc::new(Mutex::new(Vec::new()));
    let mut rng = rand::rng();
    for round in 0..KILLS {
        // Widen the window between the server's commit and the kiosk's update in some rounds.
        if round % 3 == 1 {
            server.set_fault("drop-after-commit", Some(2)).await;
        }
        let remaining = TARGET_RECEIPTS
            .saturating_sub(receipts.lock().unwrap().len())
            .max(1);
        let mut child = soak(&config, remaining).spawn().unwrap();
        let reader = collect_receipts(&mut child, receipts.clone());
        let pause = Duration::from_millis(rng.random_range(80..900));
        tokio::time::sleep(pause).await;
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        reader.join().unwrap();
    }
    // A final run that is not killed delivers whatever is still queued.
    let mut child = soak(&config, 0).spawn().unwrap();
    let reader = collect_receipts(&mut child, receipts.clone());
    let status = child.wait().unwrap();
    reader.join().unwrap();
    assert!(status.success(), "the final soak run drains the outbox");

    let receipts = receipts.lock().unwrap().clone();
    assert!(
        receipts.len() >= 5,
        "the kills left too little to check: {}",
        receipts.len()
    );
    let delivered = server.submissions().await;
    let delivered_keys: HashSet<_> = delivered
        .iter()
        .map(|s| s.idempotency_key.clone())
        .collect();
    assert_eq!(
        delivered_keys.len(),
        delivered.len(),
        "no key recorded twice"
    );
    for (number, key) in &receipts {
        let record = delivered
            .iter()
            .find(|s| &s.idempotency_key == key)
            .unwrap_or_else(|| panic!("receipt {number} was lost"));
        assert_eq!(&record.receipt_number, number);
    }
    let receipt_numbers: HashSet<_> = receipts.iter().map(|(n, _)| n.clone()).collect();
    assert_eq!(
        receipt_numbers.len(),
        receipts.len(),
        "receipt numbers unique"
    );
    let delivered_numbers: HashSet<_> =
        delivered.iter().map(|s| s.receipt_number.clone()).collect();
    assert_eq!(
        delivered_numbers.len(),
        delivered.len(),
        "one record per submission"
    );
    assert_eq!(server.stats().await.conflicts, 0);

    // The kiosk agrees: everything it committed (receipted or not yet printed when killed) is
    // delivered, and the audit chain survived every kill.
    let store =
        legal_kiosk::store::Store::open_with(&dir.path().join("data"), common::store_options())
            .unwrap();
    let entries = store.outbox_entries(true).unwrap();
    assert_eq!(
        entries.len(),
        delivered.len(),
        "kiosk and case system hold the same submissions"
    );
    assert!(entries
        .iter()
        .all(|e| e.state == legal_kiosk::store::OutboxState::Delivered
            && delivered_keys.contains(&e.idempotency_key)));
    assert!(store.verify_audit().unwrap().intact);
}
