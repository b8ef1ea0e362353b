//! Store and forwarding figures, printed as `name: value unit` lines:
//! - commit latency of one notary application (300 KiB scan + fingerprint mark), p50 and p99,
//!   including encryption and the synchronous=FULL fsync;
//! - backlog flush: 1,000 queued submissions with 300 KiB attachments each delivered to the
//!   in-process reference case server on loopback.

use legal_kiosk::caseserver;
use legal_kiosk::cli::soak::{synthetic_jpeg, synthetic_png, synthetic_submission};
use legal_kiosk::config::CaseSystemSection;
use legal_kiosk::domain::NewSubmission;
use legal_kiosk::forward::{Backoff, HttpCaseSystem, Relay, RelayConfig};
use legal_kiosk::store::{Store, StoreOptions};
use std::sync::Arc;
use std::time::{Duration, Instant};
mod common;

use common::{ms, percentile};

const COMMIT_SAMPLES: usize = 200;
const BACKLOG: usize = 1000;
const SCAN_BYTES: usize = 300 * 1024;

/// Session 0 of the soak's synthetic data is a notary application with a document scan and a
/// fingerprint mark.
fn notary_application(scan: &[u8], mark: &[u8]) -> NewSubmission {
    synthetic_submission(0, scan, mark)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let options = StoreOptions {
        min_free_bytes: 0,
        retention_days: 90,
    };
    let scan = synthetic_jpeg(SCAN_BYTES);
    let mark = synthetic_png();

    let store = Store::open_with(&dir.path().join("latency"), options.clone())?;
    let mut samples = Vec::with_capacity(COMMIT_SAMPLES);
    for _ in 0..COMMIT_SAMPLES {
        let submission = notary_application(&scan, &mark);
        let started = Instant::now();
        store.commit_submission(submission)?;
        samples.push(started.elapsed());
    }
    samples.sort();
    println!(
        "commit_latency_p50: {:.2} ms",
        ms(percentile(&samples, 0.50))
    );
    println!(
        "commit_latency_p99: {:.2} ms",
        ms(percentile(&samples, 0.99))
    );

    let store = Arc::new(Store::open_with(&dir.path().join("backlog"), options)?);
    for _ in 0..BACKLOG {
        store.commit_submission(notary_application(&scan, &mark))?;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let elapsed = runtime.block_on(async {
        let server =
            caseserver::spawn("127.0.0.1:0".parse()?, &dir.path().join("cases.db"), None).await?;
        let section = CaseSystemSection {
            base_url: server.base_url(),
            ..Default::default()
        };
        let mut config = RelayConfig::new("BENCH-0001");
        config.backoff = Backoff {
            base: Duration::from_millis(50),
            cap: Duration::from_secs(2),
        };
        let started = Instant::now();
        let relay = Relay::new(store.clone(), HttpCaseSystem::new(&section)?, config).spawn();
        while store.outbox_status()?.pending > 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let elapsed = started.elapsed();
        relay.shutdown().await;
        let delivered = server.stats()?.submissions;
        server.shutdown().await;
        if delivered != BACKLOG as u64 {
            return Err(
                format!("case server holds {delivered} submissions, expected {BACKLOG}").into(),
            );
        }
        Ok::<_, Box<dyn std::error::Error>>(elapsed)
    })?;
    let per_second = BACKLOG as f64 / elapsed.as_secs_f64();
    let megabytes = (BACKLOG * (SCAN_BYTES + mark.len())) as f64 / (1024.0 * 1024.0);
    println!("backlog_flush_1000x300KiB: {:.2} s", elapsed.as_secs_f64());
    println!("backlog_flush_throughput: {per_second:.1} submissions/s");
    println!(
        "backlog_flush_payload_rate: {:.1} MiB/s",
        megabytes / elapsed.as_secs_f64()
    );
    Ok(())
}
