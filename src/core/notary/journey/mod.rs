//! The notary journey as a pure state machine: commands and events in, effects out, and a
//! view to render. No I/O, no clocks: the caller passes `now` with every input.
//!
//! ChooseMatter → MatterInfo → Jurisdiction → Consent → Identify → Parties → Form → Materials
//! → Fee → Review → Declaration → Signature → Submitting → Receipt → Rating → End
//! (Jurisdiction only where the office's area is configured; Parties where the matter allows
//! applying for someone else or involves other parties). In-person matters take the same
//! path but end with
//! an appointment request, and capture nothing (the documents are examined at the office).

mod build;
mod io;
mod parties;
mod view;

pub use io::{
    CaptureFailed, CardEvent, Command, Effect, Event, FingerprintResult, PrintFailure, Rating,
    RatingRecord, SubmitFailure, RATING_COMMENT_MAX_CHARS,
};
pub use view::{
    AppointmentView, Choice, FormView, IdentifyView, JourneyView, MatterDetails, MatterSummary,
    PartiesView, PartyFieldView, PartyGroupView, PartyView, PreviewView, ReductionChoice,
    ReviewLine, ScreenView,
};

use super::applicant::{Applicant, CardRefusal, IdDigestKey};
use super::appointment::{Appointment, SLOT_WINDOW_DAYS};
use super::catalogue::{Catalogue, Matter};
use super::consent::{Collection, ConsentChoices, ConsentRecord, OfficeInfo};
use super::fees::FeeSchedule;
use super::form::{FieldError, FormData};
use super::jurisdiction::{Jurisdiction, JurisdictionAnswer, JurisdictionAnswers, Outcome};
use super::materials::{checklist, CaptureState, CapturedImage, Captures};
use super::parties::{ApplicantRole, PartyEntry, PartyError};
use super::payload::{FingerprintCheck, SubmissionReceipt};
use super::receipt::NotaryReceiptLine;
use super::signature::SignaturePad;
use crate::domain::Language;
use crate::domain::{bi, Bilingual};
use chrono::{DateTime, FixedOffset, NaiveDate};
use std::sync::Arc;

/// What a deployment gives the journey.
#[derive(Debug, Clone)]
pub struct JourneySetup {
    pub catalogue: Arc<Catalogue>,
    /// The office's area and which places count for each matter (公证法 art. 25); `None`:
    /// the kiosk does not ask.
    pub jurisdiction: Option<Arc<Jurisdiction>>,
    pub fees: Arc<FeeSchedule>,
    pub office: OfficeInfo,
    pub kiosk_id: String,
    pub camera_fitted: bool,
    pub fingerprint_fitted: bool,
    pub id_digest_key: IdDigestKey,
    /// The office's application form has a 民族 field. Otherwise the card's entry is dropped
    /// as it is read and never sent (PIPL art. 6: only what the purpose needs).
    pub collect_ethnicity: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    ChooseMatter,
    MatterInfo,
    /// Whether this office may take the application (公证法 art. 25).
    Jurisdiction,
    Consent,
    ConsentDeclined,
    Identify,
    /// Who it is for (为谁办理): how the card holder applies and the other parties.
    Parties,
    Form,
    /// In-person matters: a free time at the office, or the office calls.
    Appointment,
    Materials,
    Fee,
    Review,
    /// The truthfulness notice and promise (公证法 arts. 27, 31, 44).
    Declaration,
    /// The handwritten signature that confirms the application and the promise
    /// (公证程序规则 art. 17), then submit.
    Signature,
    Submitting,
    Receipt,
    Rating,
    End,
}

/// Where identification stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IdentifyPhase {
    #[default]
    AwaitingCard,
    Problem(IdentifyProblem),
    OfferFingerprint,
    VerifyingFingerprint,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentifyProblem {
    Unreadable,
    RemovedEarly,
    Expired {
        expired_on: NaiveDate,
    },
    MinorNeedsGuardian {
        age: u32,
    },
    /// The matter needs full capacity (e.g. a will): the card holder is too young, and no
    /// guardian can do it for them. The matter's data says why.
    TooYoungForMatter {
        age: u32,
    },
    FingerprintNotMatched,
    FingerprintFailed,
}

impl IdentifyProblem {
    /// What the applicant is told; `matter` gives the reason of an age limit.
    pub fn message(self, matter: Option<&Matter>) -> Bilingual {
        match self {
            IdentifyProblem::Unreadable => bi(
                "未能读取身份证，请将证件平放在读卡器上后重试。",
                "The ID card could not be read. Lay it flat on the reader and try again.",
            ),
            IdentifyProblem::RemovedEarly => bi(
                "读卡完成前证件被拿开了，请重新放好，等提示音后再拿开。",
                "The card was removed too early. Place it again and wait for the beep.",
            ),
            IdentifyProblem::Expired { expired_on } => Bilingual::new(
                format!(
                    "您的身份证已于{}过期，无法办理。请先换领新证，或携带临时身份证到人工窗口办理。",
                    expired_on.format("%Y年%m月%d日")
                ),
                format!(
                    "Your ID card expired on {}. Please renew it, or bring a temporary ID card to the staffed counter.",
                    expired_on.format("%Y-%m-%d")
                ),
            ),
            IdentifyProblem::MinorNeedsGuardian { age } if !matter.is_some_and(|m| m.guardian_allowed) => Bilingual::new(
                format!("您未满14周岁（{age}岁），这个事项不能在本机办理。请和父母一起到人工窗口咨询。"),
                format!("You are under 14 ({age}): this matter cannot be applied for at this kiosk. Please ask at the staffed counter with a parent."),
            ),
            IdentifyProblem::MinorNeedsGuardian { age } => Bilingual::new(
                format!("未满14周岁（{age}岁）的孩子由父母或其他监护人办理。请监护人把自己的身份证放在读卡器上，在“为谁办理”一步选“我是监护人”，再填写孩子的信息。"),
                format!("A child under 14 ({age}) is applied for by a parent or guardian. The guardian places their own ID card on the reader, chooses “I am the guardian” at “Who is it for”, then enters the child's details."),
            ),
            IdentifyProblem::TooYoungForMatter { age } => {
                let reason = matter
                    .and_then(|m| m.age_limit.as_ref())
                    .map(|l| l.reason.clone())
                    .unwrap_or_default();
                Bilingual::new(
                    format!("申请人{age}岁。{}", reason.zh),
                    format!("The applicant is {age}. {}", reason.en),
                )
            }
            IdentifyProblem::FingerprintNotMatched => bi(
                "指纹与身份证不一致。可以重试，或跳过由公证员当面核验。",
                "The fingerprint does not match the card. Try again, or skip and the notary will check in person.",
            ),
            IdentifyProblem::FingerprintFailed => bi(
                "指纹仪暂时无法使用。可以重试，或跳过由公证员当面核验。",
                "The fingerprint reader is not working. Try again, or skip and the notary will check in person.",
            ),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintState {
    Printing,
    Printed,
    Failed(PrintFailure),
}

/// Everything one citizen's journey holds; `wipe` returns it to the default.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct JourneyData {
    language: Language,
    category: Option<String>,
    query: String,
    matter_id: Option<String>,
    jurisdiction: JurisdictionAnswers,
    consent: ConsentChoices,
    consent_record: Option<ConsentRecord>,
    identify: IdentifyPhase,
    applicant: Option<Applicant>,
    card_read_at: Option<DateTime<FixedOffset>>,
    fingerprint: Option<FingerprintCheck>,
    /// How the card holder applies, and the other parties as entered.
    applicant_role: ApplicantRole,
    parties: Vec<PartyEntry>,
    party_errors: Vec<PartyError>,
    form: FormData,
    form_errors: Vec<FieldError>,
    appointment: Appointment,
    /// The truthfulness box, and when the applicant confirmed it by pressing submit.
    promised: bool,
    promised_at: Option<DateTime<FixedOffset>>,
    /// The ink on the signature pad, and when the applicant confirmed it.
    signature: SignaturePad,
    signed_at: Option<DateTime<FixedOffset>>,
    captures: Captures,
    capturing: Option<String>,
    preview: Option<(String, CapturedImage)>,
    submit_error: Option<SubmitFailure>,
    receipt: Option<SubmissionReceipt>,
    receipt_lines: Vec<NotaryReceiptLine>,
    print: Option<PrintState>,
    rating: Option<Rating>,
    rating_comment: String,
    message: Option<Bilingual>,
}

pub struct Journey {
    setup: JourneySetup,
    step: Step,
    data: JourneyData,
}

impl std::fmt::Debug for Journey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journey")
            .field("step", &self.step)
            .field("matter", &self.data.matter_id)
            .finish_non_exhaustive()
    }
}

impl Journey {
    pub fn new(setup: JourneySetup) -> Journey {
        Journey {
            setup,
            step: Step::ChooseMatter,
            data: JourneyData::default(),
        }
    }

    pub fn step(&self) -> Step {
        self.step
    }

    /// Clears everything the citizen entered or the devices delivered (idle timeout, card
    /// removal policy, end of session) and returns to the first screen.
    pub fn wipe(&mut self) {
        self.data = JourneyData::default();
        self.step = Step::ChooseMatter;
    }

    /// Whether any personal data (card, form, images, consent, receipt, comment) is held.
    pub fn holds_personal_data(&self) -> bool {
        let d = &self.data;
        d.applicant.is_some()
            || d.card_read_at.is_some()
            || d.consent_record.is_some()
            || d.form != FormData::default()
            || !d.parties.is_empty()
            || !d.captures.is_empty()
            || !d.signature.is_empty()
            || d.preview.is_some()
            || d.receipt.is_some()
            || !d.receipt_lines.is_empty()
            || !d.rating_comment.is_empty()
    }

    fn catalogue(&self) -> &Catalogue {
        &self.setup.catalogue
    }

    fn matter(&self) -> Option<&Matter> {
        self.data
            .matter_id
            .as_deref()
            .and_then(|id| self.setup.catalogue.matter(id))
    }

    pub fn command(&mut self, command: Command, now: DateTime<FixedOffset>) -> Vec<Effect> {
        self.data.message = None;
        match command {
            Command::SetLanguage(language) => {
                self.data.language = language;
                vec![]
            }
            Command::Back => self.back(),
            Command::Cancel => self.cancel(),
            Command::Next => self.next(now),
            Command::SelectCategory(category) if self.step == Step::ChooseMatter => {
                self.data.category =
                    category.filter(|c| self.catalogue().categories().iter().any(|k| &k.id == c));
                vec![]
            }
            Command::Search(query) if self.step == Step::ChooseMatter => {
                self.data.query = query;
                vec![]
            }
            Command::ChooseMatter(id) if self.step == Step::ChooseMatter => {
                if self.catalogue().matter(&id).is_some() {
                    self.data.matter_id = Some(id);
                    self.step = Step::MatterInfo;
                }
                vec![]
            }
            Command::AnswerJurisdiction(answer) if self.step == Step::Jurisdiction => {
                self.answer_jurisdiction(answer);
                vec![]
            }
            Command::SetConsent(item, on) if self.step == Step::Consent => {
                self.data.consent.set(item, on);
                vec![]
            }
            Command::DeclineConsent if self.step == Step::Consent => {
                self.step = Step::ConsentDeclined;
                vec![]
            }
            Command::RetryCard if self.step == Step::Identify => self.retry_card(),
            Command::VerifyFingerprint if self.step == Step::Identify => self.verify_fingerprint(),
            Command::SkipFingerprint if self.step == Step::Identify => self.skip_fingerprint(),
            Command::ChooseApplicantRole(role) if self.step == Step::Parties => {
                self.choose_applicant_role(role);
                vec![]
            }
            Command::SetPartyField {
                role,
                index,
                field,
                value,
            } if self.step == Step::Parties => {
                self.set_party_field(&role, index, field, value);
                vec![]
            }
            Command::AddParty(role) if self.step == Step::Parties => {
                self.add_party(&role);
                vec![]
            }
            Command::RemoveParty { role, index } if self.step == Step::Parties => {
                self.remove_party(&role, index);
                vec![]
            }
            Command::Edit(edit) if self.step == Step::Form => {
                let catalogue = Arc::clone(&self.setup.catalogue);
                self.data.form.apply(edit, &catalogue);
                vec![]
            }
            Command::ChooseSlotDay(day) if self.step == Step::Appointment => {
                self.data.appointment.choose_day(day);
                vec![]
            }
            Command::ChooseSlot(start) if self.step == Step::Appointment => {
                self.data.appointment.choose(start);
                vec![]
            }
            Command::NoSlotSuits if self.step == Step::Appointment => {
                self.data.appointment.office_calls();
                vec![]
            }
            Command::Capture(id) if self.step == Step::Materials => self.capture(id),
            Command::KeepCapture if self.step == Step::Materials => {
                if let Some((id, image)) = self.data.preview.take() {
                    self.data.captures.insert(id, image);
                }
                vec![]
            }
            Command::Retake if self.step == Step::Materials => match self.data.preview.take() {
                Some((id, _)) => self.capture(id),
                None => vec![],
            },
            Command::DiscardCapture(id) if self.step == Step::Materials => {
                self.data.captures.remove(&id);
                vec![]
            }
            Command::SetPromise(on) if self.step == Step::Declaration => {
                self.data.promised = on;
                if !on {
                    self.data.promised_at = None;
                }
                vec![]
            }
            Command::SignatureStroke(points) if self.step == Step::Signature => {
                if self.data.signature.add_stroke(&points) {
                    self.data.signed_at = None;
                }
                vec![]
            }
            Command::ClearSignature if self.step == Step::Signature => {
                self.data.signature.clear();
                self.data.signed_at = None;
                vec![]
            }
            Command::ConfirmSignature if self.step == Step::Signature => {
                self.confirm_signature(now)
            }
            Command::ToggleReduction(id) if self.step == Step::Fee => {
                self.toggle_reduction(id, now);
                vec![]
            }
            Command::RetryPrint if self.step == Step::Receipt => self.print(),
            Command::Rate(rating) if self.step == Step::Rating => {
                self.data.rating = Some(rating);
                vec![]
            }
            Command::SetRatingComment(text) if self.step == Step::Rating => {
                self.data.rating_comment = text.chars().take(RATING_COMMENT_MAX_CHARS).collect();
                vec![]
            }
            _ => vec![],
        }
    }

    pub fn event(&mut self, event: Event, now: DateTime<FixedOffset>) -> Vec<Effect> {
        match event {
            Event::Card(card) if self.step == Step::Identify => self.card(card, now),
            Event::Fingerprint(result)
                if self.step == Step::Identify
                    && self.data.identify == IdentifyPhase::VerifyingFingerprint =>
            {
                self.fingerprint_result(result)
            }
            Event::DocumentCaptured {
                material_id,
                result,
            } if self.step == Step::Materials
                && self.data.capturing.as_deref() == Some(material_id.as_str()) =>
            {
                self.data.capturing = None;
                match result.map(CapturedImage::from_jpeg) {
                    Ok(Ok(image)) => self.data.preview = Some((material_id, image)),
                    Ok(Err(problem)) => self.data.message = Some(problem.message()),
                    Err(CaptureFailed) => {
                        self.data.message = Some(bi(
                            "拍摄失败，请重试；也可以不拍摄，办理时携带原件。",
                            "The camera did not take the picture. Try again, or skip it and bring the original.",
                        ))
                    }
                }
                vec![]
            }
            Event::Slots(answer) if self.step == Step::Appointment => {
                self.data.appointment.answered(answer, now);
                vec![]
            }
            Event::Submitted(result) if self.step == Step::Submitting => match result {
                Ok(receipt) => {
                    self.data.submit_error = None;
                    self.data.receipt_lines = self.receipt_lines(&receipt, now);
                    self.data.receipt = Some(receipt);
                    self.step = Step::Receipt;
                    self.print()
                }
                Err(failure) => {
                    self.data.submit_error = Some(failure);
                    self.data.message = Some(failure.message());
                    self.step = Step::Signature;
                    vec![]
                }
            },
            Event::Printed(result)
                if self.step == Step::Receipt && self.data.print == Some(PrintState::Printing) =>
            {
                self.data.print = Some(match result {
                    Ok(()) => PrintState::Printed,
                    Err(failure) => PrintState::Failed(failure),
                });
                vec![]
            }
            // Late answers for a screen the citizen has left are dropped.
            _ => vec![],
        }
    }

    fn back(&mut self) -> Vec<Effect> {
        let (previous, effects) = match self.step {
            Step::ChooseMatter => return self.cancel(),
            Step::MatterInfo => (Step::ChooseMatter, vec![]),
            Step::Jurisdiction => {
                if self.data.jurisdiction.undo() {
                    return vec![];
                }
                (Step::MatterInfo, vec![])
            }
            Step::Consent if self.setup.jurisdiction.is_some() => {
                self.data.jurisdiction = JurisdictionAnswers::default();
                (Step::Jurisdiction, vec![])
            }
            Step::Consent => (Step::MatterInfo, vec![]),
            Step::ConsentDeclined => (Step::Consent, vec![]),
            Step::Identify => {
                self.forget_identity();
                (Step::Consent, vec![Effect::StopAwaitingCard])
            }
            Step::Parties => {
                self.forget_identity();
                (Step::Identify, vec![Effect::AwaitCard])
            }
            Step::Form if self.has_parties_step() => {
                self.data.form_errors.clear();
                (Step::Parties, vec![])
            }
            Step::Form => {
                self.forget_identity();
                (Step::Identify, vec![Effect::AwaitCard])
            }
            Step::Appointment => {
                self.data.appointment = Appointment::NotAsked;
                (Step::Form, vec![])
            }
            Step::Materials if self.needs_appointment() => (Step::Appointment, vec![]),
            Step::Materials => {
                self.data.preview = None;
                self.data.capturing = None;
                (Step::Form, vec![])
            }
            Step::Fee => (Step::Materials, vec![]),
            Step::Review => (Step::Fee, vec![]),
            Step::Declaration => (Step::Review, vec![]),
            // The ink stays: the citizen may read the promise again and come back.
            Step::Signature => (Step::Declaration, vec![]),
            // After submission there is no way back into the application.
            Step::Submitting | Step::Receipt | Step::Rating | Step::End => return vec![],
        };
        self.step = previous;
        effects
    }

    fn cancel(&mut self) -> Vec<Effect> {
        // While the store commits, leaving could orphan a submission the citizen never sees.
        if self.step == Step::Submitting {
            return vec![];
        }
        let mut effects = Vec::new();
        if self.step == Step::Identify {
            effects.push(Effect::StopAwaitingCard);
        }
        self.wipe();
        effects.push(Effect::Exit);
        effects
    }

    fn next(&mut self, now: DateTime<FixedOffset>) -> Vec<Effect> {
        match self.step {
            Step::ChooseMatter => vec![],
            Step::MatterInfo if self.setup.jurisdiction.is_some() => {
                self.data.jurisdiction = JurisdictionAnswers::default();
                self.step = Step::Jurisdiction;
                vec![]
            }
            Step::MatterInfo => {
                self.data.consent = ConsentChoices::default();
                self.step = Step::Consent;
                vec![]
            }
            // The answers move on by themselves; the main button of "apply elsewhere" ends.
            Step::Jurisdiction => match self.data.jurisdiction.outcome {
                Some(Outcome::Elsewhere) => self.cancel(),
                _ => vec![],
            },
            Step::Consent => {
                if self.data.consent.all_given() {
                    self.data.consent_record = Some(ConsentRecord::new(self.data.consent, now));
                    self.step = Step::Identify;
                    self.data.identify = IdentifyPhase::AwaitingCard;
                    vec![Effect::AwaitCard]
                } else {
                    // Agreeing is never read as refusing: say what is missing and stay.
                    // Refusing is its own button (`DeclineConsent`).
                    let missing = self.data.consent.missing();
                    self.data.message = Some(bi(
                        &format!("还有 {missing} 项没有勾选。请逐项勾选同意后再继续；不同意请按“不同意”。"),
                        &format!("{missing} of the consents are not ticked yet. Tick each one to continue, or press “I do not agree”."),
                    ));
                    vec![]
                }
            }
            Step::ConsentDeclined | Step::End => {
                self.wipe();
                vec![Effect::Exit]
            }
            Step::Identify => match self.data.identify {
                IdentifyPhase::Problem(
                    IdentifyProblem::FingerprintNotMatched | IdentifyProblem::FingerprintFailed,
                )
                | IdentifyPhase::OfferFingerprint => self.verify_fingerprint(),
                IdentifyPhase::Problem(_) => self.retry_card(),
                IdentifyPhase::AwaitingCard | IdentifyPhase::VerifyingFingerprint => vec![],
            },
            Step::Parties => {
                self.parties_next(now);
                vec![]
            }
            Step::Form => {
                let Some(matter) = self.matter() else {
                    return vec![];
                };
                let errors = self
                    .data
                    .form
                    .validate(matter, self.catalogue(), now.date_naive());
                let effects = match (errors.is_empty(), matter.in_person) {
                    (false, _) => vec![],
                    (true, true) => self.ask_for_slots(now),
                    (true, false) => {
                        self.step = Step::Materials;
                        vec![]
                    }
                };
                self.data.form_errors = errors;
                effects
            }
            Step::Appointment => {
                if self.data.appointment.settled() {
                    self.step = Step::Materials;
                } else if self.data.appointment != Appointment::Asking {
                    self.data.message = Some(bi(
                        "请选一个时间；都不合适的，请选“这些时间都不合适”，公证处会打电话和您约。",
                        "Please pick a time, or choose “None of these times suits me” and the office will call you.",
                    ));
                }
                vec![]
            }
            Step::Materials => {
                if self.data.capturing.is_none() {
                    if let Some((id, image)) = self.data.preview.take() {
                        self.data.captures.insert(id, image);
                    }
                    self.step = Step::Fee;
                }
                vec![]
            }
            Step::Fee => {
                self.step = Step::Review;
                vec![]
            }
            Step::Review => {
                // A promise covers what was just reviewed: it is given afresh each time.
                self.data.promised = false;
                self.data.promised_at = None;
                self.data.signature.clear();
                self.data.signed_at = None;
                self.step = Step::Declaration;
                vec![]
            }
            Step::Declaration => {
                if self.data.promised {
                    self.data.promised_at.get_or_insert(now);
                    self.step = Step::Signature;
                    vec![]
                } else {
                    // Submitting is never read as refusing: say what is missing and stay.
                    let promise = super::declaration::promise();
                    self.data.message = Some(Bilingual::new(
                        format!("请先勾选“{}”，再继续。", promise.zh),
                        format!("Please tick “{}” first, then continue.", promise.en),
                    ));
                    vec![]
                }
            }
            Step::Signature => self.confirm_signature(now),
            Step::Submitting => vec![],
            Step::Receipt => {
                if self.data.print == Some(PrintState::Printing) {
                    return vec![];
                }
                self.step = Step::Rating;
                vec![]
            }
            Step::Rating => {
                let effects = match self.data.rating {
                    Some(rating) => vec![Effect::SubmitRating(RatingRecord {
                        matter_id: self.data.matter_id.clone().unwrap_or_default(),
                        receipt_number: self.data.receipt.as_ref().map(|r| r.number.clone()),
                        rating,
                        comment: Some(self.data.rating_comment.trim().to_string())
                            .filter(|c| !c.is_empty()),
                        rated_at: now,
                    })],
                    None => vec![],
                };
                self.finish();
                effects
            }
        }
    }

    fn answer_jurisdiction(&mut self, answer: JurisdictionAnswer) {
        let Some(jurisdiction) = self.setup.jurisdiction.clone() else {
            return;
        };
        let Some(matter) = self.data.matter_id.clone() else {
            return;
        };
        let rule = jurisdiction.rules.rule_for(&matter);
        self.data.jurisdiction.answer(answer, rule);
        if self.data.jurisdiction.basis().is_some() {
            self.data.consent = ConsentChoices::default();
            self.step = Step::Consent;
        }
    }

    fn needs_appointment(&self) -> bool {
        self.matter().is_some_and(|m| m.in_person)
    }

    /// Enters the appointment step and asks the office for its free times.
    fn ask_for_slots(&mut self, now: DateTime<FixedOffset>) -> Vec<Effect> {
        self.step = Step::Appointment;
        if self.data.appointment.settled() {
            // Back from a later step: the choice stands.
            return vec![];
        }
        self.data.appointment = Appointment::Asking;
        vec![Effect::FetchSlots {
            matter_id: self.data.matter_id.clone().unwrap_or_default(),
            from: now.date_naive(),
            days: SLOT_WINDOW_DAYS,
        }]
    }

    /// The end screen keeps only the language.
    fn finish(&mut self) {
        let language = self.data.language;
        self.wipe();
        self.data.language = language;
        self.step = Step::End;
    }

    /// The form belongs to the card holder: a different card must not find their entries.
    fn forget_identity(&mut self) {
        self.data.form = FormData::default();
        self.data.form_errors.clear();
        self.data.appointment = Appointment::NotAsked;
        self.data.applicant = None;
        self.data.applicant_role = ApplicantRole::Myself;
        self.data.parties.clear();
        self.data.party_errors.clear();
        self.data.card_read_at = None;
        self.data.fingerprint = None;
        self.data.identify = IdentifyPhase::AwaitingCard;
    }

    fn retry_card(&mut self) -> Vec<Effect> {
        match self.data.identify {
            IdentifyPhase::Problem(
                IdentifyProblem::FingerprintNotMatched | IdentifyProblem::FingerprintFailed,
            ) => vec![],
            IdentifyPhase::Problem(_) => {
                self.data.identify = IdentifyPhase::AwaitingCard;
                vec![Effect::AwaitCard]
            }
            _ => vec![],
        }
    }

    fn card(&mut self, card: CardEvent, now: DateTime<FixedOffset>) -> Vec<Effect> {
        if self.data.identify != IdentifyPhase::AwaitingCard {
            return vec![];
        }
        let applicant = match card {
            CardEvent::Read(applicant) => applicant,
            CardEvent::Unreadable => return self.identify_problem(IdentifyProblem::Unreadable),
            CardEvent::RemovedEarly => return self.identify_problem(IdentifyProblem::RemovedEarly),
        };
        let age = applicant.age_on(now.date_naive());
        // A guardian cannot make a will for a child: an age limit of the matter is said
        // before the under-14 rule would send the citizen to fetch one.
        let too_young = self
            .matter()
            .and_then(|m| m.age_limit.as_ref())
            .is_some_and(|limit| age < limit.years);
        match applicant.check(now.date_naive()) {
            Err(CardRefusal::Expired { expired_on }) => {
                return self.identify_problem(IdentifyProblem::Expired { expired_on })
            }
            _ if too_young => {
                return self.identify_problem(IdentifyProblem::TooYoungForMatter { age })
            }
            Err(CardRefusal::Minor { age }) => {
                return self.identify_problem(IdentifyProblem::MinorNeedsGuardian { age })
            }
            Ok(()) => {}
        }
        let mut applicant = applicant;
        if !self.setup.collect_ethnicity {
            applicant.ethnicity = None;
        }
        if self.data.form.current_address.is_empty() {
            self.data.form.current_address = applicant.address.clone();
        }
        self.data.applicant = Some(*applicant);
        self.data.card_read_at = Some(now);
        let wants_fingerprint = self.matter().is_some_and(|m| m.fingerprint_mark);
        if !wants_fingerprint {
            self.identified(FingerprintCheck::NotRequested);
        } else if !self.setup.fingerprint_fitted {
            self.identified(FingerprintCheck::Unavailable);
        } else {
            self.data.identify = IdentifyPhase::OfferFingerprint;
        }
        vec![]
    }

    /// The card data are not kept when the card cannot be used.
    fn identify_problem(&mut self, problem: IdentifyProblem) -> Vec<Effect> {
        self.data.identify = IdentifyPhase::Problem(problem);
        vec![]
    }

    fn identified(&mut self, fingerprint: FingerprintCheck) {
        self.data.fingerprint = Some(fingerprint);
        self.data.form_errors.clear();
        self.enter_parties();
    }

    fn verify_fingerprint(&mut self) -> Vec<Effect> {
        let ready = self.data.applicant.is_some()
            && matches!(
                self.data.identify,
                IdentifyPhase::OfferFingerprint
                    | IdentifyPhase::Problem(
                        IdentifyProblem::FingerprintNotMatched | IdentifyProblem::FingerprintFailed
                    )
            );
        if !ready {
            return vec![];
        }
        self.data.identify = IdentifyPhase::VerifyingFingerprint;
        vec![Effect::VerifyFingerprint]
    }

    fn skip_fingerprint(&mut self) -> Vec<Effect> {
        if self.data.applicant.is_some()
            && self.data.identify != IdentifyPhase::VerifyingFingerprint
            && self.data.identify != IdentifyPhase::AwaitingCard
        {
            self.identified(FingerprintCheck::Skipped);
        }
        vec![]
    }

    fn fingerprint_result(&mut self, result: FingerprintResult) -> Vec<Effect> {
        match result {
            FingerprintResult::Matched => self.identified(FingerprintCheck::Matched),
            FingerprintResult::NotMatched => {
                self.data.identify = IdentifyPhase::Problem(IdentifyProblem::FingerprintNotMatched)
            }
            FingerprintResult::Failed => {
                self.data.identify = IdentifyPhase::Problem(IdentifyProblem::FingerprintFailed)
            }
        }
        vec![]
    }

    fn capture(&mut self, material_id: String) -> Vec<Effect> {
        if self.data.capturing.is_some() {
            return vec![];
        }
        let Some(matter) = self.matter() else {
            return vec![];
        };
        let capturable = checklist(
            matter,
            self.catalogue(),
            &self.data.captures,
            self.setup.camera_fitted,
        )
        .iter()
        .any(|item| item.material_id == material_id && item.capture != CaptureState::BringOnly);
        if !capturable {
            return vec![];
        }
        self.data.preview = None;
        self.data.capturing = Some(material_id.clone());
        vec![Effect::CaptureDocument { material_id }]
    }

    /// What this journey collects for the chosen matter, for the privacy notice.
    fn collection(&self) -> Collection {
        let Some(matter) = self.matter() else {
            return Collection::default();
        };
        // Before the applicant says who it is for: whatever any allowed role may capture.
        let mut images: Vec<_> = Vec::new();
        for role in matter.applicant_roles() {
            for item in self.checklist_in(role) {
                let capturable = item.capture != super::materials::CaptureState::BringOnly;
                if capturable
                    && !images.iter().any(|i: &super::materials::ChecklistItem| {
                        i.material_id == item.material_id
                    })
                {
                    images.push(item);
                }
            }
        }
        Collection {
            ethnicity: self.setup.collect_ethnicity,
            fingerprint: matter.fingerprint_mark && self.setup.fingerprint_fitted,
            portrait: images.iter().any(|i| {
                self.catalogue()
                    .material(&i.material_id)
                    .is_some_and(|m| m.shows_portrait)
            }),
            images: images.into_iter().map(|i| i.name).collect(),
            appointment: matter.in_person,
            parties: self.collected_parties(),
            minor: matter.guardian_allowed,
        }
    }

    fn toggle_reduction(&mut self, id: String, now: DateTime<FixedOffset>) {
        let declared = &mut self.data.form.declared_reductions;
        if let Some(position) = declared.iter().position(|r| *r == id) {
            declared.remove(position);
            return;
        }
        let Some(matter) = self.matter() else {
            return;
        };
        let age = self
            .data
            .applicant
            .as_ref()
            .map(|a| a.age_on(now.date_naive()));
        let offered = self
            .setup
            .fees
            .declarable_reductions(matter, age)
            .iter()
            .any(|r| r.id == id);
        if offered {
            self.data.form.declared_reductions.push(id);
        }
    }

    fn submit(&mut self, now: DateTime<FixedOffset>) -> Vec<Effect> {
        match self.submission(now) {
            Some(submission) => {
                self.step = Step::Submitting;
                self.data.submit_error = None;
                vec![Effect::Submit(Box::new(submission))]
            }
            None => {
                self.data.message = Some(bi(
                    "申请信息不完整，请返回检查。",
                    "The application is incomplete; please go back and check it.",
                ));
                vec![]
            }
        }
    }

    /// 确认签名并提交: submits once there is enough ink; until then says what is missing.
    fn confirm_signature(&mut self, now: DateTime<FixedOffset>) -> Vec<Effect> {
        if !self.data.signature.enough_ink() {
            self.data.message = Some(bi(
                "请先在白框里写下您的姓名，再提交。",
                "Please write your name in the white box first, then submit.",
            ));
            return vec![];
        }
        self.data.signed_at.get_or_insert(now);
        self.submit(now)
    }

    fn print(&mut self) -> Vec<Effect> {
        if self.data.receipt_lines.is_empty() || self.data.print == Some(PrintState::Printing) {
            return vec![];
        }
        self.data.print = Some(PrintState::Printing);
        vec![Effect::PrintReceipt(self.data.receipt_lines.clone())]
    }
}

#[cfg(test)]
mod tests;
