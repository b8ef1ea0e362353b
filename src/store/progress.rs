//! What the progress query needs from the store, without the sealed payload: who may see a
//! notary application's state (a keyed digest of the applicant's ID number) and the last
//! state the case system reported, with when it was fetched. Both outlive the purge of the
//! personal data after delivery and go with the submission at the end of retention.

use super::{now_ms, Store, StoreError, KEY_FILE};

use crate::domain::{ProgressIndex, SubmissionKind};
use rusqlite::{params, OptionalExtension, Transaction};
use sha2::{Digest, Sha256};
use std::fmt;

/// How the citizen names the submission.
#[derive(Clone, Copy)]
pub enum ReceiptLookup<'a> {
    /// The receipt number as the store issued it, `GZ-20261122-0042`.
    Number(&'a str),
    /// The random token of the receipt's QR code.
    Token(&'a str),
}

/// A notary application as the progress query sees it. No personal data: the digest is
/// keyed with a secret kept outside the database.
#[derive(Clone, PartialEq, Eq)]
pub struct ProgressRecord {
    pub receipt_number: String,
    pub idempotency_key: String,
    pub id_number_digest: String,
    pub matter_zh: String,
    pub matter_en: String,
    /// The outbox state: `pending`, `delivered` or `parked`.
    pub delivery_state: String,
    pub created_at_ms: i64,
}

impl fmt::Debug for ProgressRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProgressRecord")
            .field("receipt_number", &self.receipt_number)
            .field("delivery_state", &self.delivery_state)
            .finish_non_exhaustive()
    }
}

/// The last state the case system reported for a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedStatus {
    pub state: String,
    pub case_number: Option<String>,
    /// As the case system gave it (RFC 3339).
    pub updated_at: String,
    /// When the kiosk fetched it, milliseconds since the Unix epoch.
    pub fetched_at_ms: i64,
}

/// Indexes a notary application for the progress query, in the commit's transaction. Only
/// notary applications that come with a [`ProgressIndex`] are indexed; the others (and other
/// kinds) cannot be queried. The payload is never read: its shape is the journey's.
pub(super) fn index_submission(
    tx: &Transaction<'_>,
    submission_id: i64,
    kind: SubmissionKind,
    index: Option<&ProgressIndex>,
) -> rusqlite::Result<()> {
    let Some(index) = index.filter(|_| kind == SubmissionKind::NotaryApplication) else {
        return Ok(());
    };
    tx.execute(
        "INSERT INTO progress_index (submission_id, id_number_digest, matter_zh, matter_en)
         VALUES (?1, ?2, ?3, ?4)",
        params![
            submission_id,
            index.id_number_digest,
            index.matter_zh,
            index.matter_en,
        ],
    )?;
    Ok(())
}

impl Store {
    /// The secret that keys ID-number digests (`IdDigestKey`), derived from the store's key
    /// file so that a copied database alone cannot be searched for an ID number.
    pub fn id_digest_secret(&self) -> Result<Vec<u8>, StoreError> {
        let path = self.data_dir.join(KEY_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| StoreError::KeyFileInvalid {
            path: path.clone(),
            reason: format!("cannot read: {e}"),
        })?;
        let mut hasher = Sha256::new();
        hasher.update(b"legal-kiosk/id-number-digest-key/v1\0");
        hasher.update(text.trim().as_bytes());
        Ok(hasher.finalize().to_vec())
    }

    /// The indexed notary application with this receipt number or QR token.
    pub fn progress_record(
        &self,
        lookup: ReceiptLookup<'_>,
    ) -> Result<Option<ProgressRecord>, StoreError> {
        let (column, value) = match lookup {
            ReceiptLookup::Number(number) => ("r.number", number),
            ReceiptLookup::Token(token) => ("r.token", token),
        };
        let sql = format!(
            "SELECT r.number, s.idempotency_key, p.id_number_digest, p.matter_zh, p.matter_en,
                    s.state, s.created_at
             FROM receipts r
             JOIN submissions s ON s.id = r.submission_id
             JOIN progress_index p ON p.submission_id = s.id
             WHERE {column} = ?1"
        );
        let record = self
            .conn()
            .query_row(&sql, [value], |row| {
                Ok(ProgressRecord {
                    receipt_number: row.get(0)?,
                    idempotency_key: row.get(1)?,
                    id_number_digest: row.get(2)?,
                    matter_zh: row.get(3)?,
                    matter_en: row.get(4)?,
                    delivery_state: row.get(5)?,
                    created_at_ms: row.get(6)?,
                })
            })
            .optional()?;
        Ok(record)
    }

    /// Remembers what the case system just reported (replacing the earlier state).
    pub fn cache_status(
        &self,
        receipt_number: &str,
        state: &str,
        case_number: Option<&str>,
        updated_at: &str,
    ) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT INTO status_cache (submission_id, state, case_number, updated_at, fetched_at)
             SELECT submission_id, ?2, ?3, ?4, ?5 FROM receipts WHERE number = ?1
             ON CONFLICT (submission_id) DO UPDATE SET state = excluded.state,
                case_number = excluded.case_number, updated_at = excluded.updated_at,
                fetched_at = excluded.fetched_at",
            params![receipt_number, state, case_number, updated_at, now_ms()],
        )?;
        Ok(())
    }

    /// The last state fetched for this receipt, if any.
    pub fn cached_status(&self, receipt_number: &str) -> Result<Option<CachedStatus>, StoreError> {
        let cached = self
            .conn()
            .query_row(
                "SELECT c.state, c.case_number, c.updated_at, c.fetched_at
                 FROM status_cache c JOIN receipts r ON r.submission_id = c.submission_id
                 WHERE r.number = ?1",
                [receipt_number],
                |row| {
                    Ok(CachedStatus {
                        state: row.get(0)?,
                        case_number: row.get(1)?,
                        updated_at: row.get(2)?,
                        fetched_at_ms: row.get(3)?,
                    })
                },
            )
            .optional()?;
        Ok(cached)
    }
}

#[cfg(test)]
mod tests {
    use super::super::StoreOptions;
    use super::*;
    use crate::domain::NewSubmission;

    fn store(dir: &std::path::Path) -> Store {
        let options = StoreOptions {
            min_free_bytes: 0,
            retention_days: 90,
        };
        Store::open_with(dir, options).unwrap()
    }

    fn application(digest: Option<&str>) -> NewSubmission {
        NewSubmission {
            kind: SubmissionKind::NotaryApplication,
            payload: serde_json::json!({
                "applicant": {"name": "王小明", "id_number": "11010519491231002X"},
            }),
            attachments: vec![],
            progress_index: digest.map(|digest| ProgressIndex {
                id_number_digest: digest.into(),
                matter_zh: "出生公证".into(),
                matter_en: "Birth".into(),
            }),
        }
    }

    #[test]
    fn applications_are_found_by_number_or_token_without_the_id_number() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path());
        let receipt = store.commit_submission(application(Some("ab12"))).unwrap();
        for lookup in [
            ReceiptLookup::Number(&receipt.number),
            ReceiptLookup::Token(&receipt.token),
        ] {
            let record = store.progress_record(lookup).unwrap().unwrap();
            assert_eq!(record.receipt_number, receipt.number);
            assert_eq!(record.idempotency_key, receipt.idempotency_key);
            assert_eq!(record.id_number_digest, "ab12");
            assert_eq!(record.matter_en, "Birth");
            assert_eq!(record.delivery_state, "pending");
        }
        assert!(store
            .progress_record(ReceiptLookup::Number("GZ-20000101-0001"))
            .unwrap()
            .is_none());
        let index: String = store
            .conn()
            .query_row(
                "SELECT group_concat(id_number_digest || matter_zh) FROM progress_index",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(!index.contains("11010519491231002X"));
    }

    #[test]
    fn only_notary_applications_with_a_digest_are_indexed() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path());
        let without = store.commit_submission(application(None)).unwrap();
        let mut consultation = application(Some("ab12"));
        consultation.kind = SubmissionKind::Consultation;
        let consultation = store.commit_submission(consultation).unwrap();
        for number in [&without.number, &consultation.number] {
            assert!(store
                .progress_record(ReceiptLookup::Number(number))
                .unwrap()
                .is_none());
        }
    }

    #[test]
    fn the_status_cache_keeps_the_latest_state_and_when_it_was_fetched() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path());
        let receipt = store.commit_submission(application(Some("ab12"))).unwrap();
        assert!(store.cached_status(&receipt.number).unwrap().is_none());
        let before = now_ms();
        store
            .cache_status(&receipt.number, "received", None, "2026-11-22T01:00:00Z")
            .unwrap();
        store
            .cache_status(
                &receipt.number,
                "accepted",
                Some("C-1"),
                "2026-11-22T02:00:00Z",
            )
            .unwrap();
        let cached = store.cached_status(&receipt.number).unwrap().unwrap();
        assert_eq!(cached.state, "accepted");
        assert_eq!(cached.case_number.as_deref(), Some("C-1"));
        assert!(cached.fetched_at_ms >= before);
    }

    #[test]
    fn the_digest_secret_is_stable_and_not_the_store_key() {
        let dir = tempfile::tempdir().unwrap();
        let first = store(dir.path()).id_digest_secret().unwrap();
        let again = store(dir.path()).id_digest_secret().unwrap();
        assert_eq!(first, again);
        let key_text = std::fs::read_to_string(dir.path().join(KEY_FILE)).unwrap();
        assert_ne!(hex::encode(&first), key_text.trim());
        let other = tempfile::tempdir().unwrap();
        assert_ne!(first, store(other.path()).id_digest_secret().unwrap());
    }
}
