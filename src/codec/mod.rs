//! Pure protocol codecs: bytes in, values out. No I/O, no clocks, no panics on any input
//! (every decoder is fuzzed).

pub mod credit_code;
pub mod escpos_status;
pub mod escpos_stream;
pub mod fingerprint;
pub mod id_number;
pub mod id_text;
pub mod nation;
pub mod sam;
