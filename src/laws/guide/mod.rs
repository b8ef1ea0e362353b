//! Guided questions (法律咨询 question trees): data files `data/guides/*.toml`, a pure state
//! machine to walk them ([`GuideWalk`]) and a checker run in the tests ([`check`]).
//!
//! A tree is a list of nodes. A question node has `question` and `answers` (each leading to
//! the `next` node); an outcome node has `guidance`, the articles it cites, the deadlines that
//! matter and the next steps. Citations name a law by its short name and an article number,
//! so the UI opens them with `LawIndex::find_article`.

mod check;
#[cfg(test)]
mod review_tests;
mod walk;

pub use check::check;
pub use walk::{GuideError, GuideWalk};

use crate::domain::Bilingual;
use serde::{Deserialize, Serialize};

/// The trees shipped with the program: (file name, TOML text).
pub const GUIDE_FILES: &[(&str, &str)] = &[
    (
        "unpaid_wages.toml",
        include_str!("../../../data/guides/unpaid_wages.toml"),
    ),
    (
        "dismissal.toml",
        include_str!("../../../data/guides/dismissal.toml"),
    ),
    (
        "divorce.toml",
        include_str!("../../../data/guides/divorce.toml"),
    ),
    (
        "private_loan.toml",
        include_str!("../../../data/guides/private_loan.toml"),
    ),
    (
        "traffic_accident.toml",
        include_str!("../../../data/guides/traffic_accident.toml"),
    ),
    (
        "consumer.toml",
        include_str!("../../../data/guides/consumer.toml"),
    ),
    (
        "inheritance.toml",
        include_str!("../../../data/guides/inheritance.toml"),
    ),
    (
        "domestic_violence.toml",
        include_str!("../../../data/guides/domestic_violence.toml"),
    ),
];

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    /// Short name as in the corpus, e.g. 劳动合同法.
    pub law: String,
    pub article: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub text: Bilingual,
    pub next: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Deadline {
    pub text: Bilingual,
    pub cite: Citation,
}

/// Where a citizen goes next; the UI shows each with the office's local details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NextStep {
    LegalAid,
    PeoplesMediation,
    LabourInspection,
    LabourArbitration,
    Court,
    Police,
    Notary,
    Lawyer,
    ConsumerComplaint,
    MarriageRegistry,
    ConsultationRequest,
}

impl NextStep {
    pub fn label(self) -> Bilingual {
        let (zh, en) = match self {
            NextStep::LegalAid => ("申请法律援助", "Apply for legal aid"),
            NextStep::PeoplesMediation => ("人民调解", "People's mediation"),
            NextStep::LabourInspection => {
                ("向劳动保障监察投诉", "Complain to the labour inspectorate")
            }
            NextStep::LabourArbitration => ("申请劳动仲裁", "Apply for labour arbitration"),
            NextStep::Court => ("向人民法院起诉", "Sue in the people's court"),
            NextStep::Police => ("报警（110）", "Call the police (110)"),
            NextStep::Notary => ("办理公证", "Notarisation"),
            NextStep::Lawyer => ("咨询律师", "Consult a lawyer"),
            NextStep::ConsumerComplaint => ("消费投诉（12315）", "Consumer complaint (12315)"),
            NextStep::MarriageRegistry => ("婚姻登记机关", "Marriage registry"),
            NextStep::ConsultationRequest => ("预约人工咨询", "Book a consultation with staff"),
        };
        Bilingual {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    pub id: String,
    #[serde(default)]
    pub question: Option<Bilingual>,
    #[serde(default)]
    pub answers: Vec<Answer>,
    #[serde(default)]
    pub guidance: Option<Bilingual>,
    #[serde(default)]
    pub cite: Vec<Citation>,
    #[serde(default)]
    pub deadlines: Vec<Deadline>,
    #[serde(default)]
    pub next_steps: Vec<NextStep>,
}

impl Node {
    pub fn is_outcome(&self) -> bool {
        self.guidance.is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GuideTree {
    pub id: String,
    pub title: Bilingual,
    pub start: String,
    #[serde(rename = "node")]
    pub nodes: Vec<Node>,
}

impl GuideTree {
    pub fn parse(file: &str, text: &str) -> Result<GuideTree, GuideError> {
        toml::from_str(text).map_err(|e| GuideError::Parse {
            file: file.into(),
            message: e.to_string(),
        })
    }

    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// All shipped trees.
    pub fn builtin() -> Result<Vec<GuideTree>, GuideError> {
        GUIDE_FILES
            .iter()
            .map(|(file, text)| GuideTree::parse(file, text))
            .collect()
    }
}
