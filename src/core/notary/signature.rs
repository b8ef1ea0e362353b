//! The handwritten signature on the application (公证程序规则 art. 17: an application is
//! signed, sealed or fingerprinted). The citizen writes in a box on the screen; the strokes
//! are kept as vectors on a fixed grid, a single tap or a tiny scribble is not taken as a
//! signature, and the ink is rendered into a PNG (black on white, fixed size) whose SHA-256
//! the payload carries, so the case system can prove the image it received is the one signed.
//!
//! Pure and deterministic: the same strokes always give the same PNG bytes and hash.

use crate::domain::{bi, Bilingual};
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{ExtendedColorType, ImageEncoder};
use sha2::{Digest, Sha256};
use std::fmt;

/// The pad's grid: points are in these units, whatever the box's size on screen (the box
/// keeps this 5:2 shape, so a unit is as long across as down).
pub const PAD_WIDTH: u16 = 1000;
pub const PAD_HEIGHT: u16 = 400;
/// The PNG sent with the application.
pub const IMAGE_WIDTH: u32 = 800;
pub const IMAGE_HEIGHT: u32 = 320;
/// Half the line's width in image pixels.
const INK_RADIUS: f32 = 3.5;

/// Least ink that counts as a signature: total stroke length, in pad units.
pub const MIN_INK_LENGTH: u32 = 250;
/// Least extent (the wider of width and height of the ink's box), in pad units.
pub const MIN_INK_EXTENT: u16 = 80;
/// Bounds on what one pad holds, so a stuck finger cannot grow it without end.
pub const MAX_STROKES: usize = 300;
pub const MAX_POINTS: usize = 20_000;

/// A point on the pad's grid (0..=PAD_WIDTH, 0..=PAD_HEIGHT).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Point {
    pub x: u16,
    pub y: u16,
}

impl Point {
    /// A point from a position relative to the box (0.0..=1.0 across and down); outside the
    /// box (a finger that slid over the edge) is held at the edge.
    pub fn from_fraction(x: f32, y: f32) -> Point {
        let scale = |v: f32, max: u16| -> u16 {
            let v = if v.is_finite() {
                v.clamp(0.0, 1.0)
            } else {
                0.0
            };
            (v * f32::from(max)).round() as u16
        };
        Point {
            x: scale(x, PAD_WIDTH),
            y: scale(y, PAD_HEIGHT),
        }
    }

    fn clamped(self) -> Point {
        Point {
            x: self.x.min(PAD_WIDTH),
            y: self.y.min(PAD_HEIGHT),
        }
    }
}

impl fmt::Debug for Point {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A signature is personal: coordinates are never logged.
        f.write_str("Point")
    }
}

/// One stroke: the points a finger passed through between touching and lifting.
pub type Stroke = Vec<Point>;

/// The ink on the pad. `Debug` shows counts only.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct SignaturePad {
    strokes: Vec<Stroke>,
}

impl fmt::Debug for SignaturePad {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SignaturePad({} strokes, {} points)",
            self.strokes.len(),
            self.point_count()
        )
    }
}

impl SignaturePad {
    pub fn strokes(&self) -> &[Stroke] {
        &self.strokes
    }

    pub fn is_empty(&self) -> bool {
        self.strokes.is_empty()
    }

    fn point_count(&self) -> usize {
        self.strokes.iter().map(Vec::len).sum()
    }

    /// Adds a stroke: points held inside the pad, repeated points dropped. An empty stroke,
    /// or one past the pad's bounds, is ignored; false then.
    pub fn add_stroke(&mut self, points: &[Point]) -> bool {
        let mut stroke: Stroke = Vec::with_capacity(points.len());
        for point in points.iter().map(|p| p.clamped()) {
            if stroke.last() != Some(&point) {
                stroke.push(point);
            }
        }
        if stroke.is_empty()
            || self.strokes.len() >= MAX_STROKES
            || self.point_count() + stroke.len() > MAX_POINTS
        {
            return false;
        }
        self.strokes.push(stroke);
        true
    }

    /// 清除重签: wipes the ink.
    pub fn clear(&mut self) {
        self.strokes.clear();
    }

    /// Total length of the strokes, in pad units (rounded down).
    pub fn ink_length(&self) -> u32 {
        let total: f64 = self
            .strokes
            .iter()
            .flat_map(|s| s.windows(2))
            .map(|w| {
                let dx = f64::from(w[1].x) - f64::from(w[0].x);
                let dy = f64::from(w[1].y) - f64::from(w[0].y);
                (dx * dx + dy * dy).sqrt()
            })
            .sum();
        total as u32
    }

    /// The wider of the ink's box's width and height, in pad units.
    pub fn ink_extent(&self) -> u16 {
        let mut points = self.strokes.iter().flatten();
        let Some(first) = points.next() else {
            return 0;
        };
        let (mut x0, mut x1, mut y0, mut y1) = (first.x, first.x, first.y, first.y);
        for p in points {
            x0 = x0.min(p.x);
            x1 = x1.max(p.x);
            y0 = y0.min(p.y);
            y1 = y1.max(p.y);
        }
        (x1 - x0).max(y1 - y0)
    }

    /// Whether there is enough ink to be a signature: a tap, a dot or a short tick is not.
    pub fn enough_ink(&self) -> bool {
        self.ink_length() >= MIN_INK_LENGTH && self.ink_extent() >= MIN_INK_EXTENT
    }

    /// Grey levels (0 = black ink, 255 = white) of the strokes plus an unfinished `live`
    /// one, at `width` × `height` pixels: what the box shows, and what is sent.
    pub fn raster(&self, live: &[Point], width: u32, height: u32) -> Vec<u8> {
        let mut coverage = vec![0f32; width as usize * height as usize];
        let sx = width as f32 / f32::from(PAD_WIDTH);
        let sy = height as f32 / f32::from(PAD_HEIGHT);
        let radius = INK_RADIUS * sx.min(sy) / (IMAGE_WIDTH as f32 / f32::from(PAD_WIDTH));
        let to_px = |p: &Point| (f32::from(p.x) * sx, f32::from(p.y) * sy);
        let live: Vec<Point> = live.iter().map(|p| p.clamped()).collect();
        for stroke in self.strokes.iter().chain(std::iter::once(&live)) {
            match stroke.as_slice() {
                [] => {}
                [only] => {
                    let p = to_px(only);
                    segment(&mut coverage, width, height, p, p, radius);
                }
                points => {
                    for pair in points.windows(2) {
                        let (a, b) = (to_px(&pair[0]), to_px(&pair[1]));
                        segment(&mut coverage, width, height, a, b, radius);
                    }
                }
            }
        }
        coverage
            .into_iter()
            .map(|c| 255 - (c.clamp(0.0, 1.0) * 255.0).round() as u8)
            .collect()
    }

    /// The signature as sent: a greyscale PNG of [`IMAGE_WIDTH`] × [`IMAGE_HEIGHT`] and the
    /// lower-case hex SHA-256 of its bytes. `None` while there is not enough ink.
    pub fn render(&self) -> Option<SignatureImage> {
        if !self.enough_ink() {
            return None;
        }
        let grey = self.raster(&[], IMAGE_WIDTH, IMAGE_HEIGHT);
        let mut png = Vec::new();
        let encoder =
            PngEncoder::new_with_quality(&mut png, CompressionType::Best, FilterType::Adaptive);
        encoder
            .write_image(&grey, IMAGE_WIDTH, IMAGE_HEIGHT, ExtendedColorType::L8)
            .ok()?;
        let sha256 = hex::encode(Sha256::digest(&png));
        Some(SignatureImage { png, sha256 })
    }
}

/// Darkens the pixels within `radius` of the segment a–b (anti-aliased edge).
fn segment(
    coverage: &mut [f32],
    width: u32,
    height: u32,
    a: (f32, f32),
    b: (f32, f32),
    radius: f32,
) {
    let reach = radius + 1.0;
    let left = (a.0.min(b.0) - reach).floor().max(0.0) as u32;
    let right = ((a.0.max(b.0) + reach).ceil() as u32).min(width);
    let top = (a.1.min(b.1) - reach).floor().max(0.0) as u32;
    let bottom = ((a.1.max(b.1) + reach).ceil() as u32).min(height);
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length2 = dx * dx + dy * dy;
    for y in top..bottom {
        for x in left..right {
            let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
            let t = if length2 > 0.0 {
                (((px - a.0) * dx + (py - a.1) * dy) / length2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let (cx, cy) = (a.0 + t * dx - px, a.1 + t * dy - py);
            let distance = (cx * cx + cy * cy).sqrt();
            let ink = (radius + 0.5 - distance).clamp(0.0, 1.0);
            let cell = &mut coverage[(y * width + x) as usize];
            if ink > *cell {
                *cell = ink;
            }
        }
    }
}

/// The rendered signature.
#[derive(Clone, PartialEq, Eq)]
pub struct SignatureImage {
    pub png: Vec<u8>,
    pub sha256: String,
}

impl fmt::Debug for SignatureImage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SignatureImage({} bytes)", self.png.len())
    }
}

/// What the signature step tells the citizen to do next, in plain words and short enough
/// for the side pane of a small landscape panel.
pub fn hint(enough_ink: bool) -> Bilingual {
    if enough_ink {
        bi(
            "签好了请按“确认签名并提交”。",
            "When you are done, press “Confirm signature and submit”.",
        )
    } else {
        bi(
            "请用手指在白框里写下您的姓名。",
            "Write your name in the white box with your finger.",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(x: u16, y: u16) -> Point {
        Point { x, y }
    }

    /// A line from (x0, y0) to (x1, y1) in `n` steps.
    fn line(x0: u16, y0: u16, x1: u16, y1: u16, n: u16) -> Vec<Point> {
        (0..=n)
            .map(|i| {
                let t = |a: u16, b: u16| {
                    (f32::from(a) + (f32::from(b) - f32::from(a)) * f32::from(i) / f32::from(n))
                        as u16
                };
                p(t(x0, x1), t(y0, y1))
            })
            .collect()
    }

    fn signed() -> SignaturePad {
        let mut pad = SignaturePad::default();
        assert!(pad.add_stroke(&line(100, 200, 400, 200, 30)));
        assert!(pad.add_stroke(&line(250, 80, 250, 320, 20)));
        pad
    }

    #[test]
    fn a_tap_or_a_small_tick_is_not_a_signature() {
        let mut pad = SignaturePad::default();
        assert!(!pad.enough_ink());
        pad.add_stroke(&[p(500, 200)]);
        assert!(!pad.is_empty());
        assert!(!pad.enough_ink(), "a tap");
        assert!(pad.render().is_none());
        // Back and forth within a small spot: long enough, but no extent.
        let mut scribble = Vec::new();
        for _ in 0..20 {
            scribble.extend([p(500, 200), p(530, 200)]);
        }
        pad.add_stroke(&scribble);
        assert!(pad.ink_length() >= MIN_INK_LENGTH);
        assert!(!pad.enough_ink(), "a scribble in one spot");
        assert!(signed().enough_ink());
        assert_eq!(signed().ink_length(), 300 + 240);
    }

    #[test]
    fn clear_takes_all_the_ink_away() {
        let mut pad = signed();
        pad.clear();
        assert!(pad.is_empty() && !pad.enough_ink());
        assert_eq!(pad, SignaturePad::default());
    }

    #[test]
    fn points_are_held_inside_the_pad_and_repeats_dropped() {
        let mut pad = SignaturePad::default();
        pad.add_stroke(&[p(2000, 900), p(2000, 900), p(10, 10)]);
        assert_eq!(pad.strokes(), &[vec![p(PAD_WIDTH, PAD_HEIGHT), p(10, 10)]]);
        assert_eq!(Point::from_fraction(-0.5, 1.5), p(0, PAD_HEIGHT));
        assert_eq!(Point::from_fraction(0.5, 0.25), p(500, 100));
        assert_eq!(Point::from_fraction(f32::NAN, 0.0), p(0, 0));
        assert!(!pad.add_stroke(&[]));
    }

    #[test]
    fn a_pad_cannot_grow_without_end() {
        let mut pad = SignaturePad::default();
        let long: Vec<Point> = (0..MAX_POINTS as u32)
            .map(|i| p((i % 1000) as u16, (i / 1000) as u16))
            .collect();
        assert!(pad.add_stroke(&long));
        assert!(!pad.add_stroke(&[p(1, 1)]), "over the point limit");
    }

    #[test]
    fn the_png_is_black_ink_on_white_and_the_same_every_time() {
        let image = signed().render().unwrap();
        assert_eq!(image, signed().render().unwrap(), "deterministic");
        assert_eq!(image.sha256, hex::encode(Sha256::digest(&image.png)));
        assert_eq!(image.sha256.len(), 64);
        let decoded = image::load_from_memory_with_format(&image.png, image::ImageFormat::Png)
            .unwrap()
            .to_luma8();
        assert_eq!(decoded.dimensions(), (IMAGE_WIDTH, IMAGE_HEIGHT));
        // The horizontal stroke at pad y = 200 is image y = 160; pad x 100..400 is 80..320.
        assert_eq!(decoded.get_pixel(200, 160)[0], 0, "ink on the stroke");
        assert_eq!(decoded.get_pixel(600, 160)[0], 255, "white beside it");
        assert_eq!(decoded.get_pixel(5, 5)[0], 255, "white corner");
        // The line is thick enough to read, and its edge is smoothed.
        let column: Vec<u8> = (150..170).map(|y| decoded.get_pixel(150, y)[0]).collect();
        assert!(
            column.iter().filter(|&&v| v == 0).count() >= 5,
            "{column:?}"
        );
        assert!(column.iter().any(|&v| v > 0 && v < 255), "{column:?}");
    }

    #[test]
    fn other_ink_gives_another_hash() {
        let mut other = signed();
        other.add_stroke(&line(600, 100, 900, 300, 20));
        assert_ne!(
            other.render().unwrap().sha256,
            signed().render().unwrap().sha256
        );
    }

    #[test]
    fn the_live_stroke_shows_before_the_finger_lifts() {
        let pad = SignaturePad::default();
        let blank = pad.raster(&[], 100, 40);
        assert!(blank.iter().all(|&v| v == 255));
        let live = pad.raster(&line(100, 200, 900, 200, 10), 100, 40);
        assert!(live[20 * 100 + 50] < 200, "ink under the finger");
        assert_eq!(live[5 * 100 + 50], 255, "white away from it");
    }

    #[test]
    fn debug_output_shows_no_coordinates() {
        let shown = format!("{:?} {:?}", signed(), signed().render().unwrap());
        assert!(shown.contains("2 strokes"), "{shown}");
        assert!(!shown.contains("250"), "{shown}");
    }

    #[test]
    fn the_hint_is_in_both_languages() {
        for enough in [false, true] {
            assert!(hint(enough).is_complete());
        }
    }
}
