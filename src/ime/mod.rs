//! Pinyin input method engine for the on-screen keyboard.
//!
//! The keyboard feeds letters into a [`Composer`], shows [`Composer::preedit`] and a page of
//! [`Composer::candidates`], and inserts what [`Composer::select`] or
//! [`Composer::commit_raw`] returns into the focused field. [`layout_for`] picks the keyboard
//! for a field; keypads for phone and ID numbers bypass the composer.
//!
//! Candidates come from `data/ime/dictionary.txt` (jieba frequencies and pypinyin readings,
//! both MIT; legal vocabulary boosted), embedded in the binary.

mod candidates;
mod composer;
mod dictionary;
mod layout;
mod matcher;
mod segment;
#[cfg(test)]
mod tests;

pub use candidates::{rank, Candidate};
pub use composer::{Composer, DEFAULT_PAGE_SIZE, MAX_INPUT};
pub use dictionary::{Dictionary, DictionaryError};
pub use layout::{
    can_switch_layout, layout, layout_for, FieldPurpose, Key, KeyAction, Layout, LayoutKind,
    UnknownPurpose,
};
