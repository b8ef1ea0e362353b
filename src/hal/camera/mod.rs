//! Document camera (高拍仪): capture one still JPEG. UVC document cameras stream MJPEG, so a
//! still is one frame of the stream at the largest size the camera offers; the V4L2 driver
//! uses the pure-Rust `linuxvideo` crate (no libclang, cross-compiles cleanly).

#[cfg(feature = "simulators")]
pub mod sim;
mod v4l2;

pub use v4l2::V4l2Camera;

use crate::config::CameraConfig;
use crate::hal::DeviceHealth;
use std::path::{Path, PathBuf};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum CameraError {
    #[error("camera {0} not connected")]
    Absent(PathBuf),
    #[error("{0} is not a video capture device")]
    NotCaptureDevice(PathBuf),
    #[error("camera offers no JPEG/MJPEG format (offers {formats})")]
    NoJpegFormat { formats: String },
    #[error("camera delivered no frame within {seconds} s")]
    Timeout { seconds: u64 },
    #[error("camera delivered a frame that is not a JPEG")]
    BadFrame,
    #[error("camera I/O error: {0}")]
    Io(#[source] std::io::Error),
    #[error("could not encode the image: {0}")]
    Encode(String),
}

/// A camera that takes still JPEG photos of documents. Calls block for at most a few
/// seconds (run them on a blocking thread from async code).
pub trait DocumentCamera: Send {
    fn capture_jpeg(&mut self) -> Result<Vec<u8>, CameraError>;
    /// Health known from the last capture; no I/O.
    fn health(&self) -> DeviceHealth;
}

/// Opens the camera the configuration names; `None` when none is fitted.
pub fn open_camera(config: &CameraConfig) -> Option<Box<dyn DocumentCamera>> {
    match config {
        CameraConfig::None => None,
        CameraConfig::V4l2 { device } => Some(Box::new(V4l2Camera::new(device.clone()))),
        #[cfg(feature = "simulators")]
        CameraConfig::Simulated => Some(Box::new(sim::SimCamera::new())),
    }
}

/// Captures one still and writes it to `out` (the `device camera-test` command).
pub fn capture_to_file(camera: &mut dyn DocumentCamera, out: &Path) -> Result<usize, CameraError> {
    let jpeg = camera.capture_jpeg()?;
    std::fs::write(out, &jpeg).map_err(CameraError::Io)?;
    Ok(jpeg.len())
}

/// JPEG data starts with SOI (FF D8).
fn is_jpeg(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xD8])
}
