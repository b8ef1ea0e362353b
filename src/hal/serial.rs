//! Serial links for the UART devices (ID-card reader, fingerprint module): opening by path
//! with timeouts, reads bounded by a deadline, and unplug detection. With `simulators`, a
//! pseudo-terminal pair whose slave path the real drivers open unchanged.

use serialport::SerialPort;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use thiserror::Error;

#[cfg(feature = "simulators")]
mod pty;
#[cfg(feature = "simulators")]
pub use pty::{PtyDevice, SimulatorThread};

/// Longest single blocking read; a deadline is checked between reads.
const READ_SLICE: Duration = Duration::from_millis(50);

#[derive(Debug, Error)]
pub enum LinkError {
    /// The device node is missing or the device went away (USB unplugged, EIO, hangup).
    #[error("serial device {0} is absent or was unplugged")]
    Absent(PathBuf),
    #[error("serial device {path}: permission denied")]
    PermissionDenied { path: PathBuf },
    #[error("no answer from the device within {0:?}")]
    Timeout(Duration),
    #[error("serial I/O error on {path}: {message}")]
    Io { path: PathBuf, message: String },
}

/// An open serial port and the path it was opened by (for re-opening and messages).
pub struct Link {
    port: Box<dyn SerialPort>,
    path: PathBuf,
}

impl std::fmt::Debug for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Link")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// Time the bytes take on the wire at 8N1: ten bit times per byte.
pub fn wire_time(bytes: usize, baud: u32) -> Duration {
    Duration::from_secs_f64(bytes as f64 * 10.0 / f64::from(baud.max(1)))
}

impl Link {
    /// Opens `path` at `baud`, 8N1, no flow control.
    pub fn open(path: &Path, baud: u32) -> Result<Link, LinkError> {
        let port = serialport::new(path.to_string_lossy(), baud)
            .data_bits(serialport::DataBits::Eight)
            .parity(serialport::Parity::None)
            .stop_bits(serialport::StopBits::One)
            .flow_control(serialport::FlowControl::None)
            .timeout(READ_SLICE)
            .open()
            .map_err(|error| classify_open_error(path, error))?;
        Ok(Link {
            port,
            path: path.to_owned(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Drops bytes a previous exchange left behind (a late answer must not be taken for
    /// the answer to the next command).
    pub fn discard_input(&mut self) -> Result<(), LinkError> {
        self.port
            .clear(serialport::ClearBuffer::Input)
            .map_err(|error| self.io_error(error.into()))
    }

    pub fn write_all(&mut self, bytes: &[u8]) -> Result<(), LinkError> {
        io::Write::write_all(&mut self.port, bytes)
            .and_then(|()| io::Write::flush(&mut self.port))
            .map_err(|error| self.io_error(error))
    }

    /// Reads whatever arrives before `deadline`; `Ok(0)` means nothing arrived in time.
    pub fn read_until(&mut self, buffer: &mut [u8], deadline: Instant) -> Result<usize, LinkError> {
        loop {
            let now = Instant::now();
            if now >= deadline {
                return Ok(0);
            }
            match io::Read::read(&mut self.port, buffer) {
                // A tty read of zero bytes means the other end hung up.
                Ok(0) => return Err(LinkError::Absent(self.path.clone())),
                Ok(n) => return Ok(n),
                Err(error) if error.kind() == io::ErrorKind::TimedOut => continue,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(self.io_error(error)),
            }
        }
    }

    fn io_error(&self, error: io::Error) -> LinkError {
        // A device node that no longer resolves (USB adapter pulled, dangling udev link)
        // means absent whatever the error says.
        if is_unplug(&error) || !self.path.exists() {
            LinkError::Absent(self.path.clone())
        } else {
            LinkError::Io {
                path: self.path.clone(),
                message: error.to_string(),
            }
        }
    }
}

/// Errors that mean the device is gone rather than misbehaving. serialport reports a
/// poll error on a vanished device only as the text "I/O error" (nix's EIO description).
fn is_unplug(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::BrokenPipe | io::ErrorKind::NotFound | io::ErrorKind::UnexpectedEof
    ) || matches!(
        error.raw_os_error(),
        Some(libc::EIO | libc::ENXIO | libc::ENODEV | libc::ENOENT)
    ) || error.to_string() == "I/O error"
}

fn classify_open_error(path: &Path, error: serialport::Error) -> LinkError {
    match error.kind() {
        serialport::ErrorKind::NoDevice => LinkError::Absent(path.to_owned()),
        serialport::ErrorKind::Io(io::ErrorKind::NotFound) => LinkError::Absent(path.to_owned()),
        serialport::ErrorKind::Io(io::ErrorKind::PermissionDenied) => LinkError::PermissionDenied {
            path: path.to_owned(),
        },
        _ if !path.exists() => LinkError::Absent(path.to_owned()),
        _ => LinkError::Io {
            path: path.to_owned(),
            message: error.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_time_is_ten_bits_per_byte() {
        assert_eq!(wire_time(11_520, 115_200), Duration::from_secs(1));
        assert_eq!(wire_time(0, 9_600), Duration::ZERO);
    }

    #[test]
    fn a_missing_device_is_absent() {
        let missing = Path::new("/dev/legal-kiosk-no-such-port");
        assert!(matches!(Link::open(missing, 115_200), Err(LinkError::Absent(p)) if p == missing));
    }

    #[test]
    fn eio_and_hangup_are_unplug() {
        assert!(is_unplug(&io::Error::from_raw_os_error(libc::EIO)));
        assert!(is_unplug(&io::Error::new(
            io::ErrorKind::BrokenPipe,
            "hangup"
        )));
        assert!(!is_unplug(&io::Error::from_raw_os_error(libc::EBUSY)));
    }
}
