//! The PC/SC driver over `pcscd`.

use super::{ApduResponse, CardEvent, SmartCardError, SmartCardReader};
use crate::hal::DeviceHealth;
use pcsc::{Card, Context, Protocols, ReaderState, Scope, ShareMode, State, MAX_BUFFER_SIZE};
use std::ffi::CString;
use std::time::Duration;
use tokio::sync::mpsc;

/// How often the monitor thread wakes to notice a dropped receiver.
const MONITOR_TICK: Duration = Duration::from_millis(500);

pub struct PcscReader {
    /// Substring of the reader name; the first reader when `None`.
    reader_filter: Option<String>,
    context: Option<Context>,
    card: Option<Card>,
    health: DeviceHealth,
}

impl PcscReader {
    /// Nothing is opened until the first call, so pcscd or the reader may come later.
    pub fn new(reader_filter: Option<String>) -> PcscReader {
        PcscReader {
            reader_filter,
            context: None,
            card: None,
            health: DeviceHealth::Absent,
        }
    }

    fn context(&mut self) -> Result<Context, SmartCardError> {
        if let Some(context) = &self.context {
            if context.is_valid().is_ok() {
                return Ok(context.clone());
            }
        }
        self.card = None;
        match Context::establish(Scope::User) {
            Ok(context) => {
                self.context = Some(context.clone());
                Ok(context)
            }
            Err(e) => Err(self.failed(e)),
        }
    }

    fn reader_name(&mut self) -> Result<CString, SmartCardError> {
        let context = self.context()?;
        let readers = match context.list_readers_owned() {
            Ok(readers) => readers,
            Err(e) => return Err(self.failed(e)),
        };
        let found = readers.into_iter().find(|name| match &self.reader_filter {
            Some(filter) => name.to_string_lossy().contains(filter.as_str()),
            None => true,
        });
        found.ok_or_else(|| {
            self.health = DeviceHealth::Absent;
            SmartCardError::NoReader
        })
    }

    fn card(&mut self) -> Result<&Card, SmartCardError> {
        if self.card.is_none() {
            let name = self.reader_name()?;
            let context = self.context()?;
            match context.connect(&name, ShareMode::Shared, Protocols::ANY) {
                Ok(card) => self.card = Some(card),
                Err(e) => return Err(self.failed(e)),
            }
        }
        self.health = DeviceHealth::Ready;
        self.card.as_ref().ok_or(SmartCardError::NoCard)
    }

    /// Maps a PC/SC error to an outcome and forgets state that it invalidated.
    fn failed(&mut self, error: pcsc::Error) -> SmartCardError {
        match error {
            pcsc::Error::NoService | pcsc::Error::ServiceStopped | pcsc::Error::InvalidHandle => {
                self.context = None;
                self.card = None;
                self.health = DeviceHealth::Absent;
                SmartCardError::NoService
            }
            pcsc::Error::NoReadersAvailable
            | pcsc::Error::UnknownReader
            | pcsc::Error::ReaderUnavailable => {
                self.card = None;
                self.health = DeviceHealth::Absent;
                SmartCardError::NoReader
            }
            pcsc::Error::NoSmartcard => {
                self.card = None;
                self.health = DeviceHealth::Ready;
                SmartCardError::NoCard
            }
            pcsc::Error::RemovedCard | pcsc::Error::ResetCard | pcsc::Error::UnpoweredCard => {
                self.card = None;
                self.health = DeviceHealth::Ready;
                SmartCardError::CardRemoved
            }
            other => {
                self.card = None;
                self.health = DeviceHealth::Fault {
                    reason: format!("PC/SC: {other}"),
                };
                SmartCardError::Pcsc(other.to_string())
            }
        }
    }
}

impl SmartCardReader for PcscReader {
    fn card_events(&mut self) -> Result<mpsc::UnboundedReceiver<CardEvent>, SmartCardError> {
        let name = self.reader_name()?;
        let context = self.context()?;
        let (tx, rx) = mpsc::unbounded_channel();
        std::thread::Builder::new()
            .name("pcsc-monitor".into())
            .spawn(move || monitor(&context, name, &tx))
            .map_err(|e| SmartCardError::Pcsc(e.to_string()))?;
        Ok(rx)
    }

    fn atr(&mut self) -> Result<Vec<u8>, SmartCardError> {
        let status = self.card()?.status2_owned();
        match status {
            Ok(status) => Ok(status.atr().to_vec()),
            Err(e) => Err(self.failed(e)),
        }
    }

    fn transmit(&mut self, apdu: &[u8]) -> Result<ApduResponse, SmartCardError> {
        let mut buffer = [0u8; MAX_BUFFER_SIZE];
        let result = self.card()?.transmit(apdu, &mut buffer).map(<[u8]>::to_vec);
        match result {
            Ok(raw) => Ok(ApduResponse::parse(&raw)?),
            Err(e) => Err(self.failed(e)),
        }
    }

    fn health(&self) -> DeviceHealth {
        self.health.clone()
    }
}

/// Watches one reader until the receiver is dropped or pcscd goes away.
fn monitor(context: &Context, name: CString, tx: &mpsc::UnboundedSender<CardEvent>) {
    let mut states = [ReaderState::new(name, State::UNAWARE)];
    let mut present = false;
    while !tx.is_closed() {
        match context.get_status_change(MONITOR_TICK, &mut states) {
            Ok(()) => {}
            Err(pcsc::Error::Timeout) => continue,
            Err(error) => {
                tracing::warn!(%error, "card monitor stopped");
                if present {
                    let _ = tx.send(CardEvent::Removed);
                }
                return;
            }
        }
        let state = &mut states[0];
        let now_present = state.event_state().contains(State::PRESENT);
        let event = match (present, now_present) {
            (false, true) => Some(CardEvent::Inserted {
                atr: state.atr().to_vec(),
            }),
            (true, false) => Some(CardEvent::Removed),
            _ => None,
        };
        present = now_present;
        state.sync_current_state();
        if let Some(event) = event {
            if tx.send(event).is_err() {
                return;
            }
        }
    }
}
