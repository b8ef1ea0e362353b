//! Resident ID-card readers (GA/T 467 SAM): the `IdCardReader` trait, the serial driver
//! `SamSerialReader`, card validation, the WLT photo-decoder seam and (with `simulators`)
//! a SAM simulator on a PTY.

mod driver;
mod photo;
#[cfg(feature = "simulators")]
pub mod sim;
mod validate;

pub use driver::SamSerialReader;
pub use photo::{NoPhotoDecoder, PhotoDecoder, PhotoError};
pub use validate::{check_card, CardCheck, CardProblem, ADULT_AGE};

use super::serial::LinkError;
use super::DeviceHealth;
use crate::codec::id_text::{IdTextError, Identity};
use crate::codec::sam::{CardDataError, FrameError, SamId, SamStatus};
use std::fmt;
use std::time::{Duration, Instant};
use thiserror::Error;

/// Everything read from a card. Holds personal data: `Debug` is masked.
#[derive(Clone, PartialEq, Eq)]
pub struct IdCardRead {
    pub identity: Identity,
    /// The 1024-byte WLT photo, opaque until a `PhotoDecoder` decodes it.
    pub photo_wlt: Vec<u8>,
    /// Two 512-byte minutiae templates, when asked for and present on the card.
    pub fingerprint: Option<Vec<u8>>,
}

impl fmt::Debug for IdCardRead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdCardRead")
            .field("identity", &self.identity)
            .field("photo_wlt_len", &self.photo_wlt.len())
            .field("fingerprint_len", &self.fingerprint.as_ref().map(Vec::len))
            .finish()
    }
}

#[derive(Debug, Error)]
pub enum IdCardError {
    #[error("ID-card reader is absent or was unplugged")]
    Absent,
    #[error("ID-card reader did not answer within {0:?}")]
    NoAnswer(Duration),
    #[error("ID-card reader sent {received} bytes of an answer and then stopped")]
    TornFrame { received: usize },
    #[error("ID-card reader sent a corrupted frame: {0}")]
    Frame(#[from] FrameError),
    #[error("ID-card reader answered with a malformed response")]
    Malformed,
    #[error("ID-card reader: {0}")]
    Status(SamStatus),
    #[error("card data blocks are inconsistent: {0}")]
    CardData(#[from] CardDataError),
    #[error("card text block is unreadable: {0}")]
    Text(#[from] IdTextError),
    #[error("no card was placed within {0:?}")]
    NoCardPlaced(Duration),
    #[error("serial link: {0}")]
    Link(LinkError),
}

impl IdCardError {
    /// The citizen can fix it by placing the card again (as opposed to a reader fault).
    pub fn is_card_problem(&self) -> bool {
        match self {
            IdCardError::Status(status) => status.is_card_problem(),
            IdCardError::Text(_) | IdCardError::CardData(_) => true,
            _ => false,
        }
    }
}

impl From<LinkError> for IdCardError {
    fn from(error: LinkError) -> IdCardError {
        match error {
            LinkError::Absent(_) => IdCardError::Absent,
            LinkError::Timeout(wait) => IdCardError::NoAnswer(wait),
            other => IdCardError::Link(other),
        }
    }
}

/// A resident ID-card reader. Calls block for at most the driver's timeout; run them on a
/// blocking thread from async code.
pub trait IdCardReader: Send {
    /// `true` when a card is in the field (and has not been read since it was placed).
    fn find_card(&mut self) -> Result<bool, IdCardError>;
    fn select_card(&mut self) -> Result<(), IdCardError>;
    /// Reads and decodes the selected card (`with_fingerprint`: also the fingerprint block).
    fn read_card(&mut self, with_fingerprint: bool) -> Result<IdCardRead, IdCardError>;
    fn sam_id(&mut self) -> Result<SamId, IdCardError>;
    /// One cheap round trip (SAM status check); `Absent` when unplugged. Re-opens a port
    /// that went away and came back.
    fn health(&mut self) -> DeviceHealth;
}

/// Polls for a card until one is placed or `wait` passes, then selects and reads it.
pub fn read_when_placed(
    reader: &mut dyn IdCardReader,
    with_fingerprint: bool,
    wait: Duration,
    poll_interval: Duration,
) -> Result<IdCardRead, IdCardError> {
    let deadline = Instant::now() + wait;
    while !reader.find_card()? {
        if Instant::now() + poll_interval > deadline {
            return Err(IdCardError::NoCardPlaced(wait));
        }
        std::thread::sleep(poll_interval);
    }
    reader.select_card()?;
    reader.read_card(with_fingerprint)
}
