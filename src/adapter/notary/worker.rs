//! Carries out the journey's effects off the UI thread: the ID reader is polled with short
//! attempts (the device mutex is released between them so the health monitor is not
//! starved), the camera captures, the store commits, the printer prints. Answers wait in a
//! channel that the UI thread drains; each carries the generation of the citizen it belongs
//! to, so an answer for someone who has left is dropped.

use crate::codec::escpos_status::PrinterStatus;
use crate::codec::sam::SamStatus;
use crate::core::notary::journey::{
    CaptureFailed, CardEvent, Event, FingerprintResult, PrintFailure, RatingRecord, SubmitFailure,
};
use crate::core::notary::payload::SubmissionReceipt;
use crate::core::notary::{to_printer_receipt, Applicant, NotaryReceiptLine, Submission};
use crate::domain::{NewSubmission, SubmissionKind};
use crate::forward::HttpCaseSystem;
use crate::hal::idcard::IdCardError;
use crate::hal::manager::{DeviceMonitor, Devices};
use crate::hal::printer::PrintError;
use crate::store::{Store, StoreError};
use chrono::NaiveDate;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Pause between two looks for a card; each look is one short reader round trip.
const CARD_POLL: Duration = Duration::from_millis(150);
/// Reader failures in a row before the reader is reported as not working.
const READER_FAILURES: u32 = 5;

/// A device the current step needs is missing or broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    IdReader,
    Printer,
}

pub enum Answer {
    Event(Event),
    Missing(Missing),
}

struct Delivered {
    generation: u64,
    answer: Answer,
}

pub struct EffectRunner {
    devices: Option<DeviceMonitor>,
    store: Option<Arc<Store>>,
    case_system: Option<Arc<HttpCaseSystem>>,
    outbox: Sender<Delivered>,
    inbox: Receiver<Delivered>,
    card_wait: Option<Arc<AtomicBool>>,
}

impl EffectRunner {
    pub fn new(
        devices: Option<DeviceMonitor>,
        store: Option<Arc<Store>>,
        case_system: Option<Arc<HttpCaseSystem>>,
    ) -> EffectRunner {
        let (outbox, inbox) = channel();
        EffectRunner {
            devices,
            store,
            case_system,
            outbox,
            inbox,
            card_wait: None,
        }
    }

    /// Answers that have arrived for `generation` (older ones are dropped).
    pub fn ready(&self, generation: u64) -> Vec<Answer> {
        self.inbox
            .try_iter()
            .filter(|d| d.generation == generation)
            .map(|d| d.answer)
            .collect()
    }

    /// Waits up to `timeout` for the first answer for `generation`, then takes what else
    /// has arrived (screenshots and tests need answers at a known moment).
    pub fn wait(&self, generation: u64, timeout: Duration) -> Vec<Answer> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.inbox.recv_timeout(left) {
                Ok(d) if d.generation == generation => {
                    let mut answers = vec![d.answer];
                    answers.extend(self.ready(generation));
                    return answers;
                }
                Ok(_) => continue,
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                    return Vec::new()
                }
            }
        }
    }

    fn spawn(&self, name: &str, generation: u64, job: impl FnOnce() -> Answer + Send + 'static) {
        let outbox = self.outbox.clone();
        let spawned = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                let answer = job();
                // The UI may be gone (shutdown): nothing left to tell.
                let _ = outbox.send(Delivered { generation, answer });
            });
        if let Err(error) = spawned {
            tracing::error!(%error, thread = name, "cannot start a notary worker thread");
        }
    }

    pub fn stop_awaiting_card(&mut self) {
        if let Some(stop) = self.card_wait.take() {
            stop.store(true, Ordering::SeqCst);
        }
    }

    pub fn await_card(&mut self, generation: u64) {
        self.stop_awaiting_card();
        let Some(devices) = self.reader_devices() else {
            self.tell(generation, Answer::Missing(Missing::IdReader));
            return;
        };
        let stop = Arc::new(AtomicBool::new(false));
        self.card_wait = Some(Arc::clone(&stop));
        let outbox = self.outbox.clone();
        let spawned = std::thread::Builder::new()
            .name("notary-card".into())
            .spawn(move || {
                if let Some(answer) = poll_for_card(&devices, &stop) {
                    let _ = outbox.send(Delivered { generation, answer });
                }
            });
        if let Err(error) = spawned {
            tracing::error!(%error, "cannot start the card reader thread");
        }
    }

    fn reader_devices(&self) -> Option<Arc<Mutex<Devices>>> {
        let monitor = self.devices.as_ref()?;
        let fitted = lock(&monitor.devices)?.id_reader.is_some();
        fitted.then(|| Arc::clone(&monitor.devices))
    }

    fn tell(&self, generation: u64, answer: Answer) {
        let _ = self.outbox.send(Delivered { generation, answer });
    }

    /// No matcher for the card's fingerprint is fitted (see `setup`): the check fails and
    /// the applicant may skip it.
    pub fn verify_fingerprint(&self, generation: u64) {
        self.tell(
            generation,
            Answer::Event(Event::Fingerprint(FingerprintResult::Failed)),
        );
    }

    pub fn capture(&self, generation: u64, material_id: String) {
        let devices = self.devices.as_ref().map(|d| Arc::clone(&d.devices));
        self.spawn("notary-camera", generation, move || {
            let result = devices
                .as_ref()
                .and_then(|d| lock(d))
                .and_then(|mut d| d.camera.as_mut().map(|c| c.capture_jpeg()))
                .map_or(Err(CaptureFailed), |r| {
                    r.map_err(|error| {
                        tracing::warn!(%error, "document capture failed");
                        CaptureFailed
                    })
                });
            Answer::Event(Event::DocumentCaptured {
                material_id,
                result,
            })
        });
    }

    /// Asks the office for its free appointment times; any failure is "unavailable".
    pub fn fetch_slots(&self, generation: u64, matter_id: String, from: NaiveDate, days: u32) {
        let system = self.case_system.clone();
        self.spawn("notary-slots", generation, move || {
            Answer::Event(Event::Slots(super::slots::fetch(
                system.as_deref(),
                &matter_id,
                from,
                days,
            )))
        });
    }

    pub fn submit(&self, generation: u64, submission: Submission) {
        let store = self.store.clone();
        self.spawn("notary-submit", generation, move || {
            Answer::Event(Event::Submitted(commit_application(
                store.as_deref(),
                submission,
            )))
        });
    }

    pub fn print(&self, generation: u64, lines: Vec<NotaryReceiptLine>) {
        let devices = self.devices.as_ref().map(|d| Arc::clone(&d.devices));
        self.spawn("notary-print", generation, move || {
            let mut guard = match devices.as_ref().and_then(|d| lock(d)) {
                Some(guard) => guard,
                None => return Answer::Missing(Missing::Printer),
            };
            let Some(printer) = guard.printer.as_mut() else {
                return Answer::Missing(Missing::Printer);
            };
            let result = printer.print(&to_printer_receipt(&lines));
            drop(guard);
            Answer::Event(Event::Printed(result.map(|_| ()).map_err(|error| {
                tracing::warn!(%error, "receipt not printed");
                print_failure(&error)
            })))
        });
    }

    /// Fire and forget: a rating that cannot be stored is logged, never shown.
    pub fn submit_rating(&self, record: RatingRecord) {
        let Some(store) = self.store.clone() else {
            tracing::warn!("no store: rating not kept");
            return;
        };
        let spawned = std::thread::Builder::new()
            .name("notary-rating".into())
            .spawn(move || {
                let payload = match serde_json::to_value(&record) {
                    Ok(payload) => payload,
                    Err(error) => return tracing::error!(%error, "rating not serialisable"),
                };
                let committed = store.commit_submission(NewSubmission {
                    kind: SubmissionKind::Rating,
                    payload,
                    attachments: Vec::new(),
                    progress_index: None,
                });
                if let Err(error) = committed {
                    tracing::error!(%error, "rating could not be stored");
                }
            });
        if let Err(error) = spawned {
            tracing::error!(%error, "cannot start the rating thread");
        }
    }
}

impl Drop for EffectRunner {
    fn drop(&mut self) {
        self.stop_awaiting_card();
    }
}

fn lock(devices: &Mutex<Devices>) -> Option<MutexGuard<'_, Devices>> {
    devices.lock().ok()
}

/// One look at a time until a card is read or `stop` is set; `None` when stopped.
fn poll_for_card(devices: &Mutex<Devices>, stop: &AtomicBool) -> Option<Answer> {
    let mut failures = 0;
    while !stop.load(Ordering::SeqCst) {
        let attempt = {
            let mut guard = lock(devices)?;
            let reader = &mut guard.id_reader.as_mut()?.driver;
            match reader.find_card() {
                Ok(true) => Some(reader.select_card().and_then(|()| reader.read_card(false))),
                Ok(false) => None,
                Err(error) => Some(Err(error)),
            }
        };
        match attempt {
            None => failures = 0,
            Some(Ok(read)) => {
                let event = match Applicant::from_identity(&read.identity) {
                    Some(applicant) => CardEvent::Read(Box::new(applicant)),
                    None => CardEvent::Unreadable,
                };
                return Some(Answer::Event(Event::Card(event)));
            }
            Some(Err(error)) => match card_problem(&error) {
                Some(event) => return Some(Answer::Event(Event::Card(event))),
                None => {
                    failures += 1;
                    tracing::warn!(%error, failures, "ID reader failed");
                    if failures >= READER_FAILURES {
                        return Some(Answer::Missing(Missing::IdReader));
                    }
                }
            },
        }
        std::thread::sleep(CARD_POLL);
    }
    None
}

/// What the citizen can fix by placing the card again; `None` for a reader fault.
fn card_problem(error: &IdCardError) -> Option<CardEvent> {
    match error {
        // 0x41: the card left the field during the read.
        IdCardError::Status(SamStatus::ReadCardFailed) => Some(CardEvent::RemovedEarly),
        IdCardError::TornFrame { .. } => Some(CardEvent::RemovedEarly),
        e if e.is_card_problem() => Some(CardEvent::Unreadable),
        _ => None,
    }
}

fn print_failure(error: &PrintError) -> PrintFailure {
    let from_status = |status: &PrinterStatus| {
        if status.paper_out {
            PrintFailure::OutOfPaper
        } else if status.cover_open {
            PrintFailure::CoverOpen
        } else if status.offline {
            PrintFailure::Offline
        } else {
            PrintFailure::Failed
        }
    };
    match error {
        PrintError::NotReady { status } | PrintError::Interrupted { status, .. } => {
            from_status(status)
        }
        PrintError::Absent { .. } | PrintError::Disconnected { .. } | PrintError::NoStatusReply => {
            PrintFailure::Offline
        }
        _ => PrintFailure::Failed,
    }
}

/// Commits the application with its captured images; only a committed one gets a receipt.
fn commit_application(
    store: Option<&Store>,
    submission: Submission,
) -> Result<SubmissionReceipt, SubmitFailure> {
    let Some(store) = store else {
        tracing::error!("no store: the application cannot be kept");
        return Err(SubmitFailure::StorageFailed);
    };
    let submission = submission.into_new_submission().map_err(|error| {
        tracing::error!(%error, "application not serialisable");
        SubmitFailure::StorageFailed
    })?;
    store
        .commit_submission(submission)
        .map(|receipt| SubmissionReceipt {
            number: receipt.number,
            token: receipt.token,
        })
        .map_err(|error| {
            tracing::error!(%error, "application could not be stored");
            match error {
                StoreError::DiskNearlyFull { .. } => SubmitFailure::StorageFull,
                _ => SubmitFailure::StorageFailed,
            }
        })
}
