//! Turning query words into an FTS5 MATCH expression.

use crate::laws::segment::{is_single_character, jieba, word_forms};

/// One query word and the forms that count as finding it.
#[derive(Debug, Clone)]
pub struct WordGroup {
    pub forms: Vec<String>,
}

/// A single character without synonyms is left out when the query has longer words: alone it
/// matches almost anything (不, 交), and the word index cannot find it inside words anyway.
pub fn word_groups(words: &[String]) -> Vec<WordGroup> {
    let groups: Vec<WordGroup> = words
        .iter()
        .map(|word| WordGroup {
            forms: word_forms(word),
        })
        .collect();
    let is_bare_character = |g: &WordGroup| g.forms.iter().all(|f| is_single_character(f));
    if groups.iter().all(is_bare_character) {
        return groups;
    }
    groups
        .into_iter()
        .filter(|g| !is_bare_character(g))
        .collect()
}

/// `(form OR form …) OR (…)`: any word may match; bm25 and the coverage boost reward
/// articles that match more of them. A multi-word form (解除劳动合同) needs all its words.
pub fn match_expression(groups: &[WordGroup]) -> Option<String> {
    let alternatives: Vec<String> = groups
        .iter()
        .flat_map(|g| g.forms.iter())
        .filter_map(|form| form_expression(form))
        .collect();
    (!alternatives.is_empty()).then(|| alternatives.join(" OR "))
}

fn form_expression(form: &str) -> Option<String> {
    let words: Vec<String> = jieba()
        .cut(form, false)
        .into_iter()
        .map(|t| t.word)
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(quote)
        .collect();
    match words.len() {
        0 => None,
        1 => words.into_iter().next(),
        _ => Some(format!("({})", words.join(" AND "))),
    }
}

/// An FTS5 string literal; a double quote inside is doubled.
fn quote(word: &str) -> String {
    format!("\"{}\"", word.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_or_of_forms_with_quoted_tokens() {
        let groups = word_groups(&["辞退".to_string()]);
        let expression = match_expression(&groups).unwrap();
        assert!(expression.starts_with("\"辞退\" OR "), "{expression}");
        assert!(
            expression.contains("(\"解除\" AND \"劳动合同\")"),
            "{expression}"
        );
        assert_eq!(quote("a\"b"), "\"a\"\"b\"");
        assert_eq!(match_expression(&[]), None);
    }
}
