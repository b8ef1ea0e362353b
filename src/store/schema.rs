//! Versioned migrations, tracked in `PRAGMA user_version`. Each migration runs in its own
//! transaction; a database newer than this binary is refused, never "migrated down".

use super::StoreError;
use rusqlite::Connection;

/// Migration `i` upgrades version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
-- One row per committed submission. `payload` is sealed (AES-256-GCM) and set to NULL once
-- the case system has acknowledged; what remains is not personal.
CREATE TABLE submissions (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    receipt_number  TEXT NOT NULL UNIQUE,
    idempotency_key TEXT NOT NULL UNIQUE,
    payload         BLOB,
    state           TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER,
    purged_at       INTEGER,
    case_number     TEXT,
    case_status     TEXT
);
CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    role          TEXT NOT NULL,
    label         TEXT NOT NULL,
    media_type    TEXT NOT NULL,
    size          INTEGER NOT NULL,
    data          BLOB NOT NULL,
    UNIQUE (submission_id, position)
);
CREATE TABLE receipts (
    number        TEXT PRIMARY KEY,
    submission_id INTEGER NOT NULL UNIQUE REFERENCES submissions(id) ON DELETE CASCADE,
    token         TEXT NOT NULL UNIQUE,
    issued_at     INTEGER NOT NULL
);
CREATE TABLE receipt_counters (
    prefix TEXT NOT NULL,
    day    TEXT NOT NULL,
    last   INTEGER NOT NULL,
    PRIMARY KEY (prefix, day)
);
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    submission_id   INTEGER NOT NULL UNIQUE REFERENCES submissions(id) ON DELETE CASCADE,
    idempotency_key TEXT NOT NULL UNIQUE,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    park_reason     TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TABLE alerts (
    id     INTEGER PRIMARY KEY,
    at     INTEGER NOT NULL,
    kind   TEXT NOT NULL,
    detail TEXT NOT NULL
);
"#,
    // The progress query: who may see a notary application's state (a keyed digest of the
    // applicant's ID number, never the number) and the last state the case system reported,
    // kept past the purge of the sealed payload and deleted with the submission.
    r#"
CREATE TABLE progress_index (
    submission_id    INTEGER PRIMARY KEY REFERENCES submissions(id) ON DELETE CASCADE,
    id_number_digest TEXT NOT NULL,
    matter_zh        TEXT NOT NULL,
    matter_en        TEXT NOT NULL
);
CREATE TABLE status_cache (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions(id) ON DELETE CASCADE,
    state         TEXT NOT NULL,
    case_number   TEXT,
    updated_at    TEXT NOT NULL,
    fetched_at    INTEGER NOT NULL
);
"#,
];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the database up to [`SCHEMA_VERSION`].
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (version, sql) in MIGRATIONS.iter().enumerate().skip(found.max(0) as usize) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
