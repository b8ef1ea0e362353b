//! Articles as plain-text lines for the receipt printer: 32 full-width or 48 half-width
//! characters per line (the printer helper turns lines into its receipt model).

use super::index::ArticleText;

/// Width budget of one line, in units: a full-width character takes 3, a half-width one 2
/// (32 × 3 = 48 × 2 = 96).
const LINE_UNITS: usize = 96;

fn units(c: char) -> usize {
    if c.is_ascii() || ('\u{ff61}'..='\u{ffdc}').contains(&c) {
        2
    } else {
        3
    }
}

/// Closing punctuation never starts a line (Chinese line-breaking rule).
fn is_closing(c: char) -> bool {
    "，。、；：？！）》」』】〕,.;:?!)".contains(c)
}

/// Wraps one paragraph to the printer's width. ASCII words are not split unless longer
/// than a line.
pub fn wrap(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line: Vec<char> = Vec::new();
    let mut used = 0;
    let chars: Vec<char> = text.chars().filter(|c| *c != '\n').collect();
    let mut i = 0;
    while i < chars.len() {
        // An ASCII word moves whole.
        let word_end = if chars[i].is_ascii_alphanumeric() {
            (i..chars.len())
                .find(|&j| !chars[j].is_ascii_alphanumeric())
                .unwrap_or(chars.len())
        } else {
            i + 1
        };
        let word: Vec<char> = chars[i..word_end].to_vec();
        let width: usize = word.iter().map(|&c| units(c)).sum();
        if used + width > LINE_UNITS && !line.is_empty() && width <= LINE_UNITS {
            // Pull the last character down with a closing punctuation mark.
            let carried = if word.len() == 1 && is_closing(word[0]) && line.len() > 1 {
                line.pop()
            } else {
                None
            };
            lines.push(line.iter().collect::<String>().trim_end().to_string());
            line = carried.into_iter().collect();
            used = line.iter().map(|&c| units(c)).sum();
            if word == [' '] {
                i = word_end;
                continue;
            }
        }
        for c in word {
            if used + units(c) > LINE_UNITS {
                lines.push(line.iter().collect());
                line.clear();
                used = 0;
            }
            used += units(c);
            line.push(c);
        }
        i = word_end;
    }
    if !line.is_empty() {
        lines.push(line.iter().collect::<String>().trim_end().to_string());
    }
    lines
}

/// The receipt text of selected articles: for each, a heading line (law and article), its
/// chapter, then its paragraphs, with a blank line between articles.
pub fn receipt_lines(articles: &[ArticleText]) -> Vec<String> {
    let mut lines = Vec::new();
    for (i, article) in articles.iter().enumerate() {
        if i > 0 {
            lines.push(String::new());
        }
        lines.extend(wrap(&format!("《{}》{}", article.law, article.label)));
        if let Some(chapter) = article.divisions.last() {
            lines.extend(wrap(chapter));
        }
        for paragraph in article.text.split('\n') {
            lines.extend(wrap(&format!("　　{paragraph}")));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn width(line: &str) -> usize {
        line.chars().map(units).sum()
    }

    #[test]
    fn wraps_full_width_text_at_32_characters() {
        let text = "字".repeat(70);
        let lines = wrap(&text);
        assert_eq!(
            lines.iter().map(|l| l.chars().count()).collect::<Vec<_>>(),
            [32, 32, 6]
        );
    }

    #[test]
    fn wraps_half_width_text_at_48_characters_on_word_boundaries() {
        let text = "Labour Contract Law article forty-seven economic compensation for each year";
        let lines = wrap(text);
        assert!(lines
            .iter()
            .all(|l| width(l) <= LINE_UNITS && l.chars().count() <= 48));
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        let text = format!("{}。后文", "字".repeat(32));
        let lines = wrap(&text);
        assert!(lines.iter().all(|l| !l.starts_with('。')), "{lines:?}");
        assert!(lines.iter().all(|l| width(l) <= LINE_UNITS));
    }

    #[test]
    fn receipt_has_heading_chapter_and_paragraphs() {
        let article = ArticleText {
            article_id: 1,
            law: "劳动合同法".into(),
            law_title: "中华人民共和国劳动合同法".into(),
            law_en: None,
            version: None,
            number: 47,
            suffix: 0,
            label: "第四十七条".into(),
            divisions: vec!["第四章 劳动合同的解除和终止".into()],
            text: "第一段。\n第二段。".into(),
        };
        let lines = receipt_lines(&[article.clone(), article]);
        assert_eq!(lines[0], "《劳动合同法》第四十七条");
        assert_eq!(lines[1], "第四章 劳动合同的解除和终止");
        assert_eq!(lines[2], "　　第一段。");
        assert_eq!(lines[4], "");
        assert_eq!(lines.len(), 9);
    }
}
