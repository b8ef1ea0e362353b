//! The questions of the pre-check and how answers lead from one to the next. Each question
//! asks one thing in plain words; a list question offers one fact per answer (any one is
//! enough), then 都不是 and 不清楚. Every question can be answered 不清楚, and the outcome
//! then says honestly what is not known.

use super::grounds::{grounds, Ground};
use super::outcome::{Facts, LegalAidOutcome};
use super::{LegalAidPolicy, State};
use crate::domain::Bilingual;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Art. 44 ¶1(1): a limitation period or time limit ending in less than 7 days.
    Deadline,
    CaseKind,
    /// Art. 25 ¶1, art. 28: a lawyer must be appointed.
    AppointedDefence,
    /// Art. 33: only after a decision to retry or a protest.
    RetrialDecided,
    /// Art. 32: no means test.
    NoMeansTest,
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
    pub text: Bilingual,
    pub options: Vec<Bilingual>,
}

fn text(zh: &str, en: &str) -> Bilingual {
    Bilingual {
        zh: zh.into(),
        en: en.into(),
    }
}

fn unsure() -> Bilingual {
    text("不清楚", "Not sure")
}

/// One answer per fact, then 都不是 and 不清楚.
fn pick(grounds: &[Ground]) -> Vec<Bilingual> {
    grounds
        .iter()
        .map(|g| g.text.clone())
        .chain([text("都不是", "None of these"), unsure()])
        .collect()
}

/// What a list question's answer means.
enum Picked {
    Ground(&'static Ground),
    NoneOfThese,
    Unsure,
}

fn picked(grounds: &'static [Ground], choice: usize) -> Picked {
    match grounds.get(choice) {
        Some(ground) => Picked::Ground(ground),
        None if choice == grounds.len() => Picked::NoneOfThese,
        None => Picked::Unsure,
    }
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

impl CaseKind {
    /// Being suspected of a crime, or its victim, is sensitive personal information.
    pub fn sensitive(self) -> bool {
        matches!(self, CaseKind::CriminalAccused | CaseKind::CriminalVictim)
    }
}

const CASE_KINDS: [CaseKind; 4] = [
    CaseKind::CriminalAccused,
    CaseKind::CriminalVictim,
    CaseKind::Retrial,
    CaseKind::CivilOrAdministrative,
];

const ANY_ONE: (&str, &str) = (
    "符合其中一项就选它。",
    "If any one of these fits, choose it.",
);

fn list_question(zh: &str, en: &str) -> Bilingual {
    text(
        &format!("{zh}{}", ANY_ONE.0),
        &format!("{en} {}", ANY_ONE.1),
    )
}

fn question(step: Step, policy: &LegalAidPolicy) -> Question {
    let (q, options) = match step {
        Step::Deadline => (
            text(
                "您的事情有没有马上要到的最后期限？比如离起诉、申请仲裁或行政复议的最后一天不到7天。",
                "Is a last day close? For example, less than 7 days left to go to court, apply for arbitration or ask for an administrative review.",
            ),
            vec![
                text("有，不到7天", "Yes, less than 7 days"),
                text("没有", "No"),
                unsure(),
            ],
        ),
        Step::CaseKind => (
            text("您要办的是哪一类事情？", "What kind of matter is it?"),
            vec![
                text("我或家人被怀疑犯了罪（刑事案件）", "I or a relative am suspected or accused of a crime (a criminal case)"),
                text("我或家人是犯罪的受害人（刑事案件）", "I or a relative am the victim of a crime (a criminal case)"),
                text("对已经生效的判决或裁定不服（申诉、再审）", "I do not accept a final judgment or ruling (petition, retrial)"),
                text("其他纠纷：工资、婚姻家庭、赔偿、社保等", "Another dispute: wages, family, compensation, social insurance …"),
                unsure(),
            ],
        ),
        Step::AppointedDefence => (
            list_question(
                "被怀疑犯罪的人是下面哪种情况？",
                "Which of these applies to the person suspected or accused?",
            ),
            pick(&grounds().appointed_defence),
        ),
        Step::RetrialDecided => (
            text(
                "法院是否已经决定再审，或者检察院已经提出抗诉？",
                "Has the court decided to retry the case, or has the procuratorate lodged a protest (抗诉)?",
            ),
            vec![
                text("是，已经决定再审或已经抗诉", "Yes, a retrial was decided or a protest lodged"),
                text("还没有，只是提出了申诉或再审申请", "Not yet: only a petition or an application for retrial"),
                unsure(),
            ],
        ),
        Step::NoMeansTest => (
            list_question("您的情况是下面哪一种？", "Which of these is your situation?"),
            pick(&grounds().no_means_test),
        ),
        Step::Matter => (
            list_question("您要办的事情是下面哪一种？", "Which of these is your matter?"),
            pick(&grounds().matters),
        ),
        Step::Exemption => (
            list_question(
                "您是下面哪一种人员？要有证明材料。",
                "Which of these are you? You will need proof.",
            ),
            pick(&grounds().exemptions),
        ),
        Step::Income => (
            Bilingual {
                zh: format!(
                    "算上全家的收入，平均每人每月能用的钱，是否低于{}元？（{}的标准）",
                    policy.monthly_income_threshold_yuan, policy.region
                ),
                en: format!(
                    "Counting the whole household's income, is the money each person has to spend per month below {} yuan? (the standard of {})",
                    policy.monthly_income_threshold_yuan, policy.region_en
                ),
            },
            vec![text("低于", "Below"), text("不低于", "Not below"), unsure()],
        ),
        Step::Promise => (
            text(
                "您愿意当场签字，承诺您说的经济情况是真的吗？（说假话要承担法律责任）",
                "Will you sign a promise at the desk that what you say about your finances is true? (False statements carry legal consequences.)",
            ),
            vec![text("愿意", "Yes"), text("不愿意", "No")],
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
    let mut step = Step::Deadline;
    let mut answers = answers.iter().copied();
    loop {
        let Some(choice) = answers.next() else {
            return State::Ask(question(step, policy));
        };
        match next(step, choice, &mut facts) {
            Some(s) => step = s,
            None => return State::Done(LegalAidOutcome::from_facts(&facts, policy)),
        }
    }
}

/// Records the answer `choice` to `step` in `facts`; the next question, or `None` when the
/// check is finished.
fn next(step: Step, choice: usize, facts: &mut Facts) -> Option<Step> {
    // For the yes / no / not-sure questions.
    let answer = match choice {
        0 => Some(true),
        1 => Some(false),
        _ => None,
    };
    let yes_no_step = matches!(step, Step::Deadline | Step::RetrialDecided | Step::Income);
    if yes_no_step && answer.is_none() {
        facts.unclear.push(step);
    }
    match step {
        Step::Deadline => {
            facts.deadline_close = answer == Some(true);
            Some(Step::CaseKind)
        }
        Step::CaseKind => {
            let Some(&kind) = CASE_KINDS.get(choice) else {
                facts.unclear.push(step);
                return None;
            };
            facts.case_kind = Some(kind);
            Some(match kind {
                CaseKind::CriminalAccused => Step::AppointedDefence,
                CaseKind::CriminalVictim => Step::Exemption,
                CaseKind::Retrial => Step::RetrialDecided,
                CaseKind::CivilOrAdministrative => Step::NoMeansTest,
            })
        }
        Step::AppointedDefence => on_ground(
            picked(&grounds().appointed_defence, choice),
            step,
            facts,
            Step::Exemption,
        ),
        Step::RetrialDecided => {
            facts.retrial_decided = answer;
            (answer != Some(false)).then_some(Step::Exemption)
        }
        Step::NoMeansTest => on_ground(
            picked(&grounds().no_means_test, choice),
            step,
            facts,
            Step::Matter,
        ),
        Step::Matter => match picked(&grounds().matters, choice) {
            Picked::NoneOfThese => {
                facts.unlisted_matter = true;
                None
            }
            other => on_ground(other, step, facts, Step::Exemption),
        },
        Step::Exemption => on_ground(
            picked(&grounds().exemptions, choice),
            step,
            facts,
            Step::Income,
        ),
        Step::Income => {
            facts.income_below = answer;
            (answer == Some(true)).then_some(Step::Promise)
        }
        Step::Promise => {
            facts.promise = Some(choice == 0);
            None
        }
    }
}

/// A list question's answer: a ground is recorded; a matter (art. 31) is a condition to go
/// on, every other ground settles the check.
fn on_ground(picked: Picked, step: Step, facts: &mut Facts, then: Step) -> Option<Step> {
    match picked {
        Picked::Ground(ground) => {
            facts.grounds.push(ground);
            (step == Step::Matter).then_some(then)
        }
        Picked::Unsure => {
            facts.unclear.push(step);
            Some(then)
        }
        Picked::NoneOfThese => Some(then),
    }
}
