//! `data/laws/catalog.toml`: display names, prominence and reference aliases of instruments,
//! and the defaults for instruments without an entry.

use super::error::LawsError;
use serde::Deserialize;
use std::collections::HashMap;

/// The catalog shipped with the curated corpus; it also names instruments of an imported one.
pub const CATALOG_TOML: &str = include_str!("../../data/laws/catalog.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogEntry {
    pub title: String,
    pub short: String,
    pub en: String,
    pub prominence: f64,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    instrument: Vec<CatalogEntry>,
}

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    by_title: HashMap<String, CatalogEntry>,
}

impl Catalog {
    pub fn parse(file: &str, text: &str) -> Result<Catalog, LawsError> {
        let parsed: CatalogFile = toml::from_str(text).map_err(|e| LawsError::Catalog {
            file: file.into(),
            message: e.to_string(),
        })?;
        let mut by_title = HashMap::new();
        for entry in parsed.instrument {
            if !(0.0..=1.0).contains(&entry.prominence) {
                return Err(LawsError::Catalog {
                    file: file.into(),
                    message: format!("{}: prominence must be within 0..=1", entry.title),
                });
            }
            by_title.insert(entry.title.clone(), entry);
        }
        Ok(Catalog { by_title })
    }

    /// The catalog shipped with the program.
    pub fn builtin() -> Catalog {
        // The shipped file is checked by a unit test, so failing here is a build defect.
        Catalog::parse("data/laws/catalog.toml", CATALOG_TOML).unwrap_or_default()
    }

    pub fn get(&self, title: &str) -> Option<&CatalogEntry> {
        self.by_title.get(title)
    }
}

/// Short name of an instrument without a catalog entry: the title without the state's name.
pub fn default_short_name(title: &str) -> String {
    title
        .strip_prefix("中华人民共和国")
        .unwrap_or(title)
        .to_string()
}

/// Ranking weight by the corpus folder (the instrument's level), for uncatalogued instruments.
pub fn default_prominence(level: &str) -> f64 {
    match level {
        "宪法" | "民法典" => 0.9,
        "宪法相关法"
        | "民法商法"
        | "行政法"
        | "经济法"
        | "社会法"
        | "刑法"
        | "诉讼与非诉讼程序法" => 0.65,
        "行政法规" => 0.5,
        "司法解释" => 0.45,
        "部门规章" => 0.35,
        _ => 0.25,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalog_parses() {
        let catalog = Catalog::parse("catalog.toml", CATALOG_TOML).unwrap();
        let civil = catalog.get("中华人民共和国民法典").unwrap();
        assert_eq!(civil.short, "民法典");
        assert_eq!(civil.en, "Civil Code");
    }

    #[test]
    fn refuses_out_of_range_prominence() {
        let text = "[[instrument]]\ntitle = \"x\"\nshort = \"x\"\nen = \"x\"\nprominence = 2.0\n";
        assert!(Catalog::parse("c.toml", text).is_err());
    }

    #[test]
    fn defaults_strip_state_name() {
        assert_eq!(default_short_name("中华人民共和国公证法"), "公证法");
        assert!(default_prominence("民法典") > default_prominence("司法解释"));
    }
}
