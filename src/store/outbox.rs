//! The outbox side of the store: what the relay delivers, and what staff see and retry.

use super::audit::{self, AuditEvent};
use super::types::*;
use super::{attachment_aad, now_ms, Store, StoreError};
use crate::domain::{Attachment, AttachmentRole, SubmissionKind};
use crate::logging::scrub;
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};
use std::collections::HashSet;

const ENTRY_COLUMNS: &str =
    "o.id, s.receipt_number, s.kind, o.idempotency_key, o.state, o.attempts,
     o.created_at, o.next_attempt_at, o.last_error, o.park_reason, s.case_number";

fn entry_from_row(row: &Row<'_>) -> rusqlite::Result<OutboxEntry> {
    let text_column = |index: usize| -> rusqlite::Result<String> { row.get(index) };
    let bad = |index: usize, value: String| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            format!("unknown value {value}").into(),
        )
    };
    let kind_text = text_column(2)?;
    let state_text = text_column(4)?;
    Ok(OutboxEntry {
        id: row.get(0)?,
        receipt_number: row.get(1)?,
        kind: SubmissionKind::parse(&kind_text).ok_or_else(|| bad(2, kind_text.clone()))?,
        idempotency_key: row.get(3)?,
        state: OutboxState::parse(&state_text).ok_or_else(|| bad(4, state_text.clone()))?,
        attempts: row.get(5)?,
        created_at_ms: row.get(6)?,
        next_attempt_at_ms: row.get(7)?,
        last_error: row.get(8)?,
        park_reason: row.get(9)?,
        case_number: row.get(10)?,
    })
}

/// An attachment row as stored: position, role, label, media type, sealed data.
type SealedAttachmentRow = (i64, String, String, String, Vec<u8>);
/// An entry with its sealed payload (`None` once purged) and sealed attachments.
type SealedDelivery = (OutboxEntry, Option<Vec<u8>>, Vec<SealedAttachmentRow>);

fn entry(conn: &Connection, id: i64) -> Result<OutboxEntry, StoreError> {
    conn.query_row(
        &format!(
            "SELECT {ENTRY_COLUMNS} FROM outbox o JOIN submissions s ON s.id = o.submission_id WHERE o.id = ?1"
        ),
        [id],
        entry_from_row,
    )
    .optional()?
    .ok_or(StoreError::NoSuchEntry(id))
}

impl Store {
    /// Ids of pending entries due at `now`, oldest first, skipping those already in flight.
    pub fn due_entries(
        &self,
        now: i64,
        limit: usize,
        in_flight: &HashSet<i64>,
    ) -> Result<Vec<i64>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?1
             ORDER BY next_attempt_at, id LIMIT ?2",
        )?;
        let ids = stmt
            .query_map(params![now, (limit + in_flight.len()) as i64], |row| {
                row.get(0)
            })?
            .collect::<Result<Vec<i64>, _>>()?;
        Ok(ids
            .into_iter()
            .filter(|id| !in_flight.contains(id))
            .take(limit)
            .collect())
    }

    /// When the earliest pending entry not in `in_flight` becomes due (ms since the epoch).
    pub fn next_due_at_excluding(
        &self,
        in_flight: &HashSet<i64>,
    ) -> Result<Option<i64>, StoreError> {
        let excluded = in_flight
            .iter()
            .map(|id| id.to_string())
            .collect::<Vec<_>>()
            .join(",");
        Ok(self.conn().query_row(
            &format!(
                "SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'pending' AND id NOT IN ({excluded})"
            ),
            [],
            |row| row.get(0),
        )?)
    }

    /// Loads and decrypts a pending entry for delivery. The sealed rows are read under the
    /// connection lock; decrypting (up to several × 16 MiB) happens after it is released, so
    /// a citizen's commit never waits for a delivery.
    pub fn load_for_delivery(&self, outbox_id: i64) -> Result<DeliveryItem, StoreError> {
        let (entry, sealed, rows) = self.sealed_for_delivery(outbox_id)?;
        let receipt = entry.receipt_number.clone();
        let sealed = sealed.ok_or_else(|| StoreError::Purged {
            receipt: receipt.clone(),
        })?;
        let decrypt_error = || StoreError::Decrypt {
            receipt: receipt.clone(),
        };
        let key = &entry.idempotency_key;
        let plain = self
            .key
            .open(&sealed, key.as_bytes())
            .ok_or_else(decrypt_error)?;
        let payload = serde_json::from_slice(&plain).map_err(|_| decrypt_error())?;
        let mut attachments = Vec::with_capacity(rows.len());
        for (position, role, label, media_type, sealed) in rows {
            let aad = attachment_aad(key, position as usize);
            let data = self
                .key
                .open(&sealed, aad.as_bytes())
                .ok_or_else(decrypt_error)?;
            let known = AttachmentRole::parse(&role);
            attachments.push(Attachment {
                role: known.ok_or_else(|| StoreError::NewerAttachmentRole {
                    receipt: receipt.clone(),
                    role: role.clone(),
                })?,
                label,
                media_type,
                data,
            });
        }
        Ok(DeliveryItem {
            outbox_id,
            idempotency_key: entry.idempotency_key,
            kind: entry.kind,
            receipt_number: entry.receipt_number,
            created_at_ms: entry.created_at_ms,
            attempts: entry.attempts,
            payload,
            attachments,
        })
    }

    /// The entry, its sealed payload and its sealed attachments, read in one lock.
    fn sealed_for_delivery(&self, outbox_id: i64) -> Result<SealedDelivery, StoreError> {
        let conn = self.conn();
        let entry = entry(&conn, outbox_id)?;
        let sealed: Option<Vec<u8>> = conn.query_row(
            "SELECT s.payload FROM outbox o JOIN submissions s ON s.id = o.submission_id WHERE o.id = ?1",
            [outbox_id],
            |row| row.get(0),
        )?;
        let mut stmt = conn.prepare_cached(
            "SELECT a.position, a.role, a.label, a.media_type, a.data FROM attachments a
             JOIN outbox o ON o.submission_id = a.submission_id WHERE o.id = ?1 ORDER BY a.position",
        )?;
        let rows = stmt
            .query_map([outbox_id], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, Vec<u8>>(4)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok((entry, sealed, rows))
    }

    /// The case system acknowledged: mark delivered and purge the personal data, in one
    /// transaction. A second call for the same entry changes nothing.
    pub fn mark_delivered(
        &self,
        outbox_id: i64,
        case_number: Option<&str>,
        case_status: Option<&str>,
    ) -> Result<(), StoreError> {
        let now = now_ms();
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current = entry(&tx, outbox_id)?;
        if current.state == OutboxState::Delivered {
            return Ok(());
        }
        tx.execute(
            "UPDATE outbox SET state = 'delivered', attempts = attempts + 1, last_error = NULL,
             park_reason = NULL, updated_at = ?2 WHERE id = ?1",
            params![outbox_id, now],
        )?;
        tx.execute(
            "UPDATE submissions SET state = 'delivered', delivered_at = ?2, purged_at = ?2,
             payload = NULL, case_number = ?3, case_status = ?4
             WHERE id = (SELECT submission_id FROM outbox WHERE id = ?1)",
            params![outbox_id, now, case_number, case_status],
        )?;
        tx.execute(
            "DELETE FROM attachments WHERE submission_id = (SELECT submission_id FROM outbox WHERE id = ?1)",
            [outbox_id],
        )?;
        let detail = format!("case_number={}", case_number.unwrap_or("-"));
        audit::append(
            &tx,
            now,
            &AuditEvent {
                actor: "relay",
                action: "submission.delivered",
                subject: &current.receipt_number,
                detail: &detail,
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// A delivery attempt failed in a way worth retrying; try again at `next_attempt_at`.
    /// The error is stored unencrypted and shown to staff, so it is scrubbed (an office's
    /// or a gateway's text may quote the citizen).
    pub fn schedule_retry(
        &self,
        outbox_id: i64,
        next_attempt_at: i64,
        error: &str,
    ) -> Result<(), StoreError> {
        self.conn().execute(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3,
             updated_at = ?4 WHERE id = ?1 AND state = 'pending'",
            params![outbox_id, next_attempt_at, scrub(error), now_ms()],
        )?;
        Ok(())
    }

    /// The case system refused the submission for good: park it with the server's reason
    /// (scrubbed, like a retry's error) until staff look at it. Nothing is deleted.
    pub fn park(&self, outbox_id: i64, reason: &str) -> Result<(), StoreError> {
        let reason = &scrub(reason);
        let now = now_ms();
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current = entry(&tx, outbox_id)?;
        if current.state != OutboxState::Pending {
            return Ok(());
        }
        tx.execute(
            "UPDATE outbox SET state = 'parked', attempts = attempts + 1, park_reason = ?2,
             updated_at = ?3 WHERE id = ?1",
            params![outbox_id, reason, now],
        )?;
        tx.execute(
            "UPDATE submissions SET state = 'parked' WHERE id = (SELECT submission_id FROM outbox WHERE id = ?1)",
            [outbox_id],
        )?;
        audit::append(
            &tx,
            now,
            &AuditEvent {
                actor: "relay",
                action: "submission.parked",
                subject: &current.receipt_number,
                detail: &format!("outbox_id={outbox_id}"),
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Staff put a parked entry back in the queue (after fixing the cause with the office).
    pub fn retry_parked(&self, outbox_id: i64, actor: &str) -> Result<OutboxEntry, StoreError> {
        let now = now_ms();
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current = entry(&tx, outbox_id)?;
        if current.state != OutboxState::Parked {
            return Err(StoreError::NotParked {
                id: outbox_id,
                state: current.state.as_str().into(),
            });
        }
        tx.execute(
            "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?2,
             park_reason = NULL, updated_at = ?2 WHERE id = ?1",
            params![outbox_id, now],
        )?;
        tx.execute(
            "UPDATE submissions SET state = 'pending' WHERE id = (SELECT submission_id FROM outbox WHERE id = ?1)",
            [outbox_id],
        )?;
        audit::append(
            &tx,
            now,
            &AuditEvent {
                actor,
                action: "outbox.retry",
                subject: &current.receipt_number,
                detail: &format!("outbox_id={outbox_id}"),
            },
        )?;
        let updated = entry(&tx, outbox_id)?;
        tx.commit()?;
        drop(conn);
        self.committed.notify_one();
        Ok(updated)
    }

    /// Outbox entries, oldest first; delivered ones only when asked for.
    pub fn outbox_entries(&self, include_delivered: bool) -> Result<Vec<OutboxEntry>, StoreError> {
        let conn = self.conn();
        let filter = if include_delivered {
            ""
        } else {
            "WHERE o.state != 'delivered'"
        };
        let mut stmt = conn.prepare(&format!(
            "SELECT {ENTRY_COLUMNS} FROM outbox o JOIN submissions s ON s.id = o.submission_id {filter} ORDER BY o.id"
        ))?;
        let entries = stmt
            .query_map([], entry_from_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(entries)
    }

    /// Depth, parked count and the age of the oldest pending entry.
    pub fn outbox_status(&self) -> Result<OutboxStatus, StoreError> {
        let conn = self.conn();
        let count = |state: &str| -> Result<u64, StoreError> {
            Ok(conn.query_row(
                "SELECT COUNT(*) FROM outbox WHERE state = ?1",
                [state],
                |row| row.get::<_, i64>(0),
            )? as u64)
        };
        let oldest: Option<i64> = conn.query_row(
            "SELECT MIN(created_at) FROM outbox WHERE state = 'pending'",
            [],
            |row| row.get(0),
        )?;
        Ok(OutboxStatus {
            pending: count("pending")?,
            parked: count("parked")?,
            delivered: count("delivered")?,
            oldest_pending_age_s: oldest
                .map(|t| ((now_ms() - t).max(0) / 1000) as u64)
                .unwrap_or(0),
        })
    }
}
