//! Errors of the statute corpus, the search index, guides and the legal-aid check.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum LawsError {
    #[error("{file}: no `<!-- INFO END -->` line ends the header")]
    MissingHeaderEnd { file: String },
    #[error("{file}: no `# title` line in the header")]
    MissingTitle { file: String },
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} holds no statute files (*.md with a `<!-- INFO END -->` header)")]
    EmptyCorpus { path: PathBuf },
    #[error("{file}: {message}")]
    Catalog { file: String, message: String },
    #[error("statute index {path}: {source}")]
    Index {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("statute index {path} was built by an incompatible version (schema {found}, expected {expected})")]
    IndexSchema {
        path: PathBuf,
        found: String,
        expected: String,
    },
    #[error("metadata database {path}: {source}")]
    Metadata {
        path: PathBuf,
        source: rusqlite::Error,
    },
}
