//! The ESC/POS driver: one implementation of [`ReceiptPrinter`] for every transport.

use super::link::{is_absent, LinkTarget, PrinterLink, WRITE_TIMEOUT};
use super::{health_from_status, PrintError, PrintReport, PrinterProfile, Receipt, ReceiptPrinter};
use crate::codec::escpos_status::{PrinterStatus, StatusQuery};
use crate::hal::DeviceHealth;
use std::io;
use std::time::Duration;

/// Receipts are sent in chunks of whole commands with a status poll between them, so a
/// fault mid-receipt stops the transfer within one chunk.
const CHUNK: usize = 512;
/// How long a printer gets to answer one `DLE EOT`.
const STATUS_TIMEOUT: Duration = Duration::from_millis(500);

pub struct EscPosPrinter {
    target: LinkTarget,
    profile: PrinterProfile,
    link: Option<Box<dyn PrinterLink>>,
    health: DeviceHealth,
}

impl EscPosPrinter {
    /// Nothing is opened until the first call, so a printer plugged in later just works.
    pub fn new(target: LinkTarget, profile: PrinterProfile) -> EscPosPrinter {
        EscPosPrinter {
            target,
            profile,
            link: None,
            health: DeviceHealth::Absent,
        }
    }

    fn ensure_link(&mut self) -> Result<(), PrintError> {
        if self.link.is_none() {
            match self.target.open() {
                Ok(link) => self.link = Some(link),
                Err(e) => return Err(self.io_failed(e)),
            }
        }
        Ok(())
    }

    /// Records an I/O failure: an absent device drops the link so the next call re-opens.
    fn io_failed(&mut self, error: io::Error) -> PrintError {
        if is_absent(&error) {
            self.link = None;
            self.health = DeviceHealth::Absent;
            tracing::warn!(target = %self.target.describe(), "printer absent");
            PrintError::Absent {
                target: self.target.describe(),
            }
        } else {
            self.health = DeviceHealth::Fault {
                reason: format!("I/O error: {}", error.kind()),
            };
            PrintError::Io(error)
        }
    }

    /// All four `DLE EOT` queries; `Ok(None)` when the printer never answers.
    fn query_status(&mut self) -> Result<Option<PrinterStatus>, PrintError> {
        let mut replies = [0u8; 4];
        for (query, reply) in StatusQuery::ALL.into_iter().zip(replies.iter_mut()) {
            match self.ask(query) {
                Ok(Some(byte)) => *reply = byte,
                Ok(None) => return Ok(None),
                Err(e) => return Err(self.io_failed(e)),
            }
        }
        let status = PrinterStatus::decode(&replies)?;
        self.health = health_from_status(&status);
        Ok(Some(status))
    }

    fn ask(&mut self, query: StatusQuery) -> io::Result<Option<u8>> {
        let link = match self.link.as_mut() {
            Some(link) => link,
            None => return Err(io::Error::from(io::ErrorKind::NotConnected)),
        };
        // Drop anything stale (a late reply, automatic status) so replies stay paired.
        let mut stale = [0u8; 64];
        while link.receive(&mut stale, Duration::ZERO)? > 0 {}
        link.send(&query.request())?;
        let mut byte = [0u8; 1];
        Ok((link.receive(&mut byte, STATUS_TIMEOUT)? == 1).then_some(byte[0]))
    }

    fn send_chunks(&mut self, commands: &[Vec<u8>]) -> Result<(), PrintError> {
        let total = commands.iter().map(Vec::len).sum();
        let mut sent = 0;
        for chunk in chunks_of_whole_commands(commands) {
            let chunk = chunk.as_slice();
            let result = match self.link.as_mut() {
                Some(link) => link.send(chunk),
                None => return Err(PrintError::Disconnected { sent, total }),
            };
            match result {
                Ok(()) => sent += chunk.len(),
                Err(e) if e.kind() == io::ErrorKind::TimedOut => {
                    // A printer that stops taking data has usually stopped printing:
                    // ask it why.
                    return Err(match self.query_status()? {
                        Some(status) if !status.can_print() => PrintError::Interrupted {
                            status,
                            sent,
                            total,
                        },
                        _ => PrintError::Stalled {
                            seconds: WRITE_TIMEOUT.as_secs(),
                        },
                    });
                }
                Err(e) => {
                    return Err(match self.io_failed(e) {
                        PrintError::Absent { .. } => PrintError::Disconnected { sent, total },
                        other => other,
                    })
                }
            }
            if sent < total {
                if let Some(status) = self.query_status()? {
                    if !status.can_print() {
                        return Err(PrintError::Interrupted {
                            status,
                            sent,
                            total,
                        });
                    }
                }
            }
        }
        Ok(())
    }
}

impl ReceiptPrinter for EscPosPrinter {
    fn print(&mut self, receipt: &Receipt) -> Result<PrintReport, PrintError> {
        let commands = receipt.to_escpos_commands(&self.profile)?;
        let total: usize = commands.iter().map(Vec::len).sum();
        self.ensure_link()?;
        if let Some(status) = self.query_status()? {
            if !status.can_print() {
                return Err(PrintError::NotReady { status });
            }
        }
        self.health = DeviceHealth::Busy;
        self.send_chunks(&commands)?;
        let status_after = self.query_status()?;
        if let Some(status) = status_after {
            if !status.can_print() {
                return Err(PrintError::Interrupted {
                    status,
                    sent: total,
                    total,
                });
            }
        } else {
            self.health = DeviceHealth::Ready;
        }
        tracing::info!(bytes = total, "receipt printed");
        Ok(PrintReport {
            bytes: total,
            status_after,
        })
    }

    fn status(&mut self) -> Result<PrinterStatus, PrintError> {
        self.ensure_link()?;
        self.query_status()?.ok_or(PrintError::NoStatusReply)
    }

    fn health(&self) -> DeviceHealth {
        self.health.clone()
    }
}

/// Groups commands into chunks of about [`CHUNK`] bytes without splitting any command.
fn chunks_of_whole_commands(commands: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut chunks: Vec<Vec<u8>> = Vec::new();
    for command in commands {
        match chunks.last_mut() {
            Some(chunk) if chunk.len() + command.len() <= CHUNK => chunk.extend_from_slice(command),
            _ => chunks.push(command.clone()),
        }
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_keep_commands_whole_and_in_order() {
        let commands: Vec<Vec<u8>> = (0..100u8)
            .map(|i| vec![i; usize::from(i % 7) * 40 + 1])
            .collect();
        let chunks = chunks_of_whole_commands(&commands);
        assert_eq!(chunks.concat(), commands.concat());
        let mut boundaries = std::collections::HashSet::new();
        let mut at = 0;
        for command in &commands {
            at += command.len();
            boundaries.insert(at);
        }
        let mut at = 0;
        for chunk in &chunks {
            assert!(chunk.len() <= CHUNK);
            at += chunk.len();
            assert!(boundaries.contains(&at), "chunk ends inside a command");
        }
    }
}
