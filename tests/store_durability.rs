//! The store on real SQLite files: encryption at rest, key problems, schema versions, corrupt
//! databases, the free-space threshold and the audit chain, each with its defined outcome.

mod common;

use common::{open_store, store_options};
use legal_kiosk::cli::soak::{synthetic_jpeg, synthetic_png, synthetic_submission};
use legal_kiosk::domain::{NewSubmission, SubmissionKind};
use legal_kiosk::store::{Store, StoreError, StoreOptions, DB_FILE, KEY_FILE};
use rusqlite::Connection;
use std::path::Path;

fn notary(session: u32) -> NewSubmission {
    synthetic_submission(session * 4, &synthetic_jpeg(8 * 1024), &synthetic_png())
}

fn raw_bytes(dir: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(dir.join(DB_FILE)).unwrap();
    if let Ok(wal) = std::fs::read(dir.join(format!("{DB_FILE}-wal"))) {
        bytes.extend(wal);
    }
    bytes
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn personal_data_is_encrypted_at_rest_and_decrypts_for_delivery() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let mut submission = notary(0);
    submission.payload["applicant"]["id_number"] = "11010519491231002X".into();
    submission.payload["applicant"]["name"] = "欧阳娜娜".into();
    let scan = submission.attachments[0].data.clone();
    store.commit_submission(submission).unwrap();
    let raw = raw_bytes(dir.path());
    assert!(!contains(&raw, b"11010519491231002X"));
    assert!(!contains(&raw, "欧阳娜娜".as_bytes()));
    assert!(!contains(&raw, &scan[scan.len() - 64..]));
    let id = store.outbox_entries(false).unwrap()[0].id;
    let item = store.load_for_delivery(id).unwrap();
    assert_eq!(item.payload["applicant"]["id_number"], "11010519491231002X");
    assert_eq!(item.attachments[0].data, scan);
}

#[test]
fn purged_ciphertext_is_overwritten_not_left_in_free_pages() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    store.commit_submission(notary(0)).unwrap();
    let id = store.outbox_entries(false).unwrap()[0].id;
    let sealed: Vec<u8> = {
        let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
        conn.query_row("SELECT data FROM attachments LIMIT 1", [], |r| r.get(0))
            .unwrap()
    };
    let fragment = sealed[sealed.len() / 2..sealed.len() / 2 + 64].to_vec();
    assert!(contains(&raw_bytes(dir.path()), &fragment));
    store
        .mark_delivered(id, Some("C-1"), Some("received"))
        .unwrap();
    drop(store);
    // Closing checkpoints the WAL into the main file: nothing of the sealed scan remains.
    assert!(!contains(&raw_bytes(dir.path()), &fragment));
}

#[test]
fn key_file_is_private_and_a_missing_key_is_refused_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    drop(open_store(dir.path()).commit_submission(notary(0)).unwrap());
    let key_path = dir.path().join(KEY_FILE);
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&key_path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    std::fs::remove_file(&key_path).unwrap();
    let error = Store::open_with(dir.path(), store_options()).unwrap_err();
    assert!(matches!(error, StoreError::KeyMissing { .. }), "{error}");
    assert!(
        !key_path.exists(),
        "no new key may be made up for existing data"
    );
}

#[test]
fn a_wrong_or_malformed_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(open_store(dir.path()));
    let key_path = dir.path().join(KEY_FILE);
    let original = std::fs::read_to_string(&key_path).unwrap();
    std::fs::write(&key_path, hex::encode([7u8; 32])).unwrap();
    let error = Store::open_with(dir.path(), store_options()).unwrap_err();
    assert!(matches!(error, StoreError::WrongKey { .. }), "{error}");
    std::fs::write(&key_path, "not a key").unwrap();
    let error = Store::open_with(dir.path(), store_options()).unwrap_err();
    assert!(
        matches!(error, StoreError::KeyFileInvalid { .. }),
        "{error}"
    );
    std::fs::write(&key_path, original).unwrap();
    assert!(Store::open_with(dir.path(), store_options()).is_ok());
}

/// A newer release migrated the database; the kiosk rolled back to this binary.
fn as_if_a_newer_release_migrated(dir: &Path, compatible_schema: i64) {
    let conn = Connection::open(dir.join(DB_FILE)).unwrap();
    let newer = legal_kiosk::store::SCHEMA_VERSION + 1;
    // What an additive migration does: a new table and a new column with a default.
    conn.execute_batch(
        "CREATE TABLE appointment_slots (id INTEGER PRIMARY KEY, starts_at TEXT NOT NULL);
         ALTER TABLE outbox ADD COLUMN route TEXT NOT NULL DEFAULT 'default';",
    )
    .unwrap();
    conn.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'compatible_schema'",
        [compatible_schema],
    )
    .unwrap();
    conn.pragma_update(None, "user_version", newer).unwrap();
}

#[test]
fn after_a_rollback_the_previous_binary_keeps_working_on_an_additively_migrated_database() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let before = store
        .commit_submission(synthetic_submission(
            0,
            &synthetic_jpeg(4096),
            &synthetic_png(),
        ))
        .unwrap();
    drop(store);
    as_if_a_newer_release_migrated(dir.path(), legal_kiosk::store::SCHEMA_VERSION);
    let store = Store::open_with(dir.path(), store_options()).expect("opens after a rollback");
    let after = store
        .commit_submission(synthetic_submission(
            1,
            &synthetic_jpeg(4096),
            &synthetic_png(),
        ))
        .unwrap();
    let keys: Vec<_> = store
        .outbox_entries(true)
        .unwrap()
        .into_iter()
        .map(|e| e.idempotency_key)
        .collect();
    assert!(keys.contains(&before.idempotency_key) && keys.contains(&after.idempotency_key));
    drop(store);
    // The newer release, back again, finds its schema untouched.
    let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version, legal_kiosk::store::SCHEMA_VERSION + 1);
}

#[test]
fn a_newer_schema_that_breaks_older_binaries_is_refused_with_both_versions_named() {
    let dir = tempfile::tempdir().unwrap();
    drop(open_store(dir.path()));
    let newer = legal_kiosk::store::SCHEMA_VERSION + 1;
    as_if_a_newer_release_migrated(dir.path(), newer);
    let error = Store::open_with(dir.path(), store_options()).unwrap_err();
    assert!(
        matches!(error, StoreError::SchemaTooNew { found, supported } if found == newer && supported == legal_kiosk::store::SCHEMA_VERSION),
        "{error}"
    );
    assert!(error.to_string().contains("newer"));
}

fn quarantined_files(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.to_string_lossy();
            name.contains(".corrupt-") && !name.ends_with("-wal") && !name.ends_with("-shm")
        })
        .collect()
}

#[test]
fn a_file_that_is_not_sqlite_is_moved_aside_and_a_fresh_store_works() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = b"this is not an SQLite database, it is what a bad SD card returns".repeat(100);
    std::fs::write(dir.path().join(DB_FILE), &garbage).unwrap();
    let store = open_store(dir.path());
    let moved = quarantined_files(dir.path());
    assert_eq!(moved.len(), 1);
    assert_eq!(
        std::fs::read(&moved[0]).unwrap(),
        garbage,
        "kept, never deleted"
    );
    let alerts = store.alerts().unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].kind, "database_quarantined");
    store.commit_submission(notary(1)).unwrap();
    assert_eq!(store.outbox_status().unwrap().pending, 1);
    assert!(store.verify_audit().unwrap().intact);
}

/// Overwrites the first b-tree page of `table` with garbage, as a failing SD card does.
fn damage_table(db: &Path, table: &str) {
    let conn = Connection::open(db).unwrap();
    let page_size: i64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap();
    let root: i64 = conn
        .query_row(
            "SELECT rootpage FROM sqlite_master WHERE name = ?1",
            [table],
            |r| r.get(0),
        )
        .unwrap();
    drop(conn);
    let mut bytes = std::fs::read(db).unwrap();
    let start = ((root - 1) * page_size) as usize;
    for b in &mut bytes[start..start + page_size as usize] {
        *b = 0xA5;
    }
    std::fs::write(db, &bytes).unwrap();
}

#[test]
fn a_damaged_database_is_moved_aside_and_what_it_still_owes_is_salvaged() {
    let dir = tempfile::tempdir().unwrap();
    let receipts: Vec<_> = {
        let store = open_store(dir.path());
        let receipts: Vec<_> = (0..5)
            .map(|i| store.commit_submission(notary(i)).unwrap())
            .collect();
        // One was delivered before the damage: there is nothing to salvage for it.
        let first = store.outbox_entries(false).unwrap()[0].id;
        store
            .mark_delivered(first, Some("C-1"), Some("received"))
            .unwrap();
        receipts
    };
    damage_table(&dir.path().join(DB_FILE), "audit_log");

    let store = open_store(dir.path());
    let moved = quarantined_files(dir.path());
    assert_eq!(moved.len(), 1, "moved aside, never deleted");
    let alert = &store.alerts().unwrap()[0];
    assert_eq!(alert.kind, "database_quarantined");
    assert!(
        alert
            .detail
            .contains("4 undelivered submission(s) salvaged"),
        "{}",
        alert.detail
    );
    let entries = store.outbox_entries(false).unwrap();
    assert_eq!(
        entries.len(),
        4,
        "every receipted, undelivered submission is back"
    );
    for entry in &entries {
        let original = receipts
            .iter()
            .find(|r| r.idempotency_key == entry.idempotency_key)
            .expect("same idempotency key, so the case system deduplicates");
        assert_eq!(entry.receipt_number, original.number);
        assert!(store.load_for_delivery(entry.id).is_ok(), "still decrypts");
    }
    // The receipt counter moved over: the next number is new.
    let next = store.commit_submission(notary(9)).unwrap();
    assert!(
        receipts.iter().all(|r| r.number != next.number),
        "{}",
        next.number
    );
    // Salvaging the same file again (staff: `outbox salvage PATH`) copies nothing twice.
    let again = store.salvage_from(&moved[0]).unwrap();
    assert!(again.salvaged.is_empty());
    assert_eq!(again.already_present, 4);
    assert!(store.verify_audit().unwrap().intact);
}

#[test]
fn when_the_submissions_themselves_are_damaged_staff_are_told_which_receipts_to_follow_up() {
    let dir = tempfile::tempdir().unwrap();
    let receipts: Vec<_> = {
        let store = open_store(dir.path());
        (0..3)
            .map(|i| store.commit_submission(notary(i)).unwrap())
            .collect()
    };
    damage_table(&dir.path().join(DB_FILE), "submissions");
    let store = open_store(dir.path());
    let alert = &store.alerts().unwrap()[0];
    assert!(alert.detail.contains("3 unreadable"), "{}", alert.detail);
    for receipt in &receipts {
        assert!(alert.detail.contains(&receipt.number), "{}", alert.detail);
    }
    // The live store works, and does not reuse those receipt numbers.
    let next = store.commit_submission(notary(7)).unwrap();
    assert!(
        receipts.iter().all(|r| r.number != next.number),
        "{}",
        next.number
    );
}

#[test]
fn below_the_free_space_threshold_new_submissions_are_refused_and_nothing_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    drop(open_store(dir.path()).commit_submission(notary(0)).unwrap());
    let full = Store::open_with(
        dir.path(),
        StoreOptions {
            min_free_bytes: u64::MAX,
            ..store_options()
        },
    )
    .unwrap();
    let error = full.commit_submission(notary(1)).unwrap_err();
    match error {
        StoreError::DiskNearlyFull {
            free_bytes,
            threshold_bytes,
        } => {
            assert_eq!(threshold_bytes, u64::MAX);
            assert!(free_bytes > 0);
        }
        other => panic!("expected DiskNearlyFull, got {other}"),
    }
    let status = full.outbox_status().unwrap();
    assert_eq!(status.pending, 1, "what was stored stays");
    assert!(full
        .load_for_delivery(full.outbox_entries(false).unwrap()[0].id)
        .is_ok());
}

#[test]
fn the_audit_log_rejects_edits_and_verify_detects_tampering() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open_store(dir.path());
        for i in 0..4 {
            store.commit_submission(notary(i)).unwrap();
        }
        let report = store.verify_audit().unwrap();
        assert!(report.intact);
        assert_eq!(report.events, 4);
    }
    let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
    assert!(conn
        .execute("UPDATE audit_log SET detail = 'x' WHERE seq = 2", [])
        .is_err());
    assert!(conn
        .execute("DELETE FROM audit_log WHERE seq = 2", [])
        .is_err());
    conn.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
        .unwrap();
    let verify = |_writer: &Connection| {
        Store::open_with(dir.path(), store_options())
            .unwrap()
            .verify_audit()
            .unwrap()
    };

    let original: String = conn
        .query_row("SELECT detail FROM audit_log WHERE seq = 2", [], |r| {
            r.get(0)
        })
        .unwrap();
    conn.execute(
        "UPDATE audit_log SET detail = 'kind=rating attachments=0' WHERE seq = 2",
        [],
    )
    .unwrap();
    let report = verify(&conn);
    assert!(!report.intact);
    assert_eq!(report.broken_at_seq, Some(2));
    assert!(report.problem.unwrap().contains("altered"));
    conn.execute(
        "UPDATE audit_log SET detail = ?1 WHERE seq = 2",
        [&original],
    )
    .unwrap();
    assert!(
        verify(&conn).intact,
        "restoring the event restores the chain"
    );

    conn.execute("DELETE FROM audit_log WHERE seq = 3", [])
        .unwrap();
    let report = verify(&conn);
    assert_eq!(report.broken_at_seq, Some(3));
    assert!(report.problem.unwrap().contains("missing"));
}

#[test]
fn truncating_the_audit_log_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open_store(dir.path());
        store.commit_submission(notary(0)).unwrap();
        store.commit_submission(notary(1)).unwrap();
    }
    let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
    conn.execute_batch("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 2;")
        .unwrap();
    drop(conn);
    let report = Store::open_with(dir.path(), store_options())
        .unwrap()
        .verify_audit()
        .unwrap();
    assert!(!report.intact);
    assert!(report.problem.unwrap().contains("removed from the end"));
}

#[test]
fn cli_reports_outbox_and_a_broken_audit_log_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    {
        let store = open_store(&data);
        store.commit_submission(notary(0)).unwrap();
        store
            .commit_submission(synthetic_submission(3, &[], &[]))
            .unwrap();
    }
    let config = dir.path().join("kiosk.toml");
    std::fs::write(
        &config,
        "[kiosk]\nid = \"T-1\"\nhall = \"测试厅\"\ndata_dir = \"data\"\n[store]\nmin_free_mb = 0\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_legal-kiosk"))
            .args(args)
            .arg("--config")
            .arg(&config)
            .arg("--json")
            .env("RUST_LOG", "off")
            .output()
            .unwrap();
        let json = serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null);
        (output.status.success(), json)
    };
    let (ok, status) = run(&["outbox", "status"]);
    assert!(ok);
    assert_eq!(status["pending"], 2);
    let (ok, list) = run(&["outbox", "list"]);
    assert!(ok);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[1]["kind"], SubmissionKind::Rating.as_str());
    assert!(
        !list.to_string().contains("测试"),
        "no personal data in the list"
    );
    let (ok, retry) = run(&["outbox", "retry", "1"]);
    assert!(
        !ok && retry.is_null(),
        "a pending entry cannot be retried: {retry}"
    );

    let conn = Connection::open(data.join(DB_FILE)).unwrap();
    conn.execute_batch(
        "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'mallory' WHERE seq = 1;",
    )
    .unwrap();
    drop(conn);
    let (ok, report) = run(&["audit", "verify"]);
    assert!(!ok);
    assert_eq!(report["intact"], false);
    assert_eq!(report["broken_at_seq"], 1);
}
