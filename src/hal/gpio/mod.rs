//! Kiosk GPIO: the status light, and the call-staff button, cabinet-door switch and
//! paper-low sensor as debounced events on a tokio channel.
//!
//! Every driver only reads and writes lines ([`GpioLines`]); one worker thread samples the
//! inputs every few milliseconds, debounces them ([`debounce`]) and drives the light's blink
//! pattern, so debounce and blink timing are the same on every board.

pub mod debounce;
mod lines;
#[cfg(feature = "simulators")]
pub mod sim;

pub use lines::{CdevLines, RppalLines};

use crate::config::GpioConfig;
use crate::hal::DeviceHealth;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use thiserror::Error;
use tokio::sync::mpsc;

/// Input sampling period: well below the debounce period.
const SAMPLE_PERIOD: Duration = Duration::from_millis(5);
const EVENT_QUEUE: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GpioInput {
    CallButton,
    DoorSwitch,
    PaperLow,
}

impl GpioInput {
    pub const ALL: [GpioInput; 3] = [
        GpioInput::CallButton,
        GpioInput::DoorSwitch,
        GpioInput::PaperLow,
    ];

    fn index(self) -> usize {
        match self {
            GpioInput::CallButton => 0,
            GpioInput::DoorSwitch => 1,
            GpioInput::PaperLow => 2,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GpioEvent {
    CallButtonPressed,
    DoorOpened,
    DoorClosed,
    PaperLow,
    PaperOk,
}

/// What the status light shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LightPattern {
    #[default]
    Off,
    /// In service.
    On,
    /// Attention (1 s on, 1 s off): staff called, paper low.
    SlowBlink,
    /// Fault (250 ms on, 250 ms off).
    FastBlink,
}

impl LightPattern {
    /// Whether the light is on `elapsed` after the pattern clock started.
    pub fn is_on_at(self, elapsed: Duration) -> bool {
        let ms = elapsed.as_millis();
        match self {
            LightPattern::Off => false,
            LightPattern::On => true,
            LightPattern::SlowBlink => (ms / 1000).is_multiple_of(2),
            LightPattern::FastBlink => (ms / 250).is_multiple_of(2),
        }
    }
}

#[derive(Debug, Error)]
pub enum GpioError {
    #[error("GPIO device not available: {0}")]
    Unavailable(String),
    #[error("GPIO line I/O failed: {0}")]
    Io(String),
    #[error("GPIO events were already taken")]
    EventsTaken,
}

/// The kiosk's GPIO lines.
pub trait KioskGpio: Send {
    fn set_light(&mut self, pattern: LightPattern) -> Result<(), GpioError>;
    /// The debounced input events; can be taken once.
    fn take_events(&mut self) -> Result<mpsc::Receiver<GpioEvent>, GpioError>;
    fn health(&self) -> DeviceHealth;
}

/// Raw line access, implemented per board.
pub trait GpioLines: Send + 'static {
    /// True when the input reads high.
    fn read(&mut self, input: GpioInput) -> Result<bool, GpioError>;
    fn write_light(&mut self, on: bool) -> Result<(), GpioError>;
}

struct Shared {
    pattern: Mutex<LightPattern>,
    health: Mutex<DeviceHealth>,
    stop: AtomicBool,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

/// [`KioskGpio`] over any [`GpioLines`], with the sampling worker thread.
pub struct LineGpio {
    shared: Arc<Shared>,
    events: Option<mpsc::Receiver<GpioEvent>>,
}

impl LineGpio {
    pub fn start(lines: impl GpioLines) -> Result<LineGpio, GpioError> {
        let shared = Arc::new(Shared {
            pattern: Mutex::new(LightPattern::Off),
            health: Mutex::new(DeviceHealth::Ready),
            stop: AtomicBool::new(false),
        });
        let (tx, rx) = mpsc::channel(EVENT_QUEUE);
        let worker = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("gpio".into())
            .spawn(move || run_worker(lines, &worker, &tx))
            .map_err(|e| GpioError::Io(e.to_string()))?;
        Ok(LineGpio {
            shared,
            events: Some(rx),
        })
    }
}

impl KioskGpio for LineGpio {
    fn set_light(&mut self, pattern: LightPattern) -> Result<(), GpioError> {
        *lock(&self.shared.pattern) = pattern;
        Ok(())
    }

    fn take_events(&mut self) -> Result<mpsc::Receiver<GpioEvent>, GpioError> {
        self.events.take().ok_or(GpioError::EventsTaken)
    }

    fn health(&self) -> DeviceHealth {
        lock(&self.shared.health).clone()
    }
}

impl Drop for LineGpio {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
    }
}

fn run_worker(mut lines: impl GpioLines, shared: &Shared, tx: &mpsc::Sender<GpioEvent>) {
    let clock = Instant::now();
    let mut debouncer = debounce::Debouncer::new(debounce::DEBOUNCE, [true; 3]);
    let mut light: Option<bool> = None;
    while !shared.stop.load(Ordering::SeqCst) {
        let now = clock.elapsed();
        let result = sample_once(&mut lines, &mut debouncer, now, tx).and_then(|()| {
            let on = lock(&shared.pattern).is_on_at(now);
            if light != Some(on) {
                lines.write_light(on)?;
                light = Some(on);
            }
            Ok(())
        });
        let health = match result {
            Ok(()) => DeviceHealth::Ready,
            Err(e) => DeviceHealth::Fault {
                reason: e.to_string(),
            },
        };
        *lock(&shared.health) = health;
        std::thread::sleep(SAMPLE_PERIOD);
    }
    let _ = lines.write_light(false);
}

fn sample_once(
    lines: &mut impl GpioLines,
    debouncer: &mut debounce::Debouncer,
    now: Duration,
    tx: &mpsc::Sender<GpioEvent>,
) -> Result<(), GpioError> {
    for input in GpioInput::ALL {
        let high = lines.read(input)?;
        if let Some(event) = debouncer.sample(input, high, now) {
            if tx.try_send(event).is_err() {
                tracing::warn!(?event, "GPIO event dropped (queue full or closed)");
            }
        }
    }
    Ok(())
}

/// Opens the GPIO the configuration names; `None` when none is fitted.
pub fn open_gpio(config: &GpioConfig) -> Result<Option<Box<dyn KioskGpio>>, GpioError> {
    let gpio: Box<dyn KioskGpio> = match config {
        GpioConfig::None => return Ok(None),
        GpioConfig::Rppal { pins } => Box::new(LineGpio::start(RppalLines::open(pins)?)?),
        GpioConfig::Cdev { chip, pins } => Box::new(LineGpio::start(CdevLines::open(chip, pins)?)?),
        #[cfg(feature = "simulators")]
        GpioConfig::Simulated => Box::new(LineGpio::start(sim::SimLines::new().0)?),
    };
    Ok(Some(gpio))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blink_patterns_alternate_at_their_rates() {
        let at = |ms| Duration::from_millis(ms);
        assert!(LightPattern::SlowBlink.is_on_at(at(500)));
        assert!(!LightPattern::SlowBlink.is_on_at(at(1500)));
        assert!(LightPattern::FastBlink.is_on_at(at(100)));
        assert!(!LightPattern::FastBlink.is_on_at(at(300)));
        assert!(LightPattern::On.is_on_at(at(12_345)));
        assert!(!LightPattern::Off.is_on_at(at(0)));
    }
}
