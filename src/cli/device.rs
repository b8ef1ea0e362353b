//! `legal-kiosk device list|read-id|finger-test|print-test|camera-test`: deployer checks of the configured devices
//! (real, or simulated when the config says so, e.g. with `--demo`).

use super::ConfigArgs;
use crate::codec::id_text::{mask_name, mask_number, CardDetails, Identity};
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
    /// What differs between the kinds of card, each field the card holds.
    #[serde(flatten)]
    details: KindFields,
    photo_wlt_bytes: usize,
    fingerprint_bytes: Option<usize>,
    check: String,
    /// Whether the kiosk would accept the card today (the exit status says the same).
    accepted: bool,
}

#[derive(Debug, Default, Serialize)]
struct KindFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    nation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    english_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nationality: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    card_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pass_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issue_count: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    renew_count: Option<u8>,
}

fn kind_fields(details: &CardDetails, mask: impl Fn(&str) -> String) -> KindFields {
    match details {
        CardDetails::Resident { nation, .. } => KindFields {
            nation: Some(nation.name_zh().to_owned()),
            ..KindFields::default()
        },
        CardDetails::HongKongMacauTaiwan {
            pass_number,
            issue_count,
            ..
        } => KindFields {
            pass_number: Some(mask(pass_number)),
            issue_count: Some(*issue_count),
            ..KindFields::default()
        },
        CardDetails::Foreigner2017 {
            english_name,
            nationality,
            card_version,
        } => KindFields {
            english_name: Some(mask(english_name)),
            nationality: Some(nationality.clone()),
            card_version: Some(card_version.clone()),
            ..KindFields::default()
        },
        CardDetails::Foreigner2023 {
            english_name,
            renew_count,
        } => KindFields {
            english_name: Some(mask(english_name)),
            renew_count: Some(*renew_count),
            ..KindFields::default()
        },
    }
}

fn id_json(
    identity: &Identity,
    photo: usize,
    fingerprint: Option<usize>,
    unmasked: bool,
    today: chrono::NaiveDate,
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
    let check = check_card(identity, today);
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
        details: kind_fields(&identity.details, |text| {
            if unmasked {
                text.to_owned()
            } else {
                mask_number(text)
            }
        }),
        photo_wlt_bytes: photo,
        fingerprint_bytes: fingerprint,
        accepted: check.is_ok(),
        check: match check {
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
        chrono::Local::now().date_naive(),
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
    // A card the kiosk would refuse (expired, bad number) is a failed check for a deployer.
    Ok(if shown.accepted {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::id_text::{Sex, Validity};
    use crate::codec::nation::Nation;
    use chrono::NaiveDate;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("calendar date")
    }

    fn card(id_number: &str, until: Validity, details: CardDetails) -> Identity {
        Identity {
            name: "测试人".into(),
            sex: Sex::Female,
            birth_date: date(1949, 12, 31),
            id_number: id_number.into(),
            issuer: "测试分局".into(),
            valid_from: date(2020, 1, 1),
            valid_until: until,
            details,
        }
    }

    fn shown(identity: &Identity) -> serde_json::Value {
        let json = id_json(identity, 1024, None, false, date(2026, 12, 3));
        serde_json::to_value(json).unwrap()
    }

    #[test]
    fn every_kind_of_card_shows_the_fields_it_holds() {
        let resident = card(
            "11010519491231002X",
            Validity::LongTerm,
            CardDetails::Resident {
                nation: Nation::HAN,
                address: "测试地址".into(),
            },
        );
        assert_eq!(shown(&resident)["nation"], "汉");
        let permit = card(
            "81000019491231002X",
            Validity::LongTerm,
            CardDetails::HongKongMacauTaiwan {
                address: "测试地址".into(),
                pass_number: "H12345678".into(),
                issue_count: 2,
            },
        );
        let json = shown(&permit);
        assert_eq!(json["issue_count"], 2);
        let pass = json["pass_number"].as_str().unwrap();
        assert!(!pass.is_empty() && pass != "H12345678", "masked: {pass}");
        let foreigner = card(
            "USA491231002X12",
            Validity::LongTerm,
            CardDetails::Foreigner2017 {
                english_name: "SMITH, JANE".into(),
                nationality: "USA".into(),
                card_version: "01".into(),
            },
        );
        let json = shown(&foreigner);
        assert_eq!(json["nationality"], "USA");
        assert_eq!(json["card_version"], "01");
        assert_ne!(json["english_name"], "SMITH, JANE", "masked by default");
    }

    #[test]
    fn a_card_the_kiosk_would_refuse_is_not_accepted() {
        let resident = |until| {
            card(
                "11010519491231002X",
                until,
                CardDetails::Resident {
                    nation: Nation::HAN,
                    address: "测试地址".into(),
                },
            )
        };
        let valid = shown(&resident(Validity::Until(date(2030, 1, 1))));
        assert_eq!(valid["accepted"], true);
        let expired = shown(&resident(Validity::Until(date(2025, 1, 1))));
        assert_eq!(expired["accepted"], false);
        assert!(expired["check"].as_str().unwrap().contains("expired"));
    }
}
