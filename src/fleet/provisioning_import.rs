//! Imports the image's first-boot provisioning records into the store's audit log at start.
//!
//! `kiosk-provision` (kiosk-image/) runs as root before the app and appends one JSON line per
//! attempt to `<data_dir>/provisioning.log` (`provisioning.applied` or `provisioning.failed`);
//! it never rewrites the file. The app turns each complete line into one hash-chained audit
//! event and remembers how far it got in `provisioning.log.imported` (a byte offset, written
//! after every event), so a restart imports only the lines added since. A log shorter than the
//! offset was replaced (factory reset of the data partition) and is imported from the start.
//!
//! Only non-personal fields are copied: the kiosk id, image version, hash of the provisioning
//! file, rotation, client-auth kind, names (never values) of moved secrets, and the error text,
//! which names keys, never secret values.

use crate::store::{Store, StoreError};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

pub const LOG_FILE: &str = "provisioning.log";
pub const CURSOR_FILE: &str = "provisioning.log.imported";
const ACTOR: &str = "kiosk-provision";
/// The record fields that reach the audit detail; anything else in a line is dropped.
const COPIED_FIELDS: [&str; 8] = [
    "time",
    "image_version",
    "source_sha256",
    "rotation",
    "client_auth",
    "wifi",
    "secrets_moved",
    "error",
];
/// Longest text value copied from a record; provisioning writes short values.
const MAX_TEXT: usize = 300;

#[derive(Debug, thiserror::Error)]
pub enum ProvisioningImportError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot record the import position in {path}: {source}")]
    Cursor {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write the audit event for provisioning record {line}: {source}")]
    Audit { line: usize, source: StoreError },
}

/// What one start imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportSummary {
    /// Audit events written (one per new record, unreadable ones included).
    pub imported: usize,
    /// Of those, lines that were not a JSON object (recorded as `provisioning.unreadable`).
    pub unreadable: usize,
}

/// One audit event made from one line of the provisioning log.
#[derive(Debug, Clone, PartialEq, Eq)]
struct AuditRecord {
    action: String,
    subject: String,
    detail: String,
}

/// Imports the records of `store.data_dir()/provisioning.log` that are not imported yet.
/// No log (a kiosk not installed from the image) imports nothing.
pub fn import_provisioning_log(store: &Store) -> Result<ImportSummary, ProvisioningImportError> {
    let dir = store.data_dir();
    let log_path = dir.join(LOG_FILE);
    let log = match std::fs::read(&log_path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(ImportSummary::default())
        }
        Err(source) => {
            return Err(ProvisioningImportError::Read {
                path: log_path,
                source,
            })
        }
    };
    let cursor_path = dir.join(CURSOR_FILE);
    let mut offset = read_cursor(&cursor_path)?;
    if offset > log.len() {
        offset = 0;
    }
    let mut summary = ImportSummary::default();
    let mut line_number = log[..offset].iter().filter(|&&b| b == b'\n').count();
    // Only complete lines: a line being written right now has no newline yet.
    while let Some(end) = log[offset..].iter().position(|&b| b == b'\n') {
        let line = &log[offset..offset + end];
        offset += end + 1;
        line_number += 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let record = audit_record(line, line_number);
        if record.action == "provisioning.unreadable" {
            summary.unreadable += 1;
        }
        store
            .record_audit(ACTOR, &record.action, &record.subject, &record.detail)
            .map_err(|source| ProvisioningImportError::Audit {
                line: line_number,
                source,
            })?;
        write_cursor(&cursor_path, offset)?;
        summary.imported += 1;
    }
    Ok(summary)
}

/// [`import_provisioning_log`] at start-up: the outcome goes to the log; a failure leaves the
/// records for the next start and never keeps the kiosk from serving.
pub fn import_at_start(store: &Store) {
    match import_provisioning_log(store) {
        Ok(summary) if summary.imported > 0 => tracing::info!(
            imported = summary.imported,
            unreadable = summary.unreadable,
            "provisioning records imported into the audit log"
        ),
        Ok(_) => {}
        Err(error) => tracing::warn!(%error, "provisioning records not imported"),
    }
}

fn read_cursor(path: &Path) -> Result<usize, ProvisioningImportError> {
    match std::fs::read_to_string(path) {
        // A damaged cursor re-imports from the start: duplicates beat lost records.
        Ok(text) => Ok(text.trim().parse().unwrap_or(0)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(0),
        Err(source) => Err(ProvisioningImportError::Cursor {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Written to a temporary file and renamed, so a power cut leaves the old or the new offset.
fn write_cursor(path: &Path, offset: usize) -> Result<(), ProvisioningImportError> {
    let temporary = path.with_extension("imported.tmp");
    std::fs::write(&temporary, format!("{offset}\n"))
        .and_then(|()| std::fs::rename(&temporary, path))
        .map_err(|source| ProvisioningImportError::Cursor {
            path: path.to_path_buf(),
            source,
        })
}

fn audit_record(line: &[u8], line_number: usize) -> AuditRecord {
    let object = match serde_json::from_slice::<Value>(line) {
        Ok(Value::Object(object)) => object,
        _ => {
            return AuditRecord {
                action: "provisioning.unreadable".into(),
                subject: String::new(),
                detail: format!(r#"{{"line":{line_number}}}"#),
            }
        }
    };
    let action = match object.get("event").and_then(Value::as_str) {
        Some(event) if is_provisioning_event(event) => event.to_string(),
        _ => "provisioning.unrecognised".into(),
    };
    let subject = object
        .get("kiosk_id")
        .and_then(Value::as_str)
        .map(|id| bounded(id, 32))
        .unwrap_or_default();
    let detail: Map<String, Value> = COPIED_FIELDS
        .iter()
        .filter_map(|&field| Some((field.to_string(), bounded_value(object.get(field)?))))
        .collect();
    AuditRecord {
        action,
        subject,
        detail: Value::Object(detail).to_string(),
    }
}

fn is_provisioning_event(event: &str) -> bool {
    event.len() <= 40
        && event.starts_with("provisioning.")
        && event
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'-' || b == b'_')
}

fn bounded(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}

fn bounded_value(value: &Value) -> Value {
    match value {
        Value::String(text) => Value::String(bounded(text, MAX_TEXT)),
        Value::Array(items) => Value::Array(items.iter().take(16).map(bounded_value).collect()),
        Value::Object(_) => Value::Null,
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreOptions;

    const APPLIED: &str = r#"{"client_auth": "certificate", "event": "provisioning.applied", "image_version": "6efb150", "kiosk_id": "SZ-FT-001", "rotation": 90, "secrets_moved": ["case_system.client_key_file"], "source_sha256": "ab12", "time": "2026-11-22T04:16:00Z", "wifi": false}"#;
    const FAILED: &str = r#"{"error": "wifi.psk: must be 8-63 characters", "event": "provisioning.failed", "image_version": "6efb150", "time": "2026-11-22T04:10:00Z"}"#;

    fn store(dir: &Path) -> Store {
        let options = StoreOptions {
            min_free_bytes: 0,
            retention_days: 90,
        };
        Store::open_with(dir, options).expect("store opens")
    }

    fn audit_events(store: &Store) -> u64 {
        store.verify_audit().expect("verify").events
    }

    fn append(dir: &Path, text: &str) {
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join(LOG_FILE))
            .expect("open log");
        file.write_all(text.as_bytes()).expect("append");
    }

    #[test]
    fn each_record_becomes_one_audit_event_and_a_restart_imports_only_new_ones() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = store(dir.path());
        let before = audit_events(&store);
        append(dir.path(), &format!("{FAILED}\n{APPLIED}\n"));

        let first = import_provisioning_log(&store).expect("import");
        assert_eq!(
            first,
            ImportSummary {
                imported: 2,
                unreadable: 0
            }
        );
        assert_eq!(audit_events(&store), before + 2);

        assert_eq!(
            import_provisioning_log(&store).expect("again"),
            ImportSummary::default()
        );
        assert_eq!(audit_events(&store), before + 2);

        // A re-provisioning appends; a half-written line waits for its newline.
        append(
            dir.path(),
            &format!("{APPLIED}\n{{\"event\": \"provisioning.app"),
        );
        assert_eq!(import_provisioning_log(&store).expect("third").imported, 1);
        append(dir.path(), "lied\"}\n");
        assert_eq!(import_provisioning_log(&store).expect("fourth").imported, 1);
        assert_eq!(audit_events(&store), before + 4);
        assert!(store.verify_audit().expect("verify").intact);
    }

    #[test]
    fn a_record_keeps_only_the_listed_fields() {
        let line = r#"{"event": "provisioning.applied", "kiosk_id": "SZ-FT-001", "time": "t", "psk": "secret-passphrase", "rotation": 90, "secrets_moved": ["wifi.psk"]}"#;
        let record = audit_record(line.as_bytes(), 1);
        assert_eq!(record.action, "provisioning.applied");
        assert_eq!(record.subject, "SZ-FT-001");
        assert!(
            !record.detail.contains("secret-passphrase"),
            "{}",
            record.detail
        );
        let detail: Value = serde_json::from_str(&record.detail).expect("json detail");
        assert_eq!(detail["rotation"], 90);
        assert_eq!(detail["secrets_moved"][0], "wifi.psk");
        assert_eq!(detail["time"], "t");
    }

    #[test]
    fn garbage_and_foreign_events_are_recorded_not_lost() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = store(dir.path());
        let before = audit_events(&store);
        append(dir.path(), "not json\n\n{\"event\": \"rm -rf\"}\n");
        let summary = import_provisioning_log(&store).expect("import");
        assert_eq!(
            summary,
            ImportSummary {
                imported: 2,
                unreadable: 1
            }
        );
        assert_eq!(audit_events(&store), before + 2);
        assert_eq!(
            audit_record(b"{\"event\": \"rm -rf\"}", 3).action,
            "provisioning.unrecognised"
        );
        assert_eq!(audit_record(b"[1]", 7).detail, r#"{"line":7}"#);
    }

    #[test]
    fn a_replaced_log_is_imported_from_the_start_and_no_log_imports_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = store(dir.path());
        assert_eq!(
            import_provisioning_log(&store).expect("no log"),
            ImportSummary::default()
        );
        append(dir.path(), &format!("{APPLIED}\n{APPLIED}\n"));
        assert_eq!(import_provisioning_log(&store).expect("first").imported, 2);
        std::fs::write(dir.path().join(LOG_FILE), format!("{FAILED}\n")).expect("replace");
        assert_eq!(
            import_provisioning_log(&store).expect("replaced").imported,
            1
        );
    }
}
