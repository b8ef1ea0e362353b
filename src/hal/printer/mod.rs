//! Thermal receipt printer: a [`Receipt`] model rendered to ESC/POS, one driver for every
//! transport ([`EscPosPrinter`] over a [`LinkTarget`]), and (with `simulators`) a printer
//! simulator that interprets the byte stream and renders receipts to PNG.
//!
//! Printing polls `DLE EOT` status before the receipt, between chunks of it and after it,
//! so paper running out or the cover opening mid-receipt is a defined outcome
//! ([`PrintError::Interrupted`]) that the flow can act on (reprint after staff refill).

mod driver;
mod link;
mod receipt;
#[cfg(feature = "simulators")]
pub mod sim;

pub use driver::EscPosPrinter;
pub use link::{FdLink, LinkTarget, PrinterLink, SerialLink, TcpLink};
pub use receipt::{Align, PrinterProfile, Receipt, ReceiptError, ReceiptLine, TextSize};

use crate::codec::escpos_status::{PrinterStatus, StatusError};
use crate::config::PrinterConfig;
use crate::hal::DeviceHealth;
use serde::Serialize;
use thiserror::Error;

/// What a successful print reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrintReport {
    /// Bytes sent to the printer.
    pub bytes: usize,
    /// Status after the receipt; `None` when the printer does not answer status queries
    /// (a unidirectional USB printer).
    pub status_after: Option<PrinterStatus>,
}

#[derive(Debug, Error)]
pub enum PrintError {
    #[error("printer not connected ({target})")]
    Absent { target: String },
    #[error("printer not ready: {}", describe(status))]
    NotReady { status: PrinterStatus },
    #[error(
        "receipt interrupted after {sent} of {total} bytes: {}",
        describe(status)
    )]
    Interrupted {
        status: PrinterStatus,
        sent: usize,
        total: usize,
    },
    #[error("printer connection lost after {sent} of {total} bytes")]
    Disconnected { sent: usize, total: usize },
    #[error("printer stopped accepting data for {seconds} s without reporting a fault")]
    Stalled { seconds: u64 },
    #[error("printer did not answer the status query")]
    NoStatusReply,
    #[error(transparent)]
    BadStatus(#[from] StatusError),
    #[error(transparent)]
    Receipt(#[from] ReceiptError),
    #[error("printer I/O error: {0}")]
    Io(#[source] std::io::Error),
}

fn describe(status: &PrinterStatus) -> String {
    let problems: Vec<&str> = status.problems().iter().map(|p| p.describe()).collect();
    if problems.is_empty() {
        "no fault reported".to_string()
    } else {
        problems.join(", ")
    }
}

/// A receipt printer. Calls block for at most a few seconds (run them on a blocking
/// thread from async code).
pub trait ReceiptPrinter: Send {
    /// Prints and cuts one receipt.
    fn print(&mut self, receipt: &Receipt) -> Result<PrintReport, PrintError>;
    /// Queries the printer now (re-opening it if it was unplugged).
    fn status(&mut self) -> Result<PrinterStatus, PrintError>;
    /// The health known from the last print or status call; no I/O.
    fn health(&self) -> DeviceHealth;
}

/// Health for a status: ready, or a fault naming the most severe problem.
pub fn health_from_status(status: &PrinterStatus) -> DeviceHealth {
    if status.can_print() {
        DeviceHealth::Ready
    } else {
        DeviceHealth::Fault {
            reason: describe(status),
        }
    }
}

/// Opens the printer the configuration names; `None` when none is fitted. The simulated
/// printer is started on a loopback port and reached over TCP like a network printer.
pub fn open_printer(config: &PrinterConfig) -> Result<Option<Box<dyn ReceiptPrinter>>, PrintError> {
    let profile = PrinterProfile::default();
    let target = match config {
        PrinterConfig::None => return Ok(None),
        PrinterConfig::UsbLp { device } => LinkTarget::UsbLp(device.clone()),
        PrinterConfig::Serial { port, baud } => LinkTarget::Serial {
            port: port.clone(),
            baud: *baud,
        },
        PrinterConfig::Tcp { address } => {
            let address = address.parse().map_err(|_| PrintError::Absent {
                target: address.clone(),
            })?;
            LinkTarget::Tcp(address)
        }
        #[cfg(feature = "simulators")]
        PrinterConfig::Simulated => {
            let printer =
                sim::SimulatedPrinter::start(sim::SimOptions::demo()).map_err(PrintError::Io)?;
            return Ok(Some(Box::new(sim::SimulatedPrinterDriver::new(
                printer, profile,
            ))));
        }
    };
    Ok(Some(Box::new(EscPosPrinter::new(target, profile))))
}

/// The test ticket of `legal-kiosk device print-test`.
pub fn test_receipt() -> Receipt {
    Receipt::new(vec![
        ReceiptLine::Title("打印测试".into()),
        ReceiptLine::Text {
            text: "Printer self-test".into(),
            size: TextSize::NORMAL,
            bold: false,
            align: Align::Center,
        },
        ReceiptLine::Separator,
        ReceiptLine::text("中文：公证 法律咨询 收据"),
        ReceiptLine::text("ASCII: 0123456789 ABCDEF abcdef"),
        ReceiptLine::Text {
            text: "粗体 Bold".into(),
            size: TextSize::NORMAL,
            bold: true,
            align: Align::Left,
        },
        ReceiptLine::Text {
            text: "倍宽倍高".into(),
            size: TextSize::DOUBLE,
            bold: false,
            align: Align::Right,
        },
        ReceiptLine::QrCode {
            data: "legal-kiosk print test".into(),
            module_size: 6,
        },
        ReceiptLine::Separator,
    ])
}

/// Prints the test ticket and returns the printer's status afterwards.
pub fn self_test(printer: &mut dyn ReceiptPrinter) -> Result<PrintReport, PrintError> {
    printer.print(&test_receipt())
}
