//! The kiosk-wide actions staff start from the screen and the operations centre starts by
//! remote command: print the status ticket and put parked submissions back in the queue.
//! Blocking (printer, SQLite): call them off the UI thread.

use super::bridge::KioskTelemetry;
use super::status_ticket::{status_ticket_lines, StatusTicketInfo};
use super::system_info::probe_case_system;
use super::telemetry::TelemetrySource;
use crate::hal::manager::{DeviceMonitor, Devices};
use crate::hal::printer::{Align, Receipt, ReceiptLine, TextSize};
use crate::hal::DeviceHealth;
use crate::store::{OutboxState, Store, StoreError};
use chrono::FixedOffset;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long the status ticket waits for the case system to answer when it looks up the
/// kiosk's address.
const ROUTE_PROBE: Duration = Duration::from_secs(2);

#[derive(Clone)]
pub struct KioskActions {
    pub kiosk_id: String,
    pub hall: String,
    pub case_url: String,
    pub data_dir: PathBuf,
    pub store: Arc<Store>,
    pub devices: Option<DeviceMonitor>,
    pub started: Instant,
}

#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error("no receipt printer is fitted")]
    NoPrinter,
    #[error("{0}")]
    Print(#[from] crate::hal::printer::PrintError),
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// China Standard Time: the kiosks' local time, whatever the system zone says.
fn china_time() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC"))
}

impl KioskActions {
    fn devices(&self) -> Option<&Arc<Mutex<Devices>>> {
        self.devices.as_ref().map(|monitor| &monitor.devices)
    }

    /// What the status ticket says now.
    pub fn status_ticket_info(&self) -> StatusTicketInfo {
        let sample = match &self.devices {
            Some(monitor) => KioskTelemetry {
                store: self.store.clone(),
                devices: monitor.health.clone(),
                data_dir: self.data_dir.clone(),
            }
            .sample(),
            None => Default::default(),
        };
        let healthy = self.devices.as_ref().is_none_or(|monitor| {
            !monitor
                .health
                .borrow()
                .iter()
                .any(|status| matches!(status.health, DeviceHealth::Fault { .. }))
        });
        StatusTicketInfo {
            kiosk_id: self.kiosk_id.clone(),
            hall: self.hall.clone(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            ip_addresses: probe_case_system(&self.case_url, ROUTE_PROBE)
                .local_ip
                .into_iter()
                .collect(),
            uptime: self.started.elapsed(),
            healthy,
            sample,
            printed_at: chrono::Utc::now().with_timezone(&china_time()),
        }
    }

    /// Prints the status ticket; returns the bytes sent to the printer.
    pub fn print_status_ticket(&self) -> Result<usize, ActionError> {
        let receipt = status_receipt(&self.status_ticket_info());
        let devices = self.devices().ok_or(ActionError::NoPrinter)?;
        let mut devices = devices.lock().unwrap_or_else(|p| p.into_inner());
        let printer = devices.printer.as_mut().ok_or(ActionError::NoPrinter)?;
        Ok(printer.print(&receipt)?.bytes)
    }

    /// Puts parked entries back in the queue: those in `ids`, or all parked ones when `None`.
    /// Returns how many were put back.
    pub fn retry_parked(&self, ids: Option<&[i64]>, actor: &str) -> Result<u64, ActionError> {
        let parked: Vec<i64> = match ids {
            Some(ids) => ids.to_vec(),
            None => self
                .store
                .outbox_entries(false)?
                .into_iter()
                .filter(|entry| entry.state == OutboxState::Parked)
                .map(|entry| entry.id)
                .collect(),
        };
        for id in &parked {
            self.store.retry_parked(*id, actor)?;
        }
        Ok(parked.len() as u64)
    }
}

/// The status ticket as a receipt: a title, then one "label: value" line each.
pub fn status_receipt(info: &StatusTicketInfo) -> Receipt {
    let mut lines = vec![
        ReceiptLine::Title("终端状态 Kiosk status".into()),
        ReceiptLine::Separator,
    ];
    lines.extend(
        status_ticket_lines(info)
            .into_iter()
            .map(|(label, value)| ReceiptLine::text(format!("{label}: {value}"))),
    );
    lines.push(ReceiptLine::Separator);
    lines.push(ReceiptLine::Text {
        text: "For staff only".into(),
        size: TextSize::NORMAL,
        bold: false,
        align: Align::Center,
    });
    lines.push(ReceiptLine::Feed(3));
    Receipt::new(lines)
}
