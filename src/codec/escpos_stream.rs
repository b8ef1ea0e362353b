//! ESC/POS command-stream parser: printer-bound bytes in, [`PrintOp`]s out. It is what the
//! printer simulator "executes", so it understands everything the kiosk emits (init,
//! Chinese mode, justification, size, emphasis, QR codes, feeds, cuts, real-time status)
//! and knows the length of the other common commands so it can skip them without losing
//! its place. Unknown commands are reported and skipped; nothing here panics.
//!
//! The parser is incremental: bytes may arrive in any split (TCP segments), and
//! `feed(a); feed(b)` yields the same operations as `feed(a ++ b)`. Large payloads that the
//! simulator does not render (raster images, NV graphics) are discarded as they stream past
//! instead of being buffered.

use serde::Serialize;

/// Text encoding of bytes ≥ 0x80 (configurable on real printers too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TextEncoding {
    #[default]
    Gb18030,
    Gbk,
    Utf8,
}

impl TextEncoding {
    pub fn encoding(self) -> &'static encoding_rs::Encoding {
        match self {
            TextEncoding::Gb18030 => encoding_rs::GB18030,
            TextEncoding::Gbk => encoding_rs::GBK,
            TextEncoding::Utf8 => encoding_rs::UTF_8,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Justify {
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QrErrorCorrection {
    L,
    M,
    Q,
    H,
}

/// One operation of the print stream, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum PrintOp {
    /// `ESC @`: styles back to defaults.
    Init,
    /// Printable text (never contains control characters).
    Text {
        text: String,
    },
    /// Print the line buffer and advance `lines` lines (`LF` = 1, `ESC d n` = n).
    Feed {
        lines: u8,
    },
    /// `ESC J n`: print and feed n dots.
    FeedDots {
        dots: u8,
    },
    Bold {
        on: bool,
    },
    Underline {
        dots: u8,
    },
    Justify {
        mode: Justify,
    },
    /// Character magnification, 1..=8 each.
    Size {
        width: u8,
        height: u8,
    },
    /// `FS &` / `FS .`.
    ChineseMode {
        on: bool,
    },
    /// A QR code printed from the stored symbol data.
    QrCode {
        data: Vec<u8>,
        module_size: u8,
        error_correction: QrErrorCorrection,
    },
    Cut {
        partial: bool,
    },
    /// `DLE EOT n`: a real-time status request; the printer answers one byte at once.
    StatusRequest {
        n: u8,
    },
    /// A command that was understood and deliberately has no effect on the rendering
    /// (font, code page, barcode, raster image …); `command` names it.
    Ignored {
        command: &'static str,
    },
    /// A byte sequence that is not a known command; `lead`/`code` are its first two bytes.
    Unknown {
        lead: u8,
        code: u8,
    },
}

/// Payloads kept in memory are bounded (a QR code holds at most 7089 characters); longer
/// ones are skipped as they stream past.
const MAX_KEPT_PAYLOAD: usize = 8 * 1024;
/// Text without a line feed is flushed at this length, so the buffer stays bounded.
const MAX_TEXT_RUN: usize = 4 * 1024;

const NUL: u8 = 0x00;
const HT: u8 = 0x09;
const LF: u8 = 0x0A;
const FF: u8 = 0x0C;
const CR: u8 = 0x0D;
const DLE: u8 = 0x10;
const CAN: u8 = 0x18;
const ESC: u8 = 0x1B;
const FS: u8 = 0x1C;
const GS: u8 = 0x1D;

/// What one step of the parser found at the head of the buffer.
enum Step {
    /// The command is not complete yet.
    NeedMore,
    /// `consumed` bytes form a command with this effect.
    Command {
        consumed: usize,
        op: Option<PrintOp>,
    },
    /// `header` bytes of a command whose `payload` bytes follow and are skipped.
    SkipPayload {
        header: usize,
        payload: usize,
        command: &'static str,
    },
}

#[derive(Debug, Clone)]
struct QrState {
    data: Vec<u8>,
    module_size: u8,
    error_correction: QrErrorCorrection,
}

impl Default for QrState {
    fn default() -> Self {
        QrState {
            data: Vec::new(),
            module_size: 3,
            error_correction: QrErrorCorrection::L,
        }
    }
}

/// Incremental parser; one per connection.
#[derive(Debug, Clone)]
pub struct StreamParser {
    encoding: TextEncoding,
    chinese_mode: bool,
    pending: Vec<u8>,
    skip: usize,
    text: Vec<u8>,
    qr: QrState,
}

impl StreamParser {
    /// Chinese printers power up in Chinese mode, and so does the parser.
    pub fn new(encoding: TextEncoding) -> StreamParser {
        StreamParser {
            encoding,
            chinese_mode: true,
            pending: Vec::new(),
            skip: 0,
            text: Vec::new(),
            qr: QrState::default(),
        }
    }

    /// Parses `bytes` (continuing whatever an earlier call left incomplete).
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<PrintOp> {
        let skipped = self.skip.min(bytes.len());
        self.skip -= skipped;
        let mut pending = std::mem::take(&mut self.pending);
        pending.extend_from_slice(&bytes[skipped..]);
        let mut ops = Vec::new();
        let mut pos = 0;
        while pos < pending.len() && self.skip == 0 {
            let head = pending[pos];
            if is_text(head) {
                self.text.push(head);
                // Flush long runs at an ASCII byte so a multi-byte character is not split,
                // with a hard bound for runs that never reach one.
                if (self.text.len() >= MAX_TEXT_RUN && head.is_ascii())
                    || self.text.len() >= 2 * MAX_TEXT_RUN
                {
                    self.flush_text(&mut ops);
                }
                pos += 1;
                continue;
            }
            match self.step(&pending[pos..]) {
                Step::NeedMore => break,
                Step::Command { consumed, op } => {
                    self.flush_text(&mut ops);
                    if let Some(op) = op {
                        self.track_state(&op);
                        ops.push(op);
                    }
                    pos += consumed;
                }
                Step::SkipPayload {
                    header,
                    payload,
                    command,
                } => {
                    self.flush_text(&mut ops);
                    ops.push(PrintOp::Ignored { command });
                    let available = pending.len() - pos - header;
                    let taken = payload.min(available);
                    self.skip = payload - taken;
                    pos += header + taken;
                }
            }
        }
        pending.drain(..pos);
        self.pending = pending;
        ops
    }

    /// Ends the stream: emits buffered text; an incomplete trailing command is dropped.
    pub fn finish(&mut self) -> Vec<PrintOp> {
        let mut ops = Vec::new();
        self.flush_text(&mut ops);
        self.pending.clear();
        self.skip = 0;
        ops
    }

    fn flush_text(&mut self, ops: &mut Vec<PrintOp>) {
        if self.text.is_empty() {
            return;
        }
        let text = if self.chinese_mode || self.encoding == TextEncoding::Utf8 {
            let (decoded, _) = self
                .encoding
                .encoding()
                .decode_without_bom_handling(&self.text);
            decoded.into_owned()
        } else {
            // Outside Chinese mode bytes ≥ 0x80 select single-byte code-page glyphs the
            // simulator does not have; show them as '?' like an unset code page.
            self.text
                .iter()
                .map(|b| if b.is_ascii() { *b as char } else { '?' })
                .collect()
        };
        self.text.clear();
        ops.push(PrintOp::Text { text });
    }

    fn track_state(&mut self, op: &PrintOp) {
        match op {
            PrintOp::ChineseMode { on } => self.chinese_mode = *on,
            PrintOp::Init => self.qr = QrState::default(),
            _ => {}
        }
    }

    fn step(&mut self, buf: &[u8]) -> Step {
        let done = |consumed, op| Step::Command {
            consumed,
            op: Some(op),
        };
        match buf[0] {
            LF => done(1, PrintOp::Feed { lines: 1 }),
            NUL | CR | HT | FF | CAN => Step::Command {
                consumed: 1,
                op: None,
            },
            DLE => self.dle(buf),
            ESC => self.esc(buf),
            GS => self.gs(buf),
            FS => self.fs(buf),
            other => Step::Command {
                consumed: 1,
                op: Some(PrintOp::Unknown {
                    lead: other,
                    code: 0,
                }),
            },
        }
    }

    fn dle(&mut self, buf: &[u8]) -> Step {
        let Some(&code) = buf.get(1) else {
            return Step::NeedMore;
        };
        match code {
            // DLE EOT n [a]: n = 7, 8, 18 take a second parameter.
            0x04 => match buf.get(2) {
                None => Step::NeedMore,
                Some(7 | 8 | 18) => fixed(buf, 4, "DLE EOT (extended)"),
                Some(&n) => Step::Command {
                    consumed: 3,
                    op: Some(PrintOp::StatusRequest { n }),
                },
            },
            0x05 => fixed(buf, 3, "DLE ENQ"),
            0x14 => fixed(buf, 5, "DLE DC4"),
            _ => unknown(DLE, code),
        }
    }

    fn esc(&mut self, buf: &[u8]) -> Step {
        let Some(&code) = buf.get(1) else {
            return Step::NeedMore;
        };
        let param = buf.get(2).copied();
        let with_param = |make: fn(u8) -> PrintOp| match param {
            None => Step::NeedMore,
            Some(n) => Step::Command {
                consumed: 3,
                op: Some(make(n)),
            },
        };
        match code {
            b'@' => Step::Command {
                consumed: 2,
                op: Some(PrintOp::Init),
            },
            b'E' => with_param(|n| PrintOp::Bold { on: n & 1 == 1 }),
            b'-' => with_param(|n| PrintOp::Underline { dots: n & 0x03 }),
            b'a' => with_param(|n| PrintOp::Justify {
                mode: match n {
                    1 | b'1' => Justify::Center,
                    2 | b'2' => Justify::Right,
                    _ => Justify::Left,
                },
            }),
            b'd' => with_param(|n| PrintOp::Feed { lines: n }),
            b'J' => with_param(|n| PrintOp::FeedDots { dots: n }),
            // ESC ! n: bit 3 emphasis, bits 4/5 double height/width.
            b'!' => with_param(|n| PrintOp::Size {
                width: 1 + u8::from(n & 0x20 != 0),
                height: 1 + u8::from(n & 0x10 != 0),
            }),
            b'G' => fixed(buf, 3, "ESC G double strike"),
            b'M' => fixed(buf, 3, "ESC M font"),
            b't' => fixed(buf, 3, "ESC t code page"),
            b'R' => fixed(buf, 3, "ESC R character set"),
            b'V' => fixed(buf, 3, "ESC V rotation"),
            b'{' => fixed(buf, 3, "ESC { upside down"),
            b'3' => fixed(buf, 3, "ESC 3 line spacing"),
            b' ' => fixed(buf, 3, "ESC SP character spacing"),
            b'e' => fixed(buf, 3, "ESC e reverse feed"),
            b'=' | b'?' | b'r' | b'T' | b'U' | b'%' => fixed(buf, 3, "ESC single-parameter"),
            b'c' => fixed(buf, 4, "ESC c panel/sensor"),
            b'2' => fixed(buf, 2, "ESC 2 default line spacing"),
            b'i' | b'm' => fixed(buf, 2, "ESC i/m cut"),
            b'L' | b'S' | b'<' => fixed(buf, 2, "ESC page/standard mode"),
            b'$' | b'\\' => fixed(buf, 4, "ESC position"),
            b'p' => fixed(buf, 5, "ESC p drawer pulse"),
            b'W' => fixed(buf, 10, "ESC W print area"),
            // ESC D n1 … NUL: tab stops, at most 32.
            b'D' => match buf.iter().skip(2).take(33).position(|b| *b == NUL) {
                Some(i) => fixed(buf, 3 + i, "ESC D tab stops"),
                None if buf.len() >= 2 + 33 => fixed(buf, 2 + 33, "ESC D tab stops"),
                None => Step::NeedMore,
            },
            // ESC * m nL nH d…: bit image, 1 or 3 bytes per column.
            b'*' => match (buf.get(2), buf.get(3), buf.get(4)) {
                (Some(&m), Some(&nl), Some(&nh)) => {
                    let columns = usize::from(nl) + 256 * usize::from(nh);
                    let per_column = if m >= 32 { 3 } else { 1 };
                    Step::SkipPayload {
                        header: 5,
                        payload: columns * per_column,
                        command: "ESC * bit image",
                    }
                }
                _ => Step::NeedMore,
            },
            _ => unknown(ESC, code),
        }
    }

    fn gs(&mut self, buf: &[u8]) -> Step {
        let Some(&code) = buf.get(1) else {
            return Step::NeedMore;
        };
        match code {
            b'!' => match buf.get(2) {
                None => Step::NeedMore,
                Some(&n) => Step::Command {
                    consumed: 3,
                    op: Some(PrintOp::Size {
                        width: ((n >> 4) & 0x07) + 1,
                        height: (n & 0x07) + 1,
                    }),
                },
            },
            // GS V m [n]: m = 0/1/48/49 cut now; 65/66 (and 97/98, 103/104) feed n first.
            b'V' => match buf.get(2) {
                None => Step::NeedMore,
                Some(&m) => {
                    let (consumed, partial) = match m {
                        0 | 48 => (3, false),
                        1 | 49 => (3, true),
                        65 | 97 | 103 => (4, false),
                        66 | 98 | 104 => (4, true),
                        _ => return fixed(buf, 3, "GS V unknown cut mode"),
                    };
                    if buf.len() < consumed {
                        return Step::NeedMore;
                    }
                    Step::Command {
                        consumed,
                        op: Some(PrintOp::Cut { partial }),
                    }
                }
            },
            b'(' => self.gs_paren(buf),
            b'B' | b'b' | b'H' | b'f' | b'h' | b'w' | b'r' | b'a' | b'I' => {
                fixed(buf, 3, "GS single-parameter")
            }
            b'L' | b'W' | b'P' | b'$' | b'\\' => fixed(buf, 4, "GS two-parameter"),
            // GS k m …: barcode; m 0..=6 NUL-terminated, m 65..=79 length-prefixed.
            b'k' => match buf.get(2) {
                None => Step::NeedMore,
                Some(&m) if m <= 6 => match buf.iter().skip(3).take(256).position(|b| *b == NUL) {
                    Some(i) => fixed(buf, 4 + i, "GS k barcode"),
                    // No terminator within 255 characters: not a barcode; drop the prefix.
                    None if buf.len() >= 3 + 256 => fixed(buf, 3, "GS k unterminated barcode"),
                    None => Step::NeedMore,
                },
                Some(_) => match buf.get(3) {
                    None => Step::NeedMore,
                    Some(&n) => Step::SkipPayload {
                        header: 4,
                        payload: usize::from(n),
                        command: "GS k barcode",
                    },
                },
            },
            // GS v 0 m xL xH yL yH d…: raster image.
            b'v' => {
                if buf.len() < 8 {
                    return Step::NeedMore;
                }
                let width = usize::from(buf[4]) + 256 * usize::from(buf[5]);
                let height = usize::from(buf[6]) + 256 * usize::from(buf[7]);
                Step::SkipPayload {
                    header: 8,
                    payload: width * height,
                    command: "GS v 0 raster image",
                }
            }
            // GS 8 L p1 p2 p3 p4 …: graphics with a 32-bit length.
            b'8' => {
                if buf.len() < 7 {
                    return Step::NeedMore;
                }
                let len = u32::from_le_bytes([buf[3], buf[4], buf[5], buf[6]]);
                Step::SkipPayload {
                    header: 7,
                    payload: usize::try_from(len).unwrap_or(usize::MAX),
                    command: "GS 8 L graphics",
                }
            }
            _ => unknown(GS, code),
        }
    }

    /// `GS ( fn pL pH …`: the length prefix makes every function skippable; `GS ( k`
    /// with cn = 49 is the QR code.
    fn gs_paren(&mut self, buf: &[u8]) -> Step {
        if buf.len() < 5 {
            return Step::NeedMore;
        }
        let function = buf[2];
        let len = usize::from(buf[3]) + 256 * usize::from(buf[4]);
        if function == b'k' && len > 0 && buf.len() < 6 {
            return Step::NeedMore;
        }
        let is_qr = function == b'k' && buf.get(5) == Some(&49);
        if !is_qr || len > MAX_KEPT_PAYLOAD {
            return Step::SkipPayload {
                header: 5,
                payload: len,
                command: "GS ( function",
            };
        }
        if buf.len() < 5 + len {
            return Step::NeedMore;
        }
        let body = &buf[5..5 + len];
        let op = self.qr_function(body);
        Step::Command {
            consumed: 5 + len,
            op,
        }
    }

    /// `cn fn params` of a QR code command (body starts at cn = 49).
    fn qr_function(&mut self, body: &[u8]) -> Option<PrintOp> {
        let function = body.get(1).copied()?;
        let param = body.get(2).copied();
        match function {
            // fn 65: model; no visible effect in the simulator.
            65 => None,
            67 => {
                self.qr.module_size = param.unwrap_or(3).clamp(1, 16);
                None
            }
            69 => {
                self.qr.error_correction = match param {
                    Some(49) => QrErrorCorrection::M,
                    Some(50) => QrErrorCorrection::Q,
                    Some(51) => QrErrorCorrection::H,
                    _ => QrErrorCorrection::L,
                };
                None
            }
            // fn 80: store data (after the m = 48 byte).
            80 => {
                self.qr.data = body.get(3..).unwrap_or_default().to_vec();
                None
            }
            81 => Some(PrintOp::QrCode {
                data: self.qr.data.clone(),
                module_size: self.qr.module_size,
                error_correction: self.qr.error_correction,
            }),
            _ => Some(PrintOp::Ignored {
                command: "GS ( k QR function",
            }),
        }
    }

    fn fs(&mut self, buf: &[u8]) -> Step {
        let Some(&code) = buf.get(1) else {
            return Step::NeedMore;
        };
        match code {
            b'&' => Step::Command {
                consumed: 2,
                op: Some(PrintOp::ChineseMode { on: true }),
            },
            b'.' => Step::Command {
                consumed: 2,
                op: Some(PrintOp::ChineseMode { on: false }),
            },
            b'!' | b'-' | b'W' | b'C' => fixed(buf, 3, "FS Chinese character mode"),
            b'S' | b'p' => fixed(buf, 4, "FS two-parameter"),
            _ => unknown(FS, code),
        }
    }
}

fn is_text(byte: u8) -> bool {
    byte >= 0x20 && byte != 0x7F
}

fn fixed(buf: &[u8], len: usize, command: &'static str) -> Step {
    if buf.len() < len {
        Step::NeedMore
    } else {
        Step::Command {
            consumed: len,
            op: Some(PrintOp::Ignored { command }),
        }
    }
}

/// An unknown command: skip its two-byte prefix and resynchronise on what follows.
fn unknown(lead: u8, code: u8) -> Step {
    Step::Command {
        consumed: 2,
        op: Some(PrintOp::Unknown { lead, code }),
    }
}

/// Parses a complete stream (a capture file) in one go.
pub fn parse(bytes: &[u8], encoding: TextEncoding) -> Vec<PrintOp> {
    let mut parser = StreamParser::new(encoding);
    let mut ops = parser.feed(bytes);
    ops.extend(parser.finish());
    ops
}

#[cfg(test)]
mod tests;
