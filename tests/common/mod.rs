//! Shared helpers of the store and forward integration tests: a real `case-server` process on
//! loopback, and synthetic submissions.
#![allow(dead_code)] // each test binary uses a different subset

pub mod middlebox;

use legal_kiosk::caseserver::{Stats, StoredSubmission};
use legal_kiosk::cli::soak::{synthetic_jpeg, synthetic_png, synthetic_submission};
use legal_kiosk::forward::{Backoff, HttpCaseSystem, Relay, RelayConfig, RelayHandle};
use legal_kiosk::store::{OutboxEntry, Receipt, Store, StoreOptions};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// The `case-server` binary running as a child process.
pub struct CaseServerProcess {
    child: Child,
    pub port: u16,
    pub db: PathBuf,
}

impl CaseServerProcess {
    pub fn start(port: u16, db: &Path, fault: Option<&str>) -> CaseServerProcess {
        let mut command = Command::new(env!("CARGO_BIN_EXE_case-server"));
        command
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .arg("--db")
            .arg(db)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(spec) = fault {
            command.args(["--fault", spec]);
        }
        let child = command.spawn().expect("case-server starts");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "case-server did not start listening"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        CaseServerProcess {
            child,
            port,
            db: db.to_path_buf(),
        }
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub async fn set_fault(&self, spec: &str, times: Option<u32>) {
        let response = reqwest::Client::new()
            .put(format!("{}/admin/fault", self.base_url()))
            .json(&serde_json::json!({"spec": spec, "times": times}))
            .send()
            .await
            .expect("admin request");
        assert_eq!(response.status().as_u16(), 204, "fault {spec} accepted");
    }

    pub async fn submissions(&self) -> Vec<StoredSubmission> {
        reqwest::get(format!("{}/admin/submissions", self.base_url()))
            .await
            .expect("admin request")
            .json()
            .await
            .expect("submissions JSON")
    }

    pub async fn stats(&self) -> Stats {
        reqwest::get(format!("{}/admin/stats", self.base_url()))
            .await
            .expect("admin request")
            .json()
            .await
            .expect("stats JSON")
    }
}

impl Drop for CaseServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn store_options() -> StoreOptions {
    StoreOptions {
        min_free_bytes: 0,
        retention_days: 90,
    }
}

pub fn open_store(dir: &Path) -> Arc<Store> {
    Arc::new(Store::open_with(dir, store_options()).expect("store opens"))
}

/// A relay with short backoff for tests, delivering to `base_url`.
pub fn start_relay(store: &Arc<Store>, base_url: &str, timeout_s: u32) -> RelayHandle {
    let section = legal_kiosk::config::CaseSystemSection {
        base_url: base_url.into(),
        timeout_s,
        ..Default::default()
    };
    let system = HttpCaseSystem::new(&section).expect("http case system");
    let mut config = RelayConfig::new("TEST-0001");
    config.backoff = Backoff {
        base: Duration::from_millis(20),
        cap: Duration::from_millis(300),
    };
    config.poll_interval = Duration::from_millis(100);
    Relay::new(store.clone(), system, config).spawn()
}

/// Waits until nothing is pending, or panics after `limit`.
pub async fn wait_drained(store: &Arc<Store>, limit: Duration) {
    let deadline = Instant::now() + limit;
    loop {
        let status = store.outbox_status().expect("status");
        if status.pending == 0 {
            return;
        }
        assert!(Instant::now() < deadline, "outbox not drained: {status:?}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// The outbox entry of `receipt`, delivered or not.
pub fn entry_of(store: &Arc<Store>, receipt: &Receipt) -> OutboxEntry {
    store
        .outbox_entries(true)
        .expect("outbox entries")
        .into_iter()
        .find(|e| e.idempotency_key == receipt.idempotency_key)
        .expect("the receipt has an outbox entry")
}

/// One synthetic notary application with a scan of `scan_kib` KiB, committed.
pub fn commit_one(store: &Arc<Store>, scan_kib: usize) -> Receipt {
    let scan = synthetic_jpeg(scan_kib * 1024);
    store
        .commit_submission(synthetic_submission(0, &scan, &synthetic_png()))
        .expect("committed")
}
