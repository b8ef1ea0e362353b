//! `legal-kiosk laws …`: search the statute corpus, show an article, import a full corpus.

use super::ConfigArgs;
use crate::laws::index::marked;
use crate::laws::numeral::parse_number;
use crate::laws::{Corpus, IndexSource, LawIndex};
use anyhow::Context;
use clap::{Args, Subcommand};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, Args)]
pub struct LawsArgs {
    #[command(subcommand)]
    command: LawsCommand,
}

#[derive(Debug, Subcommand)]
enum LawsCommand {
    /// Search statutes: words, questions or article references ("民法典 1077").
    Search {
        query: String,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        location: IndexLocation,
    },
    /// Show one article with its neighbours, e.g. `laws show 劳动合同法 47`.
    Show {
        law: String,
        /// Article number: 47, 四十七 or 第四十七条.
        article: String,
        /// Articles shown before and after it.
        #[arg(long, default_value_t = 1)]
        context: usize,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        location: IndexLocation,
    },
    /// Index a statute corpus in the LawRefBook Markdown format (e.g. the full 1,587-file
    /// corpus), replacing the curated one. A db.sqlite3 in DIR marks repealed versions.
    Import {
        dir: PathBuf,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        location: IndexLocation,
    },
}

/// The index file: `--index PATH`, or `laws/index.sqlite3` in the configured data directory.
#[derive(Debug, Args)]
struct IndexLocation {
    #[command(flatten)]
    config: ConfigArgs,
    /// Index file to use instead of the one in the data directory.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["config", "demo"])]
    index: Option<PathBuf>,
}

impl IndexLocation {
    fn path(&self) -> anyhow::Result<PathBuf> {
        match &self.index {
            Some(path) => Ok(path.clone()),
            None => Ok(LawIndex::path_in(&self.config.load()?.kiosk.data_dir)),
        }
    }
}

pub fn run(args: LawsArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        LawsCommand::Search {
            query,
            limit,
            json,
            location,
        } => search(&query, limit, json, &location.path()?),
        LawsCommand::Show {
            law,
            article,
            context,
            json,
            location,
        } => show(&law, &article, context, json, &location.path()?),
        LawsCommand::Import {
            dir,
            json,
            location,
        } => import(&dir, json, &location.path()?),
    }
}

fn search(query: &str, limit: usize, json: bool, path: &Path) -> anyhow::Result<ExitCode> {
    let index = LawIndex::ensure_at(path)?;
    let hits = index.search(query, limit)?;
    if json {
        println!("{}", json!({ "query": query, "hits": hits }));
    } else if hits.is_empty() {
        println!("no articles found for {query:?}");
    } else {
        for (rank, hit) in hits.iter().enumerate() {
            println!("{}. {} {}", rank + 1, hit.law, hit.label);
            println!("   {}", marked(&hit.snippet));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn show(
    law: &str,
    article: &str,
    context: usize,
    json: bool,
    path: &Path,
) -> anyhow::Result<ExitCode> {
    let number_text = article.trim_start_matches('第').trim_end_matches('条');
    let number = parse_number(number_text).with_context(|| {
        format!("{article:?} is not an article number (47, 四十七, 第四十七条)")
    })?;
    let index = LawIndex::ensure_at(path)?;
    let found = index
        .find_article(law, number, 0)?
        .with_context(|| format!("no article {number} in {law:?}"))?;
    let view = index
        .open_article(found.article_id, context)?
        .with_context(|| format!("article {number} of {law:?} vanished from the index"))?;
    if json {
        println!("{}", serde_json::to_string(&view)?);
    } else {
        for a in view.before.iter().chain([&view.article]).chain(&view.after) {
            println!("{} {}  ({})", a.law, a.label, a.divisions.join(" / "));
            println!("{}\n", a.text);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn import(dir: &Path, json: bool, path: &Path) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let corpus = Corpus::load_dir(dir)?;
    let source = IndexSource::Imported {
        dir: dir.display().to_string(),
    };
    let stats = LawIndex::build(path, &corpus, &source)?;
    let seconds = started.elapsed().as_secs_f64();
    let report = &corpus.report;
    if json {
        println!(
            "{}",
            json!({
                "index": path.display().to_string(),
                "files_read": report.files_read,
                "instruments": stats.instruments,
                "articles": stats.articles,
                "bytes": stats.bytes,
                "seconds": seconds,
                "superseded": report.superseded.len(),
                "expired": report.expired.len(),
                "without_articles": report.without_articles.len(),
                "unreadable": report.unreadable.iter().map(|(p, e)| json!({"file": p, "error": e})).collect::<Vec<_>>(),
            })
        );
    } else {
        println!(
            "indexed {} instruments, {} articles from {} files into {} ({} bytes) in {seconds:.1} s",
            stats.instruments,
            stats.articles,
            report.files_read,
            path.display(),
            stats.bytes
        );
        println!(
            "left out: {} older versions, {} repealed, {} without numbered articles, {} unreadable",
            report.superseded.len(),
            report.expired.len(),
            report.without_articles.len(),
            report.unreadable.len()
        );
        for (file, error) in &report.unreadable {
            println!("  unreadable: {file}: {error}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
