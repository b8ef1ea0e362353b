//! UI benchmarks: process start to first rendered frame of the home screen, peak RSS, and
//! full-frame render time at 1080×1920 with the software renderer.
//! Targets (desktop-class core): first frame < 100 ms, RSS < 40 MB.

use legal_kiosk::adapter::headless::Headless;
use legal_kiosk::adapter::{Clock, KioskApp, UiOptions};
use legal_kiosk::config::KioskConfig;
use slint::ComponentHandle;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Spawns `screenshot --report` and times spawn → "first-frame" on its stdout.
fn start_to_first_frame() -> (Duration, u64) {
    let out = std::env::temp_dir().join("legal-kiosk-bench-home.png");
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_legal-kiosk"))
        .args([
            "screenshot",
            "--screen",
            "home",
            "--size",
            "1080x1920",
            "--report",
            "--out",
        ])
        .arg(&out)
        .stdout(Stdio::piped())
        .spawn()
        .expect("legal-kiosk starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut first_frame = None;
    let mut rss_kb = 0;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if line == "first-frame" {
            first_frame = Some(started.elapsed());
        } else if let Some(kb) = line.strip_prefix("peak-rss-kb: ") {
            rss_kb = kb.parse().unwrap_or(0);
        }
    }
    assert!(child.wait().unwrap().success());
    (
        first_frame.expect("the child reported its first frame"),
        rss_kb,
    )
}

fn main() {
    const STARTS: usize = 15;
    let mut firsts = Vec::new();
    let mut peak_rss = 0;
    for _ in 0..STARTS {
        let (first, rss) = start_to_first_frame();
        firsts.push(first);
        peak_rss = peak_rss.max(rss);
    }
    println!(
        "ui.first_frame_p50: {:.1} ms",
        ms(percentile(&mut firsts, 0.5))
    );
    println!(
        "ui.first_frame_max: {:.1} ms",
        ms(percentile(&mut firsts, 1.0))
    );
    println!("ui.peak_rss: {:.1} MB", peak_rss as f64 / 1024.0);

    let headless = Headless::install().expect("headless platform");
    headless.set_size(1080, 1920);
    let app = KioskApp::new(
        KioskConfig::demo(std::env::temp_dir()),
        UiOptions {
            demo_banner: false,
            landscape: false,
            clock: Clock::System,
            fleet: None,
            devices: None,
            store: None,
            case_system: None,
        },
    )
    .expect("UI");
    app.window().show().unwrap();
    headless.render();
    const FRAMES: usize = 60;
    let mut frames = Vec::with_capacity(FRAMES);
    for _ in 0..FRAMES {
        let started = Instant::now();
        std::hint::black_box(headless.render());
        frames.push(started.elapsed());
    }
    println!(
        "ui.full_frame_1080x1920_p50: {:.2} ms",
        ms(percentile(&mut frames, 0.5))
    );
    println!(
        "ui.full_frame_1080x1920_p99: {:.2} ms",
        ms(percentile(&mut frames, 0.99))
    );
}
