//! Hardware abstraction layer: one trait per device, a real driver and (with the
//! `simulators` feature) a protocol-faithful simulator behind each. Drivers return results,
//! never panic, and never block without a timeout, so a pulled card or an unplugged printer
//! is an outcome the flows handle, not a crash.

pub mod camera;
pub mod fingerprint;
pub mod gpio;
pub mod idcard;
pub mod manager;
pub mod printer;
pub mod serial;
pub mod smartcard;
pub mod speaker;

use serde::Serialize;

/// Health of one device as shown to staff, `doctor`, telemetry and the flows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum DeviceHealth {
    /// Configured, connected and idle.
    Ready,
    /// Working on a request.
    Busy,
    /// Present but not usable; `reason` is for staff (never contains personal data).
    Fault { reason: String },
    /// Configured but not connected (unplugged, not enumerated).
    Absent,
    /// Not fitted on this kiosk (`driver = "none"`).
    NotFitted,
}
