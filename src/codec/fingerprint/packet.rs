//! Packet framing and an incremental decoder that resynchronises on the `EF 01` header.

use thiserror::Error;

const HEADER: [u8; 2] = [0xEF, 0x01];
/// Header, address, PID and length.
const PREFIX_LEN: usize = 9;
/// Data packets carry at most 256 bytes; commands and acks far less.
pub const MAX_PAYLOAD: usize = 256;
pub const DEFAULT_ADDRESS: u32 = 0xFFFF_FFFF;

/// The packet identifier (PID).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PacketKind {
    Command,
    Data,
    Ack,
    EndOfData,
}

impl PacketKind {
    fn pid(self) -> u8 {
        match self {
            PacketKind::Command => 0x01,
            PacketKind::Data => 0x02,
            PacketKind::Ack => 0x07,
            PacketKind::EndOfData => 0x08,
        }
    }

    fn from_pid(pid: u8) -> Option<PacketKind> {
        Some(match pid {
            0x01 => PacketKind::Command,
            0x02 => PacketKind::Data,
            0x07 => PacketKind::Ack,
            0x08 => PacketKind::EndOfData,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PacketError {
    #[error("{skipped} bytes before the packet header were discarded")]
    Garbage { skipped: usize },
    #[error("packet identifier {0:#04x} is unknown")]
    UnknownPid(u8),
    #[error("packet length field {0} is impossible")]
    BadLength(usize),
    #[error("packet checksum {found:#06x} does not match the computed {expected:#06x}")]
    BadChecksum { expected: u16, found: u16 },
    #[error("payload of {0} bytes is too long for one packet")]
    TooLong(usize),
}

/// One packet. Data packets may carry a fingerprint template: `Debug` shows sizes only.
#[derive(Clone, PartialEq, Eq)]
pub struct Packet {
    pub address: u32,
    pub kind: PacketKind,
    pub payload: Vec<u8>,
}

impl std::fmt::Debug for Packet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Packet")
            .field("address", &format_args!("{:#010x}", self.address))
            .field("kind", &self.kind)
            .field("payload_len", &self.payload.len())
            .finish()
    }
}

fn checksum(pid_len_payload: &[u8]) -> u16 {
    pid_len_payload
        .iter()
        .fold(0u16, |sum, &b| sum.wrapping_add(u16::from(b)))
}

impl Packet {
    pub fn new(address: u32, kind: PacketKind, payload: Vec<u8>) -> Packet {
        Packet {
            address,
            kind,
            payload,
        }
    }

    pub fn encode(&self) -> Result<Vec<u8>, PacketError> {
        if self.payload.len() > MAX_PAYLOAD {
            return Err(PacketError::TooLong(self.payload.len()));
        }
        // Fits: MAX_PAYLOAD + 2 < u16::MAX.
        let len = (self.payload.len() + 2) as u16;
        let mut bytes = Vec::with_capacity(PREFIX_LEN + self.payload.len() + 2);
        bytes.extend_from_slice(&HEADER);
        bytes.extend_from_slice(&self.address.to_be_bytes());
        bytes.push(self.kind.pid());
        bytes.extend_from_slice(&len.to_be_bytes());
        bytes.extend_from_slice(&self.payload);
        let sum = checksum(&bytes[6..]);
        bytes.extend_from_slice(&sum.to_be_bytes());
        Ok(bytes)
    }
}

/// Accumulates bytes and yields complete packets.
#[derive(Debug, Default)]
pub struct PacketDecoder {
    buffer: Vec<u8>,
}

impl PacketDecoder {
    pub fn new() -> PacketDecoder {
        PacketDecoder::default()
    }

    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    pub fn pending(&self) -> usize {
        self.buffer.len()
    }

    pub fn clear(&mut self) {
        self.buffer.clear();
    }

    /// The next packet, an error for bytes that cannot be one (consumed, so callers make
    /// progress), or `None` when more bytes are needed.
    pub fn next_packet(&mut self) -> Option<Result<Packet, PacketError>> {
        let start = find_header(&self.buffer);
        if start > 0 {
            self.buffer.drain(..start);
            return Some(Err(PacketError::Garbage { skipped: start }));
        }
        if self.buffer.len() < PREFIX_LEN {
            return None;
        }
        let pid = self.buffer[6];
        let Some(kind) = PacketKind::from_pid(pid) else {
            self.buffer.drain(..1);
            return Some(Err(PacketError::UnknownPid(pid)));
        };
        let len = usize::from(u16::from_be_bytes([self.buffer[7], self.buffer[8]]));
        if !(2..=MAX_PAYLOAD + 2).contains(&len) {
            self.buffer.drain(..1);
            return Some(Err(PacketError::BadLength(len)));
        }
        let total = PREFIX_LEN + len;
        if self.buffer.len() < total {
            return None;
        }
        let bytes: Vec<u8> = self.buffer.drain(..total).collect();
        let expected = checksum(&bytes[6..total - 2]);
        let found = u16::from_be_bytes([bytes[total - 2], bytes[total - 1]]);
        if expected != found {
            return Some(Err(PacketError::BadChecksum { expected, found }));
        }
        let address = u32::from_be_bytes([bytes[2], bytes[3], bytes[4], bytes[5]]);
        Some(Ok(Packet {
            address,
            kind,
            payload: bytes[PREFIX_LEN..total - 2].to_vec(),
        }))
    }
}

fn find_header(buffer: &[u8]) -> usize {
    (0..buffer.len())
        .find(|&i| match &buffer[i..] {
            [0xEF] => true,
            [a, b, ..] => [*a, *b] == HEADER,
            _ => false,
        })
        .unwrap_or(buffer.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::codec::sam::hex;

    #[test]
    fn reference_acks_decode() {
        let mut decoder = PacketDecoder::new();
        decoder.push(&hex(
            "EF 01 FF FF FF FF 07 00 03 00 00 0A EF 01 FF FF FF FF 07 00 03 02 00 0C",
        ));
        let ok = decoder.next_packet().expect("complete").expect("valid");
        assert_eq!(
            ok,
            Packet::new(DEFAULT_ADDRESS, PacketKind::Ack, vec![0x00])
        );
        let no_finger = decoder.next_packet().expect("complete").expect("valid");
        assert_eq!(no_finger.payload, vec![0x02]);
        assert_eq!(decoder.next_packet(), None);
    }

    #[test]
    fn encode_matches_the_reference_ok_ack() {
        let ack = Packet::new(DEFAULT_ADDRESS, PacketKind::Ack, vec![0x00]);
        assert_eq!(
            ack.encode().expect("short"),
            hex("EF 01 FF FF FF FF 07 00 03 00 00 0A")
        );
    }

    #[test]
    fn byte_by_byte_with_garbage_and_a_bad_checksum() {
        let mut stream = hex("00 EF 13");
        stream.extend(hex("EF 01 FF FF FF FF 07 00 03 00 00 0B"));
        stream.extend(hex("EF 01 00 00 00 01 07 00 03 00 00 0A"));
        let mut decoder = PacketDecoder::new();
        let mut results = Vec::new();
        for byte in stream {
            decoder.push(&[byte]);
            while let Some(next) = decoder.next_packet() {
                results.push(next);
            }
        }
        assert_eq!(
            results,
            vec![
                Err(PacketError::Garbage { skipped: 1 }),
                Err(PacketError::Garbage { skipped: 2 }),
                Err(PacketError::BadChecksum {
                    expected: 0x0A,
                    found: 0x0B
                }),
                Ok(Packet::new(1, PacketKind::Ack, vec![0x00])),
            ]
        );
    }

    #[test]
    fn unknown_pid_and_bad_length() {
        let mut decoder = PacketDecoder::new();
        decoder.push(&hex("EF 01 FF FF FF FF 05 00 03"));
        assert_eq!(
            decoder.next_packet(),
            Some(Err(PacketError::UnknownPid(0x05)))
        );
        decoder.clear();
        decoder.push(&hex("EF 01 FF FF FF FF 02 04 00"));
        assert_eq!(
            decoder.next_packet(),
            Some(Err(PacketError::BadLength(0x400)))
        );
        assert_eq!(
            Packet::new(0, PacketKind::Data, vec![0; 257]).encode(),
            Err(PacketError::TooLong(257))
        );
    }
}
