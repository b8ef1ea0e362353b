//! The result of the pre-check: verdict, reasons, materials and the application data.

use super::questions::CaseKind;
use super::LegalAidPolicy;
use crate::laws::guide::{Citation, Text};
use serde::Serialize;

const LAW: &str = "法律援助法";

/// What the answers established.
#[derive(Debug, Clone, Default)]
pub(super) struct Facts {
    pub urgent: bool,
    pub case_kind: Option<CaseKind>,
    pub mandatory_defence: bool,
    pub special_ground: bool,
    pub listed_matter: Option<bool>,
    pub exempt: bool,
    pub income_below: Option<bool>,
    pub promise: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    LikelyEligible,
    NotLikely,
    AskStaff,
}

/// How economic difficulty is established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MeansCheck {
    /// Arts. 25, 32: no economic condition.
    NotRequired,
    /// Art. 42: exempt from the check (proof of the category needed).
    Exempt,
    /// Art. 41: declared below the threshold with an integrity promise.
    Promised,
    /// Declared below the threshold, promise declined: staff verify otherwise.
    DeclaredBelow,
    DeclaredAbove,
    Unknown,
}

/// What a legal-aid application request to the case system carries from the pre-check
/// (the applicant's identity comes from the ID-card step, not from here).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApplicationRequest {
    pub region: String,
    pub case_kind: Option<CaseKind>,
    pub verdict: Verdict,
    pub means_check: MeansCheck,
    pub income_threshold_yuan: u32,
    /// Art. 44: a deadline within 7 days; the office may grant provisional aid first.
    pub provisional_aid_requested: bool,
    pub legal_basis: Vec<Citation>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LegalAidOutcome {
    pub verdict: Verdict,
    pub reasons: Vec<Text>,
    pub cite: Vec<Citation>,
    pub materials: Vec<Text>,
    pub application: ApplicationRequest,
}

fn text(zh: &str, en: &str) -> Text {
    Text {
        zh: zh.into(),
        en: en.into(),
    }
}

fn cite(article: u32) -> Citation {
    Citation {
        law: LAW.into(),
        article,
    }
}

impl LegalAidOutcome {
    pub(super) fn from_facts(facts: &Facts, policy: &LegalAidPolicy) -> LegalAidOutcome {
        let mut reasons = Vec::new();
        let mut citations = Vec::new();
        match facts.case_kind {
            Some(CaseKind::CriminalAccused) => citations.push(cite(24)),
            Some(CaseKind::CriminalVictim) => citations.push(cite(29)),
            Some(CaseKind::Retrial) => citations.push(cite(33)),
            Some(CaseKind::CivilOrAdministrative) => citations.push(cite(31)),
            None => {}
        }
        let (verdict, means_check) = decide(facts, &mut reasons, &mut citations);
        if facts.urgent {
            reasons.push(text(
                "期限不足7天：法律援助机构可以先行提供法律援助，再补办手续，请尽快到窗口办理。",
                "A deadline is less than 7 days away: the office can provide aid first and complete the formalities later; go to the desk today.",
            ));
            citations.push(cite(44));
        }
        let materials = materials(means_check, verdict);
        LegalAidOutcome {
            application: ApplicationRequest {
                region: policy.region.clone(),
                case_kind: facts.case_kind,
                verdict,
                means_check,
                income_threshold_yuan: policy.monthly_income_threshold_yuan,
                provisional_aid_requested: facts.urgent,
                legal_basis: citations.clone(),
            },
            verdict,
            reasons,
            cite: citations,
            materials,
        }
    }
}

fn decide(
    facts: &Facts,
    reasons: &mut Vec<Text>,
    citations: &mut Vec<Citation>,
) -> (Verdict, MeansCheck) {
    if facts.mandatory_defence {
        reasons.push(text(
            "属于应当通知法律援助机构指派律师辩护的情形，不审查经济状况。",
            "The authorities must appoint a defence lawyer in this case; there is no means test.",
        ));
        citations.push(cite(25));
        return (Verdict::LikelyEligible, MeansCheck::NotRequired);
    }
    if facts.special_ground {
        reasons.push(text(
            "属于申请法律援助不受经济困难条件限制的情形。",
            "Your situation is one where legal aid is not subject to economic difficulty.",
        ));
        citations.push(cite(32));
        return (Verdict::LikelyEligible, MeansCheck::NotRequired);
    }
    if facts.listed_matter == Some(false) {
        reasons.push(text(
            "您的事项不在法律援助法列明的民事、行政事项中，但地方法规可能扩大范围，请咨询工作人员；免费法律咨询对所有人开放。",
            "Your matter is not among those the Legal Aid Law lists, but local rules may add matters; ask staff. Free legal consultation is open to everyone.",
        ));
        citations.push(cite(22));
        return (Verdict::AskStaff, MeansCheck::Unknown);
    }
    if facts.exempt {
        reasons.push(text(
            "您属于免予核查经济困难状况的人员，请携带相应证明。",
            "You are exempt from the check of economic difficulty; bring proof of your category.",
        ));
        citations.push(cite(42));
        return (Verdict::LikelyEligible, MeansCheck::Exempt);
    }
    citations.push(cite(34));
    match (facts.income_below, facts.promise) {
        (Some(true), Some(true)) => {
            reasons.push(text(
                "收入低于本地经济困难标准，并愿意作出个人诚信承诺。",
                "Your income is below the local standard and you will sign an integrity promise.",
            ));
            citations.push(cite(41));
            (Verdict::LikelyEligible, MeansCheck::Promised)
        }
        (Some(true), _) => {
            reasons.push(text(
                "经济困难状况需要通过信息共享或其他证明核查，请工作人员协助。",
                "Your economic difficulty must be checked by data sharing or other proof; staff will help.",
            ));
            citations.push(cite(41));
            (Verdict::AskStaff, MeansCheck::DeclaredBelow)
        }
        (Some(false), _) => {
            reasons.push(text(
                "收入不低于本地经济困难标准，一般不符合条件。您仍可免费咨询、申请人民调解，劳动仲裁不收费。",
                "Your income is not below the local standard, so aid is unlikely. Free consultation and people's mediation remain open, and labour arbitration is free.",
            ));
            (Verdict::NotLikely, MeansCheck::DeclaredAbove)
        }
        (None, _) => {
            reasons.push(text(
                "不确定收入是否低于标准，请工作人员帮您计算。",
                "You are not sure whether your income is below the standard; staff will help you work it out.",
            ));
            (Verdict::AskStaff, MeansCheck::Unknown)
        }
    }
}

fn materials(means_check: MeansCheck, verdict: Verdict) -> Vec<Text> {
    let mut materials = vec![
        text(
            "身份证件（代理申请的还需监护或代理关系证明）",
            "ID card (and proof of guardianship or authority if applying for someone else)",
        ),
        text(
            "与案件有关的材料：合同、证据、起诉状或判决书等",
            "Papers about the case: contracts, evidence, complaint or judgment",
        ),
    ];
    match means_check {
        MeansCheck::Exempt => materials.push(text(
            "免予核查的证明：低保证、特困证、残疾证、优抚证明或劳动关系证明等",
            "Proof of exemption: subsistence allowance, extreme-poverty, disability or veteran certificate, or proof of employment",
        )),
        MeansCheck::Promised | MeansCheck::DeclaredBelow | MeansCheck::Unknown
            if verdict != Verdict::NotLikely =>
        {
            materials.push(text(
                "家庭成员收入情况（工资单、社保记录等），现场签署经济困难状况说明或诚信承诺",
                "Household income (pay slips, social insurance records); sign the statement or integrity promise at the desk",
            ))
        }
        _ => {}
    }
    materials
}
