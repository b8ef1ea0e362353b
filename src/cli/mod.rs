//! The command line: one binary for the kiosk itself, the demo, staff and deployer tools.
//! Every command that touches devices, data or the case system takes `--config PATH` or
//! `--demo`, so staff, deployers and tests script the same binary.

mod audit;
mod device;
mod device_periph;
mod doctor;
#[cfg(feature = "simulators")]
mod fleet;
mod ime;
mod laws;
mod outbox;
#[cfg(feature = "ui")]
mod run;
// Public: the layout checker (tests/layout) stages its states as screenshots are staged.
#[cfg(feature = "ui")]
pub mod screenshot;
mod sim;
pub mod soak;

use crate::config::{KioskConfig, SectionCheck};
use crate::logging::{self, LogFormat};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// Default location of the config file on a provisioned kiosk.
pub const DEFAULT_CONFIG: &str = "/etc/legal-kiosk/kiosk.toml";

#[derive(Debug, Parser)]
#[command(name = "legal-kiosk", version, about = "Self-service kiosk for public legal-service halls", long_about = None)]
pub struct Cli {
    /// Log format on stdout.
    #[arg(long, global = true, value_enum, default_value_t = LogArg::Text)]
    pub log_format: LogArg,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LogArg {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the kiosk (what systemd starts on the device).
    #[cfg(feature = "ui")]
    Run(run::RunArgs),
    /// Run the kiosk with simulated devices, a throw-away data directory and a local case server.
    #[cfg(all(feature = "ui", feature = "simulators"))]
    Demo(run::DemoArgs),
    /// Render one screen headless to a PNG (no display needed).
    #[cfg(feature = "ui")]
    Screenshot(screenshot::ScreenshotArgs),
    /// Check config, data directory, database, devices and case-system reachability.
    Doctor(doctor::DoctorArgs),
    /// Pinyin input method: candidates for typed pinyin.
    Ime(ime::ImeArgs),
    /// Outbox to the case system: status, list, retry a parked entry.
    Outbox(outbox::OutboxArgs),
    /// Audit log: verify the hash chain.
    Audit(audit::AuditArgs),
    /// Drive N synthetic submissions through the store and relay to the case system.
    Soak(soak::SoakArgs),
    /// Statutes: search, show an article, import a full corpus.
    Laws(laws::LawsArgs),
    /// Deployer checks of the configured devices: list, read an ID card, test the fingerprint module.
    Device(device::DeviceArgs),
    /// Run a device simulator on a pseudo-terminal and print its path (development builds).
    Sim(sim::SimArgs),
    /// Fleet services (health endpoint, systemd watchdog) around a simulated UI loop.
    #[cfg(feature = "simulators")]
    FleetSim(fleet::FleetSimArgs),
}

/// Where the configuration comes from: a file or the built-in demo configuration.
#[derive(Debug, Clone, Args)]
pub struct ConfigArgs {
    /// Path of kiosk.toml.
    #[arg(long, value_name = "PATH", conflicts_with = "demo", global = true)]
    pub config: Option<PathBuf>,
    /// Use the built-in demo configuration (simulated devices, local case server).
    #[arg(long, global = true)]
    pub demo: bool,
}

impl ConfigArgs {
    pub fn load(&self) -> anyhow::Result<KioskConfig> {
        if self.demo {
            return Ok(KioskConfig::demo(demo_data_dir()));
        }
        let path = self
            .config
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_CONFIG));
        Ok(KioskConfig::load(&path, SECTION_CHECKS)?)
    }
}

/// What the modules above `config` check in their own sections when a file is loaded.
pub const SECTION_CHECKS: &[SectionCheck] = &[
    crate::core::notary::check_config,
    crate::telephony::check_config,
];

/// The demo's data directory: `$LEGAL_KIOSK_DEMO_DIR`, or `legal-kiosk-demo` in the temp dir.
pub fn demo_data_dir() -> PathBuf {
    std::env::var_os("LEGAL_KIOSK_DEMO_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("legal-kiosk-demo"))
}

/// Parses the command line and runs the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    logging::init(match cli.log_format {
        LogArg::Text => LogFormat::Text,
        LogArg::Json => LogFormat::Json,
    });
    let result = match cli.command {
        #[cfg(feature = "ui")]
        Command::Run(args) => run::run(args),
        #[cfg(all(feature = "ui", feature = "simulators"))]
        Command::Demo(args) => run::demo(args),
        #[cfg(feature = "ui")]
        Command::Screenshot(args) => screenshot::run(args),
        Command::Doctor(args) => doctor::run(args),
        Command::Ime(args) => ime::run(args),
        Command::Outbox(args) => outbox::run(args),
        Command::Audit(args) => audit::run(args),
        Command::Soak(args) => soak::run(args),
        Command::Laws(args) => laws::run(args),
        Command::Device(args) => device::run(args),
        Command::Sim(args) => sim::run(args),
        #[cfg(feature = "simulators")]
        Command::FleetSim(args) => fleet::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
