//! Which notary office may take an application (公证法 art. 25), from
//! `data/notary/jurisdiction.toml`: each matter follows a rule that lists the places which
//! give an office jurisdiction. The kiosk asks which of them is in its office's area before
//! anything personal is collected, and an application the office could not take is not
//! submitted: the citizen is told which office to go to instead.

use super::catalogue::Catalogue;
use crate::domain::Bilingual;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use thiserror::Error;

/// The rules the project ships.
pub const SHIPPED_JURISDICTION_TOML: &str = include_str!("../../../data/notary/jurisdiction.toml");

#[derive(Debug, Error, PartialEq, Eq)]
pub enum JurisdictionError {
    #[error("the jurisdiction rules are not valid TOML for this schema: {0}")]
    Parse(String),
    #[error("jurisdiction schema {0} is not supported (expected 1)")]
    UnsupportedSchema(u32),
    #[error("jurisdiction rule {rule:?}: {problem}")]
    Invalid { rule: String, problem: String },
    #[error("jurisdiction rules: exactly one rule must be the default, found {0}")]
    Default(usize),
}

/// A place that gives an office jurisdiction; recorded in the submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// 住所地 (民法典 art. 25: the household registration's residence).
    Domicile,
    /// 经常居住地.
    HabitualResidence,
    /// 行为地 or 事实发生地.
    ActOrFact,
    /// A legal person's domicile: its principal office (民法典 art. 63).
    Seat,
    /// 不动产所在地 (公证法 art. 25 ¶2).
    RealEstate,
}

/// Where real property changes the answer (art. 25 ¶2, first clause).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RealEstateClause {
    pub question: Bilingual,
    pub places: Vec<Basis>,
    pub guidance: Bilingual,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: String,
    pub article: Bilingual,
    pub places: Vec<Basis>,
    /// Where to go instead when none of `places` is in the office's area.
    pub guidance: Bilingual,
    pub real_estate: Option<RealEstateClause>,
}

/// The validated rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JurisdictionRules {
    places: BTreeMap<Basis, Bilingual>,
    rules: Vec<Rule>,
    /// Matter id → index into `rules`; matters not listed follow `default_rule`.
    by_matter: BTreeMap<String, usize>,
    default_rule: usize,
}

mod raw {
    use super::Basis;
    use crate::domain::Bilingual;
    use serde::Deserialize;
    use std::collections::BTreeMap;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct File {
        pub schema: u32,
        pub places: BTreeMap<Basis, Bilingual>,
        #[serde(rename = "rule")]
        pub rules: Vec<Rule>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Rule {
        pub id: String,
        #[serde(default)]
        pub default: bool,
        pub article: Bilingual,
        pub places: Vec<Basis>,
        pub guidance: Bilingual,
        pub real_estate_question: Option<Bilingual>,
        #[serde(default)]
        pub real_estate_places: Vec<Basis>,
        pub real_estate_guidance: Option<Bilingual>,
        #[serde(default)]
        pub matters: Vec<String>,
    }
}

impl JurisdictionRules {
    pub fn shipped() -> Result<JurisdictionRules, JurisdictionError> {
        JurisdictionRules::from_toml_str(SHIPPED_JURISDICTION_TOML)
    }

    pub fn from_toml_str(text: &str) -> Result<JurisdictionRules, JurisdictionError> {
        let file: raw::File =
            toml::from_str(text).map_err(|e| JurisdictionError::Parse(e.message().to_string()))?;
        if file.schema != 1 {
            return Err(JurisdictionError::UnsupportedSchema(file.schema));
        }
        let defaults = file.rules.iter().filter(|r| r.default).count();
        if defaults != 1 {
            return Err(JurisdictionError::Default(defaults));
        }
        let mut rules = Vec::new();
        let mut by_matter = BTreeMap::new();
        let mut default_rule = 0;
        for (index, raw) in file.rules.into_iter().enumerate() {
            let invalid = |problem: &str| JurisdictionError::Invalid {
                rule: raw.id.clone(),
                problem: problem.to_string(),
            };
            if raw.places.is_empty() {
                return Err(invalid("names no places"));
            }
            if let Some(missing) = raw
                .places
                .iter()
                .chain(&raw.real_estate_places)
                .find(|p| !file.places.contains_key(p))
            {
                return Err(invalid(&format!("place {missing:?} has no text")));
            }
            let real_estate = match (raw.real_estate_question, raw.real_estate_guidance) {
                (Some(question), Some(guidance)) if !raw.real_estate_places.is_empty() => {
                    Some(RealEstateClause {
                        question,
                        places: raw.real_estate_places,
                        guidance,
                    })
                }
                (None, None) if raw.real_estate_places.is_empty() => None,
                _ => return Err(invalid(
                    "real_estate_question, real_estate_places and real_estate_guidance go together",
                )),
            };
            if raw.default {
                default_rule = index;
            }
            for matter in raw.matters {
                if by_matter.insert(matter.clone(), index).is_some() {
                    return Err(invalid(&format!("matter {matter:?} is under two rules")));
                }
            }
            rules.push(Rule {
                id: raw.id,
                article: raw.article,
                places: raw.places,
                guidance: raw.guidance,
                real_estate,
            });
        }
        let mut ids = HashSet::new();
        if let Some(twice) = rules.iter().find(|r| !ids.insert(r.id.as_str())) {
            return Err(JurisdictionError::Invalid {
                rule: twice.id.clone(),
                problem: "is defined twice".into(),
            });
        }
        Ok(JurisdictionRules {
            places: file.places,
            rules,
            by_matter,
            default_rule,
        })
    }

    /// Every matter a rule names is in the catalogue (a misspelt id would silently fall
    /// back to the default rule).
    pub fn check_against(&self, catalogue: &Catalogue) -> Result<(), JurisdictionError> {
        match self
            .by_matter
            .iter()
            .find(|(matter, _)| catalogue.matter(matter).is_none())
        {
            Some((matter, &rule)) => Err(JurisdictionError::Invalid {
                rule: self.rules[rule].id.clone(),
                problem: format!("names matter {matter:?}, which the catalogue does not have"),
            }),
            None => Ok(()),
        }
    }

    pub fn rule_for(&self, matter_id: &str) -> &Rule {
        let index = self
            .by_matter
            .get(matter_id)
            .copied()
            .unwrap_or(self.default_rule);
        &self.rules[index]
    }

    /// How a place reads with the office's area filled in.
    pub fn place_text(&self, basis: Basis, area: &Bilingual) -> Bilingual {
        let text = self.places.get(&basis).cloned().unwrap_or_default();
        Bilingual::new(
            text.zh.replace("{area}", &area.zh),
            text.en.replace("{area}", &area.en),
        )
    }
}

/// What the journey is given: the rules and the area the office serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jurisdiction {
    pub area: Bilingual,
    pub rules: JurisdictionRules,
}

/// One tap on the jurisdiction screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JurisdictionAnswer {
    InvolvesRealEstate(bool),
    /// This place is in the office's area.
    Place(Basis),
    /// None of the places shown is.
    NoneHere,
}

/// Where the citizen's answers stand for one application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct JurisdictionAnswers {
    pub real_estate: Option<bool>,
    pub outcome: Option<Outcome>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Here(Basis),
    Elsewhere,
}

/// What the screen asks, or says, now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JurisdictionQuestion {
    RealEstate {
        question: Bilingual,
    },
    Places {
        question: Bilingual,
        places: Vec<(Basis, Bilingual)>,
    },
    /// This office cannot take it: where to go, with the article.
    Elsewhere {
        guidance: Bilingual,
    },
}

impl JurisdictionAnswers {
    /// Applies a tap; an answer the current question does not offer is ignored.
    pub fn answer(&mut self, answer: JurisdictionAnswer, rule: &Rule) {
        if self.outcome.is_some() {
            return;
        }
        match answer {
            JurisdictionAnswer::InvolvesRealEstate(yes)
                if rule.real_estate.is_some() && self.real_estate.is_none() =>
            {
                self.real_estate = Some(yes);
            }
            JurisdictionAnswer::Place(basis) if self.places_asked(rule).contains(&basis) => {
                self.outcome = Some(Outcome::Here(basis));
            }
            JurisdictionAnswer::NoneHere if self.asks_places(rule) => {
                self.outcome = Some(Outcome::Elsewhere);
            }
            _ => {}
        }
    }

    /// Takes back the last answer; `false` when there was none.
    pub fn undo(&mut self) -> bool {
        if self.outcome.take().is_some() {
            return true;
        }
        self.real_estate.take().is_some()
    }

    /// Where the office's jurisdiction was found, once it was.
    pub fn basis(&self) -> Option<Basis> {
        match self.outcome {
            Some(Outcome::Here(basis)) => Some(basis),
            _ => None,
        }
    }

    fn asks_places(&self, rule: &Rule) -> bool {
        rule.real_estate.is_none() || self.real_estate.is_some()
    }

    fn places_asked<'r>(&self, rule: &'r Rule) -> &'r [Basis] {
        match (&rule.real_estate, self.real_estate) {
            (Some(clause), Some(true)) => &clause.places,
            (Some(_), None) => &[],
            _ => &rule.places,
        }
    }

    pub fn question(&self, rule: &Rule, jurisdiction: &Jurisdiction) -> JurisdictionQuestion {
        let area = &jurisdiction.area;
        if self.outcome == Some(Outcome::Elsewhere) {
            let guidance = match (&rule.real_estate, self.real_estate) {
                (Some(clause), Some(true)) => &clause.guidance,
                _ => &rule.guidance,
            };
            return JurisdictionQuestion::Elsewhere {
                guidance: Bilingual::new(
                    format!(
                        "本公证处只能办理和{}有关的公证，这件事不能在这里申请。{}（{}）不清楚该去哪里的，可以拨打12348公共法律服务热线问一问。",
                        area.zh, guidance.zh, rule.article.zh
                    ),
                    format!(
                        "This office can only take matters connected with {}, so this cannot be applied for here. {} ({}) If you are not sure where to go, call the public legal service hotline 12348.",
                        area.en, guidance.en, rule.article.en
                    ),
                ),
            };
        }
        if let (Some(clause), None) = (&rule.real_estate, self.real_estate) {
            return JurisdictionQuestion::RealEstate {
                question: clause.question.clone(),
            };
        }
        JurisdictionQuestion::Places {
            question: Bilingual::new(
                format!(
                    "本公证处办理和{}有关的公证。下面哪一项符合您的情况？（{}）",
                    area.zh, rule.article.zh
                ),
                format!(
                    "This office takes matters connected with {}. Which of these is true for you? ({})",
                    area.en, rule.article.en
                ),
            ),
            places: self
                .places_asked(rule)
                .iter()
                .map(|&basis| (basis, jurisdiction.rules.place_text(basis, area)))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests;
