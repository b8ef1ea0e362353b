use super::*;
use crate::domain::bi;

fn rules() -> JurisdictionRules {
    JurisdictionRules::shipped().expect("shipped jurisdiction rules")
}

fn here() -> Jurisdiction {
    Jurisdiction {
        area: bi("示例市", "Example City"),
        rules: rules(),
    }
}

#[test]
fn every_matter_the_rules_name_is_in_the_catalogue() {
    let catalogue = Catalogue::shipped().unwrap();
    rules().check_against(&catalogue).unwrap();
}

#[test]
fn a_misspelt_matter_is_refused_against_the_catalogue() {
    let text = SHIPPED_JURISDICTION_TOML.replace("\"gift\"]", "\"gfit\"]");
    let catalogue = Catalogue::shipped().unwrap();
    let err = JurisdictionRules::from_toml_str(&text)
        .unwrap()
        .check_against(&catalogue)
        .unwrap_err();
    assert!(err.to_string().contains("gfit"), "{err}");
}

/// 公证法 art. 25 ¶2: real property is decided where it lies, except for a power of
/// attorney, declaration, gift or will, which may also follow ¶1.
#[test]
fn the_rules_follow_article_25() {
    let rules = rules();
    let inheritance = rules.rule_for("inheritance");
    let clause = inheritance.real_estate.as_ref().expect("inheritance asks");
    assert_eq!(clause.places, vec![Basis::RealEstate]);
    for matter in [
        "poa_property",
        "declaration",
        "inheritance_waiver",
        "will",
        "gift",
    ] {
        let rule = rules.rule_for(matter);
        assert!(rule.real_estate.is_none(), "{matter}");
        assert!(rule.places.contains(&Basis::RealEstate), "{matter}");
        assert!(rule.places.contains(&Basis::Domicile), "{matter}");
    }
    let birth = rules.rule_for("birth");
    assert_eq!(
        birth.places,
        vec![Basis::Domicile, Basis::HabitualResidence, Basis::ActOrFact]
    );
    assert!(rules
        .rule_for("business_licence")
        .places
        .contains(&Basis::Seat));
}

#[test]
fn the_article_cited_is_in_the_statute_text() {
    let law = include_str!("../../../../data/laws/行政法/公证法(2017-09-01).md");
    assert!(law.contains("第二十五条 自然人、法人或者其他组织申请办理公证，可以向住所地、经常居住地、行为地或者事实发生地的公证机构提出。"));
    assert!(law.contains("申请办理涉及不动产的公证，应当向不动产所在地的公证机构提出；申请办理涉及不动产的委托、声明、赠与、遗嘱的公证，可以适用前款规定。"));
}

#[test]
fn a_flat_in_another_city_is_sent_to_the_office_where_it_lies() {
    let jurisdiction = here();
    let rule = jurisdiction.rules.rule_for("inheritance");
    let mut answers = JurisdictionAnswers::default();
    assert!(matches!(
        answers.question(rule, &jurisdiction),
        JurisdictionQuestion::RealEstate { .. }
    ));
    // A place cannot be chosen before the real-estate question is answered.
    answers.answer(JurisdictionAnswer::Place(Basis::Domicile), rule);
    assert_eq!(answers.outcome, None);
    answers.answer(JurisdictionAnswer::InvolvesRealEstate(true), rule);
    let JurisdictionQuestion::Places { places, .. } = answers.question(rule, &jurisdiction) else {
        panic!("places expected");
    };
    assert_eq!(places.len(), 1);
    assert_eq!(places[0].1.zh, "涉及的房屋、土地在示例市");
    // The citizen's household being here does not help once real property is involved.
    answers.answer(JurisdictionAnswer::Place(Basis::Domicile), rule);
    assert_eq!(answers.outcome, None);
    answers.answer(JurisdictionAnswer::NoneHere, rule);
    let JurisdictionQuestion::Elsewhere { guidance } = answers.question(rule, &jurisdiction) else {
        panic!("guidance expected");
    };
    assert!(
        guidance.zh.contains("房屋、土地所在地的公证处"),
        "{}",
        guidance.zh
    );
    assert!(guidance.zh.contains("《公证法》第二十五条第二款"));
    assert_eq!(answers.basis(), None);
}

#[test]
fn an_inheritance_without_real_property_follows_the_first_paragraph() {
    let jurisdiction = here();
    let rule = jurisdiction.rules.rule_for("inheritance");
    let mut answers = JurisdictionAnswers::default();
    answers.answer(JurisdictionAnswer::InvolvesRealEstate(false), rule);
    answers.answer(JurisdictionAnswer::Place(Basis::RealEstate), rule);
    assert_eq!(answers.outcome, None, "real estate is not offered");
    answers.answer(JurisdictionAnswer::Place(Basis::HabitualResidence), rule);
    assert_eq!(answers.basis(), Some(Basis::HabitualResidence));
}

#[test]
fn undo_takes_back_one_answer_at_a_time() {
    let jurisdiction = here();
    let rule = jurisdiction.rules.rule_for("inheritance");
    let mut answers = JurisdictionAnswers::default();
    answers.answer(JurisdictionAnswer::InvolvesRealEstate(true), rule);
    answers.answer(JurisdictionAnswer::NoneHere, rule);
    assert!(answers.undo());
    assert_eq!(answers.real_estate, Some(true));
    assert!(answers.undo());
    assert_eq!(answers, JurisdictionAnswers::default());
    assert!(!answers.undo());
}

#[test]
fn bad_rules_are_refused_with_their_reason() {
    let two_defaults = SHIPPED_JURISDICTION_TOML.replace(
        "id = \"organisation\"",
        "id = \"organisation\"\ndefault = true",
    );
    assert_eq!(
        JurisdictionRules::from_toml_str(&two_defaults),
        Err(JurisdictionError::Default(2))
    );
    let unknown_place = SHIPPED_JURISDICTION_TOML.replace(
        "places = [\"seat\", \"act_or_fact\"]",
        "places = [\"seat\", \"moon\"]",
    );
    assert!(matches!(
        JurisdictionRules::from_toml_str(&unknown_place),
        Err(JurisdictionError::Parse(_))
    ));
    let half_clause =
        SHIPPED_JURISDICTION_TOML.replace("real_estate_places = [\"real_estate\"]\n", "");
    let err = JurisdictionRules::from_toml_str(&half_clause).unwrap_err();
    assert!(err.to_string().contains("go together"), "{err}");
    let twice = SHIPPED_JURISDICTION_TOML.replace(
        "\"will\", \"gift\"]",
        "\"will\", \"gift\", \"inheritance\"]",
    );
    let err = JurisdictionRules::from_toml_str(&twice).unwrap_err();
    assert!(err.to_string().contains("two rules"), "{err}");
}
