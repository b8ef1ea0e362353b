//! Exporting the audit log and the application's logs to a USB stick for the office.
//!
//! The bundle is one directory, `legal-kiosk-<kiosk>-<UTC time>/`, holding `audit.jsonl` (every
//! row of the store's hash-chained audit table, one JSON object per line), `audit-verify.json`
//! (the chain check at export time) and, where journald runs, `journal.txt` (this app's log
//! lines: they never hold personal data). Every file is synced before the export reports
//! success, so pulling the stick afterwards loses nothing.

use crate::store::{Store, StoreError, DB_FILE};
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long `journalctl` may take before the log part of an export is given up.
const JOURNAL_TIMEOUT: Duration = Duration::from_secs(20);

/// One row of the audit table as exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRow {
    pub seq: i64,
    pub at_ms: i64,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub hash: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("no USB stick found: plug one in (looked under {0})")]
    NoTarget(String),
    #[error("the audit log could not be read: {0}")]
    Read(#[from] rusqlite::Error),
    #[error("the audit chain could not be checked: {0}")]
    Verify(#[from] StoreError),
    #[error("writing {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportReport {
    pub directory: PathBuf,
    pub audit_events: u64,
    /// False when journald was not there to ask (development machines, tests).
    pub journal: bool,
}

/// Reads the whole audit table over a read-only connection of its own, so a long export
/// never holds the store's writer lock.
pub fn read_audit_log(data_dir: &Path) -> Result<Vec<AuditRow>, rusqlite::Error> {
    let conn = Connection::open_with_flags(
        data_dir.join(DB_FILE),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(10))?;
    let mut statement = conn.prepare(
        "SELECT seq, at, actor, action, subject, detail, hash FROM audit_log ORDER BY seq",
    )?;
    let rows = statement.query_map([], |row| {
        Ok(AuditRow {
            seq: row.get(0)?,
            at_ms: row.get(1)?,
            actor: row.get(2)?,
            action: row.get(3)?,
            subject: row.get(4)?,
            detail: row.get(5)?,
            hash: row.get(6)?,
        })
    })?;
    rows.collect()
}

/// Where exports go: the configured directory when set, else the first removable medium
/// mounted under `/media` or `/run/media` (as listed in `mounts`, `/proc/mounts` format).
pub fn export_target(configured: Option<&Path>, mounts: &str) -> Result<PathBuf, ExportError> {
    if let Some(dir) = configured {
        return if dir.is_dir() {
            Ok(dir.to_path_buf())
        } else {
            Err(ExportError::NoTarget(dir.display().to_string()))
        };
    }
    mounts
        .lines()
        .filter_map(|line| line.split_whitespace().nth(1))
        // /proc/mounts escapes spaces in mount points as \040.
        .map(|point| PathBuf::from(point.replace("\\040", " ")))
        .find(|point| point.starts_with("/media/") || point.starts_with("/run/media/"))
        .ok_or_else(|| ExportError::NoTarget("/media".into()))
}

fn write_error(path: &Path) -> impl FnOnce(std::io::Error) -> ExportError + '_ {
    move |source| ExportError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes the bundle into a new directory under `target`.
pub fn export_bundle(
    store: &Store,
    kiosk_id: &str,
    target: &Path,
) -> Result<ExportReport, ExportError> {
    let rows = read_audit_log(store.data_dir())?;
    let verify = store.verify_audit()?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let safe_id: String = kiosk_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let directory = target.join(format!("legal-kiosk-{safe_id}-{stamp}"));
    std::fs::create_dir_all(&directory).map_err(write_error(&directory))?;

    let audit_path = directory.join("audit.jsonl");
    let mut audit = BufWriter::new(File::create(&audit_path).map_err(write_error(&audit_path))?);
    for row in &rows {
        let line = serde_json::to_string(row).unwrap_or_default();
        writeln!(audit, "{line}").map_err(write_error(&audit_path))?;
    }
    let audit = audit
        .into_inner()
        .map_err(|error| write_error(&audit_path)(error.into_error()))?;
    audit.sync_all().map_err(write_error(&audit_path))?;

    let verify_path = directory.join("audit-verify.json");
    let text = serde_json::to_string_pretty(&verify).unwrap_or_default();
    write_synced(&verify_path, text.as_bytes())?;

    let journal = export_journal(&directory.join("journal.txt"));
    sync_dir(&directory);
    Ok(ExportReport {
        directory,
        audit_events: rows.len() as u64,
        journal,
    })
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    let mut file = File::create(path).map_err(write_error(path))?;
    file.write_all(bytes).map_err(write_error(path))?;
    file.sync_all().map_err(write_error(path))
}

fn sync_dir(directory: &Path) {
    if let Err(error) = File::open(directory).and_then(|dir| dir.sync_all()) {
        tracing::warn!(%error, "export directory not synced");
    }
}

/// This service's journal of the last seven days, each line scrubbed again on its way to
/// the stick (the journal also holds lines the kiosk did not write: systemd's, a crashed
/// process's stderr); false when journald is not available.
fn export_journal(path: &Path) -> bool {
    let child = Command::new("journalctl")
        .args([
            "--unit",
            "legal-kiosk.service",
            "--since",
            "-7d",
            "--output",
            "short-iso",
            "--no-pager",
            "--quiet",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        return false;
    };
    let Some(stdout) = child.stdout.take() else {
        let _ = child.kill();
        let _ = child.wait();
        return false;
    };
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let mut stdout = stdout;
        std::io::Read::read_to_string(&mut stdout, &mut text).map(|_| text)
    });
    let started = Instant::now();
    let finished = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status.success(),
            Ok(None) if started.elapsed() < JOURNAL_TIMEOUT => {
                std::thread::sleep(Duration::from_millis(50))
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                tracing::warn!("journalctl did not finish; export without the journal");
                break false;
            }
        }
    };
    let text = match reader.join() {
        Ok(Ok(text)) if finished => text,
        _ => return false,
    };
    write_scrubbed(path, &text).is_ok()
}

fn write_scrubbed(path: &Path, journal: &str) -> std::io::Result<()> {
    let mut file = File::create(path)?;
    for line in journal.lines() {
        writeln!(file, "{}", crate::logging::scrub(line))?;
    }
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_journal_reaches_the_stick_scrubbed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("journal.txt");
        let journal = "2026-12-03T01:00:00+0800 kiosk legal-kiosk[1]: panicked at 13812345678\n\
                       2026-12-03T01:00:01+0800 kiosk systemd[1]: legal-kiosk.service: restarting\n";
        write_scrubbed(&path, journal).expect("written");
        let written = std::fs::read_to_string(&path).expect("read");
        assert!(!written.contains("13812345678"), "{written}");
        assert!(
            written.contains("[phone]") && written.contains("restarting"),
            "{written}"
        );
        assert_eq!(written.lines().count(), 2);
    }

    #[test]
    fn the_configured_directory_wins_and_must_exist() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mounts = "/dev/sda1 /media/usb0 vfat rw 0 0\n";
        assert_eq!(
            export_target(Some(dir.path()), mounts).expect("target"),
            dir.path()
        );
        assert!(matches!(
            export_target(Some(&dir.path().join("absent")), mounts),
            Err(ExportError::NoTarget(_))
        ));
    }

    #[test]
    fn the_first_removable_mount_is_found() {
        let mounts = "proc /proc proc rw 0 0\n/dev/mmcblk0p3 /var/lib/legal-kiosk ext4 rw 0 0\n\
                      /dev/sdb1 /media/kiosk/STAFF\\040USB vfat rw 0 0\n/dev/sdc1 /media/other vfat rw 0 0\n";
        assert_eq!(
            export_target(None, mounts).expect("target"),
            PathBuf::from("/media/kiosk/STAFF USB")
        );
        assert!(matches!(
            export_target(None, "proc /proc proc rw 0 0\n"),
            Err(ExportError::NoTarget(_))
        ));
    }

    #[test]
    fn the_bundle_holds_every_audit_row_and_the_chain_check() {
        let data = tempfile::tempdir().expect("data dir");
        let stick = tempfile::tempdir().expect("stick");
        let store = Store::open(data.path()).expect("store");
        store
            .record_audit("kiosk", "test-event", "single", "{}")
            .expect("audit");
        let report = export_bundle(&store, "SZ FT/001", stick.path()).expect("export");
        assert!(report.directory.starts_with(stick.path()));
        let name = report
            .directory
            .file_name()
            .expect("name")
            .to_string_lossy();
        assert!(name.starts_with("legal-kiosk-SZ_FT_001-"), "{name}");
        let text = std::fs::read_to_string(report.directory.join("audit.jsonl")).expect("audit");
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|line| serde_json::from_str(line).expect("json"))
            .collect();
        assert_eq!(lines.len() as u64, report.audit_events);
        assert!(lines.iter().any(|line| line["action"] == "test-event"));
        let verify =
            std::fs::read_to_string(report.directory.join("audit-verify.json")).expect("verify");
        assert!(verify.contains("\"intact\": true"));
    }
}
