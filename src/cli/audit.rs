//! `legal-kiosk audit verify [--json]`: checks the hash chain of the audit log; exits non-zero
//! when an event was altered or removed.

use super::outbox::open_store;
use super::ConfigArgs;
use clap::{Args, Subcommand};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub action: AuditAction,
}

#[derive(Debug, Subcommand)]
pub enum AuditAction {
    /// Verify the audit log's hash chain.
    Verify {
        #[command(flatten)]
        config: ConfigArgs,
        /// Print JSON (see docs/cli-json.md).
        #[arg(long)]
        json: bool,
    },
}

pub fn run(args: AuditArgs) -> anyhow::Result<ExitCode> {
    let AuditAction::Verify { config, json } = args.action;
    let report = open_store(&config)?.verify_audit()?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else if report.intact {
        println!("audit log intact: {} events", report.events);
    } else {
        println!(
            "audit log BROKEN at event {}: {}",
            report.broken_at_seq.unwrap_or(0),
            report.problem.as_deref().unwrap_or("")
        );
    }
    Ok(if report.intact {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
