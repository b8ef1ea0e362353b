//! The kiosk's health in one fixed, small schema, shared by `/healthz`, `/metrics` and the
//! retained MQTT state message. No personal data: kinds, states, counts, ages and versions.

use super::audit_fields::{DeviceState, Peripheral, ReasonCode};
use super::heartbeat::{ComponentLiveness, Heartbeats};
use super::session_gate::CitizenSessionGate;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

/// What the rest of the app reports (devices, outbox, storage); the integrator implements it
/// over the HAL registry and the store.
pub trait TelemetrySource: Send + Sync {
    fn sample(&self) -> KioskSample;
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct KioskSample {
    pub devices: Vec<DeviceReport>,
    pub outbox_depth: u64,
    pub outbox_oldest_age_s: Option<u64>,
    pub parked_items: u64,
    /// Store alerts recorded (a database moved aside, what was salvaged): staff must look.
    pub store_alerts: u64,
    pub storage_free_bytes: Option<u64>,
    pub last_fault: Option<FaultReport>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DeviceReport {
    pub device: Peripheral,
    pub state: DeviceState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FaultReport {
    pub device: Peripheral,
    pub reason: ReasonCode,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Presence {
    Online,
    Offline,
}

/// The retained `kiosk/{id}/state` message and the `/healthz` body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StateMessage {
    pub status: Presence,
    pub kiosk_id: String,
    pub version: &'static str,
    pub uptime_s: u64,
    pub healthy: bool,
    pub citizen_session_active: bool,
    pub heartbeats: Vec<ComponentLiveness>,
    #[serde(flatten)]
    pub sample: KioskSample,
}

/// The last will: published by the broker, retained, when the kiosk vanishes without saying
/// goodbye; the same shape (a `status` and the `kiosk_id`) as the online message.
pub fn offline_payload(kiosk_id: &str) -> Vec<u8> {
    serde_json::json!({ "status": Presence::Offline, "kiosk_id": kiosk_id })
        .to_string()
        .into_bytes()
}

/// Everything needed to describe the kiosk's health right now. Cheap to clone.
#[derive(Clone)]
pub struct KioskStatus {
    pub kiosk_id: String,
    pub heartbeats: Heartbeats,
    pub gate: CitizenSessionGate,
    pub source: Arc<dyn TelemetrySource>,
    pub max_heartbeat_age: Duration,
}

impl KioskStatus {
    pub fn state_message(&self) -> StateMessage {
        let liveness = self.heartbeats.liveness(self.max_heartbeat_age);
        StateMessage {
            status: Presence::Online,
            kiosk_id: self.kiosk_id.clone(),
            version: env!("CARGO_PKG_VERSION"),
            uptime_s: self.heartbeats.uptime().as_secs(),
            healthy: liveness.healthy(),
            citizen_session_active: self.gate.is_active(),
            heartbeats: liveness.components,
            sample: self.source.sample(),
        }
    }
}

/// Prometheus text exposition of a state message (served at `/metrics`).
pub fn prometheus_text(state: &StateMessage) -> String {
    let mut out = String::new();
    let mut gauge = |name: &str, help: &str, lines: Vec<(String, u64)>| {
        let _ = writeln!(out, "# HELP kiosk_{name} {help}\n# TYPE kiosk_{name} gauge");
        for (labels, value) in lines {
            let _ = writeln!(out, "kiosk_{name}{labels} {value}");
        }
    };
    gauge(
        "up",
        "1 when every heartbeat is fresh.",
        vec![(String::new(), u64::from(state.healthy))],
    );
    gauge(
        "uptime_seconds",
        "Seconds since the app started.",
        vec![(String::new(), state.uptime_s)],
    );
    gauge(
        "citizen_session_active",
        "1 while a citizen session holds data.",
        vec![(String::new(), u64::from(state.citizen_session_active))],
    );
    gauge(
        "heartbeat_age_milliseconds",
        "Age of each component heartbeat.",
        state
            .heartbeats
            .iter()
            .map(|c| {
                (
                    format!("{{component=\"{}\"}}", c.component.name()),
                    c.age_ms,
                )
            })
            .collect(),
    );
    gauge(
        "outbox_depth",
        "Submissions waiting for delivery.",
        vec![(String::new(), state.sample.outbox_depth)],
    );
    gauge(
        "outbox_oldest_age_seconds",
        "Age of the oldest undelivered submission.",
        vec![(String::new(), state.sample.outbox_oldest_age_s.unwrap_or(0))],
    );
    gauge(
        "parked_items",
        "Submissions parked for staff attention.",
        vec![(String::new(), state.sample.parked_items)],
    );
    gauge(
        "store_alerts",
        "Store alerts for staff (a database moved aside and what was salvaged).",
        vec![(String::new(), state.sample.store_alerts)],
    );
    if let Some(free) = state.sample.storage_free_bytes {
        gauge(
            "storage_free_bytes",
            "Free bytes in the data directory.",
            vec![(String::new(), free)],
        );
    }
    gauge(
        "device_ready",
        "1 when the device is ready.",
        state
            .sample
            .devices
            .iter()
            .map(|d| {
                let kind = serde_json::to_value(d.device)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                (
                    format!("{{device=\"{kind}\"}}"),
                    u64::from(d.state == DeviceState::Ready),
                )
            })
            .collect(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DeviceKind;
    use crate::fleet::audit_fields::Component;

    struct FixedSource(KioskSample);

    impl TelemetrySource for FixedSource {
        fn sample(&self) -> KioskSample {
            self.0.clone()
        }
    }

    fn status(sample: KioskSample) -> KioskStatus {
        let heartbeats = Heartbeats::new();
        heartbeats.register(Component::Ui);
        KioskStatus {
            kiosk_id: "SZ-FT-001".into(),
            heartbeats,
            gate: CitizenSessionGate::new(),
            source: Arc::new(FixedSource(sample)),
            max_heartbeat_age: Duration::from_secs(5),
        }
    }

    #[test]
    fn state_message_has_the_fixed_schema() {
        let sample = KioskSample {
            devices: vec![DeviceReport {
                device: DeviceKind::Printer.into(),
                state: DeviceState::PaperOut,
            }],
            outbox_depth: 3,
            outbox_oldest_age_s: Some(120),
            ..KioskSample::default()
        };
        let json = serde_json::to_value(status(sample).state_message()).expect("json");
        assert_eq!(json["status"], "online");
        assert_eq!(json["kiosk_id"], "SZ-FT-001");
        assert_eq!(json["healthy"], true);
        assert_eq!(json["outbox_depth"], 3);
        assert_eq!(json["devices"][0]["state"], "paper-out");
        assert_eq!(json["heartbeats"][0]["component"], "ui");
        let offline: serde_json::Value =
            serde_json::from_slice(&offline_payload("SZ-FT-001")).expect("json");
        assert_eq!(offline["status"], "offline");
    }

    #[test]
    fn prometheus_text_reports_each_gauge() {
        let sample = KioskSample {
            devices: vec![DeviceReport {
                device: DeviceKind::IdReader.into(),
                state: DeviceState::Ready,
            }],
            outbox_depth: 7,
            ..KioskSample::default()
        };
        let text = prometheus_text(&status(sample).state_message());
        assert!(text.contains("kiosk_up 1\n"));
        assert!(text.contains("kiosk_outbox_depth 7\n"));
        assert!(text.contains("kiosk_device_ready{device=\"id-reader\"} 1\n"));
        assert!(text.contains("kiosk_heartbeat_age_milliseconds{component=\"ui\"}"));
    }
}
