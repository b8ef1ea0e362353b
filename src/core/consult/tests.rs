use super::*;
use crate::domain::SubmissionKind;
use crate::laws::legal_aid::{State, Verdict};
use crate::laws::SearchHit;

fn flow() -> ConsultFlow {
    ConsultFlow::new(crate::config::KioskConfig::demo("/tmp".into()).legal_aid).unwrap()
}

fn hit(law: &str) -> SearchHit {
    SearchHit {
        article_id: 1,
        law: law.into(),
        law_title: law.into(),
        law_en: None,
        number: 30,
        suffix: 0,
        label: "第三十条".into(),
        divisions: Vec::new(),
        snippet: Vec::new(),
        score: 1.0,
    }
}

#[test]
fn a_late_answer_to_an_older_search_is_dropped() {
    let mut search = SearchState::default();
    let first = search.begin("工资").unwrap();
    let second = search.begin("  拖欠工资 ").unwrap();
    assert_eq!(search.query, "拖欠工资");
    assert!(!search.finish(first, Some(vec![hit("old")])));
    assert_eq!(search.status, SearchStatus::Searching);
    assert!(search.finish(second, Some(vec![hit("劳动合同法")])));
    assert_eq!(search.status, SearchStatus::Done);
    assert_eq!(search.hits[0].law, "劳动合同法");
    assert!(!search.finish(second, None), "answered once");
    assert_eq!(search.begin("   "), None);
    assert_eq!(search.status, SearchStatus::Idle);
    assert!(search.hits.is_empty());
}

#[test]
fn a_failed_search_is_reported() {
    let mut search = SearchState::default();
    let n = search.begin("离婚").unwrap();
    assert!(search.finish(n, None));
    assert_eq!(search.status, SearchStatus::Failed);
}

#[test]
fn guided_questions_walk_to_an_outcome_and_back() {
    let mut flow = flow();
    let topics = flow.guide.topics(Language::Zh);
    assert_eq!(topics.len(), 8);
    assert_eq!(topics[0], "拖欠工资");
    assert!(flow.guide.view(Language::Zh).is_none());
    assert!(!flow.guide.choose(99));
    assert!(flow.guide.choose(0));
    let Some(GuideView::Question {
        number, answers, ..
    }) = flow.guide.view(Language::En)
    else {
        panic!("a question first");
    };
    assert_eq!(number, 1);
    assert_eq!(answers[0], "Yes, still working");
    assert!(!flow.guide.answer(7), "no such answer");
    assert!(flow.guide.answer(0));
    assert!(flow.guide.answer(0));
    let Some(GuideView::Outcome {
        cite, next_steps, ..
    }) = flow.guide.view(Language::Zh)
    else {
        panic!("an outcome after two answers");
    };
    assert_eq!(cite[0].law, "劳动合同法");
    assert_eq!(cite[0].article, 30);
    assert!(!next_steps.is_empty());
    assert!(!flow.guide.answer(0), "an outcome takes no answers");
    let (topic, path) = flow.guide.trail().unwrap();
    assert_eq!(topic, "unpaid_wages");
    assert_eq!(
        path,
        ["still_employed", "contract", "employed_with_contract"]
    );
    assert!(flow.back_within(Screen::ConsultGuide));
    assert!(matches!(
        flow.guide.view(Language::Zh),
        Some(GuideView::Question { number: 2, .. })
    ));
    assert!(flow.back_within(Screen::ConsultGuide));
    assert!(
        !flow.back_within(Screen::ConsultGuide),
        "leave at the first"
    );
}

/// The next steps the kiosk does itself are actions; a finished outcome can be printed.
#[test]
fn a_guide_outcome_offers_actions_and_a_handout() {
    let mut flow = flow();
    flow.guide.choose(0);
    assert!(flow.handout(Printable::Guidance, Language::Zh).is_none());
    flow.guide.answer(0);
    flow.guide.answer(0);
    let Some(GuideView::Outcome { next_steps, .. }) = flow.guide.view(Language::Zh) else {
        panic!("an outcome");
    };
    let actions: Vec<Option<StepAction>> = next_steps.iter().map(|s| s.action).collect();
    assert_eq!(actions, [None, None, Some(StepAction::LegalAidCheck)]);
    assert_eq!(next_steps[2].label, "申请法律援助");
    let handout = flow.handout(Printable::Guidance, Language::Zh).unwrap();
    assert_eq!(handout.title, "拖欠工资");
    assert!(flow.handout(Printable::LegalAid, Language::Zh).is_none());
    flow.print = PrintState::Printed;
    flow.print_of = Printable::Guidance;
    flow.forget_print(Printable::Article);
    assert_eq!(
        flow.print,
        PrintState::Printed,
        "another screen's print stays"
    );
    flow.forget_print(Printable::Guidance);
    assert_eq!(flow.print, PrintState::Idle);
}

#[test]
fn legal_aid_back_steps_through_questions() {
    let mut flow = flow();
    assert!(!flow.back_within(Screen::LegalAid));
    assert!(flow.legal_aid_answer(1));
    assert_eq!(flow.legal_aid_number(), 2);
    assert!(!flow.legal_aid_answer(9));
    assert!(flow.back_within(Screen::LegalAid));
    assert_eq!(flow.legal_aid_number(), 1);
    assert!(!flow.back_within(Screen::ConsultSearch));
}

#[test]
fn reset_forgets_everything() {
    let mut flow = flow();
    flow.search.begin("工资");
    flow.guide.choose(2);
    flow.legal_aid_answer(0);
    flow.request.phone = "13800138000".into();
    flow.print = PrintState::Printed;
    flow.committing = true;
    flow.receipt = Some(ShownReceipt {
        kind: RequestKind::Consultation,
        number: "ZX-1".into(),
    });
    flow.reset();
    assert!(flow.search.query.is_empty());
    assert!(flow.guide.view(Language::Zh).is_none());
    assert_eq!(flow.legal_aid_number(), 1);
    assert!(flow.request.phone.is_empty());
    assert_eq!(flow.print, PrintState::Idle);
    assert!(!flow.committing);
    assert!(flow.receipt.is_none());
}

fn filled() -> RequestForm {
    RequestForm {
        category: Some(Category::Labour),
        description: "老板拖欠三个月工资".into(),
        phone: "138 0013 8000".into(),
        consent: true,
        ..RequestForm::new(RequestKind::Consultation)
    }
}

#[test]
fn the_request_form_names_the_first_problem() {
    type Spoil = fn(&mut RequestForm);
    let cases: [(Spoil, FormError); 5] = [
        (|f| f.category = None, FormError::NoCategory),
        (|f| f.description = "  ".into(), FormError::NoDescription),
        (
            |f| f.description = "字".repeat(301),
            FormError::DescriptionTooLong,
        ),
        (|f| f.phone = "2380013800".into(), FormError::BadPhone),
        (|f| f.consent = false, FormError::NoConsent),
    ];
    for (spoil, expected) in cases {
        let mut form = filled();
        spoil(&mut form);
        assert_eq!(form.submission(Language::Zh).err(), Some(expected));
        assert_eq!(form.error, Some(expected));
    }
    assert_eq!(normalise_phone_for_test("12345678901x"), None);
}

fn normalise_phone_for_test(phone: &str) -> Option<String> {
    request::normalise_phone(phone)
}

#[test]
fn a_valid_request_becomes_a_consultation_submission() {
    let mut form = filled();
    form.guide_trail = Some(("unpaid_wages".into(), vec!["still_employed".into()]));
    let submission = form.submission(Language::En).unwrap();
    assert_eq!(submission.kind, SubmissionKind::Consultation);
    assert_eq!(submission.payload["phone"], "13800138000");
    assert_eq!(submission.payload["category"], "labour");
    assert_eq!(submission.payload["language"], "en");
    assert_eq!(submission.payload["guide"]["topic"], "unpaid_wages");
    assert_eq!(form.error, None);
}

#[test]
fn a_legal_aid_request_carries_the_pre_check() {
    let mut flow = flow();
    // Not urgent, civil matter, no special ground, wages, receives social assistance.
    for answer in [1, 3, 4, 4, 1] {
        assert!(flow.legal_aid_answer(answer));
    }
    let Some(State::Done(outcome)) = flow.legal_aid_state() else {
        panic!("finished");
    };
    assert_eq!(outcome.verdict, Verdict::LikelyEligible);
    flow.start_request(RequestKind::LegalAid);
    flow.request.phone = "13900139000".into();
    flow.request.consent = true;
    let submission = flow.request.submission(Language::Zh).unwrap();
    assert_eq!(submission.kind, SubmissionKind::LegalAidPrecheck);
    assert_eq!(
        submission.payload["legal_aid"]["verdict"],
        "likely_eligible"
    );
    assert!(submission.payload.get("category").is_none());
    assert_eq!(submission.payload["legal_aid"]["grounds"][1], "assistance");
}

/// 个人信息保护法 art. 29: the answer "domestic-violence victim" is sent only with its own
/// consent; without it the request still goes, with the answers withheld.
#[test]
fn sensitive_pre_check_answers_need_their_own_consent() {
    let mut flow = flow();
    // Not urgent, civil matter, a victim of domestic violence.
    for answer in [1, 3, 0] {
        assert!(flow.legal_aid_answer(answer));
    }
    flow.start_request(RequestKind::LegalAid);
    flow.request.phone = "13900139000".into();
    flow.request.consent = true;
    let withheld = flow.request.submission(Language::Zh).unwrap().payload;
    let text = withheld.to_string();
    assert!(
        !text.contains("domestic_violence") && !text.contains("civil"),
        "{text}"
    );
    assert_eq!(withheld["legal_aid"]["sensitive_answers_withheld"], true);
    assert_eq!(withheld["sensitive_consent"], false);
    flow.request.sensitive_consent = true;
    let shared = flow.request.submission(Language::Zh).unwrap().payload;
    assert_eq!(shared["legal_aid"]["grounds"][0], "domestic_violence");
    assert_eq!(shared["sensitive_consent"], true);
}

#[test]
fn debug_of_the_form_masks_the_phone_and_hides_the_text() {
    let text = format!("{:?}", filled());
    assert!(text.contains("138****"), "{text}");
    assert!(!text.contains("0013") && !text.contains("工资"), "{text}");
}

#[test]
fn a_request_after_guided_questions_knows_the_topic() {
    let mut flow = flow();
    flow.guide.choose(2);
    flow.start_request(RequestKind::Consultation);
    assert_eq!(flow.request.category, Some(Category::Family));
    assert_eq!(flow.request.guide_trail.as_ref().unwrap().0, "divorce");
    flow.guide.reset();
    flow.start_request(RequestKind::Consultation);
    assert_eq!(flow.request.category, None);
}

#[test]
fn the_pre_check_applies_the_configured_standard() {
    let text = "[kiosk]\nid = \"SZ-FT-001\"\nhall = \"h\"\ndata_dir = \"/tmp\"\n\
                [legal_aid]\nregion = \"广东省深圳市\"\nregion_en = \"Shenzhen, Guangdong\"\n\
                monthly_income_threshold_yuan = 2360\n";
    let config = crate::config::KioskConfig::parse(text, std::path::Path::new("/etc/k.toml"));
    let mut flow = ConsultFlow::new(config.unwrap().legal_aid).unwrap();
    // Not urgent, civil matter, no special ground, wages, not exempt.
    for answer in [1, 3, 4, 4, 4] {
        assert!(flow.legal_aid_answer(answer));
    }
    let Some(State::Ask(question)) = flow.legal_aid_state() else {
        panic!("expected the income question");
    };
    assert!(question.text.zh.contains("2360"), "{}", question.text.zh);
    assert!(question.text.zh.contains("深圳") && question.text.en.contains("Shenzhen"));
    assert!(!question.text.zh.contains("2592"));
    // Above the standard.
    assert!(flow.legal_aid_answer(1));
    let Some(State::Done(outcome)) = flow.legal_aid_state() else {
        panic!("finished");
    };
    assert_eq!(outcome.verdict, Verdict::NotLikely);
    assert_eq!(outcome.application.income_threshold_yuan, 2360);
    // A reset starts again under the same standard.
    flow.reset();
    assert!(matches!(flow.legal_aid_state(), Some(State::Ask(_))));
}

#[test]
fn without_a_configured_standard_there_is_no_pre_check() {
    let mut flow = ConsultFlow::new(None).unwrap();
    assert!(flow.legal_aid_state().is_none());
    assert!(!flow.legal_aid_answer(0));
    assert!(!flow.back_within(Screen::LegalAid));
    flow.start_request(RequestKind::LegalAid);
    assert_eq!(flow.request.kind, RequestKind::LegalAid);
    assert!(flow.request.legal_aid.is_none());
}
