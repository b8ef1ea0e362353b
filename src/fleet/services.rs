//! Starting the local fleet services in one call: the loopback health server, READY=1 to
//! systemd, and the watchdog loop. The app's `run` command and the `fleet-sim` command both
//! use it.

use super::audit::{AuditEventId, AuditFields, Auditor};
use super::health_server;
use super::telemetry::KioskStatus;
use super::watchdog::{run_watchdog, NotifyMessage, ServiceNotifier, WatchdogTiming};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// The running services; dropping it stops nothing, [`LocalServices::stop`] does.
pub struct LocalServices {
    pub health_addr: SocketAddr,
    tasks: Vec<JoinHandle<()>>,
}

impl LocalServices {
    /// Binds the health endpoint, then reports READY=1 and starts pinging the watchdog.
    /// Call it once the UI loop and the workers have registered their heartbeats.
    pub async fn start(
        status: KioskStatus,
        listen: SocketAddr,
        notifier: Arc<dyn ServiceNotifier>,
        timing: WatchdogTiming,
        auditor: Option<Auditor>,
    ) -> std::io::Result<LocalServices> {
        let listener = TcpListener::bind(listen).await?;
        let health_addr = listener.local_addr()?;
        let heartbeats = status.heartbeats.clone();
        let server = tokio::spawn(async move {
            if let Err(error) = health_server::serve(listener, status).await {
                tracing::error!(%error, "health server stopped");
            }
        });
        if let Some(auditor) = &auditor {
            if let Err(error) = auditor.single(AuditEventId::AppStart, AuditFields::default()) {
                tracing::warn!(%error, "audit write failed");
            }
        }
        if let Err(error) = notifier.notify(&NotifyMessage::Ready) {
            tracing::warn!(%error, "READY=1 not delivered");
        }
        let watchdog = tokio::spawn(run_watchdog(heartbeats, notifier, timing, auditor));
        tracing::info!(%health_addr, timeout = ?timing.timeout, "health endpoint and watchdog running");
        Ok(LocalServices {
            health_addr,
            tasks: vec![server, watchdog],
        })
    }

    pub fn stop(self) {
        for task in self.tasks {
            task.abort();
        }
    }
}
