//! Remote commands from the operations centre (`kiosk/{id}/command`): restart, print a status
//! ticket, retry parked items. Each is signed with the operations key (ed25519), carries the
//! kiosk id, a timestamp and a nonce so it cannot be replayed, is refused while a citizen
//! session is active, and is audited whatever happens.
//!
//! Wire format (UTF-8 JSON):
//! `{"payload":"<command JSON text>","signature":"<128 hex digits: ed25519 over payload bytes>"}`
//! with the payload `{"kind":"restart","kiosk_id":"SZ-FT-001","issued_at":1750000000,"nonce":"…"}`.
//! The result goes to `kiosk/{id}/command/result`:
//! `{"nonce":…,"kind":…,"status":"done|refused|failed","reason":…,"count":…}`.

use super::audit::{AuditEventId, AuditFields, Auditor, CommandKind, Outcome, ReasonCode};
use super::session_gate::CitizenSessionGate;
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoteCommand {
    pub kind: CommandKind,
    pub kiosk_id: String,
    /// Unix seconds when the operator signed it.
    pub issued_at: i64,
    /// 16 to 64 hex digits, unique per command.
    pub nonce: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope {
    payload: String,
    #[serde(default)]
    signature: Option<String>,
}

/// What the integrator's executor reports back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CommandReport {
    /// Items affected (parked items retried, tickets printed), when meaningful.
    pub count: Option<u64>,
}

/// Executes accepted commands. `Restart` should answer first and restart shortly after (the
/// result is published when `execute` returns), e.g. by asking the main loop to exit so that
/// systemd's `Restart=always` brings the app back.
pub trait CommandHandler: Send + Sync {
    fn execute(&self, kind: CommandKind) -> Result<CommandReport, ReasonCode>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ResultStatus {
    Done,
    Refused,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommandResult {
    pub nonce: Option<String>,
    pub kind: Option<CommandKind>,
    pub status: ResultStatus,
    pub reason: Option<ReasonCode>,
    pub count: Option<u64>,
}

impl CommandResult {
    fn refused(command: Option<&RemoteCommand>, reason: ReasonCode) -> Self {
        CommandResult {
            nonce: command.map(|c| c.nonce.clone()),
            kind: command.map(|c| c.kind),
            status: ResultStatus::Refused,
            reason: Some(reason),
            count: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OperationsKeyError {
    #[error("operations key {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("operations key {0}: expected 64 hex digits of an ed25519 public key")]
    Malformed(String),
}

/// Reads the operations public key: 64 hex digits (whitespace around them ignored).
pub fn load_operations_key(path: &Path) -> Result<VerifyingKey, OperationsKeyError> {
    let text = std::fs::read_to_string(path).map_err(|source| OperationsKeyError::Io {
        path: path.display().to_string(),
        source,
    })?;
    parse_operations_key(text.trim())
        .ok_or_else(|| OperationsKeyError::Malformed(path.display().to_string()))
}

pub fn parse_operations_key(hex_text: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = hex::decode(hex_text).ok()?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

/// Builds a signed envelope (operations tooling and tests).
pub fn sign_command(key: &SigningKey, command: &RemoteCommand) -> String {
    let payload = serde_json::to_string(command).unwrap_or_default();
    let signature = key.sign(payload.as_bytes());
    serde_json::json!({ "payload": payload, "signature": hex::encode(signature.to_bytes()) })
        .to_string()
}

/// Where the nonces of accepted commands are remembered for their validity window.
pub trait NonceLedger: Send + Sync {
    /// Records `nonce`; `Ok(true)` on its first use. Nonces issued before `forget_before`
    /// may be forgotten. `Err` when the ledger cannot say (the command is then refused).
    fn first_use(&self, nonce: &str, issued_at: i64, forget_before: i64) -> Result<bool, String>;
}

/// The kiosk's ledger: the store, so replays are refused across restarts.
impl NonceLedger for crate::store::Store {
    fn first_use(&self, nonce: &str, issued_at: i64, forget_before: i64) -> Result<bool, String> {
        self.first_use_of_nonce(nonce, issued_at, forget_before)
            .map_err(|e| e.to_string())
    }
}

/// A ledger in memory (tests, tools without a store).
#[derive(Default)]
pub struct MemoryNonceLedger {
    seen: Mutex<HashMap<String, i64>>,
}

impl NonceLedger for MemoryNonceLedger {
    fn first_use(&self, nonce: &str, issued_at: i64, forget_before: i64) -> Result<bool, String> {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        seen.retain(|_, issued| *issued >= forget_before);
        Ok(seen.insert(nonce.to_owned(), issued_at).is_none())
    }
}

/// Envelopes larger than this are not commands (a signed command is about 300 bytes).
const MAX_MESSAGE_BYTES: usize = 4096;

/// Refusals are audited one by one up to this many per window; the rest of the window's are
/// counted and audited as one row, so a flood of garbage cannot fill the disk with rows.
const AUDITED_REFUSALS_PER_WINDOW: u32 = 10;
const REFUSAL_WINDOW: Duration = Duration::from_secs(600);

/// Refusals audited in the current window and those only counted.
#[derive(Debug)]
struct RefusalBudget {
    window_start: std::time::Instant,
    audited: u32,
    suppressed: u64,
}

/// What to audit for one refusal.
enum RefusalAudit {
    /// This refusal, and before it a summary of the last window's suppressed ones.
    Row { suppressed_before: u64 },
    /// Counted only.
    Suppressed,
}

impl RefusalBudget {
    fn new() -> RefusalBudget {
        RefusalBudget {
            window_start: std::time::Instant::now(),
            audited: 0,
            suppressed: 0,
        }
    }

    fn take(&mut self, now: std::time::Instant) -> RefusalAudit {
        let mut suppressed_before = 0;
        if now.duration_since(self.window_start) >= REFUSAL_WINDOW {
            suppressed_before = std::mem::take(&mut self.suppressed);
            self.window_start = now;
            self.audited = 0;
        }
        if self.audited < AUDITED_REFUSALS_PER_WINDOW {
            self.audited += 1;
            RefusalAudit::Row { suppressed_before }
        } else {
            self.suppressed += 1;
            RefusalAudit::Suppressed
        }
    }
}

/// Verifies, de-duplicates, gates, executes and audits remote commands.
pub struct CommandProcessor {
    key: Option<VerifyingKey>,
    kiosk_id: String,
    max_age: Duration,
    gate: CitizenSessionGate,
    handler: Arc<dyn CommandHandler>,
    auditor: Auditor,
    nonces: Arc<dyn NonceLedger>,
    refusals: Mutex<RefusalBudget>,
}

impl CommandProcessor {
    /// `key: None` refuses every command (no operations key configured).
    pub fn new(
        key: Option<VerifyingKey>,
        kiosk_id: impl Into<String>,
        max_age: Duration,
        gate: CitizenSessionGate,
        handler: Arc<dyn CommandHandler>,
        auditor: Auditor,
        nonces: Arc<dyn NonceLedger>,
    ) -> Self {
        CommandProcessor {
            key,
            kiosk_id: kiosk_id.into(),
            max_age,
            gate,
            handler,
            auditor,
            nonces,
            refusals: Mutex::new(RefusalBudget::new()),
        }
    }

    /// Handles one message from the command topic.
    pub fn process(&self, message: &[u8], now: DateTime<Utc>) -> CommandResult {
        let command = match self.check(message, now) {
            Ok(command) => command,
            Err((command, reason)) => {
                self.audit_refusal(command.as_ref(), reason);
                return CommandResult::refused(command.as_ref(), reason);
            }
        };
        let fields = AuditFields {
            command_kind: Some(command.kind),
            ..AuditFields::default()
        };
        let pending = match self.auditor.begin(AuditEventId::RemoteCommand, fields) {
            Ok(pending) => pending,
            Err(error) => {
                // Nothing is executed that cannot be audited.
                tracing::error!(%error, "audit unavailable; remote command not executed");
                return CommandResult {
                    status: ResultStatus::Failed,
                    ..CommandResult::refused(Some(&command), ReasonCode::HandlerFailed)
                };
            }
        };
        let (outcome, result) = match self.handler.execute(command.kind) {
            Ok(report) => (
                Outcome::Success,
                CommandResult {
                    nonce: Some(command.nonce.clone()),
                    kind: Some(command.kind),
                    status: ResultStatus::Done,
                    reason: None,
                    count: report.count,
                },
            ),
            Err(reason) => (
                Outcome::Failure(reason),
                CommandResult {
                    status: ResultStatus::Failed,
                    ..CommandResult::refused(Some(&command), reason)
                },
            ),
        };
        let fields = AuditFields {
            command_kind: Some(command.kind),
            count: result.count,
            ..AuditFields::default()
        };
        if let Err(error) = self.auditor.complete(pending, outcome, fields) {
            tracing::error!(%error, "audit of a completed remote command failed");
        }
        result
    }

    fn check(
        &self,
        message: &[u8],
        now: DateTime<Utc>,
    ) -> Result<RemoteCommand, (Option<RemoteCommand>, ReasonCode)> {
        if message.len() > MAX_MESSAGE_BYTES {
            return Err((None, ReasonCode::Malformed));
        }
        let envelope: Envelope =
            serde_json::from_slice(message).map_err(|_| (None, ReasonCode::Malformed))?;
        let Some(signature_hex) = envelope.signature else {
            return Err((None, ReasonCode::Unsigned));
        };
        let key = self.key.ok_or((None, ReasonCode::Unsigned))?;
        let signature = hex::decode(signature_hex)
            .ok()
            .and_then(|bytes| <[u8; 64]>::try_from(bytes).ok())
            .map(|bytes| Signature::from_bytes(&bytes))
            .ok_or((None, ReasonCode::BadSignature))?;
        key.verify(envelope.payload.as_bytes(), &signature)
            .map_err(|_| (None, ReasonCode::BadSignature))?;
        // Signed by operations from here on: refusals can name the command.
        let command: RemoteCommand =
            serde_json::from_str(&envelope.payload).map_err(|_| (None, ReasonCode::Malformed))?;
        let nonce_ok = (16..=64).contains(&command.nonce.len())
            && command.nonce.bytes().all(|b| b.is_ascii_hexdigit());
        if !nonce_ok {
            return Err((Some(command), ReasonCode::Malformed));
        }
        if command.kiosk_id != self.kiosk_id {
            return Err((Some(command), ReasonCode::WrongKiosk));
        }
        let max_age = i64::try_from(self.max_age.as_secs()).unwrap_or(i64::MAX);
        let age = now.timestamp().saturating_sub(command.issued_at);
        // A little allowance for clocks running ahead of ours, none beyond the window.
        if age > max_age || age < -60 {
            return Err((Some(command), ReasonCode::Expired));
        }
        let forget_before = now.timestamp().saturating_sub(max_age).saturating_sub(60);
        match self
            .nonces
            .first_use(&command.nonce, command.issued_at, forget_before)
        {
            Ok(true) => {}
            Ok(false) => return Err((Some(command), ReasonCode::Replayed)),
            Err(error) => {
                // Without the ledger a replay cannot be told from a first use.
                tracing::error!(%error, "nonce ledger unavailable; command refused");
                return Err((Some(command), ReasonCode::HandlerFailed));
            }
        }
        if self.gate.is_active() {
            return Err((Some(command), ReasonCode::CitizenSessionActive));
        }
        Ok(command)
    }

    fn audit_refusal(&self, command: Option<&RemoteCommand>, reason: ReasonCode) {
        let budget = self
            .refusals
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take(std::time::Instant::now());
        let suppressed_before = match budget {
            RefusalAudit::Suppressed => return,
            RefusalAudit::Row { suppressed_before } => suppressed_before,
        };
        tracing::warn!(reason = reason.code(), "remote command refused");
        if suppressed_before > 0 {
            let summary = AuditFields {
                count: Some(suppressed_before),
                reason: Some(ReasonCode::RateLimited),
                ..AuditFields::default()
            };
            if let Err(error) = self
                .auditor
                .single(AuditEventId::RemoteCommandRefused, summary)
            {
                tracing::error!(%error, "audit of suppressed refusals failed");
            }
        }
        let fields = AuditFields {
            command_kind: command.map(|c| c.kind),
            reason: Some(reason),
            ..AuditFields::default()
        };
        if let Err(error) = self
            .auditor
            .single(AuditEventId::RemoteCommandRefused, fields)
        {
            tracing::error!(%error, "audit of a refused remote command failed");
        }
    }
}

#[cfg(test)]
mod tests;
