//! Fleet telemetry and remote commands against a real Mosquitto broker on a loopback port.
//! Needs the `mosquitto` package (the Makefile installs it).

use chrono::Utc;
use ed25519_dalek::SigningKey;
use legal_kiosk::config::BrokerUrl;
use legal_kiosk::config::KioskConfig;
use legal_kiosk::domain::{DeviceKind, NewSubmission, SubmissionKind};
use legal_kiosk::fleet::audit::Component;
use legal_kiosk::fleet::audit::{
    AuditEventId, Auditor, CommandKind, DeviceState, MemoryAuditSink, ReasonCode,
};
use legal_kiosk::fleet::audit_export::read_audit_log;
use legal_kiosk::fleet::commands::{
    sign_command, CommandHandler, CommandProcessor, CommandReport, MemoryNonceLedger, RemoteCommand,
};
use legal_kiosk::fleet::heartbeat::Heartbeats;
use legal_kiosk::fleet::kiosk_actions::KioskActions;
use legal_kiosk::fleet::link::start_remote_link;
use legal_kiosk::fleet::mqtt::{FleetLink, FleetLinkOptions};
use legal_kiosk::fleet::session_gate::CitizenSessionGate;
use legal_kiosk::fleet::telemetry::{
    DeviceReport, FaultReport, KioskSample, KioskStatus, TelemetrySource,
};
use legal_kiosk::store::{OutboxState, Store};
use rumqttc::{AsyncClient, Event, EventLoop, MqttOptions, Packet, QoS};
use std::net::TcpListener;
use std::process::{Child, Command};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const KIOSK: &str = "SZ-FT-001";

struct Broker {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Broker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_broker() -> Broker {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let dir = tempfile::tempdir().expect("temp dir");
    let conf = dir.path().join("mosquitto.conf");
    std::fs::write(
        &conf,
        format!("listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"),
    )
    .expect("write config");
    let child = Command::new("mosquitto")
        .arg("-c")
        .arg(&conf)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("mosquitto is installed (apt-get install mosquitto)");
    // Owned before waiting, so a failed start still kills and reaps the broker.
    let broker = Broker {
        child,
        port,
        _dir: dir,
    };
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return broker;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("mosquitto did not start on port {port}");
}

struct FaultySource;

impl TelemetrySource for FaultySource {
    fn sample(&self) -> KioskSample {
        KioskSample {
            devices: vec![
                DeviceReport {
                    device: DeviceKind::IdReader.into(),
                    state: DeviceState::Ready,
                },
                DeviceReport {
                    device: DeviceKind::Printer.into(),
                    state: DeviceState::PaperOut,
                },
            ],
            outbox_depth: 4,
            outbox_oldest_age_s: Some(90),
            parked_items: 1,
            store_alerts: 0,
            storage_free_bytes: Some(1 << 30),
            last_fault: Some(FaultReport {
                device: DeviceKind::Printer.into(),
                reason: ReasonCode::DeviceError,
                at: Utc::now(),
            }),
        }
    }
}

#[derive(Default)]
struct RecordingHandler {
    executed: Mutex<Vec<CommandKind>>,
}

impl CommandHandler for RecordingHandler {
    fn execute(&self, kind: CommandKind) -> Result<CommandReport, ReasonCode> {
        self.executed
            .lock()
            .map_err(|_| ReasonCode::HandlerFailed)?
            .push(kind);
        Ok(CommandReport { count: Some(1) })
    }
}

struct Kiosk {
    link: FleetLink,
    gate: CitizenSessionGate,
    handler: Arc<RecordingHandler>,
    audit: Arc<MemoryAuditSink>,
    _heartbeats: Heartbeats,
}

fn operations_key() -> SigningKey {
    SigningKey::from_bytes(&[11u8; 32])
}

fn start_kiosk(port: u16) -> Kiosk {
    let heartbeats = Heartbeats::new();
    heartbeats.register(Component::Ui);
    let gate = CitizenSessionGate::new();
    let audit = Arc::new(MemoryAuditSink::default());
    let auditor = Auditor::new(audit.clone());
    let handler = Arc::new(RecordingHandler::default());
    let status = KioskStatus {
        kiosk_id: KIOSK.into(),
        heartbeats: heartbeats.clone(),
        gate: gate.clone(),
        source: Arc::new(FaultySource),
        max_heartbeat_age: Duration::from_secs(60),
    };
    let processor = CommandProcessor::new(
        Some(operations_key().verifying_key()),
        KIOSK,
        Duration::from_secs(300),
        gate.clone(),
        handler.clone(),
        auditor.clone(),
        Arc::new(MemoryNonceLedger::default()),
    );
    let link = FleetLink::start(
        FleetLinkOptions {
            kiosk_id: KIOSK.into(),
            broker: BrokerUrl::parse(&format!("mqtt://127.0.0.1:{port}")).expect("url"),
            tls: None,
            publish_interval: Duration::from_millis(500),
            keep_alive: Duration::from_secs(5),
        },
        status,
        Some(Arc::new(processor)),
        Some(auditor),
    )
    .expect("link starts");
    Kiosk {
        link,
        gate,
        handler,
        audit,
        _heartbeats: heartbeats,
    }
}

/// An operator console subscribed to everything of the kiosk.
async fn operator(port: u16, name: &str) -> (AsyncClient, EventLoop) {
    let mut options = MqttOptions::new(name, "127.0.0.1", port);
    options.set_keep_alive(Duration::from_secs(5));
    let (client, eventloop) = AsyncClient::new(options, 32);
    client
        .subscribe(format!("kiosk/{KIOSK}/#"), QoS::AtLeastOnce)
        .await
        .expect("subscribe");
    (client, eventloop)
}

/// Waits for a message on `topic` whose JSON satisfies `accept`.
async fn expect_message(
    eventloop: &mut EventLoop,
    topic: &str,
    accept: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let Ok(event) = tokio::time::timeout_at(deadline, eventloop.poll()).await else {
            panic!("no matching message on {topic}");
        };
        if let Ok(Event::Incoming(Packet::Publish(publish))) = event {
            if publish.topic == topic {
                if let Ok(json) = serde_json::from_slice::<serde_json::Value>(&publish.payload) {
                    if accept(&json) {
                        return json;
                    }
                }
            }
        } else if event.is_err() {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

fn signed(kind: CommandKind, nonce: &str) -> String {
    sign_command(
        &operations_key(),
        &RemoteCommand {
            kind,
            kiosk_id: KIOSK.into(),
            issued_at: Utc::now().timestamp(),
            nonce: nonce.into(),
        },
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_faults_reach_the_broker_and_the_last_will_marks_a_dead_kiosk_offline() {
    let broker = start_broker();
    let kiosk = start_kiosk(broker.port);
    let (_console, mut events) = operator(broker.port, "console-state").await;
    let state_topic = format!("kiosk/{KIOSK}/state");
    let state = expect_message(&mut events, &state_topic, |j| j["status"] == "online").await;
    assert_eq!(state["kiosk_id"], KIOSK);
    assert_eq!(state["healthy"], true);
    assert_eq!(state["outbox_depth"], 4);
    assert_eq!(state["devices"][1]["state"], "paper-out");
    assert_eq!(state["last_fault"]["reason"], "device-error");

    // A console that connects later still sees the retained state.
    let (_late, mut late_events) = operator(broker.port, "console-late").await;
    expect_message(&mut late_events, &state_topic, |j| j["status"] == "online").await;

    // The kiosk dies without a goodbye: the broker publishes the retained last will.
    kiosk.link.abort();
    let will = expect_message(&mut events, &state_topic, |j| j["status"] == "offline").await;
    assert_eq!(will["kiosk_id"], KIOSK);
    let (_after, mut after_events) = operator(broker.port, "console-after").await;
    expect_message(&mut after_events, &state_topic, |j| {
        j["status"] == "offline"
    })
    .await;
    assert!(kiosk
        .audit
        .events()
        .iter()
        .any(|e| e.id == AuditEventId::TelemetryLink));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_commands_run_when_idle_and_everything_else_is_refused() {
    let broker = start_broker();
    let kiosk = start_kiosk(broker.port);
    let (console, mut events) = operator(broker.port, "console-commands").await;
    let state_topic = format!("kiosk/{KIOSK}/state");
    expect_message(&mut events, &state_topic, |j| j["status"] == "online").await;
    let command_topic = format!("kiosk/{KIOSK}/command");
    let result_topic = format!("kiosk/{KIOSK}/command/result");
    let send = |payload: String| {
        let console = console.clone();
        let topic = command_topic.clone();
        async move {
            console
                .publish(topic, QoS::AtLeastOnce, false, payload.into_bytes())
                .await
                .expect("publish")
        }
    };

    let retry = signed(CommandKind::RetryParked, "0123456789abcdef0001");
    send(retry.clone()).await;
    let done = expect_message(&mut events, &result_topic, |j| {
        j["nonce"] == "0123456789abcdef0001"
    })
    .await;
    assert_eq!(done["status"], "done");
    assert_eq!(done["kind"], "retry-parked");

    send(retry).await;
    let replay = expect_message(&mut events, &result_topic, |j| j["reason"] == "replayed").await;
    assert_eq!(replay["status"], "refused");

    let unsigned = serde_json::json!({ "payload": "{}" }).to_string();
    send(unsigned).await;
    expect_message(&mut events, &result_topic, |j| j["reason"] == "unsigned").await;

    let forged = sign_command(
        &SigningKey::from_bytes(&[99u8; 32]),
        &RemoteCommand {
            kind: CommandKind::Restart,
            kiosk_id: KIOSK.into(),
            issued_at: Utc::now().timestamp(),
            nonce: "0123456789abcdef0002".into(),
        },
    );
    send(forged).await;
    expect_message(&mut events, &result_topic, |j| {
        j["reason"] == "bad-signature"
    })
    .await;

    kiosk.gate.set_active(true);
    send(signed(CommandKind::Restart, "0123456789abcdef0003")).await;
    let busy = expect_message(&mut events, &result_topic, |j| {
        j["nonce"] == "0123456789abcdef0003"
    })
    .await;
    assert_eq!(busy["reason"], "citizen-session-active");
    kiosk.gate.set_active(false);

    assert_eq!(
        *kiosk.handler.executed.lock().expect("lock"),
        vec![CommandKind::RetryParked],
        "only the one valid command ran"
    );
    let refused = kiosk
        .audit
        .events()
        .iter()
        .filter(|e| e.id == AuditEventId::RemoteCommandRefused)
        .count();
    assert_eq!(refused, 4);
    kiosk.link.shutdown().await;
    expect_message(&mut events, &state_topic, |j| j["status"] == "offline").await;
}

/// The wiring `legal-kiosk run` uses, on a real store: the store's parked item, its audit
/// table and the restart request are what the commands act on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_run_wiring_retries_parked_items_restarts_and_audits_refusals_in_the_store() {
    let broker = start_broker();
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Arc::new(Store::open(dir.path()).expect("store"));
    store
        .commit_submission(NewSubmission {
            kind: SubmissionKind::Consultation,
            payload: serde_json::json!({ "category": "labour" }),
            attachments: Vec::new(),
            progress_index: None,
        })
        .expect("commit");
    let parked_id = store.outbox_entries(false).expect("outbox")[0].id;
    store.park(parked_id, "422 not accepted").expect("park");
    let outbox_state = || store.outbox_entries(false).expect("outbox")[0].state;

    let key_file = dir.path().join("operations.pub");
    std::fs::write(
        &key_file,
        hex::encode(operations_key().verifying_key().to_bytes()),
    )
    .expect("key file");
    let mut config = KioskConfig::demo(dir.path().to_path_buf());
    config.kiosk.id = KIOSK.into();
    config.fleet.broker_url = Some(format!("mqtt://127.0.0.1:{}", broker.port));
    config.fleet.operations_public_key = Some(key_file);
    config.fleet.publish_interval_s = 1;
    let heartbeats = Heartbeats::new();
    let gate = CitizenSessionGate::new();
    let status = KioskStatus {
        kiosk_id: KIOSK.into(),
        heartbeats: heartbeats.clone(),
        gate: gate.clone(),
        source: Arc::new(FaultySource),
        max_heartbeat_age: Duration::from_secs(60),
    };
    let actions = KioskActions {
        kiosk_id: KIOSK.into(),
        hall: config.kiosk.hall.clone(),
        case_url: config.case_system.base_url.clone(),
        data_dir: dir.path().to_path_buf(),
        store: store.clone(),
        devices: None,
        started: Instant::now(),
    };
    let restarts = Arc::new(AtomicUsize::new(0));
    let counter = restarts.clone();
    let link = start_remote_link(
        &config,
        status,
        actions,
        Arc::new(move || {
            counter.fetch_add(1, Ordering::SeqCst);
        }),
    )
    .expect("a broker is configured");

    let (console, mut events) = operator(broker.port, "console-run-wiring").await;
    let state_topic = format!("kiosk/{KIOSK}/state");
    expect_message(&mut events, &state_topic, |j| j["status"] == "online").await;
    let result_topic = format!("kiosk/{KIOSK}/command/result");
    let send = |payload: String| {
        let console = console.clone();
        async move {
            console
                .publish(
                    format!("kiosk/{KIOSK}/command"),
                    QoS::AtLeastOnce,
                    false,
                    payload.into_bytes(),
                )
                .await
                .expect("publish")
        }
    };

    gate.set_active(true);
    send(signed(CommandKind::RetryParked, "feedfacefeedface0001")).await;
    let busy = expect_message(&mut events, &result_topic, |j| {
        j["nonce"] == "feedfacefeedface0001"
    })
    .await;
    assert_eq!(busy["status"], "refused");
    assert_eq!(busy["reason"], "citizen-session-active");
    assert_eq!(outbox_state(), OutboxState::Parked);
    gate.set_active(false);

    let forged = sign_command(
        &SigningKey::from_bytes(&[99u8; 32]),
        &RemoteCommand {
            kind: CommandKind::RetryParked,
            kiosk_id: KIOSK.into(),
            issued_at: Utc::now().timestamp(),
            nonce: "feedfacefeedface0002".into(),
        },
    );
    send(forged).await;
    expect_message(&mut events, &result_topic, |j| {
        j["reason"] == "bad-signature"
    })
    .await;
    assert_eq!(outbox_state(), OutboxState::Parked);

    send(signed(CommandKind::RetryParked, "feedfacefeedface0003")).await;
    let done = expect_message(&mut events, &result_topic, |j| {
        j["nonce"] == "feedfacefeedface0003"
    })
    .await;
    assert_eq!(done["status"], "done");
    assert_eq!(done["count"], 1);
    assert_eq!(outbox_state(), OutboxState::Pending);

    assert_eq!(restarts.load(Ordering::SeqCst), 0);
    send(signed(CommandKind::Restart, "feedfacefeedface0004")).await;
    let restarted = expect_message(&mut events, &result_topic, |j| {
        j["nonce"] == "feedfacefeedface0004"
    })
    .await;
    assert_eq!(restarted["status"], "done");
    assert_eq!(restarts.load(Ordering::SeqCst), 1);

    // Every command is in the store's audit table, refusals with their reason.
    let rows = read_audit_log(dir.path()).expect("audit log");
    let refusals: Vec<&str> = rows
        .iter()
        .filter(|row| row.action == AuditEventId::RemoteCommandRefused.id())
        .map(|row| row.detail.as_str())
        .collect();
    assert_eq!(refusals.len(), 2);
    assert!(
        refusals[0].contains("citizen-session-active"),
        "{}",
        refusals[0]
    );
    assert!(refusals[1].contains("bad-signature"), "{}", refusals[1]);
    let executed = rows
        .iter()
        .filter(|row| row.action == AuditEventId::RemoteCommand.id())
        .count();
    assert_eq!(
        executed, 4,
        "begin and completion of the two executed commands"
    );
    link.shutdown().await;
}
