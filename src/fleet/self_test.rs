//! Device self-tests run from the staff screen: each exercises the device the way a citizen's
//! journey does (read a card, scan a finger, print a ticket, capture an image, blink the
//! light) and reports what happened in words for staff. Results never carry card contents,
//! images or fingerprints: only counts, sizes and error descriptions.
//!
//! The tests block (device timeouts apply): run them off the UI thread.

use crate::domain::DeviceKind;
use crate::hal::gpio::LightPattern;
use crate::hal::manager::Devices;
use crate::hal::printer::test_receipt;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// How long the light blinks in its test, so staff standing at the kiosk see it.
const BLINK_FOR: Duration = Duration::from_secs(3);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfTestResult {
    pub device: DeviceKind,
    pub passed: bool,
    /// For staff: what was done and seen, or the device's error.
    pub detail: String,
}

/// Whether the staff screen offers a self-test for this kind of device.
pub fn has_self_test(kind: DeviceKind) -> bool {
    !matches!(kind, DeviceKind::Speaker)
}

fn lock(devices: &Mutex<Devices>) -> MutexGuard<'_, Devices> {
    devices
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs the self-test of one device.
pub fn run_self_test(devices: &Mutex<Devices>, kind: DeviceKind) -> SelfTestResult {
    let outcome = match kind {
        DeviceKind::IdReader => test_id_reader(&mut lock(devices)),
        DeviceKind::SmartCard => test_smart_card(&mut lock(devices)),
        DeviceKind::Fingerprint => test_fingerprint(&mut lock(devices)),
        DeviceKind::Printer => test_printer(&mut lock(devices)),
        DeviceKind::Camera => test_camera(&mut lock(devices)),
        DeviceKind::Gpio => test_light(devices),
        DeviceKind::Speaker => Err("no self-test for the speaker".to_owned()),
    };
    let (passed, detail) = match outcome {
        Ok(detail) => (true, detail),
        Err(detail) => (false, detail),
    };
    tracing::info!(event = "staff.self_test", device = ?kind, passed, "device self-test");
    SelfTestResult {
        device: kind,
        passed,
        detail,
    }
}

const NOT_FITTED: &str = "not fitted on this kiosk";

fn test_id_reader(devices: &mut Devices) -> Result<String, String> {
    let reader = &mut devices.id_reader.as_mut().ok_or(NOT_FITTED)?.driver;
    let sam = reader.sam_id().map_err(|e| e.to_string())?;
    let card = match reader.find_card() {
        Ok(true) => "a card is on the reader",
        Ok(false) => "no card on the reader",
        Err(error) => return Err(format!("SAM {sam} answered; card search failed: {error}")),
    };
    Ok(format!("SAM {sam} answered; {card}"))
}

fn test_smart_card(devices: &mut Devices) -> Result<String, String> {
    let reader = devices.smart_card.as_mut().ok_or(NOT_FITTED)?;
    let atr = reader.atr().map_err(|e| e.to_string())?;
    let uid = reader.uid().map_err(|e| e.to_string())?;
    Ok(format!(
        "card read: ATR {} bytes, UID {} bytes",
        atr.len(),
        uid.len()
    ))
}

fn test_fingerprint(devices: &mut Devices) -> Result<String, String> {
    let module = &mut devices.fingerprint.as_mut().ok_or(NOT_FITTED)?.driver;
    module.capture().map_err(|e| e.to_string())?;
    let templates = module.template_count().map_err(|e| e.to_string())?;
    Ok(format!("finger captured; {templates} templates enrolled"))
}

fn test_printer(devices: &mut Devices) -> Result<String, String> {
    let printer = devices.printer.as_mut().ok_or(NOT_FITTED)?;
    let report = printer.print(&test_receipt()).map_err(|e| e.to_string())?;
    Ok(format!("test ticket printed ({} bytes)", report.bytes))
}

fn test_camera(devices: &mut Devices) -> Result<String, String> {
    let camera = devices.camera.as_mut().ok_or(NOT_FITTED)?;
    let jpeg = camera.capture_jpeg().map_err(|e| e.to_string())?;
    Ok(format!(
        "test image captured ({} KiB JPEG)",
        jpeg.len() / 1024
    ))
}

/// Blinks fast for a few seconds, then back to "in service". The lock is not held while
/// the light blinks, so the device monitor keeps polling.
fn test_light(devices: &Mutex<Devices>) -> Result<String, String> {
    let set = |pattern: LightPattern| -> Result<(), String> {
        let mut guard = lock(devices);
        let gpio = guard.gpio.as_mut().ok_or(NOT_FITTED)?;
        gpio.set_light(pattern).map_err(|e| e.to_string())
    };
    set(LightPattern::FastBlink)?;
    std::thread::sleep(BLINK_FOR);
    set(LightPattern::On)?;
    Ok(format!(
        "the status light blinked for {} s",
        BLINK_FOR.as_secs()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DevicesSection;

    #[test]
    fn devices_that_are_not_fitted_fail_with_a_clear_reason() {
        let devices = Mutex::new(Devices::open(&DevicesSection::default()));
        for kind in [
            DeviceKind::IdReader,
            DeviceKind::SmartCard,
            DeviceKind::Fingerprint,
            DeviceKind::Printer,
            DeviceKind::Camera,
            DeviceKind::Gpio,
        ] {
            let result = run_self_test(&devices, kind);
            assert!(!result.passed, "{kind:?}");
            assert_eq!(result.detail, NOT_FITTED);
        }
    }
}
