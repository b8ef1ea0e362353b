//! `legal-kiosk fleet-sim`: the fleet services (health endpoint, systemd notify and watchdog)
//! around a simulated UI loop, without the Slint UI. For tests of the watchdog and for trying
//! the health endpoint; simulator builds only.
//!
//! Prints one JSON line when listening: `{"health_listen":"127.0.0.1:PORT","pid":N}`.
//! Reads commands on stdin, one per line: `freeze-ui` (the simulated UI thread hangs for
//! good), `session-on`, `session-off` (the citizen session flag).

use crate::fleet::audit::{Component, MemoryAuditSink};
use crate::fleet::heartbeat::Heartbeats;
use crate::fleet::services::LocalServices;
use crate::fleet::session_gate::CitizenSessionGate;
use crate::fleet::telemetry::{KioskSample, KioskStatus, TelemetrySource};
use crate::fleet::watchdog::{watchdog_timeout_from_env, SdNotifier, WatchdogTiming};
use clap::Args;
use std::io::{BufRead, Write};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Args)]
pub struct FleetSimArgs {
    /// Kiosk id reported in the health message.
    #[arg(long, default_value = "SIM-001")]
    pub kiosk_id: String,
    /// Health endpoint address (loopback; port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8089")]
    pub health_listen: SocketAddr,
    /// Watchdog timeout when systemd does not set WATCHDOG_USEC.
    #[arg(long, default_value_t = 10)]
    pub watchdog_sec: u64,
}

struct IdleSource;

impl TelemetrySource for IdleSource {
    fn sample(&self) -> KioskSample {
        KioskSample::default()
    }
}

pub fn run(args: FleetSimArgs) -> anyhow::Result<ExitCode> {
    if !args.health_listen.ip().is_loopback() {
        anyhow::bail!("--health-listen must be a loopback address");
    }
    let heartbeats = Heartbeats::new();
    let gate = CitizenSessionGate::new();
    let frozen = Arc::new(AtomicBool::new(false));
    spawn_simulated_ui(heartbeats.clone(), frozen.clone());
    spawn_stdin_control(gate.clone(), frozen);
    let timing = WatchdogTiming {
        timeout: watchdog_timeout_from_env()
            .unwrap_or(Duration::from_secs(args.watchdog_sec.max(1))),
    };
    let status = KioskStatus {
        kiosk_id: args.kiosk_id,
        heartbeats: heartbeats.clone(),
        gate,
        source: Arc::new(IdleSource),
        max_heartbeat_age: timing.max_heartbeat_age(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        // A worker heartbeat beside the UI one, as the real app's forwarder has.
        let worker = heartbeats.register(Component::Forwarder);
        tokio::spawn(async move {
            loop {
                worker.beat();
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        });
        let services = LocalServices::start(
            status,
            args.health_listen,
            Arc::new(SdNotifier),
            timing,
            Some(crate::fleet::audit::Auditor::new(Arc::new(
                MemoryAuditSink::default(),
            ))),
        )
        .await?;
        let line = serde_json::json!({
            "health_listen": services.health_addr.to_string(),
            "pid": std::process::id(),
        });
        let mut stdout = std::io::stdout();
        writeln!(stdout, "{line}")?;
        stdout.flush()?;
        tokio::signal::ctrl_c().await?;
        services.stop();
        Ok(ExitCode::SUCCESS)
    })
}

/// Stands in for the Slint event loop: beats every 100 ms until told to freeze, then hangs
/// for good, exactly like a wedged UI thread.
fn spawn_simulated_ui(heartbeats: Heartbeats, frozen: Arc<AtomicBool>) {
    let ui = heartbeats.register(Component::Ui);
    std::thread::spawn(move || loop {
        if frozen.load(Ordering::SeqCst) {
            loop {
                std::thread::park();
            }
        }
        ui.beat();
        std::thread::sleep(Duration::from_millis(100));
    });
}

fn spawn_stdin_control(gate: CitizenSessionGate, frozen: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            match line.trim() {
                "freeze-ui" => frozen.store(true, Ordering::SeqCst),
                "session-on" => gate.set_active(true),
                "session-off" => gate.set_active(false),
                other => tracing::warn!(command = other, "unknown fleet-sim control command"),
            }
        }
    });
}
