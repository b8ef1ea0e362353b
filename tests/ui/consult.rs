//! The consultation journeys: the on-screen pinyin keyboard typing into real fields, statute
//! search over the real index, guided questions, the legal-aid pre-check, and a call-back
//! request committed to a real store in a temporary directory.

use super::{find, finger, label, start, start_with, tap, type_keys, type_pinyin};
use legal_kiosk::adapter::KioskApp;
use legal_kiosk::domain::SubmissionKind;
use legal_kiosk::store::Store;
use std::sync::Arc;
use std::time::Duration;

/// The statute index is built on first use; allow for a slow machine.
const LAWS: Duration = Duration::from_secs(60);

fn value(app: &KioskApp, id: &str) -> String {
    find(app, id)
        .and_then(|e| e.accessible_value())
        .unwrap_or_else(|| panic!("no value on `{id}`"))
        .to_string()
}

/// Scrolls the page down with the mouse wheel until `id` is in view: an element that a
/// Flickable clips away is not in the accessibility tree, as for a screen reader.
fn scroll_to(app: &KioskApp, id: &str) {
    use slint::platform::WindowEvent;
    use slint::ComponentHandle;
    let window = app.window().window();
    let size = window.size().to_logical(window.scale_factor());
    // A third of the way down: on the page, above a docked keyboard.
    let position = slint::LogicalPosition::new(size.width / 2.0, size.height / 3.0);
    for _ in 0..30 {
        if find(app, id).is_some() {
            return;
        }
        window.dispatch_event(WindowEvent::PointerScrolled {
            position,
            delta_x: 0.0,
            delta_y: -200.0,
        });
        i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(50));
    }
    panic!("`{id}` did not scroll into view");
}

fn open_request_form(app: &KioskApp) {
    tap(app, "service-consultation");
    tap(app, "consult-request");
    assert_eq!(label(app, "page-title"), "预约回电");
}

#[test]
fn the_pinyin_keyboard_types_a_name_and_a_sentence_into_a_field() {
    let app = start(false);
    open_request_form(&app);
    assert!(
        find(&app, "key-a").is_none(),
        "no keyboard before a field has the focus"
    );
    tap(&app, "request-description");
    assert!(
        find(&app, "key-a").is_some(),
        "the pinyin keyboard docks below"
    );

    type_keys(&app, "zhangsan");
    assert_eq!(label(&app, "ime-preedit"), "zhang'san");
    assert_eq!(
        value(&app, "request-description"),
        "",
        "nothing typed while composing"
    );
    // A name is not a dictionary word: choose it syllable by syllable.
    type_pinyin(&app, "", "张");
    assert_eq!(label(&app, "ime-preedit"), "张san");
    type_pinyin(&app, "", "三");
    assert_eq!(value(&app, "request-description"), "张三");
    assert_eq!(label(&app, "ime-preedit"), "");

    type_pinyin(&app, "tuoqian", "拖欠");
    // Space takes the first candidate.
    type_keys(&app, "gongzi");
    let first = label(&app, "ime-candidate-0");
    tap(&app, "key-空格");
    assert_eq!(
        value(&app, "request-description"),
        format!("张三拖欠{first}")
    );
    // Backspace first undoes composing, then deletes from the field.
    type_keys(&app, "a");
    tap(&app, "key-⌫");
    assert_eq!(label(&app, "ime-preedit"), "");
    tap(&app, "key-⌫");
    let expected: String = format!("张三拖欠{first}")
        .chars()
        .rev()
        .skip(1)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    assert_eq!(value(&app, "request-description"), expected);

    // The phone field gets the digit keypad, which cannot switch to letters.
    tap(&app, "request-phone");
    assert!(find(&app, "key-a").is_none());
    assert!(find(&app, "key-英").is_none());
    type_keys(&app, "13800138000");
    assert_eq!(value(&app, "request-phone"), "13800138000");
    tap(&app, "key-清空");
    assert_eq!(value(&app, "request-phone"), "");
}

#[test]
fn a_statute_search_shows_results_and_opens_an_article() {
    let app = start(false);
    tap(&app, "service-consultation");
    tap(&app, "consult-search");
    assert!(
        find(&app, "key-q").is_some(),
        "the search opens with the keyboard up"
    );
    type_pinyin(&app, "tuoqian", "拖欠");
    type_pinyin(&app, "gongzi", "工资");
    assert_eq!(value(&app, "search-query"), "拖欠工资");
    tap(&app, "search-go");
    assert!(
        find(&app, "key-q").is_none(),
        "the keyboard goes away for the results"
    );
    app.settle(LAWS);
    let first = label(&app, "hit-0");
    assert!(label(&app, "search-status").starts_with("找到"), "{first}");
    tap(&app, "hit-0");
    app.settle(LAWS);
    let article = label(&app, "article-label");
    assert!(first.ends_with(&article), "{first} opens {article}");
    assert!(!label(&app, "article-text").is_empty());
    tap(&app, "back");
    assert_eq!(label(&app, "hit-0"), first, "back to the same results");
}

#[test]
fn guided_questions_lead_to_an_outcome_with_articles_to_read() {
    let app = start(false);
    tap(&app, "service-consultation");
    tap(&app, "consult-guide");
    tap(&app, "topic-0");
    assert_eq!(label(&app, "question"), "您现在还在这家单位工作吗？");
    tap(&app, "answer-0");
    assert_eq!(label(&app, "question"), "您和单位签了书面劳动合同吗？");
    tap(&app, "back");
    assert_eq!(
        label(&app, "question"),
        "您现在还在这家单位工作吗？",
        "back is the previous question"
    );
    tap(&app, "answer-0");
    tap(&app, "answer-0");
    assert!(find(&app, "question").is_none());
    assert!(label(&app, "guidance").contains("按时足额支付工资"));
    assert_eq!(label(&app, "cite-0"), "劳动合同法 第三十条");
    tap(&app, "cite-0");
    app.settle(LAWS);
    assert_eq!(label(&app, "article-label"), "第三十条");
    assert!(label(&app, "article-text").contains("劳动报酬"));
    tap(&app, "back");
    assert!(find(&app, "guidance").is_some(), "back to the outcome");
}

#[test]
fn the_legal_aid_tile_runs_the_pre_check_to_an_outcome() {
    let app = start(false);
    tap(&app, "service-legal-aid");
    assert_eq!(label(&app, "page-title"), "法律援助");
    assert!(label(&app, "question").starts_with("您的事情有没有马上要到的最后期限？"));
    assert_eq!(label(&app, "aid-answer-2"), "不清楚");
    // No close deadline; another dispute; none of the no-means-test grounds; wages; receives
    // social assistance.
    for answer in WAGES_WITH_ASSISTANCE {
        tap(&app, &format!("aid-answer-{answer}"));
    }
    assert_eq!(label(&app, "aid-verdict"), "您很可能符合法律援助条件");
    scroll_to(&app, "aid-cite-0");
    assert_eq!(label(&app, "aid-cite-0"), "法律援助法 第三十一条");
    // The result to keep on a phone, large enough for its camera.
    scroll_to(&app, "aid-qr");
    assert!(find(&app, "aid-qr").unwrap().size().width >= 400.0);
    tap(&app, "back");
    // The event loop runs the page's change handler, which scrolls back to the top.
    i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(20));
    assert!(
        find(&app, "aid-verdict").is_none(),
        "back to the last question"
    );
    // None of the exemptions.
    tap(&app, "aid-answer-4");
    assert!(
        find(&app, "aid-verdict").is_none(),
        "not exempt leads on to the income question"
    );
    assert!(
        label(&app, "question").contains("2592"),
        "{}",
        label(&app, "question")
    );
}

/// Answers of the pre-check: no close deadline, another dispute, none of the no-means-test
/// grounds, wages, receives social assistance.
const WAGES_WITH_ASSISTANCE: [usize; 5] = [1, 3, 4, 4, 1];

#[test]
fn the_problem_description_is_a_real_box_a_finger_can_open() {
    let app = start(false);
    open_request_form(&app);
    let field = find(&app, "request-description").expect("the description field");
    // Two touch heights (96 px each): room for a few lines, not a floating placeholder.
    assert!(
        field.size().height >= 192.0,
        "description box is {} px high",
        field.size().height
    );
    finger(&app, "request-description");
    assert!(
        find(&app, "ime-candidate-0").is_some() || find(&app, "key-a").is_some(),
        "a tap on the box opens the pinyin keyboard"
    );
}

#[test]
fn a_call_back_request_is_stored_and_its_receipt_shown() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(dir.path()).unwrap());
    let app = start_with(Some(store.clone()));
    open_request_form(&app);
    tap(&app, "category-0");
    tap(&app, "request-description");
    type_pinyin(&app, "gongzi", "工资");
    tap(&app, "request-phone");
    type_keys(&app, "13800138000");
    tap(&app, "request-submit");
    assert!(
        find(&app, "receipt-number").is_none(),
        "no consent, no request"
    );
    assert!(store.outbox_entries(true).unwrap().is_empty());

    tap(&app, "request-consent");
    tap(&app, "request-submit");
    // The commit runs off the UI thread; the receipt shows only once it is durable.
    assert!(find(&app, "receipt-number").is_none());
    assert_eq!(label(&app, "request-submit"), "正在保存您的请求…");
    tap(&app, "request-submit");
    app.settle(LAWS);
    let number = label(&app, "receipt-number");
    let stored = store.outbox_entries(true).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].kind, SubmissionKind::Consultation);
    assert_eq!(stored[0].receipt_number, number);
    assert!(number.starts_with("ZX-"), "{number}");
    tap(&app, "receipt-finish");
    assert!(find(&app, "home-heading").is_some());
}

#[test]
fn a_legal_aid_application_request_is_stored_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(dir.path()).unwrap());
    let app = start_with(Some(store.clone()));
    tap(&app, "service-legal-aid");
    for answer in WAGES_WITH_ASSISTANCE {
        tap(&app, &format!("aid-answer-{answer}"));
    }
    scroll_to(&app, "aid-apply");
    tap(&app, "aid-apply");
    assert_eq!(label(&app, "page-title"), "法律援助申请预约");
    assert!(
        find(&app, "request-sensitive-consent").is_none(),
        "no sensitive answers, no second consent"
    );
    tap(&app, "request-phone");
    type_keys(&app, "13900139000");
    tap(&app, "request-consent");
    tap(&app, "request-submit");
    app.settle(LAWS);
    let stored = store.outbox_entries(true).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].kind, SubmissionKind::LegalAidPrecheck);
    assert_eq!(label(&app, "receipt-number"), stored[0].receipt_number);
}

/// 个人信息保护法 art. 29: "domestic-violence victim" is sent only with its own consent.
#[test]
fn sensitive_pre_check_answers_are_stored_only_with_their_own_consent() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(dir.path()).unwrap());
    let app = start_with(Some(store.clone()));
    let send = |sensitive_consent: bool| {
        tap(&app, "service-legal-aid");
        // No close deadline; another dispute; a victim of domestic violence.
        for answer in [1, 3, 0] {
            tap(&app, &format!("aid-answer-{answer}"));
        }
        scroll_to(&app, "aid-apply");
        tap(&app, "aid-apply");
        scroll_to(&app, "request-sensitive-consent");
        if sensitive_consent {
            tap(&app, "request-sensitive-consent");
        }
        tap(&app, "request-consent");
        tap(&app, "request-phone");
        type_keys(&app, "13900139000");
        scroll_to(&app, "request-submit");
        tap(&app, "request-submit");
        app.settle(LAWS);
        tap(&app, "receipt-finish");
    };
    send(false);
    send(true);
    let stored = store.outbox_entries(true).unwrap();
    assert_eq!(stored.len(), 2);
    let payload = |i: usize| store.load_for_delivery(stored[i].id).unwrap().payload;
    let withheld = payload(0).to_string();
    assert!(!withheld.contains("domestic_violence"), "{withheld}");
    assert_eq!(payload(0)["legal_aid"]["sensitive_answers_withheld"], true);
    assert_eq!(payload(1)["legal_aid"]["grounds"][0], "domestic_violence");
}

/// A next step the kiosk can do is a button: 申请法律援助 opens the pre-check.
#[test]
fn the_legal_aid_next_step_of_a_guide_opens_the_pre_check() {
    let app = start(false);
    tap(&app, "service-consultation");
    tap(&app, "consult-guide");
    tap(&app, "topic-0");
    tap(&app, "answer-0");
    tap(&app, "answer-0");
    scroll_to(&app, "next-step-2");
    assert_eq!(label(&app, "next-step-2"), "申请法律援助");
    assert!(find(&app, "next-step-0").is_none(), "a place to go is text");
    tap(&app, "next-step-2");
    assert_eq!(label(&app, "page-title"), "法律援助");
    assert!(label(&app, "question").contains("最后期限"));
}

#[test]
fn without_a_store_the_request_says_it_was_not_saved() {
    let app = start(false);
    open_request_form(&app);
    tap(&app, "category-7");
    tap(&app, "request-description");
    type_pinyin(&app, "gongzi", "工资");
    tap(&app, "request-phone");
    type_keys(&app, "13800138000");
    tap(&app, "request-consent");
    tap(&app, "request-submit");
    app.settle(LAWS);
    assert!(find(&app, "receipt-number").is_none());
    assert!(label(&app, "request-store-problem").contains("未能保存"));
}

/// Opens 劳动合同法 第三十条 through the unpaid-wages guide.
fn open_wages_article(app: &KioskApp) {
    tap(app, "service-consultation");
    tap(app, "consult-guide");
    tap(app, "topic-0");
    tap(app, "answer-0");
    tap(app, "answer-0");
    tap(app, "cite-0");
    app.settle(LAWS);
    assert_eq!(label(app, "article-label"), "第三十条");
}

#[test]
fn without_a_printer_the_article_screen_says_so() {
    let app = start(false);
    open_wages_article(&app);
    tap(&app, "article-print");
    assert!(
        label(&app, "article-print-status").contains("没有凭条打印机"),
        "{}",
        label(&app, "article-print-status")
    );
}

/// Printing through the real ESC/POS driver over TCP to the printer simulator, which
/// interprets what it receives.
#[cfg(feature = "simulators")]
mod printing {
    use super::*;
    use crate::start_with_devices;
    use legal_kiosk::codec::escpos_status::PrinterStatus;
    use legal_kiosk::codec::escpos_stream::{PrintOp, TextEncoding};
    use legal_kiosk::config::{DevicesSection, PrinterConfig};
    use legal_kiosk::hal::manager::{DeviceMonitor, Devices};
    use legal_kiosk::hal::printer::sim::{SimOptions, SimulatedPrinter};

    fn printer_sim() -> SimulatedPrinter {
        SimulatedPrinter::start(SimOptions {
            encoding: TextEncoding::Gb18030,
            output_dir: None,
            font: None,
        })
        .unwrap()
    }

    fn devices_with_printer_at(address: std::net::SocketAddr) -> DeviceMonitor {
        let config = DevicesSection {
            printer: PrinterConfig::Tcp {
                address: address.to_string(),
            },
            ..DevicesSection::default()
        };
        DeviceMonitor::start(Devices::open(&config), Duration::from_millis(200))
    }

    #[test]
    fn an_article_is_printed_on_the_receipt_printer() {
        let sim = printer_sim();
        let app = start_with_devices(devices_with_printer_at(sim.address()));
        open_wages_article(&app);
        let text = label(&app, "article-text");
        tap(&app, "article-print");
        assert_eq!(label(&app, "article-print-status"), "正在打印…");
        app.settle(LAWS);
        assert!(
            label(&app, "article-print-status").starts_with("已打印"),
            "{}",
            label(&app, "article-print-status")
        );
        let receipts = sim.wait_for_receipts(1, LAWS);
        assert_eq!(receipts.len(), 1);
        assert!(receipts[0].complete);
        let printed = receipts[0].text();
        assert!(printed.contains("中华人民共和国劳动合同法"), "{printed}");
        assert!(printed.contains("第三十条"), "{printed}");
        for paragraph in text.lines().filter(|p| !p.trim().is_empty()) {
            assert!(
                printed.contains(paragraph.trim()),
                "{paragraph} in {printed}"
            );
        }
        assert!(
            printed.contains("示例市公证处") && printed.contains("DEMO-0001"),
            "{printed}"
        );
    }

    /// The guidance goes home on paper with its text in a QR code.
    #[test]
    fn a_guide_outcome_is_printed_with_a_qr_code() {
        let sim = printer_sim();
        let app = start_with_devices(devices_with_printer_at(sim.address()));
        tap(&app, "service-consultation");
        tap(&app, "consult-guide");
        tap(&app, "topic-0");
        tap(&app, "answer-0");
        tap(&app, "answer-0");
        tap(&app, "guide-print");
        app.settle(LAWS);
        assert!(label(&app, "guide-print-status").starts_with("已打印"));
        let receipts = sim.wait_for_receipts(1, LAWS);
        let printed = receipts[0].text();
        assert!(printed.contains("按时足额支付工资"), "{printed}");
        let qr = receipts[0].ops.iter().find_map(|op| match op {
            PrintOp::QrCode { data, .. } => Some(data.clone()),
            _ => None,
        });
        let qr = String::from_utf8(qr.expect("a QR code")).unwrap();
        assert!(
            qr.starts_with("拖欠工资") && qr.contains("按时足额支付工资"),
            "{qr}"
        );
        // The article screen does not claim the guidance's print.
        tap(&app, "cite-0");
        app.settle(LAWS);
        assert!(!label(&app, "article-print-status").starts_with("已打印"));
    }

    #[test]
    fn a_printer_out_of_paper_is_reported_and_nothing_printed() {
        let sim = printer_sim();
        sim.set_status(PrinterStatus {
            paper_out: true,
            ..PrinterStatus::default()
        });
        let app = start_with_devices(devices_with_printer_at(sim.address()));
        open_wages_article(&app);
        tap(&app, "article-print");
        app.settle(LAWS);
        assert!(
            label(&app, "article-print-status").contains("缺纸"),
            "{}",
            label(&app, "article-print-status")
        );
        assert!(sim.receipts().is_empty());
    }
}
