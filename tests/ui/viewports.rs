//! Tap-only journeys on real panel sizes: portrait 1080x1920, landscape 1920x1080 and
//! 1366x768, and large text. Each is done as a finger does it: an element is touched only where it is drawn,
//! inside the window and not under a scroll cue, and what lies below the fold is brought up
//! by tapping the cue, as a citizen who does not know about swiping would. Nothing is
//! invoked through accessibility actions or callbacks.

use super::{find, finger, label, start_with, BACKEND};
use i_slint_backend_testing::{ElementHandle, ElementQuery};
use legal_kiosk::adapter::KioskApp;
use legal_kiosk::domain::SubmissionKind;
use legal_kiosk::store::Store;
use slint::ComponentHandle;
use std::sync::Arc;
use std::time::Duration;

struct Viewport {
    name: &'static str,
    width: f32,
    height: f32,
    landscape: bool,
    large_text: bool,
}

const VIEWPORTS: [Viewport; 4] = [
    Viewport {
        name: "1080x1920 portrait",
        width: 1080.0,
        height: 1920.0,
        landscape: false,
        large_text: false,
    },
    Viewport {
        name: "1920x1080 landscape",
        width: 1920.0,
        height: 1080.0,
        landscape: true,
        large_text: false,
    },
    Viewport {
        name: "1366x768 landscape",
        width: 1366.0,
        height: 768.0,
        landscape: true,
        large_text: false,
    },
    Viewport {
        name: "1080x1920 large text",
        width: 1080.0,
        height: 1920.0,
        landscape: false,
        large_text: true,
    },
];

/// The kiosk on `viewport`, large text switched on with a finger where asked.
fn start_on(viewport: &Viewport, store: Option<Arc<Store>>) -> KioskApp {
    BACKEND.with(|_| ());
    let app = start_with(store);
    app.window()
        .global::<legal_kiosk::ui::Kiosk>()
        .set_landscape(viewport.landscape);
    app.window()
        .window()
        .set_size(slint::LogicalSize::new(viewport.width, viewport.height));
    if viewport.large_text {
        finger(&app, "toggle-large-text");
    }
    app
}

fn all(app: &KioskApp, id: &str) -> Vec<ElementHandle> {
    let id = id.to_string();
    ElementQuery::from_root(app.window())
        .match_descendants()
        .match_predicate(move |e| e.accessible_id().as_deref() == Some(id.as_str()))
        .find_all()
}

fn centre(element: &ElementHandle) -> (f32, f32) {
    let (at, size) = (element.absolute_position(), element.size());
    (at.x + size.width / 2.0, at.y + size.height / 2.0)
}

fn inside(element: &ElementHandle, (x, y): (f32, f32)) -> bool {
    let (at, size) = (element.absolute_position(), element.size());
    (at.x..at.x + size.width).contains(&x) && (at.y..at.y + size.height).contains(&y)
}

/// Whether a finger can touch `id`: drawn (a scroll area does not report what it clips
/// away), its centre in the window and not under a scroll cue.
fn touchable(app: &KioskApp, id: &str) -> bool {
    let Some(element) = find(app, id) else {
        return false;
    };
    let point = centre(&element);
    let window = app.window().window();
    let size = window.size().to_logical(window.scale_factor());
    (0.0..size.width).contains(&point.0)
        && (0.0..size.height).contains(&point.1)
        && !all(app, "scroll-cue").iter().any(|cue| inside(cue, point))
}

/// The keyboard's key that ends typing and closes it.
const DONE_TYPING: &str = "key-确定";

/// Brings `id` where a finger can touch it by tapping the scroll cues in turn (each tap
/// scrolls a page, and from the end back to the top), closing the keyboard first where it
/// leaves no room, then touches it.
fn press(app: &KioskApp, viewport: &Viewport, id: &str) {
    for attempt in 0..24 {
        if touchable(app, id) {
            finger(app, id);
            return;
        }
        let cues = all(app, "scroll-cue");
        if cues.is_empty() && touchable(app, DONE_TYPING) {
            // Typing squeezed the page: finish typing, as a citizen would, to see it again.
            finger(app, DONE_TYPING);
            continue;
        }
        assert!(
            !cues.is_empty(),
            "{}: `{id}` is out of reach and nothing says more follows",
            viewport.name
        );
        finger_at(app, &cues[attempt % cues.len()]);
    }
    panic!("{}: `{id}` never came into reach", viewport.name);
}

/// Reads `id` once a finger could reach it.
fn read(app: &KioskApp, viewport: &Viewport, id: &str) -> String {
    for attempt in 0..24 {
        if touchable(app, id) {
            return label(app, id);
        }
        let cues = all(app, "scroll-cue");
        assert!(!cues.is_empty(), "{}: `{id}` is not shown", viewport.name);
        finger_at(app, &cues[attempt % cues.len()]);
    }
    panic!("{}: `{id}` never came into view", viewport.name);
}

fn finger_at(app: &KioskApp, element: &ElementHandle) {
    use slint::platform::{PointerEventButton, WindowEvent};
    let (x, y) = centre(element);
    let (position, button) = (slint::LogicalPosition::new(x, y), PointerEventButton::Left);
    let window = app.window().window();
    window.dispatch_event(WindowEvent::PointerPressed { position, button });
    i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(80));
    window.dispatch_event(WindowEvent::PointerReleased { position, button });
    window.dispatch_event(WindowEvent::PointerExited);
    i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(80));
}

/// Types on the on-screen keyboard with a finger, key by key.
fn keys(app: &KioskApp, viewport: &Viewport, text: &str) {
    for key in text.chars() {
        press(app, viewport, &format!("key-{key}"));
    }
}

#[test]
fn a_call_back_request_is_made_with_a_finger_on_every_panel() {
    for viewport in &VIEWPORTS {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(dir.path()).unwrap());
        let app = start_on(viewport, Some(store.clone()));
        press(&app, viewport, "service-consultation");
        press(&app, viewport, "consult-request");
        assert_eq!(label(&app, "page-title"), "预约回电", "{}", viewport.name);
        press(&app, viewport, "category-0");
        press(&app, viewport, "request-description");
        keys(&app, viewport, "gongzi");
        press(&app, viewport, "ime-candidate-0");
        press(&app, viewport, "request-phone");
        keys(&app, viewport, "13800138000");
        press(&app, viewport, "request-consent");
        press(&app, viewport, "request-submit");
        app.settle(Duration::from_secs(30));
        let number = read(&app, viewport, "receipt-number");
        assert!(number.starts_with("ZX-"), "{}: {number}", viewport.name);
        let stored = store.outbox_entries(true).unwrap();
        assert_eq!(stored.len(), 1, "{}", viewport.name);
        assert_eq!(stored[0].kind, SubmissionKind::Consultation);
        assert_eq!(stored[0].receipt_number, number);
        press(&app, viewport, "receipt-finish");
        assert!(find(&app, "home-heading").is_some(), "{}", viewport.name);
    }
}

#[test]
fn the_legal_aid_pre_check_is_done_with_a_finger_on_every_panel() {
    for viewport in &VIEWPORTS {
        let app = start_on(viewport, None);
        press(&app, viewport, "service-legal-aid");
        assert_eq!(label(&app, "page-title"), "法律援助", "{}", viewport.name);
        // No close deadline; another dispute; none of the no-means-test grounds; wages;
        // receives social assistance.
        for answer in [1, 3, 4, 4, 1] {
            press(&app, viewport, &format!("aid-answer-{answer}"));
        }
        assert_eq!(
            read(&app, viewport, "aid-verdict"),
            "您很可能符合法律援助条件",
            "{}",
            viewport.name
        );
        assert_eq!(
            read(&app, viewport, "aid-cite-0"),
            "法律援助法 第三十一条",
            "{}",
            viewport.name
        );
        press(&app, viewport, "back");
        assert!(find(&app, "aid-verdict").is_none(), "{}", viewport.name);
    }
}
