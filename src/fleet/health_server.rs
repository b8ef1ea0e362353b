//! The local health endpoint on loopback:
//! - `GET /healthz`: 200 with the state message when every heartbeat is fresh, 503 otherwise;
//! - `GET /session`: 204 when no citizen session is active, 409 while one is (the image
//!   updater never updates mid-session);
//! - `GET /metrics`: the same numbers as Prometheus text.

use super::telemetry::{prometheus_text, KioskStatus};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use tokio::net::TcpListener;

pub fn router(status: KioskStatus) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/session", get(session))
        .route("/metrics", get(metrics))
        .with_state(status)
}

/// Serves until the task is dropped; the listener decides the address (tests bind port 0).
pub async fn serve(listener: TcpListener, status: KioskStatus) -> std::io::Result<()> {
    axum::serve(listener, router(status)).await
}

async fn healthz(State(status): State<KioskStatus>) -> impl IntoResponse {
    let state = status.state_message();
    let code = if state.healthy {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, Json(state))
}

async fn session(State(status): State<KioskStatus>) -> StatusCode {
    if status.gate.is_active() {
        StatusCode::CONFLICT
    } else {
        StatusCode::NO_CONTENT
    }
}

async fn metrics(State(status): State<KioskStatus>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        prometheus_text(&status.state_message()),
    )
}
