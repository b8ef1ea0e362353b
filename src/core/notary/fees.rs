//! The office's fee schedule (per-deployment configuration, never hard-coded) and the fee
//! estimate shown before review. Money is integer fen throughout.

use super::catalogue::{LegalGroup, Matter};
use crate::domain::Bilingual;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use thiserror::Error;

/// The example schedule the project ships (clearly marked as an example).
pub const EXAMPLE_FEES_TOML: &str = include_str!("../../../data/notary/fees.example.toml");

#[derive(Debug, Error)]
pub enum FeeError {
    #[error("cannot read the fee schedule {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the fee schedule is not valid: {0}")]
    Parse(String),
    #[error("fee schedule entry {id:?}: {problem}")]
    Invalid { id: String, problem: &'static str },
    #[error("the fee schedule has no item {0:?} (named by the catalogue)")]
    UnknownItem(String),
    #[error("matter {matter:?} is a {group:?} but its fee item {item:?} prices another group")]
    GroupMismatch {
        matter: String,
        item: String,
        group: LegalGroup,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TranslationUnit {
    Page,
    ThousandChars,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReductionClaim {
    /// The applicant declares eligibility and proves it at the office.
    Declared,
    /// Applies whenever the conditions hold.
    Automatic,
}

/// What a line of the estimate is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeLineKind {
    NotaryFee,
    Copies,
    Translation,
    TranslationConformity,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeLine {
    pub kind: FeeLineKind,
    pub label: Bilingual,
    pub quantity: u32,
    pub unit_fen: u64,
    /// `None`: the office sets the amount (value-based fee, unlisted language).
    pub amount_fen: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedReduction {
    pub id: String,
    pub label: Bilingual,
    pub percent_off: u32,
    pub amount_fen: u64,
}

/// A charge that may come on top of the estimate (never summed into it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PossibleExtra {
    pub id: String,
    pub label: Bilingual,
}

/// An itemised estimate. `total_fen` covers the lines with a known amount, less an automatic
/// reduction; a reduction the applicant asked for is the office's to grant after checking
/// the proof, so it is shown beside the total, never taken off it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeEstimate {
    pub lines: Vec<FeeLine>,
    /// An automatic reduction whose conditions the kiosk knows hold; taken off the total.
    pub reduction: Option<AppliedReduction>,
    /// The reduction the applicant asked for, subject to the office's check (以公证处审核为准).
    pub requested_reduction: Option<AppliedReduction>,
    /// Charges that may be added (legalisation, postage, urgent service).
    pub may_be_added: Vec<PossibleExtra>,
    pub total_fen: u64,
    /// Some part of the fee is set by the office: the total is a lower bound.
    pub incomplete: bool,
    /// The schedule is the shipped example, not the office's tariff.
    pub example: bool,
}

/// What the applicant chose that affects the fee.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeeOptions {
    /// Certified copies wanted in total (1..=10).
    pub copies: u32,
    pub translation_language: Option<String>,
    pub translation_conformity: bool,
    /// Reduction ids the applicant ticked.
    pub declared_reductions: Vec<String>,
    pub applicant_age: Option<u32>,
    /// Delivery by post was chosen.
    pub by_post: bool,
    /// The place of use needs an apostille or a legalisation after the certificate.
    pub foreign_affairs_step: bool,
}

/// When a possible extra applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum ExtraWhen {
    Always,
    Post,
    Authentication,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Extra {
    id: String,
    label: Bilingual,
    when: ExtraWhen,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ItemRule {
    PerItem { fen: u64 },
    AtOffice,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Item {
    label: Bilingual,
    rule: ItemRule,
    /// The legal group this item prices, when the schedule says.
    legal_group: Option<LegalGroup>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct TranslationRate {
    languages: Vec<String>,
    label: Bilingual,
    unit: TranslationUnit,
    fen: u64,
}

/// A fee reduction the schedule offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reduction {
    pub id: String,
    pub label: Bilingual,
    pub percent_off: u32,
    pub claim: ReductionClaim,
    pub min_age: Option<u32>,
    /// Empty: every matter.
    pub matters: Vec<String>,
}

impl Reduction {
    fn conditions_hold(&self, matter: &Matter, age: Option<u32>) -> bool {
        let age_ok = match self.min_age {
            None => true,
            Some(min) => age.is_some_and(|a| a >= min),
        };
        age_ok && (self.matters.is_empty() || self.matters.contains(&matter.id))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeSchedule {
    example: bool,
    office: Bilingual,
    items: BTreeMap<String, Item>,
    copies_label: Bilingual,
    copies_included: u32,
    per_copy_fen: u64,
    estimate_pages: u32,
    estimate_thousand_chars: u32,
    rates: Vec<TranslationRate>,
    conformity_label: Bilingual,
    conformity_fen: u64,
    reductions: Vec<Reduction>,
    extras: Vec<Extra>,
}

impl FeeSchedule {
    pub fn example() -> Result<FeeSchedule, FeeError> {
        FeeSchedule::from_toml_str(EXAMPLE_FEES_TOML)
    }

    pub fn load(path: &Path) -> Result<FeeSchedule, FeeError> {
        let text = std::fs::read_to_string(path).map_err(|source| FeeError::Read {
            path: path.display().to_string(),
            source,
        })?;
        FeeSchedule::from_toml_str(&text)
    }

    pub fn from_toml_str(text: &str) -> Result<FeeSchedule, FeeError> {
        let raw: raw::File =
            toml::from_str(text).map_err(|e| FeeError::Parse(e.message().to_string()))?;
        raw.into_schedule()
    }

    pub fn is_example(&self) -> bool {
        self.example
    }

    pub fn office(&self) -> &Bilingual {
        &self.office
    }

    /// Checks that every matter's fee item exists and prices the matter's legal group (run
    /// once at start-up with the catalogue).
    pub fn covers<'a>(
        &self,
        matters: impl IntoIterator<Item = &'a Matter>,
    ) -> Result<(), FeeError> {
        for matter in matters {
            let item = self
                .items
                .get(&matter.fee_item)
                .ok_or_else(|| FeeError::UnknownItem(matter.fee_item.clone()))?;
            if item.legal_group.is_some_and(|g| g != matter.legal_group) {
                return Err(FeeError::GroupMismatch {
                    matter: matter.id.clone(),
                    item: matter.fee_item.clone(),
                    group: matter.legal_group,
                });
            }
        }
        Ok(())
    }

    /// Reductions to offer as tick boxes for this matter and applicant.
    pub fn declarable_reductions(&self, matter: &Matter, age: Option<u32>) -> Vec<&Reduction> {
        self.reductions
            .iter()
            .filter(|r| r.claim == ReductionClaim::Declared && r.conditions_hold(matter, age))
            .collect()
    }

    pub fn estimate(&self, matter: &Matter, options: &FeeOptions) -> Result<FeeEstimate, FeeError> {
        let item = self
            .items
            .get(&matter.fee_item)
            .ok_or_else(|| FeeError::UnknownItem(matter.fee_item.clone()))?;
        let notary_fen = match item.rule {
            ItemRule::PerItem { fen } => Some(fen),
            ItemRule::AtOffice => None,
        };
        let mut lines = vec![FeeLine {
            kind: FeeLineKind::NotaryFee,
            label: item.label.clone(),
            quantity: 1,
            unit_fen: notary_fen.unwrap_or(0),
            amount_fen: notary_fen,
        }];
        let extra_copies = options.copies.saturating_sub(self.copies_included);
        if extra_copies > 0 {
            lines.push(FeeLine {
                kind: FeeLineKind::Copies,
                label: self.copies_label.clone(),
                quantity: extra_copies,
                unit_fen: self.per_copy_fen,
                amount_fen: Some(self.per_copy_fen * u64::from(extra_copies)),
            });
        }
        if let Some(language) = &options.translation_language {
            lines.push(self.translation_line(language));
            if options.translation_conformity {
                lines.push(FeeLine {
                    kind: FeeLineKind::TranslationConformity,
                    label: self.conformity_label.clone(),
                    quantity: 1,
                    unit_fen: self.conformity_fen,
                    amount_fen: Some(self.conformity_fen),
                });
            }
        }
        let applied = |r: &Reduction| AppliedReduction {
            id: r.id.clone(),
            label: r.label.clone(),
            percent_off: r.percent_off,
            amount_fen: notary_fen.unwrap_or(0) * u64::from(r.percent_off) / 100,
        };
        let automatic = self.best_reduction(matter, options, ReductionClaim::Automatic);
        let declared = self
            .best_reduction(matter, options, ReductionClaim::Declared)
            .filter(|d| automatic.is_none_or(|a| d.percent_off > a.percent_off));
        let reduction = automatic.map(applied);
        let gross: u64 = lines.iter().filter_map(|l| l.amount_fen).sum();
        let may_be_added = self
            .extras
            .iter()
            .filter(|e| match e.when {
                ExtraWhen::Always => true,
                ExtraWhen::Post => options.by_post,
                ExtraWhen::Authentication => options.foreign_affairs_step,
            })
            .map(|e| PossibleExtra {
                id: e.id.clone(),
                label: e.label.clone(),
            })
            .collect();
        Ok(FeeEstimate {
            incomplete: lines.iter().any(|l| l.amount_fen.is_none()),
            total_fen: gross - reduction.as_ref().map_or(0, |r| r.amount_fen),
            lines,
            reduction,
            requested_reduction: declared.map(applied),
            may_be_added,
            example: self.example,
        })
    }

    fn translation_line(&self, language: &str) -> FeeLine {
        match self
            .rates
            .iter()
            .find(|r| r.languages.iter().any(|l| l == language))
        {
            Some(rate) => {
                let quantity = match rate.unit {
                    TranslationUnit::Page => self.estimate_pages,
                    TranslationUnit::ThousandChars => self.estimate_thousand_chars,
                };
                FeeLine {
                    kind: FeeLineKind::Translation,
                    label: rate.label.clone(),
                    quantity,
                    unit_fen: rate.fen,
                    amount_fen: Some(rate.fen * u64::from(quantity)),
                }
            }
            None => FeeLine {
                kind: FeeLineKind::Translation,
                label: Bilingual::new(
                    "翻译费（由公证处报价）",
                    "Translation (quoted by the office)",
                ),
                quantity: 1,
                unit_fen: 0,
                amount_fen: None,
            },
        }
    }

    /// Reductions do not stack: the largest applicable one of the kind is given (a declared
    /// one only if ticked).
    fn best_reduction(
        &self,
        matter: &Matter,
        options: &FeeOptions,
        claim: ReductionClaim,
    ) -> Option<&Reduction> {
        self.reductions
            .iter()
            .filter(|r| r.claim == claim && r.conditions_hold(matter, options.applicant_age))
            .filter(|r| {
                claim == ReductionClaim::Automatic || options.declared_reductions.contains(&r.id)
            })
            .max_by_key(|r| r.percent_off)
    }
}

/// "¥150.00" style, for screens and receipts.
pub fn format_fen(fen: u64) -> String {
    format!("¥{}.{:02}", fen / 100, fen % 100)
}

mod raw {
    use super::*;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct File {
        example: bool,
        currency: String,
        office: Text,
        items: BTreeMap<String, ItemRow>,
        copies: Copies,
        translation: Translation,
        conformity: Priced,
        #[serde(default)]
        reduction: Vec<ReductionRow>,
        #[serde(default)]
        extra: Vec<ExtraRow>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct ExtraRow {
        id: String,
        zh: String,
        en: String,
        when: ExtraWhen,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Text {
        zh: String,
        en: String,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Rule {
        PerItem,
        AtOffice,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct ItemRow {
        zh: String,
        en: String,
        rule: Rule,
        fen: Option<u64>,
        legal_group: Option<LegalGroup>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Copies {
        zh: String,
        en: String,
        included: u32,
        per_copy_fen: u64,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Translation {
        estimate_pages: u32,
        estimate_thousand_chars: u32,
        #[serde(default)]
        rate: Vec<Rate>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Rate {
        languages: Vec<String>,
        zh: String,
        en: String,
        unit: TranslationUnit,
        fen: u64,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Priced {
        zh: String,
        en: String,
        fen: u64,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct ReductionRow {
        id: String,
        zh: String,
        en: String,
        percent_off: u32,
        claim: ReductionClaim,
        min_age: Option<u32>,
        #[serde(default)]
        matters: Vec<String>,
    }

    fn text(id: &str, zh: String, en: String) -> Result<Bilingual, FeeError> {
        let text = Bilingual::new(zh, en);
        if text.is_complete() {
            Ok(text)
        } else {
            Err(FeeError::Invalid {
                id: id.to_string(),
                problem: "label missing in Chinese or English",
            })
        }
    }

    impl File {
        pub fn into_schedule(self) -> Result<FeeSchedule, FeeError> {
            if self.currency != "CNY" {
                return Err(FeeError::Invalid {
                    id: "currency".into(),
                    problem: "only CNY is supported",
                });
            }
            let mut items = BTreeMap::new();
            for (id, row) in self.items {
                let rule = match (row.rule, row.fen) {
                    (Rule::PerItem, Some(fen)) => ItemRule::PerItem { fen },
                    (Rule::AtOffice, None) => ItemRule::AtOffice,
                    (Rule::PerItem, None) => {
                        return Err(FeeError::Invalid {
                            id,
                            problem: "per_item needs `fen`",
                        })
                    }
                    (Rule::AtOffice, Some(_)) => {
                        return Err(FeeError::Invalid {
                            id,
                            problem: "at_office takes no `fen`",
                        })
                    }
                };
                let label = text(&id, row.zh, row.en)?;
                items.insert(
                    id,
                    Item {
                        label,
                        rule,
                        legal_group: row.legal_group,
                    },
                );
            }
            let mut seen = HashSet::new();
            let mut reductions = Vec::new();
            for r in self.reduction {
                if !seen.insert(r.id.clone()) {
                    return Err(FeeError::Invalid {
                        id: r.id,
                        problem: "reduction defined twice",
                    });
                }
                if !(1..=100).contains(&r.percent_off) {
                    return Err(FeeError::Invalid {
                        id: r.id,
                        problem: "percent_off must be 1..=100",
                    });
                }
                reductions.push(Reduction {
                    label: text(&r.id, r.zh, r.en)?,
                    id: r.id,
                    percent_off: r.percent_off,
                    claim: r.claim,
                    min_age: r.min_age,
                    matters: r.matters,
                });
            }
            let rates = self
                .translation
                .rate
                .into_iter()
                .map(|r| {
                    Ok(TranslationRate {
                        label: text("translation.rate", r.zh, r.en)?,
                        languages: r.languages,
                        unit: r.unit,
                        fen: r.fen,
                    })
                })
                .collect::<Result<_, FeeError>>()?;
            Ok(FeeSchedule {
                example: self.example,
                office: text("office", self.office.zh, self.office.en)?,
                items,
                copies_label: text("copies", self.copies.zh, self.copies.en)?,
                copies_included: self.copies.included.max(1),
                per_copy_fen: self.copies.per_copy_fen,
                estimate_pages: self.translation.estimate_pages.max(1),
                estimate_thousand_chars: self.translation.estimate_thousand_chars.max(1),
                rates,
                conformity_label: text("conformity", self.conformity.zh, self.conformity.en)?,
                conformity_fen: self.conformity.fen,
                reductions,
                extras: self
                    .extra
                    .into_iter()
                    .map(|e| {
                        Ok(Extra {
                            label: text(&e.id, e.zh, e.en)?,
                            id: e.id,
                            when: e.when,
                        })
                    })
                    .collect::<Result<_, FeeError>>()?,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::catalogue::Catalogue;
    use super::*;

    fn setup() -> (Catalogue, FeeSchedule) {
        (
            Catalogue::shipped().unwrap(),
            FeeSchedule::example().unwrap(),
        )
    }

    #[test]
    fn example_schedule_is_marked_and_covers_the_shipped_catalogue() {
        let (catalogue, fees) = setup();
        assert!(fees.is_example());
        fees.covers(catalogue.matters()).unwrap();
    }

    #[test]
    fn birth_abroad_with_english_translation_and_conformity() {
        let (catalogue, fees) = setup();
        let estimate = fees
            .estimate(
                catalogue.matter("birth").unwrap(),
                &FeeOptions {
                    copies: 3,
                    translation_language: Some("en".into()),
                    translation_conformity: true,
                    ..FeeOptions::default()
                },
            )
            .unwrap();
        let amounts: Vec<_> = estimate
            .lines
            .iter()
            .map(|l| (l.kind, l.amount_fen))
            .collect();
        assert_eq!(
            amounts,
            vec![
                (FeeLineKind::NotaryFee, Some(15000)),
                (FeeLineKind::Copies, Some(4000)),
                (FeeLineKind::Translation, Some(5000)),
                (FeeLineKind::TranslationConformity, Some(10000)),
            ]
        );
        assert_eq!(estimate.total_fen, 34000);
        assert!(!estimate.incomplete && estimate.example);
    }

    #[test]
    fn a_declared_reduction_is_asked_for_but_never_taken_off_before_the_office_checks() {
        let (catalogue, fees) = setup();
        let matter = catalogue.matter("no_criminal_record").unwrap();
        let mut options = FeeOptions {
            copies: 2,
            declared_reductions: vec!["minimum_living_allowance".into()],
            ..FeeOptions::default()
        };
        let halved = fees.estimate(matter, &options).unwrap();
        let asked = halved.requested_reduction.as_ref().unwrap();
        assert_eq!(asked.amount_fen, 7500, "on the notary fee only");
        assert_eq!(halved.total_fen, 15000 + 2000, "the normal estimate stays");
        assert_eq!(halved.reduction, None);
        options.declared_reductions.push("legal_aid".into());
        let free = fees.estimate(matter, &options).unwrap();
        assert_eq!(free.requested_reduction.as_ref().unwrap().id, "legal_aid");
        assert_eq!(free.total_fen, 15000 + 2000);
    }

    #[test]
    fn an_automatic_reduction_is_taken_off() {
        let text = EXAMPLE_FEES_TOML.replace(
            "percent_off = 100\nclaim = \"declared\"\nmin_age = 80",
            "percent_off = 100\nclaim = \"automatic\"\nmin_age = 80",
        );
        let fees = FeeSchedule::from_toml_str(&text).unwrap();
        let catalogue = Catalogue::shipped().unwrap();
        let options = FeeOptions {
            copies: 1,
            applicant_age: Some(85),
            ..FeeOptions::default()
        };
        let estimate = fees
            .estimate(catalogue.matter("will").unwrap(), &options)
            .unwrap();
        assert_eq!(estimate.total_fen, 0);
        assert_eq!(estimate.requested_reduction, None);
    }

    #[test]
    fn extras_that_may_be_added_follow_post_and_the_place_of_use() {
        let (catalogue, fees) = setup();
        let birth = catalogue.matter("birth").unwrap();
        let ids = |options: &FeeOptions| -> Vec<String> {
            let estimate = fees.estimate(birth, options).unwrap();
            estimate.may_be_added.iter().map(|e| e.id.clone()).collect()
        };
        let plain = FeeOptions {
            copies: 1,
            ..FeeOptions::default()
        };
        assert_eq!(ids(&plain), vec!["urgent"]);
        let abroad_by_post = FeeOptions {
            by_post: true,
            foreign_affairs_step: true,
            ..plain.clone()
        };
        assert_eq!(
            ids(&abroad_by_post),
            vec!["authentication", "postage", "urgent"]
        );
        let estimate = fees.estimate(birth, &abroad_by_post).unwrap();
        assert_eq!(estimate.total_fen, 15000, "extras are never summed");
    }

    #[test]
    fn a_matter_priced_for_another_legal_group_is_refused() {
        let (catalogue, fees) = setup();
        let mut education = catalogue.matter("education").unwrap().clone();
        education.fee_item = "fact_certificate".into();
        assert!(matches!(
            fees.covers([&education]),
            Err(FeeError::GroupMismatch { .. })
        ));
    }

    #[test]
    fn age_limited_reduction_needs_the_age_and_the_matter() {
        let (catalogue, fees) = setup();
        let will = catalogue.matter("will").unwrap();
        let ids = |age| -> Vec<String> {
            fees.declarable_reductions(will, Some(age))
                .iter()
                .map(|r| r.id.clone())
                .collect()
        };
        assert!(ids(81).contains(&"elderly_first_will".to_string()));
        assert!(!ids(79).contains(&"elderly_first_will".to_string()));
        let birth = catalogue.matter("birth").unwrap();
        assert!(fees
            .declarable_reductions(birth, Some(90))
            .iter()
            .all(|r| r.id != "elderly_first_will"));
        let options = FeeOptions {
            copies: 1,
            declared_reductions: vec!["elderly_first_will".into()],
            applicant_age: Some(79),
            ..FeeOptions::default()
        };
        assert_eq!(
            fees.estimate(will, &options).unwrap().requested_reduction,
            None
        );
    }

    #[test]
    fn value_based_fees_and_unlisted_languages_are_left_to_the_office() {
        let (catalogue, fees) = setup();
        let estimate = fees
            .estimate(
                catalogue.matter("inheritance").unwrap(),
                &FeeOptions {
                    copies: 1,
                    translation_language: Some("th".into()),
                    ..FeeOptions::default()
                },
            )
            .unwrap();
        assert!(estimate.incomplete);
        assert_eq!(estimate.total_fen, 0);
        assert!(estimate.lines.iter().all(|l| l.amount_fen.is_none()));
    }

    #[test]
    fn malformed_schedules_are_refused() {
        let bad_rule = EXAMPLE_FEES_TOML.replacen(
            "rule = \"per_item\"\nlegal_group = \"fact\"\nfen = 15000",
            "rule = \"per_item\"\nlegal_group = \"fact\"",
            1,
        );
        assert!(matches!(
            FeeSchedule::from_toml_str(&bad_rule),
            Err(FeeError::Invalid {
                problem: "per_item needs `fen`",
                ..
            })
        ));
        let bad_percent = EXAMPLE_FEES_TOML.replacen("percent_off = 50", "percent_off = 150", 1);
        assert!(FeeSchedule::from_toml_str(&bad_percent).is_err());
    }

    #[test]
    fn money_is_formatted_in_yuan() {
        assert_eq!(format_fen(34000), "¥340.00");
        assert_eq!(format_fen(7), "¥0.07");
    }
}
