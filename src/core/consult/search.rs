//! The statute-search screen's state: the query, whether a search is under way, the hits.
//! Searches run off the UI thread; each carries a sequence number so a late answer to an
//! older query never replaces a newer one.

use crate::laws::SearchHit;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SearchStatus {
    /// Nothing searched yet.
    #[default]
    Idle,
    Searching,
    Done,
    /// The index could not be opened or queried; the screen says so and offers the hotline.
    Failed,
}

#[derive(Debug, Clone, Default)]
pub struct SearchState {
    pub query: String,
    pub status: SearchStatus,
    pub hits: Vec<SearchHit>,
    sequence: u64,
}

impl SearchState {
    /// Starts a search for `query`; returns its sequence number, or `None` for a blank query
    /// (which clears the results).
    pub fn begin(&mut self, query: &str) -> Option<u64> {
        self.query = query.trim().to_string();
        self.hits.clear();
        self.sequence += 1;
        if self.query.is_empty() {
            self.status = SearchStatus::Idle;
            return None;
        }
        self.status = SearchStatus::Searching;
        Some(self.sequence)
    }

    /// Takes the answer to search `sequence`; false (ignored) when a newer search started.
    pub fn finish(&mut self, sequence: u64, result: Option<Vec<SearchHit>>) -> bool {
        if sequence != self.sequence || self.status != SearchStatus::Searching {
            return false;
        }
        match result {
            Some(hits) => {
                self.hits = hits;
                self.status = SearchStatus::Done;
            }
            None => self.status = SearchStatus::Failed,
        }
        true
    }
}
