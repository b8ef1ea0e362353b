//! Reader → host responses and the data blocks inside them.

use super::frame::{encode_frame, FrameError};
use super::status::SamStatus;
use std::fmt;
use thiserror::Error;

/// A decoded response body.
#[derive(Clone, PartialEq, Eq)]
pub struct SamResponse {
    /// The card's ISO status bytes forwarded by the reader, normally `00 00`.
    pub sw1: u8,
    pub sw2: u8,
    pub status: SamStatus,
    pub data: Vec<u8>,
}

impl fmt::Debug for SamResponse {
    // The data may hold a citizen's text block and photo: show only its size.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SamResponse")
            .field("sw1", &self.sw1)
            .field("sw2", &self.sw2)
            .field("status", &self.status)
            .field("data_len", &self.data.len())
            .finish()
    }
}

impl SamResponse {
    pub fn new(status: SamStatus, data: Vec<u8>) -> SamResponse {
        SamResponse {
            sw1: 0,
            sw2: 0,
            status,
            data,
        }
    }

    /// `None` when the body is shorter than the three status bytes.
    pub fn from_body(body: &[u8]) -> Option<SamResponse> {
        match body {
            [sw1, sw2, sw3, data @ ..] => Some(SamResponse {
                sw1: *sw1,
                sw2: *sw2,
                status: SamStatus::from_sw3(*sw3),
                data: data.to_vec(),
            }),
            _ => None,
        }
    }

    pub fn encode(&self) -> Result<Vec<u8>, FrameError> {
        let mut body = Vec::with_capacity(3 + self.data.len());
        body.extend_from_slice(&[self.sw1, self.sw2, self.status.sw3()]);
        body.extend_from_slice(&self.data);
        encode_frame(&body)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CardDataError {
    #[error("card data of {0} bytes is shorter than its length header")]
    MissingHeader(usize),
    #[error("card data announces {announced} bytes but carries {actual}")]
    LengthMismatch { announced: usize, actual: usize },
}

/// The blocks of a `30 01` / `30 10` response: text (256), photo (1024 WLT) and, for
/// `30 10`, fingerprint (0, 512 or 1024).
#[derive(Clone, PartialEq, Eq)]
pub struct CardData {
    pub text: Vec<u8>,
    pub photo_wlt: Vec<u8>,
    pub fingerprint: Option<Vec<u8>>,
}

impl fmt::Debug for CardData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardData")
            .field("text_len", &self.text.len())
            .field("photo_len", &self.photo_wlt.len())
            .field("fingerprint_len", &self.fingerprint.as_ref().map(Vec::len))
            .finish()
    }
}

impl CardData {
    /// Parses the data after SW3: big-endian lengths (2 or 3 of them), then the blocks.
    /// A fingerprint length of zero means the card carries no fingerprint.
    pub fn parse(data: &[u8], with_fingerprint: bool) -> Result<CardData, CardDataError> {
        let fields = if with_fingerprint { 3 } else { 2 };
        let header = fields * 2;
        if data.len() < header {
            return Err(CardDataError::MissingHeader(data.len()));
        }
        let lengths: Vec<usize> = data[..header]
            .chunks_exact(2)
            .map(|pair| usize::from(u16::from_be_bytes([pair[0], pair[1]])))
            .collect();
        let announced = header + lengths.iter().sum::<usize>();
        if announced != data.len() {
            return Err(CardDataError::LengthMismatch {
                announced,
                actual: data.len(),
            });
        }
        let mut rest = &data[header..];
        let mut blocks = lengths.iter().map(|&len| {
            let (block, tail) = rest.split_at(len);
            rest = tail;
            block.to_vec()
        });
        let text = blocks.next().unwrap_or_default();
        let photo_wlt = blocks.next().unwrap_or_default();
        let fingerprint = blocks.next().filter(|fp| !fp.is_empty());
        Ok(CardData {
            text,
            photo_wlt,
            fingerprint,
        })
    }

    /// The inverse of `parse` (what a reader sends).
    pub fn encode(&self, with_fingerprint: bool) -> Vec<u8> {
        let fingerprint: &[u8] = if with_fingerprint {
            self.fingerprint.as_deref().unwrap_or(&[])
        } else {
            &[]
        };
        let mut blocks = vec![self.text.as_slice(), self.photo_wlt.as_slice()];
        if with_fingerprint {
            blocks.push(fingerprint);
        }
        let mut data = Vec::new();
        for block in &blocks {
            let len = u16::try_from(block.len()).unwrap_or(u16::MAX);
            data.extend_from_slice(&len.to_be_bytes());
        }
        for block in blocks {
            data.extend_from_slice(block);
        }
        data
    }
}

/// The 16-byte SAM identifier returned by `12 FF`; kept raw, displayed in the
/// HslCommunication format `NN.NN-u32-u32(9)-u32(9)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SamId(pub [u8; 16]);

impl SamId {
    pub fn from_data(data: &[u8]) -> Option<SamId> {
        data.get(..16)
            .and_then(|raw| raw.try_into().ok())
            .map(SamId)
    }
}

impl fmt::Display for SamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        let le = |at: usize| u32::from_le_bytes([d[at], d[at + 1], d[at + 2], d[at + 3]]);
        write!(
            f,
            "{:02}.{:02}-{}-{:09}-{:09}",
            d[0],
            d[2],
            le(4),
            le(8),
            le(12)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::frame::FrameDecoder;
    use super::*;

    use crate::codec::sam::hex;

    fn decode(frame: &[u8]) -> SamResponse {
        let mut decoder = FrameDecoder::new();
        decoder.push(frame);
        let body = decoder.next_frame().expect("complete").expect("valid");
        SamResponse::from_body(&body).expect("status bytes")
    }

    #[test]
    fn reference_response_frames() {
        let find_ok = hex("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97");
        let no_card = hex("AA AA AA 96 69 00 04 00 00 80 84");
        let select_ok = hex("AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C");
        let status_ok = hex("AA AA AA 96 69 00 04 00 00 90 94");
        let read_failed = hex("AA AA AA 96 69 00 04 00 00 41 45");
        let cases = [
            (&find_ok, SamStatus::FindCardSuccess, 4),
            (&no_card, SamStatus::FindCardFailed, 0),
            (&select_ok, SamStatus::Success, 8),
            (&status_ok, SamStatus::Success, 0),
            (&read_failed, SamStatus::ReadCardFailed, 0),
        ];
        for (frame, status, data_len) in cases {
            let response = decode(frame);
            assert_eq!(response.status, status);
            assert_eq!(response.data.len(), data_len);
            assert_eq!(
                &response.encode().expect("encodes"),
                frame,
                "re-encodes byte for byte"
            );
        }
    }

    #[test]
    fn read_text_photo_frame_is_1295_bytes_with_blocks_at_the_reference_offsets() {
        let card = CardData {
            text: vec![0x11; 256],
            photo_wlt: vec![0x22; 1024],
            fingerprint: None,
        };
        let frame = SamResponse::new(SamStatus::Success, card.encode(false))
            .encode()
            .expect("fits");
        assert_eq!(frame.len(), 1295);
        assert_eq!(
            &frame[..14],
            &hex("AA AA AA 96 69 05 08 00 00 90 01 00 04 00")[..]
        );
        assert!(frame[14..270].iter().all(|&b| b == 0x11));
        assert!(frame[270..1294].iter().all(|&b| b == 0x22));
        let parsed = CardData::parse(&decode(&frame).data, false).expect("parses");
        assert_eq!(parsed, card);
    }

    #[test]
    fn read_with_fingerprint_frame_sizes() {
        for (fp_len, total) in [(1024, 2321), (512, 1809), (0, 1297)] {
            let fingerprint = (fp_len > 0).then(|| vec![0x33; fp_len]);
            let card = CardData {
                text: vec![0x11; 256],
                photo_wlt: vec![0x22; 1024],
                fingerprint,
            };
            let frame = SamResponse::new(SamStatus::Success, card.encode(true))
                .encode()
                .expect("fits");
            assert_eq!(frame.len(), total);
            if fp_len == 1024 {
                assert_eq!(
                    &frame[..16],
                    &hex("AA AA AA 96 69 09 0A 00 00 90 01 00 04 00 04 00")[..]
                );
                assert_eq!(frame[16], 0x11);
                assert_eq!(frame[272], 0x22);
                assert_eq!(frame[1296], 0x33);
            }
            assert_eq!(
                CardData::parse(&decode(&frame).data, true).expect("parses"),
                card
            );
        }
    }

    #[test]
    fn card_data_length_errors() {
        assert_eq!(
            CardData::parse(&[1, 0, 4], false),
            Err(CardDataError::MissingHeader(3))
        );
        assert_eq!(
            CardData::parse(&[0, 2, 0, 1, 9, 9], false),
            Err(CardDataError::LengthMismatch {
                announced: 7,
                actual: 6
            })
        );
    }

    #[test]
    fn sam_id_display() {
        let mut raw = [0u8; 16];
        raw[0] = 5;
        raw[2] = 1;
        raw[4..8].copy_from_slice(&20_190_101u32.to_le_bytes());
        raw[8..12].copy_from_slice(&1234u32.to_le_bytes());
        raw[12..16].copy_from_slice(&987_654_321u32.to_le_bytes());
        assert_eq!(
            SamId::from_data(&raw).expect("16 bytes").to_string(),
            "05.01-20190101-000001234-987654321"
        );
        assert_eq!(SamId::from_data(&raw[..15]), None);
    }

    #[test]
    fn short_body_is_not_a_response() {
        assert_eq!(SamResponse::from_body(&[0, 0]), None);
    }
}
