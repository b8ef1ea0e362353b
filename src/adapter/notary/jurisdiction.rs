//! The jurisdiction step's properties (公证法 art. 25) and the tokens its answer buttons send
//! back: `real_estate:yes`, `real_estate:no`, `place:<basis>`, `none`.

use crate::core::notary::journey::ScreenView;
use crate::core::notary::jurisdiction::{Basis, JurisdictionAnswer, JurisdictionQuestion};
use crate::domain::{Bilingual, Language};
use crate::ui::{NotaryAdapter, NotaryItem};
use slint::{ModelRc, SharedString, VecModel};

const BASES: [(Basis, &str); 5] = [
    (Basis::Domicile, "domicile"),
    (Basis::HabitualResidence, "habitual_residence"),
    (Basis::ActOrFact, "act_or_fact"),
    (Basis::Seat, "seat"),
    (Basis::RealEstate, "real_estate"),
];

/// The answer a button's token stands for.
pub fn parse_answer(token: &str) -> Option<JurisdictionAnswer> {
    match token {
        "real_estate:yes" => Some(JurisdictionAnswer::InvolvesRealEstate(true)),
        "real_estate:no" => Some(JurisdictionAnswer::InvolvesRealEstate(false)),
        "none" => Some(JurisdictionAnswer::NoneHere),
        _ => {
            let name = token.strip_prefix("place:")?;
            BASES
                .iter()
                .find(|(_, n)| *n == name)
                .map(|(basis, _)| JurisdictionAnswer::Place(*basis))
        }
    }
}

fn token(basis: Basis) -> String {
    let name = BASES.iter().find(|(b, _)| *b == basis).map(|(_, n)| *n);
    format!("place:{}", name.unwrap_or_default())
}

fn answer(id: String, text: &Bilingual, language: Language) -> NotaryItem {
    NotaryItem {
        id: id.into(),
        text: text.get(language).into(),
        detail: SharedString::new(),
        selected: false,
        state: 0,
    }
}

pub fn render(a: &NotaryAdapter<'_>, language: Language, screen: &ScreenView) {
    let (question, answers, elsewhere) = match screen {
        ScreenView::Jurisdiction(JurisdictionQuestion::RealEstate { question }) => (
            question.get(language).to_string(),
            vec![
                answer(
                    "real_estate:yes".into(),
                    &Bilingual::new("涉及", "Yes"),
                    language,
                ),
                answer(
                    "real_estate:no".into(),
                    &Bilingual::new("不涉及", "No"),
                    language,
                ),
            ],
            String::new(),
        ),
        ScreenView::Jurisdiction(JurisdictionQuestion::Places { question, places }) => {
            let mut answers: Vec<NotaryItem> = places
                .iter()
                .map(|(basis, text)| answer(token(*basis), text, language))
                .collect();
            let none = Bilingual::new("以上都不是", "None of these");
            answers.push(answer("none".into(), &none, language));
            (question.get(language).to_string(), answers, String::new())
        }
        ScreenView::Jurisdiction(JurisdictionQuestion::Elsewhere { guidance }) => (
            String::new(),
            Vec::new(),
            guidance.get(language).to_string(),
        ),
        _ => (String::new(), Vec::new(), String::new()),
    };
    a.set_jurisdiction_question(question.into());
    a.set_jurisdiction_answers(ModelRc::new(VecModel::from(answers)));
    a.set_jurisdiction_elsewhere(elsewhere.into());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_place_token_reads_back_as_its_place() {
        for (basis, _) in BASES {
            assert_eq!(
                parse_answer(&token(basis)),
                Some(JurisdictionAnswer::Place(basis))
            );
        }
        assert_eq!(parse_answer("place:moon"), None);
        assert_eq!(
            parse_answer("real_estate:no"),
            Some(JurisdictionAnswer::InvolvesRealEstate(false))
        );
    }
}
