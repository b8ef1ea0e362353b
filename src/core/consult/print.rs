//! Printing an article on the receipt printer: the receipt laid out as data, and what the
//! citizen is told about the print. The printing itself runs off the UI thread.

use crate::codec::escpos_status::{PrinterProblem, PrinterStatus};
use crate::domain::Language;
use crate::hal::printer::{Align, PrintError, Receipt, ReceiptLine, TextSize};
use crate::laws::ArticleText;

/// Where a print stands, as the article screen shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PrintState {
    #[default]
    Idle,
    Printing,
    Printed,
    Failed(PrintProblem),
}

/// Why an article was not printed, in the terms the citizen (or staff) can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintProblem {
    /// This kiosk has no receipt printer.
    NoPrinter,
    PaperOut,
    CoverOpen,
    /// Offline, overheated, cutter jammed…: staff must look.
    NotReady,
    /// Configured but not connected.
    Disconnected,
    /// Anything else (I/O error, no status reply).
    Failed,
}

impl PrintProblem {
    pub fn of(error: &PrintError) -> PrintProblem {
        match error {
            PrintError::NotReady { status } | PrintError::Interrupted { status, .. } => {
                Self::of_status(status)
            }
            PrintError::Absent { .. } | PrintError::Disconnected { .. } => {
                PrintProblem::Disconnected
            }
            _ => PrintProblem::Failed,
        }
    }

    fn of_status(status: &PrinterStatus) -> PrintProblem {
        match status.problems().first() {
            Some(PrinterProblem::PaperOut) => PrintProblem::PaperOut,
            Some(PrinterProblem::CoverOpen) => PrintProblem::CoverOpen,
            _ => PrintProblem::NotReady,
        }
    }
}

/// Who printed the article, at the foot of the receipt: the citizen knows where it came
/// from and whom to ask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptFooter {
    pub office: String,
    pub hall: String,
    pub phone: String,
    pub kiosk_id: String,
    /// Local date and time of printing, already formatted.
    pub printed_at: String,
    pub language: Language,
}

/// One article as a receipt: the law's title, where the article sits in it, its number and
/// text, a reminder that the official text prevails, and the footer.
pub fn article_receipt(article: &ArticleText, footer: &ReceiptFooter) -> Receipt {
    let english = footer.language == Language::En;
    let mut placement = article.divisions.join(" ");
    if let Some(version) = &article.version {
        placement = format!("（{version}）{placement}");
    }
    let mut lines = vec![ReceiptLine::Title(article.law_title.clone())];
    if let (true, Some(law_en)) = (english, &article.law_en) {
        lines.push(centred(law_en, false));
    }
    if !placement.trim().is_empty() {
        lines.push(centred(placement.trim(), false));
    }
    lines.extend([
        ReceiptLine::Separator,
        ReceiptLine::Text {
            text: article.label.clone(),
            size: TextSize::NORMAL,
            bold: true,
            align: Align::Left,
        },
    ]);
    // One line per paragraph: the printer wraps lines, but a line break inside a text is a
    // control character the receipt model refuses to send.
    lines.extend(
        article
            .text
            .lines()
            .filter(|paragraph| !paragraph.trim().is_empty())
            .map(|paragraph| ReceiptLine::text(paragraph.trim())),
    );
    lines.push(ReceiptLine::Separator);
    lines.extend(footer_lines(
        footer,
        if english {
            "For reference only; the officially published text prevails."
        } else {
            "本条文仅供参考，以官方公布的文本为准。"
        }
        .into(),
    ));
    Receipt::new(lines)
}

/// The disclaimer, then who printed the receipt, where, and when.
pub(super) fn footer_lines(footer: &ReceiptFooter, disclaimer: String) -> Vec<ReceiptLine> {
    let english = footer.language == Language::En;
    vec![
        ReceiptLine::text(disclaimer),
        ReceiptLine::Feed(1),
        centred(&footer.office, true),
        centred(&footer.hall, false),
        centred(
            &if english {
                format!("Legal hotline {}", footer.phone)
            } else {
                format!("法律服务热线 {}", footer.phone)
            },
            false,
        ),
        centred(
            &format!("{}  {}", footer.kiosk_id, footer.printed_at),
            false,
        ),
    ]
}

fn centred(text: &str, bold: bool) -> ReceiptLine {
    ReceiptLine::Text {
        text: text.to_string(),
        size: TextSize::NORMAL,
        bold,
        align: Align::Center,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article() -> ArticleText {
        ArticleText {
            article_id: 1,
            law: "劳动合同法".into(),
            law_title: "中华人民共和国劳动合同法".into(),
            law_en: Some("Labour Contract Law".into()),
            version: Some("2012修正".into()),
            number: 30,
            suffix: 0,
            label: "第三十条".into(),
            divisions: vec!["第三章 劳动合同的履行和变更".into()],
            text: "用人单位应当按照劳动合同约定和国家规定，\n向劳动者及时足额支付劳动报酬。\n"
                .into(),
        }
    }

    fn footer(language: Language) -> ReceiptFooter {
        ReceiptFooter {
            office: "示例市公证处".into(),
            hall: "24小时自助厅".into(),
            phone: "12348".into(),
            kiosk_id: "DEMO-0001".into(),
            printed_at: "2026-11-22 06:00".into(),
            language,
        }
    }

    #[test]
    fn the_receipt_carries_law_article_text_and_footer() {
        let receipt = article_receipt(&article(), &footer(Language::Zh));
        let texts = receipt.texts();
        assert_eq!(texts[0], "中华人民共和国劳动合同法");
        assert!(texts
            .iter()
            .any(|t| t.contains("2012修正") && t.contains("第三章")));
        assert!(texts.contains(&"第三十条".to_string()));
        assert!(texts.contains(&"用人单位应当按照劳动合同约定和国家规定，".to_string()));
        assert!(texts.contains(&"向劳动者及时足额支付劳动报酬。".to_string()));
        assert!(texts.contains(&"示例市公证处".to_string()));
        assert!(texts
            .iter()
            .any(|t| t.contains("DEMO-0001") && t.contains("06:00")));
        assert!(!texts.iter().any(|t| t.contains("Labour Contract Law")));
        let english = article_receipt(&article(), &footer(Language::En)).texts();
        assert!(english.contains(&"Labour Contract Law".to_string()));
        assert!(english.iter().any(|t| t.contains("Legal hotline 12348")));
    }

    #[test]
    fn print_errors_become_what_the_citizen_is_told() {
        let with = |status: PrinterStatus| PrintError::Interrupted {
            status,
            sent: 10,
            total: 20,
        };
        let paper_out = PrinterStatus {
            paper_out: true,
            ..PrinterStatus::default()
        };
        let cover_open = PrinterStatus {
            cover_open: true,
            ..PrinterStatus::default()
        };
        let offline = PrinterStatus {
            offline: true,
            ..PrinterStatus::default()
        };
        assert_eq!(PrintProblem::of(&with(paper_out)), PrintProblem::PaperOut);
        assert_eq!(
            PrintProblem::of(&PrintError::NotReady { status: cover_open }),
            PrintProblem::CoverOpen
        );
        assert_eq!(PrintProblem::of(&with(offline)), PrintProblem::NotReady);
        assert_eq!(
            PrintProblem::of(&PrintError::Absent {
                target: "/dev/usb/lp0".into()
            }),
            PrintProblem::Disconnected
        );
        assert_eq!(
            PrintProblem::of(&PrintError::NoStatusReply),
            PrintProblem::Failed
        );
    }
}
