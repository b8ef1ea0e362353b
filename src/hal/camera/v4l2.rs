//! V4L2 capture through `linuxvideo`: open, check it is a capture device with MJPEG/JPEG,
//! stream at the largest size, keep a frame after the auto-exposure has settled.

use super::{is_jpeg, CameraError, DocumentCamera};
use crate::hal::DeviceHealth;
use linuxvideo::format::{PixFormat, PixelFormat};
use linuxvideo::{BufType, CapabilityFlags, Device};
use std::io;
use std::os::fd::AsRawFd;
use std::path::PathBuf;
use std::time::Duration;

/// Frames dropped before the kept one, while exposure and white balance settle.
const WARM_UP_FRAMES: usize = 3;
const FRAME_TIMEOUT: Duration = Duration::from_secs(5);

pub struct V4l2Camera {
    device: PathBuf,
    health: DeviceHealth,
}

impl V4l2Camera {
    /// Nothing is opened until a capture, so a camera plugged in later just works.
    pub fn new(device: PathBuf) -> V4l2Camera {
        V4l2Camera {
            device,
            health: DeviceHealth::Absent,
        }
    }

    fn open(&self) -> Result<Device, CameraError> {
        Device::open(&self.device).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => CameraError::Absent(self.device.clone()),
            _ if matches!(e.raw_os_error(), Some(libc::ENODEV | libc::ENXIO)) => {
                CameraError::Absent(self.device.clone())
            }
            // VIDIOC_QUERYCAP on something that is not a V4L2 node.
            _ if matches!(e.raw_os_error(), Some(libc::ENOTTY | libc::EINVAL)) => {
                CameraError::NotCaptureDevice(self.device.clone())
            }
            _ => CameraError::Io(e),
        })
    }

    fn capture(&self) -> Result<Vec<u8>, CameraError> {
        let device = self.open()?;
        let capabilities = device.capabilities().map_err(CameraError::Io)?;
        if !capabilities
            .device_capabilities()
            .contains(CapabilityFlags::VIDEO_CAPTURE)
        {
            return Err(CameraError::NotCaptureDevice(self.device.clone()));
        }
        let formats: Vec<PixelFormat> = device
            .formats(BufType::VIDEO_CAPTURE)
            .filter_map(|f| f.ok().map(|f| f.pixel_format()))
            .collect();
        let format = [PixelFormat::MJPG, PixelFormat::JPEG]
            .into_iter()
            .find(|f| formats.contains(f))
            .ok_or_else(|| CameraError::NoJpegFormat {
                formats: formats
                    .iter()
                    .map(|f| format!("{f}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
        // The driver clamps the request to the largest supported size.
        let capture = device
            .video_capture(PixFormat::new(u32::MAX, u32::MAX, format))
            .map_err(CameraError::Io)?;
        let mut stream = capture.into_stream().map_err(CameraError::Io)?;
        let mut frame = Vec::new();
        for _ in 0..=WARM_UP_FRAMES {
            wait_readable(stream.as_raw_fd(), FRAME_TIMEOUT)?;
            frame = stream
                .dequeue(|buf| Ok(buf.to_vec()))
                .map_err(CameraError::Io)?;
        }
        if is_jpeg(&frame) {
            Ok(frame)
        } else {
            Err(CameraError::BadFrame)
        }
    }
}

/// Dequeuing blocks until a frame arrives; poll first so a stalled camera is a timeout.
fn wait_readable(fd: std::os::fd::RawFd, timeout: Duration) -> Result<(), CameraError> {
    let mut fds = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    let millis = libc::c_int::try_from(timeout.as_millis()).unwrap_or(libc::c_int::MAX);
    // SAFETY: one valid pollfd for the duration of the call.
    match unsafe { libc::poll(&mut fds, 1, millis) } {
        n if n > 0 => Ok(()),
        0 => Err(CameraError::Timeout {
            seconds: timeout.as_secs(),
        }),
        _ => Err(CameraError::Io(io::Error::last_os_error())),
    }
}

impl DocumentCamera for V4l2Camera {
    fn capture_jpeg(&mut self) -> Result<Vec<u8>, CameraError> {
        let result = self.capture();
        self.health = match &result {
            Ok(_) => DeviceHealth::Ready,
            Err(CameraError::Absent(_)) => DeviceHealth::Absent,
            Err(e) => DeviceHealth::Fault {
                reason: e.to_string(),
            },
        };
        result
    }

    fn health(&self) -> DeviceHealth {
        self.health.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_device_is_absent() {
        let mut camera = V4l2Camera::new(PathBuf::from("/dev/video-missing"));
        assert!(matches!(camera.capture_jpeg(), Err(CameraError::Absent(_))));
        assert_eq!(camera.health(), DeviceHealth::Absent);
    }

    #[test]
    fn a_node_that_is_not_v4l2_is_not_a_capture_device() {
        let file = tempfile::NamedTempFile::new().unwrap();
        for path in [PathBuf::from("/dev/null"), file.path().to_path_buf()] {
            let mut camera = V4l2Camera::new(path);
            assert!(
                matches!(camera.capture_jpeg(), Err(CameraError::NotCaptureDevice(_))),
                "{:?}",
                camera.capture_jpeg()
            );
            assert!(matches!(camera.health(), DeviceHealth::Fault { .. }));
        }
    }
}
