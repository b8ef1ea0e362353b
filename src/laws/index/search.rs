//! Queries: article references, ranked word search, the single-character fallback, and
//! opening an article with its neighbours.

use super::query::{match_expression, word_groups, WordGroup};
use super::reference::{parse_reference, Reference};
use super::snippet::{snippet, Span};
use super::LawIndex;
use crate::laws::error::LawsError;
use crate::laws::segment::{is_single_character, query_words};
use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

/// Candidates taken from FTS5 before re-ranking.
const CANDIDATES: usize = 200;
/// Characters in a result snippet.
const SNIPPET_WIDTH: usize = 64;
/// bm25 column weights: title, headings, body. A word in the law's title or chapter heading
/// says more about the article than one word of its text.
const BM25_WEIGHTS: &str = "2.0, 2.0, 1.0";

#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub article_id: i64,
    /// Short name, e.g. 劳动合同法.
    pub law: String,
    pub law_title: String,
    pub law_en: Option<String>,
    pub number: u32,
    pub suffix: u32,
    pub label: String,
    pub divisions: Vec<String>,
    pub snippet: Vec<Span>,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleText {
    pub article_id: i64,
    pub law: String,
    pub law_title: String,
    pub law_en: Option<String>,
    pub version: Option<String>,
    pub number: u32,
    pub suffix: u32,
    pub label: String,
    pub divisions: Vec<String>,
    pub text: String,
}

/// An article with the articles just before and after it in the same instrument.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleView {
    pub before: Vec<ArticleText>,
    pub article: ArticleText,
    pub after: Vec<ArticleText>,
}

/// A scored candidate before its display fields are loaded.
struct Candidate {
    article_id: i64,
    score: f64,
}

const ARTICLE_COLUMNS: &str = "a.id, i.short_name, i.title, i.name_en, i.version, a.number, a.suffix, a.label, a.divisions, a.text";

fn article_from_row(row: &Row<'_>) -> rusqlite::Result<ArticleText> {
    let divisions: String = row.get(8)?;
    Ok(ArticleText {
        article_id: row.get(0)?,
        law: row.get(1)?,
        law_title: row.get(2)?,
        law_en: row.get(3)?,
        version: row.get(4)?,
        number: row.get(5)?,
        suffix: row.get(6)?,
        label: row.get(7)?,
        divisions: divisions
            .split('\n')
            .filter(|d| !d.is_empty())
            .map(String::from)
            .collect(),
        text: row.get(9)?,
    })
}

impl LawIndex {
    /// Searches the corpus. An article reference returns that article; otherwise articles
    /// are ranked by bm25 (weighted towards title and heading matches), the instrument's
    /// prominence, how many query words they contain and whether they contain the query
    /// verbatim.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, LawsError> {
        let query = query.trim();
        if query.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let (scope, text) = match parse_reference(query, &self.names) {
            Some(Reference::Article {
                instrument_id,
                number,
                suffix,
            }) => {
                return Ok(self
                    .article(instrument_id, number, suffix)?
                    .map(|a| vec![hit_from_article(a, &[], 1.0)])
                    .unwrap_or_default());
            }
            Some(Reference::Scoped {
                instrument_id,
                rest,
            }) if rest.is_empty() => {
                return self.first_articles(instrument_id, limit);
            }
            Some(Reference::Scoped {
                instrument_id,
                rest,
            }) => (Some(instrument_id), rest),
            None => (None, query.to_string()),
        };
        let words = query_words(&text);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let groups = word_groups(&words);
        let mut candidates = if groups.is_empty() || words.iter().all(|w| is_single_character(w)) {
            self.substring_candidates(&words, scope, limit)?
        } else {
            self.ranked_candidates(&groups, &text, scope)?
        };
        if candidates.is_empty() {
            // Words jieba cuts differently in the query and the text: look for the text itself.
            let whole = vec![text.split_whitespace().collect::<String>()];
            candidates = self.substring_candidates(&whole, scope, limit)?;
        }
        candidates.truncate(limit);
        // The words as typed first: they anchor the snippet.
        let mut terms: Vec<String> = groups
            .iter()
            .filter_map(|g| g.forms.first().cloned())
            .collect();
        terms.extend(groups.iter().flat_map(|g| g.forms.iter().skip(1).cloned()));
        candidates
            .into_iter()
            .map(|c| {
                let article = self.article_by_id(c.article_id)?;
                Ok(article.map(|a| hit_from_article(a, &terms, c.score)))
            })
            .filter_map(Result::transpose)
            .collect()
    }

    fn ranked_candidates(
        &self,
        groups: &[WordGroup],
        text: &str,
        scope: Option<i64>,
    ) -> Result<Vec<Candidate>, LawsError> {
        let Some(expression) = match_expression(groups) else {
            return Ok(Vec::new());
        };
        let sql = format!(
            "SELECT a.id, a.text, i.short_name || i.title, -bm25(articles_fts, {BM25_WEIGHTS}) * (0.5 + i.prominence)
             FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
             JOIN instruments i ON i.id = a.instrument_id
             WHERE articles_fts MATCH ?1 AND (?2 IS NULL OR a.instrument_id = ?2)
             ORDER BY 4 DESC LIMIT ?3"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.error(e))?;
        let rows = stmt
            .query_map(params![expression, scope, CANDIDATES as i64], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, f64>(3)?,
                ))
            })
            .map_err(|e| self.error(e))?;
        let verbatim: String = text.split_whitespace().collect();
        let mut candidates = Vec::new();
        for row in rows {
            let (article_id, body, title, bm25) = row.map_err(|e| self.error(e))?;
            let covered = groups
                .iter()
                .filter(|g| {
                    g.forms
                        .iter()
                        .any(|f| body.contains(f.as_str()) || title.contains(f.as_str()))
                })
                .count();
            let coverage = covered as f64 / groups.len() as f64;
            // The words as typed beat statute synonyms and partial matches.
            let exact = if verbatim.chars().count() > 1 && body.contains(&verbatim) {
                2.0
            } else {
                1.0
            };
            candidates.push(Candidate {
                article_id,
                score: bm25 * (1.0 + 2.0 * coverage * coverage) * exact,
            });
        }
        candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
        Ok(candidates)
    }

    /// Articles containing every one of `needles` verbatim, most prominent instruments first
    /// (row order). Used for single characters, which the word index cannot find inside words.
    fn substring_candidates(
        &self,
        needles: &[String],
        scope: Option<i64>,
        limit: usize,
    ) -> Result<Vec<Candidate>, LawsError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT a.id, a.text, i.prominence FROM articles a
                 JOIN instruments i ON i.id = a.instrument_id
                 WHERE instr(a.text, ?1) > 0 AND (?2 IS NULL OR a.instrument_id = ?2)
                 ORDER BY a.id",
            )
            .map_err(|e| self.error(e))?;
        let mut rows = stmt
            .query(params![needles[0], scope])
            .map_err(|e| self.error(e))?;
        let mut candidates = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.error(e))? {
            let text: String = row.get(1).map_err(|e| self.error(e))?;
            if needles[1..].iter().all(|n| text.contains(n.as_str())) {
                candidates.push(Candidate {
                    article_id: row.get(0).map_err(|e| self.error(e))?,
                    score: row.get(2).map_err(|e| self.error(e))?,
                });
                if candidates.len() >= limit {
                    break;
                }
            }
        }
        Ok(candidates)
    }

    fn first_articles(
        &self,
        instrument_id: i64,
        limit: usize,
    ) -> Result<Vec<SearchHit>, LawsError> {
        let sql = format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles a JOIN instruments i ON i.id = a.instrument_id
             WHERE a.instrument_id = ?1 ORDER BY a.seq LIMIT ?2"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.error(e))?;
        let rows = stmt
            .query_map(params![instrument_id, limit as i64], article_from_row)
            .map_err(|e| self.error(e))?;
        rows.map(|r| {
            r.map(|a| hit_from_article(a, &[], 1.0))
                .map_err(|e| self.error(e))
        })
        .collect()
    }

    fn article(
        &self,
        instrument_id: i64,
        number: u32,
        suffix: u32,
    ) -> Result<Option<ArticleText>, LawsError> {
        let sql = format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles a JOIN instruments i ON i.id = a.instrument_id
             WHERE a.instrument_id = ?1 AND a.number = ?2 AND a.suffix = ?3 ORDER BY a.seq LIMIT 1"
        );
        self.conn
            .query_row(
                &sql,
                params![instrument_id, number, suffix],
                article_from_row,
            )
            .optional()
            .map_err(|e| self.error(e))
    }

    pub fn article_by_id(&self, article_id: i64) -> Result<Option<ArticleText>, LawsError> {
        let sql = format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles a JOIN instruments i ON i.id = a.instrument_id
             WHERE a.id = ?1"
        );
        self.conn
            .query_row(&sql, [article_id], article_from_row)
            .optional()
            .map_err(|e| self.error(e))
    }

    /// An article by law name (short name, title or alias) and number, e.g. ("民法典", 1077, 0).
    pub fn find_article(
        &self,
        law: &str,
        number: u32,
        suffix: u32,
    ) -> Result<Option<ArticleText>, LawsError> {
        match self.names.iter().find(|(name, _)| name == law) {
            Some((_, instrument_id)) => self.article(*instrument_id, number, suffix),
            None => Ok(None),
        }
    }

    /// An article with up to `context` articles before and after it.
    pub fn open_article(
        &self,
        article_id: i64,
        context: usize,
    ) -> Result<Option<ArticleView>, LawsError> {
        let Some(article) = self.article_by_id(article_id)? else {
            return Ok(None);
        };
        let (instrument_id, seq): (i64, i64) = self
            .conn
            .query_row(
                "SELECT instrument_id, seq FROM articles WHERE id = ?1",
                [article_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.error(e))?;
        let sql = format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles a JOIN instruments i ON i.id = a.instrument_id
             WHERE a.instrument_id = ?1 AND a.seq BETWEEN ?2 AND ?3 AND a.seq != ?4 ORDER BY a.seq"
        );
        let context = context as i64;
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.error(e))?;
        let neighbours = stmt
            .query_map(
                params![instrument_id, seq - context, seq + context, seq],
                |r| Ok((r.get::<_, i64>(0)?, article_from_row(r)?)),
            )
            .map_err(|e| self.error(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.error(e))?;
        // Row ids follow seq within an instrument, so they split the neighbours.
        let (before, after): (Vec<_>, Vec<_>) =
            neighbours.into_iter().partition(|(id, _)| *id < article_id);
        Ok(Some(ArticleView {
            before: before.into_iter().map(|(_, a)| a).collect(),
            article,
            after: after.into_iter().map(|(_, a)| a).collect(),
        }))
    }

    /// Number of instruments and articles in the index.
    pub fn counts(&self) -> Result<(usize, usize), LawsError> {
        self.conn
            .query_row(
                "SELECT (SELECT count(*) FROM instruments), (SELECT count(*) FROM articles)",
                [],
                |r| Ok((r.get::<_, i64>(0)? as usize, r.get::<_, i64>(1)? as usize)),
            )
            .map_err(|e| self.error(e))
    }
}

fn hit_from_article(article: ArticleText, terms: &[String], score: f64) -> SearchHit {
    SearchHit {
        snippet: snippet(&article.text, terms, SNIPPET_WIDTH),
        article_id: article.article_id,
        law: article.law,
        law_title: article.law_title,
        law_en: article.law_en,
        number: article.number,
        suffix: article.suffix,
        label: article.label,
        divisions: article.divisions,
        score,
    }
}
