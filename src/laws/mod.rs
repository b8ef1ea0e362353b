//! Statute corpus: parsing, indexing and Chinese full-text search.
