//! The audit record of a call: that it happened, when (the records' times), how long it was
//! connected and which configured line it went to. Never what was said; nothing is recorded.

use super::call::EndReason;
use super::lines::Line;
use crate::fleet::audit::{
    AuditEventId, AuditFields, Auditor, CallLineId, Outcome, PendingAction, ReasonCode,
};
use std::time::Duration;

pub fn reason_code(reason: EndReason) -> ReasonCode {
    match reason {
        EndReason::HungUpByCitizen => ReasonCode::HungUpByCitizen,
        EndReason::HungUpByFarEnd => ReasonCode::HungUpByFarEnd,
        EndReason::NoAnswer => ReasonCode::NoAnswer,
        EndReason::NoLine => ReasonCode::NoLine,
        EndReason::RegistrationFailed => ReasonCode::RegistrationFailed,
    }
}

/// A call that reached someone is a success (the reason says who hung up); a citizen who
/// gives up while it rings cancelled it; the rest failed.
pub fn outcome(reason: EndReason, talked: Duration) -> Outcome {
    let code = reason_code(reason);
    match reason {
        EndReason::HungUpByCitizen | EndReason::HungUpByFarEnd if !talked.is_zero() => {
            Outcome::Success
        }
        EndReason::HungUpByCitizen => Outcome::Cancelled(code),
        _ => Outcome::Failure(code),
    }
}

/// Writes the two halves of `help-call`. Audit failures are logged, never allowed to stop a
/// call in progress.
pub struct CallAudit {
    auditor: Option<Auditor>,
    pending: Option<PendingAction>,
}

impl CallAudit {
    pub fn new(auditor: Option<Auditor>) -> Self {
        CallAudit {
            auditor,
            pending: None,
        }
    }

    pub fn started(&mut self, line: &Line) {
        tracing::info!(line = %line.id, "calling");
        let Some(auditor) = &self.auditor else {
            // Without an auditor the open call is still tracked, so its end is logged once.
            self.pending = Some(PendingAction {
                id: AuditEventId::HelpCall,
                correlation: 0,
            });
            return;
        };
        match auditor.begin(AuditEventId::HelpCall, fields(line, None, None)) {
            Ok(pending) => self.pending = Some(pending),
            Err(error) => tracing::error!(%error, "help-call audit record not written"),
        }
    }

    /// Completes the record of the call begun last; false when there is none open (the
    /// end was already recorded).
    pub fn ended(&mut self, line: &Line, reason: EndReason, talked: Duration) -> bool {
        let Some(pending) = self.pending.take() else {
            return false;
        };
        let Some(auditor) = &self.auditor else {
            return true;
        };
        let millis = u64::try_from(talked.as_millis()).unwrap_or(u64::MAX);
        let fields = fields(line, Some(millis), Some(reason_code(reason)));
        if let Err(error) = auditor.complete(pending, outcome(reason, talked), fields) {
            tracing::error!(%error, "help-call audit record not written");
        }
        true
    }
}

fn fields(line: &Line, duration_ms: Option<u64>, reason: Option<ReasonCode>) -> AuditFields {
    AuditFields {
        // Line ids are validated with the config; an invalid one is simply left out.
        call_line: CallLineId::parse(&line.id).ok(),
        duration_ms,
        reason,
        ..AuditFields::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_say_whether_someone_was_reached() {
        let s = Duration::from_secs;
        assert_eq!(outcome(EndReason::HungUpByFarEnd, s(60)), Outcome::Success);
        assert_eq!(outcome(EndReason::HungUpByCitizen, s(3)), Outcome::Success);
        assert_eq!(
            outcome(EndReason::HungUpByCitizen, Duration::ZERO),
            Outcome::Cancelled(ReasonCode::HungUpByCitizen)
        );
        assert_eq!(
            outcome(EndReason::NoAnswer, Duration::ZERO),
            Outcome::Failure(ReasonCode::NoAnswer)
        );
    }
}
