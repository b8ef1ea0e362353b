//! Netstring framing (`<length>:<bytes>,`) as baresip's `ctrl_tcp` module speaks it: every
//! command, response and event is one JSON object in one netstring. Pure: bytes in, frames
//! out, so torn reads and hostile lengths are tested without a socket.

/// Larger frames are refused. baresip's own receive buffer is far smaller; a bigger length
/// means the stream is corrupt, and reading on would only grow the buffer.
pub const MAX_FRAME_LEN: usize = 64 * 1024;

/// Digits a length may have: enough for `MAX_FRAME_LEN`, so a run of digits without a colon
/// is refused early instead of waiting for more.
const MAX_LENGTH_DIGITS: usize = 6;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("netstring length prefix is not a decimal number (byte 0x{0:02x})")]
    BadLength(u8),
    #[error("netstring length prefix has more than {MAX_LENGTH_DIGITS} digits")]
    LengthTooLong,
    #[error("netstring length prefix is empty")]
    EmptyLength,
    #[error("netstring of {length} bytes is larger than the {max} bytes allowed")]
    Oversized { length: usize, max: usize },
    #[error("netstring does not end in ',' (found 0x{0:02x}): the stream is out of step")]
    MissingTerminator(u8),
}

/// One payload as a netstring.
pub fn encode(payload: &[u8]) -> Vec<u8> {
    let mut frame = Vec::with_capacity(payload.len() + 8);
    frame.extend_from_slice(payload.len().to_string().as_bytes());
    frame.push(b':');
    frame.extend_from_slice(payload);
    frame.push(b',');
    frame
}

/// Collects bytes as they arrive and hands out whole frames. After an error the stream
/// cannot be resynchronised (netstrings have no marker to search for): drop the connection.
#[derive(Debug, Default)]
pub struct NetstringDecoder {
    buffer: Vec<u8>,
}

impl NetstringDecoder {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// The next complete frame's payload; `Ok(None)` while the frame is still torn.
    pub fn next_frame(&mut self) -> Result<Option<Vec<u8>>, FrameError> {
        let Some(length) = self.parse_length()? else {
            return Ok(None);
        };
        let (digits, length) = length;
        let start = digits + 1;
        let end = start + length;
        let Some(&terminator) = self.buffer.get(end) else {
            return Ok(None);
        };
        if terminator != b',' {
            return Err(FrameError::MissingTerminator(terminator));
        }
        let payload = self.buffer[start..end].to_vec();
        self.buffer.drain(..=end);
        Ok(Some(payload))
    }

    /// `(digits, length)` once the prefix up to ':' has arrived.
    fn parse_length(&self) -> Result<Option<(usize, usize)>, FrameError> {
        let mut length: usize = 0;
        for (index, &byte) in self.buffer.iter().enumerate() {
            match byte {
                b':' if index == 0 => return Err(FrameError::EmptyLength),
                b':' => {
                    if length > MAX_FRAME_LEN {
                        return Err(FrameError::Oversized {
                            length,
                            max: MAX_FRAME_LEN,
                        });
                    }
                    return Ok(Some((index, length)));
                }
                b'0'..=b'9' if index < MAX_LENGTH_DIGITS => {
                    length = length * 10 + usize::from(byte - b'0');
                }
                b'0'..=b'9' => return Err(FrameError::LengthTooLong),
                other => return Err(FrameError::BadLength(other)),
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_round_trips() {
        let mut decoder = NetstringDecoder::new();
        decoder.push(&encode(b"{\"a\":1}"));
        assert_eq!(decoder.next_frame(), Ok(Some(b"{\"a\":1}".to_vec())));
        assert_eq!(decoder.next_frame(), Ok(None));
        assert_eq!(encode(b"hello"), b"5:hello,");
        assert_eq!(encode(b""), b"0:,");
    }

    #[test]
    fn torn_frames_wait_for_the_rest_byte_by_byte() {
        let stream = [encode(b"first"), encode(b""), encode(b"third one")].concat();
        let mut decoder = NetstringDecoder::new();
        let mut frames = Vec::new();
        for byte in stream {
            decoder.push(&[byte]);
            while let Some(frame) = decoder.next_frame().expect("valid stream") {
                frames.push(frame);
            }
        }
        assert_eq!(
            frames,
            vec![b"first".to_vec(), Vec::new(), b"third one".to_vec()]
        );
    }

    #[test]
    fn two_frames_in_one_read_come_out_in_order() {
        let mut decoder = NetstringDecoder::new();
        decoder.push(&[encode(b"one"), encode(b"two")].concat());
        assert_eq!(decoder.next_frame(), Ok(Some(b"one".to_vec())));
        assert_eq!(decoder.next_frame(), Ok(Some(b"two".to_vec())));
    }

    #[test]
    fn oversized_and_malformed_frames_are_clear_errors() {
        let cases: [(&[u8], FrameError); 5] = [
            (
                b"65537:",
                FrameError::Oversized {
                    length: 65537,
                    max: MAX_FRAME_LEN,
                },
            ),
            (b"1234567", FrameError::LengthTooLong),
            (b"12a:", FrameError::BadLength(b'a')),
            (b":abc,", FrameError::EmptyLength),
            (b"3:abc;", FrameError::MissingTerminator(b';')),
        ];
        for (input, expected) in cases {
            let mut decoder = NetstringDecoder::new();
            decoder.push(input);
            assert_eq!(decoder.next_frame(), Err(expected), "{input:?}");
        }
    }

    #[test]
    fn an_oversized_length_is_refused_before_its_body_arrives() {
        let mut decoder = NetstringDecoder::new();
        decoder.push(b"999999:");
        assert!(matches!(
            decoder.next_frame(),
            Err(FrameError::Oversized { .. })
        ));
    }
}
