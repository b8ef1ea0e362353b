//! Values that go into and come out of the store.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What a citizen submitted. Each kind has its own receipt-number prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionKind {
    NotaryApplication,
    Consultation,
    LegalAidPrecheck,
    Rating,
}

impl SubmissionKind {
    pub const ALL: [SubmissionKind; 4] = [
        SubmissionKind::NotaryApplication,
        SubmissionKind::Consultation,
        SubmissionKind::LegalAidPrecheck,
        SubmissionKind::Rating,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SubmissionKind::NotaryApplication => "notary_application",
            SubmissionKind::Consultation => "consultation",
            SubmissionKind::LegalAidPrecheck => "legal_aid_precheck",
            SubmissionKind::Rating => "rating",
        }
    }

    /// Receipt prefix: pinyin initials staff recognise (公证, 咨询, 援助, 评价).
    pub fn receipt_prefix(self) -> &'static str {
        match self {
            SubmissionKind::NotaryApplication => "GZ",
            SubmissionKind::Consultation => "ZX",
            SubmissionKind::LegalAidPrecheck => "YZ",
            SubmissionKind::Rating => "PJ",
        }
    }

    pub fn parse(text: &str) -> Option<SubmissionKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// What an attachment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentRole {
    /// A scanned document page (JPEG from the document camera).
    Document,
    /// The image of the fingerprint mark (指印) the citizen put on the application, not a
    /// biometric template.
    FingerprintMark,
}

impl AttachmentRole {
    pub fn as_str(self) -> &'static str {
        match self {
            AttachmentRole::Document => "document",
            AttachmentRole::FingerprintMark => "fingerprint_mark",
        }
    }

    pub fn parse(text: &str) -> Option<AttachmentRole> {
        [AttachmentRole::Document, AttachmentRole::FingerprintMark]
            .into_iter()
            .find(|r| r.as_str() == text)
    }
}

/// One attachment of a submission. `label` names the material type (e.g. "身份证正面"),
/// never the citizen.
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    pub role: AttachmentRole,
    pub label: String,
    pub media_type: String,
    pub data: Vec<u8>,
}

impl fmt::Debug for Attachment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Attachment({} {} {}, {} bytes)",
            self.role.as_str(),
            self.label,
            self.media_type,
            self.data.len()
        )
    }
}

/// A finished citizen submission, ready to commit. Drafts are never stored: only what the
/// citizen confirmed reaches the store.
#[derive(Clone)]
pub struct NewSubmission {
    pub kind: SubmissionKind,
    pub payload: serde_json::Value,
    pub attachments: Vec<Attachment>,
}

impl fmt::Debug for NewSubmission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The payload holds names, ID numbers and addresses: never print its content.
        f.debug_struct("NewSubmission")
            .field("kind", &self.kind)
            .field("payload", &"***")
            .field("attachments", &self.attachments)
            .finish()
    }
}

/// What the citizen gets after a durable commit: printed and shown as a QR code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Receipt {
    /// Human-friendly, e.g. `GZ-20261122-0042`.
    pub number: String,
    /// Random token for the QR code (status look-up without the receipt number being guessable).
    pub token: String,
    /// The key the case system deduplicates on; the same on every delivery attempt.
    pub idempotency_key: String,
}

/// A submission loaded (decrypted) for delivery.
#[derive(Clone)]
pub struct DeliveryItem {
    pub outbox_id: i64,
    pub idempotency_key: String,
    pub kind: SubmissionKind,
    pub receipt_number: String,
    pub created_at_ms: i64,
    pub attempts: u32,
    pub payload: serde_json::Value,
    pub attachments: Vec<Attachment>,
}

impl fmt::Debug for DeliveryItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeliveryItem")
            .field("outbox_id", &self.outbox_id)
            .field("receipt_number", &self.receipt_number)
            .field("kind", &self.kind)
            .field("payload", &"***")
            .field("attachments", &self.attachments)
            .finish()
    }
}

/// Delivery state of an outbox entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    /// Waiting for (re)delivery.
    Pending,
    /// Acknowledged by the case system; personal data purged.
    Delivered,
    /// Refused for good by the case system; waits for staff (`outbox retry`).
    Parked,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Delivered => "delivered",
            OutboxState::Parked => "parked",
        }
    }

    pub fn parse(text: &str) -> Option<OutboxState> {
        [
            OutboxState::Pending,
            OutboxState::Delivered,
            OutboxState::Parked,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// One outbox entry as staff see it (no personal data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxEntry {
    pub id: i64,
    pub receipt_number: String,
    pub kind: SubmissionKind,
    pub idempotency_key: String,
    pub state: OutboxState,
    pub attempts: u32,
    /// Milliseconds since the Unix epoch.
    pub created_at_ms: i64,
    pub next_attempt_at_ms: i64,
    pub last_error: Option<String>,
    pub park_reason: Option<String>,
    pub case_number: Option<String>,
}

/// The outbox at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxStatus {
    /// Entries still to deliver.
    pub pending: u64,
    pub parked: u64,
    pub delivered: u64,
    /// Age of the oldest pending entry in seconds (0 when none).
    pub oldest_pending_age_s: u64,
}

/// Something staff must look at, e.g. a corrupt database that was moved aside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alert {
    pub at_ms: i64,
    pub kind: String,
    pub detail: String,
}
