//! The kiosk's I/O services, started on the tokio runtime by `run`, `demo` and `soak`: the
//! durable store, the outbox relay to the case system, the hourly retention sweep and, for
//! the demo, the in-process reference case server on the configured loopback address.

use crate::caseserver::{self, CaseServer};
use crate::config::KioskConfig;
use crate::forward::{HttpCaseSystem, Relay, RelayConfig, RelayHandle};
use crate::store::{Store, StoreOptions};
use anyhow::Context;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// How often what remains of delivered submissions is checked against the retention
/// period: a kiosk runs for months without a restart.
const RETENTION_SWEEP: Duration = Duration::from_secs(3600);

pub struct Services {
    pub store: Arc<Store>,
    relay: RelayHandle,
    /// When the relay's loop last went round (for the watchdog).
    pub relay_turn: crate::liveness::LastTurn,
    retention: tokio::task::JoinHandle<()>,
    case_server: Option<CaseServer>,
}

/// Applies the retention period every `every`, on a blocking thread.
fn spawn_retention(store: Arc<Store>, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            let store = store.clone();
            let swept =
                tokio::task::spawn_blocking(move || store.apply_retention(crate::store::now_ms()))
                    .await;
            match swept {
                Ok(Ok(0)) => {}
                Ok(Ok(removed)) => tracing::info!(removed, "retention applied"),
                Ok(Err(error)) => tracing::error!(%error, "retention sweep failed"),
                Err(error) => tracing::error!(%error, "retention sweep did not finish"),
            }
        }
    })
}

impl Services {
    /// Opens the store and starts the relay. With `reference_server` the reference case
    /// server is started first, in this process, on the case system's loopback address.
    pub async fn start(config: &KioskConfig, reference_server: bool) -> anyhow::Result<Services> {
        std::fs::create_dir_all(&config.kiosk.data_dir)
            .with_context(|| format!("creating {}", config.kiosk.data_dir.display()))?;
        let case_server = if reference_server {
            let addr = loopback_address(&config.case_system.base_url)?;
            let db = config.kiosk.data_dir.join("case-server.db");
            Some(caseserver::spawn(addr, &db, None).await?)
        } else {
            None
        };
        let store = Arc::new(Store::open_with(
            &config.kiosk.data_dir,
            StoreOptions::from(&config.store),
        )?);
        let system = HttpCaseSystem::new(&config.case_system)?;
        let relay = Relay::new(store.clone(), system, RelayConfig::from_config(config)).spawn();
        let retention = spawn_retention(store.clone(), RETENTION_SWEEP);
        Ok(Services {
            store,
            relay_turn: relay.last_turn.clone(),
            relay,
            retention,
            case_server,
        })
    }

    /// Stops the relay (in-flight deliveries finish or are retried at next start) and the
    /// reference server.
    pub async fn shutdown(self) {
        self.retention.abort();
        self.relay.shutdown().await;
        if let Some(server) = self.case_server {
            server.shutdown().await;
        }
    }
}

/// `http://127.0.0.1:8480` → 127.0.0.1:8480. The reference server only ever listens on
/// loopback.
fn loopback_address(base_url: &str) -> anyhow::Result<SocketAddr> {
    let url = reqwest::Url::parse(base_url)
        .with_context(|| format!("case_system.base_url {base_url}"))?;
    let host = url
        .host_str()
        .unwrap_or("127.0.0.1")
        .trim_matches(['[', ']']);
    let addr: SocketAddr = format!("{host}:{}", url.port_or_known_default().unwrap_or(8480))
        .parse()
        .or_else(|_| format!("[{host}]:{}", url.port_or_known_default().unwrap_or(8480)).parse())
        .context("the demo case server needs a numeric loopback address")?;
    anyhow::ensure!(
        addr.ip().is_loopback(),
        "the reference case server only runs on loopback, not {addr}"
    );
    Ok(addr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_server_address_must_be_loopback() {
        assert_eq!(
            loopback_address("http://127.0.0.1:8480").unwrap(),
            "127.0.0.1:8480".parse().unwrap()
        );
        assert!(loopback_address("http://[::1]:9000")
            .unwrap()
            .ip()
            .is_loopback());
        assert!(loopback_address("https://192.0.2.1/api").is_err());
    }

    #[tokio::test]
    async fn retention_is_applied_while_the_kiosk_runs_not_only_at_start() {
        let dir = tempfile::tempdir().unwrap();
        let options = StoreOptions {
            min_free_bytes: 0,
            retention_days: 0,
        };
        let store = Arc::new(Store::open_with(dir.path(), options).unwrap());
        let sweep = spawn_retention(store.clone(), Duration::from_millis(50));
        let submission = crate::domain::NewSubmission {
            kind: crate::domain::SubmissionKind::Rating,
            payload: serde_json::json!({"stars": 5}),
            attachments: Vec::new(),
            progress_index: None,
        };
        store.commit_submission(submission).unwrap();
        let id = store.outbox_entries(false).unwrap()[0].id;
        store.mark_delivered(id, None, Some("received")).unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !store.outbox_entries(true).unwrap().is_empty() {
            assert!(std::time::Instant::now() < deadline, "never swept");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        sweep.abort();
    }
}
