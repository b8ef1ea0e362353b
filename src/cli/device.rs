//! `legal-kiosk device list|read-id|finger-test`: deployer checks of the configured devices
//! (real, or simulated when the config says so, e.g. with `--demo`).

use super::ConfigArgs;
use crate::codec::id_text::{mask_name, mask_number, Identity};
use crate::config::{DevicesSection, FingerprintConfig, IdReaderConfig};
use crate::hal::fingerprint::{FingerprintModule, R30xSerialModule};
use crate::hal::idcard::{check_card, read_when_placed, IdCardReader, SamSerialReader};
use crate::hal::{DeviceHealth, DeviceKind};
use clap::{Args, Subcommand};
use serde::Serialize;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, Args)]
pub struct DeviceArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(subcommand)]
    pub command: DeviceCommand,
}

#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// Every configured device with its driver and, for serial devices, its health.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Waits for an ID card and prints it (masked unless --unmasked).
    ReadId {
        /// Seconds to wait for a card.
        #[arg(long, default_value_t = 30)]
        timeout: u64,
        #[arg(long)]
        json: bool,
        /// Show personal data in full (for the deployer at the kiosk only).
        #[arg(long)]
        unmasked: bool,
    },
    /// Captures a finger and extracts its features.
    FingerTest,
    /// Prints a test ticket and reports the printer's status.
    PrintTest {
        #[arg(long)]
        json: bool,
    },
    /// Captures one still image with the document camera.
    CameraTest {
        /// Where to write the JPEG.
        #[arg(long, value_name = "FILE.jpg")]
        out: std::path::PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Serialize)]
struct DeviceLine {
    kind: DeviceKind,
    driver: String,
    /// Probed health; `null` for devices this command does not probe.
    health: Option<DeviceHealth>,
}

/// A driver plus, for simulated devices, the simulator that must live as long as it.
struct Opened<D: ?Sized> {
    driver: Box<D>,
    #[cfg(feature = "simulators")]
    _simulator: Option<Box<dyn std::any::Any>>,
}

pub fn run(args: DeviceArgs) -> anyhow::Result<ExitCode> {
    let config = args.config.load()?;
    let devices = &config.devices;
    match args.command {
        DeviceCommand::List { json } => list(devices, json),
        DeviceCommand::ReadId {
            timeout,
            json,
            unmasked,
        } => read_id(devices, timeout, json, unmasked),
        DeviceCommand::FingerTest => finger_test(devices),
        DeviceCommand::PrintTest { json } => {
            let report = super::device_periph::print_test(&config)?;
            let ok = report.error.is_none();
            report_outcome(&report, report.summary(), ok, json)
        }
        DeviceCommand::CameraTest { out, json } => {
            let report = super::device_periph::camera_test(&config, &out)?;
            let ok = report.error.is_none();
            report_outcome(&report, report.summary(), ok, json)
        }
    }
}

/// Prints a self-test report; the exit status is 1 when the test failed.
fn report_outcome(
    report: &impl serde::Serialize,
    summary: String,
    ok: bool,
    json: bool,
) -> anyhow::Result<ExitCode> {
    if json {
        println!("{}", serde_json::to_string_pretty(report)?);
    } else {
        println!("{summary}");
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn list(devices: &DevicesSection, json: bool) -> anyhow::Result<ExitCode> {
    let driver_name = |debug: String| {
        let name = debug
            .split([' ', '{', '('])
            .next()
            .unwrap_or_default()
            .to_owned();
        name.chars().fold(String::new(), |mut out, c| {
            if c.is_uppercase() && !out.is_empty() {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
            out
        })
    };
    let mut lines = vec![
        DeviceLine {
            kind: DeviceKind::IdReader,
            driver: driver_name(format!("{:?}", devices.id_reader)),
            health: Some(
                open_id_reader(&devices.id_reader)?
                    .map_or(DeviceHealth::NotFitted, |mut o| o.driver.health()),
            ),
        },
        DeviceLine {
            kind: DeviceKind::Fingerprint,
            driver: driver_name(format!("{:?}", devices.fingerprint)),
            health: Some(
                open_fingerprint(&devices.fingerprint)?
                    .map_or(DeviceHealth::NotFitted, |mut o| o.driver.health()),
            ),
        },
    ];
    for (kind, debug) in [
        (DeviceKind::SmartCard, format!("{:?}", devices.smart_card)),
        (DeviceKind::Printer, format!("{:?}", devices.printer)),
        (DeviceKind::Gpio, format!("{:?}", devices.gpio)),
        (DeviceKind::Camera, format!("{:?}", devices.camera)),
        (DeviceKind::Speaker, format!("{:?}", devices.speaker)),
    ] {
        lines.push(DeviceLine {
            kind,
            driver: driver_name(debug),
            health: None,
        });
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&lines)?);
    } else {
        for line in &lines {
            let health = line
                .health
                .as_ref()
                .map_or("-".to_owned(), |h| format!("{h:?}"));
            println!(
                "{:<12} {:<10} {}",
                serde_json::to_value(line.kind)?
                    .as_str()
                    .unwrap_or_default(),
                line.driver,
                health
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Serialize)]
struct IdJson {
    kind: &'static str,
    name: String,
    sex: &'static str,
    birth_date: String,
    id_number: String,
    address: Option<String>,
    issuer: String,
    valid_from: String,
    valid_until: String,
    photo_wlt_bytes: usize,
    fingerprint_bytes: Option<usize>,
    check: String,
}

fn id_json(
    identity: &Identity,
    photo: usize,
    fingerprint: Option<usize>,
    unmasked: bool,
) -> IdJson {
    let mask = |text: &str| {
        if unmasked {
            text.to_owned()
        } else {
            mask_name(text)
        }
    };
    let validity = match identity.valid_until {
        crate::codec::id_text::Validity::Until(date) => date.to_string(),
        crate::codec::id_text::Validity::LongTerm => "long-term".to_owned(),
    };
    let today = chrono::Local::now().date_naive();
    IdJson {
        kind: identity.kind_name(),
        name: mask(&identity.name),
        sex: identity.sex.name_zh(),
        birth_date: if unmasked {
            identity.birth_date.to_string()
        } else {
            "****-**-**".into()
        },
        id_number: if unmasked {
            identity.id_number.clone()
        } else {
            mask_number(&identity.id_number)
        },
        address: identity.address().map(mask),
        issuer: identity.issuer.clone(),
        valid_from: identity.valid_from.to_string(),
        valid_until: validity,
        photo_wlt_bytes: photo,
        fingerprint_bytes: fingerprint,
        check: match check_card(identity, today) {
            Ok(check) if check.minor => "ok (minor)".into(),
            Ok(_) => "ok".into(),
            Err(problem) => problem.to_string(),
        },
    }
}

fn read_id(
    devices: &DevicesSection,
    timeout: u64,
    json: bool,
    unmasked: bool,
) -> anyhow::Result<ExitCode> {
    let Some(mut opened) = open_id_reader(&devices.id_reader)? else {
        anyhow::bail!("no ID-card reader is configured ([devices.id_reader] driver = \"none\")");
    };
    eprintln!("place an ID card on the reader (waiting {timeout} s)…");
    let read = read_when_placed(
        opened.driver.as_mut(),
        true,
        Duration::from_secs(timeout),
        Duration::from_millis(300),
    )?;
    let shown = id_json(
        &read.identity,
        read.photo_wlt.len(),
        read.fingerprint.as_ref().map(Vec::len),
        unmasked,
    );
    if json {
        println!("{}", serde_json::to_string_pretty(&shown)?);
    } else {
        for (key, value) in serde_json::to_value(&shown)?
            .as_object()
            .into_iter()
            .flatten()
        {
            println!(
                "{key:<18} {}",
                value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_owned)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn finger_test(devices: &DevicesSection) -> anyhow::Result<ExitCode> {
    let Some(mut opened) = open_fingerprint(&devices.fingerprint)? else {
        anyhow::bail!(
            "no fingerprint module is configured ([devices.fingerprint] driver = \"none\")"
        );
    };
    let module = opened.driver.as_mut();
    println!("health    {:?}", module.health());
    println!("templates {}", module.template_count()?);
    module.capture()?;
    module.extract(crate::codec::fingerprint::CharBuffer::One)?;
    println!("capture   ok (features extracted)");
    Ok(ExitCode::SUCCESS)
}

fn open_id_reader(config: &IdReaderConfig) -> anyhow::Result<Option<Opened<dyn IdCardReader>>> {
    Ok(match config {
        IdReaderConfig::None => None,
        IdReaderConfig::Serial { port, baud } => Some(Opened {
            driver: Box::new(SamSerialReader::new(port, *baud)),
            #[cfg(feature = "simulators")]
            _simulator: None,
        }),
        #[cfg(feature = "simulators")]
        IdReaderConfig::Simulated => {
            let sim = crate::hal::idcard::sim::SamSimulator::start(115_200)?;
            if let Some(card) = crate::hal::idcard::sim::sample_card("adult") {
                sim.place_card(card);
            }
            let driver = Box::new(SamSerialReader::new(sim.path(), 115_200));
            Some(Opened {
                driver,
                _simulator: Some(Box::new(sim)),
            })
        }
    })
}

fn open_fingerprint(
    config: &FingerprintConfig,
) -> anyhow::Result<Option<Opened<dyn FingerprintModule>>> {
    Ok(match config {
        FingerprintConfig::None => None,
        FingerprintConfig::Serial {
            port,
            baud,
            address,
        } => Some(Opened {
            driver: Box::new(R30xSerialModule::new(port, *baud, *address)),
            #[cfg(feature = "simulators")]
            _simulator: None,
        }),
        #[cfg(feature = "simulators")]
        FingerprintConfig::Simulated => {
            use crate::hal::fingerprint::sim::{Finger, FingerprintSimulator};
            let sim = FingerprintSimulator::start(57_600, 0xFFFF_FFFF)?;
            sim.put_finger(Finger::Present(1));
            let driver = Box::new(R30xSerialModule::new(sim.path(), 57_600, 0xFFFF_FFFF));
            Some(Opened {
                driver,
                _simulator: Some(Box::new(sim)),
            })
        }
    })
}
