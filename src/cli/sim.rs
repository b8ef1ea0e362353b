//! `legal-kiosk sim id-reader|fingerprint`: a standalone device simulator on a PTY. It
//! prints the slave path; point `[devices.id_reader] port` (or `[devices.fingerprint]`) at it.

use clap::{Args, Subcommand};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct SimArgs {
    #[command(subcommand)]
    pub device: SimDevice,
}

#[derive(Debug, Subcommand)]
pub enum SimDevice {
    /// A GA/T 467 SAM reader; the sample card is placed again every few seconds.
    IdReader {
        #[arg(long, default_value_t = 115_200)]
        baud: u32,
        /// Sample card: adult, young-adult, expired, minor, hong-kong, foreigner-2017, foreigner-2023.
        #[arg(long, default_value = "adult")]
        card: String,
    },
    /// An R30x fingerprint module with finger 1 on the sensor and enrolled at page 0.
    Fingerprint {
        #[arg(long, default_value_t = 57_600)]
        baud: u32,
    },
}

#[cfg(feature = "simulators")]
pub fn run(args: SimArgs) -> anyhow::Result<ExitCode> {
    use crate::hal::fingerprint::sim::{Finger, FingerprintSimulator};
    use crate::hal::idcard::sim::{sample_card, SamSimulator, SAMPLE_NAMES};
    use std::time::Duration;

    const REPLACE_CARD_EVERY: Duration = Duration::from_secs(5);
    match args.device {
        SimDevice::IdReader { baud, card } => {
            let Some(sample) = sample_card(&card) else {
                anyhow::bail!(
                    "unknown sample card `{card}`; one of {}",
                    SAMPLE_NAMES.join(", ")
                );
            };
            let sim = SamSimulator::start(baud)?;
            println!("{}", sim.path().display());
            loop {
                sim.place_card(sample.clone());
                std::thread::sleep(REPLACE_CARD_EVERY);
            }
        }
        SimDevice::Fingerprint { baud } => {
            let sim = FingerprintSimulator::start(baud, 0xFFFF_FFFF)?;
            sim.enrol(0, 1);
            sim.put_finger(Finger::Present(1));
            println!("{}", sim.path().display());
            loop {
                std::thread::sleep(REPLACE_CARD_EVERY);
            }
        }
    }
}

#[cfg(not(feature = "simulators"))]
pub fn run(_args: SimArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("this build has no simulators (cargo feature `simulators`)")
}
