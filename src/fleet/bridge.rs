//! What the running kiosk tells the fleet: device states from the device monitor and the
//! outbox and storage figures from the store. Counts and states only, never content.

use super::audit::{DeviceState, Peripheral};
use super::telemetry::{DeviceReport, KioskSample, TelemetrySource};
use crate::domain::DeviceKind;
use crate::hal::manager::DeviceStatus;
use crate::hal::DeviceHealth;
use crate::store::Store;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::watch;

pub struct KioskTelemetry {
    pub store: Arc<Store>,
    pub devices: watch::Receiver<Vec<DeviceStatus>>,
    pub data_dir: PathBuf,
}

/// The fleet's name for a HAL device; the PC/SC reader is reported with the ID reader's
/// card-reading family left out, as the fleet schema has no separate kind for it.
fn fleet_device(kind: DeviceKind) -> Option<Peripheral> {
    (kind != DeviceKind::SmartCard).then_some(Peripheral::Device(kind))
}

fn fleet_state(health: &DeviceHealth) -> Option<DeviceState> {
    Some(match health {
        DeviceHealth::Ready => DeviceState::Ready,
        DeviceHealth::Busy => DeviceState::Busy,
        DeviceHealth::Fault { .. } => DeviceState::Fault,
        DeviceHealth::Absent => DeviceState::Absent,
        DeviceHealth::NotFitted => return None,
    })
}

impl TelemetrySource for KioskTelemetry {
    fn sample(&self) -> KioskSample {
        let devices = self
            .devices
            .borrow()
            .iter()
            .filter_map(|status| {
                Some(DeviceReport {
                    device: fleet_device(status.kind)?,
                    state: fleet_state(&status.health)?,
                })
            })
            .collect();
        let outbox = self.store.outbox_status().ok();
        KioskSample {
            devices,
            outbox_depth: outbox.as_ref().map_or(0, |o| o.pending),
            outbox_oldest_age_s: outbox
                .as_ref()
                .filter(|o| o.pending > 0)
                .map(|o| o.oldest_pending_age_s),
            parked_items: outbox.as_ref().map_or(0, |o| o.parked),
            store_alerts: self.store.alerts().map_or(0, |a| a.len() as u64),
            storage_free_bytes: crate::store::free_bytes(&self.data_dir).ok(),
            last_fault: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_devices_and_outbox_without_unfitted_devices() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(dir.path()).unwrap());
        let (_tx, rx) = watch::channel(vec![
            DeviceStatus {
                kind: DeviceKind::Printer,
                driver: "usb-lp".into(),
                health: DeviceHealth::Fault {
                    reason: "paper out".into(),
                },
            },
            DeviceStatus {
                kind: DeviceKind::Camera,
                driver: "none".into(),
                health: DeviceHealth::NotFitted,
            },
        ]);
        let telemetry = KioskTelemetry {
            store,
            devices: rx,
            data_dir: dir.path().to_path_buf(),
        };
        let sample = telemetry.sample();
        assert_eq!(
            sample.devices,
            vec![DeviceReport {
                device: DeviceKind::Printer.into(),
                state: DeviceState::Fault
            }]
        );
        assert_eq!(sample.outbox_depth, 0);
        assert_eq!(sample.outbox_oldest_age_s, None);
        assert!(sample.storage_free_bytes.unwrap() > 0);
    }
}
