//! The HTTP(S) case system: office CA pinned as the only trusted root, per-kiosk client
//! certificate (mutual TLS), plain HTTP only to loopback.
//!
//! Something else may stand between the kiosk and the office: a proxy, a WAF, an SSO
//! gateway, a maintenance page. None of them may count as delivery, because delivery purges
//! the citizen's data: redirects are never followed, and a 2xx counts only when its body is
//! the case system's acknowledgement (see [`classify`]).

use super::upload::{unless_stalled, Progress, ProgressBody, Silence};
use super::{CaseSystem, ErrorBody, ForwardError, SubmissionResult, SubmitOutcome, WireSubmission};
use crate::config::CaseSystemSection;
use reqwest::{header, StatusCode, Url};
use serde::Deserialize;
use std::net::IpAddr;
use std::time::Duration;

/// Answers longer than this are not the case system's small JSON documents; reading stops
/// there so a gateway streaming a page (or garbage) cannot hold memory or the relay.
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// `Retry-After` values beyond this are treated as this, so a bogus header cannot stall the
/// outbox for days.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

#[derive(Debug, Clone)]
pub struct HttpCaseSystem {
    client: reqwest::Client,
    base: Url,
    /// How long a request may go without progress: no byte of the upload taken, or no
    /// answer after the last byte (`timeout_s`).
    silence: Duration,
}

impl HttpCaseSystem {
    pub fn new(section: &CaseSystemSection) -> Result<HttpCaseSystem, ForwardError> {
        let config = |m: String| ForwardError::Config(m);
        let mut base = Url::parse(&section.base_url)
            .map_err(|e| config(format!("base_url `{}`: {e}", section.base_url)))?;
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let timeout = Duration::from_secs(u64::from(section.timeout_s.max(1)));
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .tls_built_in_root_certs(false)
            .https_only(false)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .pool_idle_timeout(Duration::from_secs(30))
            .user_agent(concat!("legal-kiosk/", env!("CARGO_PKG_VERSION")));
        match base.scheme() {
            "http" if is_loopback(&base) => {}
            "http" => {
                return Err(config(
                    "plain http is allowed only to loopback; use https:// with the office CA"
                        .into(),
                ))
            }
            "https" => {
                let ca_file = section.ca_file.as_ref().ok_or_else(|| {
                    config("https needs ca_file: the office CA is the only trusted root".into())
                })?;
                let pem = read(ca_file)?;
                let ca = reqwest::Certificate::from_pem(&pem)
                    .map_err(|e| config(format!("ca_file {}: {e}", ca_file.display())))?;
                builder = builder.add_root_certificate(ca).https_only(true);
                match (&section.client_cert, &section.client_key) {
                    (Some(cert), Some(key)) => {
                        let mut pem = read(cert)?;
                        pem.push(b'\n');
                        pem.extend(read(key)?);
                        let identity = reqwest::Identity::from_pem(&pem).map_err(|e| {
                            config(format!("client_cert/client_key {}: {e}", cert.display()))
                        })?;
                        builder = builder.identity(identity);
                    }
                    (None, None) => {}
                    _ => {
                        return Err(config(
                            "client_cert and client_key must be given together".into(),
                        ))
                    }
                }
            }
            other => return Err(config(format!("unsupported scheme {other}"))),
        }
        let client = builder
            .build()
            .map_err(|e| config(format!("cannot build the HTTP client: {e}")))?;
        Ok(HttpCaseSystem {
            client,
            base,
            silence: timeout,
        })
    }

    fn url(&self, path: &str) -> Result<Url, ForwardError> {
        self.base
            .join(path)
            .map_err(|e| ForwardError::Config(format!("bad URL {path}: {e}")))
    }
}

fn read(path: &std::path::Path) -> Result<Vec<u8>, ForwardError> {
    std::fs::read(path).map_err(|e| ForwardError::Config(format!("{}: {e}", path.display())))
}

fn is_loopback(url: &Url) -> bool {
    match url.host_str() {
        Some("localhost") => true,
        Some(host) => host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback()),
        None => false,
    }
}

/// `Retry-After` as delay-seconds or an HTTP date.
fn retry_after(headers: &header::HeaderMap) -> Option<Duration> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    let delay = match value.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => {
            let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
            (at.with_timezone(&chrono::Utc) - chrono::Utc::now())
                .to_std()
                .unwrap_or(Duration::ZERO)
        }
    };
    Some(delay.min(MAX_RETRY_AFTER))
}

impl CaseSystem for HttpCaseSystem {
    async fn submit(&self, idempotency_key: &str, submission: &WireSubmission) -> SubmitOutcome {
        let transient = |reason: String| SubmitOutcome::Transient { reason };
        let url = match self.url("v1/submissions") {
            Ok(url) => url,
            Err(e) => return transient(e.to_string()),
        };
        let body = match serde_json::to_vec(submission) {
            Ok(body) => body,
            Err(e) => return transient(format!("cannot serialise the submission: {e}")),
        };
        let total = body.len();
        let progress = Progress::new();
        let request = self
            .client
            .post(url)
            .header("Idempotency-Key", idempotency_key)
            .header(header::CONTENT_TYPE, "application/json")
            .body(reqwest::Body::wrap(ProgressBody::new(
                body,
                progress.clone(),
            )))
            .send();
        let silence = Silence::for_upload(self.silence, total);
        let response = match unless_stalled(request, &progress, total, silence).await {
            Ok(Ok(response)) => response,
            Ok(Err(e)) => return transient(format!("request failed: {}", error_chain(&e))),
            Err(idle) => {
                return transient(format!(
                    "no progress for {} s after {} of {total} bytes sent",
                    idle.as_secs(),
                    progress.sent()
                ))
            }
        };
        let answer = match self.read_answer(response).await {
            Ok(answer) => answer,
            // The answer was cut off: we cannot know the outcome, so ask again with the same key.
            Err(reason) => return transient(reason),
        };
        classify(&answer, idempotency_key, &submission.receipt_number)
    }

    async fn status(
        &self,
        idempotency_key: &str,
    ) -> Result<Option<SubmissionResult>, ForwardError> {
        let url = self.url(&format!("v1/submissions/{idempotency_key}"))?;
        let answer = self.get(url).await?;
        match answer.status {
            StatusCode::NOT_FOUND => Ok(None),
            s if s.is_success() => serde_json::from_str(&answer.body)
                .map(Some)
                .map_err(|_| ForwardError::Request(not_an_acknowledgement(&answer))),
            s => Err(ForwardError::Status {
                status: s.as_u16(),
                reason: describe(&answer),
            }),
        }
    }
}

impl HttpCaseSystem {
    /// A GET answered in full within the silence limit.
    async fn get(&self, url: Url) -> Result<Answer, ForwardError> {
        let response = self
            .client
            .get(url)
            .timeout(self.silence)
            .send()
            .await
            .map_err(|e| ForwardError::Request(error_chain(&e)))?;
        self.read_answer(response)
            .await
            .map_err(ForwardError::Request)
    }

    /// The office's free appointment times for `matter` from `from` for `days` days
    /// (`GET /v1/slots`); anything but the case system's slots document is an error.
    pub async fn slots(
        &self,
        matter: &str,
        from: chrono::NaiveDate,
        days: u32,
    ) -> Result<Vec<crate::core::notary::appointment::Slot>, ForwardError> {
        let mut url = self.url("v1/slots")?;
        url.query_pairs_mut()
            .append_pair("matter", matter)
            .append_pair("from", &from.format("%Y-%m-%d").to_string())
            .append_pair("days", &days.to_string());
        let answer = self.get(url).await?;
        if !answer.status.is_success() {
            return Err(ForwardError::Status {
                status: answer.status.as_u16(),
                reason: describe(&answer),
            });
        }
        super::parse_slots(&answer.body, matter).map_err(|reason| {
            ForwardError::Request(format!(
                "HTTP {} ({}): {reason}",
                answer.status.as_u16(),
                answer.content_type.as_deref().unwrap_or("no content type")
            ))
        })
    }
}

/// What came back, read in full (up to [`MAX_ANSWER_BYTES`]).
#[derive(Debug, Clone)]
struct Answer {
    status: StatusCode,
    retry_after: Option<Duration>,
    location: Option<String>,
    content_type: Option<String>,
    body: String,
}

impl HttpCaseSystem {
    /// Reads the answer, each chunk within the silence limit; `Err` says why it is unusable.
    async fn read_answer(&self, mut response: reqwest::Response) -> Result<Answer, String> {
        let status = response.status();
        let header_text = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let location = header_text(header::LOCATION);
        let content_type = header_text(header::CONTENT_TYPE);
        let retry_after = retry_after(response.headers());
        let mut body = Vec::new();
        loop {
            let chunk = tokio::time::timeout(self.silence, response.chunk()).await;
            match chunk {
                Ok(Ok(Some(bytes))) => {
                    body.extend_from_slice(&bytes);
                    if body.len() > MAX_ANSWER_BYTES {
                        return Err(format!(
                            "HTTP {status}: answer longer than {} KiB; not the case system's",
                            MAX_ANSWER_BYTES / 1024
                        ));
                    }
                }
                Ok(Ok(None)) => break,
                Ok(Err(e)) => {
                    return Err(format!(
                        "HTTP {status}, answer cut off: {}",
                        error_chain(&e)
                    ))
                }
                Err(_) => {
                    return Err(format!(
                        "HTTP {status}, answer stalled for {} s",
                        self.silence.as_secs()
                    ))
                }
            }
        }
        Ok(Answer {
            status,
            retry_after,
            location,
            content_type,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }
}

/// The part of a success answer the kiosk relies on. `status` is required: it is what tells
/// the case system's acknowledgement from a gateway's page that also says 200. The key and
/// receipt number, when the answer carries them, must be this submission's.
#[derive(Debug, Deserialize)]
struct Acknowledgement {
    status: String,
    #[serde(default)]
    case_number: Option<String>,
    #[serde(default)]
    idempotency_key: Option<String>,
    #[serde(default)]
    receipt_number: Option<String>,
}

/// Maps an HTTP answer to what the relay does with the entry.
fn classify(answer: &Answer, idempotency_key: &str, receipt_number: &str) -> SubmitOutcome {
    let code = answer.status.as_u16();
    let transient = |reason: String| SubmitOutcome::Transient { reason };
    if answer.status.is_success() {
        // An object, not whatever serde would also read into the struct (an array).
        let Some(ack) = serde_json::from_str::<serde_json::Value>(&answer.body)
            .ok()
            .filter(serde_json::Value::is_object)
            .and_then(|value| serde_json::from_value::<Acknowledgement>(value).ok())
            .filter(|ack| !ack.status.trim().is_empty())
        else {
            return transient(not_an_acknowledgement(answer));
        };
        let other =
            |field: &Option<String>, ours: &str| field.as_deref().is_some_and(|v| v != ours);
        if other(&ack.idempotency_key, idempotency_key)
            || other(&ack.receipt_number, receipt_number)
        {
            return transient(format!(
                "HTTP {code}: the acknowledgement is for another submission; kept and sent again"
            ));
        }
        return SubmitOutcome::Delivered {
            case_number: ack.case_number.filter(|c| !c.trim().is_empty()),
            status: Some(ack.status),
        };
    }
    if answer.status.is_redirection() {
        return transient(format!(
            "HTTP {code}: redirected to {}; a gateway or login page stands in front of the \
             case system (check base_url); kept and sent again",
            answer.location.as_deref().unwrap_or("(no Location)")
        ));
    }
    match code {
        400 | 413 | 422 => SubmitOutcome::Rejected {
            status: code,
            reason: describe(answer),
        },
        409 => SubmitOutcome::Conflict {
            reason: describe(answer),
        },
        429 | 503 if answer.retry_after.is_some() => SubmitOutcome::RetryAfter {
            delay: answer.retry_after.unwrap_or_default(),
            reason: format!("HTTP {code}: {}", describe(answer)),
        },
        // Other 4xx are configuration problems (certificate, URL) that staff fix; the entry
        // must still be delivered afterwards, so they are retried like 5xx.
        _ => transient(format!("HTTP {code}: {}", describe(answer))),
    }
}

/// Staff's explanation of a 2xx that is not the case system's answer.
fn not_an_acknowledgement(answer: &Answer) -> String {
    format!(
        "HTTP {} ({}) but not the case system's acknowledgement: {}; something between the \
         kiosk and the office answered; kept and sent again",
        answer.status.as_u16(),
        answer.content_type.as_deref().unwrap_or("no content type"),
        describe(answer)
    )
}

/// The server's reason from an [`ErrorBody`], or the start of whatever it sent instead.
fn describe(answer: &Answer) -> String {
    match serde_json::from_str::<ErrorBody>(&answer.body) {
        Ok(error) => format!("{}: {}", error.error, error.reason),
        Err(_) => {
            let text: String = answer.body.split_whitespace().collect::<Vec<_>>().join(" ");
            match text.chars().count() {
                0 => "(empty body)".into(),
                n if n > 200 => format!("{}…", text.chars().take(200).collect::<String>()),
                _ => text,
            }
        }
    }
}

/// `e` with its sources, so "error sending request" says why (refused, reset, timed out).
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(url: &str) -> CaseSystemSection {
        CaseSystemSection {
            base_url: url.into(),
            ..CaseSystemSection::default()
        }
    }

    #[test]
    fn plain_http_only_to_loopback() {
        assert!(HttpCaseSystem::new(&section("http://127.0.0.1:8480")).is_ok());
        assert!(HttpCaseSystem::new(&section("http://[::1]:8480/case")).is_ok());
        assert!(matches!(
            HttpCaseSystem::new(&section("http://10.0.0.5:8480")),
            Err(ForwardError::Config(_))
        ));
    }

    #[test]
    fn https_without_the_office_ca_is_refused() {
        let error = HttpCaseSystem::new(&section("https://cases.example.org")).unwrap_err();
        assert!(error.to_string().contains("ca_file"), "{error}");
    }

    fn answer(code: u16, body: &str) -> Answer {
        Answer {
            status: StatusCode::from_u16(code).unwrap(),
            retry_after: None,
            location: None,
            content_type: Some("application/json".into()),
            body: body.into(),
        }
    }

    fn outcome(code: u16, body: &str) -> SubmitOutcome {
        classify(&answer(code, body), "key-1", "GZ-1")
    }

    #[test]
    fn the_full_and_the_minimal_acknowledgement_are_both_delivery_with_the_case_number() {
        let full = r#"{"idempotency_key":"key-1","receipt_number":"GZ-1","case_number":"C-9","status":"received","received_at":"t"}"#;
        let minimal = r#"{"case_number":"C-9","status":"received"}"#;
        for body in [full, minimal] {
            assert_eq!(
                outcome(201, body),
                SubmitOutcome::Delivered {
                    case_number: Some("C-9".into()),
                    status: Some("received".into())
                },
                "{body}"
            );
        }
        assert_eq!(
            outcome(200, r#"{"status":"received"}"#),
            SubmitOutcome::Delivered {
                case_number: None,
                status: Some("received".into())
            }
        );
    }

    #[test]
    fn a_success_code_without_the_acknowledgement_is_not_delivery() {
        let login = "<!DOCTYPE html><html><head><title>统一身份认证 登录</title></head></html>";
        for body in [
            login,
            "",
            "{}",
            r#"{"status":""}"#,
            r#"{"ok":true,"message":"maintenance"}"#,
            r#"["received"]"#,
            // Someone else's acknowledgement (a caching proxy answering from its cache).
            r#"{"idempotency_key":"key-2","status":"received"}"#,
            r#"{"receipt_number":"GZ-2","status":"received"}"#,
        ] {
            assert!(
                matches!(outcome(200, body), SubmitOutcome::Transient { .. }),
                "{body}"
            );
        }
        let SubmitOutcome::Transient { reason } = outcome(200, login) else {
            unreachable!()
        };
        assert!(
            reason.contains("not the case system's acknowledgement"),
            "{reason}"
        );
        assert!(reason.contains("统一身份认证"), "{reason}");
    }

    #[test]
    fn a_redirect_is_never_delivery_and_names_where_it_pointed() {
        for code in [301, 302, 303, 307, 308] {
            let mut redirect = answer(code, "");
            redirect.location = Some("https://sso.example.org/login".into());
            let SubmitOutcome::Transient { reason } = classify(&redirect, "key-1", "GZ-1") else {
                panic!("HTTP {code} must be retried, not delivered or parked");
            };
            assert!(reason.contains("sso.example.org/login"), "{reason}");
        }
    }

    #[test]
    fn refusals_conflicts_and_busy_answers_map_to_their_outcomes() {
        let rejected = r#"{"error":"invalid_body","reason":"missing applicant"}"#;
        assert_eq!(
            outcome(422, rejected),
            SubmitOutcome::Rejected {
                status: 422,
                reason: "invalid_body: missing applicant".into()
            }
        );
        assert!(matches!(outcome(409, "{}"), SubmitOutcome::Conflict { .. }));
        let mut busy = answer(429, "");
        busy.retry_after = Some(Duration::from_secs(7));
        assert!(matches!(
            classify(&busy, "key-1", "GZ-1"),
            SubmitOutcome::RetryAfter { delay, .. } if delay == Duration::from_secs(7)
        ));
        assert!(matches!(outcome(503, ""), SubmitOutcome::Transient { .. }));
        assert!(matches!(outcome(502, ""), SubmitOutcome::Transient { .. }));
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = header::HeaderMap::new();
        headers.insert(header::RETRY_AFTER, "120".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(120)));
        headers.insert(header::RETRY_AFTER, "999999".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(MAX_RETRY_AFTER));
        let soon = (chrono::Utc::now() + chrono::Duration::seconds(60)).to_rfc2822();
        headers.insert(header::RETRY_AFTER, soon.parse().unwrap());
        let delay = retry_after(&headers).unwrap();
        assert!(delay > Duration::from_secs(50) && delay <= Duration::from_secs(60));
        headers.insert(header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }
}
