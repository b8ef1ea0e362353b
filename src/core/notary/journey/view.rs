//! What the UI renders: one [`JourneyView`] per state, with every text in both languages.

use super::super::applicant::Applicant;
use super::super::appointment::{day_label, Appointment};
use super::super::catalogue::Authentication;
use super::super::catalogue::Matter;
use super::super::consent::{
    alternatives_when_declined, ConsentChoices, ConsentNotice, NoticeSection,
};
use super::super::declaration;
use super::super::fees::FeeEstimate;
use super::super::form::{FieldError, FormData, Purpose};
use super::super::jurisdiction::JurisdictionQuestion;
use super::super::materials::{BringItem, ChecklistItem};
use super::super::parties::{ApplicantRole, PartyField};
use super::super::receipt::{qr_payload, NotaryReceiptLine};
use super::super::signature::{self, SignaturePad};
use super::{IdentifyPhase, Journey, PrintState, Rating, Step};
use crate::domain::Language;
use crate::domain::{bi, Bilingual};
use chrono::{DateTime, FixedOffset, NaiveDate};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JourneyView {
    pub step: Step,
    pub language: Language,
    pub can_go_back: bool,
    pub can_cancel: bool,
    /// Waiting for a device or the store: disable the buttons, show progress.
    pub busy: bool,
    /// A message about the last action (error or hint).
    pub message: Option<Bilingual>,
    pub screen: ScreenView,
}

/// An item of a pick list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub id: String,
    pub name: Bilingual,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatterSummary {
    pub id: String,
    pub name: Bilingual,
    /// Pre-booking only (must attend in person).
    pub appointment_only: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatterDetails {
    pub id: String,
    pub name: Bilingual,
    pub explanation: Bilingual,
    pub who_may_apply: Bilingual,
    pub appointment_only: bool,
    pub in_person_note: Option<Bilingual>,
    pub materials: Vec<ChecklistItem>,
    pub typical_days: u32,
    pub fingerprint_mark: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentifyView {
    pub phase: IdentifyPhase,
    pub instruction: Bilingual,
    pub problem: Option<Bilingual>,
    pub can_retry_card: bool,
    pub can_verify_fingerprint: bool,
    pub can_skip_fingerprint: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormView {
    /// Read-only: from the card chip.
    pub applicant: Option<Applicant>,
    pub data: FormData,
    pub errors: Vec<FieldError>,
    pub purposes: Vec<(Purpose, Bilingual)>,
    /// Empty when the matter is for use in China only.
    pub countries: Vec<Choice>,
    pub languages: Vec<Choice>,
    pub authentication: Authentication,
    /// What the place of use needs after the certificate, in plain words.
    pub authentication_note: Bilingual,
    pub shows_preferred_date: bool,
}

/// The "who is it for" step.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PartiesView {
    /// (role, its name, chosen); empty when the matter allows only "self".
    pub roles: Vec<(ApplicantRole, Bilingual, bool)>,
    /// What the chosen role needs (a guardian's proof, an agent's power of attorney).
    pub role_explanation: Option<Bilingual>,
    pub groups: Vec<PartyGroupView>,
}

/// The parties of one role: a heading, the parties, and whether one more may be added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyGroupView {
    pub role: String,
    pub name: Bilingual,
    pub min: u32,
    pub max: u32,
    pub can_add: bool,
    /// Too few or too many.
    pub problem: Option<Bilingual>,
    pub parties: Vec<PartyView>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyView {
    /// 0-based within the role.
    pub index: usize,
    pub can_remove: bool,
    pub fields: Vec<PartyFieldView>,
}

/// One field of one party. `Debug` hides the value.
#[derive(Clone, PartialEq, Eq)]
pub struct PartyFieldView {
    pub field: PartyField,
    pub label: Bilingual,
    pub required: bool,
    pub value: String,
    pub hint: Bilingual,
    /// The on-screen keyboard it opens.
    pub keyboard: &'static str,
    pub error: Option<Bilingual>,
    /// Relationship fields: the relationships to pick from.
    pub choices: Vec<Choice>,
}

impl fmt::Debug for PartyFieldView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PartyFieldView({:?}, ..)", self.field)
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct PreviewView {
    pub material_id: String,
    pub jpeg: Vec<u8>,
}

impl fmt::Debug for PreviewView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "PreviewView({}, {} bytes)",
            self.material_id,
            self.jpeg.len()
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReductionChoice {
    pub id: String,
    pub label: Bilingual,
    pub percent_off: u32,
    pub ticked: bool,
}

/// A labelled value of the review screen. `Debug` hides the value (it is personal data).
#[derive(Clone, PartialEq, Eq)]
pub struct ReviewLine {
    pub label: Bilingual,
    pub value: Bilingual,
}

impl ReviewLine {
    pub fn new(label: Bilingual, value: Bilingual) -> ReviewLine {
        ReviewLine { label, value }
    }
}

impl fmt::Debug for ReviewLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ReviewLine({}: ..)", self.label.en)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScreenView {
    ChooseMatter {
        categories: Vec<Choice>,
        selected_category: Option<String>,
        query: String,
        matters: Vec<MatterSummary>,
    },
    MatterInfo(Box<MatterDetails>),
    /// Whether this office may take it: a question with its answers, or where to go.
    Jurisdiction(JurisdictionQuestion),
    Consent {
        notice: Box<ConsentNotice>,
        choices: ConsentChoices,
    },
    ConsentDeclined {
        alternatives: Vec<Bilingual>,
    },
    Identify(IdentifyView),
    /// How the card holder applies and the other parties.
    Parties(Box<PartiesView>),
    Form(Box<FormView>),
    /// In-person matters: the office's free times by day, or why the office will call.
    Appointment(AppointmentView),
    Materials {
        items: Vec<ChecklistItem>,
        preview: Option<PreviewView>,
        capturing: Option<String>,
        to_bring: Vec<Bilingual>,
    },
    Fee {
        estimate: Option<FeeEstimate>,
        reductions: Vec<ReductionChoice>,
    },
    Review {
        lines: Vec<ReviewLine>,
        /// The service-address confirmation shown above the button.
        statement: Bilingual,
    },
    /// The truthfulness notice, the promise and its tick box.
    Declaration {
        notice: Vec<NoticeSection>,
        promise: Bilingual,
        promised: bool,
    },
    /// The signature pad: the ink to draw, whether it is enough to confirm, and a hint.
    Signature {
        pad: SignaturePad,
        can_confirm: bool,
        hint: Bilingual,
    },
    Submitting,
    Receipt {
        number: String,
        qr_payload: String,
        lines: Vec<NotaryReceiptLine>,
        print: PrintState,
        print_problem: Option<Bilingual>,
    },
    Rating {
        levels: Vec<(Rating, Bilingual)>,
        chosen: Option<Rating>,
        comment: String,
    },
    End {
        message: Bilingual,
    },
}

/// The appointment step: days with a free time, the times of the day looked at, and what
/// the office does otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppointmentView {
    pub asking: bool,
    /// (day, its label, being looked at)
    pub days: Vec<(NaiveDate, Bilingual, bool)>,
    /// (start, "9:00–9:30", chosen)
    pub times: Vec<(DateTime<FixedOffset>, String, bool)>,
    /// Said when there is no time to pick: offline, or none suited.
    pub office_calls: Option<Bilingual>,
    /// The time chosen, as the review will show it.
    pub chosen: Option<Bilingual>,
}

impl Journey {
    fn appointment_view(&self) -> AppointmentView {
        let appointment = &self.data.appointment;
        let (looked_at, times) = match appointment {
            Appointment::Offered {
                slots, day, chosen, ..
            } => (
                *day,
                slots
                    .iter()
                    .filter(|s| Some(s.day()) == *day)
                    .map(|s| (s.start, s.time_label(), chosen.as_ref() == Some(s)))
                    .collect(),
            ),
            _ => (None, Vec::new()),
        };
        AppointmentView {
            asking: *appointment == Appointment::Asking,
            days: appointment
                .days()
                .into_iter()
                .map(|d| (d, day_label(d), Some(d) == looked_at))
                .collect(),
            times,
            office_calls: match appointment {
                Appointment::OfficeCalls { offline: true } => Some(bi(
                    "暂时查不到公证处可以预约的时间。您可以继续提交，公证处工作人员会在工作时间打电话和您约定时间。",
                    "The office's free times cannot be looked up just now. You can still submit: the office will phone you during working hours to agree a time.",
                )),
                Appointment::OfficeCalls { offline: false } => Some(bi(
                    "好的，公证处工作人员会在工作时间打电话和您约定时间。",
                    "Fine: the office will phone you during working hours to agree a time.",
                )),
                _ => None,
            },
            chosen: appointment.chosen().map(|_| appointment.summary()),
        }
    }

    pub fn view(&self, now: DateTime<FixedOffset>) -> JourneyView {
        let busy = match self.step {
            Step::Submitting => true,
            Step::Identify => self.data.identify == IdentifyPhase::VerifyingFingerprint,
            Step::Materials => self.data.capturing.is_some(),
            Step::Appointment => self.data.appointment == Appointment::Asking,
            _ => false,
        };
        JourneyView {
            step: self.step,
            language: self.data.language,
            can_go_back: !matches!(
                self.step,
                Step::Submitting | Step::Receipt | Step::Rating | Step::End
            ),
            can_cancel: self.step != Step::Submitting,
            busy,
            message: self.data.message.clone(),
            screen: self.screen(now),
        }
    }

    fn screen(&self, now: DateTime<FixedOffset>) -> ScreenView {
        let catalogue = self.catalogue();
        match self.step {
            Step::ChooseMatter => {
                let found = catalogue.search(&self.data.query);
                let matters = found
                    .into_iter()
                    .filter(|m| self.data.category.as_ref().is_none_or(|c| &m.category == c))
                    .map(summary)
                    .collect();
                ScreenView::ChooseMatter {
                    categories: catalogue
                        .categories()
                        .iter()
                        .map(|c| Choice {
                            id: c.id.clone(),
                            name: c.name.clone(),
                        })
                        .collect(),
                    selected_category: self.data.category.clone(),
                    query: self.data.query.clone(),
                    matters,
                }
            }
            Step::MatterInfo => match self.matter() {
                Some(matter) => ScreenView::MatterInfo(Box::new(MatterDetails {
                    id: matter.id.clone(),
                    name: matter.name.clone(),
                    explanation: matter.explanation.clone(),
                    who_may_apply: matter.who_may_apply.clone(),
                    appointment_only: matter.in_person,
                    in_person_note: matter.in_person.then(|| {
                        bi(
                            "此事项须本人到公证处当面办理。本机为您提交预约申请并列出需携带的材料。",
                            "You must attend the office in person for this matter. This kiosk sends an appointment request and lists what to bring.",
                        )
                    }),
                    materials: self.checklist(),
                    typical_days: matter.typical_days,
                    fingerprint_mark: matter.fingerprint_mark,
                })),
                None => ScreenView::End {
                    message: bi("请重新选择事项。", "Please choose a matter again."),
                },
            },
            Step::Jurisdiction => match (&self.setup.jurisdiction, self.matter()) {
                (Some(jurisdiction), Some(matter)) => ScreenView::Jurisdiction(
                    self.data
                        .jurisdiction
                        .question(jurisdiction.rules.rule_for(&matter.id), jurisdiction),
                ),
                _ => ScreenView::End {
                    message: bi("请重新选择事项。", "Please choose a matter again."),
                },
            },
            Step::Consent => ScreenView::Consent {
                notice: Box::new(ConsentNotice::new(&self.setup.office, &self.collection())),
                choices: self.data.consent,
            },
            Step::ConsentDeclined => ScreenView::ConsentDeclined {
                alternatives: alternatives_when_declined(&self.setup.office),
            },
            Step::Identify => ScreenView::Identify(self.identify_view()),
            Step::Parties => ScreenView::Parties(Box::new(self.parties_view())),
            Step::Form => ScreenView::Form(Box::new(self.form_view())),
            Step::Appointment => ScreenView::Appointment(self.appointment_view()),
            Step::Materials => ScreenView::Materials {
                items: self.checklist(),
                preview: self.data.preview.as_ref().map(|(id, image)| PreviewView {
                    material_id: id.clone(),
                    jpeg: image.jpeg.clone(),
                }),
                capturing: self.data.capturing.clone(),
                to_bring: self.to_bring().iter().map(BringItem::line).collect(),
            },
            Step::Fee => ScreenView::Fee {
                estimate: self.fee_estimate(now),
                reductions: self.reduction_choices(now),
            },
            Step::Review => ScreenView::Review {
                lines: self.review_lines(now),
                statement: bi(
                    "我确认上述手机号码和地址为送达地址，公证处按此联系我、寄送文书。",
                    "The phone number and address above are my address for service: the office contacts me and sends papers there.",
                ),
            },
            Step::Declaration => ScreenView::Declaration {
                notice: declaration::notice(),
                promise: declaration::promise(),
                promised: self.data.promised,
            },
            Step::Signature => {
                let enough = self.data.signature.enough_ink();
                ScreenView::Signature {
                    pad: self.data.signature.clone(),
                    can_confirm: enough,
                    hint: signature::hint(enough),
                }
            }
            Step::Submitting => ScreenView::Submitting,
            Step::Receipt => ScreenView::Receipt {
                number: self
                    .data
                    .receipt
                    .as_ref()
                    .map(|r| r.number.clone())
                    .unwrap_or_default(),
                qr_payload: self
                    .data
                    .receipt
                    .as_ref()
                    .map(|r| qr_payload(&r.token))
                    .unwrap_or_default(),
                lines: self.data.receipt_lines.clone(),
                print: self.data.print.unwrap_or(PrintState::Printing),
                print_problem: match self.data.print {
                    Some(PrintState::Failed(failure)) => Some(failure.message()),
                    _ => None,
                },
            },
            Step::Rating => ScreenView::Rating {
                levels: Rating::ALL.iter().map(|r| (*r, r.label())).collect(),
                chosen: self.data.rating,
                comment: self.data.rating_comment.clone(),
            },
            // The end screen follows a submission: say when the office takes it up.
            Step::End => {
                let mut message = bi(
                    "感谢使用。您的信息已从本机清除。",
                    "Thank you. Your information has been cleared from this kiosk.",
                );
                let handling = self.setup.office.calendar.as_ref();
                if let Some(note) = handling.and_then(|c| c.handling_note(now.naive_local())) {
                    message = Bilingual::new(
                        format!("{}{}", message.zh, note.zh),
                        format!("{} {}", message.en, note.en),
                    );
                }
                ScreenView::End { message }
            }
        }
    }

    fn identify_view(&self) -> IdentifyView {
        let phase = self.data.identify;
        let instruction = match phase {
            IdentifyPhase::AwaitingCard | IdentifyPhase::Problem(_) => bi(
                "请将身份证放在读卡器上，听到提示音前不要拿开。",
                "Place your ID card on the reader and leave it until you hear the beep.",
            ),
            IdentifyPhase::OfferFingerprint => bi(
                "此事项需要按指纹。请将右手食指放在指纹仪上；也可以跳过，由公证员当面核验。",
                "This matter asks for a fingerprint. Place your right index finger on the reader, or skip and the notary checks in person.",
            ),
            IdentifyPhase::VerifyingFingerprint => {
                bi("正在核验指纹，请保持手指不动。", "Checking your fingerprint; keep your finger still.")
            }
        };
        let fingerprint_problem = matches!(
            phase,
            IdentifyPhase::Problem(
                super::IdentifyProblem::FingerprintNotMatched
                    | super::IdentifyProblem::FingerprintFailed
            )
        );
        IdentifyView {
            phase,
            instruction,
            problem: match phase {
                IdentifyPhase::Problem(problem) => Some(problem.message(self.matter())),
                _ => None,
            },
            can_retry_card: matches!(phase, IdentifyPhase::Problem(_)) && !fingerprint_problem,
            can_verify_fingerprint: phase == IdentifyPhase::OfferFingerprint || fingerprint_problem,
            can_skip_fingerprint: phase == IdentifyPhase::OfferFingerprint || fingerprint_problem,
        }
    }

    fn form_view(&self) -> FormView {
        let catalogue = self.catalogue();
        let foreign_use = self.matter().is_some_and(|m| m.foreign_use);
        FormView {
            applicant: self.data.applicant.clone(),
            data: self.data.form.clone(),
            errors: self.data.form_errors.clone(),
            purposes: Purpose::ALL.iter().map(|p| (*p, p.label())).collect(),
            countries: if foreign_use {
                catalogue
                    .countries()
                    .iter()
                    .map(|c| Choice {
                        id: c.code.clone(),
                        name: c.name.clone(),
                    })
                    .collect()
            } else {
                Vec::new()
            },
            languages: if foreign_use {
                catalogue
                    .languages()
                    .iter()
                    .map(|l| Choice {
                        id: l.code.clone(),
                        name: l.name.clone(),
                    })
                    .collect()
            } else {
                Vec::new()
            },
            authentication: self.data.form.authentication(catalogue),
            authentication_note: catalogue
                .authentication_text(self.data.form.authentication(catalogue)),
            shows_preferred_date: self.matter().is_some_and(|m| m.in_person),
        }
    }

    fn reduction_choices(&self, now: DateTime<FixedOffset>) -> Vec<ReductionChoice> {
        let Some(matter) = self.matter() else {
            return Vec::new();
        };
        self.setup
            .fees
            .declarable_reductions(matter, self.applicant_age(now))
            .into_iter()
            .map(|r| ReductionChoice {
                id: r.id.clone(),
                label: r.label.clone(),
                percent_off: r.percent_off,
                ticked: self.data.form.declared_reductions.contains(&r.id),
            })
            .collect()
    }
}

fn summary(matter: &Matter) -> MatterSummary {
    MatterSummary {
        id: matter.id.clone(),
        name: matter.name.clone(),
        appointment_only: matter.in_person,
    }
}
