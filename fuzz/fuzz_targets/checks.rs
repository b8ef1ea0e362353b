//! The bodies of the fuzz targets, shared with `tests/codec_fuzz_corpus.rs`, which runs
//! them over a generated corpus on stable Rust (cargo-fuzz needs nightly).

use legal_kiosk::codec::credit_code::CreditCode;
use legal_kiosk::codec::fingerprint::{Ack, FpCommand, PacketDecoder};
use legal_kiosk::codec::id_number::IdNumber;
use legal_kiosk::codec::id_text::Identity;
use legal_kiosk::codec::sam::{CardData, FrameDecoder, SamCommand, SamResponse};

/// Any byte stream, split where its first byte says, through the SAM decoder and parsers.
pub fn sam_frame(data: &[u8]) {
    let split = data.first().map_or(0, |b| usize::from(*b)).min(data.len());
    let mut decoder = FrameDecoder::new();
    for part in [&data[..split], &data[split..]] {
        decoder.push(part);
        while let Some(next) = decoder.next_frame() {
            let Ok(body) = next else { continue };
            let _ = SamCommand::from_body(&body);
            if let Some(response) = SamResponse::from_body(&body) {
                let _ = CardData::parse(&response.data, true);
                let _ = CardData::parse(&response.data, false);
                assert!(response.encode().is_ok(), "decoded responses re-encode");
            }
        }
    }
}

/// Any bytes as a text block; whatever decodes must re-encode to the same value.
pub fn id_text(data: &[u8]) {
    if let Ok(identity) = Identity::decode(data) {
        let _ = IdNumber::parse(&identity.id_number);
        let _ = format!("{identity:?}");
        if let Ok(block) = identity.encode() {
            assert_eq!(Identity::decode(&block).as_ref(), Ok(&identity));
        }
    }
}

/// Any bytes as typed text: a code that parses is 18 characters of the alphabet, parses again
/// to itself, and its region is six digits.
pub fn credit_code(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(code) = CreditCode::parse(&text) {
        assert_eq!(code.as_str().len(), 18);
        assert_eq!(CreditCode::parse(code.as_str()).as_ref(), Ok(&code));
        assert!(code.region_code().bytes().all(|b| b.is_ascii_digit()));
    }
}

/// Any byte stream in 7-byte pieces through the EF01 decoder; packets re-encode exactly.
pub fn fingerprint_packet(data: &[u8]) {
    let mut decoder = PacketDecoder::new();
    for chunk in data.chunks(7) {
        decoder.push(chunk);
        while let Some(next) = decoder.next_packet() {
            let Ok(packet) = next else { continue };
            let _ = FpCommand::from_payload(&packet.payload);
            if let Some(ack) = Ack::from_packet(&packet) {
                let _ = ack.u16_at(0);
            }
            let encoded = packet.encode().expect("decoded packets re-encode");
            let mut again = PacketDecoder::new();
            again.push(&encoded);
            assert_eq!(again.next_packet(), Some(Ok(packet)));
        }
    }
}
