//! The result of the pre-check: verdict, reasons, how to apply, materials and the application
//! data.

use super::grounds::Ground;
use super::questions::{CaseKind, Step};
use super::LegalAidPolicy;
use crate::domain::Bilingual;
use crate::laws::guide::Citation;
use serde::Serialize;

const LAW: &str = "法律援助法";

/// What the answers established.
#[derive(Debug, Clone, Default)]
pub(super) struct Facts {
    pub deadline_close: bool,
    pub case_kind: Option<CaseKind>,
    /// Art. 33: `None` when the citizen is not sure.
    pub retrial_decided: Option<bool>,
    /// None of the matters of art. 31.
    pub unlisted_matter: bool,
    /// The grounds chosen: the matter of art. 31 and at most one that settles the check.
    pub grounds: Vec<&'static Ground>,
    pub income_below: Option<bool>,
    pub promise: Option<bool>,
    /// Questions answered 不清楚.
    pub unclear: Vec<Step>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    LikelyEligible,
    NotLikely,
    /// May qualify: something is not known or needs a closer look.
    AskStaff,
}

/// How economic difficulty is established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MeansCheck {
    /// Arts. 25, 28, 32: no economic condition.
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
    /// Keys of the grounds chosen (`data/legal_aid/grounds.toml`).
    pub grounds: Vec<&'static str>,
    /// Questions answered 不清楚, for staff to ask about.
    pub unclear: Vec<Step>,
    pub legal_basis: Vec<Citation>,
    /// The answers include sensitive personal information (个人信息保护法 art. 28): they
    /// are sent only with the citizen's separate consent (art. 29).
    #[serde(skip)]
    pub sensitive: bool,
}

/// What a request carries when the citizen did not give the separate consent for sensitive
/// answers: nothing from which they could be read, only that staff must ask.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WithheldApplication {
    pub region: String,
    pub provisional_aid_requested: bool,
    pub sensitive_answers_withheld: bool,
}

impl ApplicationRequest {
    pub fn withheld(&self) -> WithheldApplication {
        WithheldApplication {
            region: self.region.clone(),
            provisional_aid_requested: self.provisional_aid_requested,
            sensitive_answers_withheld: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LegalAidOutcome {
    pub verdict: Verdict,
    pub reasons: Vec<Bilingual>,
    /// Where to apply (art. 38) and how the office decides (art. 43).
    pub how_to_apply: Vec<Bilingual>,
    pub cite: Vec<Citation>,
    pub materials: Vec<Bilingual>,
    pub application: ApplicationRequest,
}

fn text(zh: &str, en: &str) -> Bilingual {
    Bilingual {
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

/// Reasons and citations as they are collected; an article is cited once.
#[derive(Default)]
struct Findings {
    reasons: Vec<Bilingual>,
    cites: Vec<Citation>,
}

impl Findings {
    fn say(&mut self, article: Option<u32>, zh: &str, en: &str) {
        self.reasons.push(text(zh, en));
        if let Some(article) = article {
            self.cite(article);
        }
    }

    fn cite(&mut self, article: u32) {
        let citation = cite(article);
        if !self.cites.contains(&citation) {
            self.cites.push(citation);
        }
    }
}

impl LegalAidOutcome {
    pub(super) fn from_facts(facts: &Facts, policy: &LegalAidPolicy) -> LegalAidOutcome {
        let mut found = Findings::default();
        match facts.case_kind {
            Some(CaseKind::CriminalAccused) => found.cite(24),
            Some(CaseKind::CriminalVictim) => found.cite(29),
            Some(CaseKind::Retrial) => found.cite(33),
            Some(CaseKind::CivilOrAdministrative) => found.cite(31),
            None => {}
        }
        let (verdict, means_check) = decide(facts, &mut found);
        let verdict = weigh_unclear(facts, verdict, &mut found);
        if facts.case_kind == Some(CaseKind::CriminalAccused) {
            found.say(
                Some(30),
                "没有辩护律师的犯罪嫌疑人、被告人，都可以要求见值班律师，免费得到法律咨询、程序选择建议、申请变更强制措施等帮助。",
                "Anyone suspected or accused without a defence lawyer can ask to see the duty lawyer, free of charge, for legal advice, advice on the procedure, applying to change coercive measures and more.",
            );
        }
        if facts.deadline_close {
            found.say(
                Some(44),
                "最后期限不到7天：法律援助机构可以先提供法律援助，手续以后补办。请今天就到窗口办理。",
                "Less than 7 days left: the legal-aid office can help first and the formalities are completed later. Go to the desk today.",
            );
        }
        let how_to_apply = how_to_apply(facts.case_kind, &mut found);
        let materials = materials(facts, means_check, verdict);
        let sensitive = facts.case_kind.is_some_and(CaseKind::sensitive)
            || facts.grounds.iter().any(|g| g.sensitive);
        LegalAidOutcome {
            application: ApplicationRequest {
                region: policy.region.clone(),
                case_kind: facts.case_kind,
                verdict,
                means_check,
                income_threshold_yuan: policy.monthly_income_threshold_yuan,
                provisional_aid_requested: facts.deadline_close,
                grounds: facts.grounds.iter().map(|g| g.key.as_str()).collect(),
                unclear: facts.unclear.clone(),
                legal_basis: found.cites.clone(),
                sensitive,
            },
            verdict,
            reasons: found.reasons,
            how_to_apply,
            cite: found.cites,
            materials,
        }
    }
}

/// The ground that settles the check without the means test (arts. 25, 28, 32) or with it
/// waived (art. 42); a matter of art. 31 only opens the means path.
fn settling_ground(facts: &Facts) -> Option<&'static Ground> {
    facts.grounds.iter().copied().find(|g| g.article != 31)
}

fn decide(facts: &Facts, found: &mut Findings) -> (Verdict, MeansCheck) {
    let Some(kind) = facts.case_kind else {
        found.say(
            Some(22),
            "不清楚是哪一类事情也没关系：请把情况告诉工作人员，或拨打12348法律服务热线，免费咨询。",
            "It does not matter that you are not sure what kind of matter it is: tell the staff, or call the 12348 legal hotline, free of charge.",
        );
        return (Verdict::AskStaff, MeansCheck::Unknown);
    };
    if let Some(ground) = settling_ground(facts) {
        return match ground.article {
            28 => {
                found.say(
                    Some(28),
                    "强制医疗案件中没有请律师的，法院应当通知法律援助机构指派律师，不看经济状况。",
                    "In a compulsory-treatment case without a lawyer, the court must have the legal-aid office appoint one; there is no means test.",
                );
                (Verdict::LikelyEligible, MeansCheck::NotRequired)
            }
            25 => {
                found.say(
                    Some(25),
                    "属于必须有律师辩护的情形：没有请律师的，公安机关、检察院或法院应当通知法律援助机构指派律师，不看经济状况。",
                    "A defence lawyer is required here: if none was engaged, the police, procuratorate or court must have the legal-aid office appoint one; there is no means test.",
                );
                (Verdict::LikelyEligible, MeansCheck::NotRequired)
            }
            32 => {
                found.say(
                    Some(32),
                    "属于申请法律援助不看经济状况的情形。",
                    "In your situation legal aid does not depend on your finances.",
                );
                (Verdict::LikelyEligible, MeansCheck::NotRequired)
            }
            _ => {
                found.say(
                    Some(42),
                    "您属于不用核查经济状况的人员，申请时请带上证明材料。",
                    "You do not need to have your finances checked; bring proof of your situation.",
                );
                (Verdict::LikelyEligible, MeansCheck::Exempt)
            }
        };
    }
    if facts.retrial_decided == Some(false) {
        found.say(
            None,
            "只提出申诉或再审申请，还不能申请法律援助；法院决定再审或检察院提出抗诉以后，经济困难的可以申请。现在可以先免费咨询。",
            "A petition or an application for retrial alone does not qualify; once the court decides to retry the case or the procuratorate lodges a protest, you can apply if you have financial difficulties. Free consultation is open now.",
        );
        return (Verdict::NotLikely, MeansCheck::Unknown);
    }
    if facts.unlisted_matter {
        found.say(
            Some(31),
            "您的事情不在法律援助法列出的事项中，但地方规定可能更宽，请咨询工作人员；免费法律咨询对所有人开放。",
            "Your matter is not among those the Legal Aid Law lists, but local rules may add matters; ask staff. Free legal consultation is open to everyone.",
        );
        return (Verdict::AskStaff, MeansCheck::Unknown);
    }
    found.cite(34);
    means_test(facts, kind, found)
}

fn means_test(facts: &Facts, kind: CaseKind, found: &mut Findings) -> (Verdict, MeansCheck) {
    match (facts.income_below, facts.promise) {
        (Some(true), Some(true)) => {
            found.say(
                Some(41),
                "收入低于本地经济困难标准，并愿意签字承诺。",
                "Your income is below the local standard and you will sign a promise that this is true.",
            );
            (Verdict::LikelyEligible, MeansCheck::Promised)
        }
        (Some(true), _) => {
            found.say(
                Some(41),
                "经济困难情况需要通过信息共享或其他材料核查，工作人员会协助您。",
                "Your financial difficulty must be checked through shared records or other proof; staff will help.",
            );
            (Verdict::AskStaff, MeansCheck::DeclaredBelow)
        }
        (Some(false), _) if kind == CaseKind::CriminalAccused => {
            found.say(
                Some(24),
                "收入不低于本地标准。但法律规定，因经济困难或者其他原因没有请律师的，都可以申请法律援助：请向法律援助机构说明没有请律师的原因。",
                "Your income is not below the local standard. But the law lets anyone without a lawyer for financial or other reasons apply: tell the legal-aid office why no lawyer was engaged.",
            );
            (Verdict::AskStaff, MeansCheck::DeclaredAbove)
        }
        (Some(false), _) => {
            found.say(
                None,
                "收入不低于本地经济困难标准，一般不符合条件。您仍可以免费咨询、申请人民调解，劳动仲裁不收费。",
                "Your income is not below the local standard, so aid is unlikely. Free consultation and people's mediation remain open, and labour arbitration is free.",
            );
            (Verdict::NotLikely, MeansCheck::DeclaredAbove)
        }
        (None, _) => (Verdict::AskStaff, MeansCheck::Unknown),
    }
}

/// Says what each 不清楚 leaves open, and lets the verdict claim no more than is known: a
/// condition not known (the retrial decision, the matter) turns "likely" into "may qualify";
/// a ground not known turns "not likely" into "may qualify".
fn weigh_unclear(facts: &Facts, verdict: Verdict, found: &mut Findings) -> Verdict {
    for step in &facts.unclear {
        let (zh, en) = unclear_text(*step);
        found.say(None, zh, en);
    }
    let unclear = |steps: &[Step]| facts.unclear.iter().any(|s| steps.contains(s));
    match verdict {
        Verdict::LikelyEligible
            if settling_ground(facts).is_none_or(|g| g.article == 42)
                && unclear(&[Step::RetrialDecided, Step::Matter]) =>
        {
            Verdict::AskStaff
        }
        Verdict::NotLikely
            if unclear(&[Step::AppointedDefence, Step::NoMeansTest, Step::Exemption]) =>
        {
            Verdict::AskStaff
        }
        other => other,
    }
}

fn unclear_text(step: Step) -> (&'static str, &'static str) {
    match step {
        Step::Deadline => (
            "您不清楚有没有马上要到的期限：请带上法院、仲裁委员会等给您的通知或文书，尽快到窗口问清楚。",
            "You are not sure whether a time limit is close: bring the notices or papers from the court or arbitration committee to the desk soon.",
        ),
        Step::CaseKind => (
            "您不清楚是哪一类事情：工作人员会帮您判断。",
            "You are not sure what kind of matter it is: staff will help you work it out.",
        ),
        Step::AppointedDefence => (
            "您不清楚是否属于必须有律师辩护的情形：请把当事人的年龄、身体和案件情况告诉办案机关或值班律师。",
            "You are not sure whether a defence lawyer is required: tell the authorities or the duty lawyer the person's age, health and the charges.",
        ),
        Step::RetrialDecided => (
            "您不清楚法院是否已决定再审或检察院是否已抗诉：请带上法院、检察院的文书咨询工作人员。",
            "You are not sure whether a retrial was decided or a protest lodged: bring the court's or procuratorate's papers to the staff.",
        ),
        Step::NoMeansTest => (
            "您不清楚是否属于不看经济状况的情形：请把情况告诉工作人员。",
            "You are not sure whether your situation is one without a means test: tell the staff about it.",
        ),
        Step::Matter => (
            "您不清楚事情属于哪一种：请把情况告诉工作人员，他们会帮您判断。",
            "You are not sure which kind of matter it is: tell the staff and they will help you work it out.",
        ),
        Step::Exemption => (
            "您不清楚是否属于不用核查经济状况的人员：请带上低保证、优抚证明等材料咨询工作人员。",
            "You are not sure whether your finances need checking: bring any allowance or benefit certificates to the staff.",
        ),
        Step::Income => (
            "您不清楚收入是否低于标准：工作人员可以帮您计算。",
            "You are not sure whether your income is below the standard: staff can help you work it out.",
        ),
        Step::Promise => (
            "您还没有决定是否签字承诺：工作人员会向您说明。",
            "You have not decided about the promise: staff will explain it.",
        ),
    }
}

/// Art. 38: litigation at the legal-aid office where the authority handling the case sits;
/// anything else where the body handling the dispute sits or where it arose. Art. 43: the
/// decision within 7 days.
fn how_to_apply(kind: Option<CaseKind>, found: &mut Findings) -> Vec<Bilingual> {
    let mut steps = vec![match kind {
        Some(CaseKind::CriminalAccused | CaseKind::CriminalVictim | CaseKind::Retrial) => text(
            "到办理案件的公安机关、检察院或法院所在地的法律援助机构申请。",
            "Apply to the legal-aid office where the police, procuratorate or court handling the case is.",
        ),
        Some(CaseKind::CivilOrAdministrative) => text(
            "打官司的，到办理案件的法院所在地的法律援助机构申请；不打官司的（如劳动仲裁、调解），到处理纠纷的机关所在地或事情发生地的法律援助机构申请。",
            "For a court case, apply to the legal-aid office where the court is; otherwise (arbitration, mediation), to the office where the body handling the dispute is or where it happened.",
        ),
        None => text(
            "打官司的，到办理案件的机关所在地的法律援助机构申请；其他事情，到处理纠纷的机关所在地或事情发生地的法律援助机构申请。",
            "For a court case, apply to the legal-aid office where the authority handling it is; otherwise, to the office where the body handling the dispute is or where it happened.",
        ),
    }];
    found.cite(38);
    if kind == Some(CaseKind::CriminalAccused) {
        steps.push(text(
            "被关押的，可以通过看守所或值班律师提出申请，他们应当在24小时内转交法律援助机构；近亲属也可以代为申请。",
            "Someone in custody can apply through the detention centre or the duty lawyer, who must pass it on to the legal-aid office within 24 hours; close relatives can also apply.",
        ));
        found.cite(39);
    }
    steps.push(text(
        "法律援助机构收到申请后7日内决定是否给予法律援助；不给予的，会书面告诉您理由。",
        "The legal-aid office decides within 7 days of receiving the application; if it refuses, it tells you why in writing.",
    ));
    found.cite(43);
    steps
}

fn materials(facts: &Facts, means_check: MeansCheck, verdict: Verdict) -> Vec<Bilingual> {
    let mut materials = vec![
        text(
            "身份证件（替别人申请的，还要带监护或代理关系的证明）",
            "ID card (and proof of guardianship or authority if applying for someone else)",
        ),
        text(
            "与案件有关的材料：合同、证据、起诉状、判决书等",
            "Papers about the case: contracts, evidence, complaint or judgment",
        ),
    ];
    match means_check {
        MeansCheck::Exempt => {
            materials.extend(settling_ground(facts).and_then(|g| g.proof.clone()))
        }
        MeansCheck::Promised | MeansCheck::DeclaredBelow | MeansCheck::Unknown
            if verdict != Verdict::NotLikely && facts.case_kind.is_some() =>
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
