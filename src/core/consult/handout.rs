//! The guidance to take home: a guided-question outcome or a pre-check outcome as a handout,
//! printed on the receipt printer with a QR code that carries its text, so the citizen can
//! also keep it on a phone (the QR text works offline: no link to a server that may be gone).

use super::print::{footer_lines, ReceiptFooter};
use crate::domain::Bilingual;
use crate::domain::Language;
use crate::hal::printer::{Align, Receipt, ReceiptLine, TextSize};
use crate::laws::guide::{Citation, GuideTree, Node};
use crate::laws::legal_aid::{LegalAidOutcome, Verdict};
use crate::laws::numeral::article_label;

/// Most bytes the QR code carries: 857 fit version 23 at level M, 109 modules or 436 dots at
/// 4 dots a module, within the 576 dots of an 80 mm printer and easy for a phone to read.
pub const QR_MAX_BYTES: usize = 850;
const QR_MODULE_DOTS: u8 = 4;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub heading: String,
    /// One paragraph each.
    pub lines: Vec<String>,
}

/// The outcome as the citizen takes it home, in the citizen's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handout {
    pub title: String,
    pub sections: Vec<Section>,
    pub language: Language,
}

fn say(language: Language, zh: &str, en: &str) -> String {
    Bilingual::new(zh, en).get(language).to_string()
}

fn cite_line(cite: &Citation, language: Language) -> String {
    let label = article_label(cite.article, 0);
    match language {
        Language::Zh => format!("{} {label}", cite.law),
        Language::En => format!("{} {label} (Art. {})", cite.law, cite.article),
    }
}

fn section(heading: String, lines: Vec<String>) -> Option<Section> {
    (!lines.is_empty()).then_some(Section { heading, lines })
}

impl Handout {
    /// A guided-question outcome node of `tree`.
    pub fn of_guide(tree: &GuideTree, node: &Node, language: Language) -> Option<Handout> {
        let guidance = node.guidance.as_ref()?;
        let l = language;
        let sections = [
            section(
                say(l, "指引", "Guidance"),
                vec![guidance.get(l).to_string()],
            ),
            section(
                say(l, "期限", "Deadlines"),
                node.deadlines
                    .iter()
                    .map(|d| format!("{}（{}）", d.text.get(l), cite_line(&d.cite, l)))
                    .collect(),
            ),
            section(
                say(l, "依据的法律条文", "Based on these articles"),
                node.cite.iter().map(|c| cite_line(c, l)).collect(),
            ),
            section(
                say(l, "下一步可以做什么", "What you can do next"),
                node.next_steps
                    .iter()
                    .map(|s| s.label().get(l).to_string())
                    .collect(),
            ),
        ];
        Some(Handout {
            title: tree.title.get(l).to_string(),
            sections: sections.into_iter().flatten().collect(),
            language,
        })
    }

    /// A pre-check outcome; what to do comes before why, so a QR code cut short keeps it.
    pub fn of_legal_aid(outcome: &LegalAidOutcome, language: Language) -> Handout {
        let l = language;
        let texts = |items: &[Bilingual]| -> Vec<String> {
            items.iter().map(|t| t.get(l).to_string()).collect()
        };
        let verdict = match outcome.verdict {
            Verdict::LikelyEligible => say(
                l,
                "您很可能符合法律援助条件",
                "You are likely to qualify for legal aid",
            ),
            Verdict::NotLikely => say(
                l,
                "您可能不符合法律援助条件",
                "You are not likely to qualify for legal aid",
            ),
            Verdict::AskStaff => say(
                l,
                "您可能符合法律援助条件，请咨询工作人员",
                "You may qualify for legal aid: please ask the staff",
            ),
        };
        let sections = [
            section(
                say(l, "自测结果", "Result of the check"),
                vec![
                    verdict,
                    say(
                        l,
                        "这只是初步自测，不是决定。是否给予法律援助由法律援助机构审查决定。",
                        "This is a first check, not a decision. The legal-aid office decides on your application.",
                    ),
                ],
            ),
            section(say(l, "怎么申请", "How to apply"), texts(&outcome.how_to_apply)),
            section(
                say(l, "需要准备的材料", "What to bring"),
                texts(&outcome.materials),
            ),
            section(say(l, "理由", "Why"), texts(&outcome.reasons)),
            section(
                say(l, "依据的法律条文", "Based on these articles"),
                outcome.cite.iter().map(|c| cite_line(c, l)).collect(),
            ),
        ];
        Handout {
            title: say(l, "法律援助自测", "Legal aid check"),
            sections: sections.into_iter().flatten().collect(),
            language,
        }
    }

    /// The handout as plain text for the QR code, cut at [`QR_MAX_BYTES`] on a character
    /// boundary; a cut says the printed sheet has the rest.
    pub fn qr_text(&self) -> String {
        let mut text = self.title.clone();
        for section in &self.sections {
            text.push_str(&format!("\n【{}】", section.heading));
            for line in &section.lines {
                text.push('\n');
                text.push_str(line);
            }
        }
        if text.len() <= QR_MAX_BYTES {
            return text;
        }
        let more = say(
            self.language,
            "…（全文见打印件）",
            "… (see the printed sheet)",
        );
        let mut end = QR_MAX_BYTES - more.len();
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push_str(&more);
        text
    }

    /// The handout on paper: title, sections, the QR code and who printed it.
    pub fn receipt(&self, footer: &ReceiptFooter) -> Receipt {
        let mut lines = vec![ReceiptLine::Title(self.title.clone())];
        for section in &self.sections {
            lines.push(ReceiptLine::Separator);
            lines.push(ReceiptLine::Text {
                text: section.heading.clone(),
                size: TextSize::NORMAL,
                bold: true,
                align: Align::Left,
            });
            // The receipt model refuses control characters: one line per paragraph.
            lines.extend(
                section
                    .lines
                    .iter()
                    .flat_map(|l| l.lines())
                    .filter(|l| !l.trim().is_empty())
                    .map(|l| ReceiptLine::text(format!("· {}", l.trim()))),
            );
        }
        lines.extend([
            ReceiptLine::Separator,
            ReceiptLine::QrCode {
                data: self.qr_text(),
                module_size: QR_MODULE_DOTS,
            },
            ReceiptLine::Text {
                text: say(
                    self.language,
                    "用手机扫一扫，把这份指引存在手机上",
                    "Scan with your phone to keep this guidance",
                ),
                size: TextSize::NORMAL,
                bold: false,
                align: Align::Center,
            },
        ]);
        lines.extend(footer_lines(
            footer,
            say(
                self.language,
                "本指引仅供参考，不是法律意见；法律条文以官方公布的文本为准。",
                "For reference only, not legal advice; the officially published text of the law prevails.",
            ),
        ));
        Receipt::new(lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::LegalAidPolicy;
    use crate::laws::legal_aid::{LegalAidCheck, State};

    fn footer() -> ReceiptFooter {
        ReceiptFooter {
            office: "示例市公证处".into(),
            hall: "24小时自助厅".into(),
            phone: "12348".into(),
            kiosk_id: "DEMO-0001".into(),
            printed_at: "2026-12-03 10:00".into(),
            language: Language::Zh,
        }
    }

    fn qr(receipt: &Receipt) -> String {
        receipt
            .lines
            .iter()
            .find_map(|line| match line {
                ReceiptLine::QrCode { data, .. } => Some(data.clone()),
                _ => None,
            })
            .expect("a QR code")
    }

    #[test]
    fn every_guide_outcome_prints_with_its_text_in_the_qr_code() {
        for tree in GuideTree::builtin().unwrap() {
            for node in tree.nodes.iter().filter(|n| n.is_outcome()) {
                for language in [Language::Zh, Language::En] {
                    let handout = Handout::of_guide(&tree, node, language).unwrap();
                    let receipt = handout.receipt(&footer());
                    assert!(
                        receipt.to_escpos(&Default::default()).is_ok(),
                        "{}",
                        node.id
                    );
                    let code = qr(&receipt);
                    assert!(code.len() <= QR_MAX_BYTES, "{}: {}", node.id, code.len());
                    assert!(code.starts_with(&handout.title));
                }
            }
        }
        let tree = GuideTree::builtin().unwrap().remove(0);
        let node = tree.node("employed_with_contract").unwrap();
        let receipt = Handout::of_guide(&tree, node, Language::Zh)
            .unwrap()
            .receipt(&footer());
        let printed = receipt.texts().join("\n");
        assert!(printed.contains("按时足额支付工资"), "{printed}");
        assert!(printed.contains("劳动合同法 第三十条"));
        assert!(printed.contains("申请法律援助") && printed.contains("DEMO-0001"));
        assert!(qr(&receipt).contains("按时足额支付工资"));
    }

    #[test]
    fn a_legal_aid_outcome_prints_verdict_how_to_apply_and_a_qr_code() {
        let mut check = LegalAidCheck::new(LegalAidPolicy {
            region: "广东省中山市".into(),
            region_en: "Zhongshan, Guangdong".into(),
            monthly_income_threshold_yuan: 2592,
        });
        // Not urgent, civil, a victim of domestic violence.
        for answer in [1, 3, 0] {
            check.answer(answer).unwrap();
        }
        let State::Done(outcome) = check.state() else {
            panic!("finished");
        };
        let receipt = Handout::of_legal_aid(&outcome, Language::Zh).receipt(&footer());
        let printed = receipt.texts().join("\n");
        for words in [
            "您很可能符合法律援助条件",
            "怎么申请",
            "7日内",
            "法律援助法 第三十二条",
        ] {
            assert!(printed.contains(words), "{words} in {printed}");
        }
        assert!(qr(&receipt).contains("7日内"));
        let english = Handout::of_legal_aid(&outcome, Language::En).qr_text();
        assert!(english.contains("How to apply") && !english.contains("怎么申请"));
    }

    #[test]
    fn a_long_text_is_cut_for_the_qr_code_on_a_character_boundary() {
        let handout = Handout {
            title: "标题".into(),
            sections: vec![Section {
                heading: "指引".into(),
                lines: vec!["很长的文字".repeat(100)],
            }],
            language: Language::Zh,
        };
        let text = handout.qr_text();
        assert!(text.len() <= QR_MAX_BYTES);
        assert!(text.ends_with("（全文见打印件）"));
    }
}
