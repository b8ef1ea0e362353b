//! `legal-kiosk ime candidates PINYIN`: what the on-screen keyboard would offer for typed
//! pinyin, for checking the dictionary and ranking without the UI.

use crate::ime::{Candidate, Composer, Dictionary};
use anyhow::bail;
use clap::{Args, Subcommand};
use serde::Serialize;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ImeArgs {
    #[command(subcommand)]
    pub command: ImeCommand,
}

#[derive(Debug, Subcommand)]
pub enum ImeCommand {
    /// Rank the candidates for typed pinyin (letters, `v` or `ü`, `'` between syllables).
    Candidates(CandidatesArgs),
}

#[derive(Debug, Args)]
pub struct CandidatesArgs {
    /// The pinyin as typed, e.g. `gongzheng`, `zs`, `xi'an`, `lüshi`.
    pub pinyin: String,
    /// How many candidates to show (at most 120).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=120))]
    pub limit: u16,
    /// Print JSON (see docs/cli-json.md).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Serialize)]
struct CandidatesReport {
    input: String,
    preedit: String,
    candidates: Vec<Candidate>,
}

pub fn run(args: ImeArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        ImeCommand::Candidates(args) => candidates(args),
    }
}

fn candidates(args: CandidatesArgs) -> anyhow::Result<ExitCode> {
    let mut composer = Composer::with_dictionary(Dictionary::embedded(), usize::from(args.limit));
    for key in args.pinyin.chars() {
        if !composer.push(key) {
            bail!(
                "cannot type {key:?}: pinyin is letters, v or ü, and ' between syllables, at most {} keys",
                crate::ime::MAX_INPUT
            );
        }
    }
    let report = CandidatesReport {
        input: composer.input().to_owned(),
        preedit: composer.preedit(),
        candidates: composer.candidates(0),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!("preedit: {}", report.preedit);
        for candidate in &report.candidates {
            let rest = if candidate.whole { "" } else { " (partial)" };
            println!(
                "{:>3}. {}\t{}{rest}",
                candidate.index + 1,
                candidate.text,
                candidate.pinyin
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
