//! The statute index off the UI thread: one worker thread opens (or first builds) the index
//! and answers searches and article look-ups in order. Replies wait in a channel the UI
//! drains from a timer, so the event loop never blocks on SQLite.

use crate::laws::{ArticleView, LawIndex, SearchHit};
use std::path::PathBuf;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// Results shown per search: more than anyone reads on a kiosk.
const SEARCH_LIMIT: usize = 30;
/// Articles shown before and after an opened one.
const NEIGHBOURS: usize = 2;

pub enum LawRequest {
    Search {
        sequence: u64,
        query: String,
    },
    OpenArticle {
        article_id: i64,
    },
    /// A citation: law short name and article number.
    FindArticle {
        law: String,
        number: u32,
    },
}

pub enum LawReply {
    /// `None` when the index failed.
    Search {
        sequence: u64,
        hits: Option<Vec<SearchHit>>,
    },
    Article(Option<ArticleView>),
}

pub struct LawsWorker {
    requests: Sender<LawRequest>,
    replies: Receiver<LawReply>,
    pending: usize,
}

impl LawsWorker {
    /// Starts the worker; the index in `data_dir` is opened or built before the first request
    /// is answered.
    pub fn start(data_dir: PathBuf) -> LawsWorker {
        let (requests, inbox) = channel::<LawRequest>();
        let (outbox, replies) = channel();
        let spawned = std::thread::Builder::new()
            .name("laws-index".into())
            .spawn(move || serve(&data_dir, &inbox, &outbox));
        if let Err(error) = spawned {
            tracing::error!(%error, "cannot start the statute index thread");
        }
        LawsWorker {
            requests,
            replies,
            pending: 0,
        }
    }

    pub fn send(&mut self, request: LawRequest) {
        if self.requests.send(request).is_ok() {
            self.pending += 1;
        } else {
            tracing::error!("the statute index thread has stopped");
        }
    }

    pub fn is_busy(&self) -> bool {
        self.pending > 0
    }

    /// Replies that have arrived, without waiting.
    pub fn ready(&mut self) -> Vec<LawReply> {
        let replies: Vec<LawReply> = self.replies.try_iter().collect();
        self.pending = self.pending.saturating_sub(replies.len());
        replies
    }

    /// Waits up to `timeout` for every outstanding reply (screenshots, tests).
    pub fn wait_all(&mut self, timeout: Duration) -> Vec<LawReply> {
        let deadline = Instant::now() + timeout;
        let mut replies = Vec::new();
        while self.pending > 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.replies.recv_timeout(left) {
                Ok(reply) => {
                    self.pending -= 1;
                    replies.push(reply);
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    self.pending = 0;
                    break;
                }
            }
        }
        replies
    }
}

fn serve(data_dir: &std::path::Path, inbox: &Receiver<LawRequest>, outbox: &Sender<LawReply>) {
    let index = match LawIndex::ensure(data_dir) {
        Ok(index) => Some(index),
        Err(error) => {
            tracing::error!(%error, "statute index unavailable; searches will report it");
            None
        }
    };
    for request in inbox {
        let reply = answer(index.as_ref(), request);
        if outbox.send(reply).is_err() {
            return;
        }
    }
}

fn answer(index: Option<&LawIndex>, request: LawRequest) -> LawReply {
    match request {
        LawRequest::Search { sequence, query } => {
            let hits = index.and_then(|index| match index.search(&query, SEARCH_LIMIT) {
                Ok(hits) => Some(hits),
                Err(error) => {
                    // The query is what a citizen typed: never log it.
                    tracing::warn!(%error, "statute search failed");
                    None
                }
            });
            LawReply::Search { sequence, hits }
        }
        LawRequest::OpenArticle { article_id } => {
            LawReply::Article(index.and_then(|index| open(index, article_id)))
        }
        LawRequest::FindArticle { law, number } => LawReply::Article(index.and_then(|index| {
            let found = index.find_article(&law, number, 0);
            match found {
                Ok(Some(article)) => open(index, article.article_id),
                Ok(None) => None,
                Err(error) => {
                    tracing::warn!(%error, %law, number, "cited article look-up failed");
                    None
                }
            }
        })),
    }
}

fn open(index: &LawIndex, article_id: i64) -> Option<ArticleView> {
    index
        .open_article(article_id, NEIGHBOURS)
        .unwrap_or_else(|error| {
            tracing::warn!(%error, article_id, "opening an article failed");
            None
        })
}
