//! Time from "card placed" to "identity decoded" through a real PTY at 115200 baud, versus
//! the wire-time floor (bytes × 10 / baud, 8N1). A PTY does not enforce a baud rate, so the
//! SAM simulator paces its answers at 115200 (released in 16-byte chunks when a real line
//! would have delivered them); the driver's requests are not paced, so the measured time
//! lacks their 30 bytes (~2.6 ms) of wire time, while the floor below counts both directions.
//! Target: ratio ≤ 1.3.

use legal_kiosk::hal::idcard::sim::{sample_card, SamSimulator};
use legal_kiosk::hal::idcard::{IdCardReader, SamSerialReader};
use legal_kiosk::hal::serial::wire_time;
use std::time::{Duration, Instant};

const BAUD: u32 = 115_200;
const ROUNDS: u32 = 20;
/// find (10 + 15), select (10 + 19), then the read request and answer.
const FIND_AND_SELECT_BYTES: usize = 10 + 15 + 10 + 19;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sim = SamSimulator::start(BAUD)?;
    let mut reader = SamSerialReader::new(sim.path(), BAUD);
    let card = sample_card("adult").ok_or("sample card missing")?;
    for (label, with_fingerprint, read_bytes) in [
        ("text_photo", false, 10 + 1295),
        ("text_photo_fp", true, 10 + 2321),
    ] {
        let mut total = Duration::ZERO;
        for _ in 0..ROUNDS {
            sim.place_card(card.clone());
            let start = Instant::now();
            if !reader.find_card()? {
                return Err("simulator did not report the card".into());
            }
            reader.select_card()?;
            let read = reader.read_card(with_fingerprint)?;
            total += start.elapsed();
            std::hint::black_box(read);
        }
        let measured = total / ROUNDS;
        let floor = wire_time(FIND_AND_SELECT_BYTES + read_bytes, BAUD);
        println!(
            "idcard_{label}_placed_to_identity: {:.2} ms",
            measured.as_secs_f64() * 1e3
        );
        println!(
            "idcard_{label}_wire_floor: {:.2} ms",
            floor.as_secs_f64() * 1e3
        );
        println!(
            "idcard_{label}_ratio: {:.3} x",
            measured.as_secs_f64() / floor.as_secs_f64()
        );
    }
    Ok(())
}
