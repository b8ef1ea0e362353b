//! Entering staff maintenance mode: credential (card or fingerprint) then PIN, with lockout
//! after wrong PINs, every attempt audited, and never while a citizen session holds data.
//!
//! The engine is pure apart from its two ports, the [`LockoutStore`] and the [`Auditor`]; the
//! UI feeds it credentials and PINs and shows what it answers.

use super::audit::{
    AuditError, AuditEventId, AuditFields, Auditor, CredentialKind, Outcome, PendingAction,
    ReasonCode,
};
use super::audit_fields::StaffIdHash;
use super::lockout::{LockoutPolicy, LockoutState, LockoutStore, LockoutStoreError};
use super::session_gate::CitizenSessionGate;
use super::staff_registry::{StaffCredential, StaffRegistry};
use std::time::{Duration, SystemTime};

/// Proof that staff mode was opened; the UI keeps it for the length of the maintenance visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffSession {
    pub staff_id_hash: StaffIdHash,
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("a citizen session is active; staff mode opens only on the attract screen")]
    CitizenSessionActive,
    #[error("staff login is locked for {retry_after:?} after wrong PINs")]
    LockedOut { retry_after: Duration },
    #[error("this card or fingerprint is not on the staff list")]
    UnknownCredential { retry_after: Duration },
    #[error("wrong PIN")]
    WrongPin { retry_after: Duration },
    #[error("present a staff card or fingerprint before the PIN")]
    NoCredentialPresented,
    #[error("audit log unavailable, staff login refused: {0}")]
    Audit(#[from] AuditError),
    #[error("lockout state could not be saved, staff login refused: {0}")]
    Persist(#[from] LockoutStoreError),
}

struct PendingLogin {
    member: usize,
    action: PendingAction,
    credential_kind: CredentialKind,
}

pub struct StaffAuth {
    registry: StaffRegistry,
    policy: LockoutPolicy,
    store: Box<dyn LockoutStore>,
    state: LockoutState,
    gate: CitizenSessionGate,
    auditor: Auditor,
    pending: Option<PendingLogin>,
}

fn credential_kind(credential: &StaffCredential) -> CredentialKind {
    match credential {
        StaffCredential::Card { .. } => CredentialKind::Card,
        StaffCredential::Fingerprint { .. } => CredentialKind::Fingerprint,
    }
}

impl StaffAuth {
    /// Loads the persisted lockout state. A state that cannot be read fails closed: login
    /// is locked for the maximum delay (the next save replaces the unreadable file).
    pub fn new(
        registry: StaffRegistry,
        policy: LockoutPolicy,
        store: Box<dyn LockoutStore>,
        gate: CitizenSessionGate,
        auditor: Auditor,
        now: SystemTime,
    ) -> Self {
        let state = store.load().unwrap_or_else(|error| {
            tracing::warn!(%error, "staff lockout state unreadable; locking staff login");
            let mut state = LockoutState::default();
            let cap_failures = 32;
            for _ in 0..cap_failures {
                state.register_failure(now, &policy);
            }
            state
        });
        StaffAuth {
            registry,
            policy,
            store,
            state,
            gate,
            auditor,
            pending: None,
        }
    }

    /// How long staff login stays locked from `now` (zero when open).
    pub fn locked_for(&self, now: SystemTime) -> Duration {
        self.state.remaining(now, &self.policy)
    }

    /// Step 1: a card UID or fingerprint template id from the staff reader.
    pub fn present_credential(
        &mut self,
        credential: &StaffCredential,
        now: SystemTime,
    ) -> Result<(), AuthError> {
        self.cancel()?;
        let kind = credential_kind(credential);
        let fields = AuditFields {
            credential_kind: Some(kind),
            ..AuditFields::default()
        };
        let action = self
            .auditor
            .begin(AuditEventId::StaffLogin, fields.clone())?;
        if self.gate.is_active() {
            self.finish(
                action,
                Outcome::Failure(ReasonCode::CitizenSessionActive),
                fields,
            )?;
            return Err(AuthError::CitizenSessionActive);
        }
        let retry_after = self.locked_for(now);
        if !retry_after.is_zero() {
            self.finish(action, Outcome::Failure(ReasonCode::LockedOut), fields)?;
            return Err(AuthError::LockedOut { retry_after });
        }
        let Some(member) = self.registry.position(credential) else {
            let retry_after = self.fail(action, ReasonCode::UnknownCredential, fields, now)?;
            return Err(AuthError::UnknownCredential { retry_after });
        };
        self.pending = Some(PendingLogin {
            member,
            action,
            credential_kind: kind,
        });
        Ok(())
    }

    /// Step 2: the PIN typed on the staff keypad.
    pub fn enter_pin(&mut self, pin: &str, now: SystemTime) -> Result<StaffSession, AuthError> {
        let Some(pending) = self.pending.take() else {
            return Err(AuthError::NoCredentialPresented);
        };
        let member = &self.registry.members()[pending.member];
        let staff_id_hash = member.id_hash.clone();
        let fields = AuditFields {
            credential_kind: Some(pending.credential_kind),
            staff_id_hash: Some(staff_id_hash.clone()),
            ..AuditFields::default()
        };
        if self.gate.is_active() {
            self.finish(
                pending.action,
                Outcome::Failure(ReasonCode::CitizenSessionActive),
                fields,
            )?;
            return Err(AuthError::CitizenSessionActive);
        }
        let retry_after = self.locked_for(now);
        if !retry_after.is_zero() {
            self.finish(
                pending.action,
                Outcome::Failure(ReasonCode::LockedOut),
                fields,
            )?;
            return Err(AuthError::LockedOut { retry_after });
        }
        if !member.pin.verify(pin) {
            let retry_after = self.fail(pending.action, ReasonCode::WrongPin, fields, now)?;
            return Err(AuthError::WrongPin { retry_after });
        }
        self.state.reset();
        self.store.save(&self.state)?;
        self.finish(pending.action, Outcome::Success, fields)?;
        Ok(StaffSession { staff_id_hash })
    }

    /// Abandons a login waiting for its PIN (timeout or the staff member walked away).
    pub fn cancel(&mut self) -> Result<(), AuthError> {
        if let Some(pending) = self.pending.take() {
            let fields = AuditFields {
                credential_kind: Some(pending.credential_kind),
                ..AuditFields::default()
            };
            self.finish(
                pending.action,
                Outcome::Cancelled(ReasonCode::UserCancelled),
                fields,
            )?;
        }
        Ok(())
    }

    /// Leaves staff mode.
    pub fn logout(&self, session: StaffSession, reason: ReasonCode) -> Result<(), AuthError> {
        self.auditor.single(
            AuditEventId::StaffLogout,
            AuditFields {
                staff_id_hash: Some(session.staff_id_hash),
                reason: Some(reason),
                ..AuditFields::default()
            },
        )?;
        Ok(())
    }

    fn finish(
        &self,
        action: PendingAction,
        outcome: Outcome,
        fields: AuditFields,
    ) -> Result<(), AuthError> {
        self.auditor.complete(action, outcome, fields)?;
        Ok(())
    }

    /// A failed attempt: count it, persist the new lock, audit the attempt and the lock.
    fn fail(
        &mut self,
        action: PendingAction,
        reason: ReasonCode,
        mut fields: AuditFields,
        now: SystemTime,
    ) -> Result<Duration, AuthError> {
        let delay = self.state.register_failure(now, &self.policy);
        let saved = self.store.save(&self.state);
        fields.count = Some(u64::from(self.state.consecutive_failures));
        self.finish(action, Outcome::Failure(reason), fields)?;
        self.auditor.single(
            AuditEventId::StaffLockout,
            AuditFields {
                count: Some(u64::from(self.state.consecutive_failures)),
                duration_ms: Some(u64::try_from(delay.as_millis()).unwrap_or(u64::MAX)),
                ..AuditFields::default()
            },
        )?;
        saved?;
        Ok(delay)
    }
}

#[cfg(test)]
mod tests;
