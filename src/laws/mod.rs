//! Statute corpus: parsing, indexing and Chinese full-text search, guided questions and the
//! legal-aid pre-check of the legal-consultation feature (法律咨询).
//!
//! - [`corpus`]: the Markdown statute files → instruments → articles (newest version in force).
//! - [`index`]: the SQLite FTS5 search index in the data directory, and queries on it.
//! - [`receipt`]: articles as lines for the receipt printer.
//! - [`guide`]: question trees (data files) and a pure state machine to walk them.
//! - [`legal_aid`]: the Legal Aid Law eligibility pre-check.

pub mod catalog;
pub mod corpus;
mod curated;
pub mod error;
pub mod guide;
pub mod index;
pub mod legal_aid;
pub mod markdown;
pub mod numeral;
pub mod receipt;
mod segment;

pub use corpus::{Article, Corpus, Instrument, LoadReport};
pub use error::LawsError;
pub use index::{ArticleText, ArticleView, IndexSource, LawIndex, SearchHit, Span};
