//! The device manager: opens every configured device, reports each one's health to the UI,
//! `doctor`, telemetry and the logs, and notices unplug and re-plug.
//!
//! Opening a device never fails the kiosk: a device that cannot be opened is reported as a
//! fault with its reason and the services that need it say so to the citizen. Drivers
//! re-open their port on the next call after an unplug, so polling `health()` is also what
//! reconnects them. Health changes are debounced — a state must be seen on two consecutive
//! polls before it is reported — so a flaky USB contact does not make the UI flicker.

use super::camera::{open_camera, DocumentCamera};
use super::fingerprint::{FingerprintModule, R30xSerialModule};
use super::gpio::{open_gpio, KioskGpio};
use super::idcard::{IdCardReader, SamSerialReader};
use super::printer::{open_printer, ReceiptPrinter};
use super::smartcard::{PcscReader, SmartCardReader};
use super::speaker::{self, Speaker};
use super::DeviceHealth;
use crate::config::{DevicesSection, FingerprintConfig, IdReaderConfig, SmartCardConfig};
use crate::domain::DeviceKind;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A driver plus, for a simulated device, the simulator that must live as long as it.
pub struct Opened<D: ?Sized> {
    pub driver: Box<D>,
    _simulator: Option<Box<dyn std::any::Any + Send>>,
}

impl<D: ?Sized> Opened<D> {
    fn real(driver: Box<D>) -> Self {
        Opened {
            driver,
            _simulator: None,
        }
    }
}

/// One device's line in a health report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceStatus {
    pub kind: DeviceKind,
    /// The configured driver, e.g. `serial`, `usb-lp`, `simulated`, `none`.
    pub driver: String,
    pub health: DeviceHealth,
}

/// Every configured device, opened.
pub struct Devices {
    drivers: HashMap<DeviceKind, String>,
    open_faults: HashMap<DeviceKind, String>,
    pub id_reader: Option<Opened<dyn IdCardReader>>,
    pub fingerprint: Option<Opened<dyn FingerprintModule>>,
    pub printer: Option<Box<dyn ReceiptPrinter>>,
    pub smart_card: Option<Box<dyn SmartCardReader>>,
    pub gpio: Option<Box<dyn KioskGpio>>,
    pub camera: Option<Box<dyn DocumentCamera>>,
    pub speaker: Option<Arc<dyn Speaker>>,
}

/// The kebab-case name of a config enum's variant (`UsbLp { .. }` → `usb-lp`).
fn driver_name(debug: String) -> String {
    let variant = debug.split([' ', '{', '(']).next().unwrap_or_default();
    variant.chars().fold(String::new(), |mut out, c| {
        if c.is_uppercase() && !out.is_empty() {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
        out
    })
}

impl Devices {
    /// Opens every device the configuration names. Failures are kept as faults, not errors.
    pub fn open(config: &DevicesSection) -> Devices {
        let drivers = HashMap::from([
            (
                DeviceKind::IdReader,
                driver_name(format!("{:?}", config.id_reader)),
            ),
            (
                DeviceKind::Fingerprint,
                driver_name(format!("{:?}", config.fingerprint)),
            ),
            (
                DeviceKind::Printer,
                driver_name(format!("{:?}", config.printer)),
            ),
            (
                DeviceKind::SmartCard,
                driver_name(format!("{:?}", config.smart_card)),
            ),
            (DeviceKind::Gpio, driver_name(format!("{:?}", config.gpio))),
            (
                DeviceKind::Camera,
                driver_name(format!("{:?}", config.camera)),
            ),
            (
                DeviceKind::Speaker,
                driver_name(format!("{:?}", config.speaker)),
            ),
        ]);
        let mut open_faults = HashMap::new();
        let mut keep = |kind: DeviceKind, error: String| {
            tracing::warn!(device = ?kind, %error, "device could not be opened");
            open_faults.insert(kind, error);
        };
        let id_reader = open_id_reader(&config.id_reader)
            .map_err(|e| keep(DeviceKind::IdReader, e.to_string()))
            .ok()
            .flatten();
        let fingerprint = open_fingerprint(&config.fingerprint)
            .map_err(|e| keep(DeviceKind::Fingerprint, e.to_string()))
            .ok()
            .flatten();
        let printer = open_printer(&config.printer)
            .map_err(|e| keep(DeviceKind::Printer, e.to_string()))
            .ok()
            .flatten();
        let gpio = open_gpio(&config.gpio)
            .map_err(|e| keep(DeviceKind::Gpio, e.to_string()))
            .ok()
            .flatten();
        let smart_card: Option<Box<dyn SmartCardReader>> = match &config.smart_card {
            SmartCardConfig::None => None,
            SmartCardConfig::Pcsc { reader } => Some(Box::new(PcscReader::new(reader.clone()))),
        };
        Devices {
            drivers,
            open_faults,
            id_reader,
            fingerprint,
            printer,
            smart_card,
            gpio,
            camera: open_camera(&config.camera),
            speaker: speaker::open(&config.speaker),
        }
    }

    /// Asks every device for its health (cheap calls; serial drivers re-open after unplug).
    pub fn health(&mut self) -> Vec<DeviceStatus> {
        let probe = |kind: DeviceKind, health: Option<DeviceHealth>| -> DeviceHealth {
            match health {
                Some(health) => health,
                None => match self.open_faults.get(&kind) {
                    Some(reason) => DeviceHealth::Fault {
                        reason: reason.clone(),
                    },
                    None => DeviceHealth::NotFitted,
                },
            }
        };
        let readings = [
            (
                DeviceKind::IdReader,
                self.id_reader.as_mut().map(|d| d.driver.health()),
            ),
            (
                DeviceKind::Fingerprint,
                self.fingerprint.as_mut().map(|d| d.driver.health()),
            ),
            (
                DeviceKind::Printer,
                self.printer.as_mut().map(probe_printer),
            ),
            (
                DeviceKind::SmartCard,
                self.smart_card.as_ref().map(|d| d.health()),
            ),
            (DeviceKind::Gpio, self.gpio.as_ref().map(|d| d.health())),
            (DeviceKind::Camera, self.camera.as_ref().map(|d| d.health())),
            (
                DeviceKind::Speaker,
                self.speaker.as_ref().map(|d| d.health()),
            ),
        ];
        readings
            .into_iter()
            .map(|(kind, health)| DeviceStatus {
                kind,
                driver: self.drivers.get(&kind).cloned().unwrap_or_default(),
                health: probe(kind, health),
            })
            .collect()
    }
}

/// Asks the printer for its status now: its `health()` alone is only what the last call
/// saw, so without this query a printer nobody has printed on stays "absent" for ever.
fn probe_printer(printer: &mut Box<dyn ReceiptPrinter>) -> DeviceHealth {
    if let Err(error) = printer.status() {
        tracing::debug!(%error, "printer status query failed");
    }
    printer.health()
}

/// Opens the configured ID-card reader; the simulated one sits on a PTY with a sample card.
pub fn open_id_reader(config: &IdReaderConfig) -> anyhow::Result<Option<Opened<dyn IdCardReader>>> {
    Ok(match config {
        IdReaderConfig::None => None,
        IdReaderConfig::Serial { port, baud } => {
            Some(Opened::real(Box::new(SamSerialReader::new(port, *baud))))
        }
        #[cfg(feature = "simulators")]
        IdReaderConfig::Simulated => {
            let sim = super::idcard::sim::SamSimulator::start(115_200)?;
            if let Some(card) = super::idcard::sim::sample_card("adult") {
                sim.place_card(card);
            }
            let driver = Box::new(SamSerialReader::new(sim.path(), 115_200));
            Some(Opened {
                driver,
                _simulator: Some(Box::new(sim)),
            })
        }
    })
}

/// Opens the configured fingerprint module; the simulated one sits on a PTY.
pub fn open_fingerprint(
    config: &FingerprintConfig,
) -> anyhow::Result<Option<Opened<dyn FingerprintModule>>> {
    Ok(match config {
        FingerprintConfig::None => None,
        FingerprintConfig::Serial {
            port,
            baud,
            address,
        } => Some(Opened::real(Box::new(R30xSerialModule::new(
            port, *baud, *address,
        )))),
        #[cfg(feature = "simulators")]
        FingerprintConfig::Simulated => {
            use super::fingerprint::sim::{Finger, FingerprintSimulator};
            let sim = FingerprintSimulator::start(57_600, 0xFFFF_FFFF)?;
            // The demo's staff member: finger 1 enrolled where the demo allow-list expects it.
            sim.enrol(DEMO_STAFF_PAGE, 1);
            sim.put_finger(Finger::Present(1));
            let driver = Box::new(R30xSerialModule::new(sim.path(), 57_600, 0xFFFF_FFFF));
            Some(Opened {
                driver,
                _simulator: Some(Box::new(sim)),
            })
        }
    })
}

/// The template page of the simulated module where the demo's staff finger is enrolled.
pub const DEMO_STAFF_PAGE: u16 = 7;

/// Debounces health readings: a new state is reported once it has been read twice in a row.
#[derive(Debug, Default)]
pub struct HealthDebouncer {
    reported: HashMap<DeviceKind, DeviceHealth>,
    pending: HashMap<DeviceKind, DeviceHealth>,
}

impl HealthDebouncer {
    /// Feeds one poll; returns the devices whose reported health changed, as
    /// (kind, previous, new). The first reading of a device is reported at once.
    pub fn feed(
        &mut self,
        readings: &[DeviceStatus],
    ) -> Vec<(DeviceKind, Option<DeviceHealth>, DeviceHealth)> {
        let mut changes = Vec::new();
        for reading in readings {
            let kind = reading.kind;
            let now = reading.health.clone();
            match self.reported.get(&kind) {
                None => {
                    self.reported.insert(kind, now.clone());
                    changes.push((kind, None, now));
                }
                Some(current) if *current == now => {
                    self.pending.remove(&kind);
                }
                Some(current) => {
                    if self.pending.get(&kind) == Some(&now) {
                        let previous = current.clone();
                        self.reported.insert(kind, now.clone());
                        self.pending.remove(&kind);
                        changes.push((kind, Some(previous), now));
                    } else {
                        self.pending.insert(kind, now);
                    }
                }
            }
        }
        changes
    }

    /// The debounced health of every device seen so far.
    pub fn reported(&self) -> Vec<(DeviceKind, DeviceHealth)> {
        let mut all: Vec<_> = self.reported.iter().map(|(k, h)| (*k, h.clone())).collect();
        all.sort_by_key(|(kind, _)| format!("{kind:?}"));
        all
    }
}

/// Polls the devices on a thread of its own and publishes debounced health on a watch
/// channel; health changes are logged (device kind and state only, never data). Clones
/// share the devices and the channel; the polling thread stops when the last clone drops.
#[derive(Clone)]
pub struct DeviceMonitor {
    pub devices: Arc<Mutex<Devices>>,
    pub health: tokio::sync::watch::Receiver<Vec<DeviceStatus>>,
    /// Touched on every polling round (the watchdog's probe reads it).
    pub last_poll: crate::liveness::LastTurn,
}

impl DeviceMonitor {
    pub fn start(devices: Devices, every: Duration) -> DeviceMonitor {
        let devices = Arc::new(Mutex::new(devices));
        let (publish, health) = tokio::sync::watch::channel(Vec::new());
        let polled = Arc::downgrade(&devices);
        let last_poll = crate::liveness::LastTurn::new();
        let turn = last_poll.clone();
        std::thread::Builder::new()
            .name("device-monitor".into())
            .spawn(move || {
                let mut debouncer = HealthDebouncer::default();
                while let Some(devices) = polled.upgrade() {
                    turn.touch();
                    // A driver that panicked mid-call leaves no half state worth stopping
                    // for: keep polling (the store treats a poisoned lock the same way).
                    let readings = devices
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner())
                        .health();
                    drop(devices);
                    let changes = debouncer.feed(&readings);
                    for (kind, from, to) in &changes {
                        tracing::info!(event = "device.health", device = ?kind, ?from, ?to, "device health changed");
                    }
                    if !changes.is_empty() {
                        let snapshot = readings
                            .iter()
                            .map(|r| DeviceStatus {
                                health: debouncer
                                    .reported()
                                    .into_iter()
                                    .find(|(k, _)| *k == r.kind)
                                    .map(|(_, h)| h)
                                    .unwrap_or_else(|| r.health.clone()),
                                ..r.clone()
                            })
                            .collect();
                        if publish.send(snapshot).is_err() {
                            break;
                        }
                    }
                    std::thread::sleep(every);
                }
            })
            .expect("spawning the device monitor thread");
        DeviceMonitor {
            devices,
            health,
            last_poll,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(kind: DeviceKind, health: DeviceHealth) -> DeviceStatus {
        DeviceStatus {
            kind,
            driver: "serial".into(),
            health,
        }
    }

    #[test]
    fn a_change_is_reported_after_two_consistent_polls() {
        let mut d = HealthDebouncer::default();
        let ready = [reading(DeviceKind::Printer, DeviceHealth::Ready)];
        let absent = [reading(DeviceKind::Printer, DeviceHealth::Absent)];
        assert_eq!(d.feed(&ready).len(), 1, "first reading reported at once");
        assert!(d.feed(&absent).is_empty(), "one bad poll is not enough");
        assert_eq!(
            d.feed(&absent),
            vec![(
                DeviceKind::Printer,
                Some(DeviceHealth::Ready),
                DeviceHealth::Absent
            )]
        );
        assert!(d.feed(&absent).is_empty());
    }

    #[test]
    fn a_flicker_is_not_reported() {
        let mut d = HealthDebouncer::default();
        let ready = [reading(DeviceKind::IdReader, DeviceHealth::Ready)];
        let absent = [reading(DeviceKind::IdReader, DeviceHealth::Absent)];
        d.feed(&ready);
        for _ in 0..5 {
            assert!(d.feed(&absent).is_empty());
            assert!(d.feed(&ready).is_empty());
        }
        assert_eq!(
            d.reported(),
            vec![(DeviceKind::IdReader, DeviceHealth::Ready)]
        );
    }

    #[test]
    fn driver_names_are_kebab_case() {
        assert_eq!(
            driver_name("UsbLp { device: \"/dev/usb/lp0\" }".into()),
            "usb-lp"
        );
        assert_eq!(driver_name("None".into()), "none");
        assert_eq!(driver_name("EspeakNg { volume: 70 }".into()), "espeak-ng");
    }

    #[test]
    fn unfitted_devices_report_not_fitted() {
        let mut devices = Devices::open(&DevicesSection::default());
        let health = devices.health();
        assert_eq!(health.len(), 7);
        assert!(health
            .iter()
            .all(|s| s.health == DeviceHealth::NotFitted && s.driver == "none"));
    }

    #[cfg(feature = "simulators")]
    #[test]
    fn the_demo_devices_become_ready() {
        let mut devices = Devices::open(&DevicesSection::demo());
        // Simulators start on their own threads; allow them a few polls, as the monitor does.
        let mut last = Vec::new();
        for _ in 0..20 {
            last = devices.health();
            if last
                .iter()
                .all(|s| matches!(s.health, DeviceHealth::Ready | DeviceHealth::NotFitted))
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("demo devices not ready: {last:?}");
    }
}
