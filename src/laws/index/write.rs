//! Writing the index file: tables, segmented FTS rows, atomic replacement.

use super::{IndexSource, SCHEMA_VERSION};
use crate::laws::catalog::CATALOG_TOML;
use crate::laws::curated::CURATED_FILES;
use crate::laws::error::LawsError;
use crate::laws::segment::index_tokens;
use crate::laws::{Corpus, Instrument};
use rusqlite::{params, Connection};
use sha2::{Digest, Sha256};
use std::path::Path;

/// Figures of one build, for the import command and the benchmark.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildStats {
    pub instruments: usize,
    pub articles: usize,
    pub bytes: u64,
}

const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE instruments (
    id INTEGER PRIMARY KEY, title TEXT NOT NULL, short_name TEXT NOT NULL, name_en TEXT,
    level TEXT NOT NULL, version TEXT, prominence REAL NOT NULL, files TEXT NOT NULL);
CREATE TABLE names (name TEXT NOT NULL, instrument_id INTEGER NOT NULL);
CREATE TABLE articles (
    id INTEGER PRIMARY KEY, instrument_id INTEGER NOT NULL, seq INTEGER NOT NULL,
    number INTEGER NOT NULL, suffix INTEGER NOT NULL, label TEXT NOT NULL,
    divisions TEXT NOT NULL, text TEXT NOT NULL);
CREATE INDEX articles_by_number ON articles (instrument_id, number, suffix);
CREATE INDEX articles_by_seq ON articles (instrument_id, seq);
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, heading, body, content='', tokenize='unicode61 remove_diacritics 2');
";

/// Identifies the curated corpus and catalog compiled into this program.
pub fn curated_fingerprint() -> String {
    let mut hash = Sha256::new();
    hash.update(SCHEMA_VERSION);
    hash.update(CATALOG_TOML);
    for (path, text) in CURATED_FILES {
        hash.update(path);
        hash.update(text);
    }
    hex::encode(&hash.finalize()[..12])
}

pub fn build(path: &Path, corpus: &Corpus, source: &IndexSource) -> Result<BuildStats, LawsError> {
    let error = |source| LawsError::Index {
        path: path.to_path_buf(),
        source,
    };
    let io_error = |source| LawsError::Read {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io_error)?;
    }
    let temp = path.with_extension("sqlite3.building");
    match std::fs::remove_file(&temp) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io_error(e)),
        _ => {}
    }
    let mut conn = Connection::open(&temp).map_err(error)?;
    // A half-built file is thrown away, so it needs no journal.
    conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
        .map_err(error)?;
    conn.execute_batch(SCHEMA).map_err(error)?;
    let tx = conn.transaction().map_err(error)?;
    let (kind, detail) = match source {
        IndexSource::Curated { fingerprint } => ("curated", fingerprint.as_str()),
        IndexSource::Imported { dir } => ("imported", dir.as_str()),
    };
    for (key, value) in [
        ("schema", SCHEMA_VERSION),
        ("source", kind),
        ("source_detail", detail),
    ] {
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)",
            [key, value],
        )
        .map_err(error)?;
    }
    // Most prominent first: row order is the ranking of the single-character fallback.
    let mut instruments: Vec<&Instrument> = corpus.instruments.iter().collect();
    instruments.sort_by(|a, b| {
        b.prominence
            .total_cmp(&a.prominence)
            .then_with(|| a.title.cmp(&b.title))
    });
    let mut articles = 0;
    for (instrument_id, instrument) in (1i64..).zip(&instruments) {
        insert_instrument(&tx, instrument_id, instrument).map_err(error)?;
        articles += instrument.articles.len();
    }
    tx.commit().map_err(error)?;
    conn.execute_batch("INSERT INTO articles_fts (articles_fts) VALUES ('optimize'); VACUUM;")
        .map_err(error)?;
    conn.close().map_err(|(_, e)| error(e))?;
    std::fs::rename(&temp, path).map_err(io_error)?;
    let bytes = std::fs::metadata(path).map_err(io_error)?.len();
    tracing::info!(
        instruments = instruments.len(),
        articles,
        bytes,
        "statute index built"
    );
    Ok(BuildStats {
        instruments: instruments.len(),
        articles,
        bytes,
    })
}

fn insert_instrument(
    tx: &rusqlite::Transaction<'_>,
    id: i64,
    instrument: &Instrument,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO instruments (id, title, short_name, name_en, level, version, prominence, files)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            id,
            instrument.title,
            instrument.short_name,
            instrument.name_en,
            instrument.level,
            instrument.version,
            instrument.prominence,
            instrument.files.join("\n"),
        ],
    )?;
    let mut names = vec![instrument.short_name.as_str(), instrument.title.as_str()];
    names.extend(instrument.aliases.iter().map(String::as_str));
    names.dedup();
    for name in names {
        tx.execute(
            "INSERT INTO names (name, instrument_id) VALUES (?1, ?2)",
            params![name, id],
        )?;
    }
    let title_tokens = index_tokens(&format!("{} {}", instrument.short_name, instrument.title));
    let mut insert_article = tx.prepare_cached(
        "INSERT INTO articles (instrument_id, seq, number, suffix, label, divisions, text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut insert_fts = tx.prepare_cached(
        "INSERT INTO articles_fts (rowid, title, heading, body) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (seq, article) in instrument.articles.iter().enumerate() {
        let divisions = article.divisions.join("\n");
        insert_article.execute(params![
            id,
            seq as i64,
            article.number,
            article.suffix,
            article.label,
            divisions,
            article.text,
        ])?;
        let rowid = tx.last_insert_rowid();
        insert_fts.execute(params![
            rowid,
            title_tokens,
            index_tokens(&divisions),
            index_tokens(&article.text),
        ])?;
    }
    Ok(())
}
