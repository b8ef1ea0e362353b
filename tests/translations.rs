//! Every visible UI string is translated: each `@tr("...")` in ui/ has a non-empty zh_CN
//! entry, and the catalogue carries no entries the UI no longer uses.

use std::collections::BTreeMap;
use std::path::Path;

fn unescape(s: &str) -> String {
    s.replace("\\\"", "\"").replace("\\\\", "\\")
}

/// The string literal starting at `rest` (just after the opening quote), unescaped.
fn literal(rest: &str) -> Option<String> {
    let mut escaped = false;
    for (i, c) in rest.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return Some(unescape(&rest[..i])),
            _ => escaped = false,
        }
    }
    None
}

fn ui_strings(dir: &Path, found: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            ui_strings(&path, found);
        } else if path.extension().is_some_and(|e| e == "slint") {
            let text = std::fs::read_to_string(&path).unwrap();
            for (at, _) in text.match_indices("@tr(\"") {
                let s = literal(&text[at + 5..]).expect("terminated @tr string");
                found.push((s, path.display().to_string()));
            }
        }
    }
}

fn catalogue(path: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut entries = BTreeMap::new();
    let mut msgid = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("msgid \"") {
            msgid = literal(rest);
        } else if let Some(rest) = line.strip_prefix("msgstr \"") {
            if let Some(id) = msgid.take() {
                entries.insert(id, literal(rest).unwrap_or_default());
            }
        }
    }
    entries.remove("");
    entries
}

#[test]
fn every_ui_string_has_a_chinese_translation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut used = Vec::new();
    ui_strings(&root.join("ui"), &mut used);
    assert!(used.len() > 20, "found only {} @tr strings", used.len());
    let zh = catalogue(&root.join("lang/zh_CN/LC_MESSAGES/legal-kiosk.po"));
    let missing: Vec<_> = used
        .iter()
        .filter(|(s, _)| zh.get(s).is_none_or(|t| t.trim().is_empty()))
        .collect();
    assert!(missing.is_empty(), "untranslated: {missing:#?}");
    let unused: Vec<_> = zh
        .keys()
        .filter(|k| !used.iter().any(|(s, _)| s == *k))
        .collect();
    assert!(
        unused.is_empty(),
        "catalogue entries no UI string uses: {unused:#?}"
    );
}

#[test]
fn placeholders_survive_translation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let zh = catalogue(&root.join("lang/zh_CN/LC_MESSAGES/legal-kiosk.po"));
    for (en, cn) in &zh {
        assert_eq!(
            en.matches("{}").count(),
            cn.matches("{}").count(),
            "{en} → {cn}"
        );
    }
}
