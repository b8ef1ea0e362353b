//! The voice prompt catalogue: one prompt per kiosk step, in Chinese and English.
//!
//! The data is `data/voice/prompts.toml`, embedded in the binary, so flows refer to prompts by
//! step id and translators edit one file.

use crate::domain::Language;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use thiserror::Error;

const EMBEDDED: &str = include_str!("../../../data/voice/prompts.toml");

/// One spoken prompt.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prompt {
    #[serde(skip)]
    pub id: String,
    pub zh: String,
    pub en: String,
}

impl Prompt {
    /// The prompt's text in `language`.
    pub fn text(&self, language: Language) -> &str {
        match language {
            Language::Zh => &self.zh,
            Language::En => &self.en,
        }
    }
}

#[derive(Debug, Error)]
pub enum CatalogueError {
    #[error("prompt catalogue is not valid TOML: {0}")]
    Syntax(#[from] toml::de::Error),
    #[error("prompt `{id}` has no {language} text")]
    Blank { id: String, language: &'static str },
    #[error("prompt id `{0}` must be lowercase letters, digits and underscores")]
    Id(String),
}

/// All prompts by step id.
#[derive(Debug, Default)]
pub struct PromptCatalogue {
    prompts: BTreeMap<String, Prompt>,
}

impl PromptCatalogue {
    /// Parses and checks a catalogue: every prompt has well-formed id and both languages.
    pub fn parse(text: &str) -> Result<PromptCatalogue, CatalogueError> {
        let mut prompts: BTreeMap<String, Prompt> = toml::from_str(text)?;
        for (id, prompt) in &mut prompts {
            let well_formed = !id.is_empty()
                && id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !well_formed {
                return Err(CatalogueError::Id(id.clone()));
            }
            for (language, text) in [("Chinese", &prompt.zh), ("English", &prompt.en)] {
                if text.trim().is_empty() {
                    return Err(CatalogueError::Blank {
                        id: id.clone(),
                        language,
                    });
                }
            }
            prompt.id.clone_from(id);
        }
        Ok(PromptCatalogue { prompts })
    }

    /// The embedded catalogue, parsed on first use.
    pub fn embedded() -> &'static PromptCatalogue {
        static SHARED: OnceLock<PromptCatalogue> = OnceLock::new();
        SHARED.get_or_init(|| {
            // Checked by the tests; if it were broken the kiosk runs silent rather than down.
            PromptCatalogue::parse(EMBEDDED).unwrap_or_else(|error| {
                tracing::error!(%error, "embedded voice prompt catalogue is malformed");
                PromptCatalogue::default()
            })
        })
    }

    pub fn get(&self, step_id: &str) -> Option<&Prompt> {
        self.prompts.get(step_id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Prompt> {
        self.prompts.values()
    }

    pub fn len(&self) -> usize {
        self.prompts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.prompts.is_empty()
    }
}

/// The prompt for a kiosk step, if it has one.
pub fn prompt_for(step_id: &str) -> Option<&'static Prompt> {
    PromptCatalogue::embedded().get(step_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The steps the flows speak at; each must have a prompt.
    const STEPS: &[&str] = &[
        "welcome",
        "choose_service",
        "consent",
        "id_card_place",
        "id_card_ok",
        "id_card_failed",
        "id_card_expired",
        "id_card_removed",
        "fingerprint_place",
        "form_name",
        "form_phone",
        "form_id_number",
        "camera_capture",
        "fee",
        "review",
        "submitting",
        "receipt_printed",
        "printer_failed",
        "rating",
        "goodbye",
        "idle_warning",
        "staff_called",
        "progress_query",
        "consultation_category",
        "consultation_answer",
        "legal_aid_precheck",
    ];

    #[test]
    fn every_step_has_a_prompt() {
        for step in STEPS {
            let prompt = prompt_for(step).unwrap_or_else(|| panic!("no prompt for {step}"));
            assert_eq!(prompt.id, *step);
        }
        assert_eq!(
            prompt_for("id_card_place").map(|p| p.text(Language::Zh)),
            Some("请将身份证放在读卡器上。")
        );
        assert!(prompt_for("no_such_step").is_none());
    }

    #[test]
    fn every_prompt_has_chinese_and_english_text() {
        let catalogue = PromptCatalogue::embedded();
        assert!(catalogue.len() >= STEPS.len());
        for prompt in catalogue.iter() {
            let zh = prompt.text(Language::Zh);
            let en = prompt.text(Language::En);
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{}: Chinese text has no hanzi",
                prompt.id
            );
            assert!(
                en.is_ascii(),
                "{}: English text is not plain ASCII",
                prompt.id
            );
            assert!(en.chars().any(|c| c.is_ascii_alphabetic()), "{}", prompt.id);
        }
    }

    #[test]
    fn malformed_catalogues_are_rejected_with_the_reason() {
        let blank = PromptCatalogue::parse("[a]\nzh = \"好\"\nen = \" \"\n").unwrap_err();
        assert_eq!(blank.to_string(), "prompt `a` has no English text");
        let missing = PromptCatalogue::parse("[a]\nzh = \"好\"\n").unwrap_err();
        assert!(matches!(missing, CatalogueError::Syntax(_)));
        let id = PromptCatalogue::parse("[Bad-Id]\nzh = \"好\"\nen = \"ok\"\n").unwrap_err();
        assert!(matches!(id, CatalogueError::Id(_)));
    }
}
