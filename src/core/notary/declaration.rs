//! The truthfulness notice and promise (如实陈述告知与承诺), the last step before an
//! application is submitted. 公证法 art. 27 asks the applicant to state the facts truthfully
//! and provide true, lawful and sufficient proof; art. 31 (5) lets the office refuse when
//! facts are invented or hidden or proof is false; art. 44 sets the consequences of false
//! proof. The applicant reads them in plain words and ticks one box; the main button never
//! refuses: until the box is ticked it says what is missing.

use super::consent::NoticeSection;
use crate::domain::{bi, Bilingual};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// Bump whenever the text changes, so a case system knows which wording was promised.
pub const DECLARATION_VERSION: &str = "notary-truthfulness/2026-12";

/// The promise the tick box stands for, word for word.
pub fn promise() -> Bilingual {
    bi(
        "我承诺所述情况和提交的材料真实",
        "I promise that what I have stated and the materials I provide are true",
    )
}

/// What the applicant reads before ticking: each article of the 公证法 in plain words.
pub fn notice() -> Vec<NoticeSection> {
    vec![
        NoticeSection {
            heading: bi("如实说明，材料真实", "Tell the truth, provide true papers"),
            body: bi(
                "申请公证，要向公证处如实说明情况，提供真实、合法、充分的证明材料；材料不够的，公证处可以要求补充。（《公证法》第二十七条）",
                "When you apply, you must tell the notary office the facts truthfully and provide true, lawful and sufficient proof; if it is not enough, the office may ask for more. (Notary Law art. 27)",
            ),
        },
        NoticeSection {
            heading: bi("不实的，不予办理", "Untrue applications are refused"),
            body: bi(
                "编造或隐瞒事实，或者提供假材料的，公证处不予办理。（《公证法》第三十一条第五项）",
                "If facts are made up or hidden, or false papers are given, the notary office will not notarise. (Notary Law art. 31 (5))",
            ),
        },
        NoticeSection {
            heading: bi("提供假材料的后果", "What false papers lead to"),
            body: bi(
                "提供假材料骗取公证书，给别人造成损失的，要依法赔偿；违反治安管理的，要受治安管理处罚；构成犯罪的，要追究刑事责任。（《公证法》第四十四条）",
                "Anyone who obtains a notarial certificate with false papers must pay for the harm caused to others, may be punished under public-security law and, if it is a crime, is prosecuted. (Notary Law art. 44)",
            ),
        },
    ]
}

/// What goes into the submission: which wording, the promise, and when it was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TruthfulnessPromise {
    pub statement_version: String,
    /// The promise as ticked, in Chinese.
    pub promise_zh: String,
    pub promised_at: DateTime<FixedOffset>,
}

impl TruthfulnessPromise {
    pub fn new(promised_at: DateTime<FixedOffset>) -> TruthfulnessPromise {
        TruthfulnessPromise {
            statement_version: DECLARATION_VERSION.to_string(),
            promise_zh: promise().zh,
            promised_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_cites_its_article_in_both_languages() {
        let sections = notice();
        let cited: Vec<&str> = ["第二十七条", "第三十一条", "第四十四条"].to_vec();
        for (section, article) in sections.iter().zip(cited) {
            assert!(section.heading.is_complete() && section.body.is_complete());
            assert!(section.body.zh.contains(article), "{}", section.body.zh);
            assert!(section.body.en.contains("Notary Law art."));
        }
    }
}
