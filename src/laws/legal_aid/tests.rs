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

// Option indices: Urgent yes=0/no=1; CaseKind accused=0 victim=1 retrial=2 civil=3;
// yes/no questions yes=0 no=1; Income below=0 not below=1 unsure=2.

#[test]
fn domestic_violence_victim_has_no_means_test() {
    let outcome = run(&[1, 3, 0]);
    assert_eq!(outcome.verdict, Verdict::LikelyEligible);
    assert_eq!(outcome.application.means_check, MeansCheck::NotRequired);
    assert!(cites(&outcome, 32));
}

#[test]
fn minor_accused_gets_appointed_defence() {
    let outcome = run(&[1, 0, 0]);
    assert_eq!(outcome.verdict, Verdict::LikelyEligible);
    assert!(cites(&outcome, 25) && cites(&outcome, 24));
}

#[test]
fn migrant_worker_claiming_wages_is_exempt_from_the_means_check() {
    let outcome = run(&[1, 3, 1, 0, 0]);
    assert_eq!(outcome.verdict, Verdict::LikelyEligible);
    assert_eq!(outcome.application.means_check, MeansCheck::Exempt);
    assert!(cites(&outcome, 42) && cites(&outcome, 31));
    assert!(outcome.materials.iter().any(|m| m.zh.contains("免予核查")));
}

#[test]
fn low_income_with_integrity_promise_is_likely_eligible() {
    let outcome = run(&[1, 3, 1, 0, 1, 0, 0]);
    assert_eq!(outcome.verdict, Verdict::LikelyEligible);
    assert_eq!(outcome.application.means_check, MeansCheck::Promised);
    assert!(cites(&outcome, 41) && cites(&outcome, 34));
}

#[test]
fn low_income_without_promise_goes_to_staff() {
    let outcome = run(&[1, 3, 1, 0, 1, 0, 1]);
    assert_eq!(outcome.verdict, Verdict::AskStaff);
    assert_eq!(outcome.application.means_check, MeansCheck::DeclaredBelow);
}

#[test]
fn income_above_threshold_is_not_likely() {
    let outcome = run(&[1, 3, 1, 0, 1, 1]);
    assert_eq!(outcome.verdict, Verdict::NotLikely);
    assert_eq!(outcome.application.means_check, MeansCheck::DeclaredAbove);
    assert!(outcome
        .reasons
        .iter()
        .all(|r| !r.zh.is_empty() && !r.en.is_empty()));
}

#[test]
fn unsure_income_and_unlisted_matters_go_to_staff() {
    assert_eq!(run(&[1, 3, 1, 0, 1, 2]).verdict, Verdict::AskStaff);
    let unlisted = run(&[1, 3, 1, 1]);
    assert_eq!(unlisted.verdict, Verdict::AskStaff);
    assert_eq!(unlisted.application.means_check, MeansCheck::Unknown);
}

#[test]
fn criminal_victim_and_retrial_take_the_means_path() {
    let victim = run(&[1, 1, 1, 1]);
    assert_eq!(victim.verdict, Verdict::NotLikely);
    assert!(cites(&victim, 29));
    let retrial = run(&[1, 2, 0]);
    assert_eq!(retrial.verdict, Verdict::LikelyEligible);
    assert!(cites(&retrial, 33));
}

#[test]
fn urgent_deadline_requests_provisional_aid() {
    let outcome = run(&[0, 3, 0]);
    assert!(outcome.application.provisional_aid_requested);
    assert!(cites(&outcome, 44));
    assert!(!run(&[1, 3, 0]).application.provisional_aid_requested);
}

#[test]
fn income_question_shows_the_configured_threshold() {
    let mut check = LegalAidCheck::new(policy());
    for a in [1, 3, 1, 0, 1] {
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
            step: Step::Urgent,
            option: 7
        })
    );
    check.answer(1).unwrap();
    check.answer(3).unwrap();
    assert!(matches!(check.answer(0).unwrap(), State::Done(_)));
    assert_eq!(check.answer(0), Err(LegalAidError::Finished));
    assert!(check.back());
    let State::Ask(question) = check.state() else {
        panic!("expected a question after going back");
    };
    assert_eq!(question.step, Step::SpecialGround);
}

#[test]
fn every_cited_article_exists_in_the_corpus() {
    let corpus = crate::laws::Corpus::curated();
    let law = corpus.instrument("法律援助法").unwrap();
    for article in [22, 24, 25, 29, 31, 32, 33, 34, 41, 42, 44] {
        assert!(law.article(article, 0).is_some(), "art. {article}");
    }
}
