//! The layout checker: every screen state, staged as `screenshot` stages it, laid out at the
//! panel sizes kiosks are built with, in both languages, normal and large text, normal and
//! high contrast; the layout report of each is checked against the rules of
//! `layout_report::check` (touch size, overlap, reachable, text fits, inputs boxed).
//!
//! Known violations are listed in tests/layout/baseline.txt ("state | viewport | element |
//! rule"). A violation not listed fails the test, and so does a listed one that is gone, so
//! the baseline can only shrink. `make test` checks a representative subset; `make
//! layout-check` checks the whole matrix. After a reviewed change,
//! `LEGAL_KIOSK_UPDATE_LAYOUT_BASELINE=1` rewrites the lines of the states checked.

use legal_kiosk::adapter::layout_report::{self, check::Violation};
use legal_kiosk::cli::screenshot::{screen_names, stage, Scene};
use legal_kiosk::config::KioskConfig;
use legal_kiosk::domain::Language;
use slint::ComponentHandle;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Portrait and landscape kiosk panels: 21.5"/27" 1080p both ways, the common 1366x768,
/// 1280x800 and 1280x1024 industrial panels, and a portrait 768x1366.
const SIZES: [(u32, u32); 6] = [
    (1080, 1920),
    (1920, 1080),
    (1366, 768),
    (1280, 800),
    (1280, 1024),
    (768, 1366),
];

/// Sizes at which the subset also checks large text, English and high contrast.
const MODE_SIZES: [(u32, u32); 2] = [(1080, 1920), (1366, 768)];

#[derive(Clone, Copy)]
struct State {
    screen: &'static str,
    size: (u32, u32),
    english: bool,
    large_text: bool,
    high_contrast: bool,
}

impl State {
    /// How the state is named in the baseline and in failures.
    fn name(&self) -> String {
        let (w, h) = self.size;
        let mut name = format!(
            "{} {w}x{h} {}",
            self.screen,
            if self.english { "en" } else { "zh" }
        );
        if self.large_text {
            name.push_str(" large-text");
        }
        if self.high_contrast {
            name.push_str(" high-contrast");
        }
        name
    }
}

fn every_state() -> Vec<State> {
    let mut states = Vec::new();
    for screen in screen_names() {
        for size in SIZES {
            for english in [false, true] {
                for large_text in [false, true] {
                    for high_contrast in [false, true] {
                        states.push(State {
                            screen,
                            size,
                            english,
                            large_text,
                            high_contrast,
                        });
                    }
                }
            }
        }
    }
    states
}

/// Every screen at every size in Chinese; large text, English and high contrast (one at a
/// time) at a portrait and a landscape size.
fn representative_states() -> Vec<State> {
    every_state()
        .into_iter()
        .filter(|s| {
            let modes = [s.english, s.large_text, s.high_contrast];
            let changed = modes.iter().filter(|&&m| m).count();
            changed == 0 || (changed == 1 && MODE_SIZES.contains(&s.size))
        })
        .collect()
}

fn violations(state: &State) -> Vec<Violation> {
    let config = KioskConfig::demo(std::env::temp_dir().join("legal-kiosk-layout-test"));
    let scene = Scene {
        screen: state.screen,
        language: if state.english {
            Language::En
        } else {
            Language::Zh
        },
        size: state.size,
        large_text: state.large_text,
        high_contrast: state.high_contrast,
        demo_banner: false,
    };
    let app = stage(config, &scene).expect("the scene is staged");
    app.window().show().unwrap();
    let report = layout_report::capture(app.window());
    let (w, h) = state.size;
    assert_eq!(
        (report.window.width, report.window.height),
        (w as f32, h as f32),
        "{}: the window was not given its size",
        state.name()
    );
    assert!(
        report.elements.iter().any(|e| e.role == "button"),
        "{}: the report holds no button at all",
        state.name()
    );
    layout_report::check::check(&report)
}

fn baseline_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/layout/baseline.txt")
}

/// Baseline lines by state (the text before the first " | ").
fn read_baseline() -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(baseline_path()).unwrap_or_default();
    let mut by_state: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let state = line.split(" | ").next().unwrap_or_default().to_string();
        by_state.entry(state).or_default().push(line.to_string());
    }
    by_state
}

fn write_baseline(by_state: &BTreeMap<String, Vec<String>>) {
    let mut text = String::from(
        "# Known layout violations: state | viewport | element | rule (tests/layout/main.rs).\n\
         # Reviewed; may only shrink. Fix the layout, then delete its line.\n",
    );
    for line in by_state.values().flatten() {
        text.push_str(line);
        text.push('\n');
    }
    std::fs::write(baseline_path(), text).unwrap();
}

/// Removes one occurrence of each of `other` from `lines`; what is left is in `lines` only.
fn minus(lines: &[String], other: &[String]) -> Vec<String> {
    let mut left = lines.to_vec();
    for line in other {
        if let Some(at) = left.iter().position(|l| l == line) {
            left.remove(at);
        }
    }
    left
}

fn check_states(states: &[State]) {
    let started = std::time::Instant::now();
    let mut baseline = read_baseline();
    let mut new = Vec::new();
    let mut fixed = Vec::new();
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for state in states {
        let name = state.name();
        let found = violations(state);
        for v in &found {
            *by_rule.entry(v.rule.name()).or_default() += 1;
        }
        let keys: Vec<String> = found
            .iter()
            .map(|v| format!("{name} | {}", v.key()))
            .collect();
        let known = baseline.get(&name).cloned().unwrap_or_default();
        for key in minus(&keys, &known) {
            let detail = found
                .iter()
                .find(|v| format!("{name} | {}", v.key()) == key)
                .map(|v| v.detail.clone())
                .unwrap_or_default();
            new.push(format!("{key}: {detail}"));
        }
        fixed.extend(minus(&known, &keys));
        if keys.is_empty() {
            baseline.remove(&name);
        } else {
            baseline.insert(name, keys);
        }
    }
    eprintln!(
        "layout: {} states in {:.0} s; violations by rule: {by_rule:?}",
        states.len(),
        started.elapsed().as_secs_f32()
    );
    if std::env::var_os("LEGAL_KIOSK_UPDATE_LAYOUT_BASELINE").is_some() {
        write_baseline(&baseline);
        return;
    }
    assert!(
        new.is_empty() && fixed.is_empty(),
        "layout violations not in tests/layout/baseline.txt:\n{}\n\
         fixed, so delete from tests/layout/baseline.txt:\n{}",
        new.join("\n"),
        fixed.join("\n")
    );
}

thread_local! {
    static BACKEND: () = i_slint_backend_testing::init_no_event_loop();
}

#[test]
fn representative_states_keep_the_layout_rules() {
    BACKEND.with(|_| ());
    let states = representative_states();
    assert!(states.len() >= screen_names().len() * 6, "{}", states.len());
    check_states(&states);
}

/// The whole matrix: `make layout-check`.
#[test]
#[ignore = "about 4x the subset's time; run by `make layout-check`"]
fn every_state_keeps_the_layout_rules() {
    BACKEND.with(|_| ());
    check_states(&every_state());
}

/// `screenshot --elements` writes the report the checker reads, from the real command.
#[test]
fn screenshot_writes_the_layout_report() {
    let dir = tempfile::tempdir().unwrap();
    let (png, json) = (dir.path().join("home.png"), dir.path().join("home.json"));
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_legal-kiosk"))
        .args(["screenshot", "--screen", "home", "--size", "1366x768"])
        .args(["--large-text", "--out"])
        .arg(&png)
        .arg("--elements")
        .arg(&json)
        .status()
        .unwrap();
    assert!(status.success());
    let report: layout_report::LayoutReport =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!((report.window.width, report.window.height), (1366.0, 768.0));
    assert!(
        (report.touch_size - 96.0 * 1.3).abs() < 0.01,
        "large-text touch size"
    );
    let tile = report
        .elements
        .iter()
        .find(|e| e.id.as_deref() == Some("service-notary"))
        .expect("the notary tile is reported");
    assert_eq!(tile.role, "button");
    let layout_report::ClipArea::Viewport(v) = tile.clip.area else {
        panic!("the tiles scroll: {:?}", tile.clip);
    };
    let viewport = &report.viewports[v];
    assert!(
        viewport.content.height > viewport.bounds.height,
        "{viewport:?}"
    );
    let language = report
        .elements
        .iter()
        .find(|e| e.id.as_deref() == Some("toggle-language"))
        .expect("the header is reported");
    assert_eq!(language.clip.area, layout_report::ClipArea::Window);
    assert_eq!(language.label.as_deref(), Some("English"));
}
