//! `legal-kiosk outbox status|list|retry ID|salvage PATH [--json]`: what waits to be
//! delivered, what the case system refused and why, putting a refused entry back in the
//! queue, and salvaging what a moved-aside (corrupt) database still owes.

use super::ConfigArgs;
use crate::store::{Store, StoreOptions};
use clap::{Args, Subcommand};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct OutboxArgs {
    #[command(subcommand)]
    pub action: OutboxAction,
}

#[derive(Debug, Subcommand)]
pub enum OutboxAction {
    /// Depth, parked count and the age of the oldest pending entry.
    Status(OutboxCommon),
    /// Pending and parked entries (with `--all` also delivered ones).
    List {
        #[command(flatten)]
        common: OutboxCommon,
        #[arg(long)]
        all: bool,
    },
    /// Put a parked entry back in the queue (after the cause was fixed with the office).
    Retry {
        /// Outbox id, as shown by `outbox list`.
        id: i64,
        #[command(flatten)]
        common: OutboxCommon,
    },
    /// Copy the undelivered submissions of a moved-aside database (`kiosk.db.corrupt-…`)
    /// into the live store; running it again copies nothing twice.
    Salvage {
        /// The moved-aside database file.
        path: std::path::PathBuf,
        #[command(flatten)]
        common: OutboxCommon,
    },
}

#[derive(Debug, Args)]
pub struct OutboxCommon {
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Print JSON (see docs/cli-json.md).
    #[arg(long)]
    pub json: bool,
}

/// Opens the store of the configured kiosk.
pub(super) fn open_store(config: &ConfigArgs) -> anyhow::Result<Store> {
    let config = config.load()?;
    Ok(Store::open_with(
        &config.kiosk.data_dir,
        StoreOptions::from(&config.store),
    )?)
}

fn millis_to_text(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_else(|| "-".into())
}

pub fn run(args: OutboxArgs) -> anyhow::Result<ExitCode> {
    match args.action {
        OutboxAction::Status(common) => {
            let status = open_store(&common.config)?.outbox_status()?;
            if common.json {
                println!("{}", serde_json::to_string_pretty(&status)?);
            } else {
                println!("pending: {}", status.pending);
                println!("parked: {}", status.parked);
                println!("delivered: {}", status.delivered);
                println!("oldest pending age: {} s", status.oldest_pending_age_s);
            }
        }
        OutboxAction::List { common, all } => {
            let entries = open_store(&common.config)?.outbox_entries(all)?;
            if common.json {
                println!("{}", serde_json::to_string_pretty(&entries)?);
            } else {
                for e in &entries {
                    let why = e
                        .park_reason
                        .as_deref()
                        .or(e.last_error.as_deref())
                        .unwrap_or("");
                    println!(
                        "{:>6}  {:<18} {:<9} attempts={:<3} since {}  {}",
                        e.id,
                        e.receipt_number,
                        e.state.as_str(),
                        e.attempts,
                        millis_to_text(e.created_at_ms),
                        why
                    );
                }
                if entries.is_empty() {
                    println!("outbox is empty");
                }
            }
        }
        OutboxAction::Retry { id, common } => {
            let entry = open_store(&common.config)?.retry_parked(id, "staff-cli")?;
            if common.json {
                println!("{}", serde_json::to_string_pretty(&entry)?);
            } else {
                println!("{} ({}) is queued again", entry.id, entry.receipt_number);
            }
        }
        OutboxAction::Salvage { path, common } => {
            anyhow::ensure!(path.is_file(), "{}: no such file", path.display());
            let report = open_store(&common.config)?.salvage_from(&path)?;
            if common.json {
                let json = serde_json::json!({
                    "salvaged": report.salvaged,
                    "already_present": report.already_present,
                    "unreadable": report.unreadable,
                });
                println!("{}", serde_json::to_string_pretty(&json)?);
            } else {
                println!("{}", report.summary());
                for receipt in &report.unreadable {
                    println!("unreadable: {receipt} (call the office about it)");
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
