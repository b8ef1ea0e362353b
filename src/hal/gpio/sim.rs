//! Simulated GPIO lines with scriptable inputs, for the demo and tests: inputs idle high
//! (pull-ups), and the light's level is observable.

use super::{GpioError, GpioInput, GpioLines};
use std::sync::{Arc, Mutex, MutexGuard};

#[derive(Debug, Default)]
struct Levels {
    /// Call button, door, paper-low: true = high.
    inputs: [bool; 3],
    light: bool,
    light_changes: usize,
}

/// The board side: what the worker reads and writes.
pub struct SimLines {
    levels: Arc<Mutex<Levels>>,
}

/// The test side: drive inputs, observe the light.
#[derive(Clone)]
pub struct SimGpioHandle {
    levels: Arc<Mutex<Levels>>,
}

impl SimLines {
    pub fn new() -> (SimLines, SimGpioHandle) {
        let levels = Arc::new(Mutex::new(Levels {
            inputs: [true; 3],
            ..Levels::default()
        }));
        (
            SimLines {
                levels: Arc::clone(&levels),
            },
            SimGpioHandle { levels },
        )
    }
}

fn lock(levels: &Mutex<Levels>) -> MutexGuard<'_, Levels> {
    levels.lock().unwrap_or_else(|p| p.into_inner())
}

impl GpioLines for SimLines {
    fn read(&mut self, input: GpioInput) -> Result<bool, GpioError> {
        Ok(lock(&self.levels).inputs[input.index()])
    }

    fn write_light(&mut self, on: bool) -> Result<(), GpioError> {
        let mut levels = lock(&self.levels);
        if levels.light != on {
            levels.light_changes += 1;
        }
        levels.light = on;
        Ok(())
    }
}

impl SimGpioHandle {
    pub fn set_input(&self, input: GpioInput, high: bool) {
        lock(&self.levels).inputs[input.index()] = high;
    }

    pub fn light_is_on(&self) -> bool {
        lock(&self.levels).light
    }

    /// How often the light switched (blink patterns toggle it).
    pub fn light_changes(&self) -> usize {
        lock(&self.levels).light_changes
    }
}

#[cfg(test)]
mod tests {
    use super::super::{GpioEvent, KioskGpio, LightPattern, LineGpio};
    use super::*;
    use std::time::Duration;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
    }

    #[test]
    fn held_inputs_become_events_and_short_glitches_do_not() {
        let (lines, handle) = SimLines::new();
        let mut gpio = LineGpio::start(lines).unwrap();
        let mut events = gpio.take_events().unwrap();
        assert!(matches!(gpio.take_events(), Err(GpioError::EventsTaken)));
        let rt = runtime();
        let next = |events: &mut tokio::sync::mpsc::Receiver<GpioEvent>| {
            rt.block_on(async { tokio::time::timeout(Duration::from_secs(2), events.recv()).await })
        };

        // A glitch far shorter than the debounce period.
        handle.set_input(GpioInput::CallButton, false);
        std::thread::sleep(Duration::from_millis(2));
        handle.set_input(GpioInput::CallButton, true);
        std::thread::sleep(Duration::from_millis(100));
        assert!(events.try_recv().is_err(), "glitch must not be an event");

        handle.set_input(GpioInput::CallButton, false);
        assert_eq!(
            next(&mut events).unwrap(),
            Some(GpioEvent::CallButtonPressed)
        );
        handle.set_input(GpioInput::CallButton, true);

        handle.set_input(GpioInput::DoorSwitch, false);
        assert_eq!(next(&mut events).unwrap(), Some(GpioEvent::DoorClosed));
        handle.set_input(GpioInput::DoorSwitch, true);
        assert_eq!(next(&mut events).unwrap(), Some(GpioEvent::DoorOpened));
        handle.set_input(GpioInput::PaperLow, false);
        assert_eq!(next(&mut events).unwrap(), Some(GpioEvent::PaperLow));
        assert_eq!(gpio.health(), crate::hal::DeviceHealth::Ready);
    }

    #[test]
    fn light_follows_the_pattern() {
        let (lines, handle) = SimLines::new();
        let mut gpio = LineGpio::start(lines).unwrap();
        gpio.set_light(LightPattern::On).unwrap();
        std::thread::sleep(Duration::from_millis(50));
        assert!(handle.light_is_on());
        gpio.set_light(LightPattern::FastBlink).unwrap();
        std::thread::sleep(Duration::from_millis(800));
        assert!(
            handle.light_changes() >= 3,
            "{} changes",
            handle.light_changes()
        );
        drop(gpio);
        std::thread::sleep(Duration::from_millis(50));
        assert!(!handle.light_is_on(), "light off when the driver stops");
    }
}
