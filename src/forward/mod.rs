//! Forwarding: the relay that drains the outbox to the case system, and the case-system adapter trait.
//!
//! [`CaseSystem`] is the seam where a vendor's case system plugs in; [`HttpCaseSystem`] speaks
//! the protocol of `docs/case-system-api.md`. The [`relay`] delivers every outbox entry at
//! least once with the same idempotency key, and the case system deduplicates, so each
//! submission is recorded exactly once.

mod backoff;
mod http;
pub mod relay;
mod slots;
mod status;
mod upload;
mod wire;

pub use backoff::Backoff;
pub use http::HttpCaseSystem;
pub use relay::{Relay, RelayConfig, RelayHandle};
pub use slots::{parse_slots, SlotsAnswer, MAX_SLOTS, SLOTS_SCHEMA, SLOTS_TIMEOUT};
pub use status::{lookup_status, StatusLookup, STATUS_TIMEOUT};
pub use wire::*;

use std::future::Future;
use std::time::Duration;

/// What one delivery attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitOutcome {
    /// 2xx: the case system has it (possibly from an earlier attempt with the same key).
    Delivered {
        case_number: Option<String>,
        status: Option<String>,
    },
    /// Refused for good (400/413/422); never retried automatically.
    Rejected { status: u16, reason: String },
    /// 409: the key was already used for different content; never retried automatically.
    Conflict { reason: String },
    /// 429/503 with `Retry-After`: wait that long before trying anything again.
    RetryAfter { delay: Duration, reason: String },
    /// Anything worth retrying with backoff: other 5xx, timeouts, resets, refused connections.
    Transient { reason: String },
}

/// A problem talking to the case system outside a delivery (configuration, status query).
#[derive(Debug, thiserror::Error)]
pub enum ForwardError {
    #[error("case_system config: {0}")]
    Config(String),
    #[error("case system request failed: {0}")]
    Request(String),
    #[error("case system answered HTTP {status}: {reason}")]
    Status { status: u16, reason: String },
}

/// A case system the relay can deliver to.
pub trait CaseSystem: Send + Sync + 'static {
    /// Delivers one submission; `idempotency_key` is the same on every attempt for it.
    fn submit(
        &self,
        idempotency_key: &str,
        submission: &WireSubmission,
    ) -> impl Future<Output = SubmitOutcome> + Send;

    /// Current state of a submission, `None` when the case system does not know the key.
    fn status(
        &self,
        idempotency_key: &str,
    ) -> impl Future<Output = Result<Option<SubmissionResult>, ForwardError>> + Send;
}
