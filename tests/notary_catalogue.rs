//! The shipped notary data files load, validate and cover what the kiosk offers.

use legal_kiosk::core::notary::catalogue::Need;
use legal_kiosk::core::notary::{Catalogue, FeeSchedule};
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
fn countries_follow_the_apostille_convention() {
    let catalogue = shipped();
    assert!(catalogue.country("US").unwrap().apostille);
    assert!(
        catalogue
            .country("US")
            .unwrap()
            .translation_conformity_required
    );
    assert!(!catalogue.country("VN").unwrap().apostille);
    assert!(
        catalogue.country("CA").unwrap().apostille,
        "Canada since 2024-01-11"
    );
}

#[test]
fn example_fee_schedule_loads_marked_as_example_and_covers_the_catalogue() {
    let fees = FeeSchedule::load(Path::new("data/notary/fees.example.toml")).unwrap();
    assert!(fees.is_example());
    fees.covers(shipped().matters()).unwrap();
    let text = std::fs::read_to_string("data/notary/fees.example.toml").unwrap();
    assert!(text.contains("EXAMPLE FEE SCHEDULE - NOT A REAL TARIFF"));
}
