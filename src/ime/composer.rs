//! The stateful input session the on-screen keyboard drives: letters in, hanzi out.

use super::candidates::{rank, Candidate};
use super::dictionary::Dictionary;
use super::matcher::SEPARATOR;
use super::segment::segment;

/// Candidates shown at once in the keyboard's candidate bar.
pub const DEFAULT_PAGE_SIZE: usize = 6;

/// Candidates kept per input: more than anyone pages through on a kiosk.
const MAX_CANDIDATES: usize = 120;

/// Typed input beyond this many bytes is refused: nobody types a longer phrase at once, and it
/// bounds the lookup time per keystroke.
pub const MAX_INPUT: usize = 48;

/// A candidate already chosen for the leading syllables while the rest is still being typed.
#[derive(Clone)]
struct Selection {
    text: String,
    /// The typed input it consumed, restored if the user deletes back into it.
    typed: String,
}

/// A pinyin composition: typed letters, partial selections and the current candidates.
/// What is typed may be a name or an address, so `Debug` shows only sizes.
pub struct Composer<'d> {
    dictionary: &'d Dictionary,
    page_size: usize,
    input: String,
    selections: Vec<Selection>,
    candidates: Vec<Candidate>,
}

impl std::fmt::Debug for Composer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Composer")
            .field("typed_keys", &self.input.len())
            .field("selections", &self.selections.len())
            .field("candidates", &self.candidates.len())
            .finish()
    }
}

impl Composer<'static> {
    /// A composer over the embedded dictionary with the default page size.
    pub fn new() -> Composer<'static> {
        Composer::with_dictionary(Dictionary::embedded(), DEFAULT_PAGE_SIZE)
    }
}

impl Default for Composer<'static> {
    fn default() -> Self {
        Composer::new()
    }
}

impl<'d> Composer<'d> {
    pub fn with_dictionary(dictionary: &'d Dictionary, page_size: usize) -> Composer<'d> {
        Composer {
            dictionary,
            page_size: page_size.max(1),
            input: String::new(),
            selections: Vec::new(),
            candidates: Vec::new(),
        }
    }

    /// Types one key: a letter (`ü` or `v` for ü) or `'` to separate syllables. Returns false
    /// when the key is not pinyin or the input is full; the keyboard then handles it itself.
    pub fn push(&mut self, key: char) -> bool {
        let Some(byte) = normalise(key) else {
            return false;
        };
        if self.input.len() >= MAX_INPUT {
            return false;
        }
        if byte == SEPARATOR && (self.input.is_empty() || self.input.ends_with('\'')) {
            // A separator at the start or doubled separates nothing; swallow it.
            return !self.input.is_empty();
        }
        self.input.push(char::from(byte));
        self.refresh();
        true
    }

    /// Deletes the last typed letter, or undoes the last partial selection when no letters
    /// are left after it. Returns false when there was nothing to delete, so the keyboard
    /// sends the backspace to the text field instead.
    pub fn backspace(&mut self) -> bool {
        if self.input.pop().is_none() {
            let Some(selection) = self.selections.pop() else {
                return false;
            };
            self.input = selection.typed;
        }
        self.refresh();
        true
    }

    /// True while there is anything being composed (the keyboard shows the candidate bar).
    pub fn is_composing(&self) -> bool {
        !self.input.is_empty() || !self.selections.is_empty()
    }

    /// One page of candidates (`page` from 0); empty past the last page.
    pub fn candidates(&self, page: usize) -> Vec<Candidate> {
        self.candidates
            .iter()
            .skip(page.saturating_mul(self.page_size))
            .take(self.page_size)
            .cloned()
            .collect()
    }

    /// Number of candidate pages.
    pub fn page_count(&self) -> usize {
        self.candidates.len().div_ceil(self.page_size)
    }

    /// Chooses the candidate with this `index` (see [`Candidate::index`]). When it covers all
    /// the typed input, returns the whole composed text to insert and starts over; otherwise
    /// it keeps the choice, drops the syllables it stands for and offers candidates for the
    /// rest (returns `None`). An unknown index changes nothing.
    pub fn select(&mut self, index: usize) -> Option<String> {
        let candidate = self.candidates.get(index)?.clone();
        let consumed = candidate.consumed.min(self.input.len());
        let rest = self.input.split_off(consumed);
        self.selections.push(Selection {
            text: candidate.text,
            typed: std::mem::replace(&mut self.input, rest),
        });
        if self.input.starts_with('\'') {
            self.input.remove(0);
        }
        if self.input.is_empty() {
            return self.commit();
        }
        self.refresh();
        None
    }

    /// Commits what is composed as it stands: the selections and the typed letters without
    /// separators (the Enter key of an IME). `None` when nothing is being composed.
    pub fn commit_raw(&mut self) -> Option<String> {
        self.input.retain(|c| c != '\'');
        let letters = std::mem::take(&mut self.input);
        let committed = self.commit();
        match committed {
            Some(mut text) => {
                text.push_str(&letters);
                Some(text)
            }
            None if letters.is_empty() => None,
            None => Some(letters),
        }
    }

    /// What the keyboard shows above the candidates: chosen hanzi followed by the typed
    /// pinyin split into syllables with apostrophes (`张三feng`, `zhang'san`, `xi'an`).
    pub fn preedit(&self) -> String {
        let mut shown: String = self.selections.iter().map(|s| s.text.as_str()).collect();
        shown.push_str(&segment(self.dictionary, self.input.as_bytes()).join("'"));
        shown
    }

    /// The typed input as the user typed it (letters, `v`, separators).
    pub fn input(&self) -> &str {
        &self.input
    }

    /// Abandons the composition.
    pub fn clear(&mut self) {
        self.input.clear();
        self.selections.clear();
        self.candidates.clear();
    }

    fn commit(&mut self) -> Option<String> {
        let text: String = self.selections.drain(..).map(|s| s.text).collect();
        self.clear();
        (!text.is_empty()).then_some(text)
    }

    fn refresh(&mut self) {
        self.candidates = rank(self.dictionary, self.input.as_bytes(), MAX_CANDIDATES);
    }
}

/// The input byte for a key: lowercase ASCII letter, `v` for ü, or the separator.
fn normalise(key: char) -> Option<u8> {
    match key {
        'a'..='z' => Some(key as u8),
        'A'..='Z' => Some(key.to_ascii_lowercase() as u8),
        'ü' | 'Ü' => Some(b'v'),
        '\'' => Some(SEPARATOR),
        _ => None,
    }
}
