//! Versioned migrations, tracked in `PRAGMA user_version`. Each migration runs in its own
//! transaction and is never "migrated down".
//!
//! An A/B update can roll back to the previous binary after the new one has migrated the
//! database. So each migration declares whether it is *additive* (new tables, new columns
//! with defaults, new indexes: an older binary that never touches them keeps working), and
//! the database records in `meta` the oldest schema that can still use it. A binary older
//! than the database opens it when its own schema is at least that; otherwise it refuses
//! with an error that says a rollback past this point is not possible.

use super::StoreError;
use rusqlite::{params, Connection, OptionalExtension};

/// `meta` key: the oldest schema version whose binary can use this database.
const COMPATIBLE_KEY: &str = "compatible_schema";

struct Migration {
    sql: &'static str,
    /// True when a binary of the previous schema keeps working on the migrated database.
    additive: bool,
}

/// Migration `i` upgrades version `i` to `i + 1`.
const MIGRATIONS: &[Migration] = &[
    Migration {
        additive: false,
        sql: r#"
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
    },
    // The progress query: who may see a notary application's state (a keyed digest of the
    // applicant's ID number, never the number) and the last state the case system reported,
    // kept past the purge of the sealed payload and deleted with the submission.
    Migration {
        additive: true,
        sql: r#"
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
    },
    // Nonces of signed remote commands still inside their validity window, so a command
    // cannot be replayed after a restart (the one it asked for included).
    Migration {
        additive: true,
        sql: r#"
CREATE TABLE command_nonces (
    nonce     TEXT PRIMARY KEY,
    issued_at INTEGER NOT NULL
);
"#,
    },
];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The oldest schema whose binary can use a database at `version`: the version reached by
/// the last migration (up to `version`) that was not additive.
fn compatible_schema(version: i64) -> i64 {
    MIGRATIONS
        .iter()
        .take(version.max(0) as usize)
        .enumerate()
        .filter(|(_, m)| !m.additive)
        .map(|(i, _)| i as i64 + 1)
        .max()
        .unwrap_or(0)
}

/// Brings the database up to [`SCHEMA_VERSION`], or opens a newer one this binary is still
/// compatible with (after a rollback) as it is.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if found > SCHEMA_VERSION {
        let compatible: Option<i64> = conn
            .query_row(
                "SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?1",
                [COMPATIBLE_KEY],
                |row| row.get(0),
            )
            .optional()?;
        return match compatible {
            Some(oldest) if oldest <= SCHEMA_VERSION => {
                tracing::warn!(
                    database = found,
                    binary = SCHEMA_VERSION,
                    "database from a newer release; opened as it is (rolled back?)"
                );
                Ok(())
            }
            _ => Err(StoreError::SchemaTooNew {
                found,
                supported: SCHEMA_VERSION,
            }),
        };
    }
    for (version, migration) in MIGRATIONS.iter().enumerate().skip(found.max(0) as usize) {
        let reached = version as i64 + 1;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(migration.sql)?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![COMPATIBLE_KEY, compatible_schema(reached)],
        )?;
        tx.pragma_update(None, "user_version", reached)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compatible_schema_is_the_last_breaking_migration() {
        assert_eq!(compatible_schema(0), 0);
        assert_eq!(compatible_schema(1), 1);
        // The progress tables were additive: a version-1 binary still uses a version-2 file.
        assert_eq!(compatible_schema(2), 1);
        assert_eq!(compatible_schema(3), 1);
        assert!(compatible_schema(SCHEMA_VERSION) <= SCHEMA_VERSION);
    }
}
