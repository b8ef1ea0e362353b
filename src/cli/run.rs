//! `legal-kiosk run` (what systemd starts on the device) and `legal-kiosk demo`.

use super::ConfigArgs;
use crate::adapter::{Clock, FleetHooks, KioskApp, UiOptions};
use crate::config::KioskConfig;
use crate::fleet::audit::Component;
use crate::fleet::bridge::KioskTelemetry;
use crate::fleet::heartbeat::Heartbeats;
use crate::fleet::kiosk_actions::KioskActions;
use crate::fleet::link::{start_remote_link, RestartRequest};
use crate::fleet::services::LocalServices;
use crate::fleet::session_gate::CitizenSessionGate;
use crate::fleet::telemetry::KioskStatus;
use crate::fleet::watchdog::{watchdog_timeout_from_env, SdNotifier, WatchdogTiming};
use crate::hal::manager::{DeviceMonitor, Devices};
use crate::services::Services;
use clap::Args;
use slint::ComponentHandle;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

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
    let mut config = KioskConfig::demo(data_dir.clone());
    config.fleet.staff_file = Some(write_demo_staff_file(&data_dir)?);
    run_kiosk(config, args.windowed, true)
}

/// The demo's staff allow-list: one member with the simulated finger and the demo-only PIN
/// [`DEMO_STAFF_PIN`], so the staff screens can be tried. Real kiosks get theirs from
/// provisioning.
fn write_demo_staff_file(data_dir: &std::path::Path) -> anyhow::Result<std::path::PathBuf> {
    use crate::fleet::pin::{PinHash, MIN_ITERATIONS};
    use crate::fleet::staff_registry::{render_registry, StaffEntrySpec};
    let pin = PinHash::create(DEMO_STAFF_PIN, MIN_ITERATIONS)?;
    let salt: [u8; 16] = rand::random();
    let text = render_registry(
        &salt,
        &[StaffEntrySpec {
            id: "demo-staff",
            card_uid: None,
            fingerprint_ids: &[crate::hal::manager::DEMO_STAFF_PAGE],
            pin: &pin,
        }],
    );
    let path = data_dir.join("staff.toml");
    std::fs::write(&path, text)?;
    Ok(path)
}

/// The demo staff member's PIN; documented in the README, never valid on a real kiosk
/// (the demo and its simulators do not exist in the image build).
pub const DEMO_STAFF_PIN: &str = "1234";

/// Longer than this since the relay's or the device monitor's last turn, and its heartbeat
/// stops: the watchdog then restarts the kiosk instead of letting deliveries or device
/// health stop silently.
const LOOP_SILENCE: Duration = Duration::from_secs(15);

/// Starts the loopback health endpoint and the systemd watchdog. The UI beats its heartbeat
/// from its own timer, the I/O runtime beats one by reading the outbox, and the relay and the
/// device monitor each beat while their loops go round, so the watchdog pings only while all
/// are alive. A health endpoint that cannot bind is logged, not fatal:
/// the kiosk still serves citizens.
async fn start_health(
    config: &KioskConfig,
    services: &Services,
    monitor: &DeviceMonitor,
) -> (FleetHooks, KioskStatus) {
    let heartbeats = Heartbeats::new();
    let ui_heartbeat = heartbeats.register(Component::Ui);
    let io_heartbeat = heartbeats.register(Component::Store);
    let relay_heartbeat = heartbeats.register(Component::Forwarder);
    let devices_heartbeat = heartbeats.register(Component::Devices);
    let store = services.store.clone();
    let relay_turn = services.relay_turn.clone();
    let device_poll = monitor.last_poll.clone();
    tokio::spawn(async move {
        loop {
            let probe = store.clone();
            if let Ok(Ok(_)) = tokio::task::spawn_blocking(move || probe.outbox_status()).await {
                io_heartbeat.beat();
            }
            // Both loops go round at least every 5 s; three missed turns is a dead loop.
            if relay_turn.age() < LOOP_SILENCE {
                relay_heartbeat.beat();
            }
            if device_poll.age() < LOOP_SILENCE {
                devices_heartbeat.beat();
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
    let session_gate = CitizenSessionGate::new();
    let timing = WatchdogTiming {
        timeout: watchdog_timeout_from_env().unwrap_or(Duration::from_secs(30)),
    };
    let status = KioskStatus {
        kiosk_id: config.kiosk.id.clone(),
        heartbeats,
        gate: session_gate.clone(),
        source: Arc::new(KioskTelemetry {
            store: services.store.clone(),
            devices: monitor.health.clone(),
            data_dir: config.kiosk.data_dir.clone(),
        }),
        max_heartbeat_age: timing.max_heartbeat_age(),
    };
    let listen = config.fleet.health_listen;
    if let Err(error) =
        LocalServices::start(status.clone(), listen, Arc::new(SdNotifier), timing, None).await
    {
        tracing::error!(%listen, %error, "health endpoint not started; no watchdog pings");
    }
    let hooks = FleetHooks {
        ui_heartbeat,
        session_gate,
    };
    (hooks, status)
}

/// A remote restart: remember it for the exit code, and end the UI's event loop a moment
/// later so that the link can still publish the command's result.
fn remote_restart_request(requested: Arc<AtomicBool>) -> RestartRequest {
    Arc::new(move || {
        requested.store(true, Ordering::SeqCst);
        std::thread::spawn(|| {
            std::thread::sleep(Duration::from_secs(2));
            let quit = slint::invoke_from_event_loop(|| {
                if let Err(error) = slint::quit_event_loop() {
                    tracing::error!(%error, "remote restart: the UI did not stop");
                }
            });
            if let Err(error) = quit {
                tracing::error!(%error, "remote restart: the UI did not stop");
            }
        });
    })
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
    crate::fleet::provisioning_import::import_at_start(&services.store);
    let monitor = DeviceMonitor::start(Devices::open(&config.devices), Duration::from_secs(5));
    let (fleet, status) = runtime.block_on(start_health(&config, &services, &monitor));
    let remote_restart = Arc::new(AtomicBool::new(false));
    let actions = KioskActions {
        kiosk_id: config.kiosk.id.clone(),
        hall: config.kiosk.hall.clone(),
        case_url: config.case_system.base_url.clone(),
        data_dir: config.kiosk.data_dir.clone(),
        store: services.store.clone(),
        devices: Some(monitor.clone()),
        started: Instant::now(),
    };
    let link = start_remote_link(
        &config,
        status,
        actions,
        remote_restart_request(remote_restart.clone()),
    );

    let demo_banner = config.uses_simulators();
    let case_system = match crate::forward::HttpCaseSystem::new(&config.case_system) {
        Ok(system) => Some(Arc::new(system)),
        Err(error) => {
            tracing::error!(%error, "progress queries will show cached states only");
            None
        }
    };
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
            fleet: Some(fleet),
            store: Some(services.store.clone()),
            devices: Some(monitor.clone()),
            case_system,
        },
    )?;
    let window = app.window().window();
    if windowed {
        window.set_size(slint::LogicalSize::new(width as f32, height as f32));
    } else {
        window.set_fullscreen(true);
    }
    app.window().run()?;
    if let Some(link) = link {
        runtime.block_on(link.shutdown());
    }
    runtime.block_on(services.shutdown());
    if app.restart_requested() || remote_restart.load(Ordering::SeqCst) {
        // systemd (Restart=on-failure) starts the app again.
        tracing::info!("kiosk stopped for a restart");
        return Ok(ExitCode::from(crate::adapter::RESTART_EXIT_CODE));
    }
    tracing::info!("kiosk stopped");
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::staff_registry::{StaffCredential, StaffRegistry};
    use crate::hal::manager::DEMO_STAFF_PAGE;

    #[test]
    fn the_demo_allow_list_knows_the_simulated_staff_finger_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_demo_staff_file(dir.path()).unwrap();
        let registry = StaffRegistry::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert_eq!(registry.len(), 1);
        let finger = |template_id| StaffCredential::Fingerprint { template_id };
        assert!(registry.find(&finger(DEMO_STAFF_PAGE)).is_some());
        assert!(registry.find(&finger(DEMO_STAFF_PAGE + 1)).is_none());
    }
}
