//! The case server's own SQLite: every submission it accepted, keyed by idempotency key, and a
//! log of every POST so tests can count deliveries.

use crate::forward::{SubmissionResult, WireSubmission};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use std::path::Path;
use std::sync::Mutex;

pub struct ServerDb {
    conn: Mutex<Connection>,
}

/// What recording a POST came to.
pub enum Recorded {
    New(SubmissionResult),
    /// The same key with the same content was seen before: the original result.
    Replay(SubmissionResult),
    /// The key was used before for different content.
    Conflict,
}

/// Per-key delivery counts (`GET /admin/submissions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct StoredSubmission {
    pub idempotency_key: String,
    pub receipt_number: String,
    pub kind: String,
    pub case_number: String,
    pub content_sha256: String,
    pub attachments: u32,
    /// POSTs that carried this key, whatever their outcome.
    pub posts: u32,
}

/// `GET /admin/stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Stats {
    pub submissions: u64,
    pub posts: u64,
    pub replays: u64,
    pub conflicts: u64,
    pub rejected: u64,
    pub faults: u64,
}

impl ServerDb {
    pub fn open(path: &Path) -> rusqlite::Result<ServerDb> {
        let conn = Connection::open(path)?;
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS submissions (
                seq INTEGER PRIMARY KEY,
                idempotency_key TEXT NOT NULL UNIQUE,
                content_sha256 TEXT NOT NULL,
                receipt_number TEXT NOT NULL,
                kind TEXT NOT NULL,
                case_number TEXT NOT NULL,
                status TEXT NOT NULL,
                received_at TEXT NOT NULL,
                attachments INTEGER NOT NULL,
                body BLOB NOT NULL
            );
            CREATE TABLE IF NOT EXISTS requests (
                id INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                idempotency_key TEXT,
                outcome TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS requests_key ON requests (idempotency_key);",
        )?;
        Ok(ServerDb {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The body of the submission stored under `key`.
    pub fn body(&self, key: &str) -> rusqlite::Result<Option<Vec<u8>>> {
        self.conn()
            .query_row(
                "SELECT body FROM submissions WHERE idempotency_key = ?1",
                [key],
                |row| row.get(0),
            )
            .optional()
    }

    pub fn log_request(&self, key: Option<&str>, outcome: &str) -> rusqlite::Result<()> {
        self.conn().execute(
            "INSERT INTO requests (at, idempotency_key, outcome) VALUES (?1, ?2, ?3)",
            params![chrono::Utc::now().to_rfc3339(), key, outcome],
        )?;
        Ok(())
    }

    /// Stores a new submission or finds the earlier one with the same key, atomically.
    pub fn record(
        &self,
        key: &str,
        content_sha256: &str,
        submission: &WireSubmission,
        body: &[u8],
    ) -> rusqlite::Result<Recorded> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let existing: Option<String> = tx
            .query_row(
                "SELECT content_sha256 FROM submissions WHERE idempotency_key = ?1",
                [key],
                |row| row.get(0),
            )
            .optional()?;
        let recorded = match existing {
            Some(hash) if hash == content_sha256 => {
                Recorded::Replay(result(&tx, key)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?)
            }
            Some(_) => Recorded::Conflict,
            None => {
                let now = chrono::Utc::now();
                tx.execute(
                    "INSERT INTO submissions (idempotency_key, content_sha256, receipt_number, kind,
                     case_number, status, received_at, attachments, body)
                     VALUES (?1, ?2, ?3, ?4, '', 'received', ?5, ?6, ?7)",
                    params![
                        key,
                        content_sha256,
                        submission.receipt_number,
                        submission.kind.as_str(),
                        now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                        submission.attachments.len() as i64,
                        body
                    ],
                )?;
                let case_number =
                    format!("CASE-{}-{:06}", now.format("%Y"), tx.last_insert_rowid());
                tx.execute(
                    "UPDATE submissions SET case_number = ?2 WHERE idempotency_key = ?1",
                    params![key, case_number],
                )?;
                Recorded::New(result(&tx, key)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?)
            }
        };
        tx.commit()?;
        Ok(recorded)
    }

    pub fn get(&self, key: &str) -> rusqlite::Result<Option<SubmissionResult>> {
        result(&self.conn(), key)
    }

    pub fn submissions(&self) -> rusqlite::Result<Vec<StoredSubmission>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT s.idempotency_key, s.receipt_number, s.kind, s.case_number, s.content_sha256,
                    s.attachments,
                    (SELECT COUNT(*) FROM requests r WHERE r.idempotency_key = s.idempotency_key)
             FROM submissions s ORDER BY s.seq",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(StoredSubmission {
                idempotency_key: row.get(0)?,
                receipt_number: row.get(1)?,
                kind: row.get(2)?,
                case_number: row.get(3)?,
                content_sha256: row.get(4)?,
                attachments: row.get(5)?,
                posts: row.get(6)?,
            })
        })?;
        rows.collect()
    }

    /// Start times of the appointments booked by the applications received.
    pub fn booked_starts(&self) -> rusqlite::Result<Vec<chrono::DateTime<chrono::FixedOffset>>> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare("SELECT body FROM submissions WHERE kind = 'notary_application'")?;
        let bodies = stmt.query_map([], |row| row.get::<_, Vec<u8>>(0))?;
        let mut starts = Vec::new();
        for body in bodies {
            let body: serde_json::Value = serde_json::from_slice(&body?).unwrap_or_default();
            let start = body
                .pointer("/payload/office_routing/appointment/slot/start")
                .and_then(|v| v.as_str())
                .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok());
            starts.extend(start);
        }
        Ok(starts)
    }

    pub fn stats(&self) -> rusqlite::Result<Stats> {
        let conn = self.conn();
        let count = |sql: &str| -> rusqlite::Result<u64> {
            conn.query_row(sql, [], |row| row.get::<_, i64>(0))
                .map(|n| n as u64)
        };
        Ok(Stats {
            submissions: count("SELECT COUNT(*) FROM submissions")?,
            posts: count("SELECT COUNT(*) FROM requests")?,
            replays: count("SELECT COUNT(*) FROM requests WHERE outcome = 'replayed'")?,
            conflicts: count("SELECT COUNT(*) FROM requests WHERE outcome = 'conflict'")?,
            rejected: count("SELECT COUNT(*) FROM requests WHERE outcome = 'rejected'")?,
            faults: count("SELECT COUNT(*) FROM requests WHERE outcome LIKE 'fault:%'")?,
        })
    }
}

fn result(conn: &Connection, key: &str) -> rusqlite::Result<Option<SubmissionResult>> {
    conn.query_row(
        "SELECT idempotency_key, receipt_number, case_number, status, received_at
         FROM submissions WHERE idempotency_key = ?1",
        [key],
        |row| {
            Ok(SubmissionResult {
                idempotency_key: row.get(0)?,
                receipt_number: row.get(1)?,
                case_number: Some(row.get(2)?),
                status: row.get(3)?,
                received_at: row.get(4)?,
            })
        },
    )
    .optional()
}
