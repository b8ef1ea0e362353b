//! Bilingual text: every string a citizen sees exists in Chinese and in English.

use super::Language;
use serde::{Deserialize, Serialize};

/// One text in both kiosk languages. In a data file (catalogue, guides, grounds) a key other
/// than `zh` and `en` is a mistake, so it is refused rather than dropped.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bilingual {
    pub zh: String,
    pub en: String,
}

impl Bilingual {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Bilingual {
        Bilingual {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, language: Language) -> &str {
        match language {
            Language::Zh => &self.zh,
            Language::En => &self.en,
        }
    }

    /// Both languages have visible text.
    pub fn is_complete(&self) -> bool {
        !self.zh.trim().is_empty() && !self.en.trim().is_empty()
    }
}

/// Shorthand for the many fixed messages of the journey.
pub(crate) fn bi(zh: &str, en: &str) -> Bilingual {
    Bilingual::new(zh, en)
}
