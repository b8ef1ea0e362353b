//! `R30xSerialModule`: the EF01 protocol over a UART (R307, R503, AS608, ZFM-20).

use super::{FingerprintError, FingerprintModule, SearchHit};
use crate::codec::fingerprint::{
    Ack, CharBuffer, Confirmation, FpCommand, Packet, PacketDecoder, PacketError, PacketKind,
};
use crate::hal::serial::{wire_time, Link};
use crate::hal::DeviceHealth;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Image capture and feature extraction take the module up to about a second.
pub const DEFAULT_ANSWER_TIMEOUT: Duration = Duration::from_millis(1500);
/// Largest template accepted from UpChar (R503 templates are larger than 512 bytes).
const MAX_TEMPLATE: usize = 4096;

pub struct R30xSerialModule {
    path: PathBuf,
    baud: u32,
    address: u32,
    answer_timeout: Duration,
    link: Option<Link>,
    decoder: PacketDecoder,
}

impl R30xSerialModule {
    /// Does not open the port yet: an unplugged module is `Absent`, not an error.
    pub fn new(path: &Path, baud: u32, address: u32) -> R30xSerialModule {
        R30xSerialModule {
            path: path.to_owned(),
            baud,
            address,
            answer_timeout: DEFAULT_ANSWER_TIMEOUT,
            link: None,
            decoder: PacketDecoder::new(),
        }
    }

    pub fn with_answer_timeout(mut self, timeout: Duration) -> R30xSerialModule {
        self.answer_timeout = timeout;
        self
    }

    fn link(&mut self) -> Result<&mut Link, FingerprintError> {
        if self.link.is_none() {
            self.link = Some(Link::open(&self.path, self.baud)?);
            tracing::debug!(path = %self.path.display(), baud = self.baud, "fingerprint module port opened");
        }
        self.link.as_mut().ok_or(FingerprintError::Absent)
    }

    /// Sends `command` and returns its ack, whatever the confirmation code.
    fn exchange(&mut self, command: FpCommand) -> Result<Ack, FingerprintError> {
        let outcome = self.send(command).and_then(|()| self.receive());
        if matches!(outcome, Err(FingerprintError::Absent)) {
            self.link = None;
        }
        let packet = outcome?;
        Ack::from_packet(&packet).ok_or(FingerprintError::Malformed)
    }

    /// An exchange that must be confirmed `Ok`.
    fn command(&mut self, command: FpCommand) -> Result<Ack, FingerprintError> {
        let ack = self.exchange(command)?;
        match ack.confirmation {
            Confirmation::Ok => Ok(ack),
            other => Err(FingerprintError::from_confirmation(other)),
        }
    }

    fn send(&mut self, command: FpCommand) -> Result<(), FingerprintError> {
        self.decoder.clear();
        let bytes = command.packet(self.address).encode()?;
        let link = self.link()?;
        link.discard_input()?;
        link.write_all(&bytes)?;
        Ok(())
    }

    /// The next packet from our module address, within the answer timeout.
    fn receive(&mut self) -> Result<Packet, FingerprintError> {
        let wait = self.answer_timeout + wire_time(256 + 11, self.baud);
        let deadline = Instant::now() + wait;
        let mut buffer = [0u8; 512];
        loop {
            while let Some(next) = self.decoder.next_packet() {
                match next {
                    Ok(packet) if packet.address == self.address => return Ok(packet),
                    Ok(_) => {
                        tracing::warn!("fingerprint module: packet for another address ignored")
                    }
                    Err(PacketError::Garbage { skipped }) => {
                        tracing::warn!(skipped, "fingerprint module: line noise before a packet");
                    }
                    Err(error) => return Err(FingerprintError::Packet(error)),
                }
            }
            let link = self.link.as_mut().ok_or(FingerprintError::Absent)?;
            let n = link.read_until(&mut buffer, deadline)?;
            if n == 0 {
                return Err(match self.decoder.pending() {
                    0 => FingerprintError::NoAnswer(wait),
                    received => FingerprintError::TornPacket { received },
                });
            }
            self.decoder.push(&buffer[..n]);
        }
    }
}

impl FingerprintModule for R30xSerialModule {
    fn capture(&mut self) -> Result<(), FingerprintError> {
        self.command(FpCommand::GenImg).map(drop)
    }

    fn extract(&mut self, buffer: CharBuffer) -> Result<(), FingerprintError> {
        self.command(FpCommand::Img2Tz(buffer)).map(drop)
    }

    fn match_buffers(&mut self) -> Result<Option<u16>, FingerprintError> {
        let ack = self.exchange(FpCommand::Match)?;
        match ack.confirmation {
            Confirmation::Ok => ack.u16_at(0).map(Some).ok_or(FingerprintError::Malformed),
            Confirmation::NoMatch => Ok(None),
            other => Err(FingerprintError::from_confirmation(other)),
        }
    }

    fn load_template(&mut self, page: u16, buffer: CharBuffer) -> Result<(), FingerprintError> {
        self.command(FpCommand::LoadChar { buffer, page }).map(drop)
    }

    fn register_model(&mut self) -> Result<(), FingerprintError> {
        self.command(FpCommand::RegModel).map(drop)
    }

    fn store(&mut self, buffer: CharBuffer, page: u16) -> Result<(), FingerprintError> {
        self.command(FpCommand::Store { buffer, page }).map(drop)
    }

    fn search(
        &mut self,
        buffer: CharBuffer,
        start: u16,
        count: u16,
    ) -> Result<Option<SearchHit>, FingerprintError> {
        let ack = self.exchange(FpCommand::Search {
            buffer,
            start,
            count,
        })?;
        match ack.confirmation {
            Confirmation::Ok => match (ack.u16_at(0), ack.u16_at(2)) {
                (Some(page), Some(score)) => Ok(Some(SearchHit { page, score })),
                _ => Err(FingerprintError::Malformed),
            },
            Confirmation::NotFound => Ok(None),
            other => Err(FingerprintError::from_confirmation(other)),
        }
    }

    fn upload_template(&mut self, buffer: CharBuffer) -> Result<Vec<u8>, FingerprintError> {
        self.command(FpCommand::UpChar(buffer))?;
        let mut template = Vec::new();
        loop {
            let packet = self.receive()?;
            match packet.kind {
                PacketKind::Data | PacketKind::EndOfData => {
                    template.extend_from_slice(&packet.payload)
                }
                PacketKind::Command | PacketKind::Ack => return Err(FingerprintError::Malformed),
            }
            if template.len() > MAX_TEMPLATE {
                return Err(FingerprintError::Malformed);
            }
            if packet.kind == PacketKind::EndOfData {
                return Ok(template);
            }
        }
    }

    fn template_count(&mut self) -> Result<u16, FingerprintError> {
        let ack = self.command(FpCommand::TemplateNum)?;
        ack.u16_at(0).ok_or(FingerprintError::Malformed)
    }

    fn health(&mut self) -> DeviceHealth {
        // TemplateNum is answered by every module of the family, unlike GetEcho.
        match self.template_count() {
            Ok(_) => DeviceHealth::Ready,
            Err(FingerprintError::Absent) => DeviceHealth::Absent,
            Err(error) => DeviceHealth::Fault {
                reason: error.to_string(),
            },
        }
    }
}
