//! Audit events: built only from the catalog (`AuditEventId`) with typed fields, checked
//! against the catalog when built, and written as JSON lines.
//!
//! The store keeps the durable, hash-chained audit table; this module knows nothing about it.
//! Anything that can record an event implements [`AuditSink`], so the engines here are tested
//! with [`MemoryAuditSink`] and the integrator plugs in the store.

pub use super::audit_events::AuditEventId;
pub use super::audit_fields::*;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// How a long action (an `init`/`complete` pair) ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure(ReasonCode),
    Cancelled(ReasonCode),
}

impl Outcome {
    fn parts(self) -> (&'static str, Option<ReasonCode>) {
        match self {
            Outcome::Success => ("success", None),
            Outcome::Failure(reason) => ("failure", Some(reason)),
            Outcome::Cancelled(reason) => ("cancelled", Some(reason)),
        }
    }
}

/// Where an event stands: a one-off event, or one half of a pair linked by `correlation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Single,
    Init { correlation: u64 },
    Complete { correlation: u64, outcome: Outcome },
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    pub at: DateTime<Utc>,
    pub id: AuditEventId,
    pub phase: Phase,
    pub fields: AuditFields,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuditError {
    #[error("audit event {0} is an init/complete pair and cannot be written as a single event")]
    PairEventWrittenSingle(&'static str),
    #[error("audit event {0} is a single event and has no init/complete phases")]
    SingleEventWrittenAsPair(&'static str),
    #[error("audit event {event} does not allow the field {field}")]
    FieldNotAllowed {
        event: &'static str,
        field: &'static str,
    },
    #[error("the audit sink failed: {0}")]
    Sink(String),
}

impl AuditEvent {
    /// Builds an event, checking the phase and the fields against the catalog.
    pub fn new(
        id: AuditEventId,
        phase: Phase,
        fields: AuditFields,
        at: DateTime<Utc>,
    ) -> Result<Self, AuditError> {
        match (phase, id.is_pair()) {
            (Phase::Single, true) => return Err(AuditError::PairEventWrittenSingle(id.id())),
            (Phase::Init { .. } | Phase::Complete { .. }, false) => {
                return Err(AuditError::SingleEventWrittenAsPair(id.id()))
            }
            _ => {}
        }
        if let Some(field) = fields
            .present()
            .into_iter()
            .find(|field| !id.fields().contains(field))
        {
            return Err(AuditError::FieldNotAllowed {
                event: id.id(),
                field: field.name(),
            });
        }
        Ok(AuditEvent {
            at,
            id,
            phase,
            fields,
        })
    }

    /// One JSON object, no newline. Shape (stable, documented in docs/audit-events.md):
    /// `{"ts","event","category","phase","correlation"?,"outcome"?,"outcome-reason"?,"fields"}`.
    pub fn to_json_line(&self) -> String {
        let (phase, correlation, outcome) = match self.phase {
            Phase::Single => ("single", None, None),
            Phase::Init { correlation } => ("init", Some(correlation), None),
            Phase::Complete {
                correlation,
                outcome,
            } => ("complete", Some(correlation), Some(outcome.parts())),
        };
        let record = JsonRecord {
            ts: self.at.to_rfc3339_opts(SecondsFormat::Millis, true),
            event: self.id.id(),
            category: self.id.category(),
            phase,
            correlation,
            outcome: outcome.map(|(name, _)| name),
            outcome_reason: outcome.and_then(|(_, reason)| reason),
            fields: &self.fields,
        };
        // Every member is a string, a number or an enum: serialization cannot fail, but a
        // fallback keeps this infallible without a panic path.
        serde_json::to_string(&record).unwrap_or_else(|_| {
            format!(r#"{{"event":"{}","error":"unserializable"}}"#, self.id.id())
        })
    }
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct JsonRecord<'a> {
    ts: String,
    event: &'static str,
    category: AuditCategory,
    phase: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    correlation: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcome: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcome_reason: Option<ReasonCode>,
    fields: &'a AuditFields,
}

/// Anything that durably records audit events (the store's audit table, a JSON-lines file).
pub trait AuditSink: Send + Sync {
    fn record(&self, event: &AuditEvent) -> Result<(), AuditError>;
}

/// Keeps events in memory: for tests and for a bounded buffer in front of a slow sink.
#[derive(Debug, Default)]
pub struct MemoryAuditSink {
    events: Mutex<Vec<AuditEvent>>,
}

impl MemoryAuditSink {
    pub fn events(&self) -> Vec<AuditEvent> {
        self.events
            .lock()
            .map(|events| events.clone())
            .unwrap_or_default()
    }
}

impl AuditSink for MemoryAuditSink {
    fn record(&self, event: &AuditEvent) -> Result<(), AuditError> {
        self.events
            .lock()
            .map_err(|_| AuditError::Sink("memory sink poisoned".into()))?
            .push(event.clone());
        Ok(())
    }
}

/// Writes one JSON line per event and flushes it (export, or a log file when no store exists).
pub struct JsonLinesSink<W: Write + Send> {
    writer: Mutex<W>,
}

impl<W: Write + Send> JsonLinesSink<W> {
    pub fn new(writer: W) -> Self {
        JsonLinesSink {
            writer: Mutex::new(writer),
        }
    }

    pub fn into_inner(self) -> W {
        match self.writer.into_inner() {
            Ok(writer) => writer,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

impl<W: Write + Send> AuditSink for JsonLinesSink<W> {
    fn record(&self, event: &AuditEvent) -> Result<(), AuditError> {
        let mut writer = self
            .writer
            .lock()
            .map_err(|_| AuditError::Sink("writer poisoned".into()))?;
        let mut line = event.to_json_line();
        line.push('\n');
        writer
            .write_all(line.as_bytes())
            .and_then(|()| writer.flush())
            .map_err(|error| AuditError::Sink(error.to_string()))
    }
}

/// Writes `events` as JSON lines (the export format); returns how many were written.
pub fn export_json_lines<'a>(
    events: impl IntoIterator<Item = &'a AuditEvent>,
    mut out: impl Write,
) -> std::io::Result<u64> {
    let mut written = 0;
    for event in events {
        out.write_all(event.to_json_line().as_bytes())?;
        out.write_all(b"\n")?;
        written += 1;
    }
    out.flush()?;
    Ok(written)
}

/// The front door for writing audit events: stamps the time and hands out correlation ids
/// that link the two halves of a pair.
#[derive(Clone)]
pub struct Auditor {
    sink: Arc<dyn AuditSink>,
    next_correlation: Arc<AtomicU64>,
}

/// The open half of a pair: complete it with an outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "a started action must be completed with an outcome"]
pub struct PendingAction {
    pub id: AuditEventId,
    pub correlation: u64,
}

impl Auditor {
    pub fn new(sink: Arc<dyn AuditSink>) -> Self {
        // Correlation ids start at a random high word so that ids from different runs of the
        // app do not collide in one exported log.
        let start = u64::from(rand::random::<u32>()) << 32;
        Auditor {
            sink,
            next_correlation: Arc::new(AtomicU64::new(start)),
        }
    }

    pub fn single(&self, id: AuditEventId, fields: AuditFields) -> Result<(), AuditError> {
        self.sink
            .record(&AuditEvent::new(id, Phase::Single, fields, Utc::now())?)
    }

    pub fn begin(
        &self,
        id: AuditEventId,
        fields: AuditFields,
    ) -> Result<PendingAction, AuditError> {
        let correlation = self.next_correlation.fetch_add(1, Ordering::Relaxed);
        let event = AuditEvent::new(id, Phase::Init { correlation }, fields, Utc::now())?;
        self.sink.record(&event)?;
        Ok(PendingAction { id, correlation })
    }

    pub fn complete(
        &self,
        pending: PendingAction,
        outcome: Outcome,
        fields: AuditFields,
    ) -> Result<(), AuditError> {
        let phase = Phase::Complete {
            correlation: pending.correlation,
            outcome,
        };
        self.sink
            .record(&AuditEvent::new(pending.id, phase, fields, Utc::now())?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn fixed_time() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 1, 8, 30, 0)
            .single()
            .expect("valid time")
    }

    #[test]
    fn a_pair_event_cannot_be_written_single_and_vice_versa() {
        let single = AuditEvent::new(
            AuditEventId::StaffLogin,
            Phase::Single,
            AuditFields::default(),
            fixed_time(),
        );
        assert_eq!(
            single,
            Err(AuditError::PairEventWrittenSingle("staff-login"))
        );
        let pair = AuditEvent::new(
            AuditEventId::AppStart,
            Phase::Init { correlation: 1 },
            AuditFields::default(),
            fixed_time(),
        );
        assert_eq!(pair, Err(AuditError::SingleEventWrittenAsPair("app-start")));
    }

    #[test]
    fn fields_outside_the_catalog_are_refused() {
        let fields = AuditFields {
            receipt_number: ReceiptNumber::parse("R-1").ok(),
            ..AuditFields::default()
        };
        let refused = AuditEvent::new(
            AuditEventId::StaffLockout,
            Phase::Single,
            fields,
            fixed_time(),
        );
        assert_eq!(
            refused,
            Err(AuditError::FieldNotAllowed {
                event: "staff-lockout",
                field: "receipt-number"
            })
        );
    }

    #[test]
    fn json_line_has_the_documented_shape() {
        let event = AuditEvent::new(
            AuditEventId::StaffLogin,
            Phase::Complete {
                correlation: 42,
                outcome: Outcome::Failure(ReasonCode::WrongPin),
            },
            AuditFields {
                credential_kind: Some(CredentialKind::Card),
                count: Some(3),
                ..AuditFields::default()
            },
            fixed_time(),
        )
        .expect("valid event");
        assert_eq!(
            event.to_json_line(),
            r#"{"ts":"2025-03-01T08:30:00.000Z","event":"staff-login","category":"user-action","phase":"complete","correlation":42,"outcome":"failure","outcome-reason":"wrong-pin","fields":{"credential-kind":"card","count":3}}"#
        );
    }

    #[test]
    fn auditor_links_init_and_complete_and_json_sink_writes_lines() {
        let sink = Arc::new(JsonLinesSink::new(Vec::new()));
        let auditor = Auditor::new(sink.clone());
        let pending = auditor
            .begin(AuditEventId::AuditExport, AuditFields::default())
            .expect("init");
        auditor
            .complete(
                pending,
                Outcome::Success,
                AuditFields {
                    count: Some(7),
                    ..AuditFields::default()
                },
            )
            .expect("complete");
        drop(auditor);
        let sink = Arc::try_unwrap(sink).ok().expect("sole owner");
        let text = String::from_utf8(sink.into_inner()).expect("utf-8");
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|line| serde_json::from_str(line).expect("json line"))
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["phase"], "init");
        assert_eq!(lines[1]["phase"], "complete");
        assert_eq!(lines[1]["outcome"], "success");
        assert_eq!(lines[0]["correlation"], lines[1]["correlation"]);
        assert_eq!(lines[1]["fields"]["count"], 7);
    }

    #[test]
    fn export_writes_one_line_per_event() {
        let events: Vec<AuditEvent> = [AuditEventId::AppStart, AuditEventId::StaffGestureDetected]
            .into_iter()
            .map(|id| {
                AuditEvent::new(id, Phase::Single, AuditFields::default(), fixed_time())
                    .expect("valid")
            })
            .collect();
        let mut out = Vec::new();
        assert_eq!(export_json_lines(&events, &mut out).expect("export"), 2);
        assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 2);
    }
}
