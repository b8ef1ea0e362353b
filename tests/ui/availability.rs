//! Device availability on the home screen: the device manager's health reports become calm
//! notices on the tiles of the services that need a missing device, and the tiles still open.

use super::{find, label, start, start_with_devices, tap, wait};
use legal_kiosk::config::{DevicesSection, IdReaderConfig, PrinterConfig};
use legal_kiosk::domain::DeviceKind;
use legal_kiosk::hal::manager::{DeviceMonitor, DeviceStatus, Devices};
use legal_kiosk::hal::DeviceHealth;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Starts the real device monitor and waits for its first report.
fn monitor(config: &DevicesSection) -> DeviceMonitor {
    let monitor = DeviceMonitor::start(Devices::open(config), Duration::from_millis(100));
    let deadline = Instant::now() + Duration::from_secs(30);
    while monitor.health.borrow().is_empty() {
        assert!(
            Instant::now() < deadline,
            "no health report from the monitor"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    monitor
}

#[test]
fn an_absent_id_reader_is_noticed_on_the_notary_tile_which_still_opens() {
    let config = DevicesSection {
        id_reader: IdReaderConfig::Serial {
            port: "/dev/nonexistent-kiosk-idreader".into(),
            baud: 115_200,
        },
        ..DevicesSection::default()
    };
    let app = start_with_devices(monitor(&config));
    app.settle(Duration::from_secs(5));
    let notice = label(&app, "notice-notary");
    assert!(notice.contains("身份证读卡器暂不可用"), "{notice}");
    assert!(
        notice.contains("工作人员"),
        "names what still works: {notice}"
    );
    assert!(label(&app, "notice-progress").contains("身份证读卡器暂不可用"));
    // No printer is fitted in this configuration: consultation says only that. (With four
    // notices the legal-aid tile is scrolled below the fold, out of the query's reach.)
    let notice = label(&app, "notice-consultation");
    assert!(notice.contains("仅在屏幕上显示"), "{notice}");
    assert!(!notice.contains("身份证"), "{notice}");

    tap(&app, "service-notary");
    assert_eq!(label(&app, "page-title"), "公证申请");
}

#[test]
fn an_unreachable_printer_means_receipts_on_screen_only() {
    // A loopback port nobody listens on: the printer is configured but absent.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap();
    let config = DevicesSection {
        printer: PrinterConfig::Tcp {
            address: port.to_string(),
        },
        ..DevicesSection::default()
    };
    let app = start_with_devices(monitor(&config));
    app.settle(Duration::from_secs(5));
    assert!(label(&app, "notice-consultation").contains("仅在屏幕上显示"));
    // Progress does not print; it is degraded only by the (not fitted) ID reader.
    assert!(!label(&app, "notice-progress").contains("屏幕"));
}

fn report(id_reader: DeviceHealth) -> Vec<DeviceStatus> {
    [
        (DeviceKind::IdReader, id_reader),
        (DeviceKind::Printer, DeviceHealth::Ready),
        (DeviceKind::Camera, DeviceHealth::Ready),
    ]
    .into_iter()
    .map(|(kind, health)| DeviceStatus {
        kind,
        driver: "serial".into(),
        health,
    })
    .collect()
}

#[test]
fn the_notice_follows_health_changes_while_the_kiosk_runs() {
    // The monitor's channel fed by hand, so the reader can be "unplugged" and "re-plugged"
    // at known moments; the UI side is the real binding and its timer.
    let (publish, health) = tokio::sync::watch::channel(report(DeviceHealth::Ready));
    let devices = Arc::new(Mutex::new(Devices::open(&DevicesSection::default())));
    let app = start_with_devices(DeviceMonitor {
        devices,
        health,
        last_poll: legal_kiosk::liveness::LastTurn::new(),
    });
    assert!(find(&app, "notice-notary").is_none());

    publish.send(report(DeviceHealth::Absent)).unwrap();
    wait(1);
    assert!(label(&app, "notice-notary").contains("身份证读卡器暂不可用"));

    publish
        .send(report(DeviceHealth::Fault {
            reason: "SAM error".into(),
        }))
        .unwrap();
    wait(1);
    assert!(
        find(&app, "notice-notary").is_some(),
        "a fault is unusable too"
    );

    publish.send(report(DeviceHealth::Ready)).unwrap();
    wait(1);
    assert!(
        find(&app, "notice-notary").is_none(),
        "re-plugged: notice gone"
    );
}

#[test]
fn without_a_device_monitor_nothing_is_claimed() {
    let app = start(false);
    for service in ["notary", "consultation", "progress", "legal-aid"] {
        assert!(find(&app, &format!("notice-{service}")).is_none());
    }
}
