//! The relay: a tokio task that drains the outbox. Every state change is in SQLite, so a
//! restart (or a crash) resumes where it stopped; at worst an entry is sent again with the
//! same idempotency key and the case system answers with its original result.

use super::{Backoff, CaseSystem, SubmitOutcome, WireSubmission};
use crate::store::{now_ms, Store, StoreError};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::Instant;

#[derive(Debug, Clone)]
pub struct RelayConfig {
    /// Sent in every submission body.
    pub kiosk_id: String,
    /// Deliveries in flight at once.
    pub max_in_flight: usize,
    pub backoff: Backoff,
    /// How often the outbox is looked at when nothing wakes the relay earlier (entries
    /// committed by another process, staff retries from the CLI).
    pub poll_interval: Duration,
    /// How long an entry is held back when the store could not load it or record what its
    /// delivery came to (disk full, I/O error, a row that does not decode). Without it the
    /// entry is due again at once and is re-sent in a tight loop.
    pub store_backoff: Backoff,
}

/// Store trouble is not the case system's: it clears when staff free the disk, so retry
/// soon but never faster than once a second per entry.
const STORE_BACKOFF: Backoff = Backoff {
    base: Duration::from_secs(1),
    cap: Duration::from_secs(300),
};

impl RelayConfig {
    /// The relay settings of a kiosk configuration.
    pub fn from_config(config: &crate::config::KioskConfig) -> RelayConfig {
        let section = &config.case_system;
        RelayConfig {
            kiosk_id: config.kiosk.id.clone(),
            max_in_flight: section.max_in_flight.max(1) as usize,
            backoff: Backoff {
                base: Duration::from_millis(section.retry_base_ms.max(1)),
                cap: Duration::from_secs(section.retry_cap_s.max(1)),
            },
            poll_interval: Duration::from_secs(5),
            store_backoff: STORE_BACKOFF,
        }
    }

    pub fn new(kiosk_id: &str) -> RelayConfig {
        RelayConfig {
            kiosk_id: kiosk_id.into(),
            max_in_flight: 4,
            backoff: Backoff::default(),
            poll_interval: Duration::from_secs(5),
            store_backoff: STORE_BACKOFF,
        }
    }
}

pub struct Relay<C: CaseSystem> {
    store: Arc<Store>,
    system: Arc<C>,
    config: RelayConfig,
}

/// A running relay; [`RelayHandle::shutdown`] stops it.
pub struct RelayHandle {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
    /// Touched on every turn of the scheduling loop (at least every `poll_interval`).
    pub last_turn: crate::liveness::LastTurn,
}

impl RelayHandle {
    /// Stops the relay. Deliveries in flight are abandoned; they stay pending and are sent
    /// again (same key) by the next relay.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// What a finished delivery tells the scheduling loop.
enum Finished {
    Done,
    /// The case system asked everyone to hold off this long.
    HoldOff(Duration),
    /// The store failed to load the entry or to record the outcome; hold this entry back.
    StoreFailed,
}

/// Entries held back after store failures: when each may go again, and how many failures
/// in a row it has had.
#[derive(Default)]
struct HeldBack {
    entries: HashMap<i64, (Instant, u32)>,
}

impl HeldBack {
    fn fail(&mut self, id: i64, backoff: &Backoff) {
        let failures = self.entries.get(&id).map_or(0, |(_, n)| *n);
        let until = Instant::now() + backoff.delay(failures).max(backoff.base);
        self.entries.insert(id, (until, failures + 1));
    }

    fn release_due(&mut self) {
        let now = Instant::now();
        self.entries.retain(|_, (until, _)| *until > now);
    }

    fn contains(&self, id: i64) -> bool {
        self.entries.contains_key(&id)
    }

    fn next_release(&self) -> Option<Instant> {
        self.entries.values().map(|(until, _)| *until).min()
    }
}

async fn blocking<T: Send + 'static>(
    store: &Arc<Store>,
    work: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    let store = store.clone();
    match tokio::task::spawn_blocking(move || work(&store)).await {
        Ok(result) => result,
        Err(join_error) => Err(StoreError::TaskFailed(join_error.to_string())),
    }
}

impl<C: CaseSystem> Relay<C> {
    pub fn new(store: Arc<Store>, system: C, config: RelayConfig) -> Relay<C> {
        Relay {
            store,
            system: Arc::new(system),
            config,
        }
    }

    /// Starts the relay on the current tokio runtime.
    pub fn spawn(self) -> RelayHandle {
        let (stop, stopped) = watch::channel(false);
        let last_turn = crate::liveness::LastTurn::new();
        let task = tokio::spawn(self.run(stopped, last_turn.clone()));
        RelayHandle {
            stop,
            task,
            last_turn,
        }
    }

    async fn run(self, mut stopped: watch::Receiver<bool>, last_turn: crate::liveness::LastTurn) {
        let signal = self.store.commit_signal();
        let mut tasks: JoinSet<Finished> = JoinSet::new();
        let mut in_flight: HashSet<i64> = HashSet::new();
        let mut task_entries: HashMap<tokio::task::Id, i64> = HashMap::new();
        let mut hold_off_until: Option<Instant> = None;
        let mut held_back = HeldBack::default();
        let capacity = self.config.max_in_flight.max(1);
        loop {
            last_turn.touch();
            if hold_off_until.is_some_and(|until| Instant::now() >= until) {
                hold_off_until = None;
            }
            held_back.release_due();
            let mut wait = self.config.poll_interval;
            if let Some(release) = held_back.next_release() {
                wait = wait.min(release.saturating_duration_since(Instant::now()));
            }
            if let Some(until) = hold_off_until {
                wait = until.saturating_duration_since(Instant::now());
            } else if in_flight.len() < capacity {
                let free = capacity - in_flight.len();
                // In flight or held back: not to be picked, nor waited for.
                let mut busy = in_flight.clone();
                busy.extend(held_back.entries.keys().copied());
                let exclude = busy.clone();
                let due = blocking(&self.store, move |s| {
                    s.due_entries(now_ms(), free, &exclude)
                })
                .await;
                match due {
                    Ok(ids) => {
                        let filled = ids.len() == free;
                        for id in ids {
                            in_flight.insert(id);
                            busy.insert(id);
                            let task = deliver(
                                self.store.clone(),
                                self.system.clone(),
                                self.config.clone(),
                                id,
                            );
                            task_entries.insert(tasks.spawn(task).id(), id);
                        }
                        if !filled {
                            wait = wait.min(self.until_next_due(busy).await);
                        }
                    }
                    Err(e) => tracing::error!(error = %e, "outbox query failed"),
                }
            }
            tokio::select! {
                Some(joined) = tasks.join_next_with_id(), if !tasks.is_empty() => {
                    // A failed task leaves its entry pending in the database; it is picked up again.
                    let task_id = match &joined {
                        Ok((task_id, _)) => *task_id,
                        Err(error) => error.id(),
                    };
                    let id = task_entries.remove(&task_id);
                    if let Some(id) = id {
                        in_flight.remove(&id);
                    }
                    match (joined, id) {
                        (Ok((_, Finished::HoldOff(delay))), _) => {
                            hold_off_until = Some(Instant::now() + delay);
                        }
                        // A task that failed outright is store trouble too: hold it back.
                        (Ok((_, Finished::StoreFailed)) | Err(_), Some(id)) => {
                            held_back.fail(id, &self.config.store_backoff);
                        }
                        (Ok((_, Finished::Done)), Some(id)) if held_back.contains(id) => {
                            held_back.entries.remove(&id);
                        }
                        _ => {}
                    }
                }
                _ = signal.notified() => {}
                _ = tokio::time::sleep(wait) => {}
                _ = stopped.changed() => break,
            }
        }
        tasks.shutdown().await;
    }

    /// Time until the earliest pending entry not in `busy` (in flight or held back) is due,
    /// capped by the poll interval.
    async fn until_next_due(&self, busy: HashSet<i64>) -> Duration {
        let next = blocking(&self.store, move |s| s.next_due_at_excluding(&busy)).await;
        match next {
            Ok(Some(at)) => Duration::from_millis((at - now_ms()).max(0) as u64),
            Ok(None) => self.config.poll_interval,
            Err(e) => {
                tracing::error!(error = %e, "outbox query failed");
                self.config.poll_interval
            }
        }
        .min(self.config.poll_interval)
    }
}

/// One delivery attempt of one entry, and the resulting state change in the store.
async fn deliver<C: CaseSystem>(
    store: Arc<Store>,
    system: Arc<C>,
    config: RelayConfig,
    id: i64,
) -> Finished {
    let item = match blocking(&store, move |s| s.load_for_delivery(id)).await {
        Ok(item) => item,
        Err(StoreError::Decrypt { receipt }) => {
            tracing::error!(outbox_id = id, %receipt, "stored data does not decrypt; parking");
            let reason = "stored data does not decrypt with the kiosk key".to_string();
            return recorded(
                blocking(&store, move |s| s.park(id, &reason)).await,
                Finished::Done,
            );
        }
        Err(StoreError::NewerAttachmentRole { receipt, role }) => {
            // After a rollback: parked with its data intact; once the newer version is back,
            // staff retry it from the outbox screen.
            tracing::error!(outbox_id = id, %receipt, %role, "written by a newer version; parking");
            let reason = format!(
                "written by a newer kiosk version (attachment kind {role}): update the kiosk, then retry"
            );
            return recorded(
                blocking(&store, move |s| s.park(id, &reason)).await,
                Finished::Done,
            );
        }
        Err(e) => {
            tracing::error!(outbox_id = id, error = %e, "cannot load outbox entry; held back");
            return Finished::StoreFailed;
        }
    };
    let wire = WireSubmission::from_item(&config.kiosk_id, &item);
    let outcome = system.submit(&item.idempotency_key, &wire).await;
    let receipt = item.receipt_number.clone();
    let mut finished = Finished::Done;
    let result = match outcome {
        SubmitOutcome::Delivered {
            case_number,
            status,
        } => {
            tracing::info!(%receipt, case_number = case_number.as_deref().unwrap_or("-"), "delivered");
            blocking(&store, move |s| {
                s.mark_delivered(id, case_number.as_deref(), status.as_deref())
            })
            .await
        }
        SubmitOutcome::Rejected { status, reason } => {
            tracing::warn!(%receipt, status, "rejected by the case system; parked for staff");
            let reason = format!("HTTP {status}: {reason}");
            blocking(&store, move |s| s.park(id, &reason)).await
        }
        SubmitOutcome::Conflict { reason } => {
            tracing::warn!(%receipt, "idempotency key conflict; parked for staff");
            let reason = format!("HTTP 409: {reason}");
            blocking(&store, move |s| s.park(id, &reason)).await
        }
        SubmitOutcome::RetryAfter { delay, reason } => {
            tracing::info!(%receipt, delay_ms = delay.as_millis() as u64, "case system asked to retry later");
            finished = Finished::HoldOff(delay);
            let at = now_ms() + delay.as_millis() as i64;
            blocking(&store, move |s| s.schedule_retry(id, at, &reason)).await
        }
        SubmitOutcome::Transient { reason } => {
            let delay = config.backoff.delay(item.attempts);
            tracing::info!(%receipt, attempts = item.attempts + 1, delay_ms = delay.as_millis() as u64, "delivery failed; will retry");
            let at = now_ms() + delay.as_millis() as i64;
            blocking(&store, move |s| s.schedule_retry(id, at, &reason)).await
        }
    };
    recorded(result, finished)
}

/// `finished`, or [`Finished::StoreFailed`] when the outcome could not be recorded.
fn recorded(result: Result<(), StoreError>, finished: Finished) -> Finished {
    match result {
        Ok(()) => finished,
        Err(e) => {
            tracing::error!(error = %e, "cannot record the delivery outcome; held back, then sent again");
            Finished::StoreFailed
        }
    }
}
