//! The fleet link: one outbound MQTT connection (TLS when configured) that publishes the
//! retained state message to `kiosk/{id}/state`, leaves a retained "offline" last will on the
//! same topic, and takes signed remote commands from `kiosk/{id}/command`, answering on
//! `kiosk/{id}/command/result`.

use super::audit::{AuditEventId, AuditFields, Auditor, DeviceState, Peripheral, ReasonCode};
use super::commands::CommandProcessor;
use super::telemetry::{offline_payload, KioskStatus};
use crate::config::BrokerUrl;
use chrono::Utc;
use rumqttc::{
    AsyncClient, Event, EventLoop, LastWill, MqttOptions, Outgoing, Packet, QoS, TlsConfiguration,
    Transport,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;

/// The three topics of one kiosk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topics {
    pub state: String,
    pub command: String,
    pub command_result: String,
}

impl Topics {
    pub fn for_kiosk(kiosk_id: &str) -> Result<Topics, FleetLinkError> {
        let valid = !kiosk_id.is_empty()
            && kiosk_id.len() <= 64
            && kiosk_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !valid {
            return Err(FleetLinkError::BadKioskId(kiosk_id.to_owned()));
        }
        Ok(Topics {
            state: format!("kiosk/{kiosk_id}/state"),
            command: format!("kiosk/{kiosk_id}/command"),
            command_result: format!("kiosk/{kiosk_id}/command/result"),
        })
    }
}

/// TLS material from the `[fleet]` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub ca: PathBuf,
    /// Client certificate and key for mutual TLS.
    pub client_identity: Option<(PathBuf, PathBuf)>,
}

#[derive(Debug, Clone)]
pub struct FleetLinkOptions {
    pub kiosk_id: String,
    pub broker: BrokerUrl,
    pub tls: Option<TlsFiles>,
    pub publish_interval: Duration,
    pub keep_alive: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum FleetLinkError {
    #[error("kiosk id {0:?} cannot be used in MQTT topics (A-Z, a-z, 0-9, '-', '_')")]
    BadKioskId(String),
    #[error("the broker URL is mqtts:// but no CA file is configured")]
    TlsWithoutCa,
    #[error("TLS file {path}: {message}")]
    TlsFile { path: PathBuf, message: String },
    #[error("TLS configuration: {0}")]
    Tls(#[from] rustls::Error),
}

fn tls_file_error(path: &std::path::Path, error: impl std::fmt::Display) -> FleetLinkError {
    FleetLinkError::TlsFile {
        path: path.to_owned(),
        message: error.to_string(),
    }
}

/// A rustls client configuration that trusts only the configured CA (not the system store:
/// the fleet broker's certificate comes from the office's own CA).
pub fn tls_client_config(files: &TlsFiles) -> Result<rustls::ClientConfig, FleetLinkError> {
    let mut roots = rustls::RootCertStore::empty();
    let cas = CertificateDer::pem_file_iter(&files.ca).map_err(|e| tls_file_error(&files.ca, e))?;
    for ca in cas {
        roots.add(ca.map_err(|e| tls_file_error(&files.ca, e))?)?;
    }
    if roots.is_empty() {
        return Err(tls_file_error(&files.ca, "no certificate in file"));
    }
    let builder = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()?
    .with_root_certificates(roots);
    Ok(match &files.client_identity {
        None => builder.with_no_client_auth(),
        Some((cert, key)) => {
            let chain = CertificateDer::pem_file_iter(cert)
                .map_err(|e| tls_file_error(cert, e))?
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| tls_file_error(cert, e))?;
            let key = PrivateKeyDer::from_pem_file(key).map_err(|e| tls_file_error(key, e))?;
            builder.with_client_auth_cert(chain, key)?
        }
    })
}

/// A running fleet link.
pub struct FleetLink {
    client: AsyncClient,
    topics: Topics,
    task: JoinHandle<()>,
}

impl FleetLink {
    /// Connects in the background (and keeps reconnecting); must run inside a tokio runtime.
    pub fn start(
        options: FleetLinkOptions,
        status: KioskStatus,
        commands: Option<Arc<CommandProcessor>>,
        auditor: Option<Auditor>,
    ) -> Result<FleetLink, FleetLinkError> {
        let topics = Topics::for_kiosk(&options.kiosk_id)?;
        let mut mqtt = MqttOptions::new(
            format!("kiosk-{}", options.kiosk_id),
            options.broker.host.clone(),
            options.broker.port,
        );
        mqtt.set_keep_alive(options.keep_alive.max(Duration::from_secs(1)))
            .set_clean_session(true)
            .set_last_will(LastWill::new(
                topics.state.clone(),
                offline_payload(&options.kiosk_id),
                QoS::AtLeastOnce,
                true,
            ));
        if options.broker.tls {
            let files = options.tls.as_ref().ok_or(FleetLinkError::TlsWithoutCa)?;
            let config = tls_client_config(files)?;
            mqtt.set_transport(Transport::tls_with_config(TlsConfiguration::Rustls(
                Arc::new(config),
            )));
        }
        let (client, eventloop) = AsyncClient::new(mqtt, 64);
        let task = tokio::spawn(run_link(LinkTask {
            client: client.clone(),
            eventloop,
            topics: topics.clone(),
            status,
            commands,
            command_slots: Arc::new(tokio::sync::Semaphore::new(COMMAND_QUEUE)),
            command_turn: Arc::default(),
            dropped: Arc::default(),
            auditor,
            publish_interval: options.publish_interval,
        }));
        Ok(FleetLink {
            client,
            topics,
            task,
        })
    }

    pub fn topics(&self) -> &Topics {
        &self.topics
    }

    /// Orderly stop: retained "offline", then DISCONNECT (so the broker drops the will).
    pub async fn shutdown(self) {
        let offline = offline_payload(self.topics.state.split('/').nth(1).unwrap_or_default());
        let _ = self
            .client
            .publish(self.topics.state.clone(), QoS::AtLeastOnce, true, offline)
            .await;
        let _ = self.client.disconnect().await;
        let mut task = self.task;
        if tokio::time::timeout(Duration::from_secs(3), &mut task)
            .await
            .is_err()
        {
            task.abort();
        }
    }

    /// Drops the connection without a goodbye, as a crash or a pulled cable would: the broker
    /// then publishes the retained last will.
    pub fn abort(self) {
        self.task.abort();
    }
}

/// Commands waiting or running at once; more arriving meanwhile are dropped unread, so a
/// flood on the command topic costs neither unbounded tasks nor CPU.
const COMMAND_QUEUE: usize = 4;

struct LinkTask {
    client: AsyncClient,
    eventloop: EventLoop,
    topics: Topics,
    status: KioskStatus,
    commands: Option<Arc<CommandProcessor>>,
    /// One permit per command in the queue ([`COMMAND_QUEUE`]).
    command_slots: Arc<tokio::sync::Semaphore>,
    /// Held while a command runs: commands run one at a time, in arrival order.
    command_turn: Arc<tokio::sync::Mutex<()>>,
    /// Commands dropped because the queue was full.
    dropped: Arc<std::sync::atomic::AtomicU64>,
    auditor: Option<Auditor>,
    publish_interval: Duration,
}

impl LinkTask {
    fn publish_state(&self) {
        match serde_json::to_vec(&self.status.state_message()) {
            Ok(payload) => {
                if let Err(error) = self.client.try_publish(
                    self.topics.state.clone(),
                    QoS::AtLeastOnce,
                    true,
                    payload,
                ) {
                    tracing::warn!(%error, "state publication dropped");
                }
            }
            Err(error) => tracing::warn!(%error, "state message not serializable"),
        }
    }

    fn audit_link(&self, state: DeviceState, reason: Option<ReasonCode>) {
        if let Some(auditor) = &self.auditor {
            let fields = AuditFields {
                device_state: Some(state),
                reason,
                ..AuditFields::default()
            };
            if let Err(error) = auditor.single(AuditEventId::TelemetryLink, fields) {
                tracing::warn!(%error, device = ?Peripheral::Network, "audit write failed");
            }
        }
    }

    fn handle_command(&self, payload: Vec<u8>) {
        let Some(processor) = self.commands.clone() else {
            return;
        };
        let Ok(slot) = self.command_slots.clone().try_acquire_owned() else {
            let dropped = self
                .dropped
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if dropped.is_power_of_two() || dropped == 0 {
                tracing::warn!(
                    dropped = dropped + 1,
                    "command queue full; commands dropped"
                );
            }
            return;
        };
        let client = self.client.clone();
        let topic = self.topics.command_result.clone();
        let command_turn = self.command_turn.clone();
        tokio::spawn(async move {
            let turn = command_turn.lock().await;
            let result =
                tokio::task::spawn_blocking(move || processor.process(&payload, Utc::now())).await;
            drop(turn);
            drop(slot);
            match result.map(|result| serde_json::to_vec(&result)) {
                Ok(Ok(json)) => {
                    if let Err(error) = client.publish(topic, QoS::AtLeastOnce, false, json).await {
                        tracing::warn!(%error, "command result not published");
                    }
                }
                Ok(Err(error)) => tracing::warn!(%error, "command result not serializable"),
                Err(error) => {
                    tracing::error!(%error, "command execution panicked or was cancelled")
                }
            }
        });
    }
}

async fn run_link(mut task: LinkTask) {
    let mut ticker = tokio::time::interval(task.publish_interval.max(Duration::from_millis(100)));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut connected = false;
    loop {
        tokio::select! {
            event = task.eventloop.poll() => match event {
                Ok(Event::Incoming(Packet::ConnAck(_))) => {
                    connected = true;
                    tracing::info!("fleet broker connected");
                    task.audit_link(DeviceState::Ready, None);
                    if task.commands.is_some() {
                        if let Err(error) = task.client.try_subscribe(task.topics.command.clone(), QoS::AtLeastOnce) {
                            tracing::warn!(%error, "command subscription not sent");
                        }
                    }
                    task.publish_state();
                }
                Ok(Event::Incoming(Packet::Publish(publish))) if publish.topic == task.topics.command => {
                    task.handle_command(publish.payload.to_vec());
                }
                Ok(Event::Outgoing(Outgoing::Disconnect)) => {
                    tracing::info!("fleet link closed");
                    return;
                }
                Ok(_) => {}
                Err(error) => {
                    if connected {
                        connected = false;
                        tracing::warn!(%error, "fleet broker connection lost");
                        task.audit_link(DeviceState::Absent, Some(ReasonCode::BrokerUnreachable));
                    }
                    // rumqttc reconnects on the next poll; do not spin.
                    tokio::time::sleep(Duration::from_secs(2)).await;
                }
            },
            _ = ticker.tick() => {
                if connected {
                    task.publish_state();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_are_per_kiosk_and_ids_cannot_inject_wildcards() {
        let topics = Topics::for_kiosk("SZ-FT-001").expect("valid id");
        assert_eq!(topics.state, "kiosk/SZ-FT-001/state");
        assert_eq!(topics.command_result, "kiosk/SZ-FT-001/command/result");
        for bad in ["", "a/b", "a+", "#", "a b"] {
            assert!(Topics::for_kiosk(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn tls_config_refuses_missing_or_empty_ca_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = TlsFiles {
            ca: dir.path().join("none.pem"),
            client_identity: None,
        };
        assert!(matches!(
            tls_client_config(&missing),
            Err(FleetLinkError::TlsFile { .. })
        ));
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").expect("write");
        let empty = TlsFiles {
            ca: empty,
            client_identity: None,
        };
        assert!(matches!(
            tls_client_config(&empty),
            Err(FleetLinkError::TlsFile { .. })
        ));
    }
}
