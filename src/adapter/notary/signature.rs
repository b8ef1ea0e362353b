//! The signature box's binding. The ink is drawn by the core's own rasteriser, so what the
//! box shows is what is sent; the stroke under the finger is kept here until the finger
//! lifts, then becomes one journey command.

use crate::core::notary::journey::ScreenView;
use crate::core::notary::signature::{Point, SignaturePad, IMAGE_HEIGHT, IMAGE_WIDTH, MAX_POINTS};
use crate::domain::Language;
use crate::ui::NotaryAdapter;
use slint::{Image, Rgb8Pixel, SharedPixelBuffer};

/// The ink confirmed so far (from the journey's last view) and the stroke being written.
#[derive(Default)]
pub(super) struct Ink {
    pad: SignaturePad,
    live: Vec<Point>,
    pressed: bool,
}

impl Ink {
    /// A finger touches the box: a new stroke starts.
    pub(super) fn press(&mut self, x: f32, y: f32) -> Image {
        self.pressed = true;
        self.live.clear();
        self.live.push(Point::from_fraction(x, y));
        self.image()
    }

    /// The finger moved: the box is redrawn only when it reached another grid point.
    pub(super) fn move_to(&mut self, x: f32, y: f32) -> Option<Image> {
        let point = Point::from_fraction(x, y);
        if !self.pressed || self.live.last() == Some(&point) || self.live.len() >= MAX_POINTS {
            return None;
        }
        self.live.push(point);
        Some(self.image())
    }

    /// The finger lifted: the stroke, for the journey.
    pub(super) fn release(&mut self) -> Option<Vec<Point>> {
        if !std::mem::take(&mut self.pressed) {
            return None;
        }
        Some(std::mem::take(&mut self.live))
    }

    fn image(&self) -> Image {
        ink_image(&self.pad, &self.live)
    }
}

fn ink_image(pad: &SignaturePad, live: &[Point]) -> Image {
    let grey = pad.raster(live, IMAGE_WIDTH, IMAGE_HEIGHT);
    let mut buffer = SharedPixelBuffer::<Rgb8Pixel>::new(IMAGE_WIDTH, IMAGE_HEIGHT);
    for (pixel, level) in buffer.make_mut_slice().iter_mut().zip(grey) {
        *pixel = Rgb8Pixel::new(level, level, level);
    }
    Image::from_rgb8(buffer)
}

/// Takes the journey's pad into `ink` and renders the step's properties.
pub(super) fn render(
    a: &NotaryAdapter<'_>,
    language: Language,
    screen: &ScreenView,
    ink: &mut Ink,
) {
    match screen {
        ScreenView::Signature {
            pad,
            can_confirm,
            hint,
        } => {
            ink.pad = pad.clone();
            a.set_signature_ink(ink.image());
            a.set_signature_empty(pad.is_empty() && ink.live.is_empty());
            a.set_signed(*can_confirm);
            a.set_signature_hint(hint.get(language).into());
        }
        _ => {
            *ink = Ink::default();
            a.set_signature_ink(Image::default());
            a.set_signature_empty(true);
            a.set_signed(false);
            a.set_signature_hint(Default::default());
        }
    }
}
