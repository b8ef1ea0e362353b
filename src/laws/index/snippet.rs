//! Snippets with highlighted matches, as spans the UI renders (bold/colour for `hit`).

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    pub text: String,
    pub hit: bool,
}

/// Characters of context shown before the first match.
const LEAD: usize = 16;

/// A window of about `width` characters of `text` with every occurrence of `terms` marked.
/// `terms` come in order of importance (the words as typed before their synonyms): the window
/// starts just before the first occurrence of the most important term present. `…` marks
/// cut ends.
pub fn snippet(text: &str, terms: &[String], width: usize) -> Vec<Span> {
    let chars: Vec<char> = text
        .chars()
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    let anchor = terms
        .iter()
        .filter(|t| !t.is_empty())
        .find_map(|t| text.find(t.as_str()))
        .map(|byte| text[..byte].chars().count());
    let mut terms: Vec<Vec<char>> = terms
        .iter()
        .filter(|t| !t.is_empty())
        .map(|t| t.chars().collect())
        .collect();
    // Longest first, so 劳动合同 is marked whole rather than as 劳动.
    terms.sort_by_key(|t| std::cmp::Reverse(t.len()));
    let hits = find_hits(&chars, &terms);
    let start = anchor.map_or(0, |a| a.saturating_sub(LEAD));
    // A hit that starts inside the window is shown whole.
    let window_end = (start + width).min(chars.len());
    let end = hits
        .iter()
        .find(|(s, e)| *s < window_end && *e > window_end)
        .map_or(window_end, |(_, e)| *e);
    let mut spans = Vec::new();
    if start > 0 {
        push(&mut spans, "…".into(), false);
    }
    let mut pos = start;
    for &(s, e) in hits.iter().filter(|(s, _)| *s >= start && *s < end) {
        push(&mut spans, chars[pos..s].iter().collect(), false);
        push(&mut spans, chars[s..e].iter().collect(), true);
        pos = e;
    }
    push(&mut spans, chars[pos..end].iter().collect(), false);
    if end < chars.len() {
        push(&mut spans, "…".into(), false);
    }
    spans
}

/// Non-overlapping (start, end) character ranges of term occurrences, in order.
fn find_hits(chars: &[char], terms: &[Vec<char>]) -> Vec<(usize, usize)> {
    let mut hits = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match terms.iter().find(|t| chars[i..].starts_with(t)) {
            Some(term) => {
                hits.push((i, i + term.len()));
                i += term.len();
            }
            None => i += 1,
        }
    }
    hits
}

/// Appends text, merging with the previous span of the same kind.
fn push(spans: &mut Vec<Span>, text: String, hit: bool) {
    if text.is_empty() {
        return;
    }
    match spans.last_mut() {
        Some(last) if last.hit == hit => last.text.push_str(&text),
        _ => spans.push(Span { text, hit }),
    }
}

/// Spans as one string with `【…】` around hits, for plain-text output.
pub fn marked(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| {
            if s.hit {
                format!("【{}】", s.text)
            } else {
                s.text.clone()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_longest_terms_in_a_window() {
        let text = "第一句很长很长很长很长很长很长很长很长很长很长。用人单位应当与劳动者订立书面劳动合同，劳动合同期限";
        let spans = snippet(text, &["劳动".into(), "劳动合同".into()], 30);
        assert!(spans[0].text.starts_with('…') && !spans[0].hit);
        let hits: Vec<&str> = spans
            .iter()
            .filter(|s| s.hit)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(hits, ["劳动", "劳动合同", "劳动合同"]);
        assert!(marked(&spans).contains("【劳动合同】"));
    }

    #[test]
    fn without_hits_shows_the_start() {
        let spans = snippet("短文本", &["无".into()], 10);
        assert_eq!(
            spans,
            [Span {
                text: "短文本".into(),
                hit: false
            }]
        );
    }
}
