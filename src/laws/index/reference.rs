//! Article references in queries: "民法典 1077", "民法典第一千零七十七条", "《劳动合同法》第47条",
//! and a law name followed by words ("劳动合同法 试用期"), which scopes the search.

use crate::laws::numeral::parse_number;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    /// A law name and an article number (and 之X suffix).
    Article {
        instrument_id: i64,
        number: u32,
        suffix: u32,
    },
    /// A law name alone, or followed by words to search in that law.
    Scoped { instrument_id: i64, rest: String },
}

/// Interprets `query` against the known names (longest first).
pub fn parse_reference(query: &str, names: &[(String, i64)]) -> Option<Reference> {
    let compact: String = query
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '《' | '》' | '<' | '>'))
        .collect();
    let (name, instrument_id) = names
        .iter()
        .find(|(name, _)| compact.starts_with(name.as_str()))?;
    let rest = &compact[name.len()..];
    if let Some((number, suffix)) = parse_article_number(rest) {
        return Some(Reference::Article {
            instrument_id: *instrument_id,
            number,
            suffix,
        });
    }
    // Keep the user's spacing for the words after the name.
    let rest = query
        .trim()
        .trim_start_matches('《')
        .strip_prefix(name.as_str())
        .map(|r| r.trim_start_matches('》').trim().to_string())
        .unwrap_or_else(|| rest.to_string());
    Some(Reference::Scoped {
        instrument_id: *instrument_id,
        rest,
    })
}

/// `第四十七条`, `47`, `第47条`, `47条`, `第一百二十条之一` → (number, suffix).
fn parse_article_number(text: &str) -> Option<(u32, u32)> {
    let text = text.strip_prefix('第').unwrap_or(text);
    let (number, after) = match text.find('条') {
        Some(end) => (&text[..end], &text[end + '条'.len_utf8()..]),
        None => (text, ""),
    };
    let number = parse_number(number)?;
    let suffix = match after.strip_prefix('之') {
        Some(s) => parse_number(s)?,
        None if after.is_empty() => 0,
        None => return None,
    };
    Some((number, suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<(String, i64)> {
        vec![
            ("劳动合同法".to_string(), 2),
            ("民法典".to_string(), 1),
            ("劳动法".to_string(), 3),
        ]
    }

    #[test]
    fn parses_article_references() {
        let article = |id, number| {
            Some(Reference::Article {
                instrument_id: id,
                number,
                suffix: 0,
            })
        };
        for (query, id, number) in [
            ("民法典 1077", 1, 1077),
            ("民法典第一千零七十七条", 1, 1077),
            ("劳动合同法第四十七条", 2, 47),
            ("《劳动合同法》 47", 2, 47),
            ("劳动合同法第47条", 2, 47),
        ] {
            assert_eq!(
                parse_reference(query, &names()),
                article(id, number),
                "{query}"
            );
        }
        assert_eq!(parse_reference("劳动法 第3条", &names()), article(3, 3));
        assert_eq!(
            parse_reference("民法典第一百二十条之一", &names()),
            Some(Reference::Article {
                instrument_id: 1,
                number: 120,
                suffix: 1
            })
        );
    }

    #[test]
    fn law_name_with_words_scopes_the_search() {
        assert_eq!(
            parse_reference("劳动合同法 试用期", &names()),
            Some(Reference::Scoped {
                instrument_id: 2,
                rest: "试用期".into()
            })
        );
        assert_eq!(parse_reference("离婚 1077", &names()), None);
    }
}
