use super::*;

fn text(t: &str) -> PrintOp {
    PrintOp::Text {
        text: t.to_string(),
    }
}

/// The receipt captured from the `escpos` crate in hardware-protocols.md §4.2.
fn captured_receipt() -> Vec<u8> {
    let mut bytes = vec![0x1B, 0x40, 0x1C, 0x26];
    bytes.extend([0xB9, 0xAB, 0xD6, 0xA4, 0x20, 0xCA, 0xD5, 0xBE, 0xDD]);
    bytes.extend([0x1B, 0x64, 0x01]);
    bytes.extend([0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00]);
    bytes.extend([0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, 0x06]);
    bytes.extend([0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x31]);
    bytes.extend([0x1D, 0x28, 0x6B, 0x11, 0x00, 0x31, 0x50, 0x30]);
    bytes.extend(b"https://x.cn/a");
    bytes.extend([0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30]);
    bytes.extend([0x10, 0x04, 0x01, 0x00]);
    bytes.extend([0x1D, 0x56, 0x41, 0x00]);
    bytes
}

#[test]
fn captured_gb18030_receipt_parses_to_its_operations() {
    let ops = parse(&captured_receipt(), TextEncoding::Gb18030);
    assert_eq!(
        ops,
        vec![
            PrintOp::Init,
            PrintOp::ChineseMode { on: true },
            text("公证 收据"),
            PrintOp::Feed { lines: 1 },
            PrintOp::QrCode {
                data: b"https://x.cn/a".to_vec(),
                module_size: 6,
                error_correction: QrErrorCorrection::M,
            },
            PrintOp::StatusRequest { n: 1 },
            PrintOp::Cut { partial: false },
        ]
    );
}

/// A stream exercising payload-carrying and skipped commands.
fn busy_stream() -> Vec<u8> {
    let mut bytes = captured_receipt();
    // Raster image whose payload contains bytes that look like commands.
    bytes.extend([0x1D, 0x76, 0x30, 0x00, 0x07, 0x00, 0x01, 0x00]);
    bytes.extend([0x0A, 0x1B, 0x40, 0x1D, 0x56, 0x00, 0x10]);
    bytes.extend(b"after image\n");
    bytes.extend([0x1B, 0x44, 0x08, 0x10, 0x00]); // tab stops
    bytes.extend([0x1D, 0x6B, 0x04]);
    bytes.extend(b"CODE39\0");
    bytes.extend([0x1D, 0x21, 0x11, 0x1B, 0x61, 0x01, 0x1B, 0x45, 0x01]);
    bytes.extend("大字".as_bytes());
    bytes.extend([0x1B, 0x2A, 0x21, 0x02, 0x00, 1, 2, 3, 4, 5, 6]); // bit image 2 cols × 3
    bytes.extend([0x1D, 0x56, 0x01]);
    bytes
}

#[test]
fn payloads_are_skipped_without_losing_sync() {
    let ops = parse(&busy_stream(), TextEncoding::Utf8);
    let texts: Vec<&str> = ops
        .iter()
        .filter_map(|op| match op {
            PrintOp::Text { text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    // The GB18030 title decodes wrongly as UTF-8, but nothing from the image leaks.
    assert_eq!(texts.len(), 3);
    assert_eq!(texts[1..], ["after image", "大字"]);
    assert!(ops.contains(&PrintOp::Ignored {
        command: "GS v 0 raster image"
    }));
    assert!(ops.contains(&PrintOp::Size {
        width: 2,
        height: 2
    }));
    assert!(ops.contains(&PrintOp::Justify {
        mode: Justify::Center
    }));
    assert_eq!(ops.last(), Some(&PrintOp::Cut { partial: true }));
    // The only init is the first byte: the one inside the image payload was skipped.
    assert_eq!(ops.iter().filter(|op| **op == PrintOp::Init).count(), 1);
}

#[test]
fn any_split_of_the_stream_gives_the_same_operations() {
    let stream = busy_stream();
    let whole = parse(&stream, TextEncoding::Gb18030);
    for chunk in 1..=9 {
        let mut parser = StreamParser::new(TextEncoding::Gb18030);
        let mut ops = Vec::new();
        for piece in stream.chunks(chunk) {
            ops.extend(parser.feed(piece));
        }
        ops.extend(parser.finish());
        assert_eq!(ops, whole, "chunk size {chunk}");
    }
}

#[test]
fn unknown_commands_are_reported_and_skipped() {
    let ops = parse(b"\x1b\xf0A\x1d\xeeB\x1c\x99C\x7f\n", TextEncoding::Gb18030);
    assert_eq!(
        ops,
        vec![
            PrintOp::Unknown {
                lead: 0x1B,
                code: 0xF0
            },
            text("A"),
            PrintOp::Unknown {
                lead: 0x1D,
                code: 0xEE
            },
            text("B"),
            PrintOp::Unknown {
                lead: 0x1C,
                code: 0x99
            },
            text("C"),
            PrintOp::Unknown {
                lead: 0x7F,
                code: 0
            },
            PrintOp::Feed { lines: 1 },
        ]
    );
}

#[test]
fn outside_chinese_mode_high_bytes_are_not_decoded_as_gb18030() {
    let mut bytes = vec![0x1C, 0x2E];
    bytes.extend([b'a', 0xB9, 0xAB, b'b']);
    let ops = parse(&bytes, TextEncoding::Gb18030);
    assert_eq!(ops[1], text("a??b"));
}

#[test]
fn huge_declared_payloads_are_discarded_as_they_stream() {
    let mut parser = StreamParser::new(TextEncoding::Gb18030);
    // GS 8 L with a 100 000-byte payload, then text.
    let len = 100_000u32.to_le_bytes();
    let mut header = vec![0x1D, 0x38, 0x4C];
    header.extend(len);
    let mut ops = parser.feed(&header);
    for _ in 0..100 {
        ops.extend(parser.feed(&[0x1B; 1000]));
        assert!(parser.pending.len() < 16, "payload must not be buffered");
    }
    ops.extend(parser.feed(b"ok\n"));
    assert_eq!(
        ops,
        vec![
            PrintOp::Ignored {
                command: "GS 8 L graphics"
            },
            text("ok"),
            PrintOp::Feed { lines: 1 },
        ]
    );
}

#[test]
fn truncated_commands_at_the_end_are_dropped_quietly() {
    for cut in 0..captured_receipt().len() {
        let ops = parse(&captured_receipt()[..cut], TextEncoding::Gb18030);
        assert!(ops.len() <= 7);
    }
}
