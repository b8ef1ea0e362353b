//! The store's hash-chained audit table as an [`AuditSink`]: every staff and fleet event lands
//! in the same tamper-evident log as the submissions, so one export shows everything.
//!
//! A row's `action` is the catalog id, its `actor` the hashed staff id (or `kiosk`), its
//! `subject` the phase and correlation, and its `detail` the event's JSON line — built only
//! from typed fields, so it cannot carry personal data.

use super::audit::{AuditError, AuditEvent, AuditSink, Phase};
use crate::store::Store;
use std::sync::Arc;

pub struct StoreAuditSink {
    store: Arc<Store>,
}

impl StoreAuditSink {
    pub fn new(store: Arc<Store>) -> Self {
        StoreAuditSink { store }
    }
}

fn subject(phase: &Phase) -> String {
    match phase {
        Phase::Single => "single".to_owned(),
        Phase::Init { correlation } => format!("init:{correlation}"),
        Phase::Complete { correlation, .. } => format!("complete:{correlation}"),
    }
}

impl AuditSink for StoreAuditSink {
    fn record(&self, event: &AuditEvent) -> Result<(), AuditError> {
        let actor = event.fields.staff_id_hash.as_ref().map_or_else(
            || "kiosk".to_owned(),
            |hash| format!("staff:{}", hash.as_str()),
        );
        self.store
            .record_audit(
                &actor,
                event.id.id(),
                &subject(&event.phase),
                &event.to_json_line(),
            )
            .map_err(|error| AuditError::Sink(error.to_string()))
    }
}
