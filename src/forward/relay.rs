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
}

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
        }
    }

    pub fn new(kiosk_id: &str) -> RelayConfig {
        RelayConfig {
            kiosk_id: kiosk_id.into(),
            max_in_flight: 4,
            backoff: Backoff::default(),
            poll_interval: Duration::from_secs(5),
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
        let task = tokio::spawn(self.run(stopped));
        RelayHandle { stop, task }
    }

    async fn run(self, mut stopped: watch::Receiver<bool>) {
        let signal = self.store.commit_signal();
        let mut tasks: JoinSet<Finished> = JoinSet::new();
        let mut in_flight: HashSet<i64> = HashSet::new();
        let mut task_entries: HashMap<tokio::task::Id, i64> = HashMap::new();
        let mut hold_off_until: Option<Instant> = None;
        let capacity = self.config.max_in_flight.max(1);
        loop {
            if hold_off_until.is_some_and(|until| Instant::now() >= until) {
                hold_off_until = None;
            }
            let mut wait = self.config.poll_interval;
            if let Some(until) = hold_off_until {
                wait = until.saturating_duration_since(Instant::now());
            } else if in_flight.len() < capacity {
                let free = capacity - in_flight.len();
                let exclude = in_flight.clone();
                let due = blocking(&self.store, move |s| {
                    s.due_entries(now_ms(), free, &exclude)
                })
                .await;
                match due {
                    Ok(ids) => {
                        let filled = ids.len() == free;
                        for id in ids {
                            in_flight.insert(id);
                            let task = deliver(
                                self.store.clone(),
                                self.system.clone(),
                                self.config.clone(),
                                id,
                            );
                            task_entries.insert(tasks.spawn(task).id(), id);
                        }
                        if !filled {
                            wait = wait.min(self.until_next_due(&in_flight).await);
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
                    if let Some(id) = task_entries.remove(&task_id) {
                        in_flight.remove(&id);
                    }
                    if let Ok((_, Finished::HoldOff(delay))) = joined {
                        hold_off_until = Some(Instant::now() + delay);
                    }
                }
                _ = signal.notified() => {}
                _ = tokio::time::sleep(wait) => {}
                _ = stopped.changed() => break,
            }
        }
        tasks.shutdown().await;
    }

    /// Time until the earliest pending entry not in flight is due, capped by the poll interval.
    async fn until_next_due(&self, in_flight: &HashSet<i64>) -> Duration {
        let exclude = in_flight.clone();
        let next = blocking(&self.store, move |s| s.next_due_at_excluding(&exclude)).await;
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
            log_store_error(blocking(&store, move |s| s.park(id, &reason)).await);
            return Finished::Done;
        }
        Err(e) => {
            tracing::error!(outbox_id = id, error = %e, "cannot load outbox entry");
            return Finished::Done;
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
    log_store_error(result);
    finished
}

fn log_store_error(result: Result<(), StoreError>) {
    if let Err(e) = result {
        tracing::error!(error = %e, "cannot record the delivery outcome; the entry will be sent again");
    }
}
