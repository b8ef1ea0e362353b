//! Fingerprint: `FingerprintModule` for R30x/AS608-class UART modules (staff enrolment,
//! kiosk-local templates) with the serial driver `R30xSerialModule`, and the
//! `IdCardFingerprintMatcher` seam for comparing a live finger against the ID card's
//! templates, which only a certified vendor matcher can do (hardware-protocols.md §3.4).

mod driver;
mod matcher;
#[cfg(feature = "simulators")]
pub mod sim;

pub use driver::R30xSerialModule;
pub use matcher::{
    card_templates, CardMatch, IdCardFingerprintMatcher, MatcherError, CARD_TEMPLATE_LEN,
};

use super::serial::LinkError;
use super::DeviceHealth;
use crate::codec::fingerprint::{CharBuffer, Confirmation, PacketError};
use std::time::Duration;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum FingerprintError {
    #[error("fingerprint module is absent or was unplugged")]
    Absent,
    #[error("fingerprint module did not answer within {0:?}")]
    NoAnswer(Duration),
    #[error("fingerprint module sent {received} bytes of a packet and then stopped")]
    TornPacket { received: usize },
    #[error("fingerprint module sent a corrupted packet: {0}")]
    Packet(#[from] PacketError),
    #[error("fingerprint module sent an unexpected packet")]
    Malformed,
    #[error("no finger on the sensor")]
    NoFinger,
    /// The finger is there but the image is unusable (dry, wet, moved, too little area).
    #[error("the finger could not be read: {0}")]
    Unreadable(Confirmation),
    #[error("fingerprint module: {0}")]
    Module(Confirmation),
    #[error("serial link: {0}")]
    Link(LinkError),
}

impl From<LinkError> for FingerprintError {
    fn from(error: LinkError) -> FingerprintError {
        match error {
            LinkError::Absent(_) => FingerprintError::Absent,
            LinkError::Timeout(wait) => FingerprintError::NoAnswer(wait),
            other => FingerprintError::Link(other),
        }
    }
}

impl FingerprintError {
    /// Maps a failing confirmation code to the error the flows act on.
    pub fn from_confirmation(confirmation: Confirmation) -> FingerprintError {
        match confirmation {
            Confirmation::NoFinger => FingerprintError::NoFinger,
            Confirmation::ImageFail
            | Confirmation::ImageTooMessy
            | Confirmation::FeatureFail
            | Confirmation::InvalidImage => FingerprintError::Unreadable(confirmation),
            other => FingerprintError::Module(other),
        }
    }
}

/// A 1:N search hit: library page and match score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchHit {
    pub page: u16,
    pub score: u16,
}

/// A UART fingerprint module. Calls block for at most the driver's timeout.
pub trait FingerprintModule: Send {
    /// Captures an image of the finger on the sensor.
    fn capture(&mut self) -> Result<(), FingerprintError>;
    /// Extracts the captured image's features into `buffer`.
    fn extract(&mut self, buffer: CharBuffer) -> Result<(), FingerprintError>;
    /// Compares buffer 1 with buffer 2: `Some(score)` on a match, `None` when they differ.
    fn match_buffers(&mut self) -> Result<Option<u16>, FingerprintError>;
    /// Loads the template stored at `page` into `buffer`.
    fn load_template(&mut self, page: u16, buffer: CharBuffer) -> Result<(), FingerprintError>;
    /// Combines buffers 1 and 2 (two captures of one finger) into a template.
    fn register_model(&mut self) -> Result<(), FingerprintError>;
    /// Stores `buffer` at library `page`.
    fn store(&mut self, buffer: CharBuffer, page: u16) -> Result<(), FingerprintError>;
    /// 1:N: searches `count` pages from `start` for `buffer`'s features.
    fn search(
        &mut self,
        buffer: CharBuffer,
        start: u16,
        count: u16,
    ) -> Result<Option<SearchHit>, FingerprintError>;
    /// Uploads `buffer`'s template to the host.
    fn upload_template(&mut self, buffer: CharBuffer) -> Result<Vec<u8>, FingerprintError>;
    /// Number of enrolled templates.
    fn template_count(&mut self) -> Result<u16, FingerprintError>;
    /// One cheap round trip; `Absent` when unplugged; re-opens a port that came back.
    fn health(&mut self) -> DeviceHealth;

    /// 1:1: captures the finger and compares it with the template enrolled at `page`.
    fn verify(&mut self, page: u16) -> Result<Option<u16>, FingerprintError> {
        self.capture()?;
        self.extract(CharBuffer::One)?;
        self.load_template(page, CharBuffer::Two)?;
        self.match_buffers()
    }

    /// 1:N: captures the finger and searches the whole library of `library_size` pages.
    fn identify(&mut self, library_size: u16) -> Result<Option<SearchHit>, FingerprintError> {
        self.capture()?;
        self.extract(CharBuffer::One)?;
        self.search(CharBuffer::One, 0, library_size)
    }

    /// Enrols the finger at `page` from two captures.
    fn enrol(&mut self, page: u16) -> Result<(), FingerprintError> {
        self.capture()?;
        self.extract(CharBuffer::One)?;
        self.capture()?;
        self.extract(CharBuffer::Two)?;
        self.register_model()?;
        self.store(CharBuffer::One, page)
    }
}
