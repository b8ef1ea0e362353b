//! Board drivers: the Raspberry Pi header through `rppal`, and any board through the GPIO
//! character device (`gpiocdev`, uAPI v2). Inputs get pull-ups; the light starts off.

use super::{GpioError, GpioInput, GpioLines};
use crate::config::GpioPins;
use std::path::Path;

const CONSUMER: &str = "legal-kiosk";

pub struct RppalLines {
    call_button: rppal::gpio::InputPin,
    door_switch: rppal::gpio::InputPin,
    paper_low: rppal::gpio::InputPin,
    light: rppal::gpio::OutputPin,
}

impl RppalLines {
    /// Fails with `Unavailable` on hardware that is not a Raspberry Pi.
    pub fn open(pins: &GpioPins) -> Result<RppalLines, GpioError> {
        let gpio = rppal::gpio::Gpio::new().map_err(|e| GpioError::Unavailable(e.to_string()))?;
        let pin = |bcm: u32| {
            let bcm = u8::try_from(bcm)
                .map_err(|_| GpioError::Unavailable(format!("BCM pin {bcm} out of range")))?;
            gpio.get(bcm)
                .map_err(|e| GpioError::Unavailable(e.to_string()))
        };
        Ok(RppalLines {
            call_button: pin(pins.call_button)?.into_input_pullup(),
            door_switch: pin(pins.door_switch)?.into_input_pullup(),
            paper_low: pin(pins.paper_low)?.into_input_pullup(),
            light: pin(pins.status_light)?.into_output_low(),
        })
    }
}

impl GpioLines for RppalLines {
    fn read(&mut self, input: GpioInput) -> Result<bool, GpioError> {
        let pin = match input {
            GpioInput::CallButton => &self.call_button,
            GpioInput::DoorSwitch => &self.door_switch,
            GpioInput::PaperLow => &self.paper_low,
        };
        Ok(pin.is_high())
    }

    fn write_light(&mut self, on: bool) -> Result<(), GpioError> {
        if on {
            self.light.set_high();
        } else {
            self.light.set_low();
        }
        Ok(())
    }
}

pub struct CdevLines {
    request: gpiocdev::Request,
    pins: GpioPins,
}

impl CdevLines {
    pub fn open(chip: &Path, pins: &GpioPins) -> Result<CdevLines, GpioError> {
        let request = gpiocdev::Request::builder()
            .on_chip(chip)
            .with_consumer(CONSUMER)
            .with_lines(&[pins.call_button, pins.door_switch, pins.paper_low])
            .as_input()
            .with_bias(gpiocdev::line::Bias::PullUp)
            .with_line(pins.status_light)
            .as_output(gpiocdev::line::Value::Inactive)
            .request()
            .map_err(|e| GpioError::Unavailable(format!("{}: {e}", chip.display())))?;
        Ok(CdevLines {
            request,
            pins: *pins,
        })
    }
}

impl GpioLines for CdevLines {
    fn read(&mut self, input: GpioInput) -> Result<bool, GpioError> {
        let offset = match input {
            GpioInput::CallButton => self.pins.call_button,
            GpioInput::DoorSwitch => self.pins.door_switch,
            GpioInput::PaperLow => self.pins.paper_low,
        };
        let value = self
            .request
            .value(offset)
            .map_err(|e| GpioError::Io(e.to_string()))?;
        Ok(value == gpiocdev::line::Value::Active)
    }

    fn write_light(&mut self, on: bool) -> Result<(), GpioError> {
        let value = if on {
            gpiocdev::line::Value::Active
        } else {
            gpiocdev::line::Value::Inactive
        };
        self.request
            .set_value(self.pins.status_light, value)
            .map_err(|e| GpioError::Io(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PINS: GpioPins = GpioPins {
        status_light: 17,
        call_button: 27,
        door_switch: 22,
        paper_low: 23,
    };

    #[test]
    fn rppal_off_a_raspberry_pi_is_unavailable_not_a_panic() {
        // CI and development machines are not Raspberry Pis.
        if std::fs::read_to_string("/proc/device-tree/model").is_ok_and(|m| m.contains("Raspberry"))
        {
            return;
        }
        assert!(matches!(
            RppalLines::open(&PINS),
            Err(GpioError::Unavailable(_))
        ));
    }

    #[test]
    fn missing_gpio_chip_is_unavailable() {
        let result = CdevLines::open(Path::new("/dev/gpiochip-missing"), &PINS);
        assert!(matches!(result, Err(GpioError::Unavailable(m)) if m.contains("gpiochip-missing")));
    }
}
