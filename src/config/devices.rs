//! `[devices.*]`: which driver each kiosk device uses. Every section is tagged by `driver`;
//! `none` means the device is not fitted, and services that need it say so to the citizen.
//! The `simulated` drivers exist only in builds with the `simulators` feature, so a
//! production image refuses them at start like any other unknown value.

use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DevicesSection {
    #[serde(default)]
    pub id_reader: IdReaderConfig,
    #[serde(default)]
    pub smart_card: SmartCardConfig,
    #[serde(default)]
    pub fingerprint: FingerprintConfig,
    #[serde(default)]
    pub printer: PrinterConfig,
    #[serde(default)]
    pub gpio: GpioConfig,
    #[serde(default)]
    pub camera: CameraConfig,
    #[serde(default)]
    pub speaker: SpeakerConfig,
}

fn default_baud() -> u32 {
    115_200
}
fn default_fingerprint_baud() -> u32 {
    57_600
}

/// GA/T 467 SAM resident ID-card reader.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(tag = "driver", rename_all = "kebab-case", deny_unknown_fields)]
pub enum IdReaderConfig {
    #[default]
    None,
    /// Serial or USB-serial SAM reader, e.g. `/dev/ttyUSB0` or a udev name `/dev/kiosk-idreader`.
    Serial {
        port: PathBuf,
        #[serde(default = "default_baud")]
        baud: u32,
    },
    #[cfg(feature = "simulators")]
    Simulated,
}

/// PC/SC reader (staff cards, social-security card).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(tag = "driver", rename_all = "kebab-case", deny_unknown_fields)]
pub enum SmartCardConfig {
    #[default]
    None,
    /// Through pcscd; `reader` is a substring of the reader name (first reader when absent).
    Pcsc {
        #[serde(default)]
        reader: Option<String>,
    },
}

/// Synochip/R30x-family fingerprint module on a UART.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(tag = "driver", rename_all = "kebab-case", deny_unknown_fields)]
pub enum FingerprintConfig {
    #[default]
    None,
    Serial {
        port: PathBuf,
        #[serde(default = "default_fingerprint_baud")]
        baud: u32,
        /// Module address, 0xFFFFFFFF unless re-programmed.
        #[serde(default = "default_fingerprint_address")]
        address: u32,
    },
    #[cfg(feature = "simulators")]
    Simulated,
}

fn default_fingerprint_address() -> u32 {
    0xFFFF_FFFF
}

/// ESC/POS thermal receipt printer.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(tag = "driver", rename_all = "kebab-case", deny_unknown_fields)]
pub enum PrinterConfig {
    #[default]
    None,
    /// Linux USB printer class device, e.g. `/dev/usb/lp0`.
    UsbLp { device: PathBuf },
    Serial {
        port: PathBuf,
        #[serde(default = "default_baud")]
        baud: u32,
    },
    /// Network printer on raw TCP (usually port 9100).
    Tcp { address: String },
    #[cfg(feature = "simulators")]
    Simulated,
}

/// Status light, call-staff button, cabinet door and paper-low sensor lines.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(tag = "driver", rename_all = "kebab-case", deny_unknown_fields)]
pub enum GpioConfig {
    #[default]
    None,
    /// Raspberry Pi header through rppal; BCM pin numbers.
    Rppal { pins: GpioPins },
    /// Any board through the GPIO character device, e.g. `/dev/gpiochip0`; line offsets.
    Cdev { chip: PathBuf, pins: GpioPins },
    #[cfg(feature = "simulators")]
    Simulated,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GpioPins {
    pub status_light: u32,
    pub call_button: u32,
    pub door_switch: u32,
    pub paper_low: u32,
}

/// Document camera (高拍仪) on V4L2.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(tag = "driver", rename_all = "kebab-case", deny_unknown_fields)]
pub enum CameraConfig {
    #[default]
    None,
    V4l2 {
        device: PathBuf,
    },
    #[cfg(feature = "simulators")]
    Simulated,
}

/// Voice guidance output.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(tag = "driver", rename_all = "kebab-case", deny_unknown_fields)]
pub enum SpeakerConfig {
    #[default]
    None,
    /// espeak-ng through ALSA.
    EspeakNg {
        #[serde(default = "default_volume")]
        volume: u8,
    },
    #[cfg(feature = "simulators")]
    Simulated,
}

fn default_volume() -> u8 {
    70
}

impl DevicesSection {
    /// Every device simulated: what `demo` and the tests use.
    #[cfg(feature = "simulators")]
    pub fn demo() -> DevicesSection {
        DevicesSection {
            id_reader: IdReaderConfig::Simulated,
            smart_card: SmartCardConfig::None,
            fingerprint: FingerprintConfig::Simulated,
            printer: PrinterConfig::Simulated,
            gpio: GpioConfig::Simulated,
            camera: CameraConfig::Simulated,
            speaker: SpeakerConfig::Simulated,
        }
    }

    /// Without simulators there is nothing to demonstrate with: no device is fitted.
    #[cfg(not(feature = "simulators"))]
    pub fn demo() -> DevicesSection {
        DevicesSection::default()
    }

    pub fn any_simulated(&self) -> bool {
        #[cfg(feature = "simulators")]
        {
            matches!(self.id_reader, IdReaderConfig::Simulated)
                || matches!(self.fingerprint, FingerprintConfig::Simulated)
                || matches!(self.printer, PrinterConfig::Simulated)
                || matches!(self.gpio, GpioConfig::Simulated)
                || matches!(self.camera, CameraConfig::Simulated)
                || matches!(self.speaker, SpeakerConfig::Simulated)
        }
        #[cfg(not(feature = "simulators"))]
        {
            false
        }
    }

    /// Checks what serde cannot: device nodes that must exist at start. A missing serial
    /// port is *not* an error here (USB devices come and go; the device manager reports it
    /// as absent), but a relative or empty path is.
    pub(super) fn validate(&self) -> Result<(), (Vec<&'static str>, String)> {
        let absolute = |section: &'static str, key: &'static str, p: &Path| {
            if p.as_os_str().is_empty() || !p.is_absolute() {
                Err((
                    vec!["devices", section, key],
                    format!("`{}` must be an absolute device path", p.display()),
                ))
            } else {
                Ok(())
            }
        };
        if let IdReaderConfig::Serial { port, .. } = &self.id_reader {
            absolute("id_reader", "port", port)?;
        }
        if let FingerprintConfig::Serial { port, .. } = &self.fingerprint {
            absolute("fingerprint", "port", port)?;
        }
        match &self.printer {
            PrinterConfig::UsbLp { device } => absolute("printer", "device", device)?,
            PrinterConfig::Serial { port, .. } => absolute("printer", "port", port)?,
            PrinterConfig::Tcp { address } if address.parse::<std::net::SocketAddr>().is_err() => {
                return Err((
                    vec!["devices", "printer", "address"],
                    format!("`{address}` is not host:port, e.g. 192.0.2.10:9100"),
                ));
            }
            _ => {}
        }
        if let CameraConfig::V4l2 { device } = &self.camera {
            absolute("camera", "device", device)?;
        }
        if let GpioConfig::Cdev { chip, .. } = &self.gpio {
            absolute("gpio", "chip", chip)?;
        }
        Ok(())
    }
}
