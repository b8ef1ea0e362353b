//! Fixed, meaningful states of the staff screens for screenshots and golden images: a
//! printer out of paper with its history, a parked submission, a kiosk without an image file.

use super::render::{self, DeviceView, SystemView};
use super::Controller;
use crate::core::{Command, Screen};
use crate::domain::DeviceKind;
use crate::domain::SubmissionKind;
use crate::fleet::self_test::SelfTestResult;
use crate::fleet::system_info::{ImageInfo, Reachability};
use crate::hal::manager::DeviceStatus;
use crate::hal::DeviceHealth;
use crate::store::{OutboxEntry, OutboxState, OutboxStatus};
use crate::ui::{StaffLoginMessage, StaffLoginStep};
use std::collections::{HashMap, HashSet};

/// 2026-11-22 09:30 CST, the moment every screenshot shows, in ms since the epoch.
const SCENE_NOW_MS: i64 = 1_795_311_000_000;

fn scene_devices() -> Vec<DeviceStatus> {
    let status = |kind, driver: &str, health| DeviceStatus {
        kind,
        driver: driver.into(),
        health,
    };
    vec![
        status(DeviceKind::IdReader, "serial", DeviceHealth::Ready),
        status(DeviceKind::SmartCard, "pcsc", DeviceHealth::Ready),
        status(DeviceKind::Fingerprint, "serial", DeviceHealth::Absent),
        status(
            DeviceKind::Printer,
            "usb-lp",
            DeviceHealth::Fault {
                reason: "paper out".into(),
            },
        ),
        status(DeviceKind::Gpio, "gpiochip", DeviceHealth::Ready),
        status(DeviceKind::Camera, "v4l2", DeviceHealth::Ready),
        status(DeviceKind::Speaker, "none", DeviceHealth::NotFitted),
    ]
}

fn scene_outbox() -> (OutboxStatus, Vec<OutboxEntry>) {
    let entry =
        |id: i64, receipt: &str, state, attempts, age_s: i64, reason: Option<&str>| OutboxEntry {
            id,
            receipt_number: receipt.into(),
            kind: SubmissionKind::Consultation,
            idempotency_key: format!("scene-{id}"),
            state,
            attempts,
            created_at_ms: SCENE_NOW_MS - age_s * 1000,
            next_attempt_at_ms: SCENE_NOW_MS,
            last_error: None,
            park_reason: reason.map(str::to_owned),
            case_number: None,
        };
    let entries = vec![
        entry(
            7,
            "ZX-20261121-0042",
            OutboxState::Parked,
            3,
            52_000,
            Some("422 category not accepted by the case system"),
        ),
        entry(9, "ZX-20261122-0003", OutboxState::Pending, 1, 420, None),
    ];
    let status = OutboxStatus {
        pending: 1,
        parked: 1,
        delivered: 40,
        oldest_pending_age_s: 420,
    };
    (status, entries)
}

/// Puts a staff screen into its scene; false for other names.
pub(in crate::adapter) fn stage(c: &Controller, name: &str) -> bool {
    let screen = match Screen::from_name(name) {
        Some(screen) if screen.is_staff() => screen,
        _ => return false,
    };
    c.dispatch(Command::Open(screen));
    match screen {
        Screen::StaffLogin => c.staff_do(|a| {
            a.set_login_step(StaffLoginStep::Credential);
            a.set_login_message(StaffLoginMessage::Locked);
            a.set_locked_seconds(8);
        }),
        Screen::StaffDevices => {
            let snapshot = scene_devices();
            let mut history = super::history::FaultHistory::default();
            let at = |hour, minute| {
                chrono::NaiveDate::from_ymd_opt(2026, 11, 22)
                    .and_then(|d| d.and_hms_opt(hour, minute, 0))
                    .unwrap_or_default()
            };
            let mut earlier = snapshot.clone();
            if let Some(printer) = earlier.iter_mut().find(|s| s.kind == DeviceKind::Printer) {
                printer.health = DeviceHealth::Ready;
            }
            history.feed(&earlier, at(7, 0));
            history.feed(&snapshot, at(9, 12));
            let results = HashMap::from([(
                DeviceKind::IdReader,
                SelfTestResult {
                    device: DeviceKind::IdReader,
                    passed: true,
                    detail:
                        "SAM 05.01-20250301-0000012345-1234567890 answered; no card on the reader"
                            .into(),
                },
            )]);
            let view = DeviceView {
                snapshot: &snapshot,
                history: &history,
                results: &results,
                testing: &HashSet::new(),
            };
            c.staff_do(|a| {
                render::render_devices(a, &view);
                a.set_paper_receipts(1187);
                a.set_paper_since("11-15 08:40".into());
            });
        }
        Screen::StaffOutbox => {
            let (status, entries) = scene_outbox();
            c.staff_do(|a| render::render_outbox(a, &status, &entries, SCENE_NOW_MS));
        }
        _ => {
            let view = SystemView {
                kiosk_id: "SZ-FT-001".into(),
                image: ImageInfo {
                    app_version: env!("CARGO_PKG_VERSION").into(),
                    image_version: "2026.11.1".into(),
                    image_hash: "unknown".into(),
                },
                free_bytes: Some(11_811_160_064),
                database_bytes: Some(4 << 20),
                reachability: Some(Reachability {
                    local_ip: "10.8.0.21".parse().ok(),
                    case_system: false,
                }),
            };
            c.staff_do(|a| render::render_system(a, &view));
        }
    }
    true
}
