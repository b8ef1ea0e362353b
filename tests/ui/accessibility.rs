//! Accessibility: the header's high-contrast, voice and volume controls on every screen, and
//! voice guidance heard through the recording speaker simulator.

use super::{find, label, tap, wait, BACKEND};
use legal_kiosk::adapter::{Clock, KioskApp, UiOptions};
use legal_kiosk::config::{DevicesSection, KioskConfig};
use legal_kiosk::core::{Command, Screen};
use legal_kiosk::domain::Language;
use legal_kiosk::hal::manager::{DeviceMonitor, Devices};
use legal_kiosk::hal::speaker::{SimulatedSpeaker, Speaker, Utterance};
use legal_kiosk::ui::Theme;
use slint::ComponentHandle;
use std::sync::Arc;
use std::time::Duration;

/// Every accessibility control the header carries.
const CONTROLS: [&str; 7] = [
    "toggle-language",
    "toggle-large-text",
    "toggle-high-contrast",
    "toggle-voice",
    "volume-down",
    "volume-level",
    "volume-up",
];

/// The kiosk with a recording speaker as its only device.
fn start_speaking() -> (KioskApp, Arc<SimulatedSpeaker>) {
    BACKEND.with(|_| ());
    let speaker = Arc::new(SimulatedSpeaker::new());
    let mut devices = Devices::open(&DevicesSection::default());
    devices.speaker = Some(speaker.clone() as Arc<dyn Speaker>);
    let config = KioskConfig::demo(std::env::temp_dir().join("legal-kiosk-ui-test"));
    let app = KioskApp::new(
        config,
        UiOptions {
            demo_banner: false,
            landscape: false,
            clock: Clock::System,
            store: None,
            fleet: None,
            devices: Some(DeviceMonitor::start(devices, Duration::from_secs(60))),
            case_system: None,
        },
    )
    .expect("the UI starts");
    app.window()
        .window()
        .set_size(slint::PhysicalSize::new(1080, 1920));
    app.window().show().unwrap();
    (app, speaker)
}

/// Taps `id` and waits until the speech worker has passed on what the tap asked for.
fn tap_and_listen(app: &KioskApp, id: &str) {
    tap(app, id);
    app.settle(Duration::from_secs(10));
}

fn heard(speaker: &SimulatedSpeaker) -> Vec<(String, Language)> {
    speaker
        .spoken()
        .into_iter()
        .map(
            |Utterance {
                 prompt_id,
                 language,
                 ..
             }| (prompt_id, language),
        )
        .collect()
}

fn said(ids: &[&str], language: Language) -> Vec<(String, Language)> {
    ids.iter().map(|id| (id.to_string(), language)).collect()
}

#[test]
fn accessibility_each_new_screen_speaks_its_prompt_in_the_session_language() {
    let (app, speaker) = start_speaking();
    app.settle(Duration::from_secs(10));
    assert!(
        heard(&speaker).is_empty(),
        "silent until someone touches it"
    );
    tap_and_listen(&app, "service-consultation");
    tap_and_listen(&app, "consult-search");
    assert_eq!(
        heard(&speaker),
        said(&["consultation_hub", "consult_search"], Language::Zh)
    );
    assert_eq!(
        speaker.spoken()[0].text,
        "请选择：查找法律条文、回答问题、法律援助预审，或预约律师回电。"
    );

    tap_and_listen(&app, "toggle-language");
    tap_and_listen(&app, "back");
    tap_and_listen(&app, "consult-search");
    tap_and_listen(&app, "home");
    assert_eq!(
        heard(&speaker)[2..],
        said(
            &[
                "language_switched",
                "consultation_hub",
                "consult_search",
                "welcome"
            ],
            Language::En
        )
    );
    assert_eq!(speaker.spoken()[2].text, "Switched to English.");
}

#[test]
fn accessibility_each_notary_step_speaks_its_prompt() {
    let (app, speaker) = start_speaking();
    tap_and_listen(&app, "service-notary");
    tap_and_listen(&app, "notary-matter-birth");
    tap_and_listen(&app, "notary-next");
    tap_and_listen(&app, "notary-jurisdiction-place:domicile");
    tap_and_listen(&app, "back");
    assert_eq!(
        heard(&speaker),
        said(
            &[
                "notary_intro",
                "notary_matter_info",
                "notary_jurisdiction",
                "consent",
                "notary_jurisdiction"
            ],
            Language::Zh
        )
    );
}

#[test]
fn accessibility_voice_off_speaks_nothing_until_turned_on_again() {
    let (app, speaker) = start_speaking();
    assert_eq!(
        find(&app, "toggle-voice").unwrap().accessible_checked(),
        Some(true)
    );
    tap_and_listen(&app, "toggle-voice");
    assert_eq!(
        find(&app, "toggle-voice").unwrap().accessible_checked(),
        Some(false)
    );
    tap_and_listen(&app, "service-notary");
    tap_and_listen(&app, "back");
    tap_and_listen(&app, "service-progress");
    tap_and_listen(&app, "volume-up");
    assert!(heard(&speaker).is_empty(), "{:?}", heard(&speaker));

    tap_and_listen(&app, "toggle-voice");
    assert_eq!(heard(&speaker), said(&["progress_query"], Language::Zh));
}

#[test]
fn accessibility_volume_steps_reach_the_speaker_and_stop_at_the_ends() {
    let (app, speaker) = start_speaking();
    let level = |app: &KioskApp| {
        find(app, "volume-level")
            .and_then(|e| e.accessible_value())
            .unwrap()
            .to_string()
    };
    assert_eq!(level(&app), "3");
    tap_and_listen(&app, "volume-up");
    assert_eq!(level(&app), "4");
    tap_and_listen(&app, "volume-up");
    tap_and_listen(&app, "volume-up");
    assert_eq!(level(&app), "5", "no level above the top one");
    for _ in 0..5 {
        tap_and_listen(&app, "volume-down");
    }
    assert_eq!(level(&app), "1");
    assert_eq!(label(&app, "volume-level"), "音量 1/5");
    let volumes: Vec<u8> = speaker.spoken().iter().map(|u| u.volume).collect();
    // 3 → 4 → 5 (the third tap changes nothing) → 4 → 3 → 2 → 1 (the fifth changes nothing).
    assert_eq!(volumes, [80, 100, 80, 60, 40, 20]);
    assert!(speaker
        .spoken()
        .iter()
        .all(|u| u.prompt_id == "volume_changed"));
    tap_and_listen(&app, "service-legal-aid");
    assert_eq!(
        speaker.spoken().last().unwrap().volume,
        20,
        "the level stays"
    );
}

#[test]
fn accessibility_the_end_of_a_session_restores_voice_and_volume() {
    let (app, speaker) = start_speaking();
    tap_and_listen(&app, "volume-up");
    tap_and_listen(&app, "toggle-voice");
    tap_and_listen(&app, "toggle-high-contrast");
    // High contrast gets the elderly patience: (90 + 30) s × 2.
    wait(240);
    app.settle(Duration::from_secs(10));
    assert_eq!(
        find(&app, "toggle-voice").unwrap().accessible_checked(),
        Some(true)
    );
    assert_eq!(
        find(&app, "toggle-high-contrast")
            .unwrap()
            .accessible_checked(),
        Some(false)
    );
    assert!(!app.window().global::<Theme>().get_high_contrast());
    tap_and_listen(&app, "service-notary");
    let last = speaker.spoken().pop().unwrap();
    assert_eq!((last.prompt_id.as_str(), last.volume), ("notary_intro", 60));
}

#[test]
fn accessibility_high_contrast_switches_the_whole_palette() {
    let (app, _speaker) = start_speaking();
    let theme = app.window().global::<Theme>();
    let normal = (
        theme.get_background(),
        theme.get_text(),
        theme.get_primary(),
    );
    tap(&app, "toggle-high-contrast");
    assert_eq!(
        find(&app, "toggle-high-contrast")
            .unwrap()
            .accessible_checked(),
        Some(true)
    );
    assert!(theme.get_high_contrast());
    assert_eq!(theme.get_background(), slint::Color::from_rgb_u8(0, 0, 0));
    assert_eq!(theme.get_text(), slint::Color::from_rgb_u8(255, 255, 255));
    assert_eq!(theme.get_on_primary(), slint::Color::from_rgb_u8(0, 0, 0));
    assert_ne!(
        (
            theme.get_background(),
            theme.get_text(),
            theme.get_primary()
        ),
        normal
    );
    tap(&app, "service-consultation");
    assert!(theme.get_high_contrast(), "kept from screen to screen");
    tap(&app, "home");
    tap(&app, "toggle-high-contrast");
    assert_eq!(
        (
            theme.get_background(),
            theme.get_text(),
            theme.get_primary()
        ),
        normal
    );
}

/// Each control is on screen, at least the theme's touch size (96 px) each way, and a real
/// click at its centre works.
fn assert_controls_reachable(app: &KioskApp, screen: &str) {
    for id in CONTROLS {
        let element = find(app, id).unwrap_or_else(|| panic!("{screen}: no `{id}`"));
        let size = element.size();
        let position = element.absolute_position();
        assert!(size.height >= 96.0, "{screen}: `{id}` is {size:?}");
        if id != "volume-level" {
            assert!(size.width >= 96.0, "{screen}: `{id}` is {size:?}");
        }
        assert!(
            position.x >= 0.0
                && position.y >= 0.0
                && position.x + size.width <= 1080.0
                && position.y + size.height <= 1920.0,
            "{screen}: `{id}` at {position:?} {size:?} is off screen"
        );
    }
    let contrast = || {
        find(app, "toggle-high-contrast")
            .and_then(|e| e.accessible_checked())
            .unwrap()
    };
    let before = contrast();
    find(app, "toggle-high-contrast")
        .unwrap()
        .mock_single_click(slint::platform::PointerEventButton::Left);
    assert_ne!(
        contrast(),
        before,
        "{screen}: a click does not reach the toggle"
    );
}

#[test]
fn accessibility_controls_are_reachable_on_every_screen() {
    let (app, _speaker) = start_speaking();
    for screen in Screen::ALL {
        app.dispatch(Command::Open(screen));
        assert_controls_reachable(&app, screen.name());
        app.dispatch(Command::Home);
    }
    app.dispatch(Command::SetLargeText(true));
    for screen in Screen::ALL {
        app.dispatch(Command::Open(screen));
        assert_controls_reachable(&app, &format!("{} (large text)", screen.name()));
        app.dispatch(Command::Home);
    }
}

#[test]
fn accessibility_controls_stay_reachable_while_the_keyboard_is_docked() {
    let (app, _speaker) = start_speaking();
    tap(&app, "service-consultation");
    tap(&app, "consult-search");
    assert!(find(&app, "key-q").is_some(), "the keyboard is up");
    assert_controls_reachable(&app, "search with keyboard");
    tap(&app, "volume-up");
    assert!(
        find(&app, "key-q").is_some(),
        "the controls do not take the focus"
    );
}

/// WCAG contrast ratio of two opaque colours.
fn contrast_ratio(a: slint::Color, b: slint::Color) -> f64 {
    let luminance = |c: slint::Color| {
        let channel = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())
    };
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[test]
fn accessibility_high_contrast_text_meets_wcag_aaa() {
    let (app, _speaker) = start_speaking();
    tap(&app, "toggle-high-contrast");
    let t = app.window().global::<Theme>();
    let on_page = [
        ("text", t.get_text()),
        ("text-muted", t.get_text_muted()),
        ("placeholder", t.get_placeholder()),
        ("primary", t.get_primary()),
        ("danger", t.get_danger()),
        ("success", t.get_success()),
        ("notary", t.get_notary()),
        ("consultation", t.get_consultation()),
        ("progress", t.get_progress()),
        ("legal-aid", t.get_legal_aid()),
    ];
    let mut pairs: Vec<(String, slint::Color, slint::Color)> = Vec::new();
    for (name, colour) in on_page {
        pairs.push((format!("{name} on background"), colour, t.get_background()));
        pairs.push((format!("{name} on surface"), colour, t.get_surface()));
        pairs.push((
            format!("{name} on tinted surface"),
            colour,
            t.get_surface_tinted(),
        ));
    }
    for (name, accent) in [
        ("primary", t.get_primary()),
        ("primary-pressed", t.get_primary_pressed()),
        ("success", t.get_success()),
        ("danger", t.get_danger()),
        ("notary", t.get_notary()),
        ("consultation", t.get_consultation()),
        ("progress", t.get_progress()),
        ("legal-aid", t.get_legal_aid()),
    ] {
        pairs.push((format!("on-accent on {name}"), t.get_on_accent(), accent));
    }
    pairs.push((
        "on-primary on primary".into(),
        t.get_on_primary(),
        t.get_primary(),
    ));
    pairs.push(("text on pressed".into(), t.get_text(), t.get_pressed()));
    pairs.push(("header text".into(), t.get_header_text(), t.get_header()));
    pairs.push(("header muted".into(), t.get_header_muted(), t.get_header()));
    pairs.push((
        "switched-on header control".into(),
        t.get_on_header_control_on(),
        t.get_header_control_on(),
    ));
    pairs.push(("demo banner".into(), t.get_on_demo(), t.get_demo()));
    for (name, panel) in [
        ("notice", t.get_notice()),
        ("problem", t.get_problem()),
        ("success panel", t.get_success_panel()),
    ] {
        pairs.push((format!("text on {name}"), t.get_text(), panel));
        pairs.push((format!("muted text on {name}"), t.get_text_muted(), panel));
    }
    pairs.push(("card reader".into(), t.get_on_reader(), t.get_reader()));
    pairs.push(("ID card".into(), t.get_notary(), t.get_card()));
    for (what, foreground, background) in pairs {
        let ratio = contrast_ratio(foreground, background);
        assert!(ratio >= 7.0, "{what}: {ratio:.1}:1 is below 7:1");
    }
}

/// Every colour a screen shows comes from `Theme`, so the high-contrast palette reaches it:
/// a colour literal anywhere else in the markup is a colour high contrast cannot change.
#[test]
fn colours_come_only_from_the_theme() {
    let ui = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
    let mut found = Vec::new();
    let mut stack = vec![ui.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "slint")
                && !path.ends_with("theme.slint")
            {
                let text = std::fs::read_to_string(&path).unwrap();
                for (number, line) in text.lines().enumerate() {
                    let code = line.split("//").next().unwrap_or("");
                    if let Some(literal) = colour_literal(code) {
                        found.push(format!("{}:{}: {literal}", path.display(), number + 1));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "colour literals outside ui/theme.slint:\n{}",
        found.join("\n")
    );
}

/// A `#rgb`-style hex colour or a named colour in one line of markup (strings excluded).
fn colour_literal(code: &str) -> Option<String> {
    let mut outside_strings = String::new();
    let mut in_string = false;
    for c in code.chars() {
        if c == '"' {
            in_string = !in_string;
        } else if !in_string {
            outside_strings.push(c);
        }
    }
    let words =
        outside_strings.split(|c: char| !(c.is_ascii_alphanumeric() || c == '#' || c == '-'));
    for word in words {
        let hex = word.strip_prefix('#').is_some_and(|h| {
            [3, 4, 6, 8].contains(&h.len()) && h.chars().all(|c| c.is_ascii_hexdigit())
        });
        let named = [
            "white", "black", "red", "green", "blue", "yellow", "gray", "grey",
        ]
        .contains(&word);
        if hex || named {
            return Some(word.to_string());
        }
    }
    None
}

#[test]
fn the_colour_lint_finds_literals() {
    assert_eq!(
        colour_literal("background: #fdf6e3;").as_deref(),
        Some("#fdf6e3")
    );
    assert_eq!(colour_literal("color: white;").as_deref(), Some("white"));
    assert_eq!(colour_literal("color: Theme.text;"), None);
    assert_eq!(colour_literal("text: \"white #1\";"), None);
    assert_eq!(colour_literal("accessible-id: \"key-blue\";"), None);
}
