//! Golden screenshots, stored small enough to review: half scale (a 1080x1920 screen is kept
//! as 540x960) in a palette PNG of at most 256 colours (128 when quantised). The rendered
//! screenshot is scaled the same way before it is compared.
//!
//! Images match when at most 0.2 % of pixels differ by more than 40 in any channel: small
//! anti-aliasing and palette differences pass, a moved or missing element fails. Set
//! `LEGAL_KIOSK_UPDATE_GOLDEN=1` to rewrite the committed images instead (then review them:
//! `make review-sheet`).

use image::{imageops, RgbImage};
use std::path::{Path, PathBuf};

/// Per-channel difference under which two pixels count as the same.
const CHANNEL_TOLERANCE: u8 = 40;
/// Differing pixels allowed, per thousand.
const DIFFERING_PER_MILLE: usize = 2;
/// Palette size for screens with more colours than an indexed PNG holds.
const QUANTISED_COLOURS: usize = 128;

pub fn updating() -> bool {
    std::env::var_os("LEGAL_KIOSK_UPDATE_GOLDEN").is_some()
}

/// Compares `actual` (a PNG just produced, full size) with the committed `golden`; on
/// mismatch copies the scaled actual image next to the build output for review and returns a
/// description. In update mode writes the golden, then checks that what was written still
/// matches (the palette lost nothing that matters).
pub fn compare(actual: &Path, golden: &Path) -> Result<(), String> {
    let got = half_scale(&image::open(actual).map_err(|e| e.to_string())?.to_rgb8());
    if updating() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        write_palette_png(&got, golden)?;
    }
    let want = image::open(golden)
        .map_err(|e| {
            format!(
                "{}: {e} (regenerate with LEGAL_KIOSK_UPDATE_GOLDEN=1)",
                golden.display()
            )
        })?
        .to_rgb8();
    if want.dimensions() != got.dimensions() {
        return Err(format!(
            "{}: size {:?} != golden {:?}",
            golden.display(),
            got.dimensions(),
            want.dimensions()
        ));
    }
    let differing = differing_pixels(&want, &got);
    let total = (want.width() * want.height()) as usize;
    if differing * 1000 > total * DIFFERING_PER_MILLE {
        let review = review_path(golden);
        std::fs::create_dir_all(review.parent().unwrap()).unwrap();
        write_palette_png(&got, &review)?;
        return Err(format!(
            "{}: {differing} of {total} pixels differ; actual image at {}",
            golden.display(),
            review.display()
        ));
    }
    Ok(())
}

fn half_scale(image: &RgbImage) -> RgbImage {
    let (width, height) = image.dimensions();
    imageops::resize(
        image,
        width.div_ceil(2),
        height.div_ceil(2),
        imageops::FilterType::Triangle,
    )
}

fn differing_pixels(a: &RgbImage, b: &RgbImage) -> usize {
    a.pixels()
        .zip(b.pixels())
        .filter(|(x, y)| {
            x.0.iter()
                .zip(y.0.iter())
                .any(|(p, q)| p.abs_diff(*q) > CHANNEL_TOLERANCE)
        })
        .count()
}

/// An indexed PNG: the image's own colours when there are at most 256 of them, otherwise a
/// NeuQuant palette of 128 (flat screens with anti-aliased text need no more, and the files
/// stay small enough to review).
fn write_palette_png(image: &RgbImage, path: &Path) -> Result<(), String> {
    let (palette, indices) = palette_of(image);
    let file = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut encoder =
        png::Encoder::new(std::io::BufWriter::new(file), image.width(), image.height());
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_palette(palette);
    encoder.set_compression(png::Compression::High);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer
        .write_image_data(&indices)
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn palette_of(image: &RgbImage) -> (Vec<u8>, Vec<u8>) {
    let mut exact: std::collections::HashMap<[u8; 3], u8> = std::collections::HashMap::new();
    let mut palette = Vec::new();
    let mut indices = Vec::with_capacity((image.width() * image.height()) as usize);
    for pixel in image.pixels() {
        let next = exact.len();
        if next == 256 && !exact.contains_key(&pixel.0) {
            return quantised(image);
        }
        let index = *exact.entry(pixel.0).or_insert_with(|| {
            palette.extend_from_slice(&pixel.0);
            next as u8
        });
        indices.push(index);
    }
    (palette, indices)
}

fn quantised(image: &RgbImage) -> (Vec<u8>, Vec<u8>) {
    let rgba: Vec<u8> = image
        .pixels()
        .flat_map(|p| [p.0[0], p.0[1], p.0[2], 255])
        .collect();
    let quant = color_quant::NeuQuant::new(10, QUANTISED_COLOURS, &rgba);
    let indices = rgba
        .chunks_exact(4)
        .map(|p| quant.index_of(p) as u8)
        .collect();
    (quant.color_map_rgb(), indices)
}

fn review_path(golden: &Path) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target
        .join("golden-review")
        .join(golden.file_name().unwrap())
}
