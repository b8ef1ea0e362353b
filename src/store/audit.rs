//! The append-only audit log: who did what, when — never personal data. Each event carries the
//! SHA-256 of its predecessor, and the head of the chain is kept in `meta`, so editing,
//! deleting or truncating events is detected by [`verify`].

use super::StoreError;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const HEAD_KEY: &str = "audit_head";

/// One event to record. `subject` is a receipt number, outbox id or file name; `detail` is
/// free text that must not contain personal data.
#[derive(Debug, Clone)]
pub struct AuditEvent<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub subject: &'a str,
    pub detail: &'a str,
}

/// Outcome of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    pub intact: bool,
    pub events: u64,
    /// The first event found broken, if any.
    pub broken_at_seq: Option<i64>,
    pub problem: Option<String>,
}

fn event_hash(prev: &str, seq: i64, at: i64, event: &AuditEvent<'_>) -> String {
    let mut hasher = Sha256::new();
    for part in [
        prev,
        &seq.to_string(),
        &at.to_string(),
        event.actor,
        event.action,
        event.subject,
        event.detail,
    ] {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part.as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// Appends one event; call inside the transaction whose change it records.
pub fn append(conn: &Connection, at: i64, event: &AuditEvent<'_>) -> Result<(), StoreError> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let (seq, prev) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_string()),
    };
    let hash = event_hash(&prev, seq, at, event);
    conn.execute(
        "INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            seq,
            at,
            event.actor,
            event.action,
            event.subject,
            event.detail,
            prev,
            hash
        ],
    )?;
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![HEAD_KEY, format!("{seq}:{hash}")],
    )?;
    Ok(())
}

/// Walks the whole chain: sequence numbers contiguous from 1, each link and hash recomputed,
/// and the last event equal to the recorded head.
pub fn verify(conn: &Connection) -> Result<AuditReport, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM audit_log ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut expected_seq = 1;
    let mut prev = GENESIS.to_string();
    let mut events = 0;
    let broken = |seq: i64, events: u64, problem: String| AuditReport {
        intact: false,
        events,
        broken_at_seq: Some(seq),
        problem: Some(problem),
    };
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        let (actor, action, subject, detail): (String, String, String, String) =
            (row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?);
        let (stored_prev, stored_hash): (String, String) = (row.get(6)?, row.get(7)?);
        if seq != expected_seq {
            return Ok(broken(
                expected_seq,
                events,
                format!("event {expected_seq} is missing (next present is {seq})"),
            ));
        }
        let event = AuditEvent {
            actor: &actor,
            action: &action,
            subject: &subject,
            detail: &detail,
        };
        if stored_prev != prev {
            return Ok(broken(
                seq,
                events,
                format!("event {seq} does not link to its predecessor"),
            ));
        }
        if event_hash(&prev, seq, row.get(1)?, &event) != stored_hash {
            return Ok(broken(seq, events, format!("event {seq} was altered")));
        }
        prev = stored_hash;
        expected_seq += 1;
        events += 1;
    }
    let head: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [HEAD_KEY], |row| {
            row.get(0)
        })
        .optional()?;
    let actual_head = (events > 0).then(|| format!("{}:{prev}", expected_seq - 1));
    if head != actual_head {
        return Ok(broken(
            expected_seq,
            events,
            "the log ends before its recorded head (events removed from the end)".into(),
        ));
    }
    Ok(AuditReport {
        intact: true,
        events,
        broken_at_seq: None,
        problem: None,
    })
}
