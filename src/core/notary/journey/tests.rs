use super::*;
use crate::core::notary::applicant::tests::zhang_san;
use crate::core::notary::consent::ConsentItem;
use crate::core::notary::form::{FormEdit, Purpose};
use chrono::TimeZone;

fn now() -> DateTime<FixedOffset> {
    FixedOffset::east_opt(8 * 3600)
        .unwrap()
        .with_ymd_and_hms(2026, 3, 1, 10, 0, 0)
        .unwrap()
}

fn journey() -> Journey {
    Journey::new(JourneySetup {
        catalogue: Arc::new(Catalogue::shipped().unwrap()),
        jurisdiction: None,
        fees: Arc::new(FeeSchedule::example().unwrap()),
        office: OfficeInfo::default(),
        kiosk_id: "kiosk-1".into(),
        camera_fitted: true,
        fingerprint_fitted: false,
        id_digest_key: IdDigestKey::new("k"),
        collect_ethnicity: false,
    })
}

fn to_form(j: &mut Journey, matter: &str) {
    j.command(Command::ChooseMatter(matter.into()), now());
    j.command(Command::Next, now());
    for item in ConsentItem::ALL {
        j.command(Command::SetConsent(item, true), now());
    }
    assert_eq!(j.command(Command::Next, now()), vec![Effect::AwaitCard]);
    j.event(Event::Card(CardEvent::Read(Box::new(zhang_san()))), now());
    if j.step() == Step::Parties {
        // For oneself, and the matter involves no one else.
        assert!(j.party_specs().is_empty(), "{matter}");
        j.command(Command::Next, now());
    }
    assert_eq!(j.step(), Step::Form);
}

#[test]
fn wipe_returns_every_field_to_its_default() {
    let mut j = journey();
    to_form(&mut j, "birth");
    j.command(Command::Edit(FormEdit::Purpose(Purpose::Study)), now());
    j.command(Command::Edit(FormEdit::Phone("13812345678".into())), now());
    j.command(Command::Next, now());
    j.command(Command::Capture("hukou".into()), now());
    j.event(
        Event::DocumentCaptured {
            material_id: "hukou".into(),
            result: Ok(vec![0xFF, 0xD8, 0xFF, 0xD9]),
        },
        now(),
    );
    assert!(j.holds_personal_data());
    assert_ne!(j.data, JourneyData::default());
    j.wipe();
    assert_eq!(j.data, JourneyData::default());
    assert!(!j.holds_personal_data());
    assert_eq!(j.step(), Step::ChooseMatter);
}

#[test]
fn fingerprint_matter_without_a_module_records_it_as_unavailable() {
    let mut j = journey();
    to_form(&mut j, "will");
    assert_eq!(j.data.fingerprint, Some(FingerprintCheck::Unavailable));
}

#[test]
fn stale_answers_are_ignored() {
    let mut j = journey();
    to_form(&mut j, "birth");
    assert!(j
        .event(Event::Submitted(Err(SubmitFailure::StorageFull)), now())
        .is_empty());
    assert!(j.event(Event::Printed(Ok(())), now()).is_empty());
    assert_eq!(j.step(), Step::Form);
    assert!(j.data.message.is_none());
}

#[test]
fn debug_output_carries_no_personal_data() {
    let mut j = journey();
    to_form(&mut j, "birth");
    j.command(Command::Edit(FormEdit::Phone("13812345678".into())), now());
    let shown = format!("{j:?} {:?}", j.view(now()));
    assert!(!shown.contains("张小三"), "{shown}");
    assert!(!shown.contains("13812345678"));
    assert!(!shown.contains("19900307"));
}

#[test]
fn ethnicity_is_dropped_at_the_card_unless_the_office_form_needs_it() {
    let mut j = journey();
    to_form(&mut j, "birth");
    assert_eq!(j.data.applicant.as_ref().unwrap().ethnicity, None);
    let mut setup = j.setup.clone();
    setup.collect_ethnicity = true;
    let mut j = Journey::new(setup);
    to_form(&mut j, "birth");
    assert_eq!(
        j.data.applicant.as_ref().unwrap().ethnicity.as_deref(),
        Some("汉")
    );
}

mod jurisdiction {
    use super::*;
    use crate::core::notary::jurisdiction::{
        Basis, Jurisdiction, JurisdictionAnswer, JurisdictionQuestion, JurisdictionRules,
    };
    use crate::domain::bi;

    fn journey_here() -> Journey {
        let mut j = journey();
        j.setup.jurisdiction = Some(Arc::new(Jurisdiction {
            area: bi("示例市", "Example City"),
            rules: JurisdictionRules::shipped().unwrap(),
        }));
        j
    }

    fn answer(j: &mut Journey, answer: JurisdictionAnswer) {
        j.command(Command::AnswerJurisdiction(answer), now());
    }

    #[test]
    fn the_office_area_is_asked_before_consent_and_the_answer_is_sent() {
        let mut j = journey_here();
        j.command(Command::ChooseMatter("birth".into()), now());
        j.command(Command::Next, now());
        assert_eq!(j.step(), Step::Jurisdiction);
        assert!(!j.holds_personal_data());
        let ScreenView::Jurisdiction(JurisdictionQuestion::Places { places, .. }) =
            j.view(now()).screen
        else {
            panic!("the places are asked");
        };
        assert_eq!(places.len(), 3);
        answer(&mut j, JurisdictionAnswer::Place(Basis::ActOrFact));
        assert_eq!(j.step(), Step::Consent);
        for item in ConsentItem::ALL {
            j.command(Command::SetConsent(item, true), now());
        }
        j.command(Command::Next, now());
        j.event(Event::Card(CardEvent::Read(Box::new(zhang_san()))), now());
        assert_eq!(
            j.payload_jurisdiction().map(|p| p.basis),
            Some(Basis::ActOrFact)
        );
        assert_eq!(
            j.payload_jurisdiction().map(|p| p.area_zh),
            Some("示例市".to_string())
        );
    }

    #[test]
    fn an_inheritance_of_a_flat_elsewhere_is_not_taken_and_says_where_to_go() {
        let mut j = journey_here();
        j.command(Command::ChooseMatter("inheritance".into()), now());
        j.command(Command::Next, now());
        answer(&mut j, JurisdictionAnswer::InvolvesRealEstate(true));
        answer(&mut j, JurisdictionAnswer::NoneHere);
        assert_eq!(j.step(), Step::Jurisdiction);
        let ScreenView::Jurisdiction(JurisdictionQuestion::Elsewhere { guidance }) =
            j.view(now()).screen
        else {
            panic!("guidance expected");
        };
        assert!(guidance.zh.contains("房屋、土地所在地的公证处"));
        // Back takes the answer back; "done" leaves, with nothing kept.
        j.command(Command::Back, now());
        assert!(matches!(
            j.view(now()).screen,
            ScreenView::Jurisdiction(JurisdictionQuestion::Places { .. })
        ));
        answer(&mut j, JurisdictionAnswer::NoneHere);
        assert_eq!(j.command(Command::Next, now()), vec![Effect::Exit]);
        assert_eq!(j.step(), Step::ChooseMatter);
    }

    #[test]
    fn back_from_consent_asks_again() {
        let mut j = journey_here();
        j.command(Command::ChooseMatter("will".into()), now());
        j.command(Command::Next, now());
        answer(&mut j, JurisdictionAnswer::Place(Basis::RealEstate));
        assert_eq!(j.step(), Step::Consent);
        j.command(Command::Back, now());
        assert_eq!(j.step(), Step::Jurisdiction);
        assert_eq!(j.data.jurisdiction, Default::default());
        j.command(Command::Back, now());
        assert_eq!(j.step(), Step::MatterInfo);
    }

    #[test]
    fn without_an_area_the_kiosk_does_not_ask() {
        let mut j = journey();
        j.command(Command::ChooseMatter("birth".into()), now());
        j.command(Command::Next, now());
        assert_eq!(j.step(), Step::Consent);
    }
}
