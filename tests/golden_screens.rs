//! Golden screenshots: every screen in both languages and both orientations, rendered by
//! the real `legal-kiosk screenshot` command and compared with the committed PNGs in
//! tests/golden/screens/. Regenerate with `make golden`.

#[path = "support/golden.rs"]
mod golden;

use std::path::Path;
use std::process::Command;

const SIZES: [(&str, &str); 2] = [("portrait", "1080x1920"), ("landscape", "1920x1080")];

fn screens() -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_legal-kiosk"))
        .args(["screenshot", "--list"])
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

fn render(screen: &str, lang: &str, size: &str, extra: &[&str], out: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_legal-kiosk"))
        .args([
            "screenshot",
            "--screen",
            screen,
            "--lang",
            lang,
            "--size",
            size,
            "--out",
        ])
        .arg(out)
        .args(extra)
        .status()
        .unwrap();
    assert!(status.success(), "screenshot {screen} {lang} {size} failed");
}

fn check_all(variant: &str, extra: &[&str], sizes: &[(&str, &str)]) {
    let work = tempfile::tempdir().unwrap();
    let golden_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/screens");
    let mut failures = Vec::new();
    let mut count = 0;
    for screen in screens() {
        for lang in ["zh", "en"] {
            for (orientation, size) in sizes {
                let name = format!("{screen}-{lang}-{orientation}{variant}.png");
                let actual = work.path().join(&name);
                render(&screen, lang, size, extra, &actual);
                count += 1;
                if let Err(e) = golden::compare(&actual, &golden_dir.join(&name)) {
                    failures.push(e);
                }
            }
        }
    }
    assert!(count >= 12, "only {count} screenshots");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_screen_matches_its_golden_image() {
    check_all("", &[], &SIZES);
}

#[test]
fn every_screen_matches_in_large_text_mode() {
    check_all("-large", &["--large-text"], &SIZES[..1]);
}

#[test]
fn every_screen_matches_in_high_contrast() {
    check_all("-contrast", &["--high-contrast"], &SIZES[..1]);
}

#[test]
fn unknown_screen_is_refused_with_the_list() {
    let out = Command::new(env!("CARGO_BIN_EXE_legal-kiosk"))
        .args(["screenshot", "--screen", "nope", "--out", "/tmp/never.png"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown screen `nope`") && err.contains("home"),
        "{err}"
    );
}
