//! The notary application journey end to end: the real UI, adapter and core, a real SQLite
//! store in a temporary directory, and simulated devices speaking their real protocols —
//! the ID-card reader's SAM on a pseudo-terminal, the receipt printer over TCP and the
//! simulated document camera. Also: a submitted application reaching the reference case
//! server through the relay, after the case system was down.

use super::{find, finger, label, stroke, tap, type_keys, type_pinyin, wait, BACKEND};
use i_slint_backend_testing::ElementHandle;
use legal_kiosk::adapter::{Clock, KioskApp, UiOptions};
use legal_kiosk::codec::escpos_status::PrinterStatus;
use legal_kiosk::codec::escpos_stream::TextEncoding;
use legal_kiosk::codec::sam::SamStatus;
use legal_kiosk::config::{DevicesSection, IdReaderConfig, KioskConfig, PrinterConfig};
use legal_kiosk::domain::SubmissionKind;
use legal_kiosk::forward::HttpCaseSystem;
use legal_kiosk::hal::camera::sim::SimCamera;
use legal_kiosk::hal::idcard::sim::{sample_card, SamFault, SamSimulator};
use legal_kiosk::hal::manager::{DeviceMonitor, Devices};
use legal_kiosk::hal::printer::sim::{SimOptions, SimulatedPrinter};
use legal_kiosk::store::{Store, StoreOptions};
use slint::ComponentHandle;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Long enough for a slow, loaded test machine; answers usually take milliseconds.
const ANSWER: Duration = Duration::from_secs(20);

struct Kiosk {
    app: KioskApp,
    store: Arc<Store>,
    sam: SamSimulator,
    printer: SimulatedPrinter,
    _monitor: DeviceMonitor,
    dir: tempfile::TempDir,
}

/// A kiosk with an ID reader and a printer, and a document camera when `camera`.
fn kiosk(camera: bool) -> Kiosk {
    kiosk_with(camera, None)
}

/// As [`kiosk`], asking `case_system` for appointment times.
fn kiosk_with(camera: bool, case_system: Option<Arc<HttpCaseSystem>>) -> Kiosk {
    BACKEND.with(|_| ());
    let dir = tempfile::tempdir().unwrap();
    let sam = SamSimulator::start(115_200).unwrap();
    let printer = SimulatedPrinter::start(SimOptions {
        encoding: TextEncoding::Gb18030,
        output_dir: None,
        font: None,
    })
    .unwrap();
    let mut config = KioskConfig::demo(dir.path().join("data"));
    config.devices = DevicesSection {
        id_reader: IdReaderConfig::Serial {
            port: sam.path().to_path_buf(),
            baud: 115_200,
        },
        printer: PrinterConfig::Tcp {
            address: printer.address().to_string(),
        },
        ..DevicesSection::default()
    };
    let mut devices = Devices::open(&config.devices);
    if camera {
        devices.camera = Some(Box::new(SimCamera::new()));
    }
    // The health monitor polls once at start, then rarely: a fault a test injects must reach
    // the journey's card poller, not a health check.
    let monitor = DeviceMonitor::start(devices, Duration::from_secs(600));
    let store = Arc::new(
        Store::open_with(
            &dir.path().join("data"),
            StoreOptions {
                min_free_bytes: 1024 * 1024,
                retention_days: 90,
            },
        )
        .unwrap(),
    );
    let app = KioskApp::new(
        config,
        UiOptions {
            demo_banner: false,
            landscape: false,
            clock: Clock::System,
            fleet: None,
            devices: Some(monitor.clone()),
            case_system,
            store: Some(store.clone()),
        },
    )
    .unwrap();
    app.window().show().unwrap();
    // Tall enough that no step needs scrolling: elements clipped by a Flickable cannot be
    // found or tapped.
    app.window()
        .window()
        .set_size(slint::LogicalSize::new(1080.0, 12000.0));
    Kiosk {
        app,
        store,
        sam,
        printer,
        _monitor: monitor,
        dir,
    }
}

fn value(app: &KioskApp, id: &str) -> String {
    find(app, id)
        .and_then(|e| e.accessible_value())
        .unwrap_or_else(|| panic!("no value on `{id}`"))
        .to_string()
}

/// The label of `id`, empty when the element is not shown.
fn shown(app: &KioskApp, id: &str) -> String {
    find(app, id)
        .and_then(|e| e.accessible_label())
        .map(|l| l.to_string())
        .unwrap_or_default()
}

fn step(app: &KioskApp) -> String {
    label(app, "notary-step")
}

/// The first element whose id starts with `prefix`.
fn find_prefix(app: &KioskApp, prefix: &str) -> Option<ElementHandle> {
    let prefix = prefix.to_string();
    i_slint_backend_testing::ElementQuery::from_root(app.window())
        .match_descendants()
        .match_predicate(move |e| e.accessible_id().is_some_and(|id| id.starts_with(&prefix)))
        .find_first()
}

/// Waits for a device or store answer until `done` holds.
fn settle_until(app: &KioskApp, what: &str, done: impl Fn(&KioskApp) -> bool) {
    let deadline = Instant::now() + ANSWER;
    while !done(app) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        app.settle_notary(Duration::from_millis(200));
    }
}

fn type_on_keypad(app: &KioskApp, field: &str, digits: &str) {
    tap(app, field);
    assert!(
        find(app, "key-a").is_none(),
        "{field} takes the numeric keypad"
    );
    tap(app, "key-清空");
    for key in digits.chars() {
        tap(app, &format!("key-{key}"));
    }
}

/// Home → matter → the consent step, nothing ticked yet.
fn to_consent(app: &KioskApp, matter: &str) {
    tap(app, "service-notary");
    assert_eq!(step(app), "1 · 选择事项");
    tap(app, &format!("notary-matter-{matter}"));
    assert_eq!(step(app), "2 · 事项说明");
    tap(app, "notary-next");
    answer_where_to_apply(app);
    assert_eq!(step(app), "3 · 个人信息告知");
}

/// The jurisdiction step (the demo office serves 示例市): no real property involved, the
/// household registered here.
fn answer_where_to_apply(app: &KioskApp) {
    assert_eq!(step(app), "2 · 在哪里办理");
    if find(app, "notary-jurisdiction-real_estate:no").is_some() {
        tap(app, "notary-jurisdiction-real_estate:no");
    }
    tap(app, "notary-jurisdiction-place:domicile");
}

/// Home → matter → consent (all three ticks) → the identify step.
fn to_identify(app: &KioskApp, matter: &str) {
    to_consent(app, matter);
    for tick in 0..3 {
        tap(app, &format!("notary-consent-{tick}"));
    }
    tap(app, "notary-next");
    assert_eq!(step(app), "4 · 身份核验");
}

/// Places the card and waits for it to be read; where the matter asks who it is for,
/// applies for oneself (a degree: from 大学) and goes on to the form.
fn place_and_read(k: &Kiosk, card: &str) {
    place_and_read_only(k, card);
    past_parties(&k.app);
}

fn place_and_read_only(k: &Kiosk, card: &str) {
    k.sam.place_card(sample_card(card).unwrap());
    settle_until(&k.app, "the card", |app| {
        assert_eq!(shown(app, "notary-device-note"), "", "the reader works");
        step(app) != "4 · 身份核验" || !shown(app, "notary-identify-problem").is_empty()
    });
}

fn past_parties(app: &KioskApp) {
    if step(app) != "5 · 为谁办理" {
        return;
    }
    if find(app, "notary-party-school-0-name").is_some() {
        tap(app, "notary-party-school-0-name");
        type_pinyin(app, "da", "大");
        type_pinyin(app, "xue", "学");
    }
    on_to_the_form(app);
}

fn on_to_the_form(app: &KioskApp) {
    tap(app, "notary-next");
    assert_eq!(
        step(app),
        "6 · 填写申请",
        "{}",
        shown(app, "notary-message")
    );
}

fn fill_form(app: &KioskApp, phone: &str) {
    tap(app, "notary-purpose-study");
    type_on_keypad(app, "notary-phone", phone);
    tap(app, "notary-next");
}

/// From the materials step to the receipt; returns the receipt number shown.
fn submit(app: &KioskApp) -> String {
    tap(app, "notary-next");
    assert_eq!(step(app), "8 · 费用预估");
    tap(app, "notary-next");
    assert_eq!(step(app), "9 · 核对确认");
    tap(app, "notary-next");
    assert_eq!(step(app), "10 · 如实陈述承诺");
    tap(app, "notary-promise");
    assert_eq!(label(app, "notary-next"), "承诺并继续");
    tap(app, "notary-next");
    sign_with_a_finger(app);
    tap(app, "notary-next");
    settle_until(app, "the commit", |app| step(app) == "13 · 回执");
    label(app, "notary-receipt-number")
}

/// A line across the box and one down through it, like a short name.
const NAME_STROKES: [&[(f32, f32)]; 2] = [
    &[(0.1, 0.5), (0.2, 0.48), (0.3, 0.5), (0.4, 0.52), (0.5, 0.5)],
    &[(0.3, 0.2), (0.3, 0.4), (0.31, 0.6), (0.3, 0.8)],
];

/// The signature step: the main button asks for the signature until the finger has written
/// enough; then it confirms and submits.
fn sign_with_a_finger(app: &KioskApp) {
    assert_eq!(step(app), "11 · 签名确认");
    assert_eq!(label(app, "notary-next"), "请先签名，再提交");
    assert_eq!(label(app, "notary-signature-pad"), "签名框，还没有签好");
    for points in NAME_STROKES {
        stroke(app, "notary-signature-pad", points);
    }
    assert_eq!(label(app, "notary-signature-pad"), "签名框，已签名");
    assert_eq!(label(app, "notary-next"), "确认签名并提交");
}

fn rate_and_finish(app: &KioskApp) {
    tap(app, "notary-next");
    assert_eq!(step(app), "14 · 服务评价");
    tap(app, "notary-rate-0");
    tap(app, "notary-next");
    assert!(label(app, "notary-end").contains("已从本机清除"));
    tap(app, "notary-next");
    assert!(find(app, "home-heading").is_some());
}

fn payload_of(store: &Store, number: &str) -> serde_json::Value {
    let entry = store
        .outbox_entries(true)
        .unwrap()
        .into_iter()
        .find(|e| e.receipt_number == number)
        .expect("the application is in the outbox");
    store.load_for_delivery(entry.id).unwrap().payload
}

#[test]
fn notary_degree_abroad_with_captured_materials_prints_a_receipt() {
    let k = kiosk(true);
    let app = &k.app;
    to_identify(app, "degree");
    place_and_read(&k, "young-adult");
    assert_eq!(step(app), "6 · 填写申请");
    // Prefilled from the card.
    assert!(!value(app, "notary-current-address").is_empty());
    tap(app, "notary-country-DE");
    fill_form(app, "13812345678");
    assert_eq!(step(app), "7 · 材料");

    let capture = find_prefix(app, "notary-capture-").expect("something to capture");
    let material = capture
        .accessible_id()
        .unwrap()
        .trim_start_matches("notary-capture-")
        .to_string();
    capture.invoke_accessible_default_action();
    settle_until(app, "the camera", |app| {
        find(app, "notary-preview").is_some()
    });
    tap(app, "notary-retake");
    settle_until(app, "the camera again", |app| {
        find(app, "notary-preview").is_some()
    });
    tap(app, "notary-keep");
    assert_eq!(
        find(app, &format!("notary-material-{material}"))
            .unwrap()
            .accessible_value()
            .as_deref(),
        Some("captured")
    );

    let number = submit(app);
    assert!(number.starts_with("GZ-"), "{number}");
    settle_until(app, "the printer", |app| {
        label(app, "notary-print-status") == "回执已打印，请取走。"
    });
    let printed = k.printer.wait_for_receipts(1, ANSWER);
    assert_eq!(printed.len(), 1);
    let payload = payload_of(&k.store, &number);
    assert_eq!(payload["matter"]["id"], "degree");
    assert_eq!(payload["matter"]["country_of_use"], "DE");
    assert_eq!(payload["applicant"]["phone"], "13812345678");
    assert_eq!(payload["applicant"]["name"], "李晓梅");
    let entry = k
        .store
        .outbox_entries(true)
        .unwrap()
        .into_iter()
        .find(|e| e.receipt_number == number)
        .unwrap();
    let item = k.store.load_for_delivery(entry.id).unwrap();
    assert_eq!(
        item.attachments.len(),
        2,
        "the captured document and the signature go with it"
    );
    assert_eq!(item.attachments[0].label, material);
    assert_eq!(item.attachments[1].label, "application_signature");

    rate_and_finish(app);
    assert!(!app.notary_holds_personal_data());
    // The rating is a submission of its own.
    let deadline = Instant::now() + ANSWER;
    while k.store.outbox_status().unwrap().pending < 2 {
        assert!(Instant::now() < deadline, "rating not stored");
        std::thread::sleep(Duration::from_millis(50));
    }
    let kinds: Vec<_> = k
        .store
        .outbox_entries(true)
        .unwrap()
        .iter()
        .map(|e| e.kind)
        .collect();
    assert!(kinds.contains(&SubmissionKind::Rating));
}

#[test]
fn notary_without_a_camera_everything_goes_on_the_bring_list() {
    let k = kiosk(false);
    let app = &k.app;
    to_identify(app, "no_criminal_record");
    place_and_read(&k, "adult");
    fill_form(app, "13912345678");
    assert_eq!(step(app), "7 · 材料");
    assert!(
        find_prefix(app, "notary-capture-").is_none(),
        "nothing to capture"
    );
    let number = submit(app);
    let payload = payload_of(&k.store, &number);
    let materials = payload["materials"].as_array().unwrap();
    assert!(!materials.is_empty());
    assert!(
        materials.iter().all(|m| m["source"] == "bring_in_person"),
        "{materials:?}"
    );
    settle_until(app, "the printer", |app| {
        label(app, "notary-print-status") != "正在打印回执…"
    });
    rate_and_finish(app);
}

/// Home → a will (in person only) → … → the form filled → the appointment step.
fn will_to_the_appointment_step(k: &Kiosk) {
    let app = &k.app;
    to_identify(app, "will");
    place_and_read(k, "adult");
    fill_form(app, "13712345678");
    assert_eq!(step(app), "6 · 预约时间");
}

#[test]
fn notary_will_is_an_appointment_request() {
    let k = kiosk(true);
    let app = &k.app;
    will_to_the_appointment_step(&k);
    // No case system to ask: the office will call to agree a time.
    settle_until(app, "the office's times", |app| {
        !shown(app, "notary-appointment-office-calls").is_empty()
    });
    assert!(shown(app, "notary-appointment-office-calls").contains("打电话"));
    tap(app, "notary-next");
    assert!(
        find_prefix(app, "notary-capture-").is_none(),
        "in-person matters capture nothing"
    );
    let number = submit(app);
    let payload = payload_of(&k.store, &number);
    assert_eq!(payload["kind"], "appointment_request");
    assert_eq!(
        payload["office_routing"]["appointment"]["office_to_call"],
        true
    );
    assert!(payload["office_routing"]["appointment"]["slot"].is_null());
}

/// A will (an in-person matter) booked into a free time the reference case server offers:
/// the time is on the receipt and in the application, and once the application has arrived
/// the server no longer offers it.
#[test]
fn notary_will_is_booked_into_a_real_slot() {
    use legal_kiosk::config::CaseSystemSection;
    use legal_kiosk::forward::{Backoff, Relay, RelayConfig};

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let _context = runtime.enter();
    let dir = tempfile::tempdir().unwrap();
    let server = runtime
        .block_on(legal_kiosk::caseserver::spawn(
            ([127, 0, 0, 1], 0).into(),
            &dir.path().join("cases.db"),
            None,
        ))
        .unwrap();
    let section = CaseSystemSection {
        base_url: format!("http://{}", server.addr()),
        timeout_s: 5,
        ..CaseSystemSection::default()
    };
    let system = Arc::new(HttpCaseSystem::new(&section).unwrap());
    let k = kiosk_with(false, Some(system.clone()));
    let app = &k.app;
    will_to_the_appointment_step(&k);
    settle_until(app, "the office's times", |app| {
        find_prefix(app, "notary-time-").is_some()
    });
    // Next without a time says what to do and stays.
    tap(app, "notary-next");
    assert_eq!(step(app), "6 · 预约时间");
    assert!(shown(app, "notary-message").contains("请选一个时间"));
    let time = find_prefix(app, "notary-time-").unwrap();
    let start = time
        .accessible_id()
        .unwrap()
        .trim_start_matches("notary-time-")
        .to_string();
    time.invoke_accessible_default_action();
    let chosen = label(app, "notary-appointment-chosen");
    assert!(chosen.contains("请按时到公证处"), "{chosen}");
    tap(app, "notary-next");
    let number = submit(app);
    let printed = k.printer.wait_for_receipts(1, ANSWER);
    let receipt = printed[0].text();
    let slot_words = chosen.split('，').next().unwrap().to_string();
    assert!(
        receipt.contains(&slot_words),
        "the receipt names {slot_words}: {receipt}"
    );
    let payload = payload_of(&k.store, &number);
    assert_eq!(
        payload["office_routing"]["appointment"]["slot"]["start"].as_str(),
        Some(start.as_str())
    );
    assert_eq!(
        payload["office_routing"]["appointment"]["office_to_call"],
        false
    );

    let before = runtime
        .block_on(system.slots("will", chrono::Local::now().date_naive(), 14))
        .unwrap();
    assert!(before.iter().any(|s| s.start.to_rfc3339() == start));
    let mut relay_config = RelayConfig::new("TEST-0001");
    relay_config.backoff = Backoff {
        base: Duration::from_millis(20),
        cap: Duration::from_millis(300),
    };
    relay_config.poll_interval = Duration::from_millis(100);
    let system_for_relay = HttpCaseSystem::new(&section).unwrap();
    let relay = Relay::new(k.store.clone(), system_for_relay, relay_config).spawn();
    let deadline = Instant::now() + Duration::from_secs(60);
    while k.store.outbox_status().unwrap().pending > 0 {
        assert!(Instant::now() < deadline, "not delivered");
        std::thread::sleep(Duration::from_millis(50));
    }
    runtime.block_on(relay.shutdown());
    let after = runtime
        .block_on(system.slots("will", chrono::Local::now().date_naive(), 14))
        .unwrap();
    assert!(
        !after.iter().any(|s| s.start.to_rfc3339() == start),
        "a booked time is no longer offered"
    );
    assert_eq!(after.len(), before.len() - 1);
}

#[test]
fn notary_agree_with_a_box_unticked_is_never_a_refusal() {
    let k = kiosk(false);
    let app = &k.app;
    to_consent(app, "birth");
    assert_eq!(label(app, "notary-next"), "请勾选同意（还差 3 项）");
    // The citizen ticks the box in view and presses the main button, with a finger.
    finger(app, "notary-consent-0");
    assert_eq!(label(app, "notary-next"), "请勾选同意（还差 2 项）");
    finger(app, "notary-next");
    assert!(
        find(app, "notary-declined").is_none(),
        "pressing the main button is never a refusal"
    );
    assert_eq!(step(app), "3 · 个人信息告知");
    assert!(shown(app, "notary-message").contains("还有 2 项没有勾选"));
    // The button brought the boxes into view: the other two can be tapped where they are.
    finger(app, "notary-consent-1");
    finger(app, "notary-consent-2");
    assert_eq!(label(app, "notary-next"), "同意并继续");
    finger(app, "notary-next");
    assert_eq!(step(app), "4 · 身份核验");
}

/// A parent applies for a child's birth certificate, by taps and the on-screen keyboard only:
/// the guardian role, the child's name in pinyin, the date on the keypad, the relationship
/// tapped, a landline typed with its area code; the application carries the child.
#[test]
fn notary_a_parent_applies_for_a_child_s_birth_certificate() {
    let k = kiosk(false);
    let app = &k.app;
    to_identify(app, "birth");
    place_and_read_only(&k, "adult");
    assert_eq!(step(app), "5 · 为谁办理");
    assert!(
        find_prefix(app, "notary-party-").is_none(),
        "for oneself, a birth certificate involves no one else"
    );
    tap(app, "notary-role-guardian");
    assert!(shown(app, "notary-role-note").contains("第二十七条"));
    // Nothing entered yet: the step stays and says what is missing, field by field.
    tap(app, "notary-next");
    assert_eq!(step(app), "5 · 为谁办理");
    assert!(shown(app, "notary-party-error-child-0-name").contains("请填写姓名"));
    assert!(shown(app, "notary-party-error-child-0-relationship").contains("请选择关系"));

    tap(app, "notary-party-child-0-name");
    type_pinyin(app, "wang", "王");
    type_pinyin(app, "xiao", "小");
    type_pinyin(app, "ming", "明");
    assert_eq!(value(app, "notary-party-child-0-name"), "王小明");
    tap(app, "notary-party-child-0-birth_date");
    assert!(find(app, "key-a").is_none(), "a date takes the keypad");
    type_keys(app, "20190501");
    tap(app, "notary-party-child-0-relationship-child");
    // The tap renders the step again; what was typed is still there.
    assert_eq!(value(app, "notary-party-child-0-name"), "王小明");
    assert_eq!(value(app, "notary-party-child-0-birth_date"), "20190501");
    on_to_the_form(app);

    // A landline with its area code is a phone number too.
    tap(app, "notary-purpose-study");
    type_on_keypad(app, "notary-phone", "075512345678");
    tap(app, "notary-next");
    assert_eq!(
        step(app),
        "7 · 材料",
        "{}",
        shown(app, "notary-error-phone")
    );
    let number = submit(app);
    let payload = payload_of(&k.store, &number);
    assert_eq!(payload["applicant"]["name"], "王建国", "the parent applies");
    assert_eq!(payload["applicant"]["role"], "guardian");
    assert_eq!(payload["applicant"]["phone"], "075512345678");
    assert_eq!(
        payload["parties"],
        serde_json::json!([{
            "role": "child",
            "name": "王小明",
            "birth_date": "2019-05-01",
            "relationship": "child",
        }])
    );
}

/// A kinship certificate names one to ten relatives: one more is added and removed with taps.
#[test]
fn notary_kinship_relatives_are_added_and_removed_by_taps() {
    let k = kiosk(false);
    let app = &k.app;
    to_identify(app, "kinship");
    place_and_read_only(&k, "adult");
    assert_eq!(step(app), "5 · 为谁办理");
    assert!(
        find(app, "notary-party-remove-relative-0").is_none(),
        "at least one"
    );
    assert!(label(app, "notary-party-add-relative").contains("添加一位亲属"));
    tap(app, "notary-party-add-relative");
    assert!(find(app, "notary-party-relative-1-name").is_some());
    tap(app, "notary-party-remove-relative-1");
    assert!(find(app, "notary-party-relative-1-name").is_none());
    tap(app, "notary-party-relative-0-name");
    type_pinyin(app, "li", "李");
    type_pinyin(app, "hua", "华");
    tap(app, "notary-party-relative-0-relationship-father");
    on_to_the_form(app);
}

#[test]
fn notary_submit_without_the_promise_says_what_is_missing() {
    let k = kiosk(false);
    let app = &k.app;
    to_identify(app, "birth");
    place_and_read(&k, "adult");
    fill_form(app, "13812345678");
    tap(app, "notary-next");
    tap(app, "notary-next");
    tap(app, "notary-next");
    assert_eq!(step(app), "10 · 如实陈述承诺");
    assert!(label(app, "notary-promise").contains("我承诺所述情况和提交的材料真实"));
    assert_eq!(label(app, "notary-next"), "请先勾选承诺，再继续");
    // The citizen presses the main button with a finger before ticking: nothing is
    // submitted, the kiosk says what is missing, and the box is where the finger can reach.
    finger(app, "notary-next");
    assert_eq!(step(app), "10 · 如实陈述承诺");
    assert!(shown(app, "notary-message").contains("请先勾选"));
    assert_eq!(k.store.outbox_status().unwrap().pending, 0);
    finger(app, "notary-promise");
    assert_eq!(label(app, "notary-next"), "承诺并继续");
    finger(app, "notary-next");
    sign_with_a_finger(app);
    finger(app, "notary-next");
    settle_until(app, "the commit", |app| step(app) == "13 · 回执");
    let number = label(app, "notary-receipt-number");
    let payload = payload_of(&k.store, &number);
    assert!(payload["acknowledgements"]["truthfulness"]["promised_at"].is_string());
}

/// The signature written with a finger on real panel sizes: landscape 1366x768 and portrait
/// 1080x1920 in large text. A tap is no signature and the main button says so; clear
/// empties the box; a written name confirms and submits. Every touch lands inside the window.
#[test]
fn notary_signature_is_written_with_a_finger_in_landscape_and_large_text() {
    for (width, height, landscape, large_text) in
        [(1366.0, 768.0, true, false), (1080.0, 1920.0, false, true)]
    {
        let k = kiosk(false);
        let app = &k.app;
        if large_text {
            tap(app, "toggle-large-text");
        }
        to_identify(app, "birth");
        place_and_read(&k, "adult");
        fill_form(app, "13812345678");
        for _ in 0..3 {
            tap(app, "notary-next");
        }
        tap(app, "notary-promise");
        tap(app, "notary-next");
        assert_eq!(step(app), "11 · 签名确认");
        app.window()
            .global::<legal_kiosk::ui::Kiosk>()
            .set_landscape(landscape);
        app.window()
            .window()
            .set_size(slint::LogicalSize::new(width, height));
        let size = format!("{width}x{height}");

        finger(app, "notary-signature-pad");
        assert_eq!(label(app, "notary-next"), "请先签名，再提交", "{size}");
        finger(app, "notary-next");
        let message = shown(app, "notary-message");
        assert!(
            message.contains("写下您的姓名"),
            "{size}: {message:?} at {}",
            step(app)
        );
        assert_eq!(k.store.outbox_status().unwrap().pending, 0, "{size}");
        finger(app, "notary-signature-clear");
        assert_eq!(label(app, "notary-signature-pad"), "签名框，还没有签好");
        for points in NAME_STROKES {
            stroke(app, "notary-signature-pad", points);
        }
        assert_eq!(
            label(app, "notary-signature-pad"),
            "签名框，已签名",
            "{size}"
        );
        finger(app, "notary-next");
        settle_until(app, "the commit", |app| step(app) == "13 · 回执");
        let payload = payload_of(&k.store, &label(app, "notary-receipt-number"));
        assert_eq!(payload["signature"]["attachment"]["role"], "signature");
    }
}

#[test]
fn notary_declined_consent_ends_politely_and_keeps_nothing() {
    let k = kiosk(false);
    let app = &k.app;
    to_consent(app, "birth");
    tap(app, "notary-consent-0");
    tap(app, "notary-decline");
    assert!(find(app, "notary-declined").is_some());
    tap(app, "notary-next");
    assert!(find(app, "home-heading").is_some());
    assert!(!app.notary_holds_personal_data());
    assert_eq!(k.store.outbox_status().unwrap().pending, 0);
}

#[test]
fn notary_expired_card_then_card_removed_mid_read_each_get_a_retry() {
    let k = kiosk(false);
    let app = &k.app;
    to_identify(app, "birth");
    place_and_read(&k, "expired");
    assert!(shown(app, "notary-identify-problem").contains("过期"));
    assert_eq!(step(app), "4 · 身份核验");
    k.sam.remove_card();

    tap(app, "notary-retry-card");
    // The reader's answer when the card leaves the field during a read (SW3 0x41).
    k.sam.inject(SamFault::Status(SamStatus::ReadCardFailed));
    place_and_read(&k, "adult");
    assert!(
        shown(app, "notary-identify-problem").contains("拿开"),
        "{}",
        shown(app, "notary-identify-problem")
    );
    k.sam.remove_card();

    tap(app, "notary-retry-card");
    place_and_read(&k, "adult");
    assert_eq!(step(app), "6 · 填写申请");
}

#[test]
fn notary_invalid_phone_is_named_next_to_its_field() {
    let k = kiosk(false);
    let app = &k.app;
    to_identify(app, "birth");
    place_and_read(&k, "adult");
    fill_form(app, "1381234");
    assert_eq!(step(app), "6 · 填写申请", "the form stays");
    assert!(!shown(app, "notary-error-phone").is_empty());
    type_on_keypad(app, "notary-phone", "13812345678");
    tap(app, "notary-next");
    assert_eq!(step(app), "7 · 材料");
}

#[test]
fn notary_printer_out_of_paper_shows_the_receipt_and_prints_on_retry() {
    let k = kiosk(false);
    let app = &k.app;
    to_identify(app, "birth");
    place_and_read(&k, "adult");
    fill_form(app, "13812345678");
    k.printer.set_status(PrinterStatus {
        paper_out: true,
        ..PrinterStatus::default()
    });
    let number = submit(app);
    settle_until(app, "the printer", |app| {
        label(app, "notary-print-status") == "回执未能打印。"
    });
    assert!(shown(app, "notary-print-problem").contains("缺纸"));
    assert_eq!(
        label(app, "notary-receipt-number"),
        number,
        "the number stays on screen"
    );
    assert!(find(app, "notary-receipt-qr").is_some());
    // The case system is not reachable from this kiosk: the receipt was still issued and the
    // application waits in the outbox.
    assert_eq!(k.store.outbox_status().unwrap().pending, 1);

    k.printer.set_status(PrinterStatus::default());
    tap(app, "notary-retry-print");
    settle_until(app, "the printer", |app| {
        label(app, "notary-print-status") == "回执已打印，请取走。"
    });
    assert_eq!(k.printer.wait_for_receipts(1, ANSWER).len(), 1);
}

#[test]
fn notary_idle_timeout_mid_form_leaves_nothing_behind() {
    let k = kiosk(false);
    let app = &k.app;
    to_identify(app, "birth");
    place_and_read(&k, "adult");
    type_on_keypad(app, "notary-phone", "13812345678");
    assert!(app.notary_holds_personal_data());
    wait(125);
    assert!(find(app, "home-heading").is_some(), "wiped back to home");
    assert!(!app.notary_holds_personal_data());
    assert_eq!(k.store.outbox_status().unwrap().pending, 0);
    // The next citizen's form shows nothing of the previous one.
    k.sam.remove_card();
    to_identify(app, "birth");
    place_and_read(&k, "young-adult");
    assert_eq!(step(app), "6 · 填写申请");
    assert_eq!(value(app, "notary-phone"), "", "the typed number is gone");
    assert!(
        value(app, "notary-current-address").starts_with("广东省深圳市"),
        "the new card's address"
    );
    drop(k.dir);
}

#[test]
fn notary_without_devices_explains_and_points_to_the_counter() {
    let app = super::start(false);
    app.window()
        .window()
        .set_size(slint::LogicalSize::new(1080.0, 12000.0));
    to_identify(&app, "birth");
    settle_until(&app, "the missing reader", |app| {
        !shown(app, "notary-device-note").is_empty()
    });
    let note = shown(&app, "notary-device-note");
    assert!(note.contains("身份证读卡器"), "{note}");
    assert!(note.contains("人工窗口"), "{note}");
    tap(&app, "notary-cancel");
    assert!(find(&app, "home-heading").is_some());
}

/// The case system is down when the citizen submits: the receipt is issued at once, the
/// relay keeps trying, and once the reference case server is up the application arrives
/// with every field and the captured document.
/// A degree certificate for use in Taiwan, tapped through end to end and delivered to the
/// reference case server: the place of use is 台湾 with its own rule (副本寄送, no consular
/// legalisation), said on screen and sent as shown; the server accepts the application only
/// with the finger-written signature whose hash the payload names.
#[test]
fn notary_degree_for_use_in_taiwan_reaches_the_case_server_signed() {
    use legal_kiosk::config::CaseSystemSection;
    use legal_kiosk::forward::{Relay, RelayConfig, WireSubmission};

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let _context = runtime.enter();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cases.db");
    let server = runtime
        .block_on(legal_kiosk::caseserver::spawn(
            ([127, 0, 0, 1], 0).into(),
            &db,
            None,
        ))
        .unwrap();
    let k = kiosk(false);
    let app = &k.app;
    to_identify(app, "degree");
    place_and_read(&k, "young-adult");
    tap(app, "notary-country-TW");
    let rule = shown(app, "notary-authentication-note");
    assert!(
        rule.contains("海峡两岸公证书使用查证协议") && rule.contains("不需要领事认证"),
        "{rule}"
    );
    fill_form(app, "13812345678");
    let number = submit(app);

    let section = CaseSystemSection {
        base_url: format!("http://{}", server.addr()),
        timeout_s: 5,
        ..CaseSystemSection::default()
    };
    let mut relay_config = RelayConfig::new("TEST-0001");
    relay_config.poll_interval = Duration::from_millis(100);
    let relay = Relay::new(
        k.store.clone(),
        HttpCaseSystem::new(&section).unwrap(),
        relay_config,
    )
    .spawn();
    let deadline = Instant::now() + Duration::from_secs(60);
    while k.store.outbox_status().unwrap().pending > 0 {
        assert!(Instant::now() < deadline, "not delivered");
        std::thread::sleep(Duration::from_millis(50));
    }
    runtime.block_on(relay.shutdown());
    let body: Vec<u8> = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT body FROM submissions WHERE receipt_number = ?1",
            [&number],
            |row| row.get(0),
        )
        .unwrap();
    let wire: WireSubmission = serde_json::from_slice(&body).unwrap();
    let matter = &wire.payload["matter"];
    assert_eq!(matter["id"], "degree");
    assert_eq!(matter["country_of_use"], "TW");
    assert_eq!(matter["authentication"], "taiwan");
    assert_eq!(
        matter["authentication_note_zh"].as_str(),
        Some(rule.as_str())
    );
    let signature = wire
        .attachments
        .iter()
        .find(|a| a.label == "application_signature")
        .expect("signed");
    assert_eq!(signature.sha256, wire.payload["signature"]["sha256"]);
    runtime.block_on(server.shutdown());
}

#[test]
fn notary_application_reaches_the_case_server_after_an_outage() {
    use legal_kiosk::config::CaseSystemSection;
    use legal_kiosk::forward::{Backoff, Relay, RelayConfig, WireSubmission};

    let k = kiosk(true);
    let app = &k.app;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let address: std::net::SocketAddr = ([127, 0, 0, 1], port).into();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let _context = runtime.enter();
    let system = HttpCaseSystem::new(&CaseSystemSection {
        base_url: format!("http://{address}"),
        timeout_s: 2,
        ..CaseSystemSection::default()
    })
    .unwrap();
    let mut relay_config = RelayConfig::new("TEST-0001");
    relay_config.backoff = Backoff {
        base: Duration::from_millis(20),
        cap: Duration::from_millis(300),
    };
    relay_config.poll_interval = Duration::from_millis(100);
    let relay = Relay::new(k.store.clone(), system, relay_config).spawn();

    to_identify(app, "degree");
    place_and_read(&k, "young-adult");
    fill_form(app, "13812345678");
    let capture = find_prefix(app, "notary-capture-").expect("something to capture");
    capture.invoke_accessible_default_action();
    settle_until(app, "the camera", |app| {
        find(app, "notary-preview").is_some()
    });
    tap(app, "notary-keep");
    let number = submit(app);

    let deadline = Instant::now() + ANSWER;
    loop {
        let entry = &k.store.outbox_entries(true).unwrap()[0];
        if entry.attempts > 0 {
            assert_eq!(entry.receipt_number, number);
            break;
        }
        assert!(Instant::now() < deadline, "no delivery attempted");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        k.store.outbox_status().unwrap().pending,
        1,
        "waiting in the outbox"
    );

    let db = k.dir.path().join("cases.db");
    let server = runtime
        .block_on(legal_kiosk::caseserver::spawn(address, &db, None))
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while k.store.outbox_status().unwrap().pending > 0 {
        assert!(Instant::now() < deadline, "not delivered after the outage");
        std::thread::sleep(Duration::from_millis(50));
    }
    let stored = server.submissions().unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].receipt_number, number);
    assert_eq!(stored[0].kind, "notary_application");
    assert_eq!(stored[0].attachments, 2, "the scan and the signature");

    let body: Vec<u8> = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT body FROM submissions WHERE receipt_number = ?1",
            [&number],
            |row| row.get(0),
        )
        .unwrap();
    let wire: WireSubmission = serde_json::from_slice(&body).unwrap();
    let payload = &wire.payload;
    assert_eq!(payload["schema"], "legal-kiosk/notary-submission/1");
    assert_eq!(payload["kiosk_id"], "DEMO-0001");
    assert_eq!(payload["applicant"]["name"], "李晓梅");
    assert_eq!(payload["applicant"]["phone"], "13812345678");
    assert_eq!(
        payload["applicant"]["id_number_digest"]
            .as_str()
            .map(str::len),
        Some(64)
    );
    assert!(payload["applicant"]["address_current"]
        .as_str()
        .unwrap()
        .starts_with("广东省"));
    assert_eq!(payload["matter"]["id"], "degree");
    assert_eq!(payload["matter"]["purpose"], "study");
    assert_eq!(payload["matter"]["copies"], 1);
    assert!(payload["consents"].is_object());
    assert!(payload["fee"]["estimate"]["total_fen"].as_u64().unwrap() > 0);
    assert_eq!(payload["identity_verification"]["method"], "id_card_chip");
    let scanned: Vec<_> = payload["materials"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["source"] == "scanned")
        .collect();
    assert_eq!(scanned.len(), 1);
    let attachment = &wire.attachments[0];
    assert_eq!(attachment.label, scanned[0]["material_id"]);
    assert_eq!(attachment.sha256, scanned[0]["attachment"]["sha256"]);
    assert_eq!(attachment.media_type, "image/jpeg");
    assert_eq!(
        attachment.decode().map(|d| d.len() as u64),
        Ok(attachment.size)
    );
    // The signature written with a finger arrives as the PNG whose hash the payload names.
    let signed = wire
        .attachments
        .iter()
        .find(|a| a.label == "application_signature")
        .expect("the signature is attached");
    assert_eq!(signed.media_type, "image/png");
    assert_eq!(signed.sha256, payload["signature"]["sha256"]);
    let png = signed.decode().unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let ink = image::load_from_memory(&png).unwrap().to_luma8();
    assert!(
        ink.pixels().filter(|p| p[0] < 128).count() > 500,
        "the strokes drawn on the pad are in the image"
    );
    assert!(payload["signature"]["signed_at"].is_string());

    runtime.block_on(relay.shutdown());
    runtime.block_on(server.shutdown());
}

#[test]
fn notary_inheritance_of_a_flat_elsewhere_says_where_to_apply_and_sends_nothing() {
    let k = kiosk(false);
    let app = &k.app;
    tap(app, "service-notary");
    tap(app, "notary-matter-inheritance");
    tap(app, "notary-next");
    assert_eq!(step(app), "2 · 在哪里办理");
    assert!(label(app, "notary-jurisdiction-question").contains("不动产"));
    tap(app, "notary-jurisdiction-real_estate:yes");
    assert!(
        find(app, "notary-jurisdiction-place:domicile").is_none(),
        "once real property is involved, only where it lies counts (公证法 art. 25 (2))"
    );
    tap(app, "notary-jurisdiction-none");
    let guidance = label(app, "notary-jurisdiction-elsewhere");
    assert!(guidance.contains("房屋、土地所在地的公证处"), "{guidance}");
    assert!(guidance.contains("第二十五条第二款"), "{guidance}");
    assert!(find(app, "notary-consent-0").is_none());
    assert_eq!(label(app, "notary-next"), "完成");
    tap(app, "notary-next");
    assert!(find(app, "notary-jurisdiction-elsewhere").is_none());
    assert_eq!(
        k.store.outbox_status().unwrap().pending,
        0,
        "nothing is sent"
    );
}
