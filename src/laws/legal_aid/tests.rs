use super::*;

fn policy() -> LegalAidPolicy {
    LegalAidPolicy {
        region: "广东省中山市".into(),
        region_en: "Zhongshan, Guangdong".into(),
        monthly_income_threshold_yuan: 2592,
    }
}

/// Answers in order; returns the outcome, failing if the check is not finished.
fn run(answers: &[usize]) -> LegalAidOutcome {
    let mut check = LegalAidCheck::new(policy());
    for &a in answers {
        check.answer(a).unwrap();
    }
    match check.state() {
        State::Done(outcome) => outcome,
        State::Ask(q) => panic!("unfinished at {:?}", q.step),
    }
}

fn cites(outcome: &LegalAidOutcome, article: u32) -> bool {
    outcome
        .cite
        .iter()
        .any(|c| c.law == "法律援助法" && c.article == article)
}

fn says(outcome: &LegalAidOutcome, words: &str) -> bool {
    outcome
        .reasons
        .iter()
        .chain(&outcome.how_to_apply)
        .any(|r| r.zh.contains(words))
}

// Option indices:
// Deadline yes=0 no=1 unsure=2; CaseKind accused=0 victim=1 retrial=2 civil=3 unsure=4;
// AppointedDefence minor=0 … death-penalty review=4, absence=5, compulsory treatment=6,
//   none=7, unsure=8;
// RetrialDecided yes=0 no=1 unsure=2;
// NoMeansTest domestic violence=0 … acquitted=3, none=4, unsure=5;
// Matter state compensation=0 … wages=4 … environment=7, none=8, unsure=9;
// Exemption no fixed income=0, assistance=1, veterans=2, migrant worker=3, none=4, unsure=5;
// Income below=0 not below=1 unsure=2; Promise yes=0 no=1.
const NOT_URGENT: usize = 1;
const ACCUSED: usize = 0;
const VICTIM: usize = 1;
const RETRIAL: usize = 2;
const CIVIL: usize = 3;

#[test]
fn domestic_violence_victim_has_no_means_test() {
    let outcome = run(&[NOT_URGENT, CIVIL, 0]);
    assert_eq!(outcome.verdict, Verdict::LikelyEligible);
    assert_eq!(outcome.application.means_check, MeansCheck::NotRequired);
    assert!(cites(&outcome, 32));
}

#[test]
fn minor_accused_gets_appointed_defence() {
    let outcome = run(&[NOT_URGENT, ACCUSED, 0]);
    assert_eq!(outcome.verdict, Verdict::LikelyEligible);
    assert!(cites(&outcome, 25) && cites(&outcome, 24));
}

/// Art. 25 ¶1 items 5 and 6, missing from the old list.
#[test]
fn death_penalty_review_and_trial_in_absence_get_appointed_defence() {
    for ground in [4, 5] {
        let outcome = run(&[NOT_URGENT, ACCUSED, ground]);
        assert_eq!(outcome.verdict, Verdict::LikelyEligible, "ground {ground}");
        assert_eq!(outcome.application.means_check, MeansCheck::NotRequired);
        assert!(cites(&outcome, 25));
    }
}

/// Art. 28, missing before.
#[test]
fn compulsory_medical_treatment_gets_an_appointed_lawyer() {
    let outcome = run(&[NOT_URGENT, ACCUSED, 6]);
    assert_eq!(outcome.verdict, Verdict::LikelyEligible);
    assert!(cites(&outcome, 28) && !cites(&outcome, 25));
    assert!(says(&outcome, "强制医疗"));
}

/// Art. 30: every suspect without a lawyer is told about the duty lawyer; art. 24: income
/// alone does not rule out aid for the accused ("经济困难或者其他原因").
#[test]
fn an_accused_above_the_income_standard_is_told_of_other_reasons_and_the_duty_lawyer() {
    let outcome = run(&[NOT_URGENT, ACCUSED, 7, 4, 1]);
    assert_eq!(outcome.verdict, Verdict::AskStaff);
    assert_eq!(outcome.application.means_check, MeansCheck::DeclaredAbove);
    assert!(cites(&outcome, 24) && says(&outcome, "其他原因"));
    assert!(cites(&outcome, 30) && says(&outcome, "值班律师"));
    // A victim (art. 29) qualifies only by economic difficulty.
    let victim = run(&[NOT_URGENT, VICTIM, 4, 1]);
    assert_eq!(victim.verdict, Verdict::NotLikely);
    assert!(cites(&victim, 29) && !cites(&victim, 30));
}

/// Art. 33: a petition alone is not enough; the court must decide to retry or the
/// procuratorate protest.
#[test]
fn retrial_aid_needs_a_decision_to_retry_or_a_protest() {
    let petition_only = run(&[NOT_URGENT, RETRIAL, 1]);
    assert_eq!(petition_only.verdict, Verdict::NotLikely);
    assert!(cites(&petition_only, 33));
    let decided = run(&[NOT_URGENT, RETRIAL, 0, 4, 0, 0]);
    assert_eq!(decided.verdict, Verdict::LikelyEligible);
    let not_sure = run(&[NOT_URGENT, RETRIAL, 2, 4, 0, 0]);
    assert_eq!(
        not_sure.verdict,
        Verdict::AskStaff,
        "not known whether retried: may qualify, not likely"
    );
    assert!(not_sure.application.unclear.contains(&Step::RetrialDecided));
}

/// Art. 42 item 1: 无固定生活来源的…残疾人, so the proof asked for is not a disability
/// certificate alone.
#[test]
fn the_exemption_asks_for_proof_of_no_fixed_income_not_just_a_disability_certificate() {
    let outcome = run(&[NOT_URGENT, CIVIL, 4, 4, 0]);
    assert_eq!(outcome.verdict, Verdict::LikelyEligible);
    assert_eq!(outcome.application.means_check, MeansCheck::Exempt);
    assert!(cites(&outcome, 42) && cites(&outcome, 31));
    assert!(outcome
        .materials
        .iter()
        .any(|m| m.zh.contains("没有固定生活来源的证明")));
    let migrant = run(&[NOT_URGENT, CIVIL, 4, 4, 3]);
    assert!(migrant
        .materials
        .iter()
        .any(|m| m.zh.contains("打工的证明")));
    assert!(!migrant.materials.iter().any(|m| m.zh.contains("残疾证")));
}

/// Art. 38 (where) and art. 43 (7 days) on every outcome.
#[test]
fn every_outcome_says_where_to_apply_and_that_the_office_decides_within_7_days() {
    let criminal = run(&[NOT_URGENT, VICTIM, 4, 1]);
    assert!(says(
        &criminal,
        "公安机关、检察院或法院所在地的法律援助机构"
    ));
    let civil = run(&[NOT_URGENT, CIVIL, 0]);
    assert!(says(&civil, "事情发生地") && says(&civil, "法院所在地"));
    let accused = run(&[NOT_URGENT, ACCUSED, 0]);
    assert!(cites(&accused, 39) && says(&accused, "24小时内"));
    for outcome in [criminal, civil, accused, run(&[NOT_URGENT, 4])] {
        assert!(cites(&outcome, 38) && cites(&outcome, 43));
        assert!(says(&outcome, "7日内"));
        assert!(outcome.how_to_apply.iter().all(|t| !t.en.is_empty()));
    }
}

#[test]
fn low_income_with_integrity_promise_is_likely_eligible() {
    let outcome = run(&[NOT_URGENT, CIVIL, 4, 4, 4, 0, 0]);
    assert_eq!(outcome.verdict, Verdict::LikelyEligible);
    assert_eq!(outcome.application.means_check, MeansCheck::Promised);
    assert!(cites(&outcome, 41) && cites(&outcome, 34));
}

#[test]
fn low_income_without_promise_goes_to_staff() {
    let outcome = run(&[NOT_URGENT, CIVIL, 4, 4, 4, 0, 1]);
    assert_eq!(outcome.verdict, Verdict::AskStaff);
    assert_eq!(outcome.application.means_check, MeansCheck::DeclaredBelow);
}

#[test]
fn income_above_threshold_is_not_likely_unless_something_was_unclear() {
    let outcome = run(&[NOT_URGENT, CIVIL, 4, 4, 4, 1]);
    assert_eq!(outcome.verdict, Verdict::NotLikely);
    assert_eq!(outcome.application.means_check, MeansCheck::DeclaredAbove);
    // Not sure about the exemption: the income alone cannot say "not likely".
    let unsure_exempt = run(&[NOT_URGENT, CIVIL, 4, 4, 5, 1]);
    assert_eq!(unsure_exempt.verdict, Verdict::AskStaff);
    assert!(says(&unsure_exempt, "不清楚是否属于不用核查"));
}

/// Every question but the promise can be answered 不清楚, and each such answer is named in
/// the outcome with what to do about it.
#[test]
fn every_question_offers_not_sure_and_the_outcome_says_what_is_unclear() {
    let mut check = LegalAidCheck::new(policy());
    // Walk the longest civil path, answering 不清楚 wherever a question offers it.
    let mut unsure_answered = 0;
    while let State::Ask(question) = check.state() {
        let last = question.options.len() - 1;
        if question.step == Step::Promise {
            break;
        }
        assert_eq!(question.options[last].zh, "不清楚", "{:?}", question.step);
        let choice = if question.step == Step::CaseKind {
            CIVIL
        } else {
            last
        };
        if choice == last {
            unsure_answered += 1;
        }
        check.answer(choice).unwrap();
    }
    let State::Done(outcome) = check.state() else {
        panic!("income 不清楚 ends the check");
    };
    assert_eq!(outcome.verdict, Verdict::AskStaff);
    assert_eq!(outcome.application.unclear.len(), unsure_answered);
    assert!(outcome.reasons.len() >= unsure_answered);
    let unknown_kind = run(&[NOT_URGENT, 4]);
    assert_eq!(unknown_kind.verdict, Verdict::AskStaff);
    assert!(says(&unknown_kind, "12348"));
}

/// One fact per question or answer: the old questions packed up to eight categories, split
/// by "；", into one yes/no.
#[test]
fn no_question_or_answer_packs_several_facts() {
    let paths: [&[usize]; 5] = [
        &[NOT_URGENT, ACCUSED, 7, 4],
        &[NOT_URGENT, RETRIAL, 0, 4],
        &[NOT_URGENT, CIVIL, 4, 4, 4, 0],
        &[NOT_URGENT, VICTIM],
        &[],
    ];
    for path in paths {
        let mut check = LegalAidCheck::new(policy());
        for &a in path {
            let State::Ask(question) = check.state() else {
                panic!("finished early on {path:?}");
            };
            for text in std::iter::once(&question.text).chain(&question.options) {
                assert!(!text.zh.contains('；'), "{}", text.zh);
                assert!(!text.en.is_empty());
            }
            check.answer(a).unwrap();
        }
    }
}

/// The first question in plain words: no 开庭 or 诉讼时效 (art. 44 speaks of a time limit to
/// sue, apply for arbitration or administrative review).
#[test]
fn the_first_question_is_in_plain_words() {
    let State::Ask(first) = LegalAidCheck::new(policy()).state() else {
        panic!("a question first");
    };
    assert_eq!(first.step, Step::Deadline);
    assert!(!first.text.zh.contains("开庭") && !first.text.zh.contains("诉讼时效"));
    assert!(first.text.zh.contains("7天"));
}

#[test]
fn a_close_deadline_requests_provisional_aid() {
    let outcome = run(&[0, CIVIL, 0]);
    assert!(outcome.application.provisional_aid_requested);
    assert!(cites(&outcome, 44));
    let unsure = run(&[2, CIVIL, 0]);
    assert!(!unsure.application.provisional_aid_requested);
    assert!(says(&unsure, "尽快到窗口问清楚"));
    assert!(
        !run(&[NOT_URGENT, CIVIL, 0])
            .application
            .provisional_aid_requested
    );
}

#[test]
fn unlisted_matters_go_to_staff() {
    let unlisted = run(&[NOT_URGENT, CIVIL, 4, 8]);
    assert_eq!(unlisted.verdict, Verdict::AskStaff);
    assert_eq!(unlisted.application.means_check, MeansCheck::Unknown);
}

/// 个人信息保护法 art. 28: being suspected, a victim of domestic violence or disabled are
/// sensitive; the withheld form of the request carries none of it.
#[test]
fn sensitive_answers_are_marked_and_can_be_withheld() {
    assert!(run(&[NOT_URGENT, ACCUSED, 0]).application.sensitive);
    assert!(run(&[NOT_URGENT, CIVIL, 0]).application.sensitive);
    assert!(run(&[NOT_URGENT, CIVIL, 4, 4, 0]).application.sensitive);
    let wages = run(&[NOT_URGENT, CIVIL, 4, 4, 3]);
    assert!(!wages.application.sensitive);
    assert_eq!(wages.application.grounds, ["wages", "migrant_worker"]);
    let dv = run(&[0, CIVIL, 0]).application;
    let withheld = serde_json::to_string(&dv.withheld()).unwrap();
    assert!(withheld.contains("\"provisional_aid_requested\":true"));
    for secret in ["domestic_violence", "32", "civil"] {
        assert!(!withheld.contains(secret), "{withheld}");
    }
}

#[test]
fn income_question_shows_the_configured_threshold() {
    let mut check = LegalAidCheck::new(policy());
    for a in [NOT_URGENT, CIVIL, 4, 4, 4] {
        check.answer(a).unwrap();
    }
    let State::Ask(question) = check.state() else {
        panic!("expected the income question");
    };
    assert_eq!(question.step, Step::Income);
    assert!(question.text.zh.contains("2592") && question.text.en.contains("2592"));
}

#[test]
fn back_and_bad_answers() {
    let mut check = LegalAidCheck::new(policy());
    assert!(!check.back());
    assert_eq!(
        check.answer(7),
        Err(LegalAidError::NoSuchOption {
            step: Step::Deadline,
            option: 7
        })
    );
    check.answer(NOT_URGENT).unwrap();
    check.answer(CIVIL).unwrap();
    assert!(matches!(check.answer(0).unwrap(), State::Done(_)));
    assert_eq!(check.answer(0), Err(LegalAidError::Finished));
    assert!(check.back());
    let State::Ask(question) = check.state() else {
        panic!("expected a question after going back");
    };
    assert_eq!(question.step, Step::NoMeansTest);
}

#[test]
fn every_cited_article_exists_in_the_corpus() {
    let corpus = crate::laws::Corpus::curated();
    let law = corpus.instrument("法律援助法").unwrap();
    for article in [
        22, 24, 25, 28, 29, 30, 31, 32, 33, 34, 38, 39, 41, 42, 43, 44,
    ] {
        assert!(law.article(article, 0).is_some(), "art. {article}");
    }
}
