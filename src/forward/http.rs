//! The HTTP(S) case system: office CA pinned as the only trusted root, per-kiosk client
//! certificate (mutual TLS), plain HTTP only to loopback.

use super::{CaseSystem, ErrorBody, ForwardError, SubmissionResult, SubmitOutcome, WireSubmission};
use crate::config::CaseSystemSection;
use reqwest::{header, StatusCode, Url};
use std::net::IpAddr;
use std::time::Duration;

/// `Retry-After` values beyond this are treated as this, so a bogus header cannot stall the
/// outbox for days.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

#[derive(Debug, Clone)]
pub struct HttpCaseSystem {
    client: reqwest::Client,
    base: Url,
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
            .timeout(timeout)
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
        Ok(HttpCaseSystem { client, base })
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

/// The server's reason from an [`ErrorBody`], or the raw text when it sent something else.
fn reason_of(body: &str) -> String {
    match serde_json::from_str::<ErrorBody>(body) {
        Ok(error) => format!("{}: {}", error.error, error.reason),
        Err(_) => body.chars().take(500).collect(),
    }
}

impl CaseSystem for HttpCaseSystem {
    async fn submit(&self, idempotency_key: &str, submission: &WireSubmission) -> SubmitOutcome {
        let url = match self.url("v1/submissions") {
            Ok(url) => url,
            Err(e) => {
                return SubmitOutcome::Transient {
                    reason: e.to_string(),
                }
            }
        };
        let response = self
            .client
            .post(url)
            .header("Idempotency-Key", idempotency_key)
            .json(submission)
            .send()
            .await;
        let response = match response {
            Ok(response) => response,
            Err(e) => {
                return SubmitOutcome::Transient {
                    reason: format!("request failed: {}", error_chain(&e)),
                }
            }
        };
        let status = response.status();
        let delay = retry_after(response.headers());
        let body = match response.text().await {
            Ok(body) => body,
            // The answer was cut off: we cannot know the outcome, so ask again with the same key.
            Err(e) => {
                return SubmitOutcome::Transient {
                    reason: format!("HTTP {status}, body cut off: {}", error_chain(&e)),
                }
            }
        };
        classify(status, delay, &body)
    }

    async fn status(
        &self,
        idempotency_key: &str,
    ) -> Result<Option<SubmissionResult>, ForwardError> {
        let url = self.url(&format!("v1/submissions/{idempotency_key}"))?;
        let response = self
            .client
            .get(url)
            .send()
            .await
            .map_err(|e| ForwardError::Request(error_chain(&e)))?;
        let status = response.status();
        let body = response
            .text()
            .await
            .map_err(|e| ForwardError::Request(error_chain(&e)))?;
        match status {
            StatusCode::NOT_FOUND => Ok(None),
            s if s.is_success() => serde_json::from_str(&body)
                .map(Some)
                .map_err(|e| ForwardError::Request(format!("unreadable status body: {e}"))),
            s => Err(ForwardError::Status {
                status: s.as_u16(),
                reason: reason_of(&body),
            }),
        }
    }
}

/// Maps an HTTP answer to what the relay does with the entry.
fn classify(status: StatusCode, retry_after: Option<Duration>, body: &str) -> SubmitOutcome {
    let code = status.as_u16();
    if status.is_success() {
        let result = serde_json::from_str::<SubmissionResult>(body).ok();
        return SubmitOutcome::Delivered {
            case_number: result.as_ref().and_then(|r| r.case_number.clone()),
            status: result.map(|r| r.status),
        };
    }
    match code {
        400 | 413 | 422 => SubmitOutcome::Rejected {
            status: code,
            reason: reason_of(body),
        },
        409 => SubmitOutcome::Conflict {
            reason: reason_of(body),
        },
        429 | 503 if retry_after.is_some() => SubmitOutcome::RetryAfter {
            delay: retry_after.unwrap_or_default(),
            reason: format!("HTTP {code}: {}", reason_of(body)),
        },
        // Other 4xx are configuration problems (certificate, URL) that staff fix; the entry
        // must still be delivered afterwards, so they are retried like 5xx.
        _ => SubmitOutcome::Transient {
            reason: format!("HTTP {code}: {}", reason_of(body)),
        },
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

    #[test]
    fn answers_map_to_outcomes() {
        let ok = r#"{"idempotency_key":"k","receipt_number":"GZ-1","case_number":"C-9","status":"received","received_at":"t"}"#;
        assert_eq!(
            classify(StatusCode::CREATED, None, ok),
            SubmitOutcome::Delivered {
                case_number: Some("C-9".into()),
                status: Some("received".into())
            }
        );
        let rejected = r#"{"error":"invalid_body","reason":"missing applicant"}"#;
        assert_eq!(
            classify(StatusCode::UNPROCESSABLE_ENTITY, None, rejected),
            SubmitOutcome::Rejected {
                status: 422,
                reason: "invalid_body: missing applicant".into()
            }
        );
        assert!(matches!(
            classify(StatusCode::CONFLICT, None, "{}"),
            SubmitOutcome::Conflict { .. }
        ));
        assert!(matches!(
            classify(StatusCode::TOO_MANY_REQUESTS, Some(Duration::from_secs(7)), ""),
            SubmitOutcome::RetryAfter { delay, .. } if delay == Duration::from_secs(7)
        ));
        assert!(matches!(
            classify(StatusCode::SERVICE_UNAVAILABLE, None, ""),
            SubmitOutcome::Transient { .. }
        ));
        assert!(matches!(
            classify(StatusCode::BAD_GATEWAY, None, ""),
            SubmitOutcome::Transient { .. }
        ));
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
