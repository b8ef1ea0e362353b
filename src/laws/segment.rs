//! Chinese word segmentation (jieba) for indexing and queries, and the query vocabulary
//! (stopwords, everyday-word → statute-word synonyms) from `data/laws/query_terms.toml`.

use super::markdown::is_cjk;
use jieba_rs::Jieba;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const QUERY_TERMS_TOML: &str = include_str!("../../data/laws/query_terms.toml");

/// The segmenter; loading its dictionary takes a few hundred milliseconds, so it is loaded
/// once per process.
pub fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// Text as space-separated search tokens for an FTS5 `unicode61` column: every word jieba
/// finds, plus the shorter dictionary words inside long ones (`劳动合同` → 劳动 合同 劳动合同).
/// The HMM guesser is off so that documents and queries are cut the same way.
pub fn index_tokens(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    for token in jieba().cut_for_search(text, false) {
        if token.word.chars().any(char::is_alphanumeric) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(token.word);
        }
    }
    out
}

/// Words of a query, without punctuation and stopwords, in order.
pub fn query_words(query: &str) -> Vec<String> {
    let vocabulary = vocabulary();
    let mut words: Vec<String> = Vec::new();
    for token in jieba().cut(query, false) {
        let word = token.word.trim();
        if word.is_empty()
            || !word.chars().any(char::is_alphanumeric)
            || vocabulary.stopwords.contains(word)
            || words.iter().any(|w| w == word)
        {
            continue;
        }
        words.push(word.to_lowercase());
    }
    words
}

/// The search forms of a query word: itself, its synonyms, and the dictionary words inside
/// it (so 抚养权 also finds 抚养).
pub fn word_forms(word: &str) -> Vec<String> {
    let mut forms = vec![word.to_string()];
    let mut push = |form: &str| {
        if !form.is_empty() && !forms.iter().any(|f| f == form) {
            forms.push(form.to_string());
        }
    };
    if let Some(synonyms) = vocabulary().synonyms.get(word) {
        synonyms.iter().for_each(|s| push(s));
    }
    if word.chars().count() > 2 {
        for token in jieba().cut_for_search(word, false) {
            if token.word.chars().count() >= 2 {
                push(token.word);
            }
        }
    }
    forms
}

/// True for a single CJK character, which the word index cannot find inside longer words.
pub fn is_single_character(word: &str) -> bool {
    let mut chars = word.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if is_cjk(c))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Vocabulary {
    stopwords: HashSet<String>,
    synonyms: HashMap<String, Vec<String>>,
}

fn vocabulary() -> &'static Vocabulary {
    static VOCABULARY: OnceLock<Vocabulary> = OnceLock::new();
    VOCABULARY.get_or_init(|| {
        // The shipped file is checked by a unit test; an empty vocabulary only loses recall.
        toml::from_str(QUERY_TERMS_TOML).unwrap_or_else(|_| Vocabulary {
            stopwords: HashSet::new(),
            synonyms: HashMap::new(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_terms_file_parses() {
        let parsed: Vocabulary = toml::from_str(QUERY_TERMS_TOML).unwrap();
        assert!(parsed.stopwords.contains("怎么办"));
        assert!(parsed.synonyms.contains_key("辞退"));
    }

    #[test]
    fn index_tokens_contain_two_character_words() {
        let tokens = index_tokens("夫妻双方自愿离婚的，应当签订书面离婚协议。");
        let tokens: Vec<&str> = tokens.split(' ').collect();
        assert!(tokens.contains(&"离婚"), "{tokens:?}");
        assert!(tokens.contains(&"夫妻"), "{tokens:?}");
        assert!(!tokens.contains(&"，"));
    }

    #[test]
    fn query_words_drop_stopwords() {
        assert_eq!(query_words("公司拖欠工资怎么办"), ["公司", "拖欠工资"]);
        assert_eq!(query_words("我的孩子怎么办？"), ["孩子"]);
    }

    #[test]
    fn word_forms_add_synonyms_and_inner_words() {
        let forms = word_forms("抚养权");
        assert!(forms.contains(&"抚养".to_string()), "{forms:?}");
        assert!(word_forms("辞退").contains(&"解除劳动合同".to_string()));
        assert!(is_single_character("婚"));
        assert!(!is_single_character("离婚"));
        assert!(!is_single_character("a"));
    }
}
