//! Durable store: SQLite (WAL, synchronous=FULL), submissions, outbox, audit log, encryption at rest.
//!
//! One database file, `<data_dir>/kiosk.db`, and one key file, `<data_dir>/keys/store.key`.
//! [`Store::commit_submission`] writes the submission, its attachments, the receipt, the outbox
//! entry and an audit event in one transaction; only after it returns may a receipt be shown
//! or printed. Personal data (payload and attachments) is sealed with AES-256-GCM and purged as
//! soon as the case system acknowledges; what remains (receipt number, kind, times, state) is
//! deleted after the retention period.

mod audit;
mod crypto;
mod error;
mod nonces;
mod outbox;
mod progress;
mod recovery;
mod salvage;
mod schema;
mod space;
mod types;

pub use audit::AuditReport;
pub use error::StoreError;
pub use progress::{CachedStatus, ProgressRecord, ReceiptLookup};
pub use salvage::SalvageReport;
pub use schema::SCHEMA_VERSION;
pub use space::free_bytes;
pub use types::*;

use crate::domain::{Attachment, AttachmentRole, NewSubmission};
use audit::AuditEvent;
use crypto::SealKey;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "kiosk.db";
/// Path of the key file relative to the data directory.
pub const KEY_FILE: &str = "keys/store.key";

const KEY_CHECK: &str = "key_check";
const MS_PER_DAY: i64 = 86_400_000;

/// Tunables of the store; `Default` is right for a kiosk.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// New submissions are refused when the data partition has less free space than this.
    pub min_free_bytes: u64,
    /// Days the non-personal remainder of a delivered submission is kept.
    pub retention_days: u32,
}

impl From<&crate::config::StoreSection> for StoreOptions {
    fn from(section: &crate::config::StoreSection) -> Self {
        StoreOptions {
            min_free_bytes: section.min_free_mb.saturating_mul(1024 * 1024),
            retention_days: section.retention_days,
        }
    }
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            min_free_bytes: 256 * 1024 * 1024,
            retention_days: 90,
        }
    }
}

/// The kiosk's durable store. Cheap to share behind an `Arc`; all access is serialised on
/// one connection (SQLite has one writer anyway).
pub struct Store {
    conn: Mutex<Connection>,
    key: SealKey,
    data_dir: PathBuf,
    options: StoreOptions,
    committed: Arc<tokio::sync::Notify>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("data_dir", &self.data_dir)
            .finish()
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl Store {
    /// Opens (creating if needed) the store in `data_dir` with default options.
    pub fn open(data_dir: &Path) -> Result<Store, StoreError> {
        Self::open_with(data_dir, StoreOptions::default())
    }

    /// Opens the store: moves a corrupt database aside, applies migrations, checks the key and
    /// applies the retention period.
    pub fn open_with(data_dir: &Path, options: StoreOptions) -> Result<Store, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::DataDir {
            path: data_dir.to_path_buf(),
            source,
        })?;
        let db_path = data_dir.join(DB_FILE);
        let mut quarantined = None;
        if db_path.exists() {
            if let Some(problem) = recovery::is_corrupt(&db_path)? {
                let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ").to_string();
                let moved = recovery::quarantine(&db_path, &stamp)?;
                tracing::error!(moved_to = %moved.display(), "database failed its integrity check; moved aside");
                quarantined = Some((moved, problem));
            }
        }
        let mut conn = Connection::open(&db_path)?;
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Purged ciphertext is overwritten, not left in free pages for a stolen card to keep
        // (the key file may travel with it).
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.busy_timeout(Duration::from_secs(10))?;
        schema::migrate(&mut conn)?;
        let key = load_or_create_key(&conn, &data_dir.join(KEY_FILE))?;
        let store = Store {
            conn: Mutex::new(conn),
            key,
            data_dir: data_dir.to_path_buf(),
            options,
            committed: Arc::new(tokio::sync::Notify::new()),
        };
        if let Some((moved, problem)) = quarantined {
            // Whatever can be read of what the moved-aside file still owes comes back first.
            let salvage = store.salvage_from(&moved).unwrap_or_else(|e| {
                tracing::error!(error = %e, "salvage failed; staff can retry with `outbox salvage`");
                SalvageReport::default()
            });
            store.record_quarantine(&moved, &problem, &salvage)?;
        }
        store.apply_retention(now_ms())?;
        Ok(store)
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Notified after every commit, so the relay can deliver at once.
    pub fn commit_signal(&self) -> Arc<tokio::sync::Notify> {
        self.committed.clone()
    }

    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a half transaction behind (rusqlite rolls
        // back on drop), so a poisoned lock is still safe to use.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Durably commits a finished submission and returns its receipt. Refused with
    /// [`StoreError::DiskNearlyFull`] when free space is below the threshold.
    pub fn commit_submission(&self, submission: NewSubmission) -> Result<Receipt, StoreError> {
        let free = space::free_bytes(&self.data_dir)?;
        if free < self.options.min_free_bytes {
            return Err(StoreError::DiskNearlyFull {
                free_bytes: free,
                threshold_bytes: self.options.min_free_bytes,
            });
        }
        for (position, attachment) in submission.attachments.iter().enumerate() {
            check_attachment(position, attachment)?;
        }
        let idempotency_key = new_uuid_v4();
        let token = hex::encode(rand::random::<[u8; 16]>());
        let payload = serde_json::to_vec(&submission.payload)?;
        let sealed_payload = self.key.seal(&payload, idempotency_key.as_bytes())?;
        let sealed_attachments = submission
            .attachments
            .iter()
            .enumerate()
            .map(|(position, a)| {
                self.key.seal(
                    &a.data,
                    attachment_aad(&idempotency_key, position).as_bytes(),
                )
            })
            .collect::<Result<Vec<_>, _>>()?;

        let kind = submission.kind;
        let now = now_ms();
        let day = chrono::Local::now().format("%Y%m%d").to_string();
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let sequence: i64 = tx.query_row(
            "INSERT INTO receipt_counters (prefix, day, last) VALUES (?1, ?2, 1)
             ON CONFLICT (prefix, day) DO UPDATE SET last = last + 1 RETURNING last",
            params![kind.receipt_prefix(), day],
            |row| row.get(0),
        )?;
        let number = format!("{}-{day}-{sequence:04}", kind.receipt_prefix());
        tx.execute(
            "INSERT INTO submissions (kind, receipt_number, idempotency_key, payload, state, created_at)
             VALUES (?1, ?2, ?3, ?4, 'pending', ?5)",
            params![kind.as_str(), number, idempotency_key, sealed_payload, now],
        )?;
        let submission_id = tx.last_insert_rowid();
        for (position, (attachment, sealed)) in submission
            .attachments
            .iter()
            .zip(&sealed_attachments)
            .enumerate()
        {
            tx.execute(
                "INSERT INTO attachments (submission_id, position, role, label, media_type, size, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    submission_id,
                    position as i64,
                    attachment.role.as_str(),
                    attachment.label,
                    attachment.media_type,
                    attachment.data.len() as i64,
                    sealed
                ],
            )?;
        }
        tx.execute(
            "INSERT INTO receipts (number, submission_id, token, issued_at) VALUES (?1, ?2, ?3, ?4)",
            params![number, submission_id, token, now],
        )?;
        progress::index_submission(&tx, submission_id, kind, submission.progress_index.as_ref())?;
        tx.execute(
            "INSERT INTO outbox (submission_id, idempotency_key, state, next_attempt_at, created_at, updated_at)
             VALUES (?1, ?2, 'pending', ?3, ?3, ?3)",
            params![submission_id, idempotency_key, now],
        )?;
        let detail = format!(
            "kind={} attachments={}",
            kind.as_str(),
            submission.attachments.len()
        );
        audit::append(
            &tx,
            now,
            &AuditEvent {
                actor: "kiosk",
                action: "submission.committed",
                subject: &number,
                detail: &detail,
            },
        )?;
        tx.commit()?;
        drop(conn);
        self.committed.notify_one();
        tracing::info!(receipt = %number, kind = kind.as_str(), "submission committed");
        Ok(Receipt {
            number,
            token,
            idempotency_key,
        })
    }

    /// Records an audit event in its own transaction (`detail` must hold no personal data).
    pub fn record_audit(
        &self,
        actor: &str,
        action: &str,
        subject: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        audit::append(
            &tx,
            now_ms(),
            &AuditEvent {
                actor,
                action,
                subject,
                detail,
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Checks the whole audit chain.
    pub fn verify_audit(&self) -> Result<AuditReport, StoreError> {
        audit::verify(&self.conn())
    }

    /// Alerts recorded for staff, newest first.
    pub fn alerts(&self) -> Result<Vec<Alert>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT at, kind, detail FROM alerts ORDER BY id DESC")?;
        let alerts = stmt
            .query_map([], |row| {
                Ok(Alert {
                    at_ms: row.get(0)?,
                    kind: row.get(1)?,
                    detail: row.get(2)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(alerts)
    }

    fn record_quarantine(
        &self,
        moved: &Path,
        problem: &str,
        salvage: &SalvageReport,
    ) -> Result<(), StoreError> {
        let now = now_ms();
        let file = moved
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut detail = format!(
            "database failed its integrity check ({problem}); moved aside as {file}; {}",
            salvage.summary()
        );
        if !salvage.unreadable.is_empty() {
            detail.push_str(&format!(
                "; call the office about receipts {}",
                salvage.unreadable.join(", ")
            ));
        }
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO alerts (at, kind, detail) VALUES (?1, 'database_quarantined', ?2)",
            params![now, detail],
        )?;
        audit::append(
            &tx,
            now,
            &AuditEvent {
                actor: "kiosk",
                action: "store.quarantined",
                subject: &file,
                detail: &detail,
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Deletes what remains of delivered submissions older than the retention period.
    /// Pending and parked submissions are never deleted.
    pub fn apply_retention(&self, now: i64) -> Result<u64, StoreError> {
        let cutoff = now - i64::from(self.options.retention_days) * MS_PER_DAY;
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let removed = tx.execute(
            "DELETE FROM submissions WHERE state = 'delivered' AND delivered_at < ?1",
            [cutoff],
        )?;
        if removed > 0 {
            audit::append(
                &tx,
                now,
                &AuditEvent {
                    actor: "kiosk",
                    action: "retention.applied",
                    subject: "submissions",
                    detail: &format!(
                        "removed={removed} retention_days={}",
                        self.options.retention_days
                    ),
                },
            )?;
        }
        tx.commit()?;
        Ok(removed as u64)
    }
}

fn load_or_create_key(conn: &Connection, path: &Path) -> Result<SealKey, StoreError> {
    let check: Option<Vec<u8>> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [KEY_CHECK],
            |row| row.get(0),
        )
        .optional()?;
    let key = match (SealKey::load(path)?, &check) {
        (Some(key), Some(check)) if key.matches_check_value(check) => return Ok(key),
        (Some(_), Some(_)) => return Err(StoreError::WrongKey { path: path.into() }),
        (None, Some(_)) => return Err(StoreError::KeyMissing { path: path.into() }),
        (Some(key), None) => key,
        (None, None) => SealKey::create(path)?,
    };
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)",
        params![KEY_CHECK, key.check_value()?],
    )?;
    Ok(key)
}

fn attachment_aad(idempotency_key: &str, position: usize) -> String {
    format!("{idempotency_key}:{position}")
}

/// Documents are JPEG from the document camera; the fingerprint mark is a JPEG or PNG image.
fn check_attachment(position: usize, attachment: &Attachment) -> Result<(), StoreError> {
    let is_jpeg = attachment.data.starts_with(&[0xFF, 0xD8, 0xFF]);
    let is_png = attachment.data.starts_with(b"\x89PNG\r\n\x1a\n");
    let (ok, expected) = match attachment.role {
        AttachmentRole::Document => (
            is_jpeg && attachment.media_type == "image/jpeg",
            "a JPEG image",
        ),
        AttachmentRole::FingerprintMark => (
            (is_jpeg && attachment.media_type == "image/jpeg")
                || (is_png && attachment.media_type == "image/png"),
            "a JPEG or PNG image",
        ),
        AttachmentRole::Signature => (
            is_png && attachment.media_type == "image/png",
            "a PNG image",
        ),
    };
    if ok {
        Ok(())
    } else {
        Err(StoreError::InvalidAttachment {
            position,
            reason: format!(
                "a {} must be {expected} with a matching media type (got {})",
                attachment.role.as_str(),
                attachment.media_type
            ),
        })
    }
}

/// A random (version 4) UUID in its usual text form.
fn new_uuid_v4() -> String {
    let mut bytes: [u8; 16] = rand::random();
    bytes[6] = (bytes[6] & 0x0F) | 0x40;
    bytes[8] = (bytes[8] & 0x3F) | 0x80;
    let hex = hex::encode(bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests;
