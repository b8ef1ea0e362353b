//! The layer order of the library's top-level modules, and a scan of `src/**/*.rs` that fails
//! on any path reaching a module that is not below the one it is written in. The order is
//! written here once; `src/lib.rs` and `ARCHITECTURE.md` must carry the same line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Bottom first. A module may use the modules of the layers below its own; modules that
/// share a layer are independent of each other.
const LAYERS: &[&[&str]] = &[
    // Shared vocabulary: languages, bilingual text, device kinds, submissions.
    &["domain"],
    // kiosk.toml as data.
    &["config"],
    // Libraries with no kiosk state: protocol codecs, the log scrubber, loop heartbeats,
    // the pinyin input method, the statute corpus and legal-aid pre-check.
    &["codec", "ime", "laws", "liveness", "logging"],
    // Device drivers and simulators.
    &["hal"],
    // The UI-independent flows.
    &["core"],
    &["store"],
    &["forward"],
    // The reference case server speaks the forwarder's wire format.
    &["caseserver"],
    // The application and services layer: what runs the kiosk on tokio, staff and fleet.
    &["fleet", "services"],
    // The SIP engine for "talk to a person" (it audits its calls through `fleet`).
    &["telephony"],
    // The generated Slint components, then the thin binding to them.
    &["ui"],
    &["adapter"],
    &["cli"],
];

/// The order as `src/lib.rs` and `ARCHITECTURE.md` write it.
fn order_line() -> String {
    LAYERS
        .iter()
        .map(|layer| layer.join(", "))
        .collect::<Vec<_>>()
        .join(" → ")
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// `src/core/notary/mod.rs` → `["core", "notary"]`; `src/services.rs` → `["services"]`.
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    if let Some(file) = parts.pop() {
        let stem = file.trim_end_matches(".rs");
        if stem != "mod" {
            parts.push(stem.to_owned());
        }
    }
    parts
}

/// The source with comments, string and character literals blanked out, so that a path
/// named in a doc comment or an error message is not taken for an import. Line breaks are
/// kept, so positions still give line numbers.
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r' && matches!(next, Some('"') | Some('#')) && !ident_before(&chars, i) {
            // A raw string: r"…", r#"…"#, and so on.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            while j < chars.len() {
                if chars[j] == '"' && (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.extend(chars[i..j.min(chars.len())].iter().map(|&c| blank(c)));
            i = j;
        } else if c == '"' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '"' {
                j += if chars[j] == '\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(chars.len());
            out.extend(chars[i..end].iter().map(|&c| blank(c)));
            i = end;
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{1F600}'); otherwise a lifetime.
            let end = if next == Some('\\') {
                (i + 2..chars.len())
                    .find(|&j| chars[j] == '\'')
                    .map(|j| j + 1)
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 3)
            } else {
                None
            };
            match end {
                Some(end) => {
                    out.extend(chars[i..end].iter().map(|&c| blank(c)));
                    i = end;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident_before(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

/// One path that reaches another top-level module.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Reference {
    line: usize,
    target: String,
}

/// Every top-level module the code of the file at `module` (its path from the crate root)
/// names through `crate::` or a `super::` chain that climbs out of its own top-level module.
fn references(module: &[String], source: &str) -> Vec<Reference> {
    let code = code_only(source);
    let chars: Vec<char> = code.chars().collect();
    let word_at = |at: usize| -> String {
        chars[at..]
            .iter()
            .take_while(|c| c.is_alphanumeric() || **c == '_')
            .collect()
    };
    let mut found = Vec::new();
    // Inline `mod name { … }` blocks deepen `super::`: the brace depth each was opened at.
    let mut inline_modules: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut line = 1;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
        } else if c == '{' {
            depth += 1;
        } else if c == '}' {
            depth = depth.saturating_sub(1);
            if inline_modules.last() == Some(&depth) {
                inline_modules.pop();
            }
        }
        if (c.is_alphabetic() || c == '_') && !ident_before(&chars, i) {
            let word = word_at(i);
            let after = i + word.chars().count();
            if word == "mod" {
                let rest: String = chars[after..].iter().take(200).collect();
                let rest = rest.trim_start();
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && rest[name.len()..].trim_start().starts_with('{') {
                    inline_modules.push(depth);
                }
            } else if word == "crate" || word == "super" {
                // Walk the path: how many `super`s, then the first named segment.
                let mut supers = 0;
                let mut at = i;
                let mut first = None;
                loop {
                    let segment = word_at(at);
                    let end = at + segment.chars().count();
                    let is_path = chars.get(end) == Some(&':') && chars.get(end + 1) == Some(&':');
                    if segment == "super" {
                        supers += 1;
                    } else if segment != "crate" || at != i {
                        first = Some(segment);
                        break;
                    }
                    if !is_path {
                        break;
                    }
                    at = end + 2;
                    if chars.get(at) == Some(&'{') {
                        // `crate::{a, b::c}`: every first-level name of the group.
                        let group: String =
                            chars[at + 1..].iter().take_while(|c| **c != '}').collect();
                        let names: Vec<String> = group
                            .split(',')
                            .filter_map(|item| item.trim().split("::").next())
                            .map(|name| name.trim().to_owned())
                            .filter(|name| !name.is_empty())
                            .collect();
                        let climbs_out =
                            word == "crate" || supers >= module.len() + inline_modules.len();
                        if climbs_out {
                            found
                                .extend(names.into_iter().map(|target| Reference { line, target }));
                        }
                        break;
                    }
                }
                let target = match (word.as_str(), first) {
                    ("crate", Some(name)) => Some(name),
                    // A `super::` chain that climbs above the file's own top-level module.
                    ("super", Some(name)) if supers >= module.len() + inline_modules.len() => {
                        Some(name)
                    }
                    _ => None,
                };
                if let Some(target) = target.filter(|t| !t.is_empty()) {
                    found.push(Reference { line, target });
                }
                i = at.max(i + 1);
                continue;
            }
            i = after;
            continue;
        }
        i += 1;
    }
    found
}

/// `file: module uses target (layer …)` for every reference that is not downwards.
fn violations(relative: &Path, source: &str) -> Vec<String> {
    let module = module_path(relative);
    let Some(own) = module.first() else {
        return Vec::new();
    };
    let Some(own_layer) = layer_of(own) else {
        return vec![format!(
            "{}: module `{own}` has no place in LAYERS",
            relative.display()
        )];
    };
    references(&module, source)
        .into_iter()
        .filter(|r| &r.target != own)
        .filter_map(|r| match layer_of(&r.target) {
            Some(layer) if layer < own_layer => None,
            // Not a top-level module (a macro or item defined at the crate root).
            None if !is_top_level_module(&r.target) => None,
            _ => Some(format!(
                "src/{}:{}: `{own}` uses `{}`, which is not below it in the layer order",
                relative.display(),
                r.line,
                r.target
            )),
        })
        .collect()
}

fn is_top_level_module(name: &str) -> bool {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    src.join(name).is_dir() || src.join(format!("{name}.rs")).is_file()
}

fn library_sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files
        .into_iter()
        .map(|path| path.strip_prefix(&src).unwrap().to_path_buf())
        // The crate root and the binaries sit above every layer.
        .filter(|relative| {
            !matches!(relative.to_str(), Some("lib.rs" | "main.rs")) && !relative.starts_with("bin")
        })
        .collect()
}

#[test]
fn no_module_uses_a_module_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut problems = Vec::new();
    let mut uses: BTreeMap<String, usize> = BTreeMap::new();
    for relative in library_sources() {
        let source = std::fs::read_to_string(src.join(&relative)).unwrap();
        let module = module_path(&relative);
        *uses.entry(module[0].clone()).or_default() += references(&module, &source).len();
        problems.extend(violations(&relative, &source));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The scan did see the crate's imports (a broken scanner would pass vacuously).
    assert!(uses["adapter"] > 20 && uses["core"] > 10, "{uses:?}");
}

#[test]
fn every_module_of_the_library_has_a_layer() {
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    for line in lib.lines() {
        if let Some(name) = line.trim().strip_prefix("pub mod ") {
            let name = name.trim_end_matches(';').trim_end_matches(" {");
            assert!(layer_of(name).is_some(), "`{name}` is not in LAYERS");
        }
    }
}

#[test]
fn lib_rs_and_architecture_md_write_the_same_order() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let line = order_line();
    for file in ["src/lib.rs", "ARCHITECTURE.md"] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        assert!(
            text.contains(&line),
            "{file} does not carry the layer order:\n{line}"
        );
    }
}

#[test]
fn the_checker_catches_an_upward_import() {
    let driver = Path::new("hal/printer/mod.rs");
    let upward = violations(driver, "use crate::core::notary::Receipt;\n");
    assert_eq!(upward.len(), 1, "{upward:?}");
    assert!(upward[0].contains("src/hal/printer/mod.rs:1: `hal` uses `core`"));

    // Grouped imports, inline paths and `super::` chains climbing out of the module count.
    let grouped = "use crate::{codec::sam, store::Store};\n";
    assert_eq!(violations(driver, grouped).len(), 1);
    let inline = "fn f() { let _ = crate::adapter::run(); }\n";
    assert_eq!(violations(driver, inline).len(), 1);
    let climbing = "use super::super::fleet::audit;\n";
    assert_eq!(violations(driver, climbing).len(), 1);
    let in_test_module = "mod tests {\n    use super::super::super::cli::run;\n}\n";
    assert_eq!(violations(driver, in_test_module).len(), 1);

    // Downward and in-module paths, comments and strings do not.
    let fine = "use crate::codec::sam;\nuse crate::domain::DeviceKind;\nuse super::Receipt;\n\
                mod tests { use super::super::super::hal::DeviceHealth; }\n\
                // see crate::core\n/// [`crate::store`]\nconst S: &str = \"crate::cli\";\n\
                const R: &str = r#\"crate::adapter\"#;\nfn f<'a>(_: &'a str) -> char { '\"' }\n";
    assert_eq!(violations(driver, fine), Vec::<String>::new());
}
