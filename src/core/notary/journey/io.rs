//! What goes into the journey (commands from the UI, events from devices and the store)
//! and what comes out (effects the adapter carries out and answers with an event).

use super::super::applicant::Applicant;
use super::super::appointment::{Slot, SlotsUnavailable};
use super::super::consent::ConsentItem;
use super::super::form::FormEdit;
use super::super::jurisdiction::JurisdictionAnswer;
use super::super::parties::{ApplicantRole, PartyField};
use super::super::payload::{Submission, SubmissionReceipt};
use super::super::receipt::NotaryReceiptLine;
use super::super::signature::Point;
use crate::domain::Language;
use crate::domain::{bi, Bilingual};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use std::fmt;

/// A tap or entry on the notary screens. `Debug` hides the free-text comment.
#[derive(Clone, PartialEq, Eq)]
pub enum Command {
    SetLanguage(Language),
    /// One step back (from the first screen: leave the journey).
    Back,
    /// Abandon the journey: everything personal is wiped.
    Cancel,
    /// The screen's main button (continue / agree / submit / done).
    Next,
    SelectCategory(Option<String>),
    Search(String),
    ChooseMatter(String),
    /// A tap on the jurisdiction screen (which place is in the office's area).
    AnswerJurisdiction(JurisdictionAnswer),
    SetConsent(ConsentItem, bool),
    DeclineConsent,
    RetryCard,
    VerifyFingerprint,
    SkipFingerprint,
    Edit(FormEdit),
    /// Apply for oneself, as a guardian or as an agent (only as the matter allows).
    ChooseApplicantRole(ApplicantRole),
    /// A value of the `index`-th party (0-based) of a party role, as typed.
    SetPartyField {
        role: String,
        index: usize,
        field: PartyField,
        value: String,
    },
    /// One more party of this role (e.g. another heir).
    AddParty(String),
    /// Drop the `index`-th party of a role (down to the least the matter needs).
    RemoveParty {
        role: String,
        index: usize,
    },
    /// Capture a material with the document camera.
    Capture(String),
    /// Keep the capture being previewed.
    KeepCapture,
    /// Take the previewed material again.
    Retake,
    /// Drop a kept capture (the material goes back on the "bring" list).
    DiscardCapture(String),
    ToggleReduction(String),
    /// Look at the free times of another day.
    ChooseSlotDay(NaiveDate),
    /// Pick the free time starting then.
    ChooseSlot(DateTime<FixedOffset>),
    /// None of the times suits: the office calls to agree one.
    NoSlotSuits,
    /// Tick or untick the truthfulness promise.
    SetPromise(bool),
    /// One stroke on the signature pad, from touching to lifting the finger.
    SignatureStroke(Vec<Point>),
    /// 清除重签: wipe the ink and sign again.
    ClearSignature,
    /// 确认签名并提交.
    ConfirmSignature,
    RetryPrint,
    Rate(Rating),
    SetRatingComment(String),
}

impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::SetRatingComment(text) => {
                write!(f, "SetRatingComment({} chars)", text.chars().count())
            }
            Command::SetLanguage(l) => write!(f, "SetLanguage({l:?})"),
            Command::SelectCategory(c) => write!(f, "SelectCategory({c:?})"),
            Command::Search(q) => write!(f, "Search({q:?})"),
            Command::ChooseMatter(m) => write!(f, "ChooseMatter({m:?})"),
            Command::AnswerJurisdiction(a) => write!(f, "AnswerJurisdiction({a:?})"),
            Command::SetConsent(item, on) => write!(f, "SetConsent({item:?}, {on})"),
            Command::Edit(edit) => write!(f, "Edit({edit:?})"),
            Command::ChooseApplicantRole(r) => write!(f, "ChooseApplicantRole({r:?})"),
            Command::SetPartyField {
                role, index, field, ..
            } => write!(f, "SetPartyField({role}, {index}, {field:?}, ..)"),
            Command::AddParty(role) => write!(f, "AddParty({role})"),
            Command::RemoveParty { role, index } => write!(f, "RemoveParty({role}, {index})"),
            Command::Capture(m) => write!(f, "Capture({m:?})"),
            Command::DiscardCapture(m) => write!(f, "DiscardCapture({m:?})"),
            Command::ToggleReduction(r) => write!(f, "ToggleReduction({r:?})"),
            Command::SetPromise(on) => write!(f, "SetPromise({on})"),
            Command::SignatureStroke(points) => {
                write!(f, "SignatureStroke({} points)", points.len())
            }
            Command::ClearSignature => f.write_str("ClearSignature"),
            Command::ConfirmSignature => f.write_str("ConfirmSignature"),
            Command::ChooseSlotDay(d) => write!(f, "ChooseSlotDay({d})"),
            Command::ChooseSlot(t) => write!(f, "ChooseSlot({t})"),
            Command::NoSlotSuits => f.write_str("NoSlotSuits"),
            Command::Rate(r) => write!(f, "Rate({r:?})"),
            Command::Back => f.write_str("Back"),
            Command::Cancel => f.write_str("Cancel"),
            Command::Next => f.write_str("Next"),
            Command::DeclineConsent => f.write_str("DeclineConsent"),
            Command::RetryCard => f.write_str("RetryCard"),
            Command::VerifyFingerprint => f.write_str("VerifyFingerprint"),
            Command::SkipFingerprint => f.write_str("SkipFingerprint"),
            Command::KeepCapture => f.write_str("KeepCapture"),
            Command::Retake => f.write_str("Retake"),
            Command::RetryPrint => f.write_str("RetryPrint"),
        }
    }
}

/// A device or store answer, fed back by the adapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Card(CardEvent),
    Fingerprint(FingerprintResult),
    DocumentCaptured {
        material_id: String,
        result: Result<Vec<u8>, CaptureFailed>,
    },
    /// The office's free appointment times, or why they could not be had.
    Slots(Result<Vec<Slot>, SlotsUnavailable>),
    Submitted(Result<SubmissionReceipt, SubmitFailure>),
    Printed(Result<(), PrintFailure>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardEvent {
    Read(Box<Applicant>),
    /// The reader found a card but could not read or authenticate it.
    Unreadable,
    /// The card was taken away before the read finished.
    RemovedEarly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FingerprintResult {
    Matched,
    NotMatched,
    /// The module failed or timed out.
    Failed,
}

/// The camera did not deliver a picture (timeout, disconnected ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaptureFailed;

/// Why the store could not commit the submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmitFailure {
    /// The disk is full.
    StorageFull,
    /// Any other storage error.
    StorageFailed,
}

impl SubmitFailure {
    pub fn message(self) -> Bilingual {
        match self {
            SubmitFailure::StorageFull => bi(
                "本机存储空间已满，申请暂未保存。您填写的内容仍在，请稍后重试或联系工作人员。",
                "This kiosk's storage is full, so the application was not saved yet. Everything you entered is still here: try again shortly or ask staff.",
            ),
            SubmitFailure::StorageFailed => bi(
                "保存申请时出错，申请暂未保存。您填写的内容仍在，请重试或联系工作人员。",
                "Saving the application failed, so it was not saved yet. Everything you entered is still here: try again or ask staff.",
            ),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintFailure {
    OutOfPaper,
    CoverOpen,
    Offline,
    Failed,
}

impl PrintFailure {
    pub fn message(self) -> Bilingual {
        let cause = match self {
            PrintFailure::OutOfPaper => bi("打印机缺纸", "The printer is out of paper"),
            PrintFailure::CoverOpen => bi("打印机盖未关好", "The printer cover is open"),
            PrintFailure::Offline | PrintFailure::Failed => {
                bi("打印机暂时无法使用", "The printer is not working")
            }
        };
        Bilingual::new(
            format!("{}。您的申请已保存。请记下回执编号或用手机拍下二维码，也可请工作人员补打回执。", cause.zh),
            format!("{}. Your application is saved. Note the receipt number or photograph the QR code, or ask staff to reprint the receipt.", cause.en),
        )
    }
}

/// Five levels of satisfaction (好差评, 一次一评).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    VerySatisfied,
    Satisfied,
    Acceptable,
    Dissatisfied,
    VeryDissatisfied,
}

impl Rating {
    pub const ALL: [Rating; 5] = [
        Rating::VerySatisfied,
        Rating::Satisfied,
        Rating::Acceptable,
        Rating::Dissatisfied,
        Rating::VeryDissatisfied,
    ];

    pub fn label(self) -> Bilingual {
        match self {
            Rating::VerySatisfied => bi("非常满意", "Very satisfied"),
            Rating::Satisfied => bi("满意", "Satisfied"),
            Rating::Acceptable => bi("基本满意", "Acceptable"),
            Rating::Dissatisfied => bi("不满意", "Dissatisfied"),
            Rating::VeryDissatisfied => bi("非常不满意", "Very dissatisfied"),
        }
    }
}

/// Longest rating comment kept.
pub const RATING_COMMENT_MAX_CHARS: usize = 200;

/// A rating to send; the comment is free text and may hold anything, so `Debug` hides it.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct RatingRecord {
    pub matter_id: String,
    pub receipt_number: Option<String>,
    pub rating: Rating,
    pub comment: Option<String>,
    pub rated_at: DateTime<FixedOffset>,
}

impl fmt::Debug for RatingRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RatingRecord({}, {:?})", self.matter_id, self.rating)
    }
}

/// Something the adapter must do, then answer with the matching [`Event`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Wait for an ID card → `Event::Card`.
    AwaitCard,
    /// Stop waiting for a card (the applicant went back or left).
    StopAwaitingCard,
    /// Match a live finger against the card → `Event::Fingerprint`.
    VerifyFingerprint,
    /// Ask the office for free appointment times from `from` → `Event::Slots`.
    FetchSlots {
        matter_id: String,
        from: NaiveDate,
        days: u32,
    },
    /// Take a still → `Event::DocumentCaptured`.
    CaptureDocument { material_id: String },
    /// Commit durably → `Event::Submitted` (only after the commit).
    Submit(Box<Submission>),
    /// Print → `Event::Printed`. Lines are masked; keep them with the submission for a staff reprint.
    PrintReceipt(Vec<NotaryReceiptLine>),
    /// Fire and forget.
    SubmitRating(RatingRecord),
    /// The journey is over: return to the home screen (the journey is already wiped).
    Exit,
}
