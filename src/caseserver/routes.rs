//! The HTTP routes of the case server.

use super::db::Recorded;
use super::faults::{Fault, FaultRequest};
use super::ServerState;
use crate::domain::{AttachmentRole, SubmissionKind};
use crate::forward::{ErrorBody, WireSubmission, SUBMISSION_SCHEMA};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Extension, Json, Router};
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use tokio::sync::Notify;

/// Bodies larger than this are refused with 413.
const MAX_BODY: usize = 64 * 1024 * 1024;

/// Cuts the current connection without an answer.
#[derive(Clone)]
pub(super) struct DropConnection(pub Arc<Notify>);

impl DropConnection {
    async fn now(&self) -> Response {
        self.0.notify_one();
        std::future::pending().await
    }
}

pub(super) fn router(state: Arc<ServerState>) -> Router {
    Router::new()
        .route("/v1/submissions", post(submit))
        .route("/v1/submissions/{key}", get(status))
        .route("/v1/slots", get(super::slots::slots))
        .route("/admin/fault", put(set_fault).delete(clear_fault))
        .route("/admin/stats", get(stats))
        .route("/admin/submissions", get(submissions))
        .with_state(state)
}

fn error(status: StatusCode, code: &str, reason: impl Into<String>) -> Response {
    let body = ErrorBody {
        error: code.into(),
        reason: reason.into(),
    };
    (status, Json(body)).into_response()
}

pub(super) fn internal(e: impl std::fmt::Display) -> Response {
    error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
}

/// Reads the body, pausing `delay` per 16 KiB when the slow-read fault is on.
async fn read_body(body: Body, delay: Option<std::time::Duration>) -> Result<Vec<u8>, Response> {
    let mut body = body;
    let mut data = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| error(StatusCode::BAD_REQUEST, "body", e.to_string()))?;
        let before = data.len();
        if let Ok(chunk) = frame.into_data() {
            data.extend_from_slice(&chunk);
            if data.len() > MAX_BODY {
                return Err(error(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too_large",
                    "body over 64 MiB",
                ));
            }
        }
        if let Some(delay) = delay {
            // Per 16 KiB, whatever frame sizes the transport delivers.
            let units = (data.len() - before).div_ceil(16 * 1024).max(1) as u32;
            tokio::time::sleep(delay * units).await;
        }
    }
    Ok(data)
}

/// Parses and checks a body; the error is the code and reason sent back with 422
/// (`invalid_body`; for a notary application's parties `party_missing`, `party_invalid` or
/// `role_not_allowed`).
fn validate(
    state: &ServerState,
    body: &[u8],
) -> Result<(WireSubmission, String), (&'static str, String)> {
    let invalid = |reason: String| ("invalid_body", reason);
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| invalid(format!("body is not JSON: {e}")))?;
    // Re-serialised from the parsed value (sorted keys), so the hash ignores formatting.
    let canonical = serde_json::to_vec(&value).map_err(|e| invalid(e.to_string()))?;
    let submission: WireSubmission = serde_json::from_value(value)
        .map_err(|e| invalid(format!("body does not match the schema: {e}")))?;
    if submission.schema != SUBMISSION_SCHEMA {
        return Err(invalid(format!(
            "unsupported schema `{}`",
            submission.schema
        )));
    }
    for attachment in &submission.attachments {
        attachment.decode().map_err(invalid)?;
    }
    if let Some(catalogue) = &state.catalogue {
        let today = chrono::Local::now().date_naive();
        super::parties::check(catalogue, &submission.payload, today)
            .map_err(|refusal| (refusal.code, refusal.reason))?;
    }
    Ok((submission, hex::encode(Sha256::digest(&canonical))))
}

/// A notary application is signed (公证程序规则 art. 17): exactly one `signature`
/// attachment whose bytes hash to `payload.signature.sha256`. The error is (code, reason).
fn check_signature(submission: &WireSubmission) -> Result<(), (&'static str, String)> {
    if submission.kind != SubmissionKind::NotaryApplication {
        return Ok(());
    }
    let missing = |reason: &str| ("signature_missing", reason.to_string());
    let expected = submission.payload["signature"]["sha256"]
        .as_str()
        .ok_or_else(|| missing("payload.signature.sha256 is missing"))?;
    let mut signatures = submission
        .attachments
        .iter()
        .filter(|a| a.role == AttachmentRole::Signature);
    let attachment = signatures
        .next()
        .ok_or_else(|| missing("no attachment with role `signature`"))?;
    if signatures.next().is_some() {
        return Err((
            "signature_mismatch",
            "more than one attachment with role `signature`".into(),
        ));
    }
    let data = attachment.decode().map_err(|e| ("signature_mismatch", e))?;
    if hex::encode(Sha256::digest(&data)) != expected {
        return Err((
            "signature_mismatch",
            format!(
                "attachment {}: its SHA-256 is not payload.signature.sha256",
                attachment.position
            ),
        ));
    }
    Ok(())
}

async fn submit(
    State(state): State<Arc<ServerState>>,
    Extension(drop_connection): Extension<DropConnection>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let key = headers
        .get("Idempotency-Key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 255)
        .map(str::to_owned);
    let fault = state.faults.take();
    let log = |outcome: &str| {
        if let Err(e) = state.db.log_request(key.as_deref(), outcome) {
            tracing::error!(error = %e, "cannot log request");
        }
    };
    let slow = match fault {
        Some(Fault::SlowRead(delay)) => Some(delay),
        _ => None,
    };
    let body = match read_body(body, slow).await {
        Ok(body) => body,
        Err(response) => {
            log("aborted");
            return response;
        }
    };
    let Some(key) = key.clone() else {
        log("rejected");
        return error(
            StatusCode::BAD_REQUEST,
            "missing_key",
            "the Idempotency-Key header is required",
        );
    };
    match fault {
        Some(Fault::DropBeforeCommit) => {
            log("fault:drop-before-commit");
            return drop_connection.now().await;
        }
        Some(Fault::Status(code)) => {
            log("fault:status");
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return error(status, "injected", format!("injected fault: HTTP {code}"));
        }
        Some(Fault::RetryAfter { status, seconds }) => {
            log("fault:retry-after");
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            let mut response = error(status, "busy", "the case system is busy; retry later");
            response
                .headers_mut()
                .insert("Retry-After", HeaderValue::from(seconds));
            return response;
        }
        Some(Fault::Reject(code)) => {
            log("rejected");
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            return error(
                status,
                "rejected",
                "injected rejection: the office refuses this submission",
            );
        }
        _ => {}
    }
    let (submission, hash) = match validate(&state, &body) {
        Ok(valid) => valid,
        Err((code, reason)) => {
            log("rejected");
            return error(StatusCode::UNPROCESSABLE_ENTITY, code, reason);
        }
    };
    if let Err((code, reason)) = check_signature(&submission) {
        log("rejected");
        return error(StatusCode::UNPROCESSABLE_ENTITY, code, reason);
    }
    let recorded = match state.db.record(&key, &hash, &submission, &body) {
        Ok(recorded) => recorded,
        Err(e) => return internal(e),
    };
    let response = match recorded {
        Recorded::New(result) => {
            log("created");
            (StatusCode::CREATED, Json(result)).into_response()
        }
        Recorded::Replay(result) => {
            log("replayed");
            let mut response = (StatusCode::CREATED, Json(result)).into_response();
            response
                .headers_mut()
                .insert("Idempotent-Replayed", HeaderValue::from_static("true"));
            response
        }
        Recorded::Conflict => {
            log("conflict");
            return error(
                StatusCode::CONFLICT,
                "key_reused",
                "this Idempotency-Key was already used for a different submission",
            );
        }
    };
    match fault {
        Some(Fault::DropAfterCommit) => drop_connection.now().await,
        Some(Fault::Latency(delay)) => {
            tokio::time::sleep(delay).await;
            response
        }
        _ => response,
    }
}

async fn status(State(state): State<Arc<ServerState>>, Path(key): Path<String>) -> Response {
    match state.db.get(&key) {
        Ok(Some(result)) => Json(result).into_response(),
        Ok(None) => error(
            StatusCode::NOT_FOUND,
            "unknown_key",
            "no submission with this key",
        ),
        Err(e) => internal(e),
    }
}

async fn set_fault(
    State(state): State<Arc<ServerState>>,
    Json(request): Json<FaultRequest>,
) -> Response {
    match Fault::parse(&request.spec) {
        Ok(fault) => {
            state.faults.set(Some((fault, request.times)));
            StatusCode::NO_CONTENT.into_response()
        }
        Err(reason) => error(StatusCode::BAD_REQUEST, "bad_fault", reason),
    }
}

async fn clear_fault(State(state): State<Arc<ServerState>>) -> Response {
    state.faults.set(None);
    StatusCode::NO_CONTENT.into_response()
}

async fn stats(State(state): State<Arc<ServerState>>) -> Response {
    match state.db.stats() {
        Ok(stats) => Json(stats).into_response(),
        Err(e) => internal(e),
    }
}

async fn submissions(State(state): State<Arc<ServerState>>) -> Response {
    match state.db.submissions() {
        Ok(list) => Json(list).into_response(),
        Err(e) => internal(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::notary::signature::{Point, SignaturePad};
    use crate::domain::Attachment;
    use crate::store::DeliveryItem;

    fn wire(kind: SubmissionKind) -> WireSubmission {
        let mut pad = SignaturePad::default();
        let points: Vec<Point> = (0..=20)
            .map(|i| Point::from_fraction(0.1 + i as f32 * 0.04, 0.3 + (i % 2) as f32 * 0.4))
            .collect();
        pad.add_stroke(&points);
        let image = pad.render().unwrap();
        let item = DeliveryItem {
            outbox_id: 1,
            idempotency_key: "k".into(),
            kind,
            receipt_number: "GZ-20261122-0001".into(),
            created_at_ms: 0,
            attempts: 0,
            payload: serde_json::json!({"signature": {"sha256": image.sha256}}),
            attachments: vec![Attachment {
                role: AttachmentRole::Signature,
                label: "application_signature".into(),
                media_type: "image/png".into(),
                data: image.png,
            }],
        };
        WireSubmission::from_item("TEST-0001", &item)
    }

    #[test]
    fn a_notary_application_needs_a_signature_matching_its_hash() {
        let good = wire(SubmissionKind::NotaryApplication);
        assert_eq!(check_signature(&good), Ok(()));
        let mut mismatch = good.clone();
        mismatch.payload["signature"]["sha256"] = "00".repeat(32).into();
        assert_eq!(
            check_signature(&mismatch).unwrap_err().0,
            "signature_mismatch"
        );
        let mut missing = good.clone();
        missing.attachments.clear();
        assert_eq!(
            check_signature(&missing).unwrap_err().0,
            "signature_missing"
        );
        let mut unsigned = good;
        unsigned.payload["signature"] = serde_json::Value::Null;
        assert_eq!(
            check_signature(&unsigned).unwrap_err().0,
            "signature_missing"
        );
        // Other kinds are not signed.
        let mut rating = wire(SubmissionKind::Rating);
        rating.payload = serde_json::json!({});
        assert_eq!(check_signature(&rating), Ok(()));
    }
}
