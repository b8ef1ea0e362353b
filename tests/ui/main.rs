//! Headless UI tests: the real `.slint` UI bound to the real adapter and core, driven through
//! Slint's testing backend with mocked time. Elements are found by `accessible-id`, so the
//! tests do not depend on the language shown.

use i_slint_backend_testing::ElementHandle;
use legal_kiosk::adapter::{Clock, KioskApp, UiOptions};
use legal_kiosk::config::KioskConfig;
use slint::ComponentHandle;
use std::sync::Arc;
use std::time::Duration;

mod accessibility;
mod availability;
mod consult;
mod notary;
mod progress;
mod staff;
mod viewports;

thread_local! {
    static BACKEND: () = i_slint_backend_testing::init_no_event_loop();
}

fn start(demo_banner: bool) -> KioskApp {
    start_app(demo_banner, None)
}

fn start_with(store: Option<Arc<legal_kiosk::store::Store>>) -> KioskApp {
    start_app(false, store)
}

fn start_app(demo_banner: bool, store: Option<Arc<legal_kiosk::store::Store>>) -> KioskApp {
    // One testing backend per test thread.
    BACKEND.with(|_| ());
    let config = KioskConfig::demo(std::env::temp_dir().join("legal-kiosk-ui-test"));
    let app = KioskApp::new(
        config,
        UiOptions {
            demo_banner,
            landscape: false,
            clock: Clock::System,
            fleet: None,
            devices: None,
            store,
            case_system: None,
        },
    )
    .expect("the UI starts");
    app.window().show().unwrap();
    app
}

/// The UI with the devices of `monitor`, and no store.
fn start_with_devices(monitor: legal_kiosk::hal::manager::DeviceMonitor) -> KioskApp {
    BACKEND.with(|_| ());
    let config = KioskConfig::demo(std::env::temp_dir().join("legal-kiosk-ui-test"));
    let options = UiOptions {
        demo_banner: false,
        landscape: false,
        clock: Clock::System,
        fleet: None,
        devices: Some(monitor),
        store: None,
        case_system: None,
    };
    let app = KioskApp::new(config, options).expect("the UI starts");
    app.window().show().unwrap();
    app
}

fn find(app: &KioskApp, id: &str) -> Option<ElementHandle> {
    let id = id.to_string();
    i_slint_backend_testing::ElementQuery::from_root(app.window())
        .match_descendants()
        .match_predicate(move |e| e.accessible_id().as_deref() == Some(id.as_str()))
        .find_first()
}

fn tap(app: &KioskApp, id: &str) {
    find(app, id)
        .unwrap_or_else(|| panic!("no element `{id}` on screen"))
        .invoke_accessible_default_action();
}

/// Taps `id` as a finger does: a press and a release at the centre of the element as it is
/// laid out, which must lie inside the window. Whatever is drawn there gets the tap, so an
/// element scrolled out of view or covered by a bar does not receive it.
fn finger(app: &KioskApp, id: &str) {
    use slint::platform::{PointerEventButton, WindowEvent};
    let element = find(app, id).unwrap_or_else(|| panic!("no element `{id}` on screen"));
    let (at, size) = (element.absolute_position(), element.size());
    let centre = slint::LogicalPosition::new(at.x + size.width / 2.0, at.y + size.height / 2.0);
    let window = app.window().window();
    let size = window.size().to_logical(window.scale_factor());
    assert!(
        (0.0..size.width).contains(&centre.x) && (0.0..size.height).contains(&centre.y),
        "`{id}` is outside the {}x{} window, at {centre:?}",
        size.width,
        size.height
    );
    let button = PointerEventButton::Left;
    window.dispatch_event(WindowEvent::PointerPressed {
        position: centre,
        button,
    });
    i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(80));
    window.dispatch_event(WindowEvent::PointerReleased {
        position: centre,
        button,
    });
    window.dispatch_event(WindowEvent::PointerExited);
    i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(80));
}

/// Draws with a finger across `id`: a press at the first point, moves through the rest, a
/// release at the last; points are fractions of the element's width and height, and every
/// point must lie inside the window.
fn stroke(app: &KioskApp, id: &str, points: &[(f32, f32)]) {
    use slint::platform::{PointerEventButton, WindowEvent};
    let element = find(app, id).unwrap_or_else(|| panic!("no element `{id}` on screen"));
    let (at, size) = (element.absolute_position(), element.size());
    let window = app.window().window();
    let window_size = window.size().to_logical(window.scale_factor());
    let position = |(fx, fy): (f32, f32)| {
        let p = slint::LogicalPosition::new(at.x + size.width * fx, at.y + size.height * fy);
        assert!(
            (0.0..window_size.width).contains(&p.x) && (0.0..window_size.height).contains(&p.y),
            "`{id}` is outside the window at {p:?}"
        );
        p
    };
    let (first, last) = (points[0], points[points.len() - 1]);
    let button = PointerEventButton::Left;
    window.dispatch_event(WindowEvent::PointerPressed {
        position: position(first),
        button,
    });
    for point in points {
        i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(16));
        window.dispatch_event(WindowEvent::PointerMoved {
            position: position(*point),
        });
    }
    window.dispatch_event(WindowEvent::PointerReleased {
        position: position(last),
        button,
    });
    window.dispatch_event(WindowEvent::PointerExited);
    i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(80));
}

fn label(app: &KioskApp, id: &str) -> String {
    find(app, id)
        .and_then(|e| e.accessible_label())
        .unwrap_or_else(|| panic!("no label on `{id}`"))
        .to_string()
}

/// Taps letter keys on the on-screen keyboard.
fn type_keys(app: &KioskApp, keys: &str) {
    for key in keys.chars() {
        tap(app, &format!("key-{key}"));
    }
}

/// Types pinyin and taps the candidate that reads `hanzi`, paging if needed.
fn type_pinyin(app: &KioskApp, pinyin: &str, hanzi: &str) {
    type_keys(app, pinyin);
    for _page in 0..5 {
        for position in 0..6 {
            let id = format!("ime-candidate-{position}");
            if find(app, &id).and_then(|e| e.accessible_label()).as_deref() == Some(hanzi) {
                tap(app, &id);
                return;
            }
        }
        tap(app, "ime-next-page");
    }
    panic!("no candidate {hanzi} for {pinyin}");
}

fn wait(seconds: u64) {
    for _ in 0..seconds {
        i_slint_backend_testing::mock_elapsed_time(Duration::from_secs(1));
    }
}

#[test]
fn home_to_a_service_and_back() {
    let app = start(false);
    assert_eq!(label(&app, "home-heading"), "您好，请选择需要办理的业务");
    assert!(
        find(&app, "back").is_none(),
        "no back button on the home screen"
    );

    tap(&app, "service-notary");
    assert_eq!(label(&app, "page-title"), "公证申请");
    assert!(find(&app, "home-heading").is_none());
    tap(&app, "back");
    assert!(find(&app, "home-heading").is_some());

    tap(&app, "service-legal-aid");
    assert_eq!(label(&app, "page-title"), "法律援助");
    tap(&app, "home");
    assert!(find(&app, "home-heading").is_some());
}

#[test]
fn every_service_tile_opens_its_page() {
    let app = start(false);
    for (tile, title) in [
        ("service-notary", "公证申请"),
        ("service-consultation", "法律咨询"),
        ("service-progress", "进度查询"),
        ("service-legal-aid", "法律援助"),
    ] {
        tap(&app, tile);
        assert_eq!(label(&app, "page-title"), title);
        tap(&app, "back");
    }
}

#[test]
fn language_switches_at_any_time_and_back() {
    let app = start(false);
    tap(&app, "service-consultation");
    assert_eq!(label(&app, "toggle-language"), "English");
    tap(&app, "toggle-language");
    assert_eq!(label(&app, "page-title"), "Legal consultation");
    assert_eq!(label(&app, "toggle-language"), "中文");
    tap(&app, "back");
    assert_eq!(
        label(&app, "home-heading"),
        "Welcome. Please choose a service."
    );
    tap(&app, "toggle-language");
    assert_eq!(label(&app, "home-heading"), "您好，请选择需要办理的业务");
}

#[test]
fn idle_timeout_asks_then_wipes_the_session() {
    let app = start(false);
    tap(&app, "toggle-language");
    tap(&app, "service-progress");
    wait(89);
    assert!(
        find(&app, "idle-continue").is_none(),
        "no prompt before 90 s"
    );
    wait(1);
    assert_eq!(label(&app, "idle-seconds"), "30");
    wait(10);
    assert_eq!(label(&app, "idle-seconds"), "20");
    wait(20);
    assert!(
        find(&app, "idle-continue").is_none(),
        "prompt gone after the wipe"
    );
    assert_eq!(
        label(&app, "home-heading"),
        "您好，请选择需要办理的业务",
        "back home, in the default language"
    );
}

#[test]
fn continue_keeps_the_session() {
    let app = start(false);
    tap(&app, "service-notary");
    wait(95);
    tap(&app, "idle-continue");
    assert!(find(&app, "idle-continue").is_none());
    assert_eq!(label(&app, "page-title"), "公证申请");
    wait(89);
    assert!(
        find(&app, "idle-continue").is_none(),
        "the quiet period restarted"
    );
}

#[test]
fn end_now_wipes_at_once() {
    let app = start(false);
    tap(&app, "service-notary");
    wait(90);
    tap(&app, "idle-end");
    assert!(find(&app, "home-heading").is_some());
}

#[test]
fn large_text_scales_and_lengthens_patience() {
    let app = start(false);
    let normal = find(&app, "home-heading").unwrap().size().height;
    tap(&app, "toggle-large-text");
    assert_eq!(
        find(&app, "toggle-large-text")
            .unwrap()
            .accessible_checked(),
        Some(true)
    );
    let large = find(&app, "home-heading").unwrap().size().height;
    assert!(large > normal * 1.2, "heading {normal} → {large}");
    wait(120);
    assert!(
        find(&app, "idle-continue").is_none(),
        "elderly mode waits longer"
    );
    wait(60);
    assert!(find(&app, "idle-continue").is_some());
}

#[test]
fn demo_banner_shows_only_with_simulators() {
    let app = start(true);
    assert!(find(&app, "demo-banner").is_some());
    drop(app);
    let app = start(false);
    assert!(find(&app, "demo-banner").is_none());
}
