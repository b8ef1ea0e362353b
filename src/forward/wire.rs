//! The JSON bodies of the case-system protocol (`docs/case-system-api.md`), shared by the HTTP
//! client and the reference case server.

use crate::store::DeliveryItem;

use crate::domain::{AttachmentRole, SubmissionKind};
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// Value of the `schema` field this kiosk sends.
pub const SUBMISSION_SCHEMA: &str = "legal-kiosk.submission/1";

/// `POST /v1/submissions` body.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireSubmission {
    pub schema: String,
    pub kiosk_id: String,
    pub kind: SubmissionKind,
    pub receipt_number: String,
    /// When the citizen submitted (the local commit), RFC 3339 UTC.
    pub submitted_at: String,
    pub payload: serde_json::Value,
    pub attachments: Vec<WireAttachment>,
}

impl fmt::Debug for WireSubmission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WireSubmission")
            .field("kind", &self.kind)
            .field("receipt_number", &self.receipt_number)
            .field("payload", &"***")
            .field("attachments", &self.attachments.len())
            .finish()
    }
}

/// One attachment, inline: base64 data with its size and SHA-256 so the server can prove it
/// received exactly what the kiosk stored.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireAttachment {
    pub position: u32,
    pub role: AttachmentRole,
    pub label: String,
    pub media_type: String,
    pub size: u64,
    /// Lower-case hex SHA-256 of the decoded bytes.
    pub sha256: String,
    pub data_base64: String,
}

impl fmt::Debug for WireAttachment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "WireAttachment({} {} bytes)",
            self.role.as_str(),
            self.size
        )
    }
}

impl WireAttachment {
    /// Decodes the data and checks size and hash; the error says which check failed.
    pub fn decode(&self) -> Result<Vec<u8>, String> {
        let data = base64::engine::general_purpose::STANDARD
            .decode(&self.data_base64)
            .map_err(|e| {
                format!(
                    "attachment {}: data_base64 is not base64: {e}",
                    self.position
                )
            })?;
        if data.len() as u64 != self.size {
            return Err(format!(
                "attachment {}: size is {} but {} bytes were sent",
                self.position,
                self.size,
                data.len()
            ));
        }
        if hex::encode(Sha256::digest(&data)) != self.sha256 {
            return Err(format!(
                "attachment {}: sha256 does not match the data",
                self.position
            ));
        }
        Ok(data)
    }
}

impl WireSubmission {
    pub fn from_item(kiosk_id: &str, item: &DeliveryItem) -> WireSubmission {
        let submitted_at = chrono::DateTime::from_timestamp_millis(item.created_at_ms)
            .unwrap_or_default()
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        WireSubmission {
            schema: SUBMISSION_SCHEMA.into(),
            kiosk_id: kiosk_id.into(),
            kind: item.kind,
            receipt_number: item.receipt_number.clone(),
            submitted_at,
            payload: item.payload.clone(),
            attachments: item
                .attachments
                .iter()
                .enumerate()
                .map(|(position, a)| WireAttachment {
                    position: position as u32,
                    role: a.role,
                    label: a.label.clone(),
                    media_type: a.media_type.clone(),
                    size: a.data.len() as u64,
                    sha256: hex::encode(Sha256::digest(&a.data)),
                    data_base64: base64::engine::general_purpose::STANDARD.encode(&a.data),
                })
                .collect(),
        }
    }
}

/// The case system's answer to a delivered submission, and to a status query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionResult {
    pub idempotency_key: String,
    pub receipt_number: String,
    /// The office's case number, once it has one.
    pub case_number: Option<String>,
    /// E.g. `received`, `accepted`, `supplement_required`, `rejected`.
    pub status: String,
    pub received_at: String,
}

/// Body of every 4xx/5xx answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Machine-readable code, e.g. `invalid_body`, `key_reused`.
    pub error: String,
    /// Human-readable reason, shown to staff on a parked entry.
    pub reason: String,
}
