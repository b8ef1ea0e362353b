//! The grounds of the Act a citizen can pick from, one fact per answer: data
//! (`data/legal_aid/grounds.toml`) that the people who know the law maintain, each ground tied
//! to the article it comes from; the tests below check the lists against the statute text.

use crate::domain::Bilingual;
use serde::Deserialize;
use std::sync::LazyLock;

/// The shipped grounds, embedded in the program.
const GROUNDS_FILE: &str = include_str!("../../../data/legal_aid/grounds.toml");

/// One fact the citizen can choose.
#[derive(Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ground {
    /// Stable name for the application request, e.g. `domestic_violence`.
    pub key: String,
    pub text: Bilingual,
    /// 法律援助法 article the ground comes from.
    pub article: u32,
    /// Sensitive personal information (个人信息保护法 art. 28): sent only with its own consent.
    pub sensitive: bool,
    /// What proves it (art. 42 requires 材料证明), for the exemptions.
    #[serde(default)]
    pub proof: Option<Bilingual>,
}

/// The lists of the pre-check's list questions.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grounds {
    /// Art. 25 ¶1 (items 1–6) and art. 28: a lawyer must be appointed.
    pub appointed_defence: Vec<Ground>,
    /// Art. 32 (items 1–4): no economic condition.
    pub no_means_test: Vec<Ground>,
    /// Art. 31 (items 1–8): the civil and administrative matters.
    #[serde(rename = "matter")]
    pub matters: Vec<Ground>,
    /// Art. 42 (items 1–3): exempt from the check of economic difficulty, with proof.
    #[serde(rename = "exemption")]
    pub exemptions: Vec<Ground>,
}

/// The shipped grounds. The file is embedded at build time and parsed by the tests, so a
/// defect in it fails the build's tests rather than a citizen's check.
pub fn grounds() -> &'static Grounds {
    static GROUNDS: LazyLock<Grounds> = LazyLock::new(|| {
        toml::from_str(GROUNDS_FILE).expect("data/legal_aid/grounds.toml (checked by the tests)")
    });
    &GROUNDS
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The items of art. 25 ¶1 and art. 28 as the statute in the corpus words them: the
    /// grounds must follow the Act's list (not the old 刑事诉讼法 wording), one fact each.
    #[test]
    fn the_shipped_file_parses_and_each_list_comes_from_its_article() {
        let g: Grounds = toml::from_str(GROUNDS_FILE).unwrap();
        assert!(g
            .appointed_defence
            .iter()
            .all(|g| [25, 28].contains(&g.article)));
        assert!(g.no_means_test.iter().all(|g| g.article == 32));
        assert!(g.matters.iter().all(|g| g.article == 31));
        assert!(g.exemptions.iter().all(|g| g.article == 42));
        let lengths = [
            g.appointed_defence.len(),
            g.no_means_test.len(),
            g.matters.len(),
            g.exemptions.len(),
        ];
        assert_eq!(lengths, [7, 4, 8, 4]);
    }

    #[test]
    fn appointed_defence_follows_articles_25_and_28() {
        let corpus = crate::laws::Corpus::curated();
        let law = corpus.instrument("法律援助法").unwrap();
        let art25 = &law.article(25, 0).unwrap().text;
        for item in [
            "未成年人",
            "视力、听力、言语残疾人",
            "不能完全辨认自己行为的成年人",
            "可能被判处无期徒刑、死刑的人",
            "申请法律援助的死刑复核案件被告人",
            "缺席审判案件的被告人",
        ] {
            assert!(art25.contains(item), "art. 25 lists {item}");
        }
        assert!(law.article(28, 0).unwrap().text.contains("强制医疗案件"));
        let defence = &grounds().appointed_defence;
        let keys: Vec<&str> = defence.iter().map(|g| g.key.as_str()).collect();
        assert!(keys.contains(&"death_penalty_review") && keys.contains(&"trial_in_absence"));
        assert!(defence.iter().any(|g| g.article == 28));
        assert!(
            !defence.iter().any(|g| g.text.zh.contains("盲、聋、哑")),
            "the old 刑事诉讼法 wording"
        );
    }

    /// Art. 42 item 1 is "无固定生活来源的…残疾人": being disabled alone is not the ground,
    /// and the proof asked for says so.
    #[test]
    fn disability_alone_is_not_the_exemption() {
        let exemptions = &grounds().exemptions;
        let first = &exemptions[0];
        assert!(first.text.zh.contains("没有固定生活来源"));
        let proof = first.proof.as_ref().unwrap();
        assert!(proof.zh.contains("没有固定生活来源的证明"));
        assert!(exemptions.iter().all(|g| g
            .proof
            .as_ref()
            .is_some_and(|p| !p.zh.is_empty() && !p.en.is_empty())));
    }

    #[test]
    fn every_ground_is_there_in_both_languages_with_a_unique_key() {
        let g = grounds();
        let all: Vec<&Ground> = g
            .appointed_defence
            .iter()
            .chain(&g.no_means_test)
            .chain(&g.matters)
            .chain(&g.exemptions)
            .collect();
        let mut keys: Vec<&str> = all.iter().map(|g| g.key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), all.len());
        assert!(all
            .iter()
            .all(|g| !g.text.zh.trim().is_empty() && !g.text.en.trim().is_empty()));
    }
}
