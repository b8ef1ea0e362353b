//! A statute corpus in memory: files parsed, the Civil Code's books joined into one
//! instrument, and only the newest version in force of each instrument kept.

use super::catalog::{default_prominence, default_short_name, Catalog};
use super::curated::CURATED_FILES;
use super::error::LawsError;
use super::markdown::{parse_file, ParsedFile};
use super::numeral::article_label;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq)]
pub struct Instrument {
    /// Full title, e.g. 中华人民共和国劳动合同法; the identity of the instrument.
    pub title: String,
    /// Name used in citations and references, e.g. 劳动合同法.
    pub short_name: String,
    pub name_en: Option<String>,
    /// Corpus folder, e.g. 社会法, 司法解释.
    pub level: String,
    /// Date of this version (from the file name), `YYYY-MM-DD`.
    pub version: Option<String>,
    pub prominence: f64,
    /// Other names accepted in article references.
    pub aliases: Vec<String>,
    /// Source files relative to the corpus root.
    pub files: Vec<String>,
    pub articles: Vec<Article>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub number: u32,
    pub suffix: u32,
    /// 第四十七条.
    pub label: String,
    /// Part (for the Civil Code's books), 编, 章, 节 above the article.
    pub divisions: Vec<String>,
    pub text: String,
}

/// What loading skipped, so an import can say what it did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadReport {
    pub files_read: usize,
    /// Older versions not indexed: (title, version date).
    pub superseded: Vec<(String, String)>,
    /// Files flagged repealed in the metadata database.
    pub expired: Vec<String>,
    /// Files without any numbered article (cases, amendment decisions, templates).
    pub without_articles: Vec<String>,
    /// Files that are not statute files: (path, reason).
    pub unreadable: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct Corpus {
    pub instruments: Vec<Instrument>,
    pub report: LoadReport,
}

/// A parsed file and where it came from.
struct Source {
    path: String,
    level: String,
    date: Option<String>,
    parsed: ParsedFile,
}

impl Corpus {
    /// The curated corpus compiled into the program.
    pub fn curated() -> Corpus {
        let files = CURATED_FILES
            .iter()
            .map(|(path, text)| ((*path).to_string(), (*text).to_string()));
        Corpus::from_files(files, &Catalog::builtin(), &HashSet::new())
    }

    /// Reads every `*.md` under `dir`. A `db.sqlite3` metadata database in `dir` (as shipped
    /// with the LawRefBook corpus) marks repealed files, which are left out.
    pub fn load_dir(dir: &Path) -> Result<Corpus, LawsError> {
        let mut paths = Vec::new();
        collect_markdown(dir, &mut paths)?;
        paths.sort();
        let mut files = Vec::with_capacity(paths.len());
        for path in paths {
            let text = std::fs::read_to_string(&path).map_err(|source| LawsError::Read {
                path: path.clone(),
                source,
            })?;
            let relative = path.strip_prefix(dir).unwrap_or(&path);
            files.push((relative.to_string_lossy().into_owned(), text));
        }
        let metadata = dir.join("db.sqlite3");
        let expired = if metadata.is_file() {
            expired_versions(&metadata)?
        } else {
            HashSet::new()
        };
        let corpus = Corpus::from_files(files.into_iter(), &Catalog::builtin(), &expired);
        if corpus.instruments.is_empty() {
            return Err(LawsError::EmptyCorpus {
                path: dir.to_path_buf(),
            });
        }
        Ok(corpus)
    }

    /// Builds a corpus from (relative path, text) pairs. `expired` holds (short name, date)
    /// pairs of repealed versions.
    pub fn from_files(
        files: impl Iterator<Item = (String, String)>,
        catalog: &Catalog,
        expired: &HashSet<(String, String)>,
    ) -> Corpus {
        let mut report = LoadReport::default();
        let mut sources = Vec::new();
        for (path, text) in files {
            report.files_read += 1;
            let parsed = match parse_file(&path, &text) {
                Ok(parsed) => parsed,
                Err(error) => {
                    report.unreadable.push((path, error.to_string()));
                    continue;
                }
            };
            if parsed.articles.is_empty() {
                report.without_articles.push(path);
                continue;
            }
            let date = date_in_file_name(&path);
            let title = parsed.titles[0].clone();
            if let Some(date) = &date {
                if expired.contains(&(default_short_name(&title), date.clone())) {
                    report.expired.push(path);
                    continue;
                }
            }
            let level = path.split('/').next().unwrap_or_default().to_string();
            sources.push(Source {
                path,
                level,
                date,
                parsed,
            });
        }
        let instruments = newest_versions(sources, &mut report)
            .into_iter()
            .map(|parts| join_parts(parts, catalog))
            .collect();
        Corpus {
            instruments,
            report,
        }
    }

    /// An instrument by short name, full title or alias.
    pub fn instrument(&self, name: &str) -> Option<&Instrument> {
        self.instruments.iter().find(|i| {
            i.short_name == name || i.title == name || i.aliases.iter().any(|a| a == name)
        })
    }

    pub fn article_count(&self) -> usize {
        self.instruments.iter().map(|i| i.articles.len()).sum()
    }
}

impl Instrument {
    pub fn article(&self, number: u32, suffix: u32) -> Option<&Article> {
        self.articles
            .iter()
            .find(|a| a.number == number && a.suffix == suffix)
    }
}

/// Groups sources by title; keeps the newest version of each (undated files count as
/// oldest), and for that version all its parts (files with the same title and date).
fn newest_versions(sources: Vec<Source>, report: &mut LoadReport) -> Vec<Vec<Source>> {
    let mut by_title: BTreeMap<String, Vec<Source>> = BTreeMap::new();
    for source in sources {
        by_title
            .entry(source.parsed.titles[0].clone())
            .or_default()
            .push(source);
    }
    let mut kept = Vec::new();
    for (title, versions) in by_title {
        let newest = versions.iter().map(|s| s.date.clone()).max().flatten();
        let (current, older): (Vec<Source>, Vec<Source>) =
            versions.into_iter().partition(|s| s.date == newest);
        for old in older {
            report
                .superseded
                .push((title.clone(), old.date.unwrap_or_default()));
        }
        kept.push(current);
    }
    kept
}

/// Joins the parts of one version into an instrument, in article order.
fn join_parts(mut parts: Vec<Source>, catalog: &Catalog) -> Instrument {
    parts.sort_by_key(|p| p.parsed.articles.first().map(|a| (a.number, a.suffix)));
    let title = parts[0].parsed.titles[0].clone();
    let level = parts[0].level.clone();
    let version = parts[0].date.clone();
    let multi_part = parts.len() > 1;
    let mut articles = Vec::new();
    let mut files = Vec::new();
    for part in parts {
        // A book of the Civil Code names itself in its second title line.
        let part_name = part.parsed.titles.get(1).filter(|_| multi_part).cloned();
        for a in part.parsed.articles {
            let mut divisions = Vec::with_capacity(a.divisions.len() + 1);
            divisions.extend(part_name.clone());
            divisions.extend(a.divisions);
            articles.push(Article {
                label: article_label(a.number, a.suffix),
                number: a.number,
                suffix: a.suffix,
                divisions,
                text: a.text,
            });
        }
        files.push(part.path);
    }
    let entry = catalog.get(&title);
    Instrument {
        short_name: entry.map_or_else(|| default_short_name(&title), |e| e.short.clone()),
        name_en: entry.map(|e| e.en.clone()),
        prominence: entry.map_or_else(|| default_prominence(&level), |e| e.prominence),
        aliases: entry.map(|e| e.aliases.clone()).unwrap_or_default(),
        title,
        level,
        version,
        files,
        articles,
    }
}

/// `社会法/劳动合同法(2012-12-28).md` → `2012-12-28`.
fn date_in_file_name(path: &str) -> Option<String> {
    let stem = path.strip_suffix(".md")?;
    let open = stem.rfind('(')?;
    let date = stem[open + 1..].strip_suffix(')')?;
    let bytes = date.as_bytes();
    let well_formed = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    well_formed.then(|| date.to_string())
}

fn collect_markdown(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), LawsError> {
    let entries = std::fs::read_dir(dir).map_err(|source| LawsError::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries {
        let path = entry
            .map_err(|source| LawsError::Read {
                path: dir.to_path_buf(),
                source,
            })?
            .path();
        if path.is_dir() {
            collect_markdown(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "md")
            && path.file_name().is_some_and(|n| n != "_index.md")
        {
            out.push(path);
        }
    }
    Ok(())
}

/// (name, publish date) of versions the LawRefBook metadata marks as repealed.
fn expired_versions(db: &Path) -> Result<HashSet<(String, String)>, LawsError> {
    let error = |source| LawsError::Metadata {
        path: db.to_path_buf(),
        source,
    };
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(error)?;
    let mut stmt = conn
        .prepare("SELECT name, publish FROM law WHERE expired != 0 AND publish IS NOT NULL")
        .map_err(error)?;
    let rows = stmt
        .query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })
        .map_err(error)?;
    rows.collect::<Result<HashSet<_>, _>>().map_err(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(title: &str, extra_title: Option<&str>, articles: &[(u32, &str)]) -> String {
        let mut text = format!("# {title}\n");
        if let Some(t) = extra_title {
            text.push_str(&format!("# {t}\n"));
        }
        text.push_str("<!-- INFO END -->\n");
        for (n, body) in articles {
            text.push_str(&format!("{} {body}\n", article_label(*n, 0)));
        }
        text
    }

    #[test]
    fn curated_corpus_has_the_civil_code_whole() {
        let corpus = Corpus::curated();
        assert!(corpus.report.unreadable.is_empty(), "{:?}", corpus.report);
        let civil = corpus.instrument("民法典").unwrap();
        assert_eq!(civil.articles.len(), 1260);
        assert_eq!(civil.files.len(), 8);
        let cooling_off = civil.article(1077, 0).unwrap();
        assert_eq!(cooling_off.label, "第一千零七十七条");
        assert_eq!(cooling_off.divisions[0], "婚姻家庭编");
        assert!(cooling_off.text.contains("三十日"));
        assert_eq!(corpus.instrument("劳动合同法").unwrap().articles.len(), 98);
        assert_eq!(corpus.instrument("法律援助法").unwrap().articles.len(), 71);
        assert_eq!(corpus.instruments.len(), 23);
    }

    #[test]
    fn keeps_newest_version_and_skips_expired() {
        let files = vec![
            (
                "社会法/甲法(2018-01-01).md".to_string(),
                file("中华人民共和国甲法", None, &[(1, "旧")]),
            ),
            (
                "社会法/甲法(2022-01-01).md".to_string(),
                file("中华人民共和国甲法", None, &[(1, "新")]),
            ),
            (
                "社会法/乙法(2020-01-01).md".to_string(),
                file("中华人民共和国乙法", None, &[(1, "乙")]),
            ),
            (
                "社会法/乙法(2023-01-01).md".to_string(),
                file("中华人民共和国乙法", None, &[(1, "乙新但已废止")]),
            ),
            (
                "案例/某案.md".to_string(),
                "# 某案\n<!-- INFO END -->\n案情".to_string(),
            ),
            ("其他/坏.md".to_string(), "没有头".to_string()),
        ];
        let expired = HashSet::from([("乙法".to_string(), "2023-01-01".to_string())]);
        let corpus = Corpus::from_files(files.into_iter(), &Catalog::default(), &expired);
        assert_eq!(corpus.instruments.len(), 2);
        assert_eq!(corpus.instrument("甲法").unwrap().articles[0].text, "新");
        assert_eq!(corpus.instrument("乙法").unwrap().articles[0].text, "乙");
        assert_eq!(corpus.report.superseded.len(), 1);
        assert_eq!(corpus.report.expired, ["社会法/乙法(2023-01-01).md"]);
        assert_eq!(corpus.report.without_articles, ["案例/某案.md"]);
        assert_eq!(corpus.report.unreadable.len(), 1);
    }

    #[test]
    fn joins_undated_parts_in_article_order() {
        let files = vec![
            (
                "民法典/二.md".to_string(),
                file("某法典", Some("第二编"), &[(3, "c"), (4, "d")]),
            ),
            (
                "民法典/一.md".to_string(),
                file("某法典", Some("第一编"), &[(1, "a"), (2, "b")]),
            ),
        ];
        let corpus = Corpus::from_files(files.into_iter(), &Catalog::default(), &HashSet::new());
        let code = corpus.instrument("某法典").unwrap();
        let numbers: Vec<u32> = code.articles.iter().map(|a| a.number).collect();
        assert_eq!(numbers, [1, 2, 3, 4]);
        assert_eq!(code.articles[2].divisions, ["第二编"]);
        assert_eq!(code.version, None);
    }

    #[test]
    fn reads_dates_from_file_names() {
        assert_eq!(
            date_in_file_name("a/劳动法(2018-12-29).md").as_deref(),
            Some("2018-12-29")
        );
        assert_eq!(date_in_file_name("民法典/总则.md"), None);
        assert_eq!(date_in_file_name("a/x(2018-1-29).md"), None);
    }
}
