//! The progress query (进度查询): a receipt number or the receipt's QR code, then the ID
//! card to prove it is the applicant's, then the case system's state (or the last cached
//! state and its age when the kiosk is offline). Pure, like the journey: the adapter carries
//! out the [`ProgressEffect`]s and feeds the results back as [`ProgressEvent`]s.

mod entry;
mod labels;

pub use entry::{parse_entry, parse_notary_receipt, ReceiptRef};
pub use labels::{
    next_step, stages, stages_done, state_label, HELD_AT_KIOSK, PENDING_FORWARD, UNKNOWN_AT_OFFICE,
};

use super::applicant::{identity_matches, IdDigestKey};
use super::mask::mask_id_number;
use crate::domain::{bi, Bilingual};
use chrono::{DateTime, FixedOffset};
use std::fmt;

#[derive(Clone, PartialEq, Eq)]
pub enum ProgressCommand {
    /// A typed receipt number or the text of a scanned QR code (validated here).
    Enter(String),
    RetryCard,
    /// Ask the case system again (after an offline answer).
    Refresh,
    Back,
    Cancel,
}

impl fmt::Debug for ProgressCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProgressCommand::Enter(text) => write!(f, "Enter({} chars)", text.chars().count()),
            ProgressCommand::RetryCard => f.write_str("RetryCard"),
            ProgressCommand::Refresh => f.write_str("Refresh"),
            ProgressCommand::Back => f.write_str("Back"),
            ProgressCommand::Cancel => f.write_str("Cancel"),
        }
    }
}

/// The ID number read from the card placed to prove identity. `Debug` is masked.
#[derive(Clone, PartialEq, Eq)]
pub struct CardHolder {
    pub id_number: String,
}

impl fmt::Debug for CardHolder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CardHolder({})", mask_id_number(&self.id_number))
    }
}

/// What waiting for the ID card came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProgressCard {
    Read(CardHolder),
    /// A card was there but could not be read (moved too early, damaged).
    Unreadable,
    /// Nobody placed a card in time.
    NotPlaced,
    /// No reader fitted, or it is out of order.
    ReaderUnavailable,
}

/// What the store knows about a submission (never the ID number itself).
#[derive(Clone, PartialEq, Eq)]
pub struct RecordedSubmission {
    pub receipt_number: String,
    pub id_number_digest: String,
    pub matter_name: Bilingual,
}

impl fmt::Debug for RecordedSubmission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RecordedSubmission({})", self.receipt_number)
    }
}

/// A case state as the case system (or, before delivery, the kiosk) reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseStatus {
    /// The case system's code, e.g. "received", "accepted", "supplement_required".
    pub state: String,
    pub case_number: Option<String>,
    pub updated_at: DateTime<FixedOffset>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusAnswer {
    Online(CaseStatus),
    /// The case system cannot be reached; the last state fetched and when, if any.
    Offline {
        cached: Option<(CaseStatus, DateTime<FixedOffset>)>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProgressEvent {
    /// Answer to `LookupSubmission`; `None` when the store has no such notary receipt.
    SubmissionFound(Option<RecordedSubmission>),
    Card(ProgressCard),
    Status(StatusAnswer),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProgressEffect {
    LookupSubmission(ReceiptRef),
    AwaitCard,
    StopAwaitingCard,
    FetchStatus { receipt_number: String },
    Exit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressStep {
    Enter,
    LookingUp,
    AwaitCard,
    Fetching,
    Shown,
}

/// What the status screen shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusView {
    pub matter_name: Bilingual,
    pub receipt_number: String,
    pub state: Bilingual,
    pub case_number: Option<String>,
    pub updated_at: Option<DateTime<FixedOffset>>,
    /// How many of [`stages`] are done; `None` off the usual way.
    pub stages_done: Option<usize>,
    pub next_step: Option<Bilingual>,
    /// Offline: how old the shown state is.
    pub staleness: Option<Bilingual>,
    /// Offline with nothing cached: no state to show, only the retry.
    pub unreachable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressView {
    pub step: ProgressStep,
    /// The receipt found in the store (from the card step on).
    pub receipt_number: Option<String>,
    pub message: Option<Bilingual>,
    pub status: Option<StatusView>,
}

#[derive(Debug)]
pub struct ProgressQuery {
    key: IdDigestKey,
    step: ProgressStep,
    record: Option<RecordedSubmission>,
    status: Option<StatusView>,
    message: Option<Bilingual>,
}

impl ProgressQuery {
    pub fn new(key: IdDigestKey) -> ProgressQuery {
        ProgressQuery {
            key,
            step: ProgressStep::Enter,
            record: None,
            status: None,
            message: None,
        }
    }

    pub fn wipe(&mut self) {
        self.step = ProgressStep::Enter;
        self.record = None;
        self.status = None;
        self.message = None;
    }

    pub fn holds_personal_data(&self) -> bool {
        self.record.is_some() || self.status.is_some()
    }

    pub fn view(&self) -> ProgressView {
        ProgressView {
            step: self.step,
            receipt_number: self.record.as_ref().map(|r| r.receipt_number.clone()),
            message: self.message.clone(),
            status: self.status.clone(),
        }
    }

    pub fn command(&mut self, command: ProgressCommand) -> Vec<ProgressEffect> {
        self.message = None;
        match command {
            ProgressCommand::Enter(text) if self.step == ProgressStep::Enter => {
                match parse_entry(&text) {
                    Some(reference) => {
                        self.step = ProgressStep::LookingUp;
                        vec![ProgressEffect::LookupSubmission(reference)]
                    }
                    None => {
                        self.message = Some(bi(
                            "回执编号格式不对，应类似 GZ-20261122-0042，请核对回执后重新输入。",
                            "That is not a receipt number; it looks like GZ-20261122-0042. Please check the receipt.",
                        ));
                        vec![]
                    }
                }
            }
            ProgressCommand::RetryCard if self.step == ProgressStep::AwaitCard => {
                vec![ProgressEffect::AwaitCard]
            }
            ProgressCommand::Refresh if self.step == ProgressStep::Shown => match &self.record {
                Some(record) => {
                    let receipt_number = record.receipt_number.clone();
                    self.status = None;
                    self.step = ProgressStep::Fetching;
                    vec![ProgressEffect::FetchStatus { receipt_number }]
                }
                None => vec![],
            },
            ProgressCommand::Back => match self.step {
                ProgressStep::Enter => self.cancel(),
                ProgressStep::AwaitCard => {
                    self.wipe();
                    vec![ProgressEffect::StopAwaitingCard]
                }
                ProgressStep::LookingUp | ProgressStep::Fetching | ProgressStep::Shown => {
                    self.wipe();
                    vec![]
                }
            },
            ProgressCommand::Cancel => self.cancel(),
            _ => vec![],
        }
    }

    pub fn event(
        &mut self,
        event: ProgressEvent,
        now: DateTime<FixedOffset>,
    ) -> Vec<ProgressEffect> {
        match (self.step, event) {
            (ProgressStep::LookingUp, ProgressEvent::SubmissionFound(found)) => match found {
                Some(record) => {
                    self.record = Some(record);
                    self.step = ProgressStep::AwaitCard;
                    vec![ProgressEffect::AwaitCard]
                }
                None => {
                    self.step = ProgressStep::Enter;
                    self.message = Some(bi(
                        "没有找到这个回执。请核对编号；只能查询在本机提交的公证申请。",
                        "No notary application made at this kiosk has this receipt. Please check the number.",
                    ));
                    vec![]
                }
            },
            (ProgressStep::AwaitCard, ProgressEvent::Card(card)) => self.card(card),
            (ProgressStep::Fetching, ProgressEvent::Status(answer)) => {
                self.show(answer, now);
                vec![]
            }
            _ => vec![],
        }
    }

    fn cancel(&mut self) -> Vec<ProgressEffect> {
        let mut effects = Vec::new();
        if self.step == ProgressStep::AwaitCard {
            effects.push(ProgressEffect::StopAwaitingCard);
        }
        self.wipe();
        effects.push(ProgressEffect::Exit);
        effects
    }

    fn card(&mut self, card: ProgressCard) -> Vec<ProgressEffect> {
        let holder = match card {
            ProgressCard::Read(holder) => holder,
            ProgressCard::Unreadable => {
                self.message = Some(bi(
                    "未能读取身份证，请将身份证平放在读卡器上，不要移动，然后点“重新读卡”。",
                    "The ID card could not be read. Lay it flat on the reader, keep it still and tap \"Read again\".",
                ));
                return vec![];
            }
            ProgressCard::NotPlaced => {
                self.message = Some(bi(
                    "没有检测到身份证。请放好身份证后点“重新读卡”。",
                    "No ID card was placed. Place it on the reader and tap \"Read again\".",
                ));
                return vec![];
            }
            ProgressCard::ReaderUnavailable => {
                self.message = Some(bi(
                    "身份证读卡器暂时无法使用，请联系工作人员或致电公证处查询。",
                    "The ID-card reader is out of order; ask staff or phone the office.",
                ));
                return vec![];
            }
        };
        let Some(record) = &self.record else {
            return vec![];
        };
        if identity_matches(&record.id_number_digest, &self.key, &holder.id_number) {
            self.step = ProgressStep::Fetching;
            vec![ProgressEffect::FetchStatus {
                receipt_number: record.receipt_number.clone(),
            }]
        } else {
            self.message = Some(bi(
                "该身份证与申请人不一致，只有申请人本人可以查询。",
                "This ID card is not the applicant's; only the applicant may check progress.",
            ));
            vec![]
        }
    }

    fn show(&mut self, answer: StatusAnswer, now: DateTime<FixedOffset>) {
        let Some(record) = &self.record else {
            return;
        };
        let (status, staleness) = match answer {
            StatusAnswer::Online(status) => (Some(status), None),
            StatusAnswer::Offline {
                cached: Some((status, fetched_at)),
            } => (Some(status), Some(labels::staleness(now, fetched_at))),
            StatusAnswer::Offline { cached: None } => (None, None),
        };
        let unknown = |state| StatusView {
            matter_name: record.matter_name.clone(),
            receipt_number: record.receipt_number.clone(),
            state,
            case_number: None,
            updated_at: None,
            stages_done: None,
            next_step: None,
            staleness: None,
            unreachable: true,
        };
        self.status = Some(match status {
            Some(status) => StatusView {
                state: state_label(&status.state),
                case_number: status.case_number,
                updated_at: Some(status.updated_at),
                stages_done: stages_done(&status.state),
                next_step: next_step(&status.state),
                staleness,
                unreachable: false,
                ..unknown(Bilingual::default())
            },
            None => unknown(bi(
                "暂时无法连接公证处系统，本机也没有该申请的状态记录。请稍后再查或致电公证处。",
                "The office's system cannot be reached and the kiosk has no earlier state of this application. Try again later or phone the office.",
            )),
        });
        self.step = ProgressStep::Shown;
    }
}

#[cfg(test)]
mod tests;
