//! Renders interpreted ESC/POS operations to a bitmap the way an 80 mm thermal printer
//! would: 576 dots wide, font A cells of 12 × 24 dots (24 × 24 for CJK), magnified by
//! `GS !`, emphasis, justification, QR codes of the requested module size.

use crate::codec::escpos_stream::{Justify, PrintOp, QrErrorCorrection};
use ab_glyph::{Font, FontVec, PxScale, ScaleFont};
use image::{GrayImage, Luma};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Printable width of 80 mm paper at 203 dpi.
pub const PAPER_DOTS: u32 = 576;
const CELL_HEIGHT: u32 = 24;
const HALF_CELL_WIDTH: u32 = 12;
/// Default line spacing (`ESC 2`) is 30 dots: 24 for the glyphs and 6 between lines.
const LINE_GAP: u32 = 6;
const MARGIN: u32 = 8;
const WHITE: Luma<u8> = Luma([255]);

/// A font file and the face inside it (a `.ttc` holds several; Noto Sans CJK SC is 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontSource {
    pub path: PathBuf,
    pub face_index: u32,
}

impl FontSource {
    /// The project font once shipped, else the Debian Noto CJK collection.
    pub fn find_default() -> Option<FontSource> {
        let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/fonts/NotoSansSC-Regular.otf");
        let candidates = [
            (project, 0),
            (
                PathBuf::from("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
                2,
            ),
        ];
        candidates
            .into_iter()
            .find(|(path, _)| path.is_file())
            .map(|(path, face_index)| FontSource { path, face_index })
    }
}

#[derive(Debug, Error)]
pub enum RenderError {
    #[error("cannot read font {path}: {source}")]
    FontFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} face {face_index} is not a usable font")]
    BadFont { path: PathBuf, face_index: u32 },
}

pub struct ReceiptRenderer {
    font: FontVec,
    em_to_scale: f32,
}

/// A run of text in one style, waiting for the line feed that prints it.
struct Span {
    text: String,
    bold: bool,
    width: u8,
    height: u8,
}

struct Layout {
    bold: bool,
    width: u8,
    height: u8,
    justify: Justify,
    line: Vec<Span>,
    /// Rendered bands, stacked at the end.
    bands: Vec<GrayImage>,
}

impl ReceiptRenderer {
    pub fn load(source: &FontSource) -> Result<ReceiptRenderer, RenderError> {
        let data = std::fs::read(&source.path).map_err(|e| RenderError::FontFile {
            path: source.path.clone(),
            source: e,
        })?;
        let font = FontVec::try_from_vec_and_index(data, source.face_index).map_err(|_| {
            RenderError::BadFont {
                path: source.path.clone(),
                face_index: source.face_index,
            }
        })?;
        let units_per_em = font.units_per_em().unwrap_or(1000.0);
        let em_to_scale = font.height_unscaled() / units_per_em;
        Ok(ReceiptRenderer { font, em_to_scale })
    }

    /// The paper as printed: white background, black dots.
    pub fn render(&self, ops: &[PrintOp]) -> GrayImage {
        let mut layout = Layout {
            bold: false,
            width: 1,
            height: 1,
            justify: Justify::Left,
            line: Vec::new(),
            bands: vec![GrayImage::from_pixel(PAPER_DOTS, MARGIN, WHITE)],
        };
        for op in ops {
            match op {
                PrintOp::Init => {
                    layout.bold = false;
                    layout.width = 1;
                    layout.height = 1;
                    layout.justify = Justify::Left;
                }
                PrintOp::Text { text } => layout.line.push(Span {
                    text: text.clone(),
                    bold: layout.bold,
                    width: layout.width,
                    height: layout.height,
                }),
                PrintOp::Feed { lines } => {
                    self.print_line(&mut layout);
                    for _ in 1..*lines {
                        layout.bands.push(blank(CELL_HEIGHT + LINE_GAP));
                    }
                }
                PrintOp::FeedDots { dots } => {
                    self.print_line(&mut layout);
                    layout.bands.push(blank(u32::from(*dots)));
                }
                PrintOp::Bold { on } => layout.bold = *on,
                PrintOp::Size { width, height } => {
                    layout.width = *width;
                    layout.height = *height;
                }
                PrintOp::Justify { mode } => layout.justify = *mode,
                PrintOp::QrCode {
                    data,
                    module_size,
                    error_correction,
                } => {
                    self.print_line(&mut layout);
                    if let Some(band) =
                        qr_band(data, *module_size, *error_correction, layout.justify)
                    {
                        layout.bands.push(band);
                    }
                }
                PrintOp::Cut { .. } => self.print_line(&mut layout),
                PrintOp::Underline { .. }
                | PrintOp::ChineseMode { .. }
                | PrintOp::StatusRequest { .. }
                | PrintOp::Ignored { .. }
                | PrintOp::Unknown { .. } => {}
            }
        }
        self.print_line(&mut layout);
        layout.bands.push(blank(MARGIN));
        stack(&layout.bands)
    }

    /// Prints the pending spans as one or more lines (wrapping at the paper edge).
    fn print_line(&self, layout: &mut Layout) {
        let spans = std::mem::take(&mut layout.line);
        if spans.is_empty() {
            return;
        }
        let mut cells: Vec<(char, &Span)> = Vec::new();
        for span in &spans {
            cells.extend(span.text.chars().map(|c| (c, span)));
        }
        let mut start = 0;
        while start < cells.len() {
            let mut width = 0;
            let mut end = start;
            while end < cells.len() {
                let w = cell_width(cells[end].0, cells[end].1.width);
                if width + w > PAPER_DOTS && end > start {
                    break;
                }
                width += w;
                end += 1;
            }
            layout
                .bands
                .push(self.draw_cells(&cells[start..end], width, layout.justify));
            start = end;
        }
    }

    fn draw_cells(&self, cells: &[(char, &Span)], width: u32, justify: Justify) -> GrayImage {
        let height_factor = cells.iter().map(|(_, s)| s.height).max().unwrap_or(1);
        let text_height = CELL_HEIGHT * u32::from(height_factor);
        let mut band = blank(text_height + LINE_GAP);
        let mut x = match justify {
            Justify::Left => 0,
            Justify::Center => PAPER_DOTS.saturating_sub(width) / 2,
            Justify::Right => PAPER_DOTS.saturating_sub(width),
        };
        for (c, span) in cells {
            let w = cell_width(*c, span.width);
            // `PxScale` is the ascent-to-descent height; printer cells are one em.
            let scale = PxScale {
                x: (CELL_HEIGHT * u32::from(span.width)) as f32 * self.em_to_scale,
                y: (CELL_HEIGHT * u32::from(span.height)) as f32 * self.em_to_scale,
            };
            let scaled = self.font.as_scaled(scale);
            let advance = scaled.h_advance(self.font.glyph_id(*c));
            // Glyphs sit centred in their fixed cell, on a baseline shared by the line
            // (the ideographic em box reaches 12 % below the baseline).
            let left = x as f32 + ((w as f32 - advance) / 2.0).max(0.0);
            let baseline = text_height as f32 * 0.88;
            let glyph = self
                .font
                .glyph_id(*c)
                .with_scale_and_position(scale, ab_glyph::point(left, baseline));
            if let Some(outline) = self.font.outline_glyph(glyph) {
                let bounds = outline.px_bounds();
                let strokes = if span.bold { 2 } else { 1 };
                for offset in 0..strokes {
                    outline.draw(|gx, gy, coverage| {
                        let px = bounds.min.x as i64 + i64::from(gx) + offset;
                        let py = bounds.min.y as i64 + i64::from(gy);
                        darken(&mut band, px, py, coverage);
                    });
                }
            }
            x += w;
        }
        band
    }
}

/// Thermal dots are on or off: coverage above half burns the dot.
fn darken(band: &mut GrayImage, x: i64, y: i64, coverage: f32) {
    let (Ok(x), Ok(y)) = (u32::try_from(x), u32::try_from(y)) else {
        return;
    };
    if x < band.width() && y < band.height() && coverage > 0.5 {
        band.put_pixel(x, y, Luma([0]));
    }
}

fn cell_width(c: char, magnification: u8) -> u32 {
    let base = if c.is_ascii() {
        HALF_CELL_WIDTH
    } else {
        CELL_HEIGHT
    };
    base * u32::from(magnification)
}

fn blank(height: u32) -> GrayImage {
    GrayImage::from_pixel(PAPER_DOTS, height.max(1), WHITE)
}

fn qr_band(
    data: &[u8],
    module_size: u8,
    level: QrErrorCorrection,
    justify: Justify,
) -> Option<GrayImage> {
    let level = match level {
        QrErrorCorrection::L => qrcode::EcLevel::L,
        QrErrorCorrection::M => qrcode::EcLevel::M,
        QrErrorCorrection::Q => qrcode::EcLevel::Q,
        QrErrorCorrection::H => qrcode::EcLevel::H,
    };
    // A printer given data it cannot encode prints nothing, and so does the simulator.
    let code = qrcode::QrCode::with_error_correction_level(data, level).ok()?;
    let modules = u32::try_from(code.width()).ok()?;
    let module = u32::from(module_size.max(1));
    let side = modules * module;
    if side > PAPER_DOTS {
        return None;
    }
    let mut band = blank(side + LINE_GAP);
    let left = match justify {
        Justify::Left => 0,
        Justify::Center => (PAPER_DOTS - side) / 2,
        Justify::Right => PAPER_DOTS - side,
    };
    let colors = code.to_colors();
    for (i, color) in colors.iter().enumerate() {
        if *color != qrcode::Color::Dark {
            continue;
        }
        let i = u32::try_from(i).ok()?;
        let (mx, my) = (i % modules, i / modules);
        for dy in 0..module {
            for dx in 0..module {
                band.put_pixel(left + mx * module + dx, my * module + dy, Luma([0]));
            }
        }
    }
    Some(band)
}

fn stack(bands: &[GrayImage]) -> GrayImage {
    let height = bands.iter().map(|b| b.height()).sum();
    let mut page = GrayImage::from_pixel(PAPER_DOTS, height, WHITE);
    let mut y = 0;
    for band in bands {
        image::imageops::replace(&mut page, band, 0, i64::from(y));
        y += band.height();
    }
    page
}
