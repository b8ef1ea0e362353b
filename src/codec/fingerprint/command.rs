//! Command packets (instruction code + parameters) and the acks that answer them.

use super::confirmation::Confirmation;
use super::packet::{Packet, PacketKind};

/// The module's two feature buffers (CharBuffer1/2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharBuffer {
    One,
    Two,
}

impl CharBuffer {
    fn id(self) -> u8 {
        match self {
            CharBuffer::One => 1,
            CharBuffer::Two => 2,
        }
    }

    fn from_id(id: u8) -> Option<CharBuffer> {
        match id {
            1 => Some(CharBuffer::One),
            2 => Some(CharBuffer::Two),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FpCommand {
    /// 01: capture an image into the image buffer.
    GenImg,
    /// 02: extract features from the image into a buffer.
    Img2Tz(CharBuffer),
    /// 03: compare buffer 1 with buffer 2; ack + score u16.
    Match,
    /// 04: search the library for buffer's features; ack + page u16 + score u16.
    Search {
        buffer: CharBuffer,
        start: u16,
        count: u16,
    },
    /// 05: combine buffers 1 and 2 into a template.
    RegModel,
    /// 06: store a buffer at a library page.
    Store { buffer: CharBuffer, page: u16 },
    /// 07: load a library page into a buffer.
    LoadChar { buffer: CharBuffer, page: u16 },
    /// 08: upload a buffer to the host as data packets.
    UpChar(CharBuffer),
    /// 09: download data packets from the host into a buffer.
    DownChar(CharBuffer),
    /// 0C: delete `count` templates from `page`.
    DeleteChar { page: u16, count: u16 },
    /// 0D: empty the library.
    Empty,
    /// 0F: read the 16-byte system parameters.
    ReadSysPara,
    /// 13: verify the module password.
    VerifyPassword(u32),
    /// 1D: number of stored templates; ack + u16.
    TemplateNum,
    /// 53: echo, the module answers 0x55.
    GetEcho,
}

impl FpCommand {
    pub fn payload(self) -> Vec<u8> {
        let mut payload = vec![self.code()];
        match self {
            FpCommand::Img2Tz(buffer) | FpCommand::UpChar(buffer) | FpCommand::DownChar(buffer) => {
                payload.push(buffer.id());
            }
            FpCommand::Search {
                buffer,
                start,
                count,
            } => {
                payload.push(buffer.id());
                payload.extend_from_slice(&start.to_be_bytes());
                payload.extend_from_slice(&count.to_be_bytes());
            }
            FpCommand::Store { buffer, page } | FpCommand::LoadChar { buffer, page } => {
                payload.push(buffer.id());
                payload.extend_from_slice(&page.to_be_bytes());
            }
            FpCommand::DeleteChar { page, count } => {
                payload.extend_from_slice(&page.to_be_bytes());
                payload.extend_from_slice(&count.to_be_bytes());
            }
            FpCommand::VerifyPassword(password) => {
                payload.extend_from_slice(&password.to_be_bytes())
            }
            FpCommand::GenImg
            | FpCommand::Match
            | FpCommand::RegModel
            | FpCommand::Empty
            | FpCommand::ReadSysPara
            | FpCommand::TemplateNum
            | FpCommand::GetEcho => {}
        }
        payload
    }

    fn code(self) -> u8 {
        match self {
            FpCommand::GenImg => 0x01,
            FpCommand::Img2Tz(_) => 0x02,
            FpCommand::Match => 0x03,
            FpCommand::Search { .. } => 0x04,
            FpCommand::RegModel => 0x05,
            FpCommand::Store { .. } => 0x06,
            FpCommand::LoadChar { .. } => 0x07,
            FpCommand::UpChar(_) => 0x08,
            FpCommand::DownChar(_) => 0x09,
            FpCommand::DeleteChar { .. } => 0x0C,
            FpCommand::Empty => 0x0D,
            FpCommand::ReadSysPara => 0x0F,
            FpCommand::VerifyPassword(_) => 0x13,
            FpCommand::TemplateNum => 0x1D,
            FpCommand::GetEcho => 0x53,
        }
    }

    pub fn packet(self, address: u32) -> Packet {
        Packet::new(address, PacketKind::Command, self.payload())
    }

    /// Recognises a command payload (what the module, or the simulator, receives).
    pub fn from_payload(payload: &[u8]) -> Option<FpCommand> {
        let buffer = |id: &u8| CharBuffer::from_id(*id);
        let be16 = |hi: &u8, lo: &u8| u16::from_be_bytes([*hi, *lo]);
        Some(match payload {
            [0x01] => FpCommand::GenImg,
            [0x02, b] => FpCommand::Img2Tz(buffer(b)?),
            [0x03] => FpCommand::Match,
            [0x04, b, s1, s2, c1, c2] => FpCommand::Search {
                buffer: buffer(b)?,
                start: be16(s1, s2),
                count: be16(c1, c2),
            },
            [0x05] => FpCommand::RegModel,
            [0x06, b, p1, p2] => FpCommand::Store {
                buffer: buffer(b)?,
                page: be16(p1, p2),
            },
            [0x07, b, p1, p2] => FpCommand::LoadChar {
                buffer: buffer(b)?,
                page: be16(p1, p2),
            },
            [0x08, b] => FpCommand::UpChar(buffer(b)?),
            [0x09, b] => FpCommand::DownChar(buffer(b)?),
            [0x0C, p1, p2, c1, c2] => FpCommand::DeleteChar {
                page: be16(p1, p2),
                count: be16(c1, c2),
            },
            [0x0D] => FpCommand::Empty,
            [0x0F] => FpCommand::ReadSysPara,
            [0x13, a, b, c, d] => FpCommand::VerifyPassword(u32::from_be_bytes([*a, *b, *c, *d])),
            [0x1D] => FpCommand::TemplateNum,
            [0x53] => FpCommand::GetEcho,
            _ => return None,
        })
    }
}

/// An ack's payload: confirmation code and command-specific data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ack {
    pub confirmation: Confirmation,
    pub data: Vec<u8>,
}

impl Ack {
    pub fn new(confirmation: Confirmation, data: Vec<u8>) -> Ack {
        Ack { confirmation, data }
    }

    /// `None` unless the packet is an ack with at least its confirmation code.
    pub fn from_packet(packet: &Packet) -> Option<Ack> {
        match (packet.kind, packet.payload.split_first()) {
            (PacketKind::Ack, Some((code, data))) => {
                Some(Ack::new(Confirmation::from_code(*code), data.to_vec()))
            }
            _ => None,
        }
    }

    pub fn packet(&self, address: u32) -> Packet {
        let mut payload = vec![self.confirmation.code()];
        payload.extend_from_slice(&self.data);
        Packet::new(address, PacketKind::Ack, payload)
    }

    /// The big-endian u16 at data index `index` (score, page, count).
    pub fn u16_at(&self, index: usize) -> Option<u16> {
        let bytes = self.data.get(index..index + 2)?;
        Some(u16::from_be_bytes([bytes[0], bytes[1]]))
    }
}

#[cfg(test)]
mod tests {
    use super::super::packet::DEFAULT_ADDRESS;
    use super::*;

    use crate::codec::sam::hex;

    #[test]
    fn reference_command_frames() {
        let cases = [
            (FpCommand::GenImg, "EF 01 FF FF FF FF 01 00 03 01 00 05"),
            (
                FpCommand::Img2Tz(CharBuffer::One),
                "EF 01 FF FF FF FF 01 00 04 02 01 00 08",
            ),
            (FpCommand::Match, "EF 01 FF FF FF FF 01 00 03 03 00 07"),
            (
                FpCommand::Search {
                    buffer: CharBuffer::One,
                    start: 0,
                    count: 1000,
                },
                "EF 01 FF FF FF FF 01 00 08 04 01 00 00 03 E8 00 F9",
            ),
            (FpCommand::RegModel, "EF 01 FF FF FF FF 01 00 03 05 00 09"),
            (
                FpCommand::Store {
                    buffer: CharBuffer::One,
                    page: 5,
                },
                "EF 01 FF FF FF FF 01 00 06 06 01 00 05 00 13",
            ),
            (
                FpCommand::LoadChar {
                    buffer: CharBuffer::One,
                    page: 5,
                },
                "EF 01 FF FF FF FF 01 00 06 07 01 00 05 00 14",
            ),
            (
                FpCommand::UpChar(CharBuffer::One),
                "EF 01 FF FF FF FF 01 00 04 08 01 00 0E",
            ),
            (
                FpCommand::DownChar(CharBuffer::One),
                "EF 01 FF FF FF FF 01 00 04 09 01 00 0F",
            ),
            (
                FpCommand::DeleteChar { page: 5, count: 1 },
                "EF 01 FF FF FF FF 01 00 07 0C 00 05 00 01 00 1A",
            ),
            (FpCommand::Empty, "EF 01 FF FF FF FF 01 00 03 0D 00 11"),
            (
                FpCommand::ReadSysPara,
                "EF 01 FF FF FF FF 01 00 03 0F 00 13",
            ),
            (
                FpCommand::VerifyPassword(0),
                "EF 01 FF FF FF FF 01 00 07 13 00 00 00 00 00 1B",
            ),
            (
                FpCommand::TemplateNum,
                "EF 01 FF FF FF FF 01 00 03 1D 00 21",
            ),
        ];
        for (command, frame) in cases {
            assert_eq!(
                command.packet(DEFAULT_ADDRESS).encode().expect("short"),
                hex(frame),
                "{command:?}"
            );
            assert_eq!(FpCommand::from_payload(&command.payload()), Some(command));
        }
        assert_eq!(
            FpCommand::from_payload(&FpCommand::GetEcho.payload()),
            Some(FpCommand::GetEcho)
        );
        assert_eq!(
            FpCommand::from_payload(&[0x02, 3]),
            None,
            "there is no CharBuffer 3"
        );
        assert_eq!(FpCommand::from_payload(&[]), None);
    }

    #[test]
    fn ack_fields() {
        let ack = Ack::new(Confirmation::Ok, vec![0x00, 0x07, 0x00, 0xC8]);
        let packet = ack.packet(DEFAULT_ADDRESS);
        let back = Ack::from_packet(&packet).expect("ack");
        assert_eq!(back, ack);
        assert_eq!(back.u16_at(0), Some(7));
        assert_eq!(back.u16_at(2), Some(200));
        assert_eq!(back.u16_at(3), None);
        assert_eq!(
            Ack::from_packet(&Packet::new(0, PacketKind::Data, vec![0])),
            None
        );
        assert_eq!(
            Ack::from_packet(&Packet::new(0, PacketKind::Ack, vec![])),
            None
        );
    }
}
