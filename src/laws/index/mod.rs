//! The statute search index: one SQLite file in the data directory holding instruments,
//! articles and an FTS5 table of jieba-segmented text (`unicode61` tokenizer).
//!
//! It is built from the curated corpus at first start ([`LawIndex::ensure`]) and rebuilt
//! when the program's corpus changes; `laws import DIR` replaces it with any corpus in the
//! same Markdown format, which later starts keep.

mod query;
mod reference;
mod search;
mod snippet;
mod write;

pub use search::{ArticleText, ArticleView, SearchHit};
pub use snippet::{marked, Span};
pub use write::BuildStats;

use super::error::LawsError;
use super::Corpus;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};

/// Bumped whenever the tables or the tokenisation change; an index with another version is
/// rebuilt.
pub const SCHEMA_VERSION: &str = "laws-1";
/// Where the index lives below the data directory.
pub const INDEX_FILE: &str = "laws/index.sqlite3";

/// Where the indexed corpus came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexSource {
    /// The curated corpus compiled into the program, with its fingerprint.
    Curated { fingerprint: String },
    /// `laws import DIR`.
    Imported { dir: String },
}

pub struct LawIndex {
    conn: Connection,
    path: PathBuf,
    /// Names accepted in article references, longest first: (name, instrument id).
    names: Vec<(String, i64)>,
}

impl LawIndex {
    pub fn path_in(data_dir: &Path) -> PathBuf {
        data_dir.join(INDEX_FILE)
    }

    /// Opens an existing index read-only.
    pub fn open(path: &Path) -> Result<LawIndex, LawsError> {
        let error = |source| LawsError::Index {
            path: path.to_path_buf(),
            source,
        };
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(error)?;
        let found = meta(&conn, "schema").map_err(error)?.unwrap_or_default();
        if found != SCHEMA_VERSION {
            return Err(LawsError::IndexSchema {
                path: path.to_path_buf(),
                found,
                expected: SCHEMA_VERSION.into(),
            });
        }
        let names = load_names(&conn).map_err(error)?;
        Ok(LawIndex {
            conn,
            path: path.to_path_buf(),
            names,
        })
    }

    /// Opens the index in `data_dir`, building it from the curated corpus when it is missing,
    /// from another schema version, or from an older curated corpus. An imported index is
    /// kept.
    pub fn ensure(data_dir: &Path) -> Result<LawIndex, LawsError> {
        Self::ensure_at(&Self::path_in(data_dir))
    }

    /// [`LawIndex::ensure`] for an index file at an explicit path.
    pub fn ensure_at(path: &Path) -> Result<LawIndex, LawsError> {
        let path = path.to_path_buf();
        let curated = IndexSource::Curated {
            fingerprint: write::curated_fingerprint(),
        };
        let current = |path: &Path| -> Result<Option<LawIndex>, LawsError> {
            if let Ok(index) = LawIndex::open(path) {
                match index.source()? {
                    IndexSource::Imported { .. } => return Ok(Some(index)),
                    source if source == curated => return Ok(Some(index)),
                    _ => {}
                }
            }
            Ok(None)
        };
        if let Some(index) = current(&path)? {
            return Ok(index);
        }
        // Several processes (the kiosk, staff commands, tests) may start at once: one builds,
        // the others wait for it and then use its result.
        let _lock = BuildLock::acquire(&path)?;
        if let Some(index) = current(&path)? {
            return Ok(index);
        }
        tracing::info!(path = %path.display(), "building the statute index from the curated corpus");
        LawIndex::build(&path, &Corpus::curated(), &curated)?;
        LawIndex::open(&path)
    }

    /// Builds an index file from a corpus, replacing `path` atomically.
    pub fn build(
        path: &Path,
        corpus: &Corpus,
        source: &IndexSource,
    ) -> Result<BuildStats, LawsError> {
        write::build(path, corpus, source)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn source(&self) -> Result<IndexSource, LawsError> {
        let kind = meta(&self.conn, "source").map_err(|e| self.error(e))?;
        let detail = meta(&self.conn, "source_detail")
            .map_err(|e| self.error(e))?
            .unwrap_or_default();
        Ok(match kind.as_deref() {
            Some("imported") => IndexSource::Imported { dir: detail },
            _ => IndexSource::Curated {
                fingerprint: detail,
            },
        })
    }

    fn error(&self, source: rusqlite::Error) -> LawsError {
        LawsError::Index {
            path: self.path.clone(),
            source,
        }
    }
}

fn meta(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
}

fn load_names(conn: &Connection) -> rusqlite::Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare("SELECT name, instrument_id FROM names ORDER BY rowid")?;
    let mut names = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // Longest first, so 劳动合同法 wins over 劳动法 would-be prefixes; stable keeps the more
    // prominent instrument first among equal names.
    names.sort_by_key(|(name, _)| std::cmp::Reverse(name.chars().count()));
    Ok(names)
}

/// An exclusive advisory lock (flock) on `<index>.lock`, held while an index is built; the
/// lock is released when the file it holds closes.
struct BuildLock {
    _file: std::fs::File,
}

impl BuildLock {
    fn acquire(index: &Path) -> Result<BuildLock, LawsError> {
        let read_error = |source| LawsError::Read {
            path: index.to_path_buf(),
            source,
        };
        if let Some(dir) = index.parent() {
            std::fs::create_dir_all(dir).map_err(read_error)?;
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(index.with_extension("lock"))
            .map_err(read_error)?;
        use std::os::fd::AsRawFd;
        // SAFETY: flock on a descriptor this function owns; it is released when the file closes.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
            return Err(read_error(std::io::Error::last_os_error()));
        }
        Ok(BuildLock { _file: file })
    }
}
