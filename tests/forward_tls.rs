//! The kiosk's HTTPS client against the reference case server over TLS, with certificates made
//! at test time: the office CA is the only root the kiosk trusts, the kiosk presents its client
//! certificate, and every other combination is refused as a retryable failure that stores
//! nothing. (Plain http to a non-loopback host is refused by config: unit test in
//! `src/forward/http.rs`.)

mod common;

use legal_kiosk::caseserver::{self, CaseServer, TlsSettings};
use legal_kiosk::config::CaseSystemSection;
use legal_kiosk::domain::SubmissionKind;
use legal_kiosk::forward::{
    CaseSystem, HttpCaseSystem, SubmitOutcome, WireSubmission, SUBMISSION_SCHEMA,
};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// A PEM certificate and its key, written to files.
struct Pem {
    cert: PathBuf,
    key: PathBuf,
}

/// Two certificate authorities: the office's, and a rogue one that issues certificates which
/// are valid in every respect except that the kiosk does not trust their issuer.
struct Pki {
    dir: TempDir,
    office_ca: PathBuf,
    rogue_ca: PathBuf,
    /// Office-signed server certificate for 127.0.0.1 and localhost.
    server: Pem,
    /// Rogue-signed server certificate for the same names.
    rogue_server: Pem,
    /// Office-signed client certificate of kiosk TEST-0001.
    kiosk: Pem,
    /// Rogue-signed client certificate claiming to be the same kiosk.
    rogue_kiosk: Pem,
}

fn new_ca(name: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::default();
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    CertifiedIssuer::self_signed(params, KeyPair::generate().expect("CA key")).expect("CA cert")
}

fn write(dir: &Path, name: &str, pem: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, pem).expect("write PEM");
    path
}

/// Issues a leaf certificate for `names` (DNS names or IP addresses) signed by `ca`.
fn issue(
    dir: &Path,
    ca: &CertifiedIssuer<'static, KeyPair>,
    file: &str,
    common_name: &str,
    names: &[&str],
    usage: ExtendedKeyUsagePurpose,
) -> Pem {
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let mut params = CertificateParams::new(names).expect("certificate names");
    params
        .distinguished_name
        .push(DnType::CommonName, common_name);
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![usage];
    let key = KeyPair::generate().expect("leaf key");
    let cert = params.signed_by(&key, ca).expect("leaf cert");
    Pem {
        cert: write(dir, &format!("{file}.pem"), &cert.pem()),
        key: write(dir, &format!("{file}.key"), &key.serialize_pem()),
    }
}

impl Pki {
    fn generate() -> Pki {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path();
        let office = new_ca("Notary Office Test CA");
        let rogue = new_ca("Rogue Test CA");
        let server_names = ["127.0.0.1", "localhost"];
        let server = ExtendedKeyUsagePurpose::ServerAuth;
        let client = ExtendedKeyUsagePurpose::ClientAuth;
        Pki {
            office_ca: write(path, "office-ca.pem", &office.pem()),
            rogue_ca: write(path, "rogue-ca.pem", &rogue.pem()),
            server: issue(
                path,
                &office,
                "server",
                "cases",
                &server_names,
                server.clone(),
            ),
            rogue_server: issue(path, &rogue, "rogue-server", "cases", &server_names, server),
            kiosk: issue(path, &office, "kiosk", "TEST-0001", &[], client.clone()),
            rogue_kiosk: issue(path, &rogue, "rogue-kiosk", "TEST-0001", &[], client),
            dir,
        }
    }

    /// Server settings with `server` as its certificate, requiring office-signed kiosks.
    fn server_settings(&self, server: &Pem) -> TlsSettings {
        TlsSettings {
            cert: server.cert.clone(),
            key: server.key.clone(),
            client_ca: Some(self.office_ca.clone()),
        }
    }
}

/// A kiosk's case-system section: `ca` pinned, `identity` presented if given.
fn kiosk_client(base_url: &str, ca: &Path, identity: Option<&Pem>) -> HttpCaseSystem {
    let section = CaseSystemSection {
        base_url: base_url.into(),
        ca_file: Some(ca.to_path_buf()),
        client_cert: identity.map(|pem| pem.cert.clone()),
        client_key: identity.map(|pem| pem.key.clone()),
        timeout_s: 5,
        ..CaseSystemSection::default()
    };
    HttpCaseSystem::new(&section).expect("https case system")
}

fn submission(receipt_number: &str) -> WireSubmission {
    WireSubmission {
        schema: SUBMISSION_SCHEMA.into(),
        kiosk_id: "TEST-0001".into(),
        kind: SubmissionKind::Rating,
        receipt_number: receipt_number.into(),
        submitted_at: "2025-01-01T00:00:00.000Z".into(),
        payload: serde_json::json!({"stars": 5}),
        attachments: Vec::new(),
    }
}

async fn start_server(pki: &Pki, server: &Pem) -> (CaseServer, TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let listen = "127.0.0.1:0".parse().expect("loopback address");
    let settings = pki.server_settings(server);
    let server = caseserver::spawn_with(listen, &dir.path().join("cases.db"), None, Some(settings))
        .await
        .expect("TLS case server starts");
    (server, dir)
}

fn assert_transient(outcome: &SubmitOutcome) -> &str {
    match outcome {
        SubmitOutcome::Transient { reason } => reason,
        other => panic!("expected a retryable transport failure, got {other:?}"),
    }
}

#[tokio::test]
async fn delivers_over_mutual_tls_with_the_office_ca_pinned() {
    let pki = Pki::generate();
    let (server, _db) = start_server(&pki, &pki.server).await;
    assert!(server.base_url().starts_with("https://127.0.0.1:"));
    let kiosk = kiosk_client(&server.base_url(), &pki.office_ca, Some(&pki.kiosk));

    let outcome = kiosk.submit("key-tls-1", &submission("R-TLS-1")).await;
    assert!(
        matches!(
            outcome,
            SubmitOutcome::Delivered {
                case_number: Some(_),
                ..
            }
        ),
        "{outcome:?}"
    );
    let stored = server.submissions().expect("server database");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].idempotency_key, "key-tls-1");
    assert_eq!(stored[0].receipt_number, "R-TLS-1");
    let status = kiosk.status("key-tls-1").await.expect("status over TLS");
    assert_eq!(status.map(|s| s.receipt_number).as_deref(), Some("R-TLS-1"));
    server.shutdown().await;
}

#[tokio::test]
async fn server_refuses_kiosks_without_an_office_client_certificate() {
    let pki = Pki::generate();
    let (server, _db) = start_server(&pki, &pki.server).await;
    let anonymous = kiosk_client(&server.base_url(), &pki.office_ca, None);
    let impostor = kiosk_client(&server.base_url(), &pki.office_ca, Some(&pki.rogue_kiosk));

    for (who, kiosk) in [("no certificate", anonymous), ("rogue-signed", impostor)] {
        let outcome = kiosk.submit("key-refused", &submission("R-REFUSED")).await;
        let reason = assert_transient(&outcome);
        assert!(reason.starts_with("request failed"), "{who}: {reason}");
        assert!(
            kiosk.status("key-refused").await.is_err(),
            "{who}: status query must fail too"
        );
    }
    assert!(server.submissions().expect("server database").is_empty());
    assert_eq!(server.stats().expect("server stats").conflicts, 0);
    server.shutdown().await;
}

#[tokio::test]
async fn kiosk_refuses_a_server_certified_by_another_ca() {
    let pki = Pki::generate();
    let (server, _db) = start_server(&pki, &pki.rogue_server).await;
    let kiosk = kiosk_client(&server.base_url(), &pki.office_ca, Some(&pki.kiosk));

    let outcome = kiosk.submit("key-rogue", &submission("R-ROGUE")).await;
    let reason = assert_transient(&outcome);
    assert!(reason.contains("UnknownIssuer"), "{reason}");
    assert!(server.submissions().expect("server database").is_empty());

    // The same certificate is otherwise valid: pinning its own CA makes it work, so the refusal
    // above is the pinning and nothing else.
    let trusting = kiosk_client(&server.base_url(), &pki.rogue_ca, Some(&pki.kiosk));
    let outcome = trusting.submit("key-rogue", &submission("R-ROGUE")).await;
    assert!(
        matches!(outcome, SubmitOutcome::Delivered { .. }),
        "{outcome:?}"
    );
    server.shutdown().await;
}

/// The `case-server` binary with `--tls-cert --tls-key --client-ca`, stopped on drop.
struct TlsServerProcess(Child);

impl Drop for TlsServerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_server_process(pki: &Pki) -> (TlsServerProcess, String) {
    let port = common::free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_case-server"))
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .arg("--db")
        .arg(pki.dir.path().join("cases.db"))
        .arg("--tls-cert")
        .arg(&pki.server.cert)
        .arg("--tls-key")
        .arg(&pki.server.key)
        .arg("--client-ca")
        .arg(&pki.office_ca)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("case-server starts");
    let process = TlsServerProcess(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "case-server did not listen");
        std::thread::sleep(Duration::from_millis(20));
    }
    (process, format!("https://localhost:{port}"))
}

#[tokio::test]
async fn case_server_binary_serves_mutual_tls() {
    let pki = Pki::generate();
    let (_server, base_url) = start_server_process(&pki);
    let kiosk = kiosk_client(&base_url, &pki.office_ca, Some(&pki.kiosk));
    let outcome = kiosk.submit("key-bin-1", &submission("R-BIN-1")).await;
    assert!(
        matches!(outcome, SubmitOutcome::Delivered { .. }),
        "{outcome:?}"
    );
    let status = kiosk.status("key-bin-1").await.expect("status over TLS");
    assert_eq!(status.map(|s| s.receipt_number).as_deref(), Some("R-BIN-1"));

    let anonymous = kiosk_client(&base_url, &pki.office_ca, None);
    let outcome = anonymous.submit("key-bin-2", &submission("R-BIN-2")).await;
    assert_transient(&outcome);
    assert!(kiosk.status("key-bin-2").await.expect("status").is_none());
}
