//! Framing shared by both directions, and an incremental decoder that resynchronises on the
//! preamble so torn, corrupted or garbage-prefixed streams yield typed errors, never a panic.

use thiserror::Error;

pub const PREAMBLE: [u8; 5] = [0xAA, 0xAA, 0xAA, 0x96, 0x69];
const HEADER_LEN: usize = PREAMBLE.len() + 2;
/// Longest body accepted: the largest response (text + photo + fingerprint, 2313 bytes)
/// with room for readers that append data. Anything longer is a corrupted length field.
pub const MAX_BODY_LEN: usize = 4096;
/// The shortest frame body: a request's CMD and PARA.
const MIN_BODY_LEN: usize = 2;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FrameError {
    #[error("{skipped} bytes before the frame preamble were discarded")]
    Garbage { skipped: usize },
    #[error("frame length field {0} is impossible")]
    BadLength(usize),
    #[error("frame checksum {found:#04x} does not match the computed {expected:#04x}")]
    BadChecksum { expected: u8, found: u8 },
    #[error("frame body of {0} bytes is too long to encode")]
    TooLong(usize),
}

fn xor(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0, |acc, b| acc ^ b)
}

/// Wraps a body (request `CMD PARA DATA` or response `SW1 SW2 SW3 DATA`) into a frame.
pub fn encode_frame(body: &[u8]) -> Result<Vec<u8>, FrameError> {
    if body.len() > MAX_BODY_LEN {
        return Err(FrameError::TooLong(body.len()));
    }
    let len = u16::try_from(body.len() + 1).map_err(|_| FrameError::TooLong(body.len()))?;
    let mut frame = Vec::with_capacity(HEADER_LEN + body.len() + 1);
    frame.extend_from_slice(&PREAMBLE);
    frame.extend_from_slice(&len.to_be_bytes());
    frame.extend_from_slice(body);
    frame.push(xor(&frame[PREAMBLE.len()..]));
    Ok(frame)
}

/// Accumulates bytes from the wire and yields complete frame bodies.
#[derive(Debug, Default)]
pub struct FrameDecoder {
    buffer: Vec<u8>,
}

impl FrameDecoder {
    pub fn new() -> FrameDecoder {
        FrameDecoder::default()
    }

    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// Bytes received but not yet part of a complete frame (a torn frame when the line
    /// goes quiet).
    pub fn pending(&self) -> usize {
        self.buffer.len()
    }

    pub fn clear(&mut self) {
        self.buffer.clear();
    }

    /// The next complete frame's body, an error for bytes that cannot be a frame (they are
    /// consumed, so the next call makes progress), or `None` when more bytes are needed.
    pub fn next_frame(&mut self) -> Option<Result<Vec<u8>, FrameError>> {
        let start = find_preamble(&self.buffer);
        if start > 0 {
            self.buffer.drain(..start);
            return Some(Err(FrameError::Garbage { skipped: start }));
        }
        if self.buffer.len() < HEADER_LEN {
            return None;
        }
        let len = usize::from(u16::from_be_bytes([self.buffer[5], self.buffer[6]]));
        if !(MIN_BODY_LEN + 1..=MAX_BODY_LEN + 1).contains(&len) {
            // Drop the preamble's first byte only: a real frame may start inside this one.
            self.buffer.drain(..1);
            return Some(Err(FrameError::BadLength(len)));
        }
        let total = HEADER_LEN + len;
        if self.buffer.len() < total {
            return None;
        }
        let frame: Vec<u8> = self.buffer.drain(..total).collect();
        let expected = xor(&frame[PREAMBLE.len()..total - 1]);
        let found = frame[total - 1];
        if expected != found {
            return Some(Err(FrameError::BadChecksum { expected, found }));
        }
        Some(Ok(frame[HEADER_LEN..total - 1].to_vec()))
    }
}

/// Offset of the first possible preamble start; a partial preamble at the end of the
/// buffer is kept, since its remaining bytes may still arrive.
fn find_preamble(buffer: &[u8]) -> usize {
    (0..buffer.len())
        .find(|&i| {
            let tail = &buffer[i..];
            let n = tail.len().min(PREAMBLE.len());
            tail[..n] == PREAMBLE[..n]
        })
        .unwrap_or(buffer.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NO_CARD: [u8; 11] = [
        0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x04, 0x00, 0x00, 0x80, 0x84,
    ];

    #[test]
    fn encodes_the_reference_find_request() {
        let frame = encode_frame(&[0x20, 0x01]).expect("short body");
        assert_eq!(
            frame,
            [0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x01, 0x22]
        );
    }

    #[test]
    fn decodes_a_frame_byte_by_byte() {
        let mut decoder = FrameDecoder::new();
        for (i, byte) in NO_CARD.iter().enumerate() {
            decoder.push(&[*byte]);
            let next = decoder.next_frame();
            if i + 1 < NO_CARD.len() {
                assert_eq!(next, None, "after byte {i}");
            } else {
                assert_eq!(next, Some(Ok(vec![0x00, 0x00, 0x80])));
            }
        }
        assert_eq!(decoder.pending(), 0);
    }

    #[test]
    fn skips_garbage_before_the_preamble_and_reports_it() {
        let mut decoder = FrameDecoder::new();
        decoder.push(&[0x00, 0xAA, 0x13]);
        decoder.push(&NO_CARD);
        assert_eq!(
            decoder.next_frame(),
            Some(Err(FrameError::Garbage { skipped: 3 }))
        );
        assert_eq!(decoder.next_frame(), Some(Ok(vec![0x00, 0x00, 0x80])));
    }

    #[test]
    fn keeps_a_partial_preamble_at_the_end() {
        let mut decoder = FrameDecoder::new();
        decoder.push(&[0x55, 0xAA, 0xAA]);
        assert_eq!(
            decoder.next_frame(),
            Some(Err(FrameError::Garbage { skipped: 1 }))
        );
        assert_eq!(decoder.next_frame(), None);
        decoder.push(&NO_CARD[2..]);
        assert_eq!(decoder.next_frame(), Some(Ok(vec![0x00, 0x00, 0x80])));
    }

    #[test]
    fn reports_a_bad_checksum_and_recovers_on_the_next_frame() {
        let mut corrupted = NO_CARD;
        corrupted[9] = 0x90;
        let mut decoder = FrameDecoder::new();
        decoder.push(&corrupted);
        decoder.push(&NO_CARD);
        assert_eq!(
            decoder.next_frame(),
            Some(Err(FrameError::BadChecksum {
                expected: 0x94,
                found: 0x84
            }))
        );
        assert_eq!(decoder.next_frame(), Some(Ok(vec![0x00, 0x00, 0x80])));
    }

    #[test]
    fn refuses_impossible_lengths_and_resynchronises() {
        let mut decoder = FrameDecoder::new();
        decoder.push(&[0xAA, 0xAA, 0xAA, 0x96, 0x69, 0xFF, 0xFF]);
        decoder.push(&NO_CARD);
        assert_eq!(
            decoder.next_frame(),
            Some(Err(FrameError::BadLength(0xFFFF)))
        );
        let mut results = Vec::new();
        while let Some(next) = decoder.next_frame() {
            results.push(next);
        }
        assert_eq!(results.last(), Some(&Ok(vec![0x00, 0x00, 0x80])));
    }

    #[test]
    fn torn_frame_stays_pending() {
        let mut decoder = FrameDecoder::new();
        decoder.push(&NO_CARD[..8]);
        assert_eq!(decoder.next_frame(), None);
        assert_eq!(decoder.pending(), 8);
    }

    #[test]
    fn refuses_bodies_that_do_not_fit() {
        assert_eq!(
            encode_frame(&vec![0; MAX_BODY_LEN + 1]),
            Err(FrameError::TooLong(MAX_BODY_LEN + 1))
        );
    }
}
