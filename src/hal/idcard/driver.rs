//! `SamSerialReader`: the GA/T 467 protocol over a serial port (RS-232, USB-CDC, CH340).

use super::{IdCardError, IdCardRead, IdCardReader};
use crate::codec::id_text::Identity;
use crate::codec::sam::{
    CardData, FrameDecoder, FrameError, SamCommand, SamId, SamResponse, SamStatus,
};
use crate::hal::serial::{wire_time, Link, LinkError};
use crate::hal::DeviceHealth;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long the SAM may think before it starts answering (reading a card takes the SAM
/// several hundred milliseconds on real readers).
pub const DEFAULT_ANSWER_TIMEOUT: Duration = Duration::from_millis(1500);
/// The longest answer (text + photo + fingerprint), for the wire-time part of the timeout.
const LONGEST_ANSWER: usize = 2321;

pub struct SamSerialReader {
    path: PathBuf,
    baud: u32,
    answer_timeout: Duration,
    link: Option<Link>,
    decoder: FrameDecoder,
}

impl SamSerialReader {
    /// Does not open the port yet: a reader unplugged at start is `Absent`, not an error.
    pub fn new(path: &Path, baud: u32) -> SamSerialReader {
        SamSerialReader {
            path: path.to_owned(),
            baud,
            answer_timeout: DEFAULT_ANSWER_TIMEOUT,
            link: None,
            decoder: FrameDecoder::new(),
        }
    }

    /// Time allowed for the reader to start answering, on top of the answer's wire time.
    pub fn with_answer_timeout(mut self, timeout: Duration) -> SamSerialReader {
        self.answer_timeout = timeout;
        self
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn link(&mut self) -> Result<&mut Link, IdCardError> {
        if self.link.is_none() {
            self.link = Some(Link::open(&self.path, self.baud)?);
            tracing::debug!(path = %self.path.display(), baud = self.baud, "ID-card reader port opened");
        }
        self.link.as_mut().ok_or(IdCardError::Absent)
    }

    /// One request/response exchange. A vanished port is dropped so the next call re-opens.
    fn exchange(&mut self, command: SamCommand) -> Result<SamResponse, IdCardError> {
        let outcome = self.try_exchange(command);
        if matches!(outcome, Err(IdCardError::Absent)) {
            self.link = None;
        }
        outcome
    }

    fn try_exchange(&mut self, command: SamCommand) -> Result<SamResponse, IdCardError> {
        let wait = self.answer_timeout + wire_time(LONGEST_ANSWER, self.baud);
        self.decoder.clear();
        let link = self.link()?;
        link.discard_input()?;
        link.write_all(&command.encode())?;
        let deadline = Instant::now() + wait;
        let mut buffer = [0u8; 1024];
        loop {
            while let Some(next) = self.decoder.next_frame() {
                match next {
                    Ok(body) => return SamResponse::from_body(&body).ok_or(IdCardError::Malformed),
                    Err(FrameError::Garbage { skipped }) => {
                        tracing::warn!(skipped, "ID-card reader: line noise before a frame");
                    }
                    Err(error) => return Err(IdCardError::Frame(error)),
                }
            }
            let link = self.link.as_mut().ok_or(IdCardError::Absent)?;
            let n = link.read_until(&mut buffer, deadline)?;
            if n == 0 {
                return Err(match self.decoder.pending() {
                    0 => IdCardError::NoAnswer(wait),
                    received => IdCardError::TornFrame { received },
                });
            }
            self.decoder.push(&buffer[..n]);
        }
    }

    /// An exchange whose status must be one of `accepted`.
    fn expect(
        &mut self,
        command: SamCommand,
        accepted: &[SamStatus],
    ) -> Result<SamResponse, IdCardError> {
        let response = self.exchange(command)?;
        if accepted.contains(&response.status) {
            Ok(response)
        } else {
            tracing::info!(command = ?command, sw3 = response.status.sw3(), "ID-card reader refused");
            Err(IdCardError::Status(response.status))
        }
    }
}

impl IdCardReader for SamSerialReader {
    fn find_card(&mut self) -> Result<bool, IdCardError> {
        let response = self.expect(
            SamCommand::FindCard,
            &[SamStatus::FindCardSuccess, SamStatus::FindCardFailed],
        )?;
        Ok(response.status == SamStatus::FindCardSuccess)
    }

    fn select_card(&mut self) -> Result<(), IdCardError> {
        self.expect(SamCommand::SelectCard, &[SamStatus::Success])
            .map(drop)
    }

    fn read_card(&mut self, with_fingerprint: bool) -> Result<IdCardRead, IdCardError> {
        let command = if with_fingerprint {
            SamCommand::ReadTextPhotoFingerprint
        } else {
            SamCommand::ReadTextPhoto
        };
        let response = self.expect(command, &[SamStatus::Success])?;
        let data = CardData::parse(&response.data, with_fingerprint)?;
        let identity = Identity::decode(&data.text)?;
        tracing::debug!(
            kind = identity.kind_name(),
            fingerprint = data.fingerprint.is_some(),
            "ID card read"
        );
        Ok(IdCardRead {
            identity,
            photo_wlt: data.photo_wlt,
            fingerprint: data.fingerprint,
        })
    }

    fn sam_id(&mut self) -> Result<SamId, IdCardError> {
        let response = self.expect(SamCommand::ReadSamId, &[SamStatus::Success])?;
        SamId::from_data(&response.data).ok_or(IdCardError::Malformed)
    }

    fn health(&mut self) -> DeviceHealth {
        match self.expect(SamCommand::SamStatus, &[SamStatus::Success]) {
            Ok(_) => DeviceHealth::Ready,
            Err(IdCardError::Absent) => DeviceHealth::Absent,
            Err(IdCardError::Link(LinkError::PermissionDenied { .. })) => DeviceHealth::Fault {
                reason: "permission denied on the serial port".into(),
            },
            Err(error) => DeviceHealth::Fault {
                reason: error.to_string(),
            },
        }
    }
}
