//! Ranking the candidates for typed pinyin.
//!
//! Order, as in common pinyin IMEs:
//! 1. entries spelling the whole input: fewer abbreviated syllables first ("ldht" → 劳动合同
//!    has four), then words and phrases before single characters, then by weight;
//! 2. among them, after the entries guessing no more syllables than it does, the most
//!    probable chain of two or more dictionary words spelling the whole input, when it guesses
//!    at most one abbreviated syllable ("woyaobanligongzheng" → 我要办理公证);
//! 3. entries spelling a leading part of the input: fewer abbreviations, then longer, then by
//!    weight. Selecting one commits it and leaves the rest of the input to type on.

use super::dictionary::{Dictionary, EntryId};
use super::matcher::{matches_from, Abbreviations, Match, SEPARATOR};
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::HashSet;

/// Log-probability cost of typing one syllable abbreviated, when composing phrases: an
/// abbreviation is a guess, so a reading with full syllables wins unless it is far rarer.
const ABBREVIATION_COST: f64 = 4.0;

/// One choice offered to the user.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// Position in the full candidate list; pass it to `Composer::select`.
    pub index: usize,
    /// The hanzi that selecting this candidate commits.
    pub text: String,
    /// The syllables it stands for, joined with apostrophes (`gong'zheng`).
    pub pinyin: String,
    /// How many bytes of the typed input it consumes (separators included).
    pub consumed: usize,
    /// True when it consumes the whole input.
    pub whole: bool,
}

/// Sort key: whole input first, fewer abbreviations, longer partial matches, words before
/// single characters, heavier first.
type RankKey = (Reverse<bool>, u8, Reverse<usize>, bool, Reverse<u32>);

struct Ranked {
    key: RankKey,
    entry: EntryId,
    found: Match,
}

/// The best `limit` candidates for `input` (lowercase letters, `v`, separators).
pub fn rank(dictionary: &Dictionary, input: &[u8], limit: usize) -> Vec<Candidate> {
    if input.is_empty() || limit == 0 {
        return Vec::new();
    }
    let from_start = matches_from(dictionary, input, 0, Abbreviations::Anywhere);
    let whole = |found: &Match| found.end == input.len();
    let mut ranked: Vec<Ranked> = from_start
        .iter()
        .flat_map(|&found| {
            dictionary.entries_at(found.node)[..]
                .iter()
                .take(limit)
                .map(move |&entry| Ranked {
                    key: (
                        Reverse(whole(&found)),
                        found.abbreviations,
                        Reverse(if whole(&found) { 0 } else { found.end }),
                        whole(&found) && found.syllables == 1,
                        Reverse(dictionary.weight(entry)),
                    ),
                    entry,
                    found,
                })
        })
        .collect();
    // Short abbreviations ("ld") match tens of thousands of entries: keep the best few before
    // sorting (twice the limit, as duplicates of one text are dropped below).
    let keep = limit.saturating_mul(2);
    if ranked.len() > keep {
        ranked.select_nth_unstable_by_key(keep, |r| r.key);
        ranked.truncate(keep);
    }
    ranked.sort_unstable_by_key(|r| r.key);
    let mut candidates = Vec::with_capacity(limit);
    let mut seen = HashSet::new();
    let mut push = |text: String, pinyin: String, consumed: usize| {
        if candidates.len() < limit && seen.insert(text.clone()) {
            candidates.push(Candidate {
                index: candidates.len(),
                text,
                pinyin,
                consumed,
                whole: consumed == input.len(),
            });
        }
    };
    let whole_count = ranked.iter().take_while(|r| whole(&r.found)).count();
    let chain = compose(dictionary, input, &from_start);
    // The chain goes after the whole-input entries that guess no more syllables than it does.
    let chain_at = chain.as_ref().map_or(whole_count, |chain| {
        ranked[..whole_count]
            .iter()
            .take_while(|r| r.found.abbreviations <= chain.abbreviations)
            .count()
    });
    for r in &ranked[..chain_at] {
        push(
            dictionary.text(r.entry).to_owned(),
            spelling(dictionary, r.found),
            r.found.end,
        );
    }
    if let Some(chain) = chain {
        push(chain.text, chain.pinyin, input.len());
    }
    for r in &ranked[chain_at..] {
        push(
            dictionary.text(r.entry).to_owned(),
            spelling(dictionary, r.found),
            r.found.end,
        );
    }
    candidates
}

fn spelling(dictionary: &Dictionary, found: Match) -> String {
    dictionary.spelling(found.node).join("'")
}

/// A phrase composed of several dictionary words.
struct Chain {
    text: String,
    pinyin: String,
    abbreviations: u8,
}

/// Most abbreviated syllables a composed chain may guess: the one still being typed.
const MAX_CHAIN_ABBREVIATIONS: u8 = 1;

/// The most probable chain of two or more dictionary words spelling the whole input.
fn compose(dictionary: &Dictionary, input: &[u8], from_start: &[Match]) -> Option<Chain> {
    let score = |found: &Match| {
        let best = dictionary.entries_at(found.node)[0];
        dictionary.log_probability(best) - ABBREVIATION_COST * f64::from(found.abbreviations)
    };
    // best[p]: the best score of a chain spelling input[..p], and the match ending it.
    let mut best: Vec<Option<(f64, usize, Match)>> = vec![None; input.len() + 1];
    let relax =
        |best: &mut Vec<Option<(f64, usize, Match)>>, start: usize, base: f64, found: Match| {
            let total = base + score(&found);
            if best[found.end].is_none_or(|(old, _, _)| total > old) {
                best[found.end] = Some((total, start, found));
            }
        };
    // Single words spelling the whole input are candidates already; a chain's first word
    // ends before the input does, so it may abbreviate nothing (see `Abbreviations::AtEnd`).
    for &found in from_start
        .iter()
        .filter(|found| found.end < input.len() && found.abbreviations == 0)
    {
        relax(&mut best, 0, 0.0, found);
    }
    for start in 1..input.len() {
        let Some((base, _, _)) = best[start] else {
            continue;
        };
        if input[start] == SEPARATOR {
            continue;
        }
        for found in matches_from(dictionary, input, start, Abbreviations::AtEnd) {
            relax(&mut best, start, base, found);
        }
    }
    let mut pieces = Vec::new();
    let mut end = input.len();
    while end > 0 {
        let (_, start, found) = best[end]?;
        pieces.push(found);
        end = start;
    }
    let abbreviations: u8 = pieces.iter().map(|found| found.abbreviations).sum();
    if pieces.len() < 2 || abbreviations > MAX_CHAIN_ABBREVIATIONS {
        return None;
    }
    pieces.reverse();
    let text = pieces
        .iter()
        .map(|found| dictionary.text(dictionary.entries_at(found.node)[0]))
        .collect();
    let pinyin = pieces
        .iter()
        .map(|&found| spelling(dictionary, found))
        .collect::<Vec<_>>()
        .join("'");
    Some(Chain {
        text,
        pinyin,
        abbreviations,
    })
}
