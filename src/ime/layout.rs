//! On-screen keyboard layouts as data, and the choice of layout for a form field.
//!
//! The Slint keyboard renders `layout(kind).rows` and sends each key's [`KeyAction`] back to
//! Rust. Keypads for phone and ID numbers avoid the IME entirely for most kiosk fields.

use serde::Serialize;
use std::str::FromStr;
use thiserror::Error;

/// The keyboard layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LayoutKind {
    /// QWERTY feeding the pinyin composer; hanzi are committed from the candidate bar.
    Pinyin,
    /// QWERTY typing Latin letters directly.
    English,
    /// 0-9 phone keypad.
    Phone,
    /// 0-9 and X, the check character of a resident ID number.
    IdNumber,
    /// 0-9 and a decimal point.
    Number,
}

/// What a key does when tapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "action", content = "value", rename_all = "snake_case")]
pub enum KeyAction {
    /// Types this character (into the composer in the pinyin layout, else into the field).
    Char(char),
    Backspace,
    Space,
    /// Commits the composition as typed, or confirms the field.
    Enter,
    /// Empties the field (keypads, where retyping is quicker than deleting).
    Clear,
    Switch(LayoutKind),
}

/// One key: its label and what it does. `width` is in key units (1 = a letter key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Key {
    pub label: &'static str,
    pub action: KeyAction,
    pub width: u8,
}

/// A layout: rows of keys, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Layout {
    pub kind: LayoutKind,
    pub rows: &'static [&'static [Key]],
    /// True when typed letters go through the pinyin composer.
    pub uses_composer: bool,
}

const fn ch(label: &'static str, c: char) -> Key {
    Key {
        label,
        action: KeyAction::Char(c),
        width: 1,
    }
}

const fn wide(label: &'static str, action: KeyAction, width: u8) -> Key {
    Key {
        label,
        action,
        width,
    }
}

macro_rules! letters {
    ($($c:literal),*) => { &[$(ch(concat!($c), $c)),*] };
}

const QWERTY_TOP: &[Key] = letters!('q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p');
const QWERTY_MIDDLE: &[Key] = letters!('a', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l');
const BACKSPACE: Key = wide("⌫", KeyAction::Backspace, 2);

const PINYIN: Layout = Layout {
    kind: LayoutKind::Pinyin,
    uses_composer: true,
    rows: &[
        QWERTY_TOP,
        QWERTY_MIDDLE,
        &[
            ch("z", 'z'),
            ch("x", 'x'),
            ch("c", 'c'),
            ch("v/ü", 'v'),
            ch("b", 'b'),
            ch("n", 'n'),
            ch("m", 'm'),
            ch("'", '\''),
            BACKSPACE,
        ],
        &[
            wide("123", KeyAction::Switch(LayoutKind::Number), 2),
            wide("英", KeyAction::Switch(LayoutKind::English), 2),
            wide("空格", KeyAction::Space, 4),
            wide("确定", KeyAction::Enter, 2),
        ],
    ],
};

const ENGLISH: Layout = Layout {
    kind: LayoutKind::English,
    uses_composer: false,
    rows: &[
        QWERTY_TOP,
        QWERTY_MIDDLE,
        &[
            ch("z", 'z'),
            ch("x", 'x'),
            ch("c", 'c'),
            ch("v", 'v'),
            ch("b", 'b'),
            ch("n", 'n'),
            ch("m", 'm'),
            ch("-", '-'),
            BACKSPACE,
        ],
        &[
            wide("123", KeyAction::Switch(LayoutKind::Number), 2),
            wide("中", KeyAction::Switch(LayoutKind::Pinyin), 2),
            wide("Space", KeyAction::Space, 4),
            wide("OK", KeyAction::Enter, 2),
        ],
    ],
};

const DIGIT_ROWS: [&[Key]; 3] = [
    letters!('1', '2', '3'),
    letters!('4', '5', '6'),
    letters!('7', '8', '9'),
];

/// A 3×4 keypad: digits, then `$left`, 0 and backspace, then any further rows.
macro_rules! keypad {
    ($kind:expr, $left:expr $(, $extra:expr)*) => {
        Layout {
            kind: $kind,
            uses_composer: false,
            rows: &[
                DIGIT_ROWS[0],
                DIGIT_ROWS[1],
                DIGIT_ROWS[2],
                &[$left, ch("0", '0'), wide("⌫", KeyAction::Backspace, 1)],
                $($extra),*
            ],
        }
    };
}

/// Every keypad ends with 确定: it closes the keyboard, the only way back to what the keypad
/// covers on a short panel.
const DONE_ROW: &[Key] = &[wide("确定", KeyAction::Enter, 3)];

const PHONE: Layout = keypad!(
    LayoutKind::Phone,
    wide("清空", KeyAction::Clear, 1),
    DONE_ROW
);

const ID_NUMBER: Layout = keypad!(LayoutKind::IdNumber, ch("X", 'X'), DONE_ROW);

const NUMBER: Layout = keypad!(
    LayoutKind::Number,
    ch(".", '.'),
    &[
        wide("中", KeyAction::Switch(LayoutKind::Pinyin), 1),
        wide("英", KeyAction::Switch(LayoutKind::English), 1),
        wide("确定", KeyAction::Enter, 1),
    ]
);

/// The layout of a kind.
pub fn layout(kind: LayoutKind) -> &'static Layout {
    match kind {
        LayoutKind::Pinyin => &PINYIN,
        LayoutKind::English => &ENGLISH,
        LayoutKind::Phone => &PHONE,
        LayoutKind::IdNumber => &ID_NUMBER,
        LayoutKind::Number => &NUMBER,
    }
}

/// What a form field holds, as the forms declare it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldPurpose {
    Name,
    FreeText,
    Phone,
    IdNumber,
    Search,
    Number,
    /// Letters and digits typed as they are (a unified social credit code).
    Code,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown field purpose `{0}` (name, free_text, phone, id_number, search, number, code)")]
pub struct UnknownPurpose(pub String);

impl FromStr for FieldPurpose {
    type Err = UnknownPurpose;

    fn from_str(purpose: &str) -> Result<Self, Self::Err> {
        Ok(match purpose {
            "name" => FieldPurpose::Name,
            "free_text" => FieldPurpose::FreeText,
            "phone" => FieldPurpose::Phone,
            "id_number" => FieldPurpose::IdNumber,
            "search" => FieldPurpose::Search,
            "number" => FieldPurpose::Number,
            "code" => FieldPurpose::Code,
            other => return Err(UnknownPurpose(other.to_owned())),
        })
    }
}

/// The layout a field opens with. Chinese names and text start in pinyin; numbers get a
/// keypad that cannot type anything else.
pub fn layout_for(purpose: FieldPurpose) -> LayoutKind {
    match purpose {
        FieldPurpose::Name | FieldPurpose::FreeText | FieldPurpose::Search => LayoutKind::Pinyin,
        FieldPurpose::Phone => LayoutKind::Phone,
        FieldPurpose::IdNumber => LayoutKind::IdNumber,
        FieldPurpose::Number => LayoutKind::Number,
        FieldPurpose::Code => LayoutKind::English,
    }
}

/// Whether the keypad for `purpose` may switch to another layout. Phone and ID-number fields
/// are locked: there is nothing else to type into them.
pub fn can_switch_layout(purpose: FieldPurpose) -> bool {
    !matches!(purpose, FieldPurpose::Phone | FieldPurpose::IdNumber)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(kind: LayoutKind) -> String {
        layout(kind)
            .rows
            .iter()
            .flat_map(|row| row.iter())
            .filter_map(|key| match key.action {
                KeyAction::Char(c) => Some(c),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn fields_open_the_layout_for_what_they_hold() {
        let cases = [
            ("name", LayoutKind::Pinyin),
            ("free_text", LayoutKind::Pinyin),
            ("search", LayoutKind::Pinyin),
            ("phone", LayoutKind::Phone),
            ("id_number", LayoutKind::IdNumber),
            ("number", LayoutKind::Number),
        ];
        for (purpose, kind) in cases {
            let purpose: FieldPurpose = purpose.parse().unwrap();
            assert_eq!(layout_for(purpose), kind);
            assert_eq!(layout(kind).kind, kind);
        }
        assert_eq!(
            "email".parse::<FieldPurpose>(),
            Err(UnknownPurpose("email".into()))
        );
    }

    #[test]
    fn keypads_type_only_what_their_fields_accept() {
        let mut id = typed(LayoutKind::IdNumber).chars().collect::<Vec<_>>();
        id.sort_unstable();
        assert_eq!(id.into_iter().collect::<String>(), "0123456789X");
        assert!(typed(LayoutKind::Phone).chars().all(|c| c.is_ascii_digit()));
        assert_eq!(typed(LayoutKind::Phone).len(), 10);
        assert!(!can_switch_layout(FieldPurpose::IdNumber));
        assert!(can_switch_layout(FieldPurpose::Name));
    }

    #[test]
    fn pinyin_layout_has_every_letter_and_the_separator_and_feeds_the_composer() {
        let keys = typed(LayoutKind::Pinyin);
        for c in ('a'..='z').chain(['\'']) {
            assert!(keys.contains(c), "missing {c}");
        }
        assert!(layout(LayoutKind::Pinyin).uses_composer);
        assert!(!layout(LayoutKind::English).uses_composer);
    }

    #[test]
    fn layouts_serialise_for_the_ui() {
        let json = serde_json::to_value(layout(LayoutKind::IdNumber)).unwrap();
        assert_eq!(json["kind"], "id_number");
        assert_eq!(json["rows"][3][0]["action"]["value"], "X");
        assert_eq!(json["rows"][3][2]["action"]["action"], "backspace");
    }
}
