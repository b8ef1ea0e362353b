//! Matching typed pinyin against the dictionary trie.
//!
//! The input is lowercase ASCII letters (`v` for ü) with optional apostrophes the user typed
//! as syllable separators. Each dictionary syllable may be typed as:
//! - the full syllable (`zhang`);
//! - its initial, an abbreviation (`z` or `zh` for `zhang`, `a` for `an`);
//! - at the very end of the input, any prefix of it, since the user is still typing (`zhan`).
//!
//! A single `z`, `c` or `s` followed by `h` is always read as the initial `zh`/`ch`/`sh`, as
//! every pinyin IME does; otherwise "zh" would also mean two abbreviated syllables.

use super::dictionary::{Dictionary, NodeId};

/// Separator the user may type between syllables.
pub const SEPARATOR: u8 = b'\'';

/// One way the syllables of a trie node spell `input[start..end]` (`end` past any separator).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    pub node: NodeId,
    pub end: usize,
    /// How many syllables were typed abbreviated (initial or unfinished).
    pub abbreviations: u8,
    pub syllables: u8,
}

/// How a typed token stands for a syllable: the letters it takes and whether it is abbreviated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub len: usize,
    pub abbreviated: bool,
}

/// The ways `syllable` can be typed at `input[pos..]`, at most three, shortest abbreviation last.
pub fn tokens_for(input: &[u8], pos: usize, syllable: &str) -> Vec<Token> {
    let syllable = syllable.as_bytes();
    let run_end = input[pos..]
        .iter()
        .position(|&b| b == SEPARATOR)
        .map_or(input.len(), |offset| pos + offset);
    let run = &input[pos..run_end];
    let mut tokens = Vec::with_capacity(3);
    if run.starts_with(syllable) {
        tokens.push(Token {
            len: syllable.len(),
            abbreviated: false,
        });
    }
    let unfinished =
        run_end == input.len() && run.len() < syllable.len() && syllable.starts_with(run);
    if unfinished && run.len() > initial_len(syllable) {
        tokens.push(Token {
            len: run.len(),
            abbreviated: true,
        });
    }
    let initial = initial_len(syllable);
    if initial == 2 && initial < syllable.len() && run.starts_with(&syllable[..2]) {
        tokens.push(Token {
            len: 2,
            abbreviated: true,
        });
    }
    let splits_initial =
        matches!(run.first(), Some(b'z' | b'c' | b's')) && run.get(1) == Some(&b'h');
    if syllable.len() > 1 && run.first() == syllable.first() && !splits_initial {
        tokens.push(Token {
            len: 1,
            abbreviated: true,
        });
    }
    tokens
}

/// Length of a syllable's initial: 2 for zh/ch/sh, else 1 (a vowel-initial syllable's first
/// letter stands for it).
fn initial_len(syllable: &[u8]) -> usize {
    match syllable {
        [b'z' | b'c' | b's', b'h', ..] => 2,
        _ => 1,
    }
}

/// Which abbreviations a lookup accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Abbreviations {
    /// Initials anywhere and the unfinished last syllable.
    Anywhere,
    /// Only for the last syllable of the input, still being typed. Much cheaper: composing
    /// phrases looks up every position of the input on every keystroke.
    AtEnd,
}

/// Every dictionary node whose syllables spell a stretch of `input` starting at `start`.
pub fn matches_from(
    dictionary: &Dictionary,
    input: &[u8],
    start: usize,
    abbreviations: Abbreviations,
) -> Vec<Match> {
    let mut found = Vec::new();
    let mut walk = Walk {
        dictionary,
        input,
        abbreviations,
        found: &mut found,
    };
    walk.from(dictionary.root(), start, 0, 0);
    found
}

struct Walk<'a> {
    dictionary: &'a Dictionary,
    input: &'a [u8],
    abbreviations: Abbreviations,
    found: &'a mut Vec<Match>,
}

impl Walk<'_> {
    fn from(&mut self, node: NodeId, pos: usize, abbreviations: u8, depth: u8) {
        let (dictionary, input) = (self.dictionary, self.input);
        let Some(&letter) = input.get(pos) else {
            return;
        };
        if usize::from(depth) >= super::dictionary::MAX_WORD_SYLLABLES {
            return;
        }
        for &(syllable, child) in dictionary.children_starting_with(node, letter) {
            for token in tokens_for(input, pos, dictionary.syllable(syllable)) {
                let mut end = pos + token.len;
                if token.abbreviated
                    && self.abbreviations == Abbreviations::AtEnd
                    && end < input.len()
                {
                    continue;
                }
                if input.get(end) == Some(&SEPARATOR) {
                    end += 1;
                }
                let abbreviations = abbreviations + u8::from(token.abbreviated);
                if !dictionary.entries_at(child).is_empty() {
                    self.found.push(Match {
                        node: child,
                        end,
                        abbreviations,
                        syllables: depth + 1,
                    });
                }
                self.from(child, end, abbreviations, depth + 1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lens(input: &str, syllable: &str) -> Vec<(usize, bool)> {
        tokens_for(input.as_bytes(), 0, syllable)
            .iter()
            .map(|t| (t.len, t.abbreviated))
            .collect()
    }

    #[test]
    fn a_syllable_can_be_typed_full_by_initial_or_unfinished_at_the_end() {
        assert_eq!(lens("zhangsan", "zhang"), [(5, false), (2, true)]);
        assert_eq!(lens("zs", "zhang"), [(1, true)]);
        // "zh" is the initial zh, never z + h.
        assert_eq!(lens("zh", "zai"), []);
        assert_eq!(lens("zhan", "zhang"), [(4, true), (2, true)]);
        // Unfinished only at the end of the input.
        assert_eq!(lens("zhanx", "zhang"), [(2, true)]);
        assert_eq!(lens("xian", "xi"), [(2, false), (1, true)]);
        assert_eq!(lens("an", "an"), [(2, false), (1, true)]);
        assert_eq!(lens("a", "an"), [(1, true)]);
        assert_eq!(lens("a", "a"), [(1, false)]);
    }

    #[test]
    fn a_separator_ends_a_syllable() {
        assert_eq!(lens("xi'an", "xian"), [(1, true)]);
        assert_eq!(lens("xi'an", "xi"), [(2, false), (1, true)]);
        assert_eq!(lens("zhan'", "zhang"), [(2, true)]);
    }
}
