//! `legal-kiosk device print-test` and `device camera-test --out FILE.jpg`: the library side
//! (the command wiring lives with the `device` command).

use crate::codec::escpos_status::{PrinterProblem, PrinterStatus};
use crate::config::KioskConfig;
use crate::hal::camera::{capture_to_file, open_camera};
use crate::hal::printer::{open_printer, self_test, PrintError};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Outcome of `device print-test` (JSON shape documented in docs/cli-json.md).
#[derive(Debug, Clone, Serialize)]
pub struct PrintTestReport {
    /// False when the config has `driver = "none"`.
    pub fitted: bool,
    pub printed: bool,
    /// Bytes sent for the test ticket.
    pub bytes: usize,
    /// The printer's status after the ticket (or why it refused), when it answered.
    pub status: Option<PrinterStatus>,
    pub problems: Vec<PrinterProblem>,
    /// What went wrong, for staff; never personal data.
    pub error: Option<String>,
}

impl PrintTestReport {
    pub fn summary(&self) -> String {
        match (&self.error, self.fitted) {
            (_, false) => "no printer fitted".to_string(),
            (Some(error), _) => format!("print test failed: {error}"),
            (None, true) => format!("test ticket printed ({} bytes)", self.bytes),
        }
    }
}

/// Prints the test ticket on the configured printer.
pub fn print_test(config: &KioskConfig) -> anyhow::Result<PrintTestReport> {
    let mut report = PrintTestReport {
        fitted: true,
        printed: false,
        bytes: 0,
        status: None,
        problems: Vec::new(),
        error: None,
    };
    let mut printer = match open_printer(&config.devices.printer) {
        Ok(Some(printer)) => printer,
        Ok(None) => {
            report.fitted = false;
            return Ok(report);
        }
        Err(error) => {
            report.error = Some(error.to_string());
            return Ok(report);
        }
    };
    match self_test(printer.as_mut()) {
        Ok(printed) => {
            report.printed = true;
            report.bytes = printed.bytes;
            report.status = printed.status_after;
        }
        Err(error) => {
            report.status = match &error {
                PrintError::NotReady { status } | PrintError::Interrupted { status, .. } => {
                    Some(*status)
                }
                _ => None,
            };
            report.error = Some(error.to_string());
        }
    }
    report.problems = report.status.map(|s| s.problems()).unwrap_or_default();
    Ok(report)
}

/// Outcome of `device camera-test`.
#[derive(Debug, Clone, Serialize)]
pub struct CameraTestReport {
    pub fitted: bool,
    pub out: Option<PathBuf>,
    pub bytes: usize,
    pub error: Option<String>,
}

impl CameraTestReport {
    pub fn summary(&self) -> String {
        match (&self.error, &self.out) {
            (Some(error), _) => format!("camera test failed: {error}"),
            (None, Some(out)) => {
                format!("still written to {} ({} bytes)", out.display(), self.bytes)
            }
            (None, None) => "no camera fitted".to_string(),
        }
    }
}

/// Captures one still from the configured camera into `out`.
pub fn camera_test(config: &KioskConfig, out: &Path) -> anyhow::Result<CameraTestReport> {
    let Some(mut camera) = open_camera(&config.devices.camera) else {
        return Ok(CameraTestReport {
            fitted: false,
            out: None,
            bytes: 0,
            error: None,
        });
    };
    Ok(match capture_to_file(camera.as_mut(), out) {
        Ok(bytes) => CameraTestReport {
            fitted: true,
            out: Some(out.to_path_buf()),
            bytes,
            error: None,
        },
        Err(error) => CameraTestReport {
            fitted: true,
            out: None,
            bytes: 0,
            error: Some(error.to_string()),
        },
    })
}

#[cfg(all(test, feature = "simulators"))]
mod tests {
    use super::*;

    #[test]
    fn demo_print_test_prints_on_the_simulated_printer() {
        let dir = tempfile::tempdir().unwrap();
        let config = KioskConfig::demo(dir.path().to_path_buf());
        let report = print_test(&config).unwrap();
        assert!(report.fitted && report.printed, "{}", report.summary());
        assert_eq!(report.status, Some(PrinterStatus::default()));
        assert!(report.problems.is_empty());
    }

    #[test]
    fn demo_camera_test_writes_a_jpeg() {
        let dir = tempfile::tempdir().unwrap();
        let config = KioskConfig::demo(dir.path().to_path_buf());
        let out = dir.path().join("still.jpg");
        let report = camera_test(&config, &out).unwrap();
        assert_eq!(report.out.as_deref(), Some(out.as_path()));
        assert!(std::fs::read(&out).unwrap().starts_with(&[0xFF, 0xD8]));
    }
}
