//! A receipt as data, and its rendering to ESC/POS bytes through the `escpos` crate with a
//! Chinese-capable encoder. Flows build a [`Receipt`]; only this file knows the printer's
//! command set.

use crate::codec::escpos_stream::TextEncoding;
use escpos::driver::Driver;
use escpos::printer::Printer;
use escpos::utils::{
    Encoder, JustifyMode, Protocol, QRCodeCorrectionLevel, QRCodeModel, QRCodeOption,
};
use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;
use thiserror::Error;

/// `FS &`: Chinese (GB) character mode on; the crate has no command for it.
const FS_CHINESE_MODE_ON: [u8; 2] = [0x1C, 0x26];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

/// Character magnification (1..=8 each way; 1 × 1 is normal text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextSize {
    pub width: u8,
    pub height: u8,
}

impl TextSize {
    pub const NORMAL: TextSize = TextSize {
        width: 1,
        height: 1,
    };
    pub const DOUBLE: TextSize = TextSize {
        width: 2,
        height: 2,
    };
}

impl Default for TextSize {
    fn default() -> Self {
        TextSize::NORMAL
    }
}

/// One line (or block) of a receipt.
#[derive(Clone, PartialEq, Eq)]
pub enum ReceiptLine {
    /// Centred, bold, double size.
    Title(String),
    Text {
        text: String,
        size: TextSize,
        bold: bool,
        align: Align,
    },
    /// A dashed rule across the paper.
    Separator,
    /// A QR code; `module_size` is the dot size of one module (1..=16).
    QrCode { data: String, module_size: u8 },
    /// Blank lines.
    Feed(u8),
}

impl ReceiptLine {
    /// Plain left-aligned text.
    pub fn text(text: impl Into<String>) -> ReceiptLine {
        ReceiptLine::Text {
            text: text.into(),
            size: TextSize::NORMAL,
            bold: false,
            align: Align::Left,
        }
    }
}

/// Receipts carry case numbers and sometimes names: `Debug` shows the shape, not the text.
impl fmt::Debug for ReceiptLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReceiptLine::Title(t) => write!(f, "Title({} chars)", t.chars().count()),
            ReceiptLine::Text {
                text,
                size,
                bold,
                align,
            } => write!(
                f,
                "Text({} chars, {}x{}, bold={bold}, {align:?})",
                text.chars().count(),
                size.width,
                size.height
            ),
            ReceiptLine::Separator => f.write_str("Separator"),
            ReceiptLine::QrCode { data, module_size } => {
                write!(f, "QrCode({} bytes, module {module_size})", data.len())
            }
            ReceiptLine::Feed(n) => write!(f, "Feed({n})"),
        }
    }
}

/// A whole receipt; printing always ends with a feed-and-cut.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Receipt {
    pub lines: Vec<ReceiptLine>,
}

/// How the printer wants its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrinterProfile {
    pub encoding: TextEncoding,
    /// Normal-size characters per line: 32 on 58 mm paper, 48 on 80 mm.
    pub columns: usize,
}

impl Default for PrinterProfile {
    fn default() -> Self {
        PrinterProfile {
            encoding: TextEncoding::Gb18030,
            columns: 48,
        }
    }
}

#[derive(Debug, Error)]
pub enum ReceiptError {
    #[error("text size {width}x{height} is outside 1..=8")]
    InvalidSize { width: u8, height: u8 },
    #[error("QR module size {0} is outside 1..=16")]
    InvalidModuleSize(u8),
    #[error("ESC/POS rendering failed: {0}")]
    Escpos(String),
}

impl From<escpos::errors::PrinterError> for ReceiptError {
    fn from(e: escpos::errors::PrinterError) -> Self {
        ReceiptError::Escpos(e.to_string())
    }
}

/// An `escpos` driver that keeps what the printer would have received, one entry per
/// command (the crate writes each instruction separately).
#[derive(Clone, Default)]
struct CaptureDriver {
    commands: Rc<RefCell<Vec<Vec<u8>>>>,
}

impl Driver for CaptureDriver {
    fn name(&self) -> String {
        "capture".to_string()
    }
    fn write(&self, data: &[u8]) -> escpos::errors::Result<()> {
        self.commands.borrow_mut().push(data.to_vec());
        Ok(())
    }
    fn read(&self, _buf: &mut [u8]) -> escpos::errors::Result<usize> {
        Ok(0)
    }
    fn flush(&self) -> escpos::errors::Result<()> {
        Ok(())
    }
}

impl Receipt {
    /// The title and text lines as printed, in order (what a reader of the paper sees).
    #[cfg(test)]
    pub fn texts(&self) -> Vec<String> {
        self.lines
            .iter()
            .filter_map(|line| match line {
                ReceiptLine::Title(text) | ReceiptLine::Text { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect()
    }

    pub fn new(lines: Vec<ReceiptLine>) -> Receipt {
        Receipt { lines }
    }

    /// The ESC/POS bytes for this receipt on a printer with `profile`.
    pub fn to_escpos(&self, profile: &PrinterProfile) -> Result<Vec<u8>, ReceiptError> {
        Ok(self.to_escpos_commands(profile)?.concat())
    }

    /// The same bytes split into whole commands, so a driver can interleave real-time
    /// status queries without landing inside a command's parameters.
    pub fn to_escpos_commands(
        &self,
        profile: &PrinterProfile,
    ) -> Result<Vec<Vec<u8>>, ReceiptError> {
        let driver = CaptureDriver::default();
        // Characters the printer cannot encode become numeric references rather than
        // failing the whole receipt.
        let encoder = Encoder::new(profile.encoding.encoding()).allow_unencodable(true);
        let mut printer = Printer::new(driver.clone(), Protocol::new(encoder), None);
        printer.init()?;
        if profile.encoding != TextEncoding::Utf8 {
            printer.custom(&FS_CHINESE_MODE_ON)?;
        }
        for line in &self.lines {
            render_line(&mut printer, line, profile)?;
        }
        printer.feeds(3)?.print_cut()?;
        let commands = driver.commands.take();
        Ok(commands)
    }
}

fn render_line(
    printer: &mut Printer<CaptureDriver>,
    line: &ReceiptLine,
    profile: &PrinterProfile,
) -> Result<(), ReceiptError> {
    match line {
        ReceiptLine::Title(title) => {
            styled_text(printer, title, TextSize::DOUBLE, true, Align::Center)?;
        }
        ReceiptLine::Text {
            text,
            size,
            bold,
            align,
        } => styled_text(printer, text, *size, *bold, *align)?,
        ReceiptLine::Separator => {
            printer.justify(JustifyMode::LEFT)?;
            printer.writeln(&"-".repeat(profile.columns))?;
        }
        ReceiptLine::QrCode { data, module_size } => {
            if !(1..=16).contains(module_size) {
                return Err(ReceiptError::InvalidModuleSize(*module_size));
            }
            printer.justify(JustifyMode::CENTER)?;
            printer.qrcode_option(
                data,
                QRCodeOption::new(QRCodeModel::Model2, *module_size, QRCodeCorrectionLevel::M),
            )?;
            printer.justify(JustifyMode::LEFT)?;
        }
        ReceiptLine::Feed(lines) => {
            printer.feeds(*lines)?;
        }
    }
    Ok(())
}

fn styled_text(
    printer: &mut Printer<CaptureDriver>,
    text: &str,
    size: TextSize,
    bold: bool,
    align: Align,
) -> Result<(), ReceiptError> {
    if !(1..=8).contains(&size.width) || !(1..=8).contains(&size.height) {
        return Err(ReceiptError::InvalidSize {
            width: size.width,
            height: size.height,
        });
    }
    let justify = match align {
        Align::Left => JustifyMode::LEFT,
        Align::Center => JustifyMode::CENTER,
        Align::Right => JustifyMode::RIGHT,
    };
    printer
        .justify(justify)?
        .size(size.width, size.height)?
        .bold(bold)?;
    // One printer line per text line; control characters would be commands to the printer.
    for part in text.split('\n') {
        let clean: String = part.chars().filter(|c| !c.is_control()).collect();
        printer.writeln(&clean)?;
    }
    printer
        .bold(false)?
        .reset_size()?
        .justify(JustifyMode::LEFT)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::escpos_stream::{parse, Justify, PrintOp, QrErrorCorrection};

    #[test]
    fn chinese_text_is_sent_as_gb18030_in_chinese_mode() {
        let receipt = Receipt::new(vec![ReceiptLine::text("公证 收据")]);
        let bytes = receipt.to_escpos(&PrinterProfile::default()).unwrap();
        assert!(bytes.starts_with(&[0x1B, 0x40, 0x1C, 0x26]));
        let gb = [0xB9, 0xAB, 0xD6, 0xA4, 0x20, 0xCA, 0xD5, 0xBE, 0xDD];
        assert!(bytes.windows(gb.len()).any(|w| w == gb));
        assert!(bytes.ends_with(&[0x1D, 0x56, 0x41, 0x00]));
    }

    #[test]
    fn rendered_receipt_parses_back_to_the_same_content() {
        let receipt = Receipt::new(vec![
            ReceiptLine::Title("收据".into()),
            ReceiptLine::Separator,
            ReceiptLine::Text {
                text: "编号 A-1".into(),
                size: TextSize::NORMAL,
                bold: true,
                align: Align::Right,
            },
            ReceiptLine::QrCode {
                data: "https://x.cn/a".into(),
                module_size: 6,
            },
        ]);
        let profile = PrinterProfile {
            columns: 32,
            ..PrinterProfile::default()
        };
        let ops = parse(&receipt.to_escpos(&profile).unwrap(), profile.encoding);
        let texts: Vec<String> = ops
            .iter()
            .filter_map(|op| match op {
                PrintOp::Text { text } => Some(text.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(
            texts,
            vec!["收据".to_string(), "-".repeat(32), "编号 A-1".into()]
        );
        assert!(ops.contains(&PrintOp::Size {
            width: 2,
            height: 2
        }));
        assert!(ops.contains(&PrintOp::Bold { on: true }));
        assert!(ops.contains(&PrintOp::Justify {
            mode: Justify::Right
        }));
        assert!(ops.contains(&PrintOp::QrCode {
            data: b"https://x.cn/a".to_vec(),
            module_size: 6,
            error_correction: QrErrorCorrection::M
        }));
        assert_eq!(ops.last(), Some(&PrintOp::Cut { partial: false }));
    }

    #[test]
    fn control_characters_in_text_cannot_inject_commands() {
        let receipt = Receipt::new(vec![ReceiptLine::text("a\u{1b}@b\u{1d}V\u{0}c")]);
        let ops = parse(
            &receipt.to_escpos(&PrinterProfile::default()).unwrap(),
            TextEncoding::Gb18030,
        );
        assert_eq!(ops.iter().filter(|op| **op == PrintOp::Init).count(), 1);
        assert!(ops.contains(&PrintOp::Text {
            text: "a@bVc".into()
        }));
    }

    #[test]
    fn invalid_sizes_are_errors_not_garbage() {
        let receipt = Receipt::new(vec![ReceiptLine::Text {
            text: "x".into(),
            size: TextSize {
                width: 9,
                height: 1,
            },
            bold: false,
            align: Align::Left,
        }]);
        assert!(matches!(
            receipt.to_escpos(&PrinterProfile::default()),
            Err(ReceiptError::InvalidSize { width: 9, .. })
        ));
        let qr = Receipt::new(vec![ReceiptLine::QrCode {
            data: "x".into(),
            module_size: 0,
        }]);
        assert!(matches!(
            qr.to_escpos(&PrinterProfile::default()),
            Err(ReceiptError::InvalidModuleSize(0))
        ));
    }

    #[test]
    fn debug_output_hides_the_text() {
        let line = ReceiptLine::text("张三 110105199001010021");
        let shown = format!("{line:?}");
        assert!(!shown.contains("张三") && !shown.contains("1101"));
    }
}
