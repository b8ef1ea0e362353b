//! The typed values an audit event may carry. There is deliberately no free-text field: every
//! value is an enum, a count, a duration, a validated receipt number or a salted hash, so an
//! audit record can never leak a citizen's name, ID number or phone number.

use crate::domain::DeviceKind;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::fmt;

/// The audit categories of `data/audit/events.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuditCategory {
    UserAction,
    SystemAction,
    SystemStatus,
    ApplicationStatus,
}

impl AuditCategory {
    pub const ALL: [AuditCategory; 4] = [
        AuditCategory::UserAction,
        AuditCategory::SystemAction,
        AuditCategory::SystemStatus,
        AuditCategory::ApplicationStatus,
    ];

    /// The name used in the catalog and in JSON lines.
    pub fn name(self) -> &'static str {
        match self {
            AuditCategory::UserAction => "user-action",
            AuditCategory::SystemAction => "system-action",
            AuditCategory::SystemStatus => "system-status",
            AuditCategory::ApplicationStatus => "application-status",
        }
    }
}

/// The names of the fields an event may carry (the `fields` list of the catalog).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditField {
    ReceiptNumber,
    DeviceKind,
    DeviceState,
    CredentialKind,
    StaffIdHash,
    CommandKind,
    Component,
    Count,
    DurationMs,
    Reason,
    CallLine,
}

impl AuditField {
    pub const ALL: [AuditField; 11] = [
        AuditField::ReceiptNumber,
        AuditField::DeviceKind,
        AuditField::DeviceState,
        AuditField::CredentialKind,
        AuditField::StaffIdHash,
        AuditField::CommandKind,
        AuditField::Component,
        AuditField::Count,
        AuditField::DurationMs,
        AuditField::Reason,
        AuditField::CallLine,
    ];

    /// The key in the catalog and in the `fields` object of a JSON line.
    pub fn name(self) -> &'static str {
        match self {
            AuditField::ReceiptNumber => "receipt-number",
            AuditField::DeviceKind => "device-kind",
            AuditField::DeviceState => "device-state",
            AuditField::CredentialKind => "credential-kind",
            AuditField::StaffIdHash => "staff-id-hash",
            AuditField::CommandKind => "command-kind",
            AuditField::Component => "component",
            AuditField::Count => "count",
            AuditField::DurationMs => "duration-ms",
            AuditField::Reason => "reason",
            AuditField::CallLine => "call-line",
        }
    }

    /// What the field holds, for the generated documentation.
    pub fn meaning(self) -> &'static str {
        match self {
            AuditField::ReceiptNumber => "receipt number of a submission (`[A-Z0-9-]`, at most 40 characters)",
            AuditField::DeviceKind => "kind of peripheral: id-reader, fingerprint, printer, camera, gpio, speaker, touch, display, network, storage",
            AuditField::DeviceState => "ready, busy, degraded, fault, absent, paper-low, paper-out, cover-open",
            AuditField::CredentialKind => "staff credential presented: card, fingerprint, pin",
            AuditField::StaffIdHash => "first 16 hex digits of SHA-256(kiosk salt, staff id); never the card UID",
            AuditField::CommandKind => "remote command: restart, print-status-ticket, retry-parked",
            AuditField::Component => "heartbeat source: ui, devices, forwarder, store, telemetry",
            AuditField::Count => "a count (attempts, items, lines)",
            AuditField::DurationMs => "a duration in milliseconds",
            AuditField::Reason => "a reason code from a closed list (see below)",
            AuditField::CallLine => "id of the configured telephone line called (`[[telephony.line]] id`, `[a-z0-9-]`, at most 32 characters); never a number dialled by a person",
        }
    }
}

/// A receipt number: the only identifier of a citizen's submission that may appear in audit
/// records (it names the submission, not the person).
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ReceiptNumber(String);

impl ReceiptNumber {
    pub const MAX_LEN: usize = 40;

    pub fn parse(text: &str) -> Result<Self, InvalidReceiptNumber> {
        let well_formed = !text.is_empty()
            && text.len() <= Self::MAX_LEN
            && text
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-');
        if well_formed {
            Ok(ReceiptNumber(text.to_owned()))
        } else {
            Err(InvalidReceiptNumber)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ReceiptNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ReceiptNumber({})", self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a receipt number is 1 to 40 characters of A-Z, 0-9 and '-'")]
pub struct InvalidReceiptNumber;

/// The id of a configured telephone line (`hall-desk`, `duty-12348`): names the line from
/// kiosk.toml, never who called or what was said.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct CallLineId(String);

impl CallLineId {
    pub const MAX_LEN: usize = 32;

    pub fn parse(text: &str) -> Result<Self, InvalidCallLineId> {
        let well_formed = !text.is_empty()
            && text.len() <= Self::MAX_LEN
            && !text.starts_with('-')
            && text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if well_formed {
            Ok(CallLineId(text.to_owned()))
        } else {
            Err(InvalidCallLineId)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for CallLineId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CallLineId({})", self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a line id is 1 to 32 characters of a-z, 0-9 and '-', not starting with '-'")]
pub struct InvalidCallLineId;

/// A salted, truncated hash of a staff member's id: lets an auditor tell staff members apart
/// and match them against the office's roster without the audit log naming anyone.
#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct StaffIdHash(String);

impl StaffIdHash {
    pub fn derive(kiosk_salt: &[u8], staff_id: &str) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(kiosk_salt);
        hasher.update([0u8]);
        hasher.update(staff_id.as_bytes());
        let digest = hasher.finalize();
        StaffIdHash(hex::encode(&digest[..8]))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for StaffIdHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StaffIdHash({})", self.0)
    }
}

/// A peripheral as audit records and telemetry name it: a device the HAL drives, or a part of
/// the kiosk no driver owns. Serialised by [`Peripheral::name`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Peripheral {
    Device(DeviceKind),
    Touch,
    Display,
    Network,
    Storage,
}

impl Peripheral {
    /// A device's own name (`id-reader`, `printer`, …) or the part's.
    pub fn name(self) -> &'static str {
        match self {
            Peripheral::Device(kind) => kind.name(),
            Peripheral::Touch => "touch",
            Peripheral::Display => "display",
            Peripheral::Network => "network",
            Peripheral::Storage => "storage",
        }
    }
}

impl From<DeviceKind> for Peripheral {
    fn from(kind: DeviceKind) -> Peripheral {
        Peripheral::Device(kind)
    }
}

impl Serialize for Peripheral {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeviceState {
    Ready,
    Busy,
    Degraded,
    Fault,
    Absent,
    PaperLow,
    PaperOut,
    CoverOpen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CredentialKind {
    Card,
    Fingerprint,
    Pin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CommandKind {
    Restart,
    PrintStatusTicket,
    RetryParked,
}

/// A source of heartbeats watched by the watchdog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Component {
    Ui,
    Devices,
    Forwarder,
    Store,
    Telemetry,
}

impl Component {
    pub fn name(self) -> &'static str {
        match self {
            Component::Ui => "ui",
            Component::Devices => "devices",
            Component::Forwarder => "forwarder",
            Component::Store => "store",
            Component::Telemetry => "telemetry",
        }
    }
}

/// Why something failed, was cancelled or was refused: a closed list, so that reasons can be
/// counted across a fleet and never carry text typed by a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReasonCode {
    Timeout,
    UserCancelled,
    WrongPin,
    UnknownCredential,
    LockedOut,
    CitizenSessionActive,
    Unsigned,
    BadSignature,
    Expired,
    Replayed,
    WrongKiosk,
    Malformed,
    HandlerFailed,
    DeviceError,
    HeartbeatStale,
    BrokerUnreachable,
    Shutdown,
    StaffRequest,
    RemoteRequest,
    NotConfigured,
    RateLimited,
    HungUpByCitizen,
    HungUpByFarEnd,
    NoAnswer,
    NoLine,
    RegistrationFailed,
}

impl ReasonCode {
    pub const ALL: [ReasonCode; 26] = [
        ReasonCode::Timeout,
        ReasonCode::UserCancelled,
        ReasonCode::WrongPin,
        ReasonCode::UnknownCredential,
        ReasonCode::LockedOut,
        ReasonCode::CitizenSessionActive,
        ReasonCode::Unsigned,
        ReasonCode::BadSignature,
        ReasonCode::Expired,
        ReasonCode::Replayed,
        ReasonCode::WrongKiosk,
        ReasonCode::Malformed,
        ReasonCode::HandlerFailed,
        ReasonCode::DeviceError,
        ReasonCode::HeartbeatStale,
        ReasonCode::BrokerUnreachable,
        ReasonCode::Shutdown,
        ReasonCode::StaffRequest,
        ReasonCode::RemoteRequest,
        ReasonCode::NotConfigured,
        ReasonCode::RateLimited,
        ReasonCode::HungUpByCitizen,
        ReasonCode::HungUpByFarEnd,
        ReasonCode::NoAnswer,
        ReasonCode::NoLine,
        ReasonCode::RegistrationFailed,
    ];

    /// The kebab-case code written to JSON lines and MQTT results.
    pub fn code(self) -> &'static str {
        match self {
            ReasonCode::Timeout => "timeout",
            ReasonCode::UserCancelled => "user-cancelled",
            ReasonCode::WrongPin => "wrong-pin",
            ReasonCode::UnknownCredential => "unknown-credential",
            ReasonCode::LockedOut => "locked-out",
            ReasonCode::CitizenSessionActive => "citizen-session-active",
            ReasonCode::Unsigned => "unsigned",
            ReasonCode::BadSignature => "bad-signature",
            ReasonCode::Expired => "expired",
            ReasonCode::Replayed => "replayed",
            ReasonCode::WrongKiosk => "wrong-kiosk",
            ReasonCode::Malformed => "malformed",
            ReasonCode::HandlerFailed => "handler-failed",
            ReasonCode::DeviceError => "device-error",
            ReasonCode::HeartbeatStale => "heartbeat-stale",
            ReasonCode::BrokerUnreachable => "broker-unreachable",
            ReasonCode::Shutdown => "shutdown",
            ReasonCode::StaffRequest => "staff-request",
            ReasonCode::RemoteRequest => "remote-request",
            ReasonCode::NotConfigured => "not-configured",
            ReasonCode::RateLimited => "rate-limited",
            ReasonCode::HungUpByCitizen => "hung-up-by-citizen",
            ReasonCode::HungUpByFarEnd => "hung-up-by-far-end",
            ReasonCode::NoAnswer => "no-answer",
            ReasonCode::NoLine => "no-line",
            ReasonCode::RegistrationFailed => "registration-failed",
        }
    }
}

/// The values of one audit event. Only the fields the catalog allows for the event may be set
/// (checked when the event is built).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct AuditFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receipt_number: Option<ReceiptNumber>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_kind: Option<Peripheral>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_state: Option<DeviceState>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential_kind: Option<CredentialKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staff_id_hash: Option<StaffIdHash>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command_kind: Option<CommandKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<Component>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<ReasonCode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_line: Option<CallLineId>,
}

impl AuditFields {
    /// The fields that hold a value.
    pub fn present(&self) -> Vec<AuditField> {
        let flags = [
            (AuditField::ReceiptNumber, self.receipt_number.is_some()),
            (AuditField::DeviceKind, self.device_kind.is_some()),
            (AuditField::DeviceState, self.device_state.is_some()),
            (AuditField::CredentialKind, self.credential_kind.is_some()),
            (AuditField::StaffIdHash, self.staff_id_hash.is_some()),
            (AuditField::CommandKind, self.command_kind.is_some()),
            (AuditField::Component, self.component.is_some()),
            (AuditField::Count, self.count.is_some()),
            (AuditField::DurationMs, self.duration_ms.is_some()),
            (AuditField::Reason, self.reason.is_some()),
            (AuditField::CallLine, self.call_line.is_some()),
        ];
        flags
            .into_iter()
            .filter_map(|(field, set)| set.then_some(field))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipt_numbers_accept_only_the_closed_alphabet() {
        assert!(ReceiptNumber::parse("NT-20250101-0001").is_ok());
        assert!(ReceiptNumber::parse("").is_err());
        assert!(ReceiptNumber::parse("张三").is_err());
        assert!(ReceiptNumber::parse("nt-1").is_err());
        assert!(ReceiptNumber::parse(&"A".repeat(41)).is_err());
    }

    #[test]
    fn call_line_ids_are_slugs() {
        assert!(CallLineId::parse("duty-12348").is_ok());
        assert!(CallLineId::parse("").is_err());
        assert!(CallLineId::parse("Hall Desk").is_err());
        assert!(CallLineId::parse("-x").is_err());
        assert!(CallLineId::parse(&"a".repeat(33)).is_err());
    }

    #[test]
    fn staff_id_hash_depends_on_salt_and_hides_the_id() {
        let a = StaffIdHash::derive(b"salt-1", "S07");
        let b = StaffIdHash::derive(b"salt-2", "S07");
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 16);
        assert!(!a.as_str().contains("S07"));
        assert_eq!(a, StaffIdHash::derive(b"salt-1", "S07"));
    }

    #[test]
    fn field_names_match_their_json_keys() {
        let fields = AuditFields {
            receipt_number: ReceiptNumber::parse("R-1").ok(),
            device_kind: Some(DeviceKind::IdReader.into()),
            device_state: Some(DeviceState::PaperOut),
            credential_kind: Some(CredentialKind::Card),
            staff_id_hash: Some(StaffIdHash::derive(b"s", "x")),
            command_kind: Some(CommandKind::RetryParked),
            component: Some(Component::Ui),
            count: Some(1),
            duration_ms: Some(2),
            reason: Some(ReasonCode::WrongPin),
            call_line: CallLineId::parse("duty-12348").ok(),
        };
        let json = serde_json::to_value(&fields).expect("fields serialize");
        let object = json.as_object().expect("an object");
        let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
        keys.sort_unstable();
        let mut names: Vec<&str> = fields.present().iter().map(|f| f.name()).collect();
        names.sort_unstable();
        assert_eq!(keys, names);
        assert_eq!(names.len(), AuditField::ALL.len());
    }

    #[test]
    fn reason_codes_serialize_as_their_code() {
        for reason in ReasonCode::ALL {
            let json = serde_json::to_string(&reason).expect("serializes");
            assert_eq!(json, format!("\"{}\"", reason.code()));
        }
    }
}
