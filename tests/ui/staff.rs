//! Staff maintenance mode end to end: the hidden corner gesture, a staff finger on the
//! simulated fingerprint module (real R30x protocol over a PTY) and the PIN typed on the
//! on-screen keypad; the printer self-test on the ESC/POS printer simulator; a parked outbox
//! item retried from the screen; an export to a directory standing in for the USB stick;
//! and every action found in the real store's audit table.
#![cfg(feature = "simulators")]

use super::{find, label, tap, BACKEND};
use i_slint_backend_testing::mock_elapsed_time;
use legal_kiosk::adapter::{Clock, KioskApp, UiOptions};
use legal_kiosk::codec::escpos_stream::TextEncoding;
use legal_kiosk::config::{DevicesSection, KioskConfig};
use legal_kiosk::domain::{NewSubmission, SubmissionKind};
use legal_kiosk::fleet::audit_export::{read_audit_log, AuditRow};
use legal_kiosk::fleet::pin::{PinHash, MIN_ITERATIONS};
use legal_kiosk::fleet::staff_registry::{render_registry, StaffEntrySpec};
use legal_kiosk::hal::manager::{DeviceMonitor, Devices};
use legal_kiosk::hal::printer::sim::{SimOptions, SimulatedPrinter};
use legal_kiosk::hal::printer::{EscPosPrinter, LinkTarget, PrinterProfile};
use legal_kiosk::store::{OutboxState, Store};
use slint::platform::{PointerEventButton, WindowEvent};
use slint::{ComponentHandle, LogicalPosition};
use std::sync::Arc;
use std::time::{Duration, Instant};

const PIN: &str = "482913";
/// Where the staff member's finger is enrolled on the module.
const STAFF_PAGE: u16 = 5;
/// Device and worker results arrive from other threads; allow a loaded machine.
const WORKER: Duration = Duration::from_secs(20);

struct Kiosk {
    app: KioskApp,
    store: Arc<Store>,
    printer: SimulatedPrinter,
    stick: tempfile::TempDir,
    _monitor: DeviceMonitor,
    _data: tempfile::TempDir,
}

fn start_kiosk() -> Kiosk {
    start_kiosk_on(tempfile::tempdir().unwrap())
}

/// The kiosk on `data`, which may already hold a database (a damaged one, say).
fn start_kiosk_on(data: tempfile::TempDir) -> Kiosk {
    BACKEND.with(|_| ());
    let stick = tempfile::tempdir().unwrap();
    let pin = PinHash::create(PIN, MIN_ITERATIONS).unwrap();
    let staff_file = data.path().join("staff.toml");
    let registry = render_registry(
        &[7u8; 16],
        &[StaffEntrySpec {
            id: "S07",
            card_uid: Some(b"\x04\xA2\x19\x7F\x33\x10"),
            fingerprint_ids: &[STAFF_PAGE],
            pin: &pin,
        }],
    );
    std::fs::write(&staff_file, registry).unwrap();
    let mut config = KioskConfig::demo(data.path().to_path_buf());
    config.fleet.staff_file = Some(staff_file);
    config.fleet.export_dir = Some(stick.path().to_path_buf());
    config.fleet.image_info_file = data.path().join("no-image-file");

    let store = Arc::new(Store::open(data.path()).unwrap());
    let mut devices = Devices::open(&DevicesSection::demo());
    // The printer simulator is kept here so the test can read what it printed; the kiosk
    // reaches it over TCP like a network printer.
    let printer = SimulatedPrinter::start(SimOptions {
        encoding: TextEncoding::Gb18030,
        output_dir: None,
        font: None,
    })
    .unwrap();
    devices.printer = Some(Box::new(EscPosPrinter::new(
        LinkTarget::Tcp(printer.address()),
        PrinterProfile::default(),
    )));
    // The simulator's finger is on the sensor: enrol it as the staff member's template.
    devices
        .fingerprint
        .as_mut()
        .expect("the demo fits a fingerprint module")
        .driver
        .enrol(STAFF_PAGE)
        .expect("enrolment on the simulated module");
    let monitor = DeviceMonitor::start(devices, Duration::from_millis(200));
    let app = KioskApp::new(
        config,
        UiOptions {
            demo_banner: false,
            landscape: false,
            clock: Clock::System,
            fleet: None,
            store: Some(store.clone()),
            devices: Some(monitor.clone()),
            case_system: None,
        },
    )
    .unwrap();
    app.window().show().unwrap();
    // Tall enough that the whole device list is on screen: the testing backend finds only
    // elements inside the visible part of a scrolled list.
    app.window()
        .window()
        .set_size(slint::LogicalSize::new(1080.0, 4000.0));
    Kiosk {
        app,
        store,
        printer,
        stick,
        _monitor: monitor,
        _data: data,
    }
}

/// Runs the UI's timers in step with real time until `done` holds (worker threads answer
/// in real time; mocked time moves the same amount, so idle timeouts stay far away).
fn until(app: &KioskApp, what: &str, done: impl Fn(&KioskApp) -> bool) {
    let started = Instant::now();
    while !done(app) {
        assert!(started.elapsed() < WORKER, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
        mock_elapsed_time(Duration::from_millis(50));
    }
}

fn label_of(app: &KioskApp, id: &str) -> Option<String> {
    find(app, id)
        .and_then(|e| e.accessible_label())
        .map(|l| l.to_string())
}

/// Five quick taps in the header's top-left corner.
fn corner_gesture(app: &KioskApp) {
    let window = app.window().window();
    let position = LogicalPosition::new(20.0, 20.0);
    for _ in 0..5 {
        window.dispatch_event(WindowEvent::PointerPressed {
            position,
            button: PointerEventButton::Left,
        });
        window.dispatch_event(WindowEvent::PointerReleased {
            position,
            button: PointerEventButton::Left,
        });
    }
}

fn type_pin(app: &KioskApp, pin: &str) {
    tap(app, "staff-pin");
    for digit in pin.chars() {
        tap(app, &format!("key-{digit}"));
    }
    tap(app, "staff-pin-submit");
}

/// Gesture, staff finger, then `pin`.
fn finger_and_pin(app: &KioskApp, pin: &str) {
    corner_gesture(app);
    assert_eq!(label(app, "page-title"), "工作人员维护");
    tap(app, "staff-scan-finger");
    until(app, "the PIN step", |app| find(app, "staff-pin").is_some());
    type_pin(app, pin);
}

fn log_in(app: &KioskApp) {
    finger_and_pin(app, PIN);
    until(app, "the device list", |app| {
        find(app, "staff-tab-devices").is_some()
    });
}

fn audit(kiosk: &Kiosk) -> Vec<AuditRow> {
    read_audit_log(kiosk.store.data_dir()).unwrap()
}

/// The audit rows of `action` whose JSON detail contains `needle`.
fn audited(kiosk: &Kiosk, action: &str, needle: &str) -> usize {
    audit(kiosk)
        .iter()
        .filter(|row| row.action == action && row.detail.contains(needle))
        .count()
}

#[test]
fn staff_gesture_finger_and_pin_open_staff_mode_and_home_leaves_it() {
    let kiosk = start_kiosk();
    let app = &kiosk.app;
    log_in(app);
    assert_eq!(label(app, "page-title"), "维护：设备");
    until(app, "the printer's state", |app| {
        label_of(app, "staff-state-printer").is_some()
    });
    assert!(find(app, "staff-test-fingerprint").is_some());

    tap(app, "home");
    assert!(find(app, "home-heading").is_some());
    assert_eq!(audited(&kiosk, "staff-gesture-detected", ""), 1);
    assert_eq!(audited(&kiosk, "staff-login", "\"phase\":\"init\""), 1);
    assert_eq!(
        audited(&kiosk, "staff-login", "\"outcome\":\"success\""),
        1,
        "one successful login"
    );
    assert!(audit(&kiosk)
        .iter()
        .any(|row| row.action == "staff-login" && row.actor.starts_with("staff:")));
    assert_eq!(audited(&kiosk, "staff-logout", "staff-request"), 1);
    assert!(kiosk.store.verify_audit().unwrap().intact);
}

#[test]
fn a_wrong_pin_locks_staff_login_out() {
    let kiosk = start_kiosk();
    let app = &kiosk.app;
    finger_and_pin(app, "000000");
    until(app, "the wrong-PIN message", |app| {
        label_of(app, "staff-login-message").as_deref() == Some("wrong-pin")
    });
    assert!(
        find(app, "staff-tab-devices").is_none(),
        "staff mode stays closed"
    );
    // Straight away again: locked, the reader is not even asked.
    tap(app, "staff-scan-finger");
    assert_eq!(label(app, "staff-login-message"), "locked");
    assert_eq!(
        audited(&kiosk, "staff-login", "\"outcome-reason\":\"wrong-pin\""),
        1
    );
    assert_eq!(audited(&kiosk, "staff-lockout", "\"count\":1"), 1);
}

#[test]
fn staff_mode_is_refused_while_a_citizen_session_holds_data() {
    let kiosk = start_kiosk();
    let app = &kiosk.app;
    tap(app, "service-notary");
    corner_gesture(app);
    assert_eq!(
        label(app, "page-title"),
        "公证申请",
        "the citizen's screen stays"
    );
    assert!(find(app, "staff-scan-finger").is_none());
    assert_eq!(
        audited(&kiosk, "staff-mode-refused", "citizen-session-active"),
        1
    );
}

#[test]
fn the_printer_self_test_prints_and_counts_paper() {
    let kiosk = start_kiosk();
    let app = &kiosk.app;
    log_in(app);
    until(app, "the printer's test button", |app| {
        find(app, "staff-test-printer").is_some()
    });
    tap(app, "staff-test-printer");
    until(app, "the printer's test result", |app| {
        label_of(app, "staff-result-printer").is_some()
    });
    let result = label(app, "staff-result-printer");
    assert!(result.starts_with("passed"), "{result}");
    let receipts = kiosk.printer.wait_for_receipts(1, WORKER);
    assert_eq!(receipts.len(), 1);
    let printed = receipts[0].text();
    assert!(printed.contains("打印测试"), "{printed}");
    assert_eq!(label(app, "staff-paper-count"), "1");

    tap(app, "staff-paper-reset");
    assert_eq!(label(app, "staff-paper-count"), "0");
    assert_eq!(
        audited(&kiosk, "device-self-test", "\"device-kind\":\"printer\""),
        2,
        "init and complete"
    );
    assert_eq!(audited(&kiosk, "printer-paper-reset", "\"count\":1"), 1);
}

#[test]
fn a_parked_item_is_retried_from_the_outbox_screen() {
    let kiosk = start_kiosk();
    let app = &kiosk.app;
    let receipt = kiosk
        .store
        .commit_submission(NewSubmission {
            kind: SubmissionKind::Consultation,
            payload: serde_json::json!({ "category": "labour" }),
            attachments: Vec::new(),
            progress_index: None,
        })
        .unwrap();
    let entry = kiosk.store.outbox_entries(false).unwrap().remove(0);
    kiosk
        .store
        .park(entry.id, "422 category not accepted")
        .unwrap();
    log_in(app);
    tap(app, "staff-tab-outbox");
    assert_eq!(label(app, "staff-outbox-parked"), "1");
    assert_eq!(
        label(app, "staff-outbox-reason-0"),
        "422 category not accepted"
    );

    tap(app, "staff-retry-0");
    until(app, "the retried item", |app| {
        label_of(app, "staff-outbox-parked").as_deref() == Some("0")
    });
    let entry = kiosk.store.outbox_entries(false).unwrap().remove(0);
    assert_eq!(entry.receipt_number, receipt.number);
    assert_eq!(entry.state, OutboxState::Pending);
    assert!(audit(&kiosk)
        .iter()
        .any(|row| row.action == "outbox.retry" && row.actor.starts_with("staff:")));
    assert_eq!(
        audited(&kiosk, "parked-items-retry", "\"outcome\":\"success\""),
        1
    );
}

#[test]
fn a_database_moved_aside_at_start_is_shown_on_the_outbox_screen() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(
        data.path().join(legal_kiosk::store::DB_FILE),
        b"what a failing SD card returns".repeat(200),
    )
    .unwrap();
    let kiosk = start_kiosk_on(data);
    let app = &kiosk.app;
    log_in(app);
    tap(app, "staff-tab-outbox");
    let alert = label(app, "staff-store-alert");
    assert!(alert.contains("moved aside"), "{alert}");
    assert!(alert.contains("salvaged"), "{alert}");
}

#[test]
fn export_writes_the_audit_log_to_the_stick() {
    let kiosk = start_kiosk();
    let app = &kiosk.app;
    log_in(app);
    tap(app, "staff-tab-system");
    assert_eq!(label(app, "staff-image-version"), "unknown");
    assert_eq!(label(app, "staff-app-version"), env!("CARGO_PKG_VERSION"));
    tap(app, "staff-export");
    until(app, "the export", |app| {
        label_of(app, "staff-action").is_some_and(|l| l.contains("legal-kiosk-"))
    });
    let bundle = std::fs::read_dir(kiosk.stick.path())
        .unwrap()
        .next()
        .expect("an export directory")
        .unwrap()
        .path();
    let exported = std::fs::read_to_string(bundle.join("audit.jsonl")).unwrap();
    assert!(exported.contains("\"action\":\"staff-login\""));
    assert!(exported
        .lines()
        .all(|line| serde_json::from_str::<serde_json::Value>(line).is_ok()));
    assert!(std::fs::read_to_string(bundle.join("audit-verify.json"))
        .unwrap()
        .contains("\"intact\": true"));
    assert_eq!(
        audited(&kiosk, "audit-export", "\"outcome\":\"success\""),
        1
    );
}

#[test]
fn restart_and_idle_timeout_are_audited() {
    let kiosk = start_kiosk();
    let app = &kiosk.app;
    log_in(app);
    tap(app, "staff-tab-system");
    tap(app, "staff-restart");
    assert!(app.restart_requested());
    assert_eq!(audited(&kiosk, "app-restart-requested", "staff-request"), 1);

    // Left alone, staff mode times out back to the home screen.
    for _ in 0..130 {
        mock_elapsed_time(Duration::from_secs(1));
    }
    assert!(find(app, "home-heading").is_some());
    assert_eq!(audited(&kiosk, "staff-logout", "\"timeout\""), 1);
}
