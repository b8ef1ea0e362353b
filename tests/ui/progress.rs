//! The progress query end to end: the real reference case server on loopback, a real store
//! in a temporary directory, the ID-card reader driver talking to the SAM simulator on a
//! pseudo-terminal, and the real UI driven by `accessible-id`.

use super::{find, label, tap, BACKEND};
use i_slint_backend_testing::mock_elapsed_time;
use legal_kiosk::adapter::{Clock, KioskApp, UiOptions};
use legal_kiosk::caseserver::CaseServer;
use legal_kiosk::config::{CaseSystemSection, DevicesSection, IdReaderConfig, KioskConfig};
use legal_kiosk::core::notary::{id_number_digest, IdDigestKey};
use legal_kiosk::domain::{NewSubmission, ProgressIndex, SubmissionKind};
use legal_kiosk::forward::{CaseSystem, HttpCaseSystem, SubmitOutcome, WireSubmission};
use legal_kiosk::hal::idcard::sim::{sample_card, SamSimulator, SimCard};
use legal_kiosk::hal::manager::{DeviceMonitor, Devices};
use legal_kiosk::store::{Receipt, Store, StoreOptions};
use slint::platform::{Key, WindowEvent};
use slint::{ComponentHandle, SharedString};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Generous: the reader, the store and the server are real and the machine is shared.
const PATIENCE: Duration = Duration::from_secs(30);

struct Fixture {
    runtime: tokio::runtime::Runtime,
    server: Option<CaseServer>,
    store: Arc<Store>,
    reader: SamSimulator,
    case_system: Arc<HttpCaseSystem>,
    _dir: tempfile::TempDir,
}

impl Fixture {
    fn start() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let server = runtime
            .block_on(legal_kiosk::caseserver::spawn(
                "127.0.0.1:0".parse().unwrap(),
                &dir.path().join("cases.db"),
                None,
            ))
            .unwrap();
        let section = CaseSystemSection {
            base_url: server.base_url(),
            timeout_s: 3,
            ..CaseSystemSection::default()
        };
        let case_system = Arc::new(HttpCaseSystem::new(&section).unwrap());
        let options = StoreOptions {
            min_free_bytes: 0,
            retention_days: 90,
        };
        let store = Arc::new(Store::open_with(&dir.path().join("kiosk"), options).unwrap());
        let reader = SamSimulator::start(115_200).unwrap();
        Fixture {
            runtime,
            server: Some(server),
            store,
            reader,
            case_system,
            _dir: dir,
        }
    }

    /// Commits a notary application of the holder of `card`, as the journey does.
    fn apply(&self, card: &SimCard) -> Receipt {
        let key = IdDigestKey::new(self.store.id_digest_secret().unwrap());
        let id_number = &card.identity.id_number;
        // The case server takes a notary application only with its signature.
        let (signature, signature_attachment) = legal_kiosk::cli::soak::synthetic_signature_parts();
        let payload = serde_json::json!({
            "signature": signature,
            "applicant": {
                "name": card.identity.name,
                "id_number": id_number,
                "id_number_digest": id_number_digest(&key, id_number),
            },
            "matter": {"name_zh": "学历公证", "name_en": "Education certificate"},
        });
        self.store
            .commit_submission(NewSubmission {
                kind: SubmissionKind::NotaryApplication,
                payload,
                attachments: vec![signature_attachment],
                progress_index: Some(ProgressIndex {
                    id_number_digest: id_number_digest(&key, id_number),
                    matter_zh: "学历公证".into(),
                    matter_en: "Education certificate".into(),
                }),
            })
            .unwrap()
    }

    /// Delivers every pending submission to the case server, as the relay does.
    fn deliver(&self) {
        let due = self
            .store
            .due_entries(i64::MAX, 100, &HashSet::new())
            .unwrap();
        for outbox_id in due {
            let item = self.store.load_for_delivery(outbox_id).unwrap();
            let wire = WireSubmission::from_item("kiosk-test", &item);
            let outcome = self
                .runtime
                .block_on(self.case_system.submit(&item.idempotency_key, &wire));
            let SubmitOutcome::Delivered {
                case_number,
                status,
            } = outcome
            else {
                panic!("delivery failed: {outcome:?}");
            };
            self.store
                .mark_delivered(outbox_id, case_number.as_deref(), status.as_deref())
                .unwrap();
        }
    }

    fn stop_server(&mut self) {
        if let Some(server) = self.server.take() {
            self.runtime.block_on(server.shutdown());
        }
    }

    fn app(&self) -> KioskApp {
        BACKEND.with(|_| ());
        let devices = Devices::open(&DevicesSection {
            id_reader: IdReaderConfig::Serial {
                port: self.reader.path().to_path_buf(),
                baud: 115_200,
            },
            ..DevicesSection::default()
        });
        let app = KioskApp::new(
            KioskConfig::demo(std::env::temp_dir().join("legal-kiosk-ui-test")),
            UiOptions {
                demo_banner: false,
                landscape: false,
                clock: Clock::System,
                fleet: None,
                devices: Some(DeviceMonitor::start(devices, Duration::from_secs(5))),
                store: Some(self.store.clone()),
                case_system: Some(self.case_system.clone()),
            },
        )
        .expect("the UI starts");
        app.window().show().unwrap();
        app
    }
}

fn adult() -> SimCard {
    sample_card("adult").expect("the simulator's sample adult")
}

fn stranger() -> SimCard {
    let mut card = sample_card("adult").unwrap();
    card.identity.id_number = "110105196803120037".into();
    card
}

/// Lets the UI's timers run (mocked time) while the worker works (real time) until `done`.
fn wait_until(app: &KioskApp, what: &str, done: impl Fn(&KioskApp) -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !done(app) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
        mock_elapsed_time(Duration::from_millis(100));
    }
}

fn shows(id: &'static str) -> impl Fn(&KioskApp) -> bool {
    move |app| find(app, id).is_some()
}

fn says(id: &'static str) -> impl Fn(&KioskApp) -> bool {
    move |app| {
        find(app, id)
            .and_then(|e| e.accessible_label())
            .is_some_and(|l| !l.is_empty())
    }
}

/// Types (or scans) `text` into the receipt field and submits it.
fn enter(app: &KioskApp, text: &str) {
    tap(app, "service-progress");
    find(app, "progress-entry")
        .expect("the receipt field")
        .set_accessible_value(text);
    tap(app, "progress-submit");
}

/// Types `text` and Enter as key events into the focused field, as a keyboard-wedge QR
/// scanner does.
fn scan(app: &KioskApp, text: &str) {
    tap(app, "service-progress");
    let window = app.window().window();
    let keys = text
        .chars()
        .map(SharedString::from)
        .chain([SharedString::from(Key::Return)]);
    for key in keys {
        window.dispatch_event(WindowEvent::KeyPressed { text: key.clone() });
        window.dispatch_event(WindowEvent::KeyReleased { text: key });
    }
}

#[test]
fn progress_shows_the_office_state_to_the_applicant_only() {
    let fixture = Fixture::start();
    let receipt = fixture.apply(&adult());
    fixture.deliver();
    fixture.reader.place_card(stranger());
    let app = fixture.app();

    // The digits alone are enough.
    enter(&app, &receipt.number.replace("GZ-", ""));
    wait_until(&app, "the identity check", says("progress-message"));
    assert_eq!(
        label(&app, "progress-message"),
        "该身份证与申请人不一致，只有申请人本人可以查询。"
    );
    assert!(
        find(&app, "progress-state").is_none(),
        "no state for a stranger"
    );

    fixture.reader.remove_card();
    fixture.reader.place_card(adult());
    tap(&app, "progress-retry-card");
    wait_until(&app, "the state", shows("progress-state"));
    assert_eq!(label(&app, "progress-state"), "公证处已收到，等待受理");
    assert_eq!(label(&app, "progress-receipt-number"), receipt.number);
    assert!(label(&app, "progress-case-number").starts_with("CASE-"));
    assert_eq!(label(&app, "progress-matter"), "学历公证");
    assert!(!says("progress-staleness")(&app), "online: no age shown");

    tap(&app, "progress-finish");
    assert!(find(&app, "home-heading").is_some());
}

#[test]
fn progress_unknown_receipts_are_refused_at_the_entry() {
    let fixture = Fixture::start();
    let app = fixture.app();
    enter(&app, "GZ-20261122-9999");
    wait_until(&app, "the answer", says("progress-message"));
    assert!(label(&app, "progress-message").starts_with("没有找到这个回执"));
    assert!(find(&app, "progress-entry").is_some(), "still at the entry");

    find(&app, "progress-entry")
        .unwrap()
        .set_accessible_value("12345");
    tap(&app, "progress-submit");
    assert!(label(&app, "progress-message").starts_with("回执编号格式不对"));
}

#[test]
fn progress_offline_shows_the_cached_state_with_its_age_and_a_scanned_code_works() {
    let mut fixture = Fixture::start();
    let receipt = fixture.apply(&adult());
    fixture.deliver();
    fixture.reader.place_card(adult());
    let app = fixture.app();
    // A keyboard-wedge scanner types the QR code's text into the focused field.
    scan(&app, &format!("lk-notary:{}", receipt.token));
    wait_until(&app, "the state", shows("progress-state"));
    assert_eq!(label(&app, "progress-state"), "公证处已收到，等待受理");
    tap(&app, "progress-finish");

    fixture.stop_server();
    fixture.reader.remove_card();
    fixture.reader.place_card(adult());
    enter(&app, &receipt.number);
    wait_until(&app, "the cached state", shows("progress-state"));
    assert_eq!(label(&app, "progress-state"), "公证处已收到，等待受理");
    assert_eq!(
        label(&app, "progress-staleness"),
        "暂时无法连接公证处系统，显示的是0分钟前的状态。"
    );
    assert!(
        find(&app, "progress-refresh").is_some(),
        "the citizen may ask again"
    );
}

#[test]
fn progress_offline_with_nothing_cached_says_so_clearly() {
    let mut fixture = Fixture::start();
    let receipt = fixture.apply(&adult());
    fixture.deliver();
    fixture.stop_server();
    fixture.reader.place_card(adult());
    let app = fixture.app();
    enter(&app, &receipt.number);
    wait_until(&app, "the answer", shows("progress-state"));
    assert!(label(&app, "progress-state")
        .starts_with("暂时无法连接公证处系统，本机也没有该申请的状态记录"));
    assert!(!says("progress-staleness")(&app));
    assert!(find(&app, "progress-case-number").is_none());
    tap(&app, "progress-refresh");
    wait_until(&app, "the second answer", shows("progress-state"));
    assert!(label(&app, "progress-state").starts_with("暂时无法连接"));
}

#[test]
fn progress_not_yet_delivered_is_answered_by_the_kiosk() {
    let fixture = Fixture::start();
    let receipt = fixture.apply(&adult());
    fixture.reader.place_card(adult());
    let app = fixture.app();
    enter(&app, &receipt.number);
    wait_until(&app, "the state", shows("progress-state"));
    assert_eq!(
        label(&app, "progress-state"),
        "已在本机保存，等待送达公证处"
    );
}

#[test]
fn progress_idle_timeout_mid_query_leaves_nothing_behind() {
    let fixture = Fixture::start();
    let receipt = fixture.apply(&adult());
    let app = fixture.app();
    enter(&app, &receipt.number);
    wait_until(&app, "the card step", |app| {
        find(app, "progress-identify-heading")
            .and_then(|e| e.accessible_label())
            .is_some_and(|l| l == "将身份证放在读卡器上")
    });
    super::wait(120);
    assert!(
        find(&app, "home-heading").is_some(),
        "wiped to the home screen"
    );
    tap(&app, "service-progress");
    assert_eq!(
        find(&app, "progress-entry")
            .and_then(|e| e.accessible_value())
            .as_deref(),
        Some(""),
        "the receipt number is gone"
    );
    assert!(find(&app, "progress-state").is_none());
}
