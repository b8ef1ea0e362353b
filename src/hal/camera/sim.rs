//! Simulated document camera: a JPEG of a synthetic document page on a desk, as a document
//! camera would photograph it (page with a title bar, text lines, a signature line and a red
//! seal). Each capture carries a different frame marker so consecutive stills differ.

use super::{CameraError, DocumentCamera};
use crate::hal::DeviceHealth;
use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};

pub const WIDTH: u32 = 1280;
pub const HEIGHT: u32 = 960;
/// The page occupies this rectangle (A4 proportions).
pub const PAGE: (u32, u32, u32, u32) = (370, 40, 540, 880);
const DESK: Rgb<u8> = Rgb([92, 84, 76]);
const PAPER: Rgb<u8> = Rgb([246, 245, 240]);
const INK: Rgb<u8> = Rgb([40, 40, 48]);
const SEAL: Rgb<u8> = Rgb([200, 30, 30]);
const JPEG_QUALITY: u8 = 85;

#[derive(Debug, Default)]
pub struct SimCamera {
    captures: u32,
}

impl SimCamera {
    pub fn new() -> SimCamera {
        SimCamera::default()
    }

    /// The page as an image (before JPEG encoding).
    pub fn render_page(frame: u32) -> RgbImage {
        let mut img = RgbImage::from_pixel(WIDTH, HEIGHT, DESK);
        let (px, py, pw, ph) = PAGE;
        fill(&mut img, px, py, pw, ph, PAPER);
        // Title bar and text lines of varying length.
        fill(&mut img, px + 150, py + 50, pw - 300, 22, INK);
        for line in 0..24u32 {
            let length = pw - 120 - (line * 37 % 160);
            fill(&mut img, px + 60, py + 120 + line * 26, length, 8, INK);
        }
        // Signature line and a round seal over it.
        fill(&mut img, px + 300, py + ph - 120, 180, 3, INK);
        ring(&mut img, px + 390, py + ph - 130, 60, 6, SEAL);
        // Frame marker: a short bar whose position encodes the capture number.
        fill(
            &mut img,
            px + 20 + (frame % 20) * 20,
            py + ph - 30,
            16,
            6,
            INK,
        );
        img
    }
}

fn fill(img: &mut RgbImage, x: u32, y: u32, w: u32, h: u32, color: Rgb<u8>) {
    for yy in y..(y + h).min(img.height()) {
        for xx in x..(x + w).min(img.width()) {
            img.put_pixel(xx, yy, color);
        }
    }
}

fn ring(img: &mut RgbImage, cx: u32, cy: u32, radius: u32, thickness: u32, color: Rgb<u8>) {
    let (cx, cy, r) = (i64::from(cx), i64::from(cy), i64::from(radius));
    let inner = (r - i64::from(thickness)).pow(2);
    for y in (cy - r)..=(cy + r) {
        for x in (cx - r)..=(cx + r) {
            let d = (x - cx).pow(2) + (y - cy).pow(2);
            if d <= r * r && d >= inner {
                if let (Ok(x), Ok(y)) = (u32::try_from(x), u32::try_from(y)) {
                    if x < img.width() && y < img.height() {
                        img.put_pixel(x, y, color);
                    }
                }
            }
        }
    }
}

impl DocumentCamera for SimCamera {
    fn capture_jpeg(&mut self) -> Result<Vec<u8>, CameraError> {
        let page = SimCamera::render_page(self.captures);
        self.captures = self.captures.wrapping_add(1);
        let mut jpeg = Vec::new();
        JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
            .encode_image(&page)
            .map_err(|e| CameraError::Encode(e.to_string()))?;
        Ok(jpeg)
    }

    fn health(&self) -> DeviceHealth {
        DeviceHealth::Ready
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capture_is_a_jpeg_of_a_page_on_a_desk() {
        let mut camera = SimCamera::new();
        let jpeg = camera.capture_jpeg().unwrap();
        assert!(jpeg.starts_with(&[0xFF, 0xD8]));
        let img = image::load_from_memory_with_format(&jpeg, image::ImageFormat::Jpeg)
            .unwrap()
            .to_rgb8();
        assert_eq!(img.dimensions(), (WIDTH, HEIGHT));
        let brightness = |x, y| {
            img.get_pixel(x, y)
                .0
                .iter()
                .map(|c| u32::from(*c))
                .sum::<u32>()
        };
        // Paper margin is bright, desk is dark, the seal is red.
        assert!(brightness(PAGE.0 + 10, PAGE.1 + 10) > 650);
        assert!(brightness(10, 10) < 300);
        let seal = img.get_pixel(PAGE.0 + 390, PAGE.1 + PAGE.3 - 130 - 57);
        assert!(seal.0[0] > 150 && seal.0[1] < 90, "{seal:?}");
    }

    #[test]
    fn consecutive_captures_differ() {
        let mut camera = SimCamera::new();
        let first = camera.capture_jpeg().unwrap();
        let second = camera.capture_jpeg().unwrap();
        assert_ne!(first, second);
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("still.jpg");
        let written = super::super::capture_to_file(&mut camera, &out).unwrap();
        assert_eq!(std::fs::metadata(&out).unwrap().len(), written as u64);
    }
}
