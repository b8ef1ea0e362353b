//! Start-up health check: a database that fails `PRAGMA integrity_check` or is not SQLite at
//! all is moved aside (never deleted) so the kiosk keeps taking new submissions in a fresh one,
//! and staff can salvage the old file.

use super::StoreError;
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::path::{Path, PathBuf};

/// Whether the file is a healthy database. Errors other than corruption (locked, permission)
/// propagate: they are not a reason to move anything aside.
pub fn is_corrupt(db_path: &Path) -> Result<Option<String>, StoreError> {
    let conn = match Connection::open_with_flags(db_path, OpenFlags::SQLITE_OPEN_READ_WRITE) {
        Ok(conn) => conn,
        Err(e) if is_corruption(&e) => return Ok(Some(e.to_string())),
        Err(e) => return Err(e.into()),
    };
    let result: Result<Vec<String>, rusqlite::Error> = conn
        .prepare("PRAGMA integrity_check")
        .and_then(|mut stmt| stmt.query_map([], |row| row.get::<_, String>(0))?.collect());
    match result {
        Ok(lines) if lines.len() == 1 && lines[0] == "ok" => Ok(None),
        Ok(lines) => Ok(Some(
            lines.into_iter().take(3).collect::<Vec<_>>().join("; "),
        )),
        Err(e) if is_corruption(&e) => Ok(Some(e.to_string())),
        Err(e) => Err(e.into()),
    }
}

fn is_corruption(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt)
    )
}

/// Renames the database and its `-wal`/`-shm` companions to `<name>.corrupt-<timestamp>…`.
/// Returns the new path of the main file.
pub fn quarantine(db_path: &Path, timestamp: &str) -> Result<PathBuf, StoreError> {
    let with_suffix = |path: &Path, suffix: &str| {
        let mut name = path.as_os_str().to_os_string();
        name.push(suffix);
        PathBuf::from(name)
    };
    let target = with_suffix(db_path, &format!(".corrupt-{timestamp}"));
    for companion in ["-wal", "-shm"] {
        let from = with_suffix(db_path, companion);
        if from.exists() {
            let to = with_suffix(&target, companion);
            std::fs::rename(&from, &to).map_err(|source| StoreError::Quarantine { to, source })?;
        }
    }
    std::fs::rename(db_path, &target).map_err(|source| StoreError::Quarantine {
        to: target.clone(),
        source,
    })?;
    Ok(target)
}
