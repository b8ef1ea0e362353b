//! Maps byte offsets and key paths of a TOML document back to line numbers.

use toml::de::{DeTable, DeValue};

/// 1-based line number of a byte offset.
pub(super) fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Line of the deepest existing key along `path` (the key itself when present, otherwise
/// its closest ancestor), so a semantic error points at the line to edit.
pub(super) fn line_of_key(text: &str, path: &[String]) -> Option<usize> {
    let root = DeTable::parse(text).ok()?;
    let mut table: &DeTable = root.get_ref();
    let mut found = None;
    for segment in path {
        let (key, value) = table.get_key_value(segment.as_str())?;
        found = Some(line_of(text, key.span().start));
        match value.get_ref() {
            DeValue::Table(inner) => table = inner,
            _ => break,
        }
    }
    found
}

/// The segments of a serde path (`devices.printer.driver`) as strings.
pub(super) fn path_segments(path: &serde_path_to_error::Path) -> Vec<String> {
    path.iter()
        .filter_map(|segment| match segment {
            serde_path_to_error::Segment::Map { key } => Some(key.clone()),
            serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
            serde_path_to_error::Segment::Enum { variant } => Some(variant.clone()),
            serde_path_to_error::Segment::Unknown => None,
        })
        .collect()
}
