//! A SAM reader at the far end of a PTY, speaking GA/T 467 byte for byte, with cards to
//! place and remove and faults to inject. Like a real reader it reports a card once per
//! placement: after a successful read, `find` says "no card" until the card is placed again.

mod samples;

pub use samples::{number_for, sample_card, sample_cards, SAMPLE_NAMES};

use crate::codec::id_text::Identity;
use crate::codec::sam::{CardData, FrameDecoder, FrameError, SamCommand, SamResponse, SamStatus};
use crate::hal::serial::{PtyDevice, SimulatorThread};
use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

/// A card the simulator can hold in its field.
#[derive(Clone, PartialEq, Eq)]
pub struct SimCard {
    pub identity: Identity,
    pub photo_wlt: Vec<u8>,
    pub fingerprint: Option<Vec<u8>>,
}

impl std::fmt::Debug for SimCard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimCard")
            .field("identity", &self.identity)
            .finish_non_exhaustive()
    }
}

/// Deterministic filler bytes, so photos and templates differ per card but repeat per run.
pub fn pattern(seed: &str, len: usize) -> Vec<u8> {
    let mut state = seed.bytes().fold(0x811C_9DC5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state.to_le_bytes()[0]
        })
        .collect()
}

impl SimCard {
    /// A card without fingerprint data and with a synthetic WLT photo.
    pub fn new(identity: Identity) -> SimCard {
        let photo_wlt = pattern(&format!("photo:{}", identity.id_number), 1024);
        SimCard {
            identity,
            photo_wlt,
            fingerprint: None,
        }
    }

    /// A card carrying two 512-byte templates of the simulated finger `finger`.
    pub fn with_fingerprint(identity: Identity, finger: u8) -> SimCard {
        let mut card = SimCard::new(identity);
        card.fingerprint = Some(card_fingerprint(finger));
        card
    }
}

/// The 1024 card fingerprint bytes of simulated finger `finger` (two templates).
pub fn card_fingerprint(finger: u8) -> Vec<u8> {
    let mut bytes = pattern(&format!("card-finger:{finger}:1"), 512);
    bytes.extend(pattern(&format!("card-finger:{finger}:2"), 512));
    bytes
}

/// A fault for the next command the simulator receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SamFault {
    /// The card leaves the field while being read: the reader answers 0x41.
    CardPulledMidRead,
    /// Only the first half of the answer is sent.
    TornFrame,
    /// One byte of the answer's body is flipped in transit.
    CorruptedFrame,
    /// The answer's checksum byte is wrong.
    WrongChecksum,
    /// The reader stays silent.
    NoAnswer,
    /// Line noise precedes an otherwise correct answer.
    LineNoise,
    /// A well-framed read answer whose text block is damaged (sex code out of range).
    GarbledText,
    /// The reader answers with this status and no data.
    Status(SamStatus),
}

#[derive(Default)]
struct State {
    card: Option<SimCard>,
    read_since_placed: bool,
    fault: Option<SamFault>,
    commands: usize,
}

/// A running simulated reader.
pub struct SamSimulator {
    thread: SimulatorThread,
    state: Arc<Mutex<State>>,
}

/// The SAM identifier the simulator reports, displayed `05.01-20190101-000001234-987654321`.
pub fn sim_sam_id() -> [u8; 16] {
    let mut raw = [0u8; 16];
    raw[0] = 5;
    raw[2] = 1;
    raw[4..8].copy_from_slice(&20_190_101u32.to_le_bytes());
    raw[8..12].copy_from_slice(&1_234u32.to_le_bytes());
    raw[12..16].copy_from_slice(&987_654_321u32.to_le_bytes());
    raw
}

impl SamSimulator {
    /// Starts a reader with an empty field, pacing its answers at `baud`.
    pub fn start(baud: u32) -> io::Result<SamSimulator> {
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        let mut decoder = FrameDecoder::new();
        let thread = SimulatorThread::spawn("sam-sim", baud, move |device, bytes| {
            decoder.push(bytes);
            while let Some(next) = decoder.next_frame() {
                let reply = match next {
                    Ok(body) => answer(&mut lock(&shared), device, &body),
                    Err(FrameError::Garbage { .. }) => continue,
                    Err(_) => {
                        Reply::plain(SamResponse::new(SamStatus::HostChecksumError, Vec::new()))
                    }
                };
                device.write_paced(&reply.bytes)?;
            }
            Ok(())
        })?;
        Ok(SamSimulator { thread, state })
    }

    /// The slave path a driver opens.
    pub fn path(&self) -> &Path {
        self.thread.slave_path()
    }

    pub fn place_card(&self, card: SimCard) {
        let mut state = lock(&self.state);
        state.card = Some(card);
        state.read_since_placed = false;
    }

    pub fn remove_card(&self) {
        lock(&self.state).card = None;
    }

    pub fn has_card(&self) -> bool {
        lock(&self.state).card.is_some()
    }

    /// Applies `fault` to the next command.
    pub fn inject(&self, fault: SamFault) {
        lock(&self.state).fault = Some(fault);
    }

    /// Commands received so far (tests check that drivers do not hammer the reader).
    pub fn commands_received(&self) -> usize {
        lock(&self.state).commands
    }

    /// Pulls the reader's cable: the PTY closes and its path disappears.
    pub fn unplug(self) {
        self.thread.unplug();
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    // A panic in a test thread must not take the simulator down with it.
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

struct Reply {
    bytes: Vec<u8>,
}

impl Reply {
    fn plain(response: SamResponse) -> Reply {
        Reply {
            bytes: response.encode().unwrap_or_default(),
        }
    }
}

fn answer(state: &mut State, device: &mut PtyDevice, body: &[u8]) -> Reply {
    state.commands += 1;
    let fault = state.fault.take();
    let Some(command) = SamCommand::from_body(body) else {
        return Reply::plain(SamResponse::new(SamStatus::CommandError, Vec::new()));
    };
    if let Some(SamFault::Status(status)) = fault {
        return Reply::plain(SamResponse::new(status, Vec::new()));
    }
    let is_read = matches!(
        command,
        SamCommand::ReadTextPhoto | SamCommand::ReadTextPhotoFingerprint
    );
    if fault == Some(SamFault::CardPulledMidRead) && is_read {
        state.card = None;
        return Reply::plain(SamResponse::new(SamStatus::ReadCardFailed, Vec::new()));
    }
    let mut response = respond(state, device, command);
    if fault == Some(SamFault::GarbledText) && is_read {
        // Header (4 bytes of lengths) then the text block; the sex code sits at text[30].
        if let Some(sex) = response.data.get_mut(4 + 30) {
            *sex = b'7';
        }
    }
    let mut bytes = response.encode().unwrap_or_default();
    let last = bytes.len().saturating_sub(1);
    match fault {
        Some(SamFault::TornFrame) => bytes.truncate(bytes.len() / 2),
        Some(SamFault::CorruptedFrame) => bytes[last / 2 + 4] ^= 0x5A,
        Some(SamFault::WrongChecksum) => bytes[last] ^= 0xFF,
        Some(SamFault::NoAnswer) => bytes.clear(),
        Some(SamFault::LineNoise) => {
            bytes.splice(0..0, [0x00, 0xFF, 0xAA, 0x13, 0xAA, 0xAA]);
        }
        _ => {}
    }
    Reply { bytes }
}

fn respond(state: &mut State, device: &mut PtyDevice, command: SamCommand) -> SamResponse {
    let ok = |data: Vec<u8>| SamResponse::new(SamStatus::Success, data);
    let fail = |status| SamResponse::new(status, Vec::new());
    match command {
        SamCommand::ResetSam | SamCommand::SamStatus | SamCommand::SetMaxRfFrame(_) => {
            ok(Vec::new())
        }
        SamCommand::ReadSamId => ok(sim_sam_id().to_vec()),
        SamCommand::SetBaud(baud) => {
            device.set_baud(baud.bits_per_second());
            ok(Vec::new())
        }
        SamCommand::FindCard => match &state.card {
            Some(_) if !state.read_since_placed => {
                SamResponse::new(SamStatus::FindCardSuccess, vec![0; 4])
            }
            _ => fail(SamStatus::FindCardFailed),
        },
        SamCommand::SelectCard => match &state.card {
            Some(_) => ok(vec![0; 8]),
            None => fail(SamStatus::SelectCardFailed),
        },
        SamCommand::ReadTextPhoto | SamCommand::ReadTextPhotoFingerprint => {
            let with_fingerprint = command == SamCommand::ReadTextPhotoFingerprint;
            let Some(card) = &state.card else {
                return fail(SamStatus::ReadCardFailed);
            };
            let Ok(text) = card.identity.encode() else {
                return fail(SamStatus::InformationLengthError);
            };
            let data = CardData {
                text: text.to_vec(),
                photo_wlt: card.photo_wlt.clone(),
                fingerprint: card.fingerprint.clone(),
            };
            state.read_since_placed = true;
            ok(data.encode(with_fingerprint))
        }
        SamCommand::ReadAppendedAddress | SamCommand::ReadManagementNumber => match &state.card {
            Some(_) => fail(SamStatus::NoContent),
            None => fail(SamStatus::ReadCardFailed),
        },
    }
}
