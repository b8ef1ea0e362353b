#![no_main]
//! The ESC/POS stream parser: never panics, and splitting the input anywhere gives the
//! same operations as parsing it whole.

use legal_kiosk::codec::escpos_stream::{parse, StreamParser, TextEncoding};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&split, bytes)) = data.split_first() else {
        return;
    };
    let whole = parse(bytes, TextEncoding::Gb18030);
    let at = usize::from(split).min(bytes.len());
    let mut parser = StreamParser::new(TextEncoding::Gb18030);
    let mut ops = parser.feed(&bytes[..at]);
    ops.extend(parser.feed(&bytes[at..]));
    ops.extend(parser.finish());
    assert_eq!(ops, whole);
    let _ = parse(bytes, TextEncoding::Utf8);
});
