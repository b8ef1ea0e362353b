//! Byte transports to a printer: the Linux USB printer class device, a serial port and raw
//! TCP. Each one writes with a deadline and reads with a timeout, so a stalled printer is
//! a timeout, never a hang.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How long one write may stall before the printer counts as not accepting data.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(5);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// A connected printer.
pub trait PrinterLink: Send {
    /// Writes all of `bytes` or fails (`TimedOut` when the printer stops accepting data).
    fn send(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// Reads what arrives within `timeout`; `Ok(0)` when nothing did.
    fn receive(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize>;
}

/// Where a printer is reached; `open` may be called again after an unplug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// `/dev/usb/lp0` (usblp): bidirectional on most receipt printers.
    UsbLp(PathBuf),
    Serial {
        port: PathBuf,
        baud: u32,
    },
    Tcp(SocketAddr),
}

impl LinkTarget {
    pub fn open(&self) -> io::Result<Box<dyn PrinterLink>> {
        Ok(match self {
            LinkTarget::UsbLp(path) => Box::new(FdLink::open(path)?),
            LinkTarget::Serial { port, baud } => Box::new(SerialLink::open(port, *baud)?),
            LinkTarget::Tcp(address) => Box::new(TcpLink::connect(*address)?),
        })
    }

    /// For staff screens and logs (device paths and printer addresses are not personal).
    pub fn describe(&self) -> String {
        match self {
            LinkTarget::UsbLp(path) => path.display().to_string(),
            LinkTarget::Serial { port, baud } => format!("{} @ {baud}", port.display()),
            LinkTarget::Tcp(address) => address.to_string(),
        }
    }
}

/// Whether an I/O error means the device is not there (unplugged, powered off, refused).
pub fn is_absent(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::NotFound
            | io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe
            | io::ErrorKind::NotConnected
            | io::ErrorKind::HostUnreachable
    ) || matches!(
        error.raw_os_error(),
        Some(libc::ENODEV | libc::ENXIO | libc::EIO)
    )
}

/// A character device opened non-blocking and driven with `poll(2)` deadlines.
pub struct FdLink {
    file: File,
}

impl FdLink {
    pub fn open(path: &std::path::Path) -> io::Result<FdLink> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
            .open(path)?;
        Ok(FdLink { file })
    }

    /// Waits until the fd is ready for `events`; false on timeout.
    fn wait(&self, events: libc::c_short, timeout: Duration) -> io::Result<bool> {
        let mut fds = libc::pollfd {
            fd: self.file.as_raw_fd(),
            events,
            revents: 0,
        };
        let millis = libc::c_int::try_from(timeout.as_millis()).unwrap_or(libc::c_int::MAX);
        // SAFETY: one valid pollfd for the duration of the call.
        let ready = unsafe { libc::poll(&mut fds, 1, millis) };
        if ready < 0 {
            let error = io::Error::last_os_error();
            return if error.kind() == io::ErrorKind::Interrupted {
                Ok(false)
            } else {
                Err(error)
            };
        }
        if fds.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
            && fds.revents & events == 0
        {
            return Err(io::Error::from(io::ErrorKind::BrokenPipe));
        }
        Ok(ready > 0)
    }
}

impl PrinterLink for FdLink {
    fn send(&mut self, mut bytes: &[u8]) -> io::Result<()> {
        let deadline = Instant::now() + WRITE_TIMEOUT;
        while !bytes.is_empty() {
            match self.file.write(bytes) {
                Ok(0) => return Err(io::Error::from(io::ErrorKind::WriteZero)),
                Ok(n) => bytes = &bytes[n..],
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() || !self.wait(libc::POLLOUT, left)? {
                        return Err(io::Error::from(io::ErrorKind::TimedOut));
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    fn receive(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        if !self.wait(libc::POLLIN, timeout)? {
            return Ok(0);
        }
        match self.file.read(buf) {
            Ok(n) => Ok(n),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(0),
            Err(e) => Err(e),
        }
    }
}

/// A serial printer through the `serialport` crate (no libudev).
pub struct SerialLink {
    port: serialport::TTYPort,
}

impl SerialLink {
    pub fn open(path: &std::path::Path, baud: u32) -> io::Result<SerialLink> {
        let port = serialport::new(path.to_string_lossy(), baud)
            .timeout(WRITE_TIMEOUT)
            .open_native()
            .map_err(io::Error::from)?;
        Ok(SerialLink { port })
    }
}

impl PrinterLink for SerialLink {
    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        serialport::SerialPort::set_timeout(&mut self.port, WRITE_TIMEOUT)
            .map_err(io::Error::from)?;
        self.port.write_all(bytes)?;
        self.port.flush()
    }

    fn receive(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        serialport::SerialPort::set_timeout(&mut self.port, timeout).map_err(io::Error::from)?;
        match self.port.read(buf) {
            Ok(n) => Ok(n),
            Err(e) if e.kind() == io::ErrorKind::TimedOut => Ok(0),
            Err(e) => Err(e),
        }
    }
}

/// A network printer on raw TCP (port 9100).
pub struct TcpLink {
    stream: TcpStream,
}

impl TcpLink {
    pub fn connect(address: SocketAddr) -> io::Result<TcpLink> {
        let stream = TcpStream::connect_timeout(&address, CONNECT_TIMEOUT)?;
        stream.set_nodelay(true)?;
        stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
        Ok(TcpLink { stream })
    }
}

impl PrinterLink for TcpLink {
    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes).map_err(|e| match e.kind() {
            io::ErrorKind::WouldBlock => io::Error::from(io::ErrorKind::TimedOut),
            _ => e,
        })
    }

    fn receive(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        self.stream
            .set_read_timeout(Some(timeout.max(Duration::from_millis(1))))?;
        match self.stream.read(buf) {
            // A closed connection is an unplugged printer, not "no reply yet".
            Ok(0) => Err(io::Error::from(io::ErrorKind::ConnectionReset)),
            Ok(n) => Ok(n),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                Ok(0)
            }
            Err(e) => Err(e),
        }
    }
}
