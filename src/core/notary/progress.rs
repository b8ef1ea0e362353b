//! The progress query (进度查询): a receipt number or the receipt's QR code, then the ID
//! card to prove it is the applicant's, then the case system's state (or the last cached
//! state and its age when the kiosk is offline). Pure, like the journey.

use super::applicant::{identity_matches, IdDigestKey};
use super::journey::CardEvent;
use super::receipt::{parse_receipt_number, token_from_qr};
use super::text::{bi, Bilingual};
use chrono::{DateTime, FixedOffset};
use std::fmt;

/// How the applicant names the submission. `Debug` hides the token (a credential).
#[derive(Clone, PartialEq, Eq)]
pub enum ReceiptRef {
    Number(String),
    Token(String),
}

impl fmt::Debug for ReceiptRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReceiptRef::Number(n) => write!(f, "Number({n})"),
            ReceiptRef::Token(_) => f.write_str("Token(..)"),
        }
    }
}

#[derive(Clone, PartialEq, Eq)]
pub enum ProgressCommand {
    /// Typed receipt number (validated here).
    EnterNumber(String),
    /// Text of a scanned QR code.
    ScannedQr(String),
    RetryCard,
    Back,
    Cancel,
}

impl fmt::Debug for ProgressCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProgressCommand::EnterNumber(n) => {
                write!(f, "EnterNumber({} chars)", n.chars().count())
            }
            ProgressCommand::ScannedQr(_) => f.write_str("ScannedQr(..)"),
            ProgressCommand::RetryCard => f.write_str("RetryCard"),
            ProgressCommand::Back => f.write_str("Back"),
            ProgressCommand::Cancel => f.write_str("Cancel"),
        }
    }
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

/// A case state as the case system reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseStatus {
    /// The case system's code, e.g. "submitted", "accepted", "supplement_required".
    pub state: String,
    pub case_number: Option<String>,
    pub updated_at: DateTime<FixedOffset>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusAnswer {
    Online(CaseStatus),
    /// The case system cannot be reached; the last state fetched, if any.
    Offline {
        cached: Option<(CaseStatus, DateTime<FixedOffset>)>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProgressEvent {
    /// Answer to `LookupSubmission`; `None` when the store has no such receipt.
    SubmissionFound(Option<RecordedSubmission>),
    Card(CardEvent),
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
    /// Offline: how old the shown state is.
    pub staleness: Option<Bilingual>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressView {
    pub step: ProgressStep,
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
            message: self.message.clone(),
            status: self.status.clone(),
        }
    }

    pub fn command(&mut self, command: ProgressCommand) -> Vec<ProgressEffect> {
        self.message = None;
        match command {
            ProgressCommand::EnterNumber(text) if self.step == ProgressStep::Enter => {
                match parse_receipt_number(&text) {
                    Some(number) => self.look_up(ReceiptRef::Number(number)),
                    None => {
                        self.message = Some(bi(
                            "回执编号格式不对，应类似 GZ-20260301-0042，请核对回执后重新输入。",
                            "That is not a receipt number; it looks like GZ-20260301-0042. Please check the receipt.",
                        ));
                        vec![]
                    }
                }
            }
            ProgressCommand::ScannedQr(text) if self.step == ProgressStep::Enter => {
                match token_from_qr(&text) {
                    Some(token) => self.look_up(ReceiptRef::Token(token)),
                    None => {
                        self.message = Some(bi(
                            "无法识别该二维码，请扫描公证回执上的二维码或输入回执编号。",
                            "This QR code is not a notary receipt. Scan the code on the receipt or type the number.",
                        ));
                        vec![]
                    }
                }
            }
            ProgressCommand::RetryCard if self.step == ProgressStep::AwaitCard => {
                vec![ProgressEffect::AwaitCard]
            }
            ProgressCommand::Back => match self.step {
                ProgressStep::Enter => self.cancel(),
                ProgressStep::AwaitCard => {
                    self.wipe();
                    vec![ProgressEffect::StopAwaitingCard]
                }
                ProgressStep::Shown => {
                    self.wipe();
                    vec![]
                }
                ProgressStep::LookingUp | ProgressStep::Fetching => vec![],
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
                        "没有找到这个回执。请核对编号；刚提交的申请可在本机立即查询。",
                        "No application has this receipt. Please check the number.",
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

    fn look_up(&mut self, reference: ReceiptRef) -> Vec<ProgressEffect> {
        self.step = ProgressStep::LookingUp;
        vec![ProgressEffect::LookupSubmission(reference)]
    }

    fn card(&mut self, card: CardEvent) -> Vec<ProgressEffect> {
        let applicant = match card {
            CardEvent::Read(applicant) => applicant,
            CardEvent::Unreadable | CardEvent::RemovedEarly => {
                self.message = Some(bi(
                    "未能读取身份证，请重新放置。",
                    "The ID card could not be read; please place it again.",
                ));
                return vec![];
            }
        };
        let Some(record) = &self.record else {
            return vec![];
        };
        if identity_matches(&record.id_number_digest, &self.key, &applicant.id_number) {
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
            } => (Some(status), Some(staleness(now, fetched_at))),
            StatusAnswer::Offline { cached: None } => (None, None),
        };
        self.status = Some(match status {
            Some(status) => StatusView {
                matter_name: record.matter_name.clone(),
                receipt_number: record.receipt_number.clone(),
                state: state_label(&status.state),
                case_number: status.case_number,
                updated_at: Some(status.updated_at),
                staleness,
            },
            None => StatusView {
                matter_name: record.matter_name.clone(),
                receipt_number: record.receipt_number.clone(),
                state: bi(
                    "暂时无法连接公证处系统，请稍后再查或致电公证处。",
                    "The notary office's system cannot be reached; try later or phone the office.",
                ),
                case_number: None,
                updated_at: None,
                staleness: None,
            },
        });
        self.step = ProgressStep::Shown;
    }
}

fn staleness(now: DateTime<FixedOffset>, fetched_at: DateTime<FixedOffset>) -> Bilingual {
    let minutes = (now - fetched_at).num_minutes().max(0);
    let (zh, en) = if minutes < 60 {
        (format!("{minutes}分钟前"), format!("{minutes} minutes ago"))
    } else if minutes < 48 * 60 {
        let hours = minutes / 60;
        (format!("{hours}小时前"), format!("{hours} hours ago"))
    } else {
        let days = minutes / (24 * 60);
        (format!("{days}天前"), format!("{days} days ago"))
    };
    Bilingual::new(
        format!("暂时无法连接公证处系统，显示的是{zh}的状态。"),
        format!("The office's system cannot be reached; this is the state as of {en}."),
    )
}

/// Labels for the case system's state codes; unknown codes are shown as they are.
pub fn state_label(code: &str) -> Bilingual {
    match code {
        "pending_forward" => bi(
            "已在本机保存，等待送达公证处",
            "Saved at the kiosk, being sent to the office",
        ),
        "submitted" => bi("已提交，等待受理", "Submitted, awaiting acceptance"),
        "supplement_required" => bi(
            "需要补充材料，请留意公证处电话",
            "More documents needed; the office will phone you",
        ),
        "accepted" => bi("已受理", "Accepted"),
        "in_review" => bi("审查中", "Under review"),
        "issued" => bi(
            "公证书已出具，可领取",
            "Certificate issued, ready to collect",
        ),
        "rejected" => bi(
            "不予办理，请联系公证处了解原因",
            "Refused; contact the office for the reasons",
        ),
        "withdrawn" => bi("已撤回", "Withdrawn"),
        other => Bilingual::new(other, other),
    }
}

#[cfg(test)]
mod tests {
    use super::super::applicant::{id_number_digest, tests::zhang_san};
    use super::*;
    use chrono::TimeZone;

    fn at(hour: u32) -> DateTime<FixedOffset> {
        FixedOffset::east_opt(8 * 3600)
            .unwrap()
            .with_ymd_and_hms(2026, 3, 2, hour, 0, 0)
            .unwrap()
    }

    fn key() -> IdDigestKey {
        IdDigestKey::new("test-pepper")
    }

    fn found(query: &mut ProgressQuery) {
        let record = RecordedSubmission {
            receipt_number: "GZ-20260301-0042".into(),
            id_number_digest: id_number_digest(&key(), &zhang_san().id_number),
            matter_name: bi("出生公证", "Birth"),
        };
        let effects = query.event(ProgressEvent::SubmissionFound(Some(record)), at(9));
        assert_eq!(effects, vec![ProgressEffect::AwaitCard]);
    }

    #[test]
    fn malformed_numbers_and_codes_are_refused_with_a_message() {
        let mut q = ProgressQuery::new(key());
        assert!(q
            .command(ProgressCommand::EnterNumber("12345".into()))
            .is_empty());
        assert!(q.view().message.is_some());
        assert!(q
            .command(ProgressCommand::ScannedQr("https://example.com".into()))
            .is_empty());
        assert_eq!(
            q.command(ProgressCommand::EnterNumber("gz20260301-0042".into())),
            vec![ProgressEffect::LookupSubmission(ReceiptRef::Number(
                "GZ-20260301-0042".into()
            ))]
        );
    }

    #[test]
    fn only_the_applicant_sees_the_state() {
        let mut q = ProgressQuery::new(key());
        q.command(ProgressCommand::EnterNumber("GZ-20260301-0042".into()));
        found(&mut q);
        let mut stranger = zhang_san();
        stranger.id_number = "110105198001010038".into();
        assert!(q
            .event(
                ProgressEvent::Card(CardEvent::Read(Box::new(stranger))),
                at(9)
            )
            .is_empty());
        assert_eq!(q.view().step, ProgressStep::AwaitCard);
        assert!(q.view().message.is_some());
        let effects = q.event(
            ProgressEvent::Card(CardEvent::Read(Box::new(zhang_san()))),
            at(9),
        );
        assert_eq!(
            effects,
            vec![ProgressEffect::FetchStatus {
                receipt_number: "GZ-20260301-0042".into()
            }]
        );
        let status = CaseStatus {
            state: "accepted".into(),
            case_number: Some("(2026)京证字第123号".into()),
            updated_at: at(8),
        };
        q.event(ProgressEvent::Status(StatusAnswer::Online(status)), at(9));
        let shown = q.view().status.unwrap();
        assert_eq!(shown.state.en, "Accepted");
        assert!(shown.staleness.is_none());
        q.wipe();
        assert!(!q.holds_personal_data());
    }

    #[test]
    fn offline_shows_the_cached_state_and_its_age() {
        let mut q = ProgressQuery::new(key());
        q.command(ProgressCommand::ScannedQr(
            "lk-notary:abcdefghijklmnop1234".into(),
        ));
        found(&mut q);
        q.event(
            ProgressEvent::Card(CardEvent::Read(Box::new(zhang_san()))),
            at(9),
        );
        let cached = CaseStatus {
            state: "in_review".into(),
            case_number: None,
            updated_at: at(1),
        };
        q.event(
            ProgressEvent::Status(StatusAnswer::Offline {
                cached: Some((cached, at(6))),
            }),
            at(9),
        );
        let shown = q.view().status.unwrap();
        assert_eq!(shown.state.en, "Under review");
        assert!(shown.staleness.unwrap().en.contains("3 hours ago"));
    }

    #[test]
    fn unknown_receipts_return_to_entry() {
        let mut q = ProgressQuery::new(key());
        q.command(ProgressCommand::EnterNumber("GZ-20260301-0042".into()));
        assert!(q
            .event(ProgressEvent::SubmissionFound(None), at(9))
            .is_empty());
        assert_eq!(q.view().step, ProgressStep::Enter);
        assert!(q.view().message.is_some());
    }
}
