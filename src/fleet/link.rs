//! Starts the fleet link of a running kiosk: state telemetry plus signed remote commands
//! (restart, print status ticket, retry parked items) over the same MQTT connection, each
//! command gated by the citizen session and audited in the store's audit table.
//!
//! Nothing starts without `fleet.broker_url`. A broker that is down is the link's business
//! (it keeps reconnecting); a link that cannot be set up (bad kiosk id, TLS files) is logged
//! and the kiosk serves citizens without it.

use super::audit::{Auditor, CommandKind, ReasonCode};
use super::commands::{load_operations_key, CommandHandler, CommandProcessor, CommandReport};
use super::kiosk_actions::{ActionError, KioskActions};
use super::mqtt::{FleetLink, FleetLinkOptions, TlsFiles};
use super::store_audit::StoreAuditSink;
use super::telemetry::KioskStatus;
use crate::config::BrokerUrl;
use crate::config::KioskConfig;
use std::sync::Arc;
use std::time::Duration;

/// How the kiosk is asked to restart; called off the UI thread, must return promptly (the
/// command's result is published after it returns).
pub type RestartRequest = Arc<dyn Fn() + Send + Sync>;

/// The actor recorded in the store when a remote command puts parked items back.
const REMOTE_ACTOR: &str = "remote";
const KEEP_ALIVE: Duration = Duration::from_secs(30);

/// Carries out accepted remote commands with the same actions the staff screens use.
pub struct RemoteCommandHandler {
    pub actions: KioskActions,
    pub restart: RestartRequest,
}

fn reason(error: &ActionError) -> ReasonCode {
    match error {
        ActionError::NoPrinter => ReasonCode::NotConfigured,
        ActionError::Print(_) => ReasonCode::DeviceError,
        ActionError::Store(_) => ReasonCode::HandlerFailed,
    }
}

impl CommandHandler for RemoteCommandHandler {
    fn execute(&self, kind: CommandKind) -> Result<CommandReport, ReasonCode> {
        let count = match kind {
            CommandKind::Restart => {
                (self.restart)();
                Ok(None)
            }
            CommandKind::PrintStatusTicket => self.actions.print_status_ticket().map(|_| Some(1)),
            CommandKind::RetryParked => self.actions.retry_parked(None, REMOTE_ACTOR).map(Some),
        }
        .map_err(|error| {
            tracing::warn!(?kind, %error, "remote command failed");
            reason(&error)
        })?;
        Ok(CommandReport { count })
    }
}

/// Starts the link when `fleet.broker_url` is set; must run inside a tokio runtime.
/// Returns `None` when no broker is configured or the link cannot be set up (logged).
pub fn start_remote_link(
    config: &KioskConfig,
    status: KioskStatus,
    actions: KioskActions,
    restart: RestartRequest,
) -> Option<FleetLink> {
    let fleet = &config.fleet;
    let url = fleet.broker_url.as_deref()?;
    let broker = match BrokerUrl::parse(url) {
        Ok(broker) => broker,
        Err(error) => {
            tracing::error!(%error, "fleet link not started");
            return None;
        }
    };
    let key =
        fleet
            .operations_public_key
            .as_deref()
            .and_then(|path| match load_operations_key(path) {
                Ok(key) => Some(key),
                Err(error) => {
                    tracing::error!(%error, "remote commands will be refused");
                    None
                }
            });
    let auditor = Auditor::new(Arc::new(StoreAuditSink::new(actions.store.clone())));
    let processor = CommandProcessor::new(
        key,
        config.kiosk.id.clone(),
        Duration::from_secs(fleet.command_max_age_s),
        status.gate.clone(),
        Arc::new(RemoteCommandHandler {
            actions: actions.clone(),
            restart,
        }),
        auditor.clone(),
        actions.store.clone(),
    );
    let tls = fleet.ca_file.clone().map(|ca| TlsFiles {
        ca,
        client_identity: fleet.client_cert.clone().zip(fleet.client_key.clone()),
    });
    let options = FleetLinkOptions {
        kiosk_id: config.kiosk.id.clone(),
        broker,
        tls,
        publish_interval: Duration::from_secs(fleet.publish_interval_s),
        keep_alive: KEEP_ALIVE,
    };
    match FleetLink::start(options, status, Some(Arc::new(processor)), Some(auditor)) {
        Ok(link) => Some(link),
        Err(error) => {
            tracing::error!(%error, "fleet link not started");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::heartbeat::Heartbeats;
    use crate::fleet::session_gate::CitizenSessionGate;
    use crate::fleet::telemetry::{KioskSample, TelemetrySource};
    use crate::store::Store;
    use std::time::Instant;

    struct Quiet;

    impl TelemetrySource for Quiet {
        fn sample(&self) -> KioskSample {
            KioskSample::default()
        }
    }

    fn parts(dir: &std::path::Path) -> (KioskStatus, KioskActions) {
        let status = KioskStatus {
            kiosk_id: "DEMO-0001".into(),
            heartbeats: Heartbeats::new(),
            gate: CitizenSessionGate::new(),
            source: Arc::new(Quiet),
            max_heartbeat_age: Duration::from_secs(60),
        };
        let actions = KioskActions {
            kiosk_id: "DEMO-0001".into(),
            hall: "hall".into(),
            case_url: "http://127.0.0.1:9".into(),
            data_dir: dir.to_path_buf(),
            store: Arc::new(Store::open(dir).expect("store")),
            devices: None,
            started: Instant::now(),
        };
        (status, actions)
    }

    #[tokio::test]
    async fn nothing_starts_without_a_broker_or_with_an_unusable_kiosk_id() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = KioskConfig::demo(dir.path().to_path_buf());
        let restart: RestartRequest = Arc::new(|| {});
        let (status, actions) = parts(dir.path());
        assert!(start_remote_link(&config, status, actions, restart.clone()).is_none());

        config.fleet.broker_url = Some("mqtt://127.0.0.1:1883".into());
        config.kiosk.id = "hall/#".into();
        let (status, actions) = parts(dir.path());
        assert!(start_remote_link(&config, status, actions, restart).is_none());
    }
}
