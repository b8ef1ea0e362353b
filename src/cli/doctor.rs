//! `legal-kiosk doctor`: checks config, data directory, database, devices and case-system
//! reachability. One line per finding; exit status 1 on any fault. The `--json` shape is
//! documented in docs/cli-json.md.

use super::ConfigArgs;
use crate::config::KioskConfig;
use clap::Args;
use serde::Serialize;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, Args)]
pub struct DoctorArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Print findings as JSON (see docs/cli-json.md).
    #[arg(long)]
    pub json: bool,
}

/// One check's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// What was checked, e.g. `config`, `data_dir`, `device.printer`.
    pub check: String,
    pub status: Status,
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    /// Works, but staff should look (e.g. nothing stored yet, device absent).
    Warn,
    Fault,
}

fn finding(check: &str, status: Status, detail: impl Into<String>) -> Finding {
    Finding {
        check: check.into(),
        status,
        detail: detail.into(),
    }
}

pub fn run(args: DoctorArgs) -> anyhow::Result<ExitCode> {
    let findings = match args.config.load() {
        Ok(config) => {
            let mut findings = vec![finding(
                "config",
                Status::Ok,
                format!("kiosk {} ({})", config.kiosk.id, config.kiosk.hall),
            )];
            findings.extend(check(&config));
            findings
        }
        Err(error) => vec![finding("config", Status::Fault, format!("{error:#}"))],
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&findings)?);
    } else {
        for f in &findings {
            let status = match f.status {
                Status::Ok => "OK",
                Status::Warn => "WARN",
                Status::Fault => "FAULT",
            };
            println!("{status:<5} {:<22} {}", f.check, f.detail);
        }
    }
    let faulty = findings.iter().any(|f| f.status == Status::Fault);
    Ok(if faulty {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Every check after the config itself.
pub fn check(config: &KioskConfig) -> Vec<Finding> {
    let mut findings = vec![check_data_dir(&config.kiosk.data_dir)];
    findings.push(check_database(&config.kiosk.data_dir.join("kiosk.db")));
    findings.extend(check_devices(config));
    findings.push(check_case_system(
        &config.case_system.base_url,
        config.case_system.timeout_s,
    ));
    findings.push(check_telephony(config));
    findings
}

/// The SIP line: baresip started once with the kiosk's account, and the registrar's answer.
fn check_telephony(config: &KioskConfig) -> Finding {
    use crate::telephony::RegistrationState;
    let Some(telephony) = &config.telephony else {
        return finding(
            "telephony",
            Status::Ok,
            "not configured (citizens are offered the call-back request only)",
        );
    };
    // The probe runs baresip in a temporary directory of its own, not the kiosk's.
    let settings = match telephony.engine_settings(&std::env::temp_dir()) {
        Ok((settings, _)) => settings,
        Err(error) => return finding("telephony", Status::Fault, error.to_string()),
    };
    let probed = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
        .and_then(|runtime| {
            runtime
                .block_on(crate::telephony::probe_registration(settings))
                .map_err(|e| e.to_string())
        });
    match probed {
        Ok(state) => {
            let status = match state {
                RegistrationState::Registered | RegistrationState::Direct => Status::Ok,
                RegistrationState::Registering => Status::Warn,
                _ => Status::Fault,
            };
            finding("telephony", status, state.describe())
        }
        Err(error) => finding("telephony", Status::Fault, error),
    }
}

fn check_data_dir(dir: &Path) -> Finding {
    if let Err(e) = std::fs::create_dir_all(dir) {
        return finding("data_dir", Status::Fault, format!("{}: {e}", dir.display()));
    }
    let probe = dir.join(".doctor-write-test");
    match std::fs::write(&probe, b"ok").and_then(|_| std::fs::remove_file(&probe)) {
        Ok(()) => finding(
            "data_dir",
            Status::Ok,
            format!("{} is writable", dir.display()),
        ),
        Err(e) => finding(
            "data_dir",
            Status::Fault,
            format!("{} is not writable: {e}", dir.display()),
        ),
    }
}

fn check_database(path: &Path) -> Finding {
    if !path.exists() {
        return finding(
            "database",
            Status::Warn,
            format!(
                "{} not created yet (the kiosk creates it at start)",
                path.display()
            ),
        );
    }
    let opened =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .and_then(|c| c.query_row("PRAGMA quick_check", [], |r| r.get::<_, String>(0)));
    match opened {
        Ok(result) if result == "ok" => finding("database", Status::Ok, "integrity check passed"),
        Ok(result) => finding(
            "database",
            Status::Fault,
            format!("integrity check: {result}"),
        ),
        Err(e) => finding(
            "database",
            Status::Fault,
            format!("{}: {e}", path.display()),
        ),
    }
}

/// Device nodes that must exist for the configured drivers.
fn check_devices(config: &KioskConfig) -> Vec<Finding> {
    use crate::config::{CameraConfig, FingerprintConfig, IdReaderConfig, PrinterConfig};
    let d = &config.devices;
    let node = |name: &str, path: &Path| {
        if path.exists() {
            finding(name, Status::Ok, format!("{} present", path.display()))
        } else {
            finding(
                name,
                Status::Fault,
                format!("{} is missing (unplugged?)", path.display()),
            )
        }
    };
    #[cfg(feature = "simulators")]
    let simulated = |name: &str| finding(name, Status::Ok, "simulated");
    let not_fitted = |name: &str| finding(name, Status::Ok, "not fitted");
    let mut out = Vec::new();
    out.push(match &d.id_reader {
        IdReaderConfig::Serial { port, .. } => node("device.id_reader", port),
        IdReaderConfig::None => not_fitted("device.id_reader"),
        #[cfg(feature = "simulators")]
        IdReaderConfig::Simulated => simulated("device.id_reader"),
    });
    out.push(match &d.fingerprint {
        FingerprintConfig::Serial { port, .. } => node("device.fingerprint", port),
        FingerprintConfig::None => not_fitted("device.fingerprint"),
        #[cfg(feature = "simulators")]
        FingerprintConfig::Simulated => simulated("device.fingerprint"),
    });
    out.push(match &d.printer {
        PrinterConfig::UsbLp { device } => node("device.printer", device),
        PrinterConfig::Serial { port, .. } => node("device.printer", port),
        PrinterConfig::Tcp { address } => {
            match address
                .parse::<std::net::SocketAddr>()
                .map(|addr| std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(2)))
            {
                Ok(Ok(_)) => finding("device.printer", Status::Ok, format!("{address} answers")),
                _ => finding(
                    "device.printer",
                    Status::Fault,
                    format!("{address} does not answer"),
                ),
            }
        }
        PrinterConfig::None => not_fitted("device.printer"),
        #[cfg(feature = "simulators")]
        PrinterConfig::Simulated => simulated("device.printer"),
    });
    out.push(match &d.camera {
        CameraConfig::V4l2 { device } => node("device.camera", device),
        CameraConfig::None => not_fitted("device.camera"),
        #[cfg(feature = "simulators")]
        CameraConfig::Simulated => simulated("device.camera"),
    });
    out
}

/// Can the case system's host be reached at all (TCP connect to its port)?
fn check_case_system(base_url: &str, timeout_s: u32) -> Finding {
    let rest = base_url
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(base_url);
    let authority = rest.split('/').next().unwrap_or(rest);
    let default_port = if base_url.starts_with("https") {
        443
    } else {
        80
    };
    let target = if authority
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
    {
        authority.to_string()
    } else {
        format!("{authority}:{default_port}")
    };
    let timeout = Duration::from_secs(u64::from(timeout_s.clamp(1, 10)));
    let reachable = std::net::ToSocketAddrs::to_socket_addrs(&target)
        .ok()
        .and_then(|mut addrs| addrs.next())
        .map(|addr| std::net::TcpStream::connect_timeout(&addr, timeout));
    match reachable {
        Some(Ok(_)) => finding("case_system", Status::Ok, format!("{target} reachable")),
        Some(Err(e)) => finding(
            "case_system",
            Status::Warn,
            format!("{target} unreachable ({e}); submissions wait in the outbox"),
        ),
        None => finding(
            "case_system",
            Status::Warn,
            format!("cannot resolve {target}; submissions wait in the outbox"),
        ),
    }
}
