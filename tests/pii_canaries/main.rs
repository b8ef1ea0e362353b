//! Issue 16, PII canaries end to end: submissions carrying known canary identities go
//! through the kiosk's real code paths — commit to the store, delivery by the `legal-kiosk`
//! binary to a real `case-server` process (with one rejection, parked and put back by a staff
//! action), purge on delivery, the USB audit export, the status ticket and the telemetry
//! state message — with every log line written through the kiosk's `ScrubbingWriter`. Then
//! every byte the kiosk wrote is searched for every canary: none may be found.

mod canaries;
#[path = "../common/mod.rs"]
mod common;

use canaries::{PlaceHits, ADDRESS, ID_NUMBER, ID_NUMBER_SPACED, LANDLINE, MADE_UP_NAME, NAME};
use canaries::{MOBILE, MOBILE_INTERNATIONAL, MOBILE_SPACED};
use common::{free_port, store_options, CaseServerProcess};
use legal_kiosk::cli::soak::{synthetic_jpeg, synthetic_png, synthetic_submission};
use legal_kiosk::codec::id_number::IdNumber;
use legal_kiosk::domain::{NewSubmission, SubmissionKind};
use legal_kiosk::fleet::audit_export::export_bundle;
use legal_kiosk::fleet::bridge::KioskTelemetry;
use legal_kiosk::fleet::heartbeat::Heartbeats;
use legal_kiosk::fleet::kiosk_actions::{status_receipt, KioskActions};
use legal_kiosk::fleet::session_gate::CitizenSessionGate;
use legal_kiosk::fleet::telemetry::{prometheus_text, KioskStatus};
use legal_kiosk::hal::printer::PrinterProfile;
use legal_kiosk::logging::ScrubbingWriter;
use legal_kiosk::store::{Store, DB_FILE};
use rusqlite::{Connection, OpenFlags};
use serde_json::json;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::sync::Arc;
use std::time::{Duration, Instant};

const KIOSK: &str = "PII-1";

/// The directories of one run, all under one temp root.
struct Places {
    root: PathBuf,
    data: PathBuf,
    logs: PathBuf,
    usb: PathBuf,
    printer: PathBuf,
    telemetry: PathBuf,
    tmp: PathBuf,
    config: PathBuf,
}

impl Places {
    fn new(root: &Path) -> Places {
        let places = Places {
            root: root.to_path_buf(),
            data: root.join("data"),
            logs: root.join("logs"),
            usb: root.join("usb"),
            printer: root.join("printer"),
            telemetry: root.join("telemetry"),
            tmp: root.join("tmp"),
            config: root.join("kiosk.toml"),
        };
        for dir in [
            &places.logs,
            &places.usb,
            &places.printer,
            &places.telemetry,
            &places.tmp,
        ] {
            std::fs::create_dir_all(dir).expect("test directory");
        }
        places
    }
}

/// The applicant every submission is about, with a co-applicant, in the payload's shape.
fn canary_applicant() -> serde_json::Value {
    json!({
        "name": NAME,
        "sex": "female",
        "birth_date": "1992-03-15",
        "id_type": "resident_id_card",
        "id_number": ID_NUMBER,
        "address": ADDRESS,
        "phone": MOBILE,
        "co_applicant": {"name": MADE_UP_NAME, "phone": MOBILE_INTERNATIONAL},
    })
}

/// One submission of each kind, the soak's realistic payloads with the canaries put in,
/// including free text where citizens write numbers their own way.
fn canary_submissions() -> Vec<NewSubmission> {
    let scan = synthetic_jpeg(32 * 1024);
    let mark = synthetic_png();
    (0..SubmissionKind::ALL.len() as u32)
        .map(|session| {
            let mut submission = synthetic_submission(session, &scan, &mark);
            let payload = &mut submission.payload;
            match submission.kind {
                SubmissionKind::Rating => {
                    payload["comment"] =
                        json!(format!("{MADE_UP_NAME}，工作日请打 {LANDLINE} 回访"));
                }
                SubmissionKind::Consultation => {
                    payload["applicant"] = canary_applicant();
                    payload["question"] = json!(format!(
                        "我是{NAME}，身份证 {ID_NUMBER_SPACED}，住{ADDRESS}，\
                         请回电 {MOBILE_SPACED} 或 {MOBILE_INTERNATIONAL}，座机 {LANDLINE}"
                    ));
                }
                _ => payload["applicant"] = canary_applicant(),
            }
            submission
        })
        .collect()
}

/// Every log line of this process goes through the kiosk's scrubbing writer into `path`.
fn log_through_scrubber(path: &Path) {
    let file = File::create(path).expect("log file");
    let writer = ScrubbingWriter::new(move || file.try_clone().expect("log file handle"));
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(writer)
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
}

/// Runs the `legal-kiosk` binary with `args` against this kiosk's config; its stdout and
/// stderr (the scrubbed log) are kept under `logs/` as `<name>.stdout` / `<name>.stderr`.
fn kiosk(places: &Places, name: &str, args: &[&str]) -> ExitStatus {
    let out = |ext: &str| File::create(places.logs.join(format!("{name}.{ext}"))).expect("log");
    Command::new(env!("CARGO_BIN_EXE_legal-kiosk"))
        .args(args)
        .arg("--config")
        .arg(&places.config)
        .env("RUST_LOG", "debug")
        .env("TMPDIR", &places.tmp)
        .stdout(out("stdout"))
        .stderr(out("stderr"))
        .status()
        .expect("legal-kiosk runs")
}

/// Panics with what the run printed when it failed.
fn succeeded(places: &Places, name: &str, status: ExitStatus) {
    let read = |ext: &str| {
        std::fs::read_to_string(places.logs.join(format!("{name}.{ext}"))).unwrap_or_default()
    };
    assert!(
        status.success(),
        "{name}: {status}\n{}\n{}",
        read("stdout"),
        read("stderr")
    );
}

fn soak_deliver(places: &Places, name: &str, log_format: &str) -> ExitStatus {
    kiosk(
        places,
        name,
        &[
            "--log-format",
            log_format,
            "soak",
            "--sessions",
            "0",
            "--timeout-s",
            "60",
        ],
    )
}

/// What the kiosk's database still holds of the submissions: (delivered, unpurged, attachments).
fn purge_counts(data: &Path) -> (i64, i64, i64) {
    let conn = Connection::open_with_flags(data.join(DB_FILE), OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("database");
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |row| row.get(0)).expect(sql) };
    (
        count("SELECT COUNT(*) FROM submissions WHERE state = 'delivered'"),
        count("SELECT COUNT(*) FROM submissions WHERE payload IS NOT NULL OR purged_at IS NULL"),
        count("SELECT COUNT(*) FROM attachments"),
    )
}

fn telemetry_files(places: &Places, store: &Arc<Store>) {
    let (_devices, health) = tokio::sync::watch::channel(Vec::new());
    let status = KioskStatus {
        kiosk_id: KIOSK.into(),
        heartbeats: Heartbeats::new(),
        gate: CitizenSessionGate::new(),
        source: Arc::new(KioskTelemetry {
            store: store.clone(),
            devices: health,
            data_dir: places.data.clone(),
        }),
        max_heartbeat_age: Duration::from_secs(60),
    };
    let state = status.state_message();
    // The bytes the MQTT link publishes as the retained state message, and `/metrics`.
    let payload = serde_json::to_vec(&state).expect("state JSON");
    std::fs::write(places.telemetry.join("state.json"), payload).expect("state");
    std::fs::write(
        places.telemetry.join("metrics.txt"),
        prometheus_text(&state),
    )
    .expect("metrics");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_canary_is_left_in_anything_the_kiosk_wrote() {
    assert!(
        IdNumber::parse(ID_NUMBER).is_ok(),
        "the canary ID number is valid"
    );
    let root = tempfile::tempdir().expect("temp root");
    let places = Places::new(root.path());
    // Temp files the kiosk (this process and its children) makes land where they are searched.
    std::env::set_var("TMPDIR", &places.tmp);
    log_through_scrubber(&places.logs.join("in-process.log"));

    // The case server's database is outside the kiosk's data directory: it is the office's
    // system, which legitimately holds what was delivered (checked below as a control).
    let server = CaseServerProcess::start(free_port(), &places.root.join("case-server.db"), None);
    std::fs::write(
        &places.config,
        format!(
            "[kiosk]\nid = \"{KIOSK}\"\nhall = \"测试厅\"\ndata_dir = \"data\"\n\
             [case_system]\nbase_url = \"{}\"\ntimeout_s = 5\nretry_base_ms = 20\nretry_cap_s = 1\n\
             [store]\nmin_free_mb = 0\n",
            server.base_url()
        ),
    )
    .expect("config");

    // Journeys end in the store's commit; the data is sealed at rest from the first byte.
    let open_store = || Arc::new(Store::open_with(&places.data, store_options()).expect("store"));
    let store = open_store();
    for submission in canary_submissions() {
        store.commit_submission(submission).expect("committed");
    }
    // Closed before its files are read: opening and closing the database file outside
    // SQLite would drop SQLite's POSIX locks in this process, and the binary run next would
    // then take itself for the last user and delete the write-ahead log under us.
    drop(store);
    let at_rest = canaries::search(&canaries::files_under(&places.data), &canaries::all());

    // Delivery by the kiosk binary; the office refuses the first POST, which is parked.
    server.set_fault("reject:422", Some(1)).await;
    let first = soak_deliver(&places, "soak-text", "text");
    assert!(!first.success(), "a parked entry fails the soak run");
    let store = open_store();
    assert_eq!(store.outbox_status().expect("status").parked, 1);
    let listed = kiosk(&places, "outbox-list", &["outbox", "list", "--all"]);
    succeeded(&places, "outbox-list", listed);

    // Staff put the parked entry back; the second run delivers everything.
    let actions = KioskActions {
        kiosk_id: KIOSK.into(),
        hall: "测试厅".into(),
        case_url: server.base_url(),
        data_dir: places.data.clone(),
        store: store.clone(),
        devices: None,
        started: Instant::now(),
    };
    assert_eq!(
        actions.retry_parked(None, "staff:S-0001").expect("retry"),
        1
    );
    let second = soak_deliver(&places, "soak-json", "json");
    succeeded(&places, "soak-json", second);
    let status = kiosk(&places, "outbox-status", &["outbox", "status"]);
    succeeded(&places, "outbox-status", status);
    let verified = kiosk(&places, "audit-verify", &["audit", "verify"]);
    succeeded(&places, "audit-verify", verified);
    let kinds = SubmissionKind::ALL.len() as i64;
    assert_eq!(
        purge_counts(&places.data),
        (kinds, 0, 0),
        "delivered and purged"
    );

    // The staff USB export, the status ticket as printed, the telemetry state message.
    let export = export_bundle(&store, KIOSK, &places.usb).expect("export");
    assert!(export.audit_events > 0);
    let ticket = status_receipt(&actions.status_ticket_info())
        .to_escpos(&PrinterProfile::default())
        .expect("ticket bytes");
    std::fs::write(places.printer.join("status-ticket.escpos"), ticket).expect("ticket");
    telemetry_files(&places, &store);

    // A careless log line (what the rule forbids) still leaves through the scrubber masked:
    // every canary with a shape, and the names as values of personal fields.
    tracing::warn!(
        name = NAME,
        applicant_name = MADE_UP_NAME,
        "careless: card {ID_NUMBER} ({ID_NUMBER_SPACED}), call {MOBILE_SPACED} or \
         {MOBILE_INTERNATIONAL} or {LANDLINE}, lives at {ADDRESS}"
    );
    drop(store);
    let logged = std::fs::read_to_string(places.logs.join("in-process.log")).expect("log");
    let careless = logged
        .lines()
        .find(|l| l.contains("careless"))
        .expect("the line was logged");
    for mask in ["[id-number]", "[phone]", "[address]", "[redacted]"] {
        assert!(careless.contains(mask), "{mask} missing: {careless}");
    }

    // The search must be able to fail: canaries planted in a scratch file, in the printer's
    // encoding, are found, and so is what the office's case server received.
    let scratch = places.root.join("scratch");
    std::fs::create_dir_all(&scratch).expect("scratch");
    let planted = format!(
        "{NAME} {MADE_UP_NAME} {} {MOBILE_SPACED} {LANDLINE} {ADDRESS}",
        ID_NUMBER.to_lowercase()
    );
    let (gb18030, _, _) = encoding_rs::GB18030.encode(&planted);
    std::fs::write(scratch.join("planted.txt"), gb18030).expect("planted");

    let all = canaries::all();
    let search = |dir: &Path| canaries::search(&canaries::files_under(dir), &all);
    let kiosk_places: Vec<(String, PlaceHits)> = vec![
        ("data dir, before delivery".into(), at_rest),
        ("data dir, after purge".into(), search(&places.data)),
        ("logs (stderr + in-process)".into(), search(&places.logs)),
        ("USB export".into(), search(&places.usb)),
        (
            "status ticket (printer bytes)".into(),
            search(&places.printer),
        ),
        (
            "telemetry state + metrics".into(),
            search(&places.telemetry),
        ),
        ("temp dir".into(), search(&places.tmp)),
    ];
    let case_db: Vec<PathBuf> = canaries::files_under(&places.root)
        .into_iter()
        .filter(|path| path.parent() == Some(places.root.as_path()))
        .filter(|path| path.to_string_lossy().contains("case-server.db"))
        .collect();
    let controls: Vec<(String, PlaceHits)> = vec![
        ("CONTROL planted scratch (GB18030)".into(), search(&scratch)),
        (
            "CONTROL case server db (office)".into(),
            canaries::search(&case_db, &all),
        ),
    ];
    println!("{}", canaries::table(&kiosk_places, &all));
    println!("{}", canaries::table(&controls, &all));
    server.stop();

    for (place, hits) in &controls {
        for canary in &all {
            assert!(
                hits.per_canary.get(canary.label).copied().unwrap_or(0) > 0,
                "{place}: {} not found, so the search is blind to it",
                canary.label
            );
        }
    }
    let leaks: Vec<String> = kiosk_places
        .iter()
        .flat_map(|(place, hits)| hits.offending.iter().map(move |o| format!("{place}: {o}")))
        .collect();
    assert!(
        leaks.is_empty(),
        "personal data left behind:\n{}",
        leaks.join("\n")
    );
    // The kiosk did write where it was searched (the temp dir may rightly stay empty).
    for (place, hits) in &kiosk_places[..4] {
        assert!(
            hits.files > 0,
            "{place}: nothing was written there to search"
        );
    }
}
