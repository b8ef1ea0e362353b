//! The kiosk's I/O services, started on the tokio runtime by `run`, `demo` and `soak`: the
//! durable store, the outbox relay to the case system and, for the demo, the in-process
//! reference case server on the configured loopback address.

use crate::caseserver::{self, CaseServer};
use crate::config::KioskConfig;
use crate::forward::{HttpCaseSystem, Relay, RelayConfig, RelayHandle};
use crate::store::{Store, StoreOptions};
use anyhow::Context;
use std::net::SocketAddr;
use std::sync::Arc;

pub struct Services {
    pub store: Arc<Store>,
    relay: RelayHandle,
    case_server: Option<CaseServer>,
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
        Ok(Services {
            store,
            relay,
            case_server,
        })
    }

    /// Stops the relay (in-flight deliveries finish or are retried at next start) and the
    /// reference server.
    pub async fn shutdown(self) {
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
}
