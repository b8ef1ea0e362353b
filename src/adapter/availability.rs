//! Binds the device manager's health reports to the `Availability` global: a slint timer
//! watches the monitor's channel and shows, per home-screen service, the notice the core's
//! [`availability`](crate::core::availability) rules give. Without a device monitor
//! (screenshots) nothing is known and no notice shows.

use crate::core::availability::{notice, Notice as CoreNotice, Service};
use crate::domain::DeviceKind;
use crate::hal::manager::{DeviceMonitor, DeviceStatus};
use crate::hal::DeviceHealth;
use crate::ui::{Availability, MainWindow, Notice};
use slint::{ComponentHandle, Timer, TimerMode};
use std::time::Duration;

/// How often the health channel is looked at; the monitor itself polls every few seconds.
const WATCH: Duration = Duration::from_millis(500);

/// Shows the current health and starts watching for changes; the timer must be kept.
pub(super) fn bind(window: &MainWindow, devices: Option<DeviceMonitor>) -> Timer {
    let timer = Timer::default();
    if let Some(monitor) = devices {
        let mut health = monitor.health;
        render(window, &health.borrow_and_update());
        let weak = window.as_weak();
        timer.start(TimerMode::Repeated, WATCH, move || {
            // An error means the monitor stopped: the last report stays shown.
            if health.has_changed().unwrap_or(false) {
                let report = health.borrow_and_update().clone();
                if let Some(window) = weak.upgrade() {
                    render(&window, &report);
                }
            }
        });
    }
    timer
}

/// Shows the monitor's latest report now (screenshots and tests).
pub(super) fn show(window: &MainWindow, devices: Option<&DeviceMonitor>) {
    if let Some(monitor) = devices {
        let report = monitor.health.borrow().clone();
        render(window, &report);
    }
}

fn render(window: &MainWindow, report: &[DeviceStatus]) {
    let global = window.global::<Availability>();
    for service in Service::ALL {
        let shown = match notice(service, report) {
            None => Notice::None,
            Some(CoreNotice::NotaryWithoutIdReader) => Notice::NotaryWithoutIdReader,
            Some(CoreNotice::ProgressWithoutIdReader) => Notice::ProgressWithoutIdReader,
            Some(CoreNotice::NotaryWithoutCamera) => Notice::NotaryWithoutCamera,
            Some(CoreNotice::ReceiptsOnScreenOnly) => Notice::ReceiptsOnScreenOnly,
        };
        match service {
            Service::Notary => global.set_notary(shown),
            Service::Consultation => global.set_consultation(shown),
            Service::Progress => global.set_progress(shown),
            Service::LegalAid => global.set_legal_aid(shown),
        }
    }
}

/// Screenshot scenes of device availability.
pub const AVAILABILITY_SCENES: [&str; 1] = ["home-degraded"];

/// The home screen of a kiosk whose ID-card reader is unplugged (the common case: a cable
/// knocked loose), for screenshots; false for other names.
pub(super) fn stage(window: &MainWindow, name: &str) -> bool {
    if name != "home-degraded" {
        return false;
    }
    let status = |kind, health| DeviceStatus {
        kind,
        driver: "serial".into(),
        health,
    };
    render(
        window,
        &[
            status(DeviceKind::IdReader, DeviceHealth::Absent),
            status(DeviceKind::Printer, DeviceHealth::Ready),
            status(DeviceKind::Camera, DeviceHealth::Ready),
        ],
    );
    true
}
