//! A virtual smart card for the vsmartcard `vpcd` reader driver inside a real `pcscd`.
//!
//! Wire protocol (vsmartcard `doc/api.txt`): every message in both directions is a 2-byte
//! big-endian length and the data. From vpcd, `00` = power off, `01` = power on,
//! `02` = reset (no reply), `04` = get ATR (reply: the ATR); anything longer is a command
//! APDU answered with the response APDU. Connecting to vpcd's port inserts the card;
//! closing the socket removes it.

use super::apdu::{self, SSSE_AID, STAFF_AID};
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::thread::JoinHandle;
use std::time::Duration;

/// The MIFARE Classic 1K contactless ATR (PC/SC Part 3).
pub const MIFARE_1K_ATR: [u8; 20] = [
    0x3B, 0x8F, 0x80, 0x01, 0x80, 0x4F, 0x0C, 0xA0, 0x00, 0x00, 0x03, 0x06, 0x03, 0x00, 0x01, 0x00,
    0x00, 0x00, 0x00, 0x6A,
];
/// A contact CPU card ATR (T=1), as social-security cards present.
pub const CPU_CARD_ATR: [u8; 11] = [
    0x3B, 0x89, 0x80, 0x01, 0x53, 0x53, 0x43, 0x41, 0x52, 0x44, 0x5B,
];

const SW_OK: [u8; 2] = [0x90, 0x00];
const SW_FILE_NOT_FOUND: [u8; 2] = [0x6A, 0x82];
const SW_RECORD_NOT_FOUND: [u8; 2] = [0x6A, 0x83];
const SW_INS_NOT_SUPPORTED: [u8; 2] = [0x6D, 0x00];
const SW_CONDITIONS: [u8; 2] = [0x69, 0x85];

/// Public records of a virtual social-security card.
#[derive(Debug, Clone)]
pub struct SocialSecurityRecords {
    /// 卡识别码, 16 bytes.
    pub card_id: [u8; 16],
    pub spec_version: String,
    pub card_number: String,
}

/// What the virtual card is.
#[derive(Debug, Clone)]
pub struct VirtualCard {
    pub atr: Vec<u8>,
    /// Answered to `FF CA 00 00`; `None` = a contact card without a UID (`6A 81`).
    pub uid: Option<Vec<u8>>,
    pub staff_id: Option<String>,
    pub social_security: Option<SocialSecurityRecords>,
}

impl VirtualCard {
    /// A kiosk staff card: MIFARE-style UID plus the staff applet.
    pub fn staff(uid: &[u8], staff_id: &str) -> VirtualCard {
        VirtualCard {
            atr: MIFARE_1K_ATR.to_vec(),
            uid: Some(uid.to_vec()),
            staff_id: Some(staff_id.to_string()),
            social_security: None,
        }
    }

    /// A social-security CPU card with its SSSE public records.
    pub fn social_security(records: SocialSecurityRecords) -> VirtualCard {
        VirtualCard {
            atr: CPU_CARD_ATR.to_vec(),
            uid: None,
            staff_id: None,
            social_security: Some(records),
        }
    }

    /// Connects to vpcd (card inserted) and serves it on a thread until removed.
    pub fn insert(self, vpcd: SocketAddr) -> io::Result<InsertedCard> {
        let stream = TcpStream::connect_timeout(&vpcd, Duration::from_secs(2))?;
        let control = stream.try_clone()?;
        let thread = std::thread::Builder::new()
            .name("vicc".into())
            .spawn(move || {
                let mut session = CardSession {
                    card: self,
                    selected: Selected::None,
                };
                // The loop ends when vpcd or `remove` closes the socket.
                let _ = session.serve(stream);
            })?;
        Ok(InsertedCard {
            control,
            thread: Some(thread),
        })
    }
}

/// A card sitting in the virtual reader; `remove` (or drop) pulls it out.
pub struct InsertedCard {
    control: TcpStream,
    thread: Option<JoinHandle<()>>,
}

impl InsertedCard {
    pub fn remove(mut self) {
        self.pull();
    }

    fn pull(&mut self) {
        let _ = self.control.shutdown(Shutdown::Both);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for InsertedCard {
    fn drop(&mut self) {
        self.pull();
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Selected {
    None,
    Staff,
    Ssse,
    Ef05,
}

struct CardSession {
    card: VirtualCard,
    selected: Selected,
}

impl CardSession {
    fn serve(&mut self, mut stream: TcpStream) -> io::Result<()> {
        loop {
            let mut len = [0u8; 2];
            stream.read_exact(&mut len)?;
            let mut message = vec![0u8; usize::from(u16::from_be_bytes(len))];
            stream.read_exact(&mut message)?;
            let reply = match message.as_slice() {
                [0x00] | [0x01] | [0x02] => {
                    self.selected = Selected::None;
                    continue;
                }
                [0x04] => self.card.atr.clone(),
                apdu => self.respond(apdu),
            };
            let len = u16::try_from(reply.len()).unwrap_or(u16::MAX);
            stream.write_all(&len.to_be_bytes())?;
            stream.write_all(&reply[..usize::from(len)])?;
        }
    }

    /// The card's answer to one command APDU.
    fn respond(&mut self, command: &[u8]) -> Vec<u8> {
        match command {
            [0xFF, 0xCA, 0x00, 0x00, ..] => match &self.card.uid {
                Some(uid) => with_sw(uid, SW_OK),
                None => vec![0x6A, 0x81],
            },
            [0x00, 0xA4, 0x04, 0x00, lc, aid @ ..] if aid.len() >= usize::from(*lc) => {
                let aid = &aid[..usize::from(*lc)];
                self.selected = if aid == STAFF_AID && self.card.staff_id.is_some() {
                    Selected::Staff
                } else if aid == SSSE_AID && self.card.social_security.is_some() {
                    Selected::Ssse
                } else {
                    return SW_FILE_NOT_FOUND.to_vec();
                };
                SW_OK.to_vec()
            }
            [0x00, 0xA4, 0x02, _, 0x02, 0xEF, 0x05, ..] if self.selected != Selected::None => {
                if self.selected == Selected::Staff {
                    return SW_FILE_NOT_FOUND.to_vec();
                }
                self.selected = Selected::Ef05;
                SW_OK.to_vec()
            }
            [0x00, 0xB2, record, 0x04, ..] => self.read_record(*record),
            _ => SW_INS_NOT_SUPPORTED.to_vec(),
        }
    }

    fn read_record(&self, record: u8) -> Vec<u8> {
        match (self.selected, record) {
            (Selected::Staff, 1) => {
                let id = self.card.staff_id.as_deref().unwrap_or_default().as_bytes();
                tlv_with_sw(apdu::STAFF_ID_TAG, id)
            }
            (Selected::Ef05, _) => {
                let Some(records) = &self.card.social_security else {
                    return SW_CONDITIONS.to_vec();
                };
                match record {
                    1 => tlv_with_sw(0x01, &records.card_id),
                    3 => tlv_with_sw(0x03, records.spec_version.as_bytes()),
                    7 => tlv_with_sw(0x07, records.card_number.as_bytes()),
                    _ => SW_RECORD_NOT_FOUND.to_vec(),
                }
            }
            (Selected::None, _) => SW_CONDITIONS.to_vec(),
            _ => SW_RECORD_NOT_FOUND.to_vec(),
        }
    }
}

fn with_sw(data: &[u8], sw: [u8; 2]) -> Vec<u8> {
    let mut out = data.to_vec();
    out.extend_from_slice(&sw);
    out
}

fn tlv_with_sw(tag: u8, value: &[u8]) -> Vec<u8> {
    let len = u8::try_from(value.len()).unwrap_or(u8::MAX);
    let mut out = vec![tag, len];
    out.extend_from_slice(&value[..usize::from(len)]);
    out.extend_from_slice(&SW_OK);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(card: VirtualCard) -> CardSession {
        CardSession {
            card,
            selected: Selected::None,
        }
    }

    #[test]
    fn staff_applet_answers_uid_select_and_record() {
        let mut s = session(VirtualCard::staff(&[0x04, 0xA1, 0xB2, 0xC3], "S-0042"));
        assert_eq!(
            s.respond(&apdu::GET_UID),
            vec![0x04, 0xA1, 0xB2, 0xC3, 0x90, 0x00]
        );
        assert_eq!(s.respond(&apdu::READ_STAFF_RECORD), SW_CONDITIONS.to_vec());
        assert_eq!(s.respond(&apdu::select_aid(&STAFF_AID)), SW_OK.to_vec());
        assert_eq!(
            s.respond(&apdu::READ_STAFF_RECORD),
            tlv_with_sw(0x01, b"S-0042")
        );
        assert_eq!(
            s.respond(&apdu::select_aid(&SSSE_AID)),
            SW_FILE_NOT_FOUND.to_vec()
        );
        assert_eq!(
            s.respond(&[0x80, 0x10, 0, 0]),
            SW_INS_NOT_SUPPORTED.to_vec()
        );
    }

    #[test]
    fn truncated_select_is_not_supported_rather_than_a_panic() {
        let mut s = session(VirtualCard::staff(&[1], "x"));
        assert_eq!(
            s.respond(&[0x00, 0xA4, 0x04, 0x00, 0x08, 0xF0]),
            SW_INS_NOT_SUPPORTED.to_vec()
        );
    }
}
