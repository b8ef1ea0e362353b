//! `legal-kiosk device list|read-id|finger-test|print-test|camera-test`: deployer checks of the configured devices
//! (real, or simulated when the config says so, e.g. with `--demo`).

use super::ConfigArgs;
use crate::codec::id_text::{mask_name, mask_number, Identity};
use crate::config::DevicesSection;
use crate::hal::idcard::{check_card, read_when_placed};
use crate::hal::manager::{open_fingerprint, open_id_reader, Devices};
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
    let lines = Devices::open(devices).health();
    if json {
        println!("{}", serde_json::to_string_pretty(&lines)?);
    } else {
        for line in &lines {
            println!(
                "{:<12} {:<10} {:?}",
                serde_json::to_value(line.kind)?
                    .as_str()
                    .unwrap_or_default(),
                line.driver,
                line.health
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
