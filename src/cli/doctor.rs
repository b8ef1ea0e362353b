//! `legal-kiosk doctor`: one line per finding, non-zero exit on any fault.

use super::ConfigArgs;
use clap::Args;
use serde::Serialize;
use std::process::ExitCode;

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
    Warn,
    Fault,
}

pub fn run(args: DoctorArgs) -> anyhow::Result<ExitCode> {
    let findings = match args.config.load() {
        Ok(config) => vec![Finding {
            check: "config".into(),
            status: Status::Ok,
            detail: format!("kiosk {}", config.kiosk.id),
        }],
        Err(error) => vec![Finding {
            check: "config".into(),
            status: Status::Fault,
            detail: format!("{error:#}"),
        }],
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&findings)?);
    } else {
        for f in &findings {
            println!("{:<5} {:<22} {}", format!("{:?}", f.status).to_uppercase(), f.check, f.detail);
        }
    }
    let faulty = findings.iter().any(|f| f.status == Status::Fault);
    Ok(if faulty { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
