//! The shipped notary data files load, validate and cover what the kiosk offers.

use legal_kiosk::core::notary::catalogue::{LegalGroup, Need};
use legal_kiosk::core::notary::{Authentication, Catalogue, FeeSchedule};
use std::path::Path;

fn shipped() -> Catalogue {
    Catalogue::load(Path::new("data/notary/matters.toml")).expect("the shipped catalogue is valid")
}

#[test]
fn shipped_catalogue_has_the_common_matters() {
    let catalogue = shipped();
    assert!(
        catalogue.matters().len() >= 30,
        "{}",
        catalogue.matters().len()
    );
    for id in [
        "birth",
        "education",
        "degree",
        "no_criminal_record",
        "kinship",
        "unmarried",
        "married",
        "divorced",
        "poa_property",
        "poa_affairs",
        "declaration",
        "inheritance",
        "will",
        "gift",
        "copy_conformity",
        "translation_conformity",
        "driving_licence",
        "identity",
        "household_register",
        "death",
        "alive",
        "professional_qualification",
        "transcript",
        "business_licence",
        "articles_of_association",
    ] {
        assert!(catalogue.matter(id).is_some(), "missing {id}");
    }
    for category in catalogue.categories() {
        assert!(
            catalogue.in_category(&category.id).count() > 0,
            "{} is empty",
            category.id
        );
    }
}

#[test]
fn personal_matters_are_in_person_and_ask_a_fingerprint() {
    let catalogue = shipped();
    for id in ["will", "poa_property", "alive", "declaration", "signature"] {
        let matter = catalogue.matter(id).unwrap();
        assert!(
            matter.in_person && !matter.agent_allowed && matter.fingerprint_mark,
            "{id}"
        );
    }
    assert!(!catalogue.matter("birth").unwrap().in_person);
}

#[test]
fn every_matter_needs_the_id_card_and_explains_conditions() {
    let catalogue = shipped();
    for matter in catalogue.matters() {
        let id_card = matter.materials.iter().find(|r| r.material == "id_card");
        assert_eq!(
            id_card.map(|r| &r.need),
            Some(&Need::Required),
            "{}",
            matter.id
        );
        for requirement in &matter.materials {
            if let Need::Conditional { when } = &requirement.need {
                assert!(when.is_complete());
            }
        }
    }
}

#[test]
fn places_of_use_follow_the_apostille_convention_and_the_regional_rules() {
    let catalogue = shipped();
    let route = |code: &str| catalogue.country(code).unwrap().authentication;
    assert_eq!(route("US"), Authentication::Apostille);
    assert!(
        catalogue
            .country("US")
            .unwrap()
            .translation_conformity_required
    );
    assert_eq!(route("VN"), Authentication::ConsularLegalisation);
    assert_eq!(
        route("CA"),
        Authentication::Apostille,
        "Canada since 2024-01-11"
    );
    assert_eq!(route("HK"), Authentication::HongKongMacao);
    assert_eq!(route("MO"), Authentication::HongKongMacao);
    assert_eq!(route("TW"), Authentication::Taiwan);
    for code in ["HK", "MO", "TW"] {
        assert_eq!(catalogue.country(code).unwrap().language, None, "{code}");
    }
    let apostille = catalogue.authentication_text(Authentication::Apostille).zh;
    assert!(apostille.contains("2023年11月7日"), "{apostille}");
}

/// Ids of a matter's materials, and whether each is required.
fn materials_of(catalogue: &Catalogue, matter: &str) -> Vec<(String, bool)> {
    catalogue
        .matter(matter)
        .unwrap_or_else(|| panic!("no matter {matter}"))
        .materials
        .iter()
        .map(|r| (r.material.clone(), r.need == Need::Required))
        .collect()
}

/// Heirs bring the deceased's will, not a draft to sign: the will is the deceased's and
/// signing belongs to the testator (民法典 arts. 1133, 1139).
#[test]
fn inheritance_asks_for_the_deceased_s_original_will_not_a_draft() {
    let catalogue = shipped();
    let materials = materials_of(&catalogue, "inheritance");
    assert!(materials.iter().any(|(id, _)| id == "deceased_will"));
    for (id, _) in &materials {
        let name = &catalogue.material(id).unwrap().name.zh;
        assert!(
            !name.contains("草稿") && !name.contains("在公证员面前签署"),
            "{id}: {name}"
        );
    }
    let will = &catalogue.material("deceased_will").unwrap().name.zh;
    assert!(will.contains("原件") && will.contains("公证书"), "{will}");
}

/// The first order of heirs is spouse, children and parents (民法典 art. 1127): the notary
/// must know the deceased's marital status and whether the parents are alive.
#[test]
fn inheritance_asks_for_the_deceased_s_marital_status_and_parents() {
    let materials = materials_of(&shipped(), "inheritance");
    for needed in [
        "death_proof",
        "deceased_marital_status",
        "deceased_parents_status",
    ] {
        assert!(
            materials.contains(&(needed.to_string(), true)),
            "{needed} missing: {materials:?}"
        );
    }
}

/// A waiver of inheritance (民法典 art. 1124) is only possible for an heir of someone who has
/// died: both must be proved.
#[test]
fn a_waiver_of_inheritance_needs_the_death_and_the_relationship_proved() {
    let catalogue = shipped();
    let materials = materials_of(&catalogue, "inheritance_waiver");
    assert!(materials.contains(&("death_proof".to_string(), true)));
    assert!(materials.contains(&("kinship_to_deceased".to_string(), true)));
    let waiver = catalogue.matter("inheritance_waiver").unwrap();
    assert!(waiver.in_person && !waiver.agent_allowed);
    for matter in catalogue.matters() {
        if matter.name.zh.contains("放弃继承") {
            assert_eq!(matter.id, "inheritance_waiver", "only the waiver offers it");
        }
    }
}

/// 民法典 art. 1143: a will by a person without full capacity is void; art. 33 voluntary
/// guardianship is for adults. 14–17-year-olds cannot book these.
#[test]
fn wills_and_guardianship_agreements_are_for_adults() {
    let catalogue = shipped();
    for id in ["will", "voluntary_guardianship", "legacy_support_agreement"] {
        let limit = catalogue.matter(id).unwrap().age_limit.as_ref();
        assert_eq!(limit.map(|l| l.years), Some(18), "{id}");
        assert!(limit.unwrap().reason.is_complete(), "{id}");
    }
    let will = catalogue
        .matter("will")
        .unwrap()
        .age_limit
        .as_ref()
        .unwrap();
    assert!(will.reason.zh.contains("第一千一百四十三条"));
}

/// 意定监护 (民法典 art. 33), 遗赠扶养协议 (art. 1158) and 收养 (art. 1105; 公证法 art. 26:
/// adoption is handled in person) are taken as appointment requests.
#[test]
fn guardianship_legacy_support_and_adoption_are_in_person_appointments() {
    let catalogue = shipped();
    for (id, needed) in [
        ("voluntary_guardianship", "guardian_id"),
        ("legacy_support_agreement", "supporter_id"),
        ("adoption", "adoption_agreement_text"),
    ] {
        let matter = catalogue.matter(id).unwrap_or_else(|| panic!("no {id}"));
        assert!(
            matter.in_person && !matter.agent_allowed && matter.fingerprint_mark,
            "{id}"
        );
        assert!(
            materials_of(&catalogue, id).contains(&(needed.to_string(), true)),
            "{id} needs {needed}"
        );
    }
    let adoption = materials_of(&catalogue, "adoption");
    for needed in ["adopter_health_cert", "police_certificate"] {
        assert!(adoption.contains(&(needed.to_string(), true)), "{needed}");
    }
}

/// A matter's legal group and its price agree: diplomas and degrees are certified as
/// documents (the copy matches the original), so they are priced as documents.
#[test]
fn grouping_and_pricing_agree() {
    let catalogue = shipped();
    for id in ["education", "degree", "professional_qualification"] {
        let matter = catalogue.matter(id).unwrap();
        assert_eq!(matter.legal_group, LegalGroup::Document, "{id}");
        assert_eq!(matter.fee_item, "document_certificate", "{id}");
    }
    let fees = FeeSchedule::load(Path::new("data/notary/fees.example.toml")).unwrap();
    fees.covers(catalogue.matters())
        .expect("every matter is priced for its legal group");
}

#[test]
fn example_fee_schedule_loads_marked_as_example_and_covers_the_catalogue() {
    let fees = FeeSchedule::load(Path::new("data/notary/fees.example.toml")).unwrap();
    assert!(fees.is_example());
    fees.covers(shipped().matters()).unwrap();
    let text = std::fs::read_to_string("data/notary/fees.example.toml").unwrap();
    assert!(text.contains("EXAMPLE FEE SCHEDULE - NOT A REAL TARIFF"));
}

#[test]
fn an_agent_needs_a_signed_power_of_attorney_not_a_notarised_one() {
    use legal_kiosk::core::notary::parties::ApplicantRole;
    let catalogue = shipped();
    let poa = catalogue.material("agent_poa").unwrap();
    // 民法典 art. 165: written, naming the agent, the matter, the powers and the period,
    // signed or sealed by the principal. Notarisation is the office's call (principal abroad).
    assert!(
        !poa.name.zh.starts_with("经公证的") && !poa.name.en.starts_with("Notarised"),
        "{}",
        poa.name.zh
    );
    for words in ["签名或盖章", "权限和期限", "以公证处要求为准"] {
        assert!(poa.name.zh.contains(words), "{words}: {}", poa.name.zh);
    }
    let agent = catalogue.applicant_role(ApplicantRole::Agent).unwrap();
    assert!(agent.explanation.zh.contains("第一百六十五条"));
    assert!(agent.explanation.zh.contains("以公证处要求为准"));
    assert!(!agent.explanation.zh.contains("公证程序规则"));
}

#[test]
fn a_child_under_14_can_be_applied_for_by_a_guardian() {
    use legal_kiosk::core::notary::parties::{ApplicantRole, PartyField};
    let catalogue = shipped();
    let guardian = catalogue.applicant_role(ApplicantRole::Guardian).unwrap();
    assert!(
        guardian.explanation.zh.contains("第二十七条")
            && guardian.explanation.zh.contains("第二十三条")
    );
    for id in ["birth", "identity", "kinship", "inheritance"] {
        let matter = catalogue.matter(id).unwrap();
        assert!(matter.guardian_allowed, "{id}");
        let subject = catalogue.parties_for(matter, ApplicantRole::Guardian)[0];
        assert!(
            subject.requires(PartyField::Name) && subject.requires(PartyField::BirthDate),
            "{id}: the child's name and date of birth"
        );
        assert!(
            !subject.requires(PartyField::IdNumber),
            "{id}: a small child may have none"
        );
    }
    let birth = catalogue.matter("birth").unwrap();
    assert_eq!(
        catalogue.parties_for(birth, ApplicantRole::Guardian)[0].role,
        "child"
    );
    assert!(catalogue
        .parties_for(birth, ApplicantRole::Myself)
        .is_empty());
}

#[test]
fn personal_acts_allow_neither_an_agent_nor_a_guardian() {
    // 民法典 art. 161 para. 2: acts that by law or by their nature must be done in person.
    let catalogue = shipped();
    for id in [
        "will",
        "voluntary_guardianship",
        "legacy_support_agreement",
        "adoption",
        "declaration",
        "inheritance_waiver",
    ] {
        let matter = catalogue.matter(id).unwrap();
        assert!(
            !matter.agent_allowed && !matter.guardian_allowed,
            "{id} is a personal act"
        );
    }
    // Matters that need the card holder's own full capacity (an age limit) never allow a
    // guardian (民法典 art. 1143 for a will); the catalogue refuses the combination at load.
    for matter in catalogue.matters().iter().filter(|m| m.age_limit.is_some()) {
        assert!(
            !matter.guardian_allowed && !matter.agent_allowed,
            "{}",
            matter.id
        );
    }
}

#[test]
fn every_matter_names_the_parties_it_is_about() {
    use legal_kiosk::core::notary::parties::{ApplicantRole, PartyField};
    let catalogue = shipped();
    let roles = |id: &str| -> Vec<String> {
        let matter = catalogue.matter(id).unwrap();
        catalogue
            .parties_for(matter, ApplicantRole::Myself)
            .iter()
            .map(|p| p.role.clone())
            .collect()
    };
    for (id, expected) in [
        ("death", vec!["deceased"]),
        ("kinship", vec!["relative"]),
        ("inheritance", vec!["deceased", "heir"]),
        ("inheritance_waiver", vec!["deceased"]),
        ("poa_property", vec!["agent"]),
        ("poa_affairs", vec!["agent"]),
        ("education", vec!["school"]),
        ("degree", vec!["school"]),
        ("work_experience", vec!["employer"]),
        ("business_licence", vec!["company"]),
        ("articles_of_association", vec!["company"]),
        ("gift", vec!["donee"]),
        ("legacy_support_agreement", vec!["supporter"]),
        ("voluntary_guardianship", vec!["guardian_to_be"]),
        ("adoption", vec!["adoptee"]),
        ("married", vec!["spouse"]),
        ("will", vec![]),
        ("birth", vec![]),
    ] {
        assert_eq!(roles(id), expected, "{id}");
    }
    let company = catalogue.matter("business_licence").unwrap();
    assert!(company.parties[0].requires(PartyField::CreditCode));
    let employer = &catalogue.matter("work_experience").unwrap().parties[0];
    assert!(employer.optional.contains(&PartyField::CreditCode));
    assert!(employer.requires(PartyField::PeriodFrom) && employer.requires(PartyField::PeriodTo));
    let agent = &catalogue.matter("poa_affairs").unwrap().parties[0];
    for field in [
        PartyField::Name,
        PartyField::IdNumber,
        PartyField::Powers,
        PartyField::PeriodFrom,
        PartyField::PeriodTo,
    ] {
        assert!(agent.requires(field), "{field:?}");
    }
    let relationships: Vec<&str> = catalogue
        .relationships()
        .iter()
        .map(|r| r.name.zh.as_str())
        .collect();
    assert_eq!(
        relationships,
        vec![
            "父亲",
            "母亲",
            "子女",
            "配偶",
            "兄弟姐妹",
            "祖父母",
            "外祖父母",
            "孙子女",
            "外孙子女",
            "其他"
        ]
    );
}
