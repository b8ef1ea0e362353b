//! The receipt (回执) as typed lines, receipt numbers and the QR payload. The printer's
//! `Receipt` is built from these lines; the same lines are shown on screen when the printer
//! fails and kept for a staff reprint.

use super::appointment::Slot;
use super::consent::OfficeInfo;
use super::fees::{format_fen, FeeEstimate};
use super::mask::{mask_id_number, mask_name};
use super::materials::BringItem;
use super::payload::SubmissionKind;
use crate::domain::Language;
use crate::domain::{bi, Bilingual};
use crate::hal::printer::{Receipt, ReceiptLine};
use chrono::{DateTime, FixedOffset, NaiveDate};
use std::fmt;

const QR_PREFIX: &str = "lk-notary:";
const QR_MODULE_SIZE: u8 = 6;

/// One line of a receipt.
#[derive(Clone, PartialEq, Eq)]
pub enum NotaryReceiptLine {
    Title(String),
    Text(String),
    Separator,
    /// The QR code's content (see [`qr_payload`]).
    Qr(String),
}

impl fmt::Debug for NotaryReceiptLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotaryReceiptLine::Title(t) => write!(f, "Title({} chars)", t.chars().count()),
            NotaryReceiptLine::Text(t) => write!(f, "Text({} chars)", t.chars().count()),
            NotaryReceiptLine::Separator => f.write_str("Separator"),
            NotaryReceiptLine::Qr(_) => f.write_str("Qr(..)"),
        }
    }
}

/// The number the store issues (the store is the authority, see `crate::store`): "GZ",
/// the issue date and a daily sequence of at least four digits: "GZ-20260301-0042".
pub fn receipt_number(date: NaiveDate, sequence: u32) -> String {
    format!("GZ-{}-{sequence:04}", date.format("%Y%m%d"))
}

/// Accepts what [`receipt_number`] produces (sequence of 4 to 6 digits), case-insensitively
/// and ignoring surrounding blanks. A citizen typing from a receipt may leave out the
/// dashes or type blanks for them ("GZ 20260301 0042"); the result is always the store's
/// form.
pub fn parse_receipt_number(input: &str) -> Option<String> {
    let upper = input.trim().to_ascii_uppercase();
    let rest = upper.strip_prefix("GZ")?;
    let rest = rest.strip_prefix(['-', ' ']).unwrap_or(rest);
    if rest.len() < 8 || !rest.is_char_boundary(8) {
        return None;
    }
    let (date, sequence) = rest.split_at(8);
    let sequence = sequence.strip_prefix(['-', ' ']).unwrap_or(sequence);
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let date = digits(date)
        .then(|| NaiveDate::parse_from_str(date, "%Y%m%d").ok())
        .flatten()?;
    let sequence_ok = (4..=6).contains(&sequence.len()) && digits(sequence);
    sequence_ok.then(|| format!("GZ-{}-{sequence}", date.format("%Y%m%d")))
}

/// What the receipt's QR code encodes.
pub fn qr_payload(token: &str) -> String {
    format!("{QR_PREFIX}{token}")
}

/// The token from a scanned QR code (with or without the prefix); `None` if malformed.
pub fn token_from_qr(scanned: &str) -> Option<String> {
    let scanned = scanned.trim();
    let token = scanned.strip_prefix(QR_PREFIX).unwrap_or(scanned);
    let well_formed = (16..=128).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    well_formed.then(|| token.to_string())
}

/// Everything a receipt shows.
#[derive(Clone, Copy)]
pub struct ReceiptInput<'a> {
    pub kind: SubmissionKind,
    pub number: &'a str,
    pub token: &'a str,
    pub matter_name: &'a Bilingual,
    pub typical_days: u32,
    pub applicant_name: &'a str,
    pub id_number: &'a str,
    pub to_bring: &'a [BringItem],
    pub fee: &'a FeeEstimate,
    pub office: &'a OfficeInfo,
    pub issued_at: DateTime<FixedOffset>,
    pub preferred_date: Option<NaiveDate>,
    /// The free time booked at the kiosk (in-person matters); `None`: the office calls.
    pub appointment: Option<&'a Slot>,
    pub language: Language,
}

/// The receipt's lines; personal data masked (张*三 / 110105********002X).
pub fn build_receipt(input: &ReceiptInput<'_>) -> Vec<NotaryReceiptLine> {
    use NotaryReceiptLine::{Qr, Separator, Text, Title};
    let lang = input.language;
    let t = |b: Bilingual| b.get(lang).to_string();
    let labelled = |label: Bilingual, value: &str| Text(format!("{}{}", label.get(lang), value));
    let title = match input.kind {
        SubmissionKind::Application => bi("公证申请回执", "Notary application receipt"),
        SubmissionKind::AppointmentRequest => bi("公证预约回执", "Notary appointment receipt"),
    };
    let mut lines = vec![
        Title(t(title)),
        Text(input.office.office_name.get(lang).to_string()),
        Separator,
        labelled(bi("回执编号：", "Receipt no.: "), input.number),
        labelled(bi("公证事项：", "Matter: "), input.matter_name.get(lang)),
        labelled(
            bi("申请人：", "Applicant: "),
            &mask_name(input.applicant_name),
        ),
        labelled(
            bi("证件号码：", "ID number: "),
            &mask_id_number(input.id_number),
        ),
        labelled(
            bi("提交时间：", "Submitted: "),
            &input.issued_at.format("%Y-%m-%d %H:%M").to_string(),
        ),
        Separator,
        labelled(
            bi("预估费用：", "Estimated fee: "),
            &fee_summary(input.fee, lang),
        ),
    ];
    if let Some(reduction) = &input.fee.reduction {
        lines.push(Text(format!(
            "{}{}",
            t(bi("  减免：", "  Reduction: ")),
            reduction.label.get(lang)
        )));
    }
    if let Some(asked) = &input.fee.requested_reduction {
        lines.push(Text(format!(
            "{}{}{}",
            t(bi("  申请减免：", "  Reduction asked for: ")),
            asked.label.get(lang),
            t(bi(
                "（以公证处审核为准）",
                " (the office decides after checking)"
            ))
        )));
    }
    if input.fee.example {
        lines.push(Text(t(bi(
            "  （示例收费标准，以公证处核定为准）",
            "  (example schedule; the office sets the fee)",
        ))));
    }
    lines.push(Separator);
    if !input.to_bring.is_empty() {
        lines.push(Text(t(bi("请携带以下材料：", "Please bring:"))));
        for item in input.to_bring {
            lines.push(Text(format!("· {}", item.line().get(lang))));
        }
        lines.push(Separator);
    }
    lines.push(Text(t(bi("下一步：", "Next steps:"))));
    for step in next_steps(input) {
        lines.push(Text(format!("· {}", step.get(lang))));
    }
    lines.push(Separator);
    lines.push(labelled(
        bi("地址：", "Address: "),
        input.office.office_address.get(lang),
    ));
    lines.push(labelled(
        bi("办公时间：", "Hours: "),
        input.office.office_hours.get(lang),
    ));
    lines.push(labelled(bi("电话：", "Phone: "), &input.office.phone));
    lines.push(Qr(qr_payload(input.token)));
    lines.push(Text(t(bi(
        "扫码或凭回执编号在本机查询进度",
        "Scan the code or enter the number at a kiosk to check progress",
    ))));
    lines
}

fn fee_summary(fee: &FeeEstimate, lang: Language) -> String {
    let total = format_fen(fee.total_fen);
    if fee.incomplete {
        format!(
            "{total}{}",
            bi(
                " 起（部分费用由公证处核定）",
                " plus amounts the office sets"
            )
            .get(lang)
        )
    } else {
        total
    }
}

fn next_steps(input: &ReceiptInput<'_>) -> Vec<Bilingual> {
    let mut steps: Vec<Bilingual> = input
        .office
        .calendar
        .as_ref()
        .and_then(|c| c.handling_note(input.issued_at.naive_local()))
        .into_iter()
        .collect();
    steps.extend(kind_steps(input));
    steps
}

fn kind_steps(input: &ReceiptInput<'_>) -> Vec<Bilingual> {
    match input.kind {
        SubmissionKind::Application => vec![
            bi(
                "公证处审核后将电话通知您；材料不全时会一次性告知需补充的材料。",
                "The office reviews your application and phones you; if anything is missing you are told everything at once.",
            ),
            Bilingual::new(
                format!("一般{}个工作日内办结（法定最长15个工作日）。", input.typical_days),
                format!(
                    "Usually done within {} working days (legal maximum 15).",
                    input.typical_days
                ),
            ),
        ],
        SubmissionKind::AppointmentRequest if input.appointment.is_some() => {
            let slot = input.appointment.map(Slot::label).unwrap_or_default();
            vec![
                Bilingual::new(
                    format!("此事项须本人到公证处当面办理。预约时间：{}。", slot.zh),
                    format!("You must attend in person. Your appointment: {}.", slot.en),
                ),
                bi(
                    "请按时前往，携带身份证原件和上面列出的材料。来不了的，请提前打电话告诉公证处。",
                    "Please come on time with your original ID card and the materials listed above. If you cannot come, phone the office beforehand.",
                ),
            ]
        }
        SubmissionKind::AppointmentRequest => {
            let mut steps = vec![bi(
                "此事项须本人到公证处当面办理。公证处将电话与您确认预约时间。",
                "You must attend in person. The office will phone you to confirm the time.",
            )];
            if let Some(date) = input.preferred_date {
                steps.push(Bilingual::new(
                    format!("您希望的日期：{}", date.format("%Y-%m-%d")),
                    format!("Your preferred date: {}", date.format("%Y-%m-%d")),
                ));
            }
            steps.push(bi("请携带身份证原件前往。", "Bring your original identity card."));
            steps
        }
    }
}

/// The printer helper's model of these lines.
pub fn to_printer_receipt(lines: &[NotaryReceiptLine]) -> Receipt {
    Receipt::new(
        lines
            .iter()
            .map(|line| match line {
                NotaryReceiptLine::Title(t) => ReceiptLine::Title(t.clone()),
                NotaryReceiptLine::Text(t) => ReceiptLine::text(t.clone()),
                NotaryReceiptLine::Separator => ReceiptLine::Separator,
                NotaryReceiptLine::Qr(data) => ReceiptLine::QrCode {
                    data: data.clone(),
                    module_size: QR_MODULE_SIZE,
                },
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipt_numbers_round_trip_and_reject_garbage() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let number = receipt_number(date, 42);
        assert_eq!(number, "GZ-20260301-0042");
        assert_eq!(
            parse_receipt_number(&number).as_deref(),
            Some(number.as_str())
        );
        for typed in [
            " gz-20260301-0042 ",
            "GZ20260301-0042",
            "GZ 20260301 0042",
            "gz202603010042",
        ] {
            assert_eq!(
                parse_receipt_number(typed).as_deref(),
                Some("GZ-20260301-0042"),
                "{typed}"
            );
        }
        assert_eq!(
            parse_receipt_number(&receipt_number(date, 123456)).as_deref(),
            Some("GZ-20260301-123456")
        );
        for bad in [
            "",
            "GZ-20260301",
            "GZ-20261301-0042",
            "GZ-20260301-42",
            "GZ-20260301-1234567",
            "XX-20260301-0042",
            "GZ-2026030１-0042",
            "GZ--20260301-0042",
            "ZX-20260301-0042",
        ] {
            assert_eq!(parse_receipt_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn qr_tokens() {
        let token = "abcDEF0123456789_-xyz";
        assert_eq!(token_from_qr(&qr_payload(token)).as_deref(), Some(token));
        assert_eq!(token_from_qr(token).as_deref(), Some(token));
        assert_eq!(token_from_qr("lk-notary:short"), None);
        assert_eq!(token_from_qr("lk-notary:has space in the token!!"), None);
    }
}
