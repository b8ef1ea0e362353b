//! The canary identities, the byte patterns each is searched for, and the search over files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A rare real-world name: distinctive, and CJK only, so no shape-based scrubbing finds it.
pub const NAME: &str = "欧阳娜娜";
/// A made-up name (the co-applicant) that occurs nowhere in the code or the data files.
pub const MADE_UP_NAME: &str = "闻人砚秋";
/// A resident ID number with a valid GB 11643 check character (`X`).
pub const ID_NUMBER: &str = "44030519920315129X";
/// The same number as people write it on forms, in groups.
pub const ID_NUMBER_SPACED: &str = "440305 19920315 129X";
pub const MOBILE: &str = "13812345678";
pub const MOBILE_SPACED: &str = "138 1234 5678";
pub const MOBILE_INTERNATIONAL: &str = "+86 138-1234-5678";
pub const LANDLINE: &str = "010-62345678";
pub const ADDRESS: &str = "北京市海淀区幸福路 88 号";

/// One canary and every byte pattern that betrays it.
pub struct Canary {
    pub label: &'static str,
    pub patterns: Vec<Vec<u8>>,
}

/// `text` as UTF-8 and as GB18030 (the receipt printer's encoding); ASCII is the same in both.
fn encodings(text: &str) -> Vec<Vec<u8>> {
    let utf8 = text.as_bytes().to_vec();
    let (gb, _, _) = encoding_rs::GB18030.encode(text);
    let mut out = vec![utf8];
    if gb.as_ref() != text.as_bytes() {
        out.push(gb.into_owned());
    }
    out
}

fn canary(label: &'static str, forms: &[&str]) -> Canary {
    Canary {
        label,
        patterns: forms.iter().flat_map(|form| encodings(form)).collect(),
    }
}

pub fn all() -> Vec<Canary> {
    vec![
        canary("name", &[NAME]),
        canary("made-up name", &[MADE_UP_NAME]),
        // The first 17 digits find the number unseparated whatever case its `X` is in.
        canary("ID number", &[&ID_NUMBER[..17], ID_NUMBER_SPACED]),
        canary(
            "mobile",
            &[MOBILE, MOBILE_SPACED, MOBILE_INTERNATIONAL, "138-1234-5678"],
        ),
        canary("landline", &[LANDLINE, "01062345678"]),
        // The street and house number, spaced as written and run together.
        canary("address", &["幸福路 88 号", "幸福路88号"]),
    ]
}

/// How often any of `patterns` occurs in `bytes`.
pub fn count_hits(bytes: &[u8], patterns: &[Vec<u8>]) -> usize {
    patterns
        .iter()
        .map(|pattern| {
            bytes
                .windows(pattern.len())
                .filter(|window| window == pattern)
                .count()
        })
        .sum()
}

/// Every regular file under `root` (recursively); a missing root has none.
pub fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.is_file() {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Hits per canary label in every file of `paths`, with the files that hit, for the message.
#[derive(Default)]
pub struct PlaceHits {
    pub per_canary: BTreeMap<&'static str, usize>,
    pub offending: Vec<String>,
    pub files: usize,
}

pub fn search(paths: &[PathBuf], canaries: &[Canary]) -> PlaceHits {
    let mut hits = PlaceHits::default();
    for path in paths {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        hits.files += 1;
        for canary in canaries {
            let n = count_hits(&bytes, &canary.patterns);
            *hits.per_canary.entry(canary.label).or_default() += n;
            if n > 0 {
                hits.offending
                    .push(format!("{} × {n} in {}", canary.label, path.display()));
            }
        }
    }
    hits
}

/// The (canary × place) table, one row per place.
pub fn table(places: &[(String, PlaceHits)], canaries: &[Canary]) -> String {
    let mut out = format!("{:<34} {:>5}", "place", "files");
    for canary in canaries {
        out.push_str(&format!(" | {:>12}", canary.label));
    }
    out.push('\n');
    for (place, hits) in places {
        out.push_str(&format!("{place:<34} {:>5}", hits.files));
        for canary in canaries {
            let n = hits.per_canary.get(canary.label).copied().unwrap_or(0);
            out.push_str(&format!(" | {n:>12}"));
        }
        out.push('\n');
    }
    out
}
