use super::*;
use crate::fleet::audit::MemoryAuditSink;
use chrono::TimeZone;

struct CountingHandler {
    executed: Mutex<Vec<CommandKind>>,
}

impl CommandHandler for CountingHandler {
    fn execute(&self, kind: CommandKind) -> Result<CommandReport, ReasonCode> {
        self.executed
            .lock()
            .map_err(|_| ReasonCode::HandlerFailed)?
            .push(kind);
        match kind {
            CommandKind::RetryParked => Ok(CommandReport { count: Some(2) }),
            CommandKind::PrintStatusTicket => Err(ReasonCode::DeviceError),
            CommandKind::Restart => Ok(CommandReport::default()),
        }
    }
}

fn now() -> DateTime<Utc> {
    Utc.timestamp_opt(1_750_000_000, 0).single().expect("valid")
}

fn operations_key() -> SigningKey {
    SigningKey::from_bytes(&[42u8; 32])
}

fn command(kind: CommandKind, nonce: &str) -> RemoteCommand {
    RemoteCommand {
        kind,
        kiosk_id: "SZ-FT-001".into(),
        issued_at: now().timestamp() - 5,
        nonce: nonce.into(),
    }
}

struct Fixture {
    processor: CommandProcessor,
    handler: Arc<CountingHandler>,
    sink: Arc<MemoryAuditSink>,
    gate: CitizenSessionGate,
}

fn fixture() -> Fixture {
    let handler = Arc::new(CountingHandler {
        executed: Mutex::new(Vec::new()),
    });
    let sink = Arc::new(MemoryAuditSink::default());
    let gate = CitizenSessionGate::new();
    let processor = CommandProcessor::new(
        Some(operations_key().verifying_key()),
        "SZ-FT-001",
        Duration::from_secs(300),
        gate.clone(),
        handler.clone(),
        Auditor::new(sink.clone()),
        Arc::new(MemoryNonceLedger::default()),
    );
    Fixture {
        processor,
        handler,
        sink,
        gate,
    }
}

#[test]
fn a_signed_fresh_command_runs_once_and_is_audited() {
    let f = fixture();
    let message = sign_command(
        &operations_key(),
        &command(CommandKind::RetryParked, "00112233445566778899aabb"),
    );
    let result = f.processor.process(message.as_bytes(), now());
    assert_eq!(result.status, ResultStatus::Done);
    assert_eq!(result.count, Some(2));
    assert_eq!(
        *f.handler.executed.lock().expect("lock"),
        vec![CommandKind::RetryParked]
    );
    let replay = f.processor.process(message.as_bytes(), now());
    assert_eq!(replay.reason, Some(ReasonCode::Replayed));
    assert_eq!(f.handler.executed.lock().expect("lock").len(), 1);
    let ids: Vec<AuditEventId> = f.sink.events().iter().map(|e| e.id).collect();
    assert_eq!(
        ids,
        vec![
            AuditEventId::RemoteCommand,
            AuditEventId::RemoteCommand,
            AuditEventId::RemoteCommandRefused
        ]
    );
}

#[test]
fn forged_unsigned_stale_and_misaddressed_commands_are_refused() {
    let f = fixture();
    let good = command(CommandKind::Restart, "aaaaaaaaaaaaaaaa0001");
    let forger = SigningKey::from_bytes(&[7u8; 32]);
    let forged = sign_command(&forger, &good);
    assert_eq!(
        f.processor.process(forged.as_bytes(), now()).reason,
        Some(ReasonCode::BadSignature)
    );
    let unsigned =
        serde_json::json!({ "payload": serde_json::to_string(&good).expect("json") }).to_string();
    assert_eq!(
        f.processor.process(unsigned.as_bytes(), now()).reason,
        Some(ReasonCode::Unsigned)
    );
    // A valid signature over a payload that was altered afterwards.
    let signed: serde_json::Value =
        serde_json::from_str(&sign_command(&operations_key(), &good)).expect("json");
    let altered = serde_json::json!({
        "payload": signed["payload"].as_str().expect("payload").replace("restart", "retry-parked"),
        "signature": signed["signature"],
    })
    .to_string();
    assert_eq!(
        f.processor.process(altered.as_bytes(), now()).reason,
        Some(ReasonCode::BadSignature)
    );
    let mut stale = command(CommandKind::Restart, "aaaaaaaaaaaaaaaa0002");
    stale.issued_at -= 3600;
    let stale = sign_command(&operations_key(), &stale);
    assert_eq!(
        f.processor.process(stale.as_bytes(), now()).reason,
        Some(ReasonCode::Expired)
    );
    let mut elsewhere = command(CommandKind::Restart, "aaaaaaaaaaaaaaaa0003");
    elsewhere.kiosk_id = "SZ-FT-002".into();
    let elsewhere = sign_command(&operations_key(), &elsewhere);
    assert_eq!(
        f.processor.process(elsewhere.as_bytes(), now()).reason,
        Some(ReasonCode::WrongKiosk)
    );
    assert_eq!(
        f.processor.process(b"\xff\x00garbage", now()).reason,
        Some(ReasonCode::Malformed)
    );
    assert!(f.handler.executed.lock().expect("lock").is_empty());
    assert!(f
        .sink
        .events()
        .iter()
        .all(|e| e.id == AuditEventId::RemoteCommandRefused));
    assert_eq!(f.sink.events().len(), 6);
}

#[test]
fn commands_wait_for_the_citizen_session_to_end() {
    let f = fixture();
    f.gate.set_active(true);
    let message = sign_command(
        &operations_key(),
        &command(CommandKind::Restart, "bbbbbbbbbbbbbbbb0001"),
    );
    let result = f.processor.process(message.as_bytes(), now());
    assert_eq!(result.status, ResultStatus::Refused);
    assert_eq!(result.reason, Some(ReasonCode::CitizenSessionActive));
    assert!(f.handler.executed.lock().expect("lock").is_empty());
}

#[test]
fn handler_failures_are_reported_and_audited_as_failures() {
    let f = fixture();
    let message = sign_command(
        &operations_key(),
        &command(CommandKind::PrintStatusTicket, "cccccccccccccccc0001"),
    );
    let result = f.processor.process(message.as_bytes(), now());
    assert_eq!(result.status, ResultStatus::Failed);
    assert_eq!(result.reason, Some(ReasonCode::DeviceError));
    let last = f.sink.events().pop().expect("audited");
    assert!(matches!(
        last.phase,
        crate::fleet::audit::Phase::Complete {
            outcome: Outcome::Failure(ReasonCode::DeviceError),
            ..
        }
    ));
}

#[test]
fn operations_keys_are_read_as_hex() {
    let key = operations_key().verifying_key();
    assert_eq!(
        parse_operations_key(&hex::encode(key.to_bytes())),
        Some(key)
    );
    assert_eq!(parse_operations_key("abcd"), None);
}

#[test]
fn a_command_replayed_after_a_restart_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = crate::store::StoreOptions {
        min_free_bytes: 0,
        retention_days: 90,
    };
    let message = sign_command(
        &operations_key(),
        &command(CommandKind::Restart, "c0ffee00c0ffee00c0ffee00"),
    );
    let run = |handler: Arc<CountingHandler>| {
        let store = Arc::new(crate::store::Store::open_with(dir.path(), options.clone()).unwrap());
        let processor = CommandProcessor::new(
            Some(operations_key().verifying_key()),
            "SZ-FT-001",
            Duration::from_secs(300),
            CitizenSessionGate::new(),
            handler,
            Auditor::new(Arc::new(MemoryAuditSink::default())),
            store,
        );
        // The kiosk restarted (the command asked for it); the same message arrives again,
        // still inside its five-minute window.
        processor.process(message.as_bytes(), now())
    };
    let handler = Arc::new(CountingHandler {
        executed: Mutex::new(Vec::new()),
    });
    assert_eq!(run(handler.clone()).status, ResultStatus::Done);
    let again = run(handler.clone());
    assert_eq!(again.status, ResultStatus::Refused);
    assert_eq!(again.reason, Some(ReasonCode::Replayed));
    assert_eq!(handler.executed.lock().unwrap().len(), 1, "executed once");
}

#[test]
fn a_flood_of_garbage_writes_a_bounded_number_of_audit_rows() {
    let f = fixture();
    let signed = sign_command(
        &operations_key(),
        &command(CommandKind::RetryParked, "0123456789abcdef0123"),
    );
    let huge = format!("{{\"payload\":\"{}\"}}", "x".repeat(1 << 20));
    for i in 0..5_000 {
        let message = match i % 3 {
            0 => b"garbage".to_vec(),
            1 => huge.as_bytes().to_vec(),
            // A captured command re-sent again and again.
            _ => signed.as_bytes().to_vec(),
        };
        f.processor.process(&message, now());
    }
    let rows = f.sink.events().len();
    // The one real execution (a pair) and at most one window's worth of refusals.
    assert!(rows <= 2 + 10, "{rows} audit rows for 5000 messages");
    assert_eq!(f.handler.executed.lock().unwrap().len(), 1);
}
