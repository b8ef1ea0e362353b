//! The receipt counter of the printer's paper roll: how many receipts came off the roll since
//! staff last changed it. Thermal printers only report "paper low" near the end; the counter
//! lets staff see on their rounds how far the roll has gone and plan the change.
//!
//! [`CountingPrinter`] wraps the printer driver so every receipt any flow prints is counted;
//! the count lives in a small JSON file in the data directory and survives restarts.

use crate::codec::escpos_status::PrinterStatus;
use crate::hal::printer::{PrintError, PrintReport, Receipt, ReceiptPrinter};
use crate::hal::DeviceHealth;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

/// File name of the counter inside the data directory.
pub const PAPER_COUNTER_FILE: &str = "printer-paper.json";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaperCount {
    /// Receipts printed since the roll was changed.
    pub receipts: u64,
    /// When the roll was last changed (ms since the Unix epoch); `None` before the first reset.
    pub since_ms: Option<i64>,
}

/// The persisted counter, shared by the printer wrapper and the staff screen.
#[derive(Debug, Clone)]
pub struct PaperCounter {
    path: PathBuf,
    count: Arc<Mutex<PaperCount>>,
}

impl PaperCounter {
    /// Loads the counter from `data_dir`; a missing or unreadable file starts at zero (the
    /// next write replaces it).
    pub fn open(data_dir: &Path) -> PaperCounter {
        let path = data_dir.join(PAPER_COUNTER_FILE);
        let count = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        PaperCounter {
            path,
            count: Arc::new(Mutex::new(count)),
        }
    }

    fn lock(&self) -> MutexGuard<'_, PaperCount> {
        self.count
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn get(&self) -> PaperCount {
        *self.lock()
    }

    pub fn record_receipt(&self) {
        let mut count = self.lock();
        count.receipts = count.receipts.saturating_add(1);
        self.save(&count);
    }

    /// A new roll went in at `now_ms`; returns the count of the old roll.
    pub fn reset(&self, now_ms: i64) -> PaperCount {
        let mut count = self.lock();
        let old = *count;
        *count = PaperCount {
            receipts: 0,
            since_ms: Some(now_ms),
        };
        self.save(&count);
        old
    }

    /// Written through a temporary file and a rename, so a power cut leaves the old or the
    /// new count, never half a file. A failed write is logged: counting is advisory.
    fn save(&self, count: &PaperCount) {
        let temporary = self.path.with_extension("json.tmp");
        let written = serde_json::to_vec(count)
            .map_err(std::io::Error::other)
            .and_then(|bytes| std::fs::write(&temporary, bytes))
            .and_then(|()| std::fs::rename(&temporary, &self.path));
        if let Err(error) = written {
            tracing::warn!(%error, "printer paper counter not saved");
        }
    }
}

/// A printer driver that counts the receipts it prints.
pub struct CountingPrinter {
    inner: Box<dyn ReceiptPrinter>,
    counter: PaperCounter,
}

impl CountingPrinter {
    pub fn new(inner: Box<dyn ReceiptPrinter>, counter: PaperCounter) -> Self {
        CountingPrinter { inner, counter }
    }
}

impl ReceiptPrinter for CountingPrinter {
    fn print(&mut self, receipt: &Receipt) -> Result<PrintReport, PrintError> {
        let result = self.inner.print(receipt);
        // An interrupted receipt used paper too.
        if matches!(result, Ok(_) | Err(PrintError::Interrupted { .. })) {
            self.counter.record_receipt();
        }
        result
    }

    fn status(&mut self) -> Result<PrinterStatus, PrintError> {
        self.inner.status()
    }

    fn health(&self) -> DeviceHealth {
        self.inner.health()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_survives_a_restart_and_resets() {
        let dir = tempfile::tempdir().expect("temp dir");
        let counter = PaperCounter::open(dir.path());
        assert_eq!(counter.get(), PaperCount::default());
        counter.record_receipt();
        counter.record_receipt();
        let reopened = PaperCounter::open(dir.path());
        assert_eq!(reopened.get().receipts, 2);
        let old = reopened.reset(1_750_000_000_000);
        assert_eq!(old.receipts, 2);
        let after = PaperCounter::open(dir.path()).get();
        assert_eq!(
            after,
            PaperCount {
                receipts: 0,
                since_ms: Some(1_750_000_000_000)
            }
        );
    }

    #[test]
    fn a_corrupt_file_starts_at_zero() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join(PAPER_COUNTER_FILE), b"{not json").expect("write");
        assert_eq!(PaperCounter::open(dir.path()).get().receipts, 0);
    }
}
