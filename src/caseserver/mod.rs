//! Reference case server: the case-system protocol of `docs/case-system-api.md`, with fault injection.
//!
//! It stores what it receives in its own SQLite file, deduplicates by idempotency key, answers
//! status queries and misbehaves on demand (see [`Fault`]). Run it as the `case-server` binary
//! or in-process with [`spawn`] (the demo and the soak do), or over TLS, optionally requiring
//! client certificates, with [`spawn_with`].

mod db;
mod faults;
mod parties;
mod routes;
mod slots;
mod tls;

pub use db::{Stats, StoredSubmission};
pub use faults::{Fault, FaultRequest};
pub use tls::{TlsSettings, TlsSetupError};

use db::ServerDb;
use faults::FaultSwitch;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;

/// A client that connects and never finishes the handshake must not hold a task forever.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum CaseServerError {
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("case server database {path}: {source}")]
    Database {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("case server TLS: {0}")]
    Tls(#[from] TlsSetupError),
}

/// Shared by all requests.
pub(crate) struct ServerState {
    db: ServerDb,
    faults: FaultSwitch,
    /// The notary catalogue, parsed once: an application's parties are checked against it,
    /// and times are offered only for its matters.
    catalogue: Option<crate::core::notary::Catalogue>,
}

/// A running case server.
pub struct CaseServer {
    addr: SocketAddr,
    tls: bool,
    state: Arc<ServerState>,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl CaseServer {
    /// The address it listens on (useful with port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn base_url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    /// Sets (or with `None` clears) the injected fault; `times` limits it to that many requests.
    pub fn set_fault(&self, fault: Option<Fault>, times: Option<u32>) {
        self.state.faults.set(fault.map(|f| (f, times)));
    }

    pub fn stats(&self) -> rusqlite::Result<Stats> {
        self.state.db.stats()
    }

    /// The payload of the submission stored under `key`, as received.
    pub fn payload(&self, key: &str) -> rusqlite::Result<Option<serde_json::Value>> {
        let body = self.state.db.body(key)?;
        Ok(body
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .and_then(|mut v| v.get_mut("payload").map(serde_json::Value::take)))
    }

    pub fn submissions(&self) -> rusqlite::Result<Vec<StoredSubmission>> {
        self.state.db.submissions()
    }

    /// Stops listening and drops every open connection.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// Starts a plain-HTTP case server on `listen` storing into `db`, with `fault` active from the start.
pub async fn spawn(
    listen: SocketAddr,
    db: &Path,
    fault: Option<(Fault, Option<u32>)>,
) -> Result<CaseServer, CaseServerError> {
    spawn_with(listen, db, fault, None).await
}

/// Like [`spawn`], serving HTTPS when `tls` is given (and then, with a client CA, only to
/// clients presenting a certificate that CA signed).
pub async fn spawn_with(
    listen: SocketAddr,
    db: &Path,
    fault: Option<(Fault, Option<u32>)>,
    tls: Option<TlsSettings>,
) -> Result<CaseServer, CaseServerError> {
    let acceptor = tls.as_ref().map(tls::acceptor).transpose()?;
    let db = ServerDb::open(db).map_err(|source| CaseServerError::Database {
        path: db.display().to_string(),
        source,
    })?;
    let listener = TcpListener::bind(listen)
        .await
        .map_err(|source| CaseServerError::Listen {
            addr: listen,
            source,
        })?;
    let addr = listener
        .local_addr()
        .map_err(|source| CaseServerError::Listen {
            addr: listen,
            source,
        })?;
    let faults = FaultSwitch::default();
    faults.set(fault);
    let catalogue = crate::core::notary::Catalogue::shipped()
        .inspect_err(|error| tracing::error!(%error, "the shipped catalogue does not load; parties go unchecked"))
        .ok();
    let state = Arc::new(ServerState {
        db,
        faults,
        catalogue,
    });
    let (stop, stopped) = watch::channel(false);
    let tls = acceptor.is_some();
    let task = tokio::spawn(accept_loop(listener, acceptor, state.clone(), stopped));
    tracing::info!(%addr, tls, "case server listening");
    Ok(CaseServer {
        addr,
        tls,
        state,
        stop,
        task,
    })
}

/// Serves each connection with its own "drop me" switch, so a handler can cut the connection
/// without answering (the `drop-*` faults), which axum alone cannot do. With `acceptor`, each
/// connection first completes its TLS handshake in its own task, so a slow or refused client
/// never holds up the others.
async fn accept_loop(
    listener: TcpListener,
    acceptor: Option<TlsAcceptor>,
    state: Arc<ServerState>,
    mut stopped: watch::Receiver<bool>,
) {
    let router = routes::router(state);
    let mut connections = JoinSet::new();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stopped.changed() => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
        };
        let (stream, _) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                continue;
            }
        };
        let drop_switch = Arc::new(Notify::new());
        let service = TowerToHyperService::new(
            router
                .clone()
                .layer(axum::Extension(routes::DropConnection(drop_switch.clone()))),
        );
        let acceptor = acceptor.clone();
        connections.spawn(async move {
            let Some(acceptor) = acceptor else {
                return serve(stream, service, &drop_switch).await;
            };
            match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                Ok(Ok(stream)) => serve(stream, service, &drop_switch).await,
                // Expected when a client without a valid certificate tries; no personal data here.
                Ok(Err(e)) => tracing::warn!(error = %e, "TLS handshake refused"),
                Err(_) => tracing::warn!("TLS handshake timed out"),
            }
        });
    }
    connections.shutdown().await;
}

/// Serves HTTP/1.1 on one connection until it ends or a handler pulls `drop_switch`.
async fn serve<S>(stream: S, service: TowerToHyperService<axum::Router>, drop_switch: &Notify)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let connection =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = connection => {}
        _ = drop_switch.notified() => {}
    }
}
