//! The questions of the pre-check and how answers lead from one to the next.

use super::outcome::{Facts, LegalAidOutcome};
use super::{LegalAidPolicy, State};
use crate::laws::guide::Text;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// A hearing, limitation period or other deadline less than 7 days away (art. 44).
    Urgent,
    CaseKind,
    /// Art. 25: appointed defence for minors, blind/deaf/mute, mentally impaired, life or
    /// death penalty cases.
    MandatoryDefence,
    /// Art. 32: no means test.
    SpecialGround,
    /// Art. 31: the civil and administrative matters.
    Matter,
    /// Art. 42: exempt from the means check.
    Exemption,
    /// Art. 34: the province's economic-difficulty standard.
    Income,
    /// Art. 41: personal integrity promise.
    Promise,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    pub step: Step,
    pub text: Text,
    pub options: Vec<Text>,
}

fn text(zh: &str, en: &str) -> Text {
    Text {
        zh: zh.into(),
        en: en.into(),
    }
}

fn yes_no() -> Vec<Text> {
    vec![text("是", "Yes"), text("否", "No")]
}

/// Case kinds, in the order of the options of [`Step::CaseKind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    CriminalAccused,
    CriminalVictim,
    Retrial,
    CivilOrAdministrative,
}

const CASE_KINDS: [CaseKind; 4] = [
    CaseKind::CriminalAccused,
    CaseKind::CriminalVictim,
    CaseKind::Retrial,
    CaseKind::CivilOrAdministrative,
];

fn question(step: Step, policy: &LegalAidPolicy) -> Question {
    let (q, options) = match step {
        Step::Urgent => (
            text("开庭、诉讼时效或其他期限是否不足7天？", "Is a hearing, limitation period or other deadline less than 7 days away?"),
            yes_no(),
        ),
        Step::CaseKind => (
            text("您需要哪类帮助？", "What kind of case is it?"),
            vec![
                text("我（或家人）是刑事案件的犯罪嫌疑人、被告人", "I (or a relative) am suspected or accused in a criminal case"),
                text("我是刑事案件的被害人、自诉人或附带民事诉讼原告人", "I am a victim, private prosecutor or civil claimant in a criminal case"),
                text("不服生效判决，申诉或申请再审", "Appeal against a final judgment (petition or retrial)"),
                text("民事或行政纠纷（劳动、婚姻、赔偿等）", "Civil or administrative dispute (labour, family, compensation …)"),
            ],
        ),
        Step::MandatoryDefence => (
            text(
                "当事人是否属于：未成年人；盲、聋、哑人；尚未完全丧失辨认或控制能力的精神病人；可能被判处无期徒刑、死刑的人？",
                "Is the accused a minor; blind, deaf or mute; an adult with a mental disability not fully incapacitated; or facing life imprisonment or death?",
            ),
            yes_no(),
        ),
        Step::SpecialGround => (
            text(
                "是否属于：遭受虐待、遗弃或家庭暴力的受害人；见义勇为；英雄烈士近亲属维护烈士人格权益；再审改判无罪请求国家赔偿？",
                "Are you a victim of abuse, abandonment or domestic violence; hurt acting bravely for others; a close relative of a hero or martyr protecting their honour; or claiming state compensation after acquittal on retrial?",
            ),
            yes_no(),
        ),
        Step::Matter => (
            text(
                "您的事项是否属于：请求国家赔偿；社会保险待遇或社会救助；抚恤金；赡养费、抚养费、扶养费；确认劳动关系或支付劳动报酬；认定无/限制民事行为能力；工伤、交通事故、食品药品安全事故、医疗事故人身损害赔偿；环境污染、生态破坏损害赔偿？",
                "Is it about: state compensation; social insurance or social assistance; survivor pensions; support for parents, children or a spouse; confirming employment or unpaid wages; declaring someone incapacitated; injury compensation for work injury, traffic, food or drug safety or medical accidents; environmental damage?",
            ),
            yes_no(),
        ),
        Step::Exemption => (
            text(
                "您是否属于：无固定生活来源的未成年人、老年人、残疾人；特困供养人员；领取最低生活保障、社会救助、司法救助或优抚待遇的人员；请求支付劳动报酬或工伤赔偿的农民工？",
                "Are you: a minor, elderly or disabled person without fixed income; supported as a person in extreme poverty; receiving subsistence allowance, social or judicial assistance or veterans' benefits; a migrant worker claiming wages or work-injury compensation?",
            ),
            yes_no(),
        ),
        Step::Income => (
            Text {
                zh: format!(
                    "您家庭的月人均可支配收入是否低于{}元（{}标准）？",
                    policy.monthly_income_threshold_yuan, policy.region
                ),
                en: format!(
                    "Is your household's monthly disposable income per person below {} yuan (standard of {})?",
                    policy.monthly_income_threshold_yuan, policy.region_en
                ),
            },
            vec![text("低于", "Below"), text("不低于", "Not below"), text("不清楚", "Not sure")],
        ),
        Step::Promise => (
            text(
                "您是否愿意签署经济困难状况个人诚信承诺？（如实说明，虚假承诺将承担法律责任）",
                "Will you sign a personal integrity promise about your financial situation? (False statements carry legal consequences.)",
            ),
            yes_no(),
        ),
    };
    Question {
        step,
        text: q,
        options,
    }
}

/// Replays `answers` from the first question; answers beyond the end are ignored.
pub fn replay(policy: &LegalAidPolicy, answers: &[usize]) -> State {
    let mut facts = Facts::default();
    let mut step = Step::Urgent;
    let mut answers = answers.iter().copied();
    loop {
        let Some(choice) = answers.next() else {
            return State::Ask(question(step, policy));
        };
        let yes = choice == 0;
        let next = match step {
            Step::Urgent => {
                facts.urgent = yes;
                Next::Ask(Step::CaseKind)
            }
            Step::CaseKind => {
                let kind = CASE_KINDS[choice.min(CASE_KINDS.len() - 1)];
                facts.case_kind = Some(kind);
                match kind {
                    CaseKind::CriminalAccused => Next::Ask(Step::MandatoryDefence),
                    CaseKind::CivilOrAdministrative => Next::Ask(Step::SpecialGround),
                    CaseKind::CriminalVictim | CaseKind::Retrial => Next::Ask(Step::Exemption),
                }
            }
            Step::MandatoryDefence => {
                facts.mandatory_defence = yes;
                if yes {
                    Next::Done
                } else {
                    Next::Ask(Step::Exemption)
                }
            }
            Step::SpecialGround => {
                facts.special_ground = yes;
                if yes {
                    Next::Done
                } else {
                    Next::Ask(Step::Matter)
                }
            }
            Step::Matter => {
                facts.listed_matter = Some(yes);
                if yes {
                    Next::Ask(Step::Exemption)
                } else {
                    Next::Done
                }
            }
            Step::Exemption => {
                facts.exempt = yes;
                if yes {
                    Next::Done
                } else {
                    Next::Ask(Step::Income)
                }
            }
            Step::Income => {
                facts.income_below = match choice {
                    0 => Some(true),
                    1 => Some(false),
                    _ => None,
                };
                if choice == 0 {
                    Next::Ask(Step::Promise)
                } else {
                    Next::Done
                }
            }
            Step::Promise => {
                facts.promise = Some(yes);
                Next::Done
            }
        };
        match next {
            Next::Ask(s) => step = s,
            Next::Done => return State::Done(LegalAidOutcome::from_facts(&facts, policy)),
        }
    }
}

enum Next {
    Ask(Step),
    Done,
}
