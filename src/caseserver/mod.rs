//! Reference case server: the case-system protocol of `docs/case-system-api.md`, with fault injection.
//!
//! It stores what it receives in its own SQLite file, deduplicates by idempotency key, answers
//! status queries and misbehaves on demand (see [`Fault`]). Run it as the `case-server` binary
//! or in-process with [`spawn`] (the demo and the soak do).

mod db;
mod faults;
mod routes;

pub use db::{Stats, StoredSubmission};
pub use faults::{Fault, FaultRequest};

use db::ServerDb;
use faults::FaultSwitch;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};
use tokio::task::JoinSet;

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
}

/// Shared by all requests.
pub(crate) struct ServerState {
    db: ServerDb,
    faults: FaultSwitch,
}

/// A running case server.
pub struct CaseServer {
    addr: SocketAddr,
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
        format!("http://{}", self.addr)
    }

    /// Sets (or with `None` clears) the injected fault; `times` limits it to that many requests.
    pub fn set_fault(&self, fault: Option<Fault>, times: Option<u32>) {
        self.state.faults.set(fault.map(|f| (f, times)));
    }

    pub fn stats(&self) -> rusqlite::Result<Stats> {
        self.state.db.stats()
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

/// Starts a case server on `listen` storing into `db`, with `fault` active from the start.
pub async fn spawn(
    listen: SocketAddr,
    db: &Path,
    fault: Option<(Fault, Option<u32>)>,
) -> Result<CaseServer, CaseServerError> {
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
    let state = Arc::new(ServerState { db, faults });
    let (stop, stopped) = watch::channel(false);
    let task = tokio::spawn(accept_loop(listener, state.clone(), stopped));
    tracing::info!(%addr, "case server listening");
    Ok(CaseServer {
        addr,
        state,
        stop,
        task,
    })
}

/// Serves each connection with its own "drop me" switch, so a handler can cut the connection
/// without answering (the `drop-*` faults), which axum alone cannot do.
async fn accept_loop(
    listener: TcpListener,
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
        connections.spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = connection => {}
                _ = drop_switch.notified() => {}
            }
        });
    }
    connections.shutdown().await;
}
