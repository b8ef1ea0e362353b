//! `case-server`: the reference case system on loopback, for tests, demos and soak runs.
//!
//! `case-server --listen 127.0.0.1:8480 --db /tmp/cases.db [--fault SPEC [--fault-times N]]`
//! Faults can also be switched at run time: `PUT /admin/fault {"spec": "status:503", "times": 3}`.
//! `--tls-cert PEM --tls-key PEM [--client-ca PEM]` serves HTTPS, with `--client-ca` requiring a
//! client certificate signed by that CA (mutual TLS, as the office's case system does).

use clap::Parser;
use legal_kiosk::caseserver::{self, Fault, TlsSettings};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "case-server",
    version,
    about = "Reference case system with fault injection"
)]
struct Args {
    /// Address to listen on (loopback only in tests and demos).
    #[arg(long, default_value = "127.0.0.1:8480")]
    listen: SocketAddr,
    /// SQLite file where received submissions are stored.
    #[arg(long)]
    db: PathBuf,
    /// Fault to inject from the start, e.g. `status:503`, `retry-after:429:2`, `latency:2000`,
    /// `drop-after-commit`, `drop-before-commit`, `slow-read:200`, `reject:422`.
    #[arg(long, value_parser = Fault::parse)]
    fault: Option<Fault>,
    /// Apply the fault to this many submission requests only.
    #[arg(long, requires = "fault")]
    fault_times: Option<u32>,
    /// Serve HTTPS with this PEM certificate chain (leaf first).
    #[arg(long, requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key of `--tls-cert`.
    #[arg(long, requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Require client certificates signed by the CA in this PEM file (mutual TLS).
    #[arg(long, requires = "tls_cert")]
    client_ca: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    legal_kiosk::logging::init(legal_kiosk::logging::LogFormat::Text);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let fault = args.fault.map(|f| (f, args.fault_times));
        let tls = match (args.tls_cert, args.tls_key) {
            (Some(cert), Some(key)) => Some(TlsSettings {
                cert,
                key,
                client_ca: args.client_ca,
            }),
            _ => None,
        };
        let server = match caseserver::spawn_with(args.listen, &args.db, fault, tls).await {
            Ok(server) => server,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
        println!("listening on {}", server.base_url());
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(e) => {
                    eprintln!("error: cannot watch SIGTERM: {e}");
                    return ExitCode::FAILURE;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = terminate.recv() => {}
        }
        server.shutdown().await;
        ExitCode::SUCCESS
    })
}
