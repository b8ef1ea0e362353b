//! Pseudo-terminal pairs for simulators: the simulator owns the master, the driver under
//! test opens the slave by its path (`/dev/pts/N`) exactly as it opens a real port.
//! A PTY does not enforce a baud rate, so the simulator paces its writes at the configured
//! one; timings measured through it are then close to a real line's.

use super::wire_time;
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Bytes written between pacing pauses: small enough to keep the timing close to a line's.
const PACING_CHUNK: usize = 16;
/// How often a simulator thread checks whether it must stop.
const STOP_POLL: Duration = Duration::from_millis(20);

/// The simulator's end of the line.
pub struct PtyDevice {
    master: File,
    baud: u32,
}

impl PtyDevice {
    pub fn baud(&self) -> u32 {
        self.baud
    }

    /// Changes the pacing speed (a device told to switch its UART speed).
    pub fn set_baud(&mut self, baud: u32) {
        self.baud = baud;
    }

    /// Waits up to `wait` for bytes from the driver; `Ok(0)` when none came.
    pub fn read_timeout(&mut self, buffer: &mut [u8], wait: Duration) -> io::Result<usize> {
        let mut poll = libc::pollfd {
            fd: self.master.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let millis = libc::c_int::try_from(wait.as_millis()).unwrap_or(libc::c_int::MAX);
        // SAFETY: one valid pollfd for the duration of the call.
        let ready = unsafe { libc::poll(&mut poll, 1, millis) };
        if ready < 0 {
            let error = io::Error::last_os_error();
            return if error.kind() == io::ErrorKind::Interrupted {
                Ok(0)
            } else {
                Err(error)
            };
        }
        if ready == 0 || poll.revents & libc::POLLIN == 0 {
            return Ok(0);
        }
        self.master.read(buffer)
    }

    /// Writes at the configured baud: each chunk is released when a real line would have
    /// delivered its last byte.
    pub fn write_paced(&mut self, bytes: &[u8]) -> io::Result<()> {
        let start = Instant::now();
        let mut sent = 0;
        for chunk in bytes.chunks(PACING_CHUNK) {
            sent += chunk.len();
            let due = start + wire_time(sent, self.baud);
            if let Some(pause) = due.checked_duration_since(Instant::now()) {
                std::thread::sleep(pause);
            }
            self.master.write_all(chunk)?;
        }
        self.master.flush()
    }
}

/// A simulator running on its own thread at the master end of a fresh PTY.
pub struct SimulatorThread {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
    slave_path: PathBuf,
}

impl SimulatorThread {
    /// Spawns `serve`, called with every chunk of bytes the driver writes.
    pub fn spawn<F>(name: &str, baud: u32, mut serve: F) -> io::Result<SimulatorThread>
    where
        F: FnMut(&mut PtyDevice, &[u8]) -> io::Result<()> + Send + 'static,
    {
        let (master, keep_alive, slave_path) = open_pty()?;
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let handle = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                // Holding a slave descriptor keeps master reads from failing with EIO while
                // the driver has the port closed (between re-opens).
                let _keep_alive = keep_alive;
                let mut device = PtyDevice { master, baud };
                let mut buffer = [0u8; 512];
                while !stopping.load(Ordering::Relaxed) {
                    match device.read_timeout(&mut buffer, STOP_POLL) {
                        Ok(0) => {}
                        Ok(n) => {
                            if let Err(error) = serve(&mut device, &buffer[..n]) {
                                tracing::warn!(%error, "simulator write failed");
                            }
                        }
                        Err(error) => {
                            tracing::warn!(%error, "simulator read failed; stopping");
                            break;
                        }
                    }
                }
            })?;
        Ok(SimulatorThread {
            stop,
            handle: Some(handle),
            slave_path,
        })
    }

    /// The path a driver opens, e.g. `/dev/pts/7`.
    pub fn slave_path(&self) -> &Path {
        &self.slave_path
    }

    /// Stops the simulator and closes both ends: the slave path disappears and a driver
    /// holding it open gets hang-up/EIO, as when a USB-serial adapter is pulled.
    pub fn unplug(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(handle) = self.handle.take() {
            if handle.join().is_err() {
                tracing::error!("simulator thread panicked");
            }
        }
    }
}

impl Drop for SimulatorThread {
    fn drop(&mut self) {
        self.shut_down();
    }
}

/// Opens a PTY pair in raw mode: (master, slave kept open, slave path).
fn open_pty() -> io::Result<(File, File, PathBuf)> {
    let mut master: libc::c_int = -1;
    let mut slave: libc::c_int = -1;
    // SAFETY: out-pointers to two ints; name, termios and winsize may be null.
    let result = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    if result != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: openpty succeeded, so both descriptors are open and owned by nobody else.
    let (master, slave) = unsafe { (File::from_raw_fd(master), File::from_raw_fd(slave)) };
    for fd in [master.as_raw_fd(), slave.as_raw_fd()] {
        // SAFETY: fd is open; FD_CLOEXEC keeps it out of child processes.
        unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
    }
    make_raw(&slave)?;
    let mut name = [0 as libc::c_char; 128];
    // SAFETY: the buffer and its length are valid for the call.
    let result = unsafe { libc::ptsname_r(master.as_raw_fd(), name.as_mut_ptr(), name.len()) };
    if result != 0 {
        return Err(io::Error::from_raw_os_error(result));
    }
    // SAFETY: ptsname_r wrote a NUL-terminated string into `name`.
    let path = unsafe { std::ffi::CStr::from_ptr(name.as_ptr()) };
    Ok((
        master,
        slave,
        PathBuf::from(path.to_string_lossy().into_owned()),
    ))
}

/// No echo, no line editing, no CR/LF translation: bytes pass through unchanged.
fn make_raw(tty: &File) -> io::Result<()> {
    // SAFETY: termios is plain data; tcgetattr fills it before use.
    let mut termios: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: fd is an open terminal and termios points to valid memory.
    if unsafe { libc::tcgetattr(tty.as_raw_fd(), &mut termios) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: termios was initialised by tcgetattr.
    unsafe { libc::cfmakeraw(&mut termios) };
    // SAFETY: as above.
    if unsafe { libc::tcsetattr(tty.as_raw_fd(), libc::TCSANOW, &termios) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::Link;
    use super::*;

    #[test]
    fn driver_opens_the_slave_path_and_bytes_pass_unchanged() {
        let echo = SimulatorThread::spawn("echo-sim", 115_200, |device, bytes| {
            device.write_paced(bytes)
        })
        .expect("pty");
        assert!(echo.slave_path().starts_with("/dev/pts"));
        let mut link = Link::open(echo.slave_path(), 115_200).expect("opens the slave");
        let all_bytes: Vec<u8> = (0..=255).collect();
        link.write_all(&all_bytes).expect("writes");
        let mut received = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(2);
        let mut buffer = [0u8; 256];
        while received.len() < all_bytes.len() {
            let n = link.read_until(&mut buffer, deadline).expect("reads");
            assert!(n > 0, "echo timed out after {} bytes", received.len());
            received.extend_from_slice(&buffer[..n]);
        }
        assert_eq!(
            received, all_bytes,
            "raw mode: CR, LF, XON/XOFF and 0xFF untouched"
        );
    }

    #[test]
    fn unplug_removes_the_path_and_fails_the_open_link() {
        let sim = SimulatorThread::spawn("unplug-sim", 115_200, |_, _| Ok(())).expect("pty");
        let path = sim.slave_path().to_owned();
        let mut link = Link::open(&path, 115_200).expect("opens");
        sim.unplug();
        let mut buffer = [0u8; 8];
        let outcome = link.read_until(&mut buffer, Instant::now() + Duration::from_millis(300));
        assert!(
            matches!(outcome, Err(super::super::LinkError::Absent(_))),
            "{outcome:?}"
        );
        assert!(matches!(
            Link::open(&path, 115_200),
            Err(super::super::LinkError::Absent(_))
        ));
    }
}
