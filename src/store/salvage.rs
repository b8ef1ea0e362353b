//! Salvage: the submissions still owed to the case system, copied from a database that was
//! moved aside as corrupt into the live one, so a citizen who holds a receipt loses nothing.
//!
//! SQLite itself reads the damaged file, one submission at a time by rowid, so a damaged
//! page costs only the rows stored on it: a lookup by rowid descends the tree along one path,
//! where a scan would stop at the first bad page. (SQLite's `.recover` needs the
//! `sqlite_dbpage` table, which Debian's SQLite builds leave out.) Rows keep their
//! idempotency key, receipt number, QR token and sealed payload (sealed under the same kiosk
//! key), so a copy that the case system already has is recognised there, and salvaging the
//! same file twice copies nothing twice. The receipt counters move over too: a receipt
//! number is never issued twice.

use super::{audit, now_ms, AuditEvent, Store, StoreError};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use std::path::Path;

/// What a salvage found and did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SalvageReport {
    /// Submissions not yet delivered that were copied into the live store.
    pub salvaged: Vec<String>,
    /// Undelivered submissions the live store already had (an earlier salvage).
    pub already_present: usize,
    /// Submissions whose rows could not be read whole: their receipt numbers where those
    /// were readable, else their row ids.
    pub unreadable: Vec<String>,
}

impl SalvageReport {
    pub fn summary(&self) -> String {
        format!(
            "{} undelivered submission(s) salvaged, {} already present, {} unreadable",
            self.salvaged.len(),
            self.already_present,
            self.unreadable.len(),
        )
    }
}

/// One undelivered submission as stored in the damaged file.
struct Owed {
    kind: String,
    receipt_number: String,
    idempotency_key: String,
    payload: Vec<u8>,
    created_at: i64,
    state: String,
    attempts: i64,
    last_error: Option<String>,
    park_reason: Option<String>,
    token: String,
    issued_at: i64,
    attachments: Vec<(i64, String, String, String, i64, Vec<u8>)>,
    progress: Option<(String, String, String)>,
}

/// Every submission row id worth a look: those the outbox lists and every id up to the
/// highest one readable (the outbox may be the damaged table).
fn candidate_ids(source: &Connection) -> Vec<i64> {
    let highest = |sql: &str| -> i64 {
        source
            .query_row(sql, [], |row| row.get::<_, Option<i64>>(0))
            .ok()
            .flatten()
            .unwrap_or(0)
    };
    let top = highest("SELECT id FROM submissions ORDER BY id DESC LIMIT 1")
        .max(highest(
            "SELECT submission_id FROM outbox ORDER BY submission_id DESC LIMIT 1",
        ))
        .max(highest(
            "SELECT submission_id FROM receipts ORDER BY submission_id DESC LIMIT 1",
        ));
    (1..=top).collect()
}

/// Undelivered submissions read whole, and those that could not be.
fn read_owed(source: &Connection) -> (Vec<Owed>, Vec<String>) {
    let mut owed = Vec::new();
    let mut unreadable = Vec::new();
    for id in candidate_ids(source) {
        let state = source.query_row(
            "SELECT receipt_number, state, payload IS NOT NULL FROM submissions WHERE id = ?1",
            [id],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, bool>(2)?,
                ))
            },
        );
        let receipt = match state {
            Ok((_, state, _)) if state == "delivered" => continue,
            Ok((_, _, false)) => continue,
            Ok((receipt, _, true)) => receipt,
            Err(rusqlite::Error::QueryReturnedNoRows) => continue,
            Err(_) => {
                // The receipts table may still name it, so staff can tell the office.
                let number = source
                    .query_row(
                        "SELECT number FROM receipts WHERE submission_id = ?1",
                        [id],
                        |row| row.get::<_, String>(0),
                    )
                    .unwrap_or_else(|_| format!("row {id}"));
                unreadable.push(number);
                continue;
            }
        };
        match read_one(source, id) {
            Ok(item) => owed.push(item),
            Err(_) => unreadable.push(receipt),
        }
    }
    (owed, unreadable)
}

fn read_one(source: &Connection, id: i64) -> rusqlite::Result<Owed> {
    let mut item = source.query_row(
        "SELECT s.kind, s.receipt_number, s.idempotency_key, s.payload, s.created_at,
                o.state, o.attempts, o.last_error, o.park_reason, r.token, r.issued_at
         FROM submissions s JOIN outbox o ON o.submission_id = s.id
         JOIN receipts r ON r.submission_id = s.id WHERE s.id = ?1",
        [id],
        |row| {
            Ok(Owed {
                kind: row.get(0)?,
                receipt_number: row.get(1)?,
                idempotency_key: row.get(2)?,
                payload: row.get(3)?,
                created_at: row.get(4)?,
                state: row.get(5)?,
                attempts: row.get(6)?,
                last_error: row.get(7)?,
                park_reason: row.get(8)?,
                token: row.get(9)?,
                issued_at: row.get(10)?,
                attachments: Vec::new(),
                progress: None,
            })
        },
    )?;
    let mut stmt = source.prepare(
        "SELECT position, role, label, media_type, size, data FROM attachments
         WHERE submission_id = ?1 ORDER BY position",
    )?;
    item.attachments = stmt
        .query_map([id], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
                row.get(5)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    // Positions must run 0, 1, 2…: a gap means an attachment row was lost.
    let complete = item
        .attachments
        .iter()
        .enumerate()
        .all(|(i, a)| a.0 == i as i64);
    if !complete {
        return Err(rusqlite::Error::QueryReturnedNoRows);
    }
    item.progress = source
        .query_row(
            "SELECT id_number_digest, matter_zh, matter_en FROM progress_index
             WHERE submission_id = ?1",
            [id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()
        .unwrap_or(None);
    Ok(item)
}

fn read_counters(source: &Connection) -> Vec<(String, String, i64)> {
    source
        .prepare("SELECT prefix, day, last FROM receipt_counters")
        .and_then(|mut stmt| {
            stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
                .filter_map(Result::ok)
                .map(Ok)
                .collect()
        })
        .unwrap_or_default()
}

/// The highest sequence of each receipt day, also from the receipt numbers themselves (the
/// counter row may be the one that was lost).
fn highest_sequences(
    counters: Vec<(String, String, i64)>,
    owed: &[Owed],
) -> Vec<(String, String, i64)> {
    let mut all = counters;
    for item in owed {
        let mut parts = item.receipt_number.rsplitn(3, '-');
        if let (Some(seq), Some(day), Some(prefix)) = (parts.next(), parts.next(), parts.next()) {
            if let Ok(seq) = seq.parse() {
                all.push((prefix.to_owned(), day.to_owned(), seq));
            }
        }
    }
    all
}

impl Store {
    /// Copies what `damaged` still owes the case system into this store; see the module.
    pub fn salvage_from(&self, damaged: &Path) -> Result<SalvageReport, StoreError> {
        let source = Connection::open_with_flags(
            damaged,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let (owed, unreadable) = read_owed(&source);
        let counters = highest_sequences(read_counters(&source), &owed);
        drop(source);
        let mut report = SalvageReport {
            unreadable,
            ..SalvageReport::default()
        };
        let now = now_ms();
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (prefix, day, last) in counters {
            tx.execute(
                "INSERT INTO receipt_counters (prefix, day, last) VALUES (?1, ?2, ?3)
                 ON CONFLICT (prefix, day) DO UPDATE SET last = MAX(last, excluded.last)",
                params![prefix, day, last],
            )?;
        }
        for item in owed {
            let present: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM submissions WHERE idempotency_key = ?1
                                OR receipt_number = ?2)",
                params![item.idempotency_key, item.receipt_number],
                |row| row.get(0),
            )?;
            if present {
                report.already_present += 1;
                continue;
            }
            insert_owed(&tx, &item, now)?;
            report.salvaged.push(item.receipt_number);
        }
        tx.commit()?;
        drop(conn);
        if !report.salvaged.is_empty() {
            self.committed.notify_one();
        }
        tracing::warn!(report = %report.summary(), "salvage of a moved-aside database");
        Ok(report)
    }
}

fn insert_owed(tx: &rusqlite::Transaction<'_>, item: &Owed, now: i64) -> Result<(), StoreError> {
    let state = if item.state == "parked" {
        "parked"
    } else {
        "pending"
    };
    tx.execute(
        "INSERT INTO submissions (kind, receipt_number, idempotency_key, payload, state, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            item.kind,
            item.receipt_number,
            item.idempotency_key,
            item.payload,
            state,
            item.created_at
        ],
    )?;
    let id = tx.last_insert_rowid();
    for (position, role, label, media_type, size, data) in &item.attachments {
        tx.execute(
            "INSERT INTO attachments (submission_id, position, role, label, media_type, size, data)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id, position, role, label, media_type, size, data],
        )?;
    }
    tx.execute(
        "INSERT INTO receipts (number, submission_id, token, issued_at) VALUES (?1, ?2, ?3, ?4)",
        params![item.receipt_number, id, item.token, item.issued_at],
    )?;
    if let Some((digest, matter_zh, matter_en)) = &item.progress {
        tx.execute(
            "INSERT INTO progress_index (submission_id, id_number_digest, matter_zh, matter_en)
             VALUES (?1, ?2, ?3, ?4)",
            params![id, digest, matter_zh, matter_en],
        )?;
    }
    tx.execute(
        "INSERT INTO outbox (submission_id, idempotency_key, state, attempts, next_attempt_at,
                             last_error, park_reason, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?5)",
        params![
            id,
            item.idempotency_key,
            state,
            item.attempts,
            now,
            item.last_error,
            item.park_reason,
            item.created_at
        ],
    )?;
    audit::append(
        tx,
        now,
        &AuditEvent {
            actor: "kiosk",
            action: "submission.salvaged",
            subject: &item.receipt_number,
            detail: &format!("kind={} state={state}", item.kind),
        },
    )?;
    Ok(())
}
