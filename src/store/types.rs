//! Values that go into and come out of the store.

use crate::domain::{Attachment, SubmissionKind};
use serde::Serialize;
use std::fmt;

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
