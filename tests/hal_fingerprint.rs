//! The real `R30xSerialModule` against the module simulator through a real PTY.
#![cfg(feature = "simulators")]

use legal_kiosk::codec::fingerprint::{CharBuffer, Confirmation, PacketError};
use legal_kiosk::hal::fingerprint::sim::{
    module_template, Finger, FingerprintSimulator, FpFault, MATCH_SCORE,
};
use legal_kiosk::hal::fingerprint::{
    FingerprintError, FingerprintModule, R30xSerialModule, SearchHit,
};
use legal_kiosk::hal::DeviceHealth;
use std::time::Duration;

const BAUD: u32 = 57_600;
const ADDRESS: u32 = 0xFFFF_FFFF;

fn rig() -> (FingerprintSimulator, R30xSerialModule) {
    let sim = FingerprintSimulator::start(BAUD, ADDRESS).expect("pty");
    let module = R30xSerialModule::new(sim.path(), BAUD, ADDRESS)
        .with_answer_timeout(Duration::from_millis(200));
    (sim, module)
}

#[test]
fn enrol_then_verify_and_identify() {
    let (sim, mut module) = rig();
    assert_eq!(module.health(), DeviceHealth::Ready);
    assert_eq!(module.template_count().expect("count"), 0);
    sim.put_finger(Finger::Present(7));
    module.enrol(3).expect("enrols");
    assert_eq!(module.template_count().expect("count"), 1);
    assert_eq!(module.verify(3).expect("verifies"), Some(MATCH_SCORE));
    assert_eq!(
        module.identify(1000).expect("searches"),
        Some(SearchHit {
            page: 3,
            score: MATCH_SCORE
        })
    );
    sim.put_finger(Finger::Present(8));
    assert_eq!(
        module.verify(3).expect("compares"),
        None,
        "another finger does not match"
    );
    assert_eq!(module.identify(1000).expect("searches"), None);
}

#[test]
fn identify_finds_a_preloaded_template() {
    let (sim, mut module) = rig();
    sim.enrol(42, 5);
    sim.enrol(43, 6);
    sim.put_finger(Finger::Present(6));
    assert_eq!(
        module.identify(1000).expect("searches"),
        Some(SearchHit {
            page: 43,
            score: MATCH_SCORE
        })
    );
    assert_eq!(
        module.identify(43).expect("searches"),
        None,
        "page 43 is outside the first 43 pages"
    );
}

#[test]
fn uploads_a_template_over_data_packets() {
    let (sim, mut module) = rig();
    sim.put_finger(Finger::Present(9));
    module.capture().expect("captures");
    module.extract(CharBuffer::Two).expect("extracts");
    assert_eq!(
        module.upload_template(CharBuffer::Two).expect("uploads"),
        module_template(9)
    );
}

#[test]
fn no_finger_is_its_own_outcome() {
    let (_sim, mut module) = rig();
    assert!(matches!(module.capture(), Err(FingerprintError::NoFinger)));
    assert!(matches!(module.verify(0), Err(FingerprintError::NoFinger)));
}

#[test]
fn an_unreadable_finger_is_reported_with_the_module_code() {
    let (sim, mut module) = rig();
    sim.put_finger(Finger::Unreadable);
    assert!(matches!(
        module.capture(),
        Err(FingerprintError::Unreadable(Confirmation::ImageFail))
    ));
}

#[test]
fn enrolment_with_two_different_fingers_is_refused() {
    let (sim, mut module) = rig();
    sim.put_finger(Finger::Present(1));
    module.capture().expect("captures");
    module.extract(CharBuffer::One).expect("extracts");
    sim.put_finger(Finger::Present(2));
    module.capture().expect("captures");
    module.extract(CharBuffer::Two).expect("extracts");
    assert!(matches!(
        module.register_model(),
        Err(FingerprintError::Module(Confirmation::EnrollMismatch))
    ));
    assert!(matches!(
        module.load_template(9, CharBuffer::Two),
        Err(FingerprintError::Module(Confirmation::DatabaseReadFail))
    ));
}

#[test]
fn wrong_checksum_is_a_packet_error_and_the_next_exchange_is_clean() {
    let (sim, mut module) = rig();
    sim.inject(FpFault::WrongChecksum);
    let outcome = module.template_count();
    assert!(
        matches!(
            outcome,
            Err(FingerprintError::Packet(PacketError::BadChecksum { .. }))
        ),
        "{outcome:?}"
    );
    assert_eq!(module.template_count().expect("recovers"), 0);
}

#[test]
fn no_answer_times_out_and_health_says_why() {
    let (sim, mut module) = rig();
    sim.inject(FpFault::NoAnswer);
    assert!(matches!(
        module.capture(),
        Err(FingerprintError::NoAnswer(_))
    ));
    sim.inject(FpFault::NoAnswer);
    assert!(
        matches!(module.health(), DeviceHealth::Fault { reason } if reason.contains("did not answer"))
    );
    assert_eq!(module.health(), DeviceHealth::Ready);
}

#[test]
fn a_module_at_another_address_stays_silent() {
    let sim = FingerprintSimulator::start(BAUD, 0x1234_5678).expect("pty");
    let mut module = R30xSerialModule::new(sim.path(), BAUD, ADDRESS)
        .with_answer_timeout(Duration::from_millis(100));
    assert!(matches!(
        module.template_count(),
        Err(FingerprintError::NoAnswer(_))
    ));
}

#[test]
fn unplug_is_absent_and_the_driver_reopens() {
    let dir = tempfile::tempdir().expect("tempdir");
    let link = dir.path().join("kiosk-fingerprint");
    let sim = FingerprintSimulator::start(BAUD, ADDRESS).expect("pty");
    std::os::unix::fs::symlink(sim.path(), &link).expect("symlink");
    let mut module =
        R30xSerialModule::new(&link, BAUD, ADDRESS).with_answer_timeout(Duration::from_millis(200));
    assert_eq!(module.health(), DeviceHealth::Ready);
    sim.unplug();
    assert_eq!(module.health(), DeviceHealth::Absent);
    let replugged = FingerprintSimulator::start(BAUD, ADDRESS).expect("pty");
    std::fs::remove_file(&link).expect("unlink");
    std::os::unix::fs::symlink(replugged.path(), &link).expect("symlink");
    assert_eq!(module.health(), DeviceHealth::Ready);
}
