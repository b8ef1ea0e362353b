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
    /// The printer on this link has answered a status query, so it is bidirectional.
    answers_status: bool,
    /// A status query timed out on a printer that answers: its reply may still arrive and
    /// must not be taken for the reply to the next query.
    reply_owed: bool,
}

impl EscPosPrinter {
    /// Nothing is opened until the first call, so a printer plugged in later just works.
    pub fn new(target: LinkTarget, profile: PrinterProfile) -> EscPosPrinter {
        EscPosPrinter {
            target,
            profile,
            link: None,
            health: DeviceHealth::Absent,
            answers_status: false,
            reply_owed: false,
        }
    }

    fn ensure_link(&mut self) -> Result<(), PrintError> {
        if self.link.is_none() {
            match self.target.open() {
                Ok(link) => {
                    self.link = Some(link);
                    self.answers_status = false;
                    self.reply_owed = false;
                }
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
        // Drop anything stale (a late reply, automatic status) so replies stay paired. A
        // reply owed by a timed-out query may still be in flight on a busy machine: wait
        // for it once, or it would be read as the answer to this query.
        let mut stale = [0u8; 64];
        if std::mem::take(&mut self.reply_owed) {
            link.receive(&mut stale, STATUS_TIMEOUT)?;
        }
        while link.receive(&mut stale, Duration::ZERO)? > 0 {}
        link.send(&query.request())?;
        let mut byte = [0u8; 1];
        let answered = link.receive(&mut byte, STATUS_TIMEOUT)? == 1;
        if answered {
            self.answers_status = true;
        } else {
            self.reply_owed = self.answers_status;
        }
        Ok(answered.then_some(byte[0]))
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
        let status = self.query_status()?;
        if status.is_none() && !self.answers_status {
            // A unidirectional printer (many usblp ones) takes data but cannot report:
            // connected is all it can tell, so it counts as ready.
            self.health = DeviceHealth::Ready;
        }
        status.ok_or(PrintError::NoStatusReply)
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
    use std::collections::VecDeque;

    /// A printer whose reply to one status query comes after the driver's deadline: it
    /// lands while the driver waits on a later receive or sends the next query, as on a
    /// loaded machine.
    struct SlowReplyLink {
        status: PrinterStatus,
        queries: usize,
        late_query: usize,
        /// The late reply, and whether its deadline has passed (it may arrive now).
        late: Option<(u8, bool)>,
        arrived: VecDeque<u8>,
    }

    impl SlowReplyLink {
        fn deliver_late(&mut self) {
            if let Some((byte, true)) = self.late {
                self.arrived.push_back(byte);
                self.late = None;
            }
        }
    }

    impl PrinterLink for SlowReplyLink {
        fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
            self.deliver_late();
            if let [0x10, 0x04, n] = *bytes {
                if let Some(query) = StatusQuery::from_parameter(n) {
                    self.queries += 1;
                    let reply = self.status.encode(query);
                    if self.queries == self.late_query {
                        self.late = Some((reply, false));
                    } else {
                        self.arrived.push_back(reply);
                    }
                }
            }
            Ok(())
        }

        fn receive(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
            if !timeout.is_zero() {
                self.deliver_late();
            }
            if let Some((_, due)) = self.late.as_mut() {
                *due = true;
            }
            match (self.arrived.pop_front(), buf.first_mut()) {
                (Some(byte), Some(slot)) => {
                    *slot = byte;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    #[test]
    fn a_late_status_reply_is_not_taken_for_the_next_query() {
        let status = PrinterStatus {
            paper_near_end: true,
            ..PrinterStatus::default()
        };
        let mut printer = EscPosPrinter::new(
            LinkTarget::Tcp(std::net::SocketAddr::from(([127, 0, 0, 1], 9))),
            PrinterProfile::default(),
        );
        printer.link = Some(Box::new(SlowReplyLink {
            status,
            queries: 0,
            // The paper-sensor query of the second status call: its reply, read as the
            // printer-status byte of the third call, would say "offline".
            late_query: 8,
            late: None,
            arrived: VecDeque::new(),
        }));
        assert_eq!(printer.status().unwrap(), status);
        assert!(matches!(printer.status(), Err(PrintError::NoStatusReply)));
        assert_eq!(printer.status().unwrap(), status);
        assert_eq!(printer.health(), DeviceHealth::Ready);
    }

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
