//! The fuzz targets' checks (fuzz/fuzz_targets/checks.rs) over a generated corpus, so they
//! run on stable Rust in every test run: valid frames and blocks, each truncated, bit-flipped
//! and prefixed with noise, plus pseudo-random bytes.
#![cfg(feature = "simulators")]

#[path = "../fuzz/fuzz_targets/checks.rs"]
mod checks;

use legal_kiosk::codec::fingerprint::{CharBuffer, FpCommand};
use legal_kiosk::codec::sam::{CardData, SamCommand, SamResponse, SamStatus};
use legal_kiosk::hal::idcard::sim::pattern;

fn pseudo_random(seed: u32, len: usize) -> Vec<u8> {
    pattern(&seed.to_string(), len)
}

/// Each seed, then every truncation, every single-bit flip of a few positions, and noise.
fn mutations(seeds: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut corpus = Vec::new();
    for seed in seeds {
        corpus.push(seed.clone());
        for cut in (0..seed.len()).step_by(seed.len() / 64 + 1) {
            corpus.push(seed[..cut].to_vec());
        }
        for position in (0..seed.len()).step_by(seed.len() / 32 + 1) {
            for bit in 0..8 {
                let mut flipped = seed.clone();
                flipped[position] ^= 1 << bit;
                corpus.push(flipped);
            }
        }
        let mut noisy = pseudo_random(seed.len() as u32, 13);
        noisy.extend_from_slice(seed);
        corpus.push(noisy);
    }
    corpus.extend((0..200).map(|seed| pseudo_random(seed, (seed as usize * 37) % 3000)));
    corpus
}

fn sample_text() -> Vec<u8> {
    let card = legal_kiosk::hal::idcard::sim::sample_card("adult");
    card.and_then(|c| c.identity.encode().ok())
        .map_or_else(|| vec![0x20; 256], |b| b.to_vec())
}

#[test]
fn sam_frame_target_over_corpus() {
    let card = CardData {
        text: sample_text(),
        photo_wlt: vec![7; 1024],
        fingerprint: Some(vec![9; 1024]),
    };
    let seeds = vec![
        SamCommand::FindCard.encode(),
        SamResponse::new(SamStatus::FindCardSuccess, vec![0; 4])
            .encode()
            .expect("fits"),
        SamResponse::new(SamStatus::Success, card.encode(true))
            .encode()
            .expect("fits"),
    ];
    for input in mutations(&seeds) {
        checks::sam_frame(&input);
    }
}

#[test]
fn credit_code_target_over_corpus() {
    let seeds: Vec<Vec<u8>> = [
        "91440300708461136T",
        " 91330100716105852f ",
        "91110000802100433B",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    let corpus = mutations(&seeds);
    let valid = corpus
        .iter()
        .filter(|input| {
            legal_kiosk::codec::credit_code::CreditCode::parse(&String::from_utf8_lossy(input))
                .is_ok()
        })
        .count();
    assert!(valid >= 3, "the seeds parse");
    for input in corpus {
        checks::credit_code(&input);
    }
}

#[test]
fn id_text_target_over_corpus() {
    for input in mutations(&[sample_text()]) {
        checks::id_text(&input);
    }
}

#[test]
fn fingerprint_packet_target_over_corpus() {
    let seeds: Vec<Vec<u8>> = [
        FpCommand::GenImg,
        FpCommand::Search {
            buffer: CharBuffer::One,
            start: 0,
            count: 1000,
        },
    ]
    .iter()
    .map(|c| c.packet(0xFFFF_FFFF).encode().expect("fits"))
    .collect();
    for input in mutations(&seeds) {
        checks::fingerprint_packet(&input);
    }
}
