//! The status query behind the progress screen: one bounded request with a defined outcome
//! for each way it can go. Identity is checked at the kiosk before anyone asks (the case
//! system is asked only for the applicant's own submission).

use super::{CaseSystem, SubmissionResult};
use std::time::Duration;

/// How long a citizen waits for the office before the kiosk shows its cached state.
pub const STATUS_TIMEOUT: Duration = Duration::from_secs(8);

/// What a status query came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusLookup {
    /// The case system knows the submission.
    Known(SubmissionResult),
    /// The case system answered 404: it has no submission with this key.
    Unknown,
    /// Down, refused, timed out, 5xx or an unreadable answer: use the cache.
    Unreachable { reason: String },
}

/// Asks `system` for the state of the submission delivered with `idempotency_key`, giving
/// up after `timeout` whatever the client's own timeouts are.
pub async fn lookup_status<C: CaseSystem>(
    system: &C,
    idempotency_key: &str,
    timeout: Duration,
) -> StatusLookup {
    match tokio::time::timeout(timeout, system.status(idempotency_key)).await {
        Ok(Ok(Some(result))) => StatusLookup::Known(result),
        Ok(Ok(None)) => StatusLookup::Unknown,
        Ok(Err(error)) => StatusLookup::Unreachable {
            reason: error.to_string(),
        },
        Err(_) => StatusLookup::Unreachable {
            reason: format!("no answer within {timeout:?}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forward::{ForwardError, SubmitOutcome, WireSubmission};

    /// A case system that answers status queries from a fixed script (the HTTP client is
    /// tested against the real reference server in tests/ui/progress.rs).
    struct Scripted(
        fn() -> Result<Option<SubmissionResult>, ForwardError>,
        Duration,
    );

    impl CaseSystem for Scripted {
        async fn submit(&self, _: &str, _: &WireSubmission) -> SubmitOutcome {
            SubmitOutcome::Transient {
                reason: "not used".into(),
            }
        }
        async fn status(&self, _: &str) -> Result<Option<SubmissionResult>, ForwardError> {
            tokio::time::sleep(self.1).await;
            (self.0)()
        }
    }

    fn known() -> Result<Option<SubmissionResult>, ForwardError> {
        Ok(Some(SubmissionResult {
            idempotency_key: "k".into(),
            receipt_number: "GZ-20261122-0001".into(),
            case_number: Some("CASE-2026-000001".into()),
            status: "received".into(),
            received_at: "2026-11-22T01:00:00Z".into(),
        }))
    }

    #[tokio::test]
    async fn every_answer_has_its_outcome() {
        let timeout = Duration::from_millis(100);
        let lookup = |s| async move { lookup_status(&s, "k", timeout).await };
        assert!(matches!(
            lookup(Scripted(known, Duration::ZERO)).await,
            StatusLookup::Known(r) if r.status == "received"
        ));
        assert_eq!(
            lookup(Scripted(|| Ok(None), Duration::ZERO)).await,
            StatusLookup::Unknown
        );
        let down = || Err(ForwardError::Request("connection refused".into()));
        assert!(matches!(
            lookup(Scripted(down, Duration::ZERO)).await,
            StatusLookup::Unreachable { reason } if reason.contains("refused")
        ));
        assert!(matches!(
            lookup(Scripted(known, Duration::from_secs(30))).await,
            StatusLookup::Unreachable { reason } if reason.contains("no answer")
        ));
    }
}
