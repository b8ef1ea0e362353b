//! A request body that reports how far the upload has gone, so the client can tell a slow
//! but moving upload (a large application over a thin hall link) from a stalled one.
//!
//! One fixed timeout for the whole request cannot serve both: short enough to notice a dead
//! peer, it cuts off every upload larger than the link carries in that time, and the entry
//! is retried for ever. Instead the timeout applies to *silence*: no byte taken by the
//! transport, and after the last byte no answer, for that long.

use hyper::body::{Body, Bytes, Frame, SizeHint};
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::Instant;

/// Chunks handed to the transport; small enough that progress is seen on a slow link.
const CHUNK: usize = 16 * 1024;

/// Shared between the body and the watchdog: when the transport last took a chunk.
#[derive(Debug, Clone)]
pub struct Progress {
    started: Instant,
    last_ms: Arc<AtomicU64>,
    sent: Arc<AtomicU64>,
}

impl Default for Progress {
    fn default() -> Progress {
        Progress::new()
    }
}

impl Progress {
    pub fn new() -> Progress {
        Progress {
            started: Instant::now(),
            last_ms: Arc::new(AtomicU64::new(0)),
            sent: Arc::new(AtomicU64::new(0)),
        }
    }

    fn record(&self, bytes: usize) {
        self.sent.fetch_add(bytes as u64, Ordering::Relaxed);
        let now = self.started.elapsed().as_millis() as u64;
        self.last_ms.store(now, Ordering::Relaxed);
    }

    /// How long nothing has moved.
    pub fn idle(&self) -> Duration {
        let last = Duration::from_millis(self.last_ms.load(Ordering::Relaxed));
        self.started.elapsed().saturating_sub(last)
    }

    pub fn sent(&self) -> u64 {
        self.sent.load(Ordering::Relaxed)
    }
}

/// The serialised submission, yielded in [`CHUNK`]s; its exact size sets `Content-Length`.
pub struct ProgressBody {
    data: Bytes,
    progress: Progress,
}

impl ProgressBody {
    pub fn new(data: Vec<u8>, progress: Progress) -> ProgressBody {
        ProgressBody {
            data: Bytes::from(data),
            progress,
        }
    }
}

impl Body for ProgressBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if self.data.is_empty() {
            return Poll::Ready(None);
        }
        let take = self.data.len().min(CHUNK);
        let chunk = self.data.split_to(take);
        self.progress.record(take);
        Poll::Ready(Some(Ok(Frame::data(chunk))))
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.data.len() as u64)
    }
}

/// How long a request may be silent.
#[derive(Debug, Clone, Copy)]
pub struct Silence {
    /// While the upload is under way: no chunk taken by the transport for this long.
    pub uploading: Duration,
    /// After the last byte: no answer for this long (the server checks and stores what it
    /// received, which takes longer for a larger upload).
    pub answering: Duration,
}

impl Silence {
    /// `limit` while uploading; after the upload `limit` plus one more `limit` per 8 MiB sent.
    pub fn for_upload(limit: Duration, total_bytes: usize) -> Silence {
        let extra = limit.mul_f64(total_bytes as f64 / (8 * 1024 * 1024) as f64);
        Silence {
            uploading: limit,
            answering: limit + extra,
        }
    }
}

/// Runs `request` until it finishes or falls silent for longer than `silence` allows;
/// `Err` carries how long it had been silent.
pub async fn unless_stalled<T>(
    request: impl std::future::Future<Output = T>,
    progress: &Progress,
    total_bytes: usize,
    silence: Silence,
) -> Result<T, Duration> {
    tokio::pin!(request);
    let check = (silence.uploading / 4).clamp(Duration::from_millis(50), Duration::from_secs(1));
    loop {
        tokio::select! {
            done = &mut request => return Ok(done),
            _ = tokio::time::sleep(check) => {
                let idle = progress.idle();
                let limit = if progress.sent() >= total_bytes as u64 {
                    silence.answering
                } else {
                    silence.uploading
                };
                if idle >= limit {
                    return Err(idle);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    #[tokio::test]
    async fn the_body_arrives_whole_in_chunks_and_counts_what_was_taken() {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        let progress = Progress::new();
        let body = ProgressBody::new(data.clone(), progress.clone());
        assert_eq!(body.size_hint().exact(), Some(100_000));
        let collected = body.collect().await.unwrap().to_bytes();
        assert_eq!(collected.as_ref(), data.as_slice());
        assert_eq!(progress.sent(), 100_000);
    }

    #[test]
    fn a_larger_upload_gets_longer_for_its_answer() {
        let limit = Duration::from_secs(15);
        assert_eq!(Silence::for_upload(limit, 0).answering, limit);
        let large = Silence::for_upload(limit, 48 * 1024 * 1024);
        assert_eq!(large.uploading, limit);
        assert_eq!(large.answering, limit * 7);
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_that_keeps_moving_is_never_cut_off_but_silence_is() {
        let progress = Progress::new();
        let moving = {
            let progress = progress.clone();
            async move {
                for _ in 0..40 {
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    progress.record(1);
                }
            }
        };
        let silence = Silence {
            uploading: Duration::from_secs(2),
            answering: Duration::from_secs(5),
        };
        // 20 s of upload with a 2 s silence limit: it never falls silent for 2 s.
        assert!(unless_stalled(moving, &progress, 1_000, silence)
            .await
            .is_ok());
        // Stuck mid-upload: cut off after the upload limit.
        let silent = tokio::time::sleep(Duration::from_secs(60));
        let idle = unless_stalled(silent, &progress, 1_000, silence)
            .await
            .unwrap_err();
        assert!(idle >= Duration::from_secs(2) && idle < Duration::from_secs(3));
        // Everything sent, no answer: cut off after the (longer) answer limit.
        let answer_never_comes = tokio::time::sleep(Duration::from_secs(60));
        let before = Instant::now();
        progress.record(0);
        let idle = unless_stalled(answer_never_comes, &progress, 40, silence)
            .await
            .unwrap_err();
        assert!(idle >= Duration::from_secs(5), "{idle:?}");
        assert!(before.elapsed() < Duration::from_secs(6));
    }
}
