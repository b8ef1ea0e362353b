//! `legal-kiosk run` (what systemd starts on the device) and `legal-kiosk demo`.

use super::ConfigArgs;
use crate::adapter::{Clock, KioskApp, UiOptions};
use crate::config::KioskConfig;
use crate::services::Services;
use clap::Args;
use slint::ComponentHandle;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    /// A normal window of the configured orientation's size instead of full screen
    /// (development; scale it down with SLINT_SCALE_FACTOR=0.5 on a laptop).
    #[arg(long)]
    pub windowed: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// A window instead of full screen.
    #[arg(long)]
    pub windowed: bool,
}

pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let reference_server = args.config.demo;
    let config = args.config.load()?;
    run_kiosk(config, args.windowed, reference_server)
}

/// The demo: built-in configuration with every device simulated, in a fresh data directory,
/// with the reference case server in-process.
pub fn demo(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let data_dir = super::demo_data_dir();
    if data_dir.exists() {
        std::fs::remove_dir_all(&data_dir)?;
    }
    std::fs::create_dir_all(&data_dir)?;
    tracing::info!(data_dir = %data_dir.display(), "demo: throw-away data directory");
    run_kiosk(KioskConfig::demo(data_dir), args.windowed, true)
}

/// `reference_server`: also run the reference case server in-process (the demo).
fn run_kiosk(
    config: KioskConfig,
    windowed: bool,
    reference_server: bool,
) -> anyhow::Result<ExitCode> {
    // All I/O (devices, store, forwarding) runs on tokio; the Slint event loop owns the
    // main thread.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("kiosk-io")
        .enable_all()
        .build()?;
    let _io = runtime.enter();
    let services = runtime.block_on(Services::start(&config, reference_server))?;

    let demo_banner = config.uses_simulators();
    let (width, height) = config.kiosk.orientation.size();
    tracing::info!(
        kiosk = %config.kiosk.id,
        simulators = demo_banner,
        version = env!("CARGO_PKG_VERSION"),
        "kiosk starting"
    );
    let app = KioskApp::new(
        config,
        UiOptions {
            demo_banner,
            landscape: width > height,
            clock: Clock::System,
            store: Some(services.store.clone()),
        },
    )?;
    let window = app.window().window();
    if windowed {
        window.set_size(slint::LogicalSize::new(width as f32, height as f32));
    } else {
        window.set_fullscreen(true);
    }
    app.window().run()?;
    runtime.block_on(services.shutdown());
    tracing::info!("kiosk stopped");
    Ok(ExitCode::SUCCESS)
}
