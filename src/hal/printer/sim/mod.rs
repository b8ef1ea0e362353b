//! The printer simulator: a network printer on a loopback port (or any byte stream, or a
//! capture file) that interprets ESC/POS with the same stream parser the tests trust,
//! answers `DLE EOT` from its scripted state, and renders each cut receipt to a PNG.
//!
//! Faults are scripted through the handle: paper out or cover open after N bytes (so they
//! hit mid-receipt), offline, and unplug/replug (connections dropped and refused, then
//! accepted again on the same port).

mod render;

pub use render::{FontSource, ReceiptRenderer, RenderError, PAPER_DOTS};

use super::{
    EscPosPrinter, LinkTarget, PrintError, PrintReport, PrinterProfile, Receipt, ReceiptPrinter,
};
use crate::codec::escpos_status::{PrinterStatus, StatusQuery};
use crate::codec::escpos_stream::{PrintOp, StreamParser, TextEncoding};
use crate::hal::DeviceHealth;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

const POLL: Duration = Duration::from_millis(20);

#[derive(Debug, Clone)]
pub struct SimOptions {
    pub encoding: TextEncoding,
    /// Where receipts are written as `receipt-NNN.png`; none = keep them in memory only.
    pub output_dir: Option<PathBuf>,
    /// Font for rendering; without one receipts are interpreted but not rendered.
    pub font: Option<FontSource>,
}

impl SimOptions {
    /// What `--demo` uses: PNGs in the temp dir, the default font if one is installed.
    pub fn demo() -> SimOptions {
        SimOptions {
            encoding: TextEncoding::Gb18030,
            output_dir: Some(std::env::temp_dir().join("legal-kiosk-receipts")),
            font: FontSource::find_default(),
        }
    }
}

/// A fault that strikes after a number of received bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimFault {
    PaperOut,
    CoverOpen,
    Offline,
}

/// One receipt as the simulator printed it.
#[derive(Debug, Clone)]
pub struct SimReceipt {
    pub ops: Vec<PrintOp>,
    /// False when a fault stopped it before the cut.
    pub complete: bool,
    pub png: Option<PathBuf>,
}

impl SimReceipt {
    /// Everything it printed as text, in order (no line breaks).
    pub fn text(&self) -> String {
        self.ops
            .iter()
            .filter_map(|op| match op {
                PrintOp::Text { text } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }
}

struct State {
    status: PrinterStatus,
    pending_fault: Option<(usize, SimFault)>,
    received: usize,
    current: Vec<PrintOp>,
    receipts: Vec<SimReceipt>,
}

struct Shared {
    state: Mutex<State>,
    plugged: AtomicBool,
    stopped: AtomicBool,
    renderer: Option<ReceiptRenderer>,
    options: SimOptions,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        // A panicking test thread must not wedge the simulator for the others.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Feeds bytes from one connection; returns the status replies to send back.
    fn process(&self, parser: &mut StreamParser, bytes: &[u8]) -> Vec<u8> {
        let mut replies = Vec::new();
        let mut rest = bytes;
        while !rest.is_empty() {
            let mut state = self.state();
            // Split the input where a scripted fault strikes, so it lands mid-receipt.
            let take = match state.pending_fault {
                Some((at, _)) => at.saturating_sub(state.received).clamp(1, rest.len()),
                None => rest.len(),
            };
            let (now, later) = rest.split_at(take);
            rest = later;
            state.received += now.len();
            for op in parser.feed(now) {
                self.execute(&mut state, op, &mut replies);
            }
            if let Some((at, fault)) = state.pending_fault {
                if state.received >= at {
                    state.pending_fault = None;
                    self.strike(&mut state, fault);
                    // A stopped printer discards the half-received job.
                    *parser = StreamParser::new(self.options.encoding);
                }
            }
        }
        replies
    }

    fn execute(&self, state: &mut State, op: PrintOp, replies: &mut Vec<u8>) {
        match op {
            PrintOp::StatusRequest { n } => {
                if let Some(query) = StatusQuery::from_parameter(n) {
                    replies.push(state.status.encode(query));
                }
            }
            // A stopped printer holds or drops print data; it only answers status.
            _ if !state.status.can_print() || state.status.offline => {}
            PrintOp::Cut { .. } => {
                let ops = std::mem::take(&mut state.current);
                self.finish_receipt(state, ops, true);
            }
            op => state.current.push(op),
        }
    }

    fn strike(&self, state: &mut State, fault: SimFault) {
        match fault {
            SimFault::PaperOut => state.status.paper_out = true,
            SimFault::CoverOpen => state.status.cover_open = true,
            SimFault::Offline => state.status.offline = true,
        }
        tracing::info!(?fault, "simulated printer fault");
        let ops = std::mem::take(&mut state.current);
        if !ops.is_empty() {
            self.finish_receipt(state, ops, false);
        }
    }

    fn finish_receipt(&self, state: &mut State, ops: Vec<PrintOp>, complete: bool) {
        let index = state.receipts.len();
        let png = match (&self.renderer, &self.options.output_dir) {
            (Some(renderer), Some(dir)) => {
                let path = dir.join(format!("receipt-{index:03}.png"));
                let saved = std::fs::create_dir_all(dir)
                    .map_err(|e| e.to_string())
                    .and_then(|()| renderer.render(&ops).save(&path).map_err(|e| e.to_string()));
                match saved {
                    Ok(()) => Some(path),
                    Err(error) => {
                        tracing::warn!(%error, "simulated printer could not save a receipt");
                        None
                    }
                }
            }
            _ => None,
        };
        state.receipts.push(SimReceipt { ops, complete, png });
    }
}

/// Handle to a running simulated network printer; dropping it stops the simulator.
pub struct SimulatedPrinter {
    address: SocketAddr,
    shared: Arc<Shared>,
}

impl SimulatedPrinter {
    /// Starts listening on `127.0.0.1` on a free port.
    pub fn start(options: SimOptions) -> io::Result<SimulatedPrinter> {
        SimulatedPrinter::start_on(options, SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    /// Starts listening on `address` (e.g. `127.0.0.1:9100`).
    pub fn start_on(options: SimOptions, address: SocketAddr) -> io::Result<SimulatedPrinter> {
        let renderer = match &options.font {
            Some(font) => match ReceiptRenderer::load(font) {
                Ok(renderer) => Some(renderer),
                Err(error) => {
                    tracing::warn!(%error, "simulated printer renders no PNGs");
                    None
                }
            },
            None => None,
        };
        let listener = TcpListener::bind(address)?;
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                status: PrinterStatus::default(),
                pending_fault: None,
                received: 0,
                current: Vec::new(),
                receipts: Vec::new(),
            }),
            plugged: AtomicBool::new(true),
            stopped: AtomicBool::new(false),
            renderer,
            options,
        });
        let accept_shared = Arc::clone(&shared);
        thread::Builder::new()
            .name("sim-printer".into())
            .spawn(move || accept_loop(listener, address, &accept_shared))?;
        Ok(SimulatedPrinter { address, shared })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Serves one already-connected byte stream (e.g. the master side of a PTY).
    pub fn attach<S: Read + Write + Send + 'static>(&self, stream: S) -> io::Result<()> {
        let shared = Arc::clone(&self.shared);
        thread::Builder::new()
            .name("sim-printer-conn".into())
            .spawn(move || serve(stream, &shared))?;
        Ok(())
    }

    pub fn set_status(&self, status: PrinterStatus) {
        self.shared.state().status = status;
    }

    pub fn status(&self) -> PrinterStatus {
        self.shared.state().status
    }

    /// The fault strikes once `bytes` more bytes have been received.
    pub fn fault_after(&self, bytes: usize, fault: SimFault) {
        let mut state = self.shared.state();
        let at = state.received + bytes;
        state.pending_fault = Some((at, fault));
    }

    /// Staff refilled the paper / closed the cover: back to idle.
    pub fn clear_faults(&self) {
        self.shared.state().status = PrinterStatus::default();
    }

    /// Cable pulled: open connections drop and new ones are refused.
    pub fn unplug(&self) {
        self.shared.plugged.store(false, Ordering::SeqCst);
    }

    /// Cable back: the same port accepts connections again.
    pub fn replug(&self) {
        self.shared.plugged.store(true, Ordering::SeqCst);
    }

    pub fn receipts(&self) -> Vec<SimReceipt> {
        self.shared.state().receipts.clone()
    }

    /// Waits until `count` receipts exist (the bytes may still be in flight when a
    /// driver returns).
    pub fn wait_for_receipts(&self, count: usize, timeout: Duration) -> Vec<SimReceipt> {
        let deadline = Instant::now() + timeout;
        loop {
            let receipts = self.receipts();
            if receipts.len() >= count || Instant::now() >= deadline {
                return receipts;
            }
            thread::sleep(POLL);
        }
    }
}

impl Drop for SimulatedPrinter {
    fn drop(&mut self) {
        self.shared.stopped.store(true, Ordering::SeqCst);
    }
}

/// Interprets a capture file (what `/dev/usb/lp0` would have received) in one go.
pub fn interpret_file(path: &std::path::Path, options: SimOptions) -> io::Result<Vec<SimReceipt>> {
    let bytes = std::fs::read(path)?;
    let printer = SimulatedPrinter::start(options)?;
    let mut parser = StreamParser::new(printer.shared.options.encoding);
    printer.shared.process(&mut parser, &bytes);
    let rest = parser.finish();
    let mut state = printer.shared.state();
    state.current.extend(rest);
    let ops = std::mem::take(&mut state.current);
    if !ops.is_empty() {
        printer.shared.finish_receipt(&mut state, ops, false);
    }
    Ok(state.receipts.clone())
}

fn accept_loop(listener: TcpListener, address: SocketAddr, shared: &Arc<Shared>) {
    let mut listener = Some(listener);
    while !shared.stopped.load(Ordering::SeqCst) {
        let plugged = shared.plugged.load(Ordering::SeqCst);
        match (&listener, plugged) {
            (Some(_), false) => listener = None,
            (None, true) => {
                // Re-plugged: listen on the same port again.
                listener = TcpListener::bind(address)
                    .and_then(|l| l.set_nonblocking(true).map(|()| l))
                    .ok();
            }
            (Some(l), true) => match l.accept() {
                Ok((stream, _)) => {
                    let conn_shared = Arc::clone(shared);
                    let spawned = thread::Builder::new()
                        .name("sim-printer-conn".into())
                        .spawn(move || serve_tcp(stream, &conn_shared));
                    if spawned.is_err() {
                        tracing::warn!("simulated printer could not start a connection thread");
                    }
                    continue;
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(error) => tracing::warn!(%error, "simulated printer accept failed"),
            },
            (None, false) => {}
        }
        thread::sleep(POLL);
    }
}

fn serve_tcp(stream: TcpStream, shared: &Shared) {
    if stream.set_nonblocking(false).is_err() || stream.set_read_timeout(Some(POLL)).is_err() {
        return;
    }
    serve(stream, shared);
}

fn serve<S: Read + Write>(mut stream: S, shared: &Shared) {
    let mut parser = StreamParser::new(shared.options.encoding);
    let mut buf = [0u8; 4096];
    while !shared.stopped.load(Ordering::SeqCst) && shared.plugged.load(Ordering::SeqCst) {
        let n = match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock
                        | io::ErrorKind::TimedOut
                        | io::ErrorKind::Interrupted
                ) =>
            {
                continue
            }
            Err(_) => break,
        };
        let replies = shared.process(&mut parser, &buf[..n]);
        if !replies.is_empty() && stream.write_all(&replies).is_err() {
            break;
        }
    }
}

/// The `simulated` printer of the demo: the ESC/POS driver over TCP to a simulator it owns.
pub struct SimulatedPrinterDriver {
    simulator: SimulatedPrinter,
    driver: EscPosPrinter,
}

impl SimulatedPrinterDriver {
    pub fn new(simulator: SimulatedPrinter, profile: PrinterProfile) -> SimulatedPrinterDriver {
        let driver = EscPosPrinter::new(LinkTarget::Tcp(simulator.address()), profile);
        SimulatedPrinterDriver { simulator, driver }
    }

    pub fn simulator(&self) -> &SimulatedPrinter {
        &self.simulator
    }
}

impl ReceiptPrinter for SimulatedPrinterDriver {
    fn print(&mut self, receipt: &Receipt) -> Result<PrintReport, PrintError> {
        self.driver.print(receipt)
    }
    fn status(&mut self) -> Result<PrinterStatus, PrintError> {
        self.driver.status()
    }
    fn health(&self) -> DeviceHealth {
        self.driver.health()
    }
}
