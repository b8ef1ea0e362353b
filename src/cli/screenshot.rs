//! `legal-kiosk screenshot`: renders one screen headless to a PNG.

use crate::adapter::headless::{save_png, Headless};
use crate::adapter::layout_report;
use crate::adapter::AVAILABILITY_SCENES;
use crate::adapter::PROGRESS_SCENES;
use crate::adapter::{Clock, KioskApp, UiOptions, CONSULT_SCENES, NOTARY_SCENES};
use crate::config::KioskConfig;
use crate::core::{Command, Screen};
use crate::domain::Language;
use crate::ui::Kiosk;
use anyhow::{bail, Context};
use clap::{Args, ValueEnum};
use slint::ComponentHandle;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Screens beyond the core's: states worth a picture of their own.
const EXTRA_SCREENS: [&str; 1] = ["idle-warning"];

#[derive(Debug, Args)]
pub struct ScreenshotArgs {
    /// Screen to render (see --list).
    #[arg(long, required_unless_present = "list")]
    pub screen: Option<String>,
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    pub lang: LangArg,
    /// Window size in pixels, e.g. 1080x1920 (portrait) or 1920x1080 (landscape).
    #[arg(long, default_value = "1080x1920", value_parser = parse_size)]
    pub size: (u32, u32),
    /// Output PNG file.
    #[arg(long, required_unless_present = "list")]
    pub out: Option<PathBuf>,
    /// Render in large-text (elderly) mode.
    #[arg(long)]
    pub large_text: bool,
    /// Render with the high-contrast theme.
    #[arg(long)]
    pub high_contrast: bool,
    /// Show the DEMO banner, as when simulators are active.
    #[arg(long)]
    pub demo_banner: bool,
    /// Hall and office names from this config instead of the built-in demo ones.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Also write the layout report: every visible element with its accessible role,
    /// label and id, absolute bounds and the area it is clipped to (JSON).
    #[arg(long, value_name = "FILE.json")]
    pub elements: Option<PathBuf>,
    /// List the screen names and exit.
    #[arg(long)]
    pub list: bool,
    /// Print `first-frame` as soon as the frame is rendered and `peak-rss-kb: N` at the end
    /// (used by the start-up benchmark).
    #[arg(long, hide = true)]
    pub report: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    Zh,
    En,
}

fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let (w, h) = text
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("`{text}` is not WIDTHxHEIGHT"))?;
    let parse = |s: &str| {
        s.trim()
            .parse::<u32>()
            .map_err(|_| format!("`{s}` is not a number"))
    };
    let (w, h) = (parse(w)?, parse(h)?);
    if !(320..=7680).contains(&w) || !(320..=7680).contains(&h) {
        return Err(format!("{w}x{h} is outside 320..7680"));
    }
    Ok((w, h))
}

/// All screen names `--screen` accepts.
pub fn screen_names() -> Vec<&'static str> {
    Screen::ALL
        .iter()
        .map(|s| s.name())
        .chain(EXTRA_SCREENS)
        .chain(CONSULT_SCENES)
        .chain(PROGRESS_SCENES)
        .chain(AVAILABILITY_SCENES)
        .chain(NOTARY_SCENES)
        .collect()
}

pub fn run(args: ScreenshotArgs) -> anyhow::Result<ExitCode> {
    if args.list {
        for name in screen_names() {
            println!("{name}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let (Some(name), Some(out)) = (args.screen.as_deref(), args.out.as_ref()) else {
        bail!("--screen and --out are required");
    };
    let config = match &args.config {
        Some(path) => KioskConfig::load(path, super::SECTION_CHECKS)?,
        None => KioskConfig::demo(std::env::temp_dir()),
    };
    let scene = Scene {
        screen: name,
        language: match args.lang {
            LangArg::Zh => Language::Zh,
            LangArg::En => Language::En,
        },
        size: args.size,
        large_text: args.large_text,
        high_contrast: args.high_contrast,
        demo_banner: args.demo_banner,
    };
    let headless = Headless::install()?;
    headless.set_size(args.size.0, args.size.1);
    let app = stage(config, &scene)?;
    app.window().show()?;
    let frame = headless.render();
    if args.report {
        println!("first-frame");
        std::io::stdout().flush()?;
    }
    save_png(&frame, out).with_context(|| format!("writing {}", out.display()))?;
    if let Some(path) = &args.elements {
        let report = layout_report::capture(app.window());
        let json = serde_json::to_string_pretty(&report)?;
        std::fs::write(path, json).with_context(|| format!("writing {}", path.display()))?;
    }
    if args.report {
        println!("peak-rss-kb: {}", peak_rss_kb().unwrap_or(0));
    }
    Ok(ExitCode::SUCCESS)
}

/// One state of the UI worth a picture: a screen, in a language, size and display mode.
pub struct Scene<'a> {
    /// One of [`screen_names`].
    pub screen: &'a str,
    pub language: Language,
    /// Window size in pixels.
    pub size: (u32, u32),
    pub large_text: bool,
    pub high_contrast: bool,
    pub demo_banner: bool,
}

/// Starts the UI and brings it into `scene`'s state, ready to `show()`. The Slint
/// platform must be installed; the window is given the scene's size here.
pub fn stage(mut config: KioskConfig, scene: &Scene) -> anyhow::Result<KioskApp> {
    let name = scene.screen;
    if !screen_names().contains(&name) {
        bail!(
            "unknown screen `{name}`; one of: {}",
            screen_names().join(", ")
        );
    }
    config.kiosk.language = scene.language;
    // Elderly and high-contrast modes wait longer before asking: at most this long.
    let idle_patience = config.idle.warn_after_s * config.idle.elderly_factor.max(1);
    let (width, height) = scene.size;
    let app = KioskApp::new(
        config,
        UiOptions {
            demo_banner: scene.demo_banner,
            landscape: width > height,
            clock: Clock::Fixed(screenshot_time()),
            fleet: None,
            devices: None,
            store: None,
            case_system: None,
        },
    )?;
    app.window()
        .window()
        .set_size(slint::PhysicalSize::new(width, height));
    if scene.large_text {
        app.dispatch(Command::SetLargeText(true));
    }
    if scene.high_contrast {
        app.dispatch(Command::SetHighContrast(true));
    }
    let staged = app.stage_consult(name) || app.stage_notary(name);
    let staged = staged || app.stage_progress(name);
    let staged = staged || app.stage_availability(name);
    let staged = staged || app.stage_staff(name);
    match name {
        _ if staged => {}
        "idle-warning" => {
            app.dispatch(Command::Open(Screen::Notary));
            let kiosk = app.window().global::<Kiosk>();
            for _ in 0..idle_patience {
                if kiosk.get_idle_warning() {
                    break;
                }
                app.dispatch(Command::Tick(Duration::from_secs(1)));
            }
        }
        other => {
            let screen = Screen::from_name(other).context("screen name checked above")?;
            app.dispatch(Command::Open(screen));
        }
    }
    Ok(app)
}

/// The moment every screenshot shows, so golden images do not change with the clock.
fn screenshot_time() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 22)
        .and_then(|d| d.and_hms_opt(9, 30, 0))
        .unwrap_or_default()
}

/// Peak resident set size of this process (VmHWM), in KiB.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
