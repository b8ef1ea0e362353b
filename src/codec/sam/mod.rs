//! GA/T 467 "SAM" frames between a host and a resident ID-card reader (hardware-protocols.md
//! §1.2–1.4): `AA AA AA 96 69 | LEN (2, BE) | body | CHK`, where LEN counts the body and
//! CHK, and CHK is the XOR of the length bytes and the body. A request body is
//! `CMD PARA DATA…`, a response body `SW1 SW2 SW3 DATA…`.

mod command;
mod frame;
mod response;
mod status;

pub use command::{SamBaud, SamCommand};
pub use frame::{encode_frame, FrameDecoder, FrameError, MAX_BODY_LEN, PREAMBLE};
pub use response::{CardData, CardDataError, SamId, SamResponse};
pub use status::SamStatus;

/// Parses spaced hex as written in the reference ("AA AA 96"); for the codecs' golden tests.
#[cfg(test)]
pub(crate) fn hex(text: &str) -> Vec<u8> {
    text.split_whitespace()
        .map(|byte| u8::from_str_radix(byte, 16).expect("hex"))
        .collect()
}
