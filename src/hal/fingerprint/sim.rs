//! An R30x-class module at the far end of a PTY speaking EF01 byte for byte, with a finger
//! to put on the sensor and faults to inject; and a simulated ID-card matcher.

use super::matcher::{card_templates, CardMatch, IdCardFingerprintMatcher, MatcherError};
use crate::codec::fingerprint::{
    Ack, CharBuffer, Confirmation, FpCommand, Packet, PacketDecoder, PacketError, PacketKind,
};
use crate::hal::idcard::sim::{card_fingerprint, pattern};
use crate::hal::serial::{PtyDevice, SimulatorThread};
use std::collections::BTreeMap;
use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

/// Template size of the simulated module.
pub const TEMPLATE_LEN: usize = 512;
/// Bytes per data packet when uploading (the module's default packet size is 128).
const DATA_PACKET_LEN: usize = 128;
/// Score reported for identical templates.
pub const MATCH_SCORE: u16 = 180;

/// What is on the sensor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finger {
    None,
    /// A readable finger; fingers with the same number are the same finger.
    Present(u8),
    /// A finger the module cannot read (too dry, moved): GenImg fails with 0x03.
    Unreadable,
}

/// A fault for the next command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FpFault {
    WrongChecksum,
    NoAnswer,
}

/// The module's template for simulated finger `finger`.
pub fn module_template(finger: u8) -> Vec<u8> {
    pattern(&format!("module-finger:{finger}"), TEMPLATE_LEN)
}

struct State {
    finger: Finger,
    image: Option<u8>,
    buffers: [Option<Vec<u8>>; 2],
    library: BTreeMap<u16, Vec<u8>>,
    library_size: u16,
    fault: Option<FpFault>,
}

pub struct FingerprintSimulator {
    thread: SimulatorThread,
    state: Arc<Mutex<State>>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl FingerprintSimulator {
    /// Starts a module at `address` with an empty library of 1000 pages.
    pub fn start(baud: u32, address: u32) -> io::Result<FingerprintSimulator> {
        let state = Arc::new(Mutex::new(State {
            finger: Finger::None,
            image: None,
            buffers: [None, None],
            library: BTreeMap::new(),
            library_size: 1000,
            fault: None,
        }));
        let shared = Arc::clone(&state);
        let mut decoder = PacketDecoder::new();
        let thread = SimulatorThread::spawn("fingerprint-sim", baud, move |device, bytes| {
            decoder.push(bytes);
            while let Some(next) = decoder.next_packet() {
                let replies = match next {
                    Ok(packet)
                        if packet.address == address && packet.kind == PacketKind::Command =>
                    {
                        answer(&mut lock(&shared), &packet.payload, address)
                    }
                    // Wrong address or not a command: a real module stays silent.
                    Ok(_) | Err(PacketError::Garbage { .. }) => continue,
                    Err(_) => {
                        vec![Ack::new(Confirmation::PacketReceiveError, Vec::new()).packet(address)]
                    }
                };
                write_replies(device, &mut lock(&shared), &replies)?;
            }
            Ok(())
        })?;
        Ok(FingerprintSimulator { thread, state })
    }

    pub fn path(&self) -> &Path {
        self.thread.slave_path()
    }

    pub fn put_finger(&self, finger: Finger) {
        lock(&self.state).finger = finger;
    }

    /// Enrols `finger` at `page` directly (a module delivered with templates).
    pub fn enrol(&self, page: u16, finger: u8) {
        lock(&self.state)
            .library
            .insert(page, module_template(finger));
    }

    pub fn inject(&self, fault: FpFault) {
        lock(&self.state).fault = Some(fault);
    }

    pub fn unplug(self) {
        self.thread.unplug();
    }
}

fn write_replies(device: &mut PtyDevice, state: &mut State, replies: &[Packet]) -> io::Result<()> {
    let fault = state.fault.take();
    if fault == Some(FpFault::NoAnswer) {
        return Ok(());
    }
    for (index, reply) in replies.iter().enumerate() {
        let mut bytes = reply.encode().unwrap_or_default();
        if fault == Some(FpFault::WrongChecksum) && index == 0 {
            if let Some(last) = bytes.last_mut() {
                *last ^= 0xFF;
            }
        }
        device.write_paced(&bytes)?;
    }
    Ok(())
}

fn answer(state: &mut State, payload: &[u8], address: u32) -> Vec<Packet> {
    let ack = |confirmation, data: Vec<u8>| vec![Ack::new(confirmation, data).packet(address)];
    let ok = |data| ack(Confirmation::Ok, data);
    let Some(command) = FpCommand::from_payload(payload) else {
        return ack(Confirmation::PacketReceiveError, Vec::new());
    };
    let slot = |buffer: CharBuffer| usize::from(buffer == CharBuffer::Two);
    match command {
        FpCommand::GenImg => match state.finger {
            Finger::None => ack(Confirmation::NoFinger, Vec::new()),
            Finger::Unreadable => ack(Confirmation::ImageFail, Vec::new()),
            Finger::Present(finger) => {
                state.image = Some(finger);
                ok(Vec::new())
            }
        },
        FpCommand::Img2Tz(buffer) => match state.image {
            Some(finger) => {
                state.buffers[slot(buffer)] = Some(module_template(finger));
                ok(Vec::new())
            }
            None => ack(Confirmation::InvalidImage, Vec::new()),
        },
        FpCommand::Match => match &state.buffers {
            [Some(a), Some(b)] if a == b => ok(MATCH_SCORE.to_be_bytes().to_vec()),
            _ => ack(Confirmation::NoMatch, vec![0, 0]),
        },
        FpCommand::Search {
            buffer,
            start,
            count,
        } => {
            let wanted = &state.buffers[slot(buffer)];
            let end = start.saturating_add(count);
            let hit = state
                .library
                .range(start..end)
                .find(|(_, t)| Some(*t) == wanted.as_ref());
            match hit {
                Some((page, _)) => {
                    let mut data = page.to_be_bytes().to_vec();
                    data.extend_from_slice(&MATCH_SCORE.to_be_bytes());
                    ok(data)
                }
                None => ack(Confirmation::NotFound, vec![0; 4]),
            }
        }
        FpCommand::RegModel => match &state.buffers {
            [Some(a), Some(b)] if a == b => ok(Vec::new()),
            _ => ack(Confirmation::EnrollMismatch, Vec::new()),
        },
        FpCommand::Store { buffer, page } => {
            match (&state.buffers[slot(buffer)], page < state.library_size) {
                (Some(template), true) => {
                    state.library.insert(page, template.clone());
                    ok(Vec::new())
                }
                (_, false) => ack(Confirmation::BadLocation, Vec::new()),
                (None, true) => ack(Confirmation::InvalidRegister, Vec::new()),
            }
        }
        FpCommand::LoadChar { buffer, page } => match state.library.get(&page) {
            Some(template) => {
                state.buffers[slot(buffer)] = Some(template.clone());
                ok(Vec::new())
            }
            None => ack(Confirmation::DatabaseReadFail, Vec::new()),
        },
        FpCommand::UpChar(buffer) => match &state.buffers[slot(buffer)] {
            Some(template) => {
                let mut packets = ok(Vec::new());
                let chunks: Vec<&[u8]> = template.chunks(DATA_PACKET_LEN).collect();
                for (index, chunk) in chunks.iter().enumerate() {
                    let kind = if index + 1 == chunks.len() {
                        PacketKind::EndOfData
                    } else {
                        PacketKind::Data
                    };
                    packets.push(Packet::new(address, kind, chunk.to_vec()));
                }
                packets
            }
            None => ack(Confirmation::UploadFeatureFail, Vec::new()),
        },
        // Receiving host data packets is not simulated.
        FpCommand::DownChar(_) => ack(Confirmation::PacketResponseFail, Vec::new()),
        FpCommand::DeleteChar { page, count } => {
            let end = page.saturating_add(count);
            state.library.retain(|p, _| !(page..end).contains(p));
            ok(Vec::new())
        }
        FpCommand::Empty => {
            state.library.clear();
            ok(Vec::new())
        }
        FpCommand::ReadSysPara => {
            let mut data = vec![0, 0, 0, 0];
            data.extend_from_slice(&state.library_size.to_be_bytes());
            data.extend_from_slice(&[0, 3]);
            data.extend_from_slice(&address.to_be_bytes());
            data.extend_from_slice(&[0, 2, 0, 6]);
            ok(data)
        }
        FpCommand::VerifyPassword(0) => ok(Vec::new()),
        FpCommand::VerifyPassword(_) => ack(Confirmation::WrongPassword, Vec::new()),
        FpCommand::TemplateNum => ok((state.library.len() as u16).to_be_bytes().to_vec()),
        FpCommand::GetEcho => ack(Confirmation::ModuleOk, Vec::new()),
    }
}

/// A simulated certified capture device + matcher: the live finger `n` matches a card
/// carrying `card_fingerprint(n)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimIdCardMatcher {
    pub live_finger: Option<u8>,
}

/// Similarity the simulated matcher needs to call a match (vendor libraries use similar
/// normalised thresholds).
pub const SIM_THRESHOLD: f32 = 0.6;

impl IdCardFingerprintMatcher for SimIdCardMatcher {
    fn verify_against_card(
        &mut self,
        card_fingerprint_bytes: &[u8],
    ) -> Result<CardMatch, MatcherError> {
        let finger = self.live_finger.ok_or(MatcherError::NoFinger)?;
        let live = card_fingerprint(finger);
        let templates = card_templates(card_fingerprint_bytes)?;
        let (template, similarity) = templates
            .iter()
            .enumerate()
            .map(|(index, template)| {
                let same = template
                    .iter()
                    .zip(&live[index * 512..])
                    .filter(|(a, b)| a == b)
                    .count();
                (index, same as f32 / template.len() as f32)
            })
            .fold((0, 0.0f32), |best, candidate| {
                if candidate.1 > best.1 {
                    candidate
                } else {
                    best
                }
            });
        Ok(CardMatch {
            similarity,
            template,
            matched: similarity >= SIM_THRESHOLD,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_simulated_matcher_matches_the_same_finger_only() {
        let card = card_fingerprint(1);
        let mut same = SimIdCardMatcher {
            live_finger: Some(1),
        };
        let outcome = same.verify_against_card(&card).expect("compares");
        assert!(outcome.matched && outcome.similarity > 0.99);
        let mut other = SimIdCardMatcher {
            live_finger: Some(2),
        };
        assert!(!other.verify_against_card(&card).expect("compares").matched);
        let mut second_only = SimIdCardMatcher {
            live_finger: Some(1),
        };
        let mut half = vec![0u8; 512];
        half.extend_from_slice(&card[512..]);
        let outcome = second_only.verify_against_card(&half).expect("compares");
        assert_eq!((outcome.matched, outcome.template), (true, 1));
        let mut nobody = SimIdCardMatcher { live_finger: None };
        assert_eq!(
            nobody.verify_against_card(&card),
            Err(MatcherError::NoFinger)
        );
        assert_eq!(
            same.verify_against_card(&card[..100]),
            Err(MatcherError::BadCardData(100))
        );
    }
}
