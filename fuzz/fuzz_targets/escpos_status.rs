#![no_main]
//! DLE EOT replies: any bytes decode to a status or a typed error, and every decoded
//! status re-encodes to valid replies.

use legal_kiosk::codec::escpos_status::{PrinterStatus, StatusQuery};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(status) = PrinterStatus::decode(data) {
        let replies: Vec<u8> = StatusQuery::ALL.iter().map(|q| status.encode(*q)).collect();
        assert!(PrinterStatus::decode(&replies).is_ok());
        let _ = status.problems();
    }
    for (query, byte) in StatusQuery::ALL.iter().cycle().zip(data) {
        let _ = PrinterStatus::default().apply(*query, *byte);
    }
});
