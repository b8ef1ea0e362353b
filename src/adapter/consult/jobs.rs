//! Consultation work that must not block the UI thread: committing a request to the store
//! (an fsync'd SQLite transaction) and printing an article (seconds of printer I/O). Each
//! job runs on a thread of its own; results wait in a channel the UI drains from its timer.

use crate::core::consult::RequestKind;
use crate::hal::printer::{PrintError, PrintReport};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

pub(crate) enum JobResult {
    /// The request's commit; the error is for the log only.
    Committed {
        kind: RequestKind,
        result: Result<crate::store::Receipt, String>,
    },
    Printed(Result<PrintReport, PrintError>),
}

pub(crate) struct Jobs {
    results_in: Sender<JobResult>,
    results: Receiver<JobResult>,
    running: usize,
}

impl Jobs {
    pub(crate) fn new() -> Jobs {
        let (results_in, results) = channel();
        Jobs {
            results_in,
            results,
            running: 0,
        }
    }

    /// Runs `job` on a new thread; false (and nothing runs) when no thread can be started.
    pub(crate) fn spawn(&mut self, job: impl FnOnce() -> JobResult + Send + 'static) -> bool {
        let results_in = self.results_in.clone();
        let spawned = std::thread::Builder::new()
            .name("consult-job".into())
            .spawn(move || {
                // The UI may be gone (window closed); the result then has no reader.
                let _ = results_in.send(job());
            });
        match spawned {
            Ok(_) => {
                self.running += 1;
                true
            }
            Err(error) => {
                tracing::error!(%error, "cannot start a consultation job thread");
                false
            }
        }
    }

    /// Results that have arrived, without waiting.
    pub(crate) fn finished(&mut self) -> Vec<JobResult> {
        let results: Vec<JobResult> = self.results.try_iter().collect();
        self.running = self.running.saturating_sub(results.len());
        results
    }

    /// Waits up to `timeout` until no job runs (screenshots and tests).
    pub(crate) fn wait_idle(&mut self, timeout: Duration) -> Vec<JobResult> {
        let deadline = Instant::now() + timeout;
        let mut results = self.finished();
        while self.running > 0 {
            match self
                .results
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                Ok(result) => {
                    self.running -= 1;
                    results.push(result);
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
            }
        }
        results
    }
}
