//! Headless rendering with Slint's software renderer: no display, no GPU. Used by the
//! `screenshot` command (docs, reviews, golden images) and by the render benchmark.

use slint::platform::software_renderer::{MinimalSoftwareWindow, RepaintBufferType};
use slint::platform::{Platform, WindowAdapter};
use slint::{PhysicalSize, PlatformError, Rgb8Pixel, SharedPixelBuffer};
use std::rc::Rc;

struct HeadlessPlatform {
    window: Rc<MinimalSoftwareWindow>,
}

impl Platform for HeadlessPlatform {
    fn create_window_adapter(&self) -> Result<Rc<dyn WindowAdapter>, PlatformError> {
        Ok(self.window.clone())
    }
}

/// The process-wide headless platform. Install it before creating any component.
pub struct Headless {
    window: Rc<MinimalSoftwareWindow>,
}

impl Headless {
    pub fn install() -> Result<Headless, PlatformError> {
        let window = MinimalSoftwareWindow::new(RepaintBufferType::NewBuffer);
        slint::platform::set_platform(Box::new(HeadlessPlatform {
            window: window.clone(),
        }))
        .map_err(|e| PlatformError::Other(e.to_string()))?;
        Ok(Headless { window })
    }

    pub fn set_size(&self, width: u32, height: u32) {
        self.window.set_size(PhysicalSize::new(width, height));
    }

    /// Runs due timers and animations, then renders one full frame.
    pub fn render(&self) -> SharedPixelBuffer<Rgb8Pixel> {
        slint::platform::update_timers_and_animations();
        let size = self.window.size();
        let mut buffer = SharedPixelBuffer::<Rgb8Pixel>::new(size.width, size.height);
        self.window.request_redraw();
        self.window.draw_if_needed(|renderer| {
            renderer.render(buffer.make_mut_slice(), size.width as usize);
        });
        buffer
    }
}

/// Writes an RGB buffer as PNG.
pub fn save_png(
    buffer: &SharedPixelBuffer<Rgb8Pixel>,
    path: &std::path::Path,
) -> Result<(), image::ImageError> {
    image::save_buffer(
        path,
        buffer.as_bytes(),
        buffer.width(),
        buffer.height(),
        image::ExtendedColorType::Rgb8,
    )
}
