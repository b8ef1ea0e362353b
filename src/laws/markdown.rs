//! Parser for one statute file in the corpus's Markdown format:
//! `# title` lines and history lines, `<!-- INFO END -->`, then `##`…`####` headings for
//! 编/分编/章/节 and articles starting with `第…条` at the beginning of a line.

use super::error::LawsError;
use super::numeral::parse_number;

/// One file, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedFile {
    /// The `# ` lines of the header: the instrument's title, then (for the Civil Code, whose
    /// books are separate files) the part's name.
    pub titles: Vec<String>,
    /// Non-title header lines, e.g. `2020年5月28日 第十三届全国人民代表大会第三次会议通过`.
    pub history: Vec<String>,
    pub articles: Vec<ParsedArticle>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParsedArticle {
    pub number: u32,
    /// 1 for 第X条之一 (articles inserted by an amendment), 0 otherwise.
    pub suffix: u32,
    /// Headings above the article, outermost first, e.g. `["第五章 离婚"]`.
    pub divisions: Vec<String>,
    /// Text after the label; paragraphs separated by `\n`.
    pub text: String,
}

const HEADER_END: &str = "<!-- INFO END -->";

/// Parses a file; `file` names it in errors.
pub fn parse_file(file: &str, text: &str) -> Result<ParsedFile, LawsError> {
    let (header, body) = text
        .split_once(HEADER_END)
        .ok_or_else(|| LawsError::MissingHeaderEnd { file: file.into() })?;
    let mut titles = Vec::new();
    let mut history = Vec::new();
    for line in header.lines().map(clean_line).filter(|l| !l.is_empty()) {
        match line.strip_prefix('#') {
            Some(title) => titles.push(normalise_spaces(title.trim_start_matches('#'))),
            None => history.push(line.to_string()),
        }
    }
    if titles.is_empty() {
        return Err(LawsError::MissingTitle { file: file.into() });
    }
    Ok(ParsedFile {
        titles,
        history,
        articles: parse_body(body),
    })
}

fn parse_body(body: &str) -> Vec<ParsedArticle> {
    let mut articles: Vec<ParsedArticle> = Vec::new();
    let mut headings: Vec<(usize, String)> = Vec::new();
    let mut in_article = false;
    for line in body.lines().map(clean_line).filter(|l| !l.is_empty()) {
        if line.starts_with('#') {
            let level = line.chars().take_while(|&c| c == '#').count();
            headings.retain(|(l, _)| *l < level);
            headings.push((level, normalise_spaces(&line[level..])));
            in_article = false;
        } else if let Some((number, suffix, rest)) = split_article_label(line) {
            articles.push(ParsedArticle {
                number,
                suffix,
                divisions: headings.iter().map(|(_, h)| h.clone()).collect(),
                text: rest.to_string(),
            });
            in_article = true;
        } else if in_article {
            if let Some(article) = articles.last_mut() {
                if !article.text.is_empty() {
                    article.text.push('\n');
                }
                article.text.push_str(line);
            }
        }
        // Text before the first article (a preamble) is not part of any article.
    }
    articles
}

/// `第四十七条 text…` → (47, 0, "text…"); `第一百二十条之一 …` → (120, 1, "…").
pub fn split_article_label(line: &str) -> Option<(u32, u32, &str)> {
    let rest = line.strip_prefix('第')?;
    let end = rest.find('条')?;
    let number = parse_number(&rest[..end])?;
    let mut rest = &rest[end + '条'.len_utf8()..];
    let mut suffix = 0;
    if let Some(after) = rest.strip_prefix('之') {
        let digits_end = after
            .char_indices()
            .find(|(_, c)| !"一二三四五六七八九十".contains(*c))
            .map_or(after.len(), |(i, _)| i);
        suffix = parse_number(&after[..digits_end])?;
        rest = &after[digits_end..];
    }
    // The label must be followed by a space or end the line, or `第三条规定…` in running text
    // would start an article.
    let first = rest.chars().next();
    if first.is_some_and(|c| !c.is_whitespace()) {
        return None;
    }
    Some((number, suffix, rest.trim()))
}

/// Trims whitespace, including full-width spaces and the zero-width spaces some files carry.
fn clean_line(line: &str) -> &str {
    line.trim_matches(|c: char| c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}')
}

/// `第一章  总 则` → `第一章 总则`: collapses runs of spaces and drops spaces between CJK
/// characters, which the source uses for visual spacing.
fn normalise_spaces(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            let prev_cjk = words[i - 1].chars().last().is_some_and(is_cjk);
            let next_cjk = word.chars().next().is_some_and(is_cjk);
            let prev_is_label =
                words[i - 1].starts_with('第') && words[i - 1].ends_with(['编', '章', '节']);
            if !(prev_cjk && next_cjk) || prev_is_label {
                out.push(' ');
            }
        }
        out.push_str(word);
    }
    out
}

pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# 中华人民共和国民法典\n\n# 婚姻家庭编\n\n2020年5月28日 通过\n\n<!-- INFO END -->\n\n\
        ## 第四章  离 婚\n\n第一千零七十六条 夫妻双方自愿离婚的，应当签订书面离婚协议。\n\n离婚协议应当载明……\n\n\
        第一千零七十七条　自婚姻登记机关收到离婚登记申请之日起三十日内……\n\n### 第一节 其他\n\n\
        第一百二十条之一 插入的条文。\n第三条规定的不是条文开头\n";

    #[test]
    fn parses_header_headings_and_articles() {
        let file = parse_file("t.md", SAMPLE).unwrap();
        assert_eq!(file.titles, ["中华人民共和国民法典", "婚姻家庭编"]);
        assert_eq!(file.history, ["2020年5月28日 通过"]);
        assert_eq!(file.articles.len(), 3);
        let a = &file.articles[0];
        assert_eq!((a.number, a.suffix), (1076, 0));
        assert_eq!(a.divisions, ["第四章 离婚"]);
        assert_eq!(
            a.text,
            "夫妻双方自愿离婚的，应当签订书面离婚协议。\n离婚协议应当载明……"
        );
        assert_eq!(file.articles[1].number, 1077);
        let inserted = &file.articles[2];
        assert_eq!((inserted.number, inserted.suffix), (120, 1));
        assert_eq!(inserted.divisions, ["第四章 离婚", "第一节 其他"]);
        assert!(inserted.text.ends_with("第三条规定的不是条文开头"));
    }

    #[test]
    fn refuses_files_without_header_end() {
        assert!(matches!(
            parse_file("x.md", "# 标题\n第一条 文本"),
            Err(LawsError::MissingHeaderEnd { .. })
        ));
        assert!(matches!(
            parse_file("x.md", "history\n<!-- INFO END -->\n第一条 文本"),
            Err(LawsError::MissingTitle { .. })
        ));
    }
}
