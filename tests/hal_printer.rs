//! The ESC/POS driver against the printer simulator over real transports (TCP, a PTY as
//! serial port and as a usblp-style character device), including faults mid-receipt,
//! unplug/replug, and the rendered receipt compared with a golden PNG.
#![cfg(feature = "simulators")]

use legal_kiosk::codec::escpos_status::PrinterStatus;
use legal_kiosk::codec::escpos_stream::{PrintOp, TextEncoding};
use legal_kiosk::hal::printer::sim::{
    interpret_file, FontSource, ReceiptRenderer, SimFault, SimOptions, SimulatedPrinter,
};
use legal_kiosk::hal::printer::{
    self_test, Align, EscPosPrinter, LinkTarget, PrintError, PrinterProfile, Receipt, ReceiptLine,
    ReceiptPrinter, TextSize,
};
use legal_kiosk::hal::DeviceHealth;
use std::path::{Path, PathBuf};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(5);

/// The Debian Noto CJK collection, face 2 = Simplified Chinese (package fonts-noto-cjk).
fn test_font() -> FontSource {
    let path = PathBuf::from("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
    assert!(
        path.is_file(),
        "install fonts-noto-cjk: {} missing",
        path.display()
    );
    FontSource {
        path,
        face_index: 2,
    }
}

fn options(dir: &Path) -> SimOptions {
    SimOptions {
        encoding: TextEncoding::Gb18030,
        output_dir: Some(dir.to_path_buf()),
        font: Some(test_font()),
    }
}

fn sample_receipt() -> Receipt {
    Receipt::new(vec![
        ReceiptLine::Title("公证申请回执".into()),
        ReceiptLine::Text {
            text: "Notary application receipt".into(),
            size: TextSize::NORMAL,
            bold: false,
            align: Align::Center,
        },
        ReceiptLine::Separator,
        ReceiptLine::text("受理编号：GZ-2024-000123"),
        ReceiptLine::text("事项：学历公证"),
        ReceiptLine::text("提交时间：2024-05-06 21:14"),
        ReceiptLine::Text {
            text: "请妥善保管本回执".into(),
            size: TextSize::NORMAL,
            bold: true,
            align: Align::Left,
        },
        ReceiptLine::Text {
            text: "A12".into(),
            size: TextSize::DOUBLE,
            bold: true,
            align: Align::Right,
        },
        ReceiptLine::QrCode {
            data: "https://example.invalid/c/GZ-2024-000123".into(),
            module_size: 6,
        },
        ReceiptLine::Separator,
        ReceiptLine::Text {
            text: "24小时公共法律服务".into(),
            size: TextSize::NORMAL,
            bold: false,
            align: Align::Center,
        },
    ])
}

/// A receipt long enough to span several chunks, so faults can strike in the middle.
fn long_receipt() -> Receipt {
    let lines = (1..=40)
        .map(|i| ReceiptLine::text(format!("第{i}行 法律服务事项说明 line {i}")))
        .collect();
    Receipt::new(lines)
}

fn tcp_driver(sim: &SimulatedPrinter) -> EscPosPrinter {
    EscPosPrinter::new(LinkTarget::Tcp(sim.address()), PrinterProfile::default())
}

fn texts(ops: &[PrintOp]) -> Vec<String> {
    ops.iter()
        .filter_map(|op| match op {
            PrintOp::Text { text } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// Pixels whose grey level differs by more than this count as different.
const PIXEL_TOLERANCE: u8 = 64;
/// Differing pixels allowed (edge pixels of glyphs may flip across CPUs); one changed
/// character changes well over a hundred.
const MAX_DIFFERING: usize = 60;

fn assert_matches_golden(actual: &image::GrayImage, golden: &Path) {
    if std::env::var_os("LEGAL_KIOSK_UPDATE_GOLDEN").is_some() {
        actual.save(golden).expect("write golden");
        return;
    }
    let expected = image::open(golden)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e} (regenerate with LEGAL_KIOSK_UPDATE_GOLDEN=1)",
                golden.display()
            )
        })
        .to_luma8();
    assert_eq!(
        actual.dimensions(),
        expected.dimensions(),
        "receipt size changed"
    );
    let differing = actual
        .pixels()
        .zip(expected.pixels())
        .filter(|(a, b)| a.0[0].abs_diff(b.0[0]) > PIXEL_TOLERANCE)
        .count();
    assert!(
        differing <= MAX_DIFFERING,
        "{differing} pixels differ from the golden"
    );
}

#[test]
fn receipt_printed_over_tcp_renders_like_the_golden_png() {
    let dir = tempfile::tempdir().unwrap();
    let sim = SimulatedPrinter::start(options(dir.path())).unwrap();
    let mut printer = tcp_driver(&sim);
    let report = printer.print(&sample_receipt()).unwrap();
    assert_eq!(report.status_after, Some(PrinterStatus::default()));
    assert_eq!(printer.health(), DeviceHealth::Ready);

    let receipts = sim.wait_for_receipts(1, WAIT);
    assert_eq!(receipts.len(), 1);
    assert!(receipts[0].complete);
    let lines = texts(&receipts[0].ops);
    assert_eq!(lines[0], "公证申请回执");
    assert!(lines.contains(&"受理编号：GZ-2024-000123".to_string()));
    assert!(receipts[0]
        .ops
        .iter()
        .any(|op| matches!(op, PrintOp::QrCode { .. })));

    let png = receipts[0].png.as_ref().expect("receipt rendered");
    let printed = image::open(png).unwrap().to_luma8();
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/receipt_sample.png");
    assert_matches_golden(&printed, &golden);
}

#[test]
fn rendering_differs_when_the_receipt_differs() {
    // Guards the golden comparison itself: a one-line change must exceed the tolerance.
    let renderer = ReceiptRenderer::load(&test_font()).unwrap();
    let render = |receipt: &Receipt| {
        let bytes = receipt.to_escpos(&PrinterProfile::default()).unwrap();
        renderer.render(&legal_kiosk::codec::escpos_stream::parse(
            &bytes,
            TextEncoding::Gb18030,
        ))
    };
    let mut changed = sample_receipt();
    changed.lines[4] = ReceiptLine::text("事项：婚姻公证");
    let (a, b) = (render(&sample_receipt()), render(&changed));
    let differing = a
        .pixels()
        .zip(b.pixels())
        .filter(|(x, y)| x.0[0].abs_diff(y.0[0]) > PIXEL_TOLERANCE)
        .count();
    assert!(differing > MAX_DIFFERING, "only {differing} pixels differ");
    // Ink is present: the receipt is not blank.
    assert!(a.pixels().filter(|p| p.0[0] == 0).count() > 5_000);
}

#[test]
fn paper_out_mid_receipt_interrupts_then_refuses_until_refilled() {
    let dir = tempfile::tempdir().unwrap();
    let sim = SimulatedPrinter::start(options(dir.path())).unwrap();
    let mut printer = tcp_driver(&sim);
    sim.fault_after(700, SimFault::PaperOut);

    match printer.print(&long_receipt()) {
        Err(PrintError::Interrupted {
            status,
            sent,
            total,
        }) => {
            assert!(status.paper_out);
            assert!(sent < total, "stopped before the end: {sent}/{total}");
        }
        other => panic!("expected an interrupted receipt, got {other:?}"),
    }
    assert!(
        matches!(printer.health(), DeviceHealth::Fault { reason } if reason.contains("paper out"))
    );
    let receipts = sim.wait_for_receipts(1, WAIT);
    assert_eq!(receipts.len(), 1);
    assert!(
        !receipts[0].complete,
        "the half receipt is recorded as incomplete"
    );

    match printer.print(&sample_receipt()) {
        Err(PrintError::NotReady { status }) => assert!(status.paper_out),
        other => panic!("expected not ready, got {other:?}"),
    }

    sim.clear_faults();
    printer.print(&long_receipt()).unwrap();
    let receipts = sim.wait_for_receipts(2, WAIT);
    assert!(receipts[1].complete);
    assert_eq!(
        texts(&receipts[1].ops).len(),
        40,
        "{:?}",
        texts(&receipts[1].ops)
    );
}

#[test]
fn cover_opened_mid_receipt_is_reported_as_cover_open() {
    let dir = tempfile::tempdir().unwrap();
    let sim = SimulatedPrinter::start(options(dir.path())).unwrap();
    let mut printer = tcp_driver(&sim);
    sim.fault_after(600, SimFault::CoverOpen);
    match printer.print(&long_receipt()) {
        Err(PrintError::Interrupted { status, .. }) => {
            assert!(status.cover_open && !status.paper_out)
        }
        other => panic!("expected cover open, got {other:?}"),
    }
    assert!(printer.status().unwrap().cover_open);
}

#[test]
fn offline_printer_is_not_ready_and_nothing_is_printed() {
    let dir = tempfile::tempdir().unwrap();
    let sim = SimulatedPrinter::start(options(dir.path())).unwrap();
    sim.set_status(PrinterStatus {
        offline: true,
        ..PrinterStatus::default()
    });
    let mut printer = tcp_driver(&sim);
    assert!(matches!(
        printer.print(&sample_receipt()),
        Err(PrintError::NotReady { status }) if status.offline
    ));
    assert!(sim.receipts().is_empty());
}

#[test]
fn unplugged_printer_is_absent_and_works_again_after_replug() {
    let dir = tempfile::tempdir().unwrap();
    let sim = SimulatedPrinter::start(options(dir.path())).unwrap();
    let mut printer = tcp_driver(&sim);
    printer.status().unwrap();

    sim.unplug();
    std::thread::sleep(Duration::from_millis(200));
    assert!(matches!(
        printer.print(&sample_receipt()),
        Err(PrintError::Absent { .. } | PrintError::Disconnected { .. })
    ));
    // The next attempt re-connects and is refused.
    assert!(matches!(printer.status(), Err(PrintError::Absent { .. })));
    assert_eq!(printer.health(), DeviceHealth::Absent);

    sim.replug();
    let deadline = std::time::Instant::now() + WAIT;
    while printer.status().is_err() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let report = self_test(&mut printer).unwrap();
    assert!(report.bytes > 100);
    assert_eq!(printer.health(), DeviceHealth::Ready);
    assert_eq!(sim.wait_for_receipts(1, WAIT).len(), 1);
}

#[test]
fn serial_and_usblp_drivers_print_through_a_pty() {
    let dir = tempfile::tempdir().unwrap();
    let sim = SimulatedPrinter::start(options(dir.path())).unwrap();
    let (master, slave) = serialport::TTYPort::pair().unwrap();
    let slave_path = PathBuf::from(serialport::SerialPort::name(&slave).unwrap());
    sim.attach(master).unwrap();

    let mut serial = EscPosPrinter::new(
        LinkTarget::Serial {
            port: slave_path.clone(),
            baud: 115_200,
        },
        PrinterProfile::default(),
    );
    serial.print(&sample_receipt()).unwrap();
    drop(serial);

    // The usblp driver opens a character device by path, as it would /dev/usb/lp0.
    let mut usblp = EscPosPrinter::new(LinkTarget::UsbLp(slave_path), PrinterProfile::default());
    let report = usblp.print(&sample_receipt()).unwrap();
    assert_eq!(report.status_after, Some(PrinterStatus::default()));
    let receipts = sim.wait_for_receipts(2, WAIT);
    assert_eq!(receipts.len(), 2);
    assert_eq!(texts(&receipts[0].ops), texts(&receipts[1].ops));
    drop(slave);
}

#[test]
fn missing_device_paths_are_absent_not_errors() {
    for target in [
        LinkTarget::UsbLp(PathBuf::from("/dev/usb/lp-missing")),
        LinkTarget::Serial {
            port: PathBuf::from("/dev/ttyUSB-missing"),
            baud: 9600,
        },
    ] {
        let mut printer = EscPosPrinter::new(target, PrinterProfile::default());
        assert!(matches!(printer.status(), Err(PrintError::Absent { .. })));
        assert_eq!(printer.health(), DeviceHealth::Absent);
    }
}

#[test]
fn a_capture_file_is_interpreted_and_rendered() {
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("lp0.bin");
    let mut bytes = sample_receipt()
        .to_escpos(&PrinterProfile::default())
        .unwrap();
    bytes.extend(
        long_receipt()
            .to_escpos(&PrinterProfile::default())
            .unwrap(),
    );
    std::fs::write(&capture, bytes).unwrap();
    let receipts = interpret_file(&capture, options(dir.path())).unwrap();
    assert_eq!(receipts.len(), 2);
    assert!(receipts
        .iter()
        .all(|r| r.complete && r.png.as_ref().is_some_and(|p| p.is_file())));
}
