//! The real `SamSerialReader` against the SAM simulator through a real PTY: every fault of
//! the simulator with its defined outcome, every SAM status code, and every sample card.
#![cfg(feature = "simulators")]

use chrono::NaiveDate;
use legal_kiosk::codec::id_text::{CardDetails, Validity};
use legal_kiosk::codec::sam::{FrameError, SamStatus};
use legal_kiosk::hal::idcard::sim::{
    card_fingerprint, sample_card, SamFault, SamSimulator, SAMPLE_NAMES,
};
use legal_kiosk::hal::idcard::{
    check_card, read_when_placed, CardProblem, IdCardError, IdCardReader, SamSerialReader,
};
use legal_kiosk::hal::DeviceHealth;
use std::time::Duration;

const BAUD: u32 = 115_200;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, 1).expect("date")
}

/// A simulator and a driver opened on its slave path, with short timeouts for the faults.
fn rig() -> (SamSimulator, SamSerialReader) {
    let sim = SamSimulator::start(BAUD).expect("pty");
    let reader =
        SamSerialReader::new(sim.path(), BAUD).with_answer_timeout(Duration::from_millis(200));
    (sim, reader)
}

fn place(sim: &SamSimulator, name: &str) {
    sim.place_card(sample_card(name).expect("sample exists"));
}

#[test]
fn reads_a_card_once_per_placement() {
    let (sim, mut reader) = rig();
    assert_eq!(reader.health(), DeviceHealth::Ready);
    assert!(!reader.find_card().expect("no card is not an error"));
    place(&sim, "young-adult");
    assert!(reader.find_card().expect("find"));
    reader.select_card().expect("select");
    let read = reader.read_card(false).expect("read");
    let expected = sample_card("young-adult").expect("sample");
    assert_eq!(read.identity, expected.identity);
    assert_eq!(read.photo_wlt, expected.photo_wlt);
    assert_eq!(read.fingerprint, None);
    assert!(
        !reader.find_card().expect("find"),
        "the same card is reported once"
    );
    place(&sim, "young-adult");
    assert!(reader.find_card().expect("find"), "placed again");
}

#[test]
fn reads_the_fingerprint_block_when_asked() {
    let (sim, mut reader) = rig();
    place(&sim, "adult");
    let read = read_when_placed(
        &mut reader,
        true,
        Duration::from_secs(2),
        Duration::from_millis(20),
    )
    .expect("read");
    assert_eq!(read.fingerprint, Some(card_fingerprint(1)));
    assert_eq!(read.identity.valid_until, Validity::LongTerm);
    place(&sim, "young-adult");
    let without = read_when_placed(
        &mut reader,
        true,
        Duration::from_secs(2),
        Duration::from_millis(20),
    )
    .expect("read");
    assert_eq!(
        without.fingerprint, None,
        "a fingerprint length of 0 means none on the card"
    );
}

#[test]
fn waiting_for_a_card_gives_up() {
    let (_sim, mut reader) = rig();
    let outcome = read_when_placed(
        &mut reader,
        false,
        Duration::from_millis(150),
        Duration::from_millis(30),
    );
    assert!(
        matches!(outcome, Err(IdCardError::NoCardPlaced(_))),
        "{outcome:?}"
    );
}

#[test]
fn debug_of_a_read_masks_personal_data() {
    let (sim, mut reader) = rig();
    place(&sim, "adult");
    let read = read_when_placed(
        &mut reader,
        false,
        Duration::from_secs(2),
        Duration::from_millis(20),
    )
    .expect("read");
    let shown = format!("{read:?}");
    assert!(shown.contains("王**"), "{shown}");
    assert!(
        !shown.contains("王建国") && !shown.contains(&read.identity.id_number),
        "{shown}"
    );
    assert!(!shown.contains("示例路"), "{shown}");
}

#[test]
fn sam_id_is_read() {
    let (_sim, mut reader) = rig();
    assert_eq!(
        reader.sam_id().expect("sam id").to_string(),
        "05.01-20190101-000001234-987654321"
    );
}

/// Selects the placed card, injects `fault` and reads.
fn read_with_fault(fault: SamFault) -> (SamSimulator, SamSerialReader, Result<(), IdCardError>) {
    let (sim, mut reader) = rig();
    place(&sim, "young-adult");
    assert!(reader.find_card().expect("find"));
    reader.select_card().expect("select");
    sim.inject(fault);
    let outcome = reader.read_card(false).map(drop);
    (sim, reader, outcome)
}

#[test]
fn card_pulled_mid_read_is_a_card_problem_and_the_card_is_gone() {
    let (sim, mut reader, outcome) = read_with_fault(SamFault::CardPulledMidRead);
    let error = outcome.expect_err("must fail");
    assert!(
        matches!(error, IdCardError::Status(SamStatus::ReadCardFailed)),
        "{error:?}"
    );
    assert!(error.is_card_problem());
    assert!(!sim.has_card());
    assert!(!reader.find_card().expect("find"));
}

#[test]
fn torn_frame_reports_how_much_arrived() {
    let (_sim, mut reader, outcome) = read_with_fault(SamFault::TornFrame);
    match outcome {
        Err(IdCardError::TornFrame { received }) => assert_eq!(received, 1295 / 2),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        reader.health(),
        DeviceHealth::Ready,
        "the next exchange is clean"
    );
}

#[test]
fn corrupted_frame_and_wrong_checksum_are_frame_errors() {
    for fault in [SamFault::CorruptedFrame, SamFault::WrongChecksum] {
        let (sim, mut reader, outcome) = read_with_fault(fault);
        assert!(
            matches!(
                outcome,
                Err(IdCardError::Frame(FrameError::BadChecksum { .. }))
            ),
            "{fault:?}: {outcome:?}"
        );
        // Nothing was lost: the card was not consumed, a retry reads it.
        sim.place_card(sample_card("young-adult").expect("sample"));
        assert!(reader.find_card().expect("find"));
        reader.select_card().expect("select");
        assert!(reader.read_card(false).is_ok(), "{fault:?}: retry");
    }
}

#[test]
fn no_answer_times_out() {
    let (_sim, _reader, outcome) = read_with_fault(SamFault::NoAnswer);
    assert!(
        matches!(outcome, Err(IdCardError::NoAnswer(_))),
        "{outcome:?}"
    );
}

#[test]
fn line_noise_before_the_answer_is_skipped() {
    let (_sim, _reader, outcome) = read_with_fault(SamFault::LineNoise);
    assert!(outcome.is_ok(), "{outcome:?}");
}

#[test]
fn garbled_text_block_is_a_text_error() {
    let (_sim, _reader, outcome) = read_with_fault(SamFault::GarbledText);
    let error = outcome.expect_err("must fail");
    assert!(matches!(error, IdCardError::Text(_)), "{error:?}");
    assert!(error.is_card_problem());
}

#[test]
fn every_status_code_has_its_outcome() {
    let (sim, mut reader) = rig();
    place(&sim, "young-adult");
    for status in SamStatus::documented().chain([SamStatus::Other(0x42)]) {
        sim.inject(SamFault::Status(status));
        let find = reader.find_card();
        match status {
            SamStatus::FindCardSuccess => assert!(find.expect("found")),
            SamStatus::FindCardFailed => assert!(!find.expect("no card")),
            other => assert!(
                matches!(find, Err(IdCardError::Status(s)) if s == other),
                "find with {other:?}: {find:?}"
            ),
        }
        sim.inject(SamFault::Status(status));
        let read = reader.read_card(false);
        match status {
            // A success status without data blocks is a malformed read answer.
            SamStatus::Success => {
                assert!(matches!(read, Err(IdCardError::CardData(_))), "{read:?}")
            }
            other => assert!(
                matches!(read, Err(IdCardError::Status(s)) if s == other),
                "read with {other:?}: {read:?}"
            ),
        }
        sim.inject(SamFault::Status(status));
        let health = reader.health();
        if status == SamStatus::Success {
            assert_eq!(health, DeviceHealth::Ready);
        } else {
            assert!(
                matches!(&health, DeviceHealth::Fault { reason } if reason.contains(status.message())),
                "{health:?}"
            );
        }
    }
}

#[test]
fn sample_cards_decode_and_validate() {
    let (sim, mut reader) = rig();
    for name in SAMPLE_NAMES {
        place(&sim, name);
        let read = read_when_placed(
            &mut reader,
            false,
            Duration::from_secs(2),
            Duration::from_millis(20),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        let check = check_card(&read.identity, today());
        match name {
            "expired" => assert_eq!(
                check,
                Err(CardProblem::Expired(
                    NaiveDate::from_ymd_opt(2025, 1, 10).expect("date")
                ))
            ),
            "minor" => assert!(check.expect("valid").minor),
            _ => assert!(!check.unwrap_or_else(|e| panic!("{name}: {e}")).minor),
        }
        let kind_ok = match name {
            "hong-kong" => matches!(
                read.identity.details,
                CardDetails::HongKongMacauTaiwan { .. }
            ),
            "foreigner-2017" => matches!(read.identity.details, CardDetails::Foreigner2017 { .. }),
            "foreigner-2023" => matches!(read.identity.details, CardDetails::Foreigner2023 { .. }),
            _ => matches!(read.identity.details, CardDetails::Resident { .. }),
        };
        assert!(kind_ok, "{name}: {:?}", read.identity.details);
    }
}

#[test]
fn unplug_is_absent_and_the_driver_reopens_when_the_device_returns() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A stable udev-style name pointing at whichever PTY is "plugged in".
    let link = dir.path().join("kiosk-idreader");
    let sim = SamSimulator::start(BAUD).expect("pty");
    std::os::unix::fs::symlink(sim.path(), &link).expect("symlink");
    let mut reader =
        SamSerialReader::new(&link, BAUD).with_answer_timeout(Duration::from_millis(200));
    assert_eq!(reader.health(), DeviceHealth::Ready);
    sim.unplug();
    assert_eq!(reader.health(), DeviceHealth::Absent);
    assert!(matches!(reader.find_card(), Err(IdCardError::Absent)));
    let replugged = SamSimulator::start(BAUD).expect("pty");
    std::fs::remove_file(&link).expect("unlink");
    std::os::unix::fs::symlink(replugged.path(), &link).expect("symlink");
    assert_eq!(reader.health(), DeviceHealth::Ready);
    place(&replugged, "adult");
    assert!(reader.find_card().expect("find after re-open"));
}

#[test]
fn a_reader_that_was_never_there_is_absent() {
    let mut reader = SamSerialReader::new(std::path::Path::new("/dev/legal-kiosk-missing"), BAUD);
    assert_eq!(reader.health(), DeviceHealth::Absent);
}
