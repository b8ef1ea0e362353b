//! The progress query's I/O off the UI thread: store look-ups, the ID-card reader and the
//! case system, one request at a time on a worker thread with its own small tokio runtime.
//! Replies carry the generation they were asked in; the UI drops replies of an abandoned
//! query, and a card wait notices the new generation within one poll and stops.

use crate::core::notary::progress::{
    CardHolder, CaseStatus, ProgressCard, ReceiptRef, RecordedSubmission, StatusAnswer,
    HELD_AT_KIOSK, PENDING_FORWARD, UNKNOWN_AT_OFFICE,
};
use crate::domain::Bilingual;
use crate::forward::{lookup_status, HttpCaseSystem, StatusLookup, STATUS_TIMEOUT};
use crate::hal::idcard::{IdCardError, IdCardReader};
use crate::hal::manager::DeviceMonitor;
use crate::store::{ProgressRecord, ReceiptLookup, Store};
use chrono::{DateTime, FixedOffset, Local, TimeZone};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long the kiosk waits for a card to be placed.
const CARD_WAIT: Duration = Duration::from_secs(30);
/// Between two looks for a card; the device lock is released in between, so the health
/// monitor and other services are never held up by a waiting citizen.
const CARD_POLL: Duration = Duration::from_millis(250);
/// Reader errors in a row (no answer, torn frames) before it counts as out of order.
const READER_ERRORS_TOLERATED: u32 = 3;

pub enum Request {
    Lookup(ReceiptRef),
    ReadCard,
    Fetch { receipt_number: String },
}

pub enum Reply {
    Found(Option<RecordedSubmission>),
    Card(ProgressCard),
    Status(StatusAnswer),
}

/// What the worker uses; each part may be missing (screenshots, a kiosk without a reader).
pub struct Services {
    pub store: Option<Arc<Store>>,
    pub devices: Option<DeviceMonitor>,
    pub case_system: Option<Arc<HttpCaseSystem>>,
}

pub struct Worker {
    requests: Sender<(u64, Request)>,
    replies: Receiver<(u64, Reply)>,
    generation: Arc<AtomicU64>,
}

impl Worker {
    pub fn start(services: Services) -> Worker {
        let (requests, inbox) = channel::<(u64, Request)>();
        let (outbox, replies) = channel();
        let generation = Arc::new(AtomicU64::new(0));
        let current = generation.clone();
        let spawned = std::thread::Builder::new()
            .name("progress-query".into())
            .spawn(move || serve(&services, &current, &inbox, &outbox));
        if let Err(error) = spawned {
            tracing::error!(%error, "cannot start the progress query thread");
        }
        Worker {
            requests,
            replies,
            generation,
        }
    }

    pub fn send(&self, request: Request) {
        let generation = self.generation.load(Ordering::SeqCst);
        if self.requests.send((generation, request)).is_err() {
            tracing::error!("the progress query thread has stopped");
        }
    }

    /// Abandons whatever is under way (a card wait stops at its next poll).
    pub fn abandon(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Replies of the current query that have arrived, without waiting.
    pub fn ready(&self) -> Vec<Reply> {
        let current = self.generation.load(Ordering::SeqCst);
        self.replies
            .try_iter()
            .filter(|(generation, _)| *generation == current)
            .map(|(_, reply)| reply)
            .collect()
    }
}

impl Drop for Worker {
    /// A card wait stops at once instead of running out its time after the UI is gone.
    fn drop(&mut self) {
        self.abandon();
    }
}

fn serve(
    services: &Services,
    current: &AtomicU64,
    inbox: &Receiver<(u64, Request)>,
    outbox: &Sender<(u64, Reply)>,
) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| tracing::error!(%error, "progress query runtime unavailable"))
        .ok();
    for (generation, request) in inbox {
        if generation != current.load(Ordering::SeqCst) {
            continue;
        }
        let reply = match request {
            Request::Lookup(reference) => {
                Reply::Found(look_up(services.store.as_deref(), &reference))
            }
            Request::ReadCard => {
                let abandoned = || current.load(Ordering::SeqCst) != generation;
                Reply::Card(read_card(services.devices.as_ref(), &abandoned))
            }
            Request::Fetch { receipt_number } => Reply::Status(match &runtime {
                Some(runtime) => runtime.block_on(fetch(services, &receipt_number)),
                None => StatusAnswer::Offline {
                    cached: cached(services.store.as_deref(), &receipt_number),
                },
            }),
        };
        if outbox.send((generation, reply)).is_err() {
            return;
        }
    }
}

fn record(services: Option<&Store>, lookup: ReceiptLookup<'_>) -> Option<ProgressRecord> {
    services?.progress_record(lookup).unwrap_or_else(|error| {
        tracing::error!(%error, "progress look-up failed in the store");
        None
    })
}

fn look_up(store: Option<&Store>, reference: &ReceiptRef) -> Option<RecordedSubmission> {
    let lookup = match reference {
        ReceiptRef::Number(number) => ReceiptLookup::Number(number),
        ReceiptRef::Token(token) => ReceiptLookup::Token(token),
    };
    let found = record(store, lookup)?;
    Some(RecordedSubmission {
        receipt_number: found.receipt_number,
        id_number_digest: found.id_number_digest,
        matter_name: Bilingual::new(found.matter_zh, found.matter_en),
    })
}

/// Waits for a card with short attempts, holding the device lock only for each attempt.
fn read_card(devices: Option<&DeviceMonitor>, abandoned: &dyn Fn() -> bool) -> ProgressCard {
    let Some(monitor) = devices else {
        return ProgressCard::ReaderUnavailable;
    };
    let deadline = Instant::now() + CARD_WAIT;
    let mut errors = 0;
    while !abandoned() {
        match try_read(monitor) {
            None => return ProgressCard::ReaderUnavailable,
            Some(Ok(Some(holder))) => return ProgressCard::Read(holder),
            Some(Ok(None)) => errors = 0,
            Some(Err(error)) if error.is_card_problem() => return ProgressCard::Unreadable,
            Some(Err(IdCardError::Absent)) => return ProgressCard::ReaderUnavailable,
            Some(Err(error)) => {
                errors += 1;
                tracing::warn!(%error, errors, "ID-card reader error while waiting for a card");
                if errors >= READER_ERRORS_TOLERATED {
                    return ProgressCard::ReaderUnavailable;
                }
            }
        }
        if Instant::now() + CARD_POLL > deadline {
            return ProgressCard::NotPlaced;
        }
        std::thread::sleep(CARD_POLL);
    }
    ProgressCard::NotPlaced
}

/// One look for a card: `None` when no reader is fitted, `Ok(None)` when no card is there.
fn try_read(monitor: &DeviceMonitor) -> Option<Result<Option<CardHolder>, IdCardError>> {
    let mut devices = monitor
        .devices
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let reader = devices.id_reader.as_mut()?;
    Some(read_if_placed(reader.driver.as_mut()))
}

fn read_if_placed(reader: &mut dyn IdCardReader) -> Result<Option<CardHolder>, IdCardError> {
    if !reader.find_card()? {
        return Ok(None);
    }
    reader.select_card()?;
    let read = reader.read_card(false)?;
    Ok(Some(CardHolder {
        id_number: read.identity.id_number,
    }))
}

/// Asks the office; falls back to what the kiosk knows itself, then to the cache.
async fn fetch(services: &Services, receipt_number: &str) -> StatusAnswer {
    let store = services.store.as_deref();
    let Some(found) = record(store, ReceiptLookup::Number(receipt_number)) else {
        return StatusAnswer::Offline { cached: None };
    };
    let lookup = match &services.case_system {
        Some(system) => {
            lookup_status(system.as_ref(), &found.idempotency_key, STATUS_TIMEOUT).await
        }
        None => StatusLookup::Unreachable {
            reason: "no case system configured".into(),
        },
    };
    let local = |state: &str| {
        StatusAnswer::Online(CaseStatus {
            state: state.into(),
            case_number: None,
            updated_at: from_ms(found.created_at_ms),
        })
    };
    match lookup {
        StatusLookup::Known(result) => {
            if let Some(store) = store {
                let cached = store.cache_status(
                    receipt_number,
                    &result.status,
                    result.case_number.as_deref(),
                    &result.received_at,
                );
                if let Err(error) = cached {
                    tracing::warn!(%error, "cannot cache the case state");
                }
            }
            StatusAnswer::Online(CaseStatus {
                updated_at: parse_time(&result.received_at)
                    .unwrap_or_else(|| from_ms(found.created_at_ms)),
                state: result.status,
                case_number: result.case_number,
            })
        }
        // Not delivered yet, or refused for good: the kiosk's own state is the truth.
        _ if found.delivery_state == "pending" => local(PENDING_FORWARD),
        _ if found.delivery_state == "parked" => local(HELD_AT_KIOSK),
        StatusLookup::Unknown => local(UNKNOWN_AT_OFFICE),
        StatusLookup::Unreachable { reason } => {
            tracing::warn!(%reason, "case system unreachable for a progress query");
            StatusAnswer::Offline {
                cached: cached(store, receipt_number),
            }
        }
    }
}

fn cached(
    store: Option<&Store>,
    receipt_number: &str,
) -> Option<(CaseStatus, DateTime<FixedOffset>)> {
    let cached = store?
        .cached_status(receipt_number)
        .unwrap_or_else(|error| {
            tracing::warn!(%error, "cannot read the status cache");
            None
        })?;
    let fetched_at = from_ms(cached.fetched_at_ms);
    let status = CaseStatus {
        updated_at: parse_time(&cached.updated_at).unwrap_or(fetched_at),
        state: cached.state,
        case_number: cached.case_number,
    };
    Some((status, fetched_at))
}

fn parse_time(text: &str) -> Option<DateTime<FixedOffset>> {
    let at = DateTime::parse_from_rfc3339(text).ok()?;
    Some(at.with_timezone(&Local).fixed_offset())
}

fn from_ms(ms: i64) -> DateTime<FixedOffset> {
    Local
        .timestamp_millis_opt(ms)
        .single()
        .unwrap_or_else(Local::now)
        .fixed_offset()
}
