//! Faults the reference case server injects on demand, so tests and demos can show how the
//! kiosk copes with a misbehaving case system.

use serde::{Deserialize, Serialize};
use std::sync::Mutex;
use std::time::Duration;

/// One kind of misbehaviour, written as a short spec on the command line and in the admin API:
///
/// | spec | behaviour |
/// |---|---|
/// | `latency:MS` | stores the submission, then answers MS milliseconds late |
/// | `status:CODE` | answers CODE (e.g. 500, 502, 503) without storing |
/// | `retry-after:CODE:S` | answers CODE (429 or 503) with `Retry-After: S` without storing |
/// | `reject:CODE` | answers CODE (400 or 422) with a reason, without storing |
/// | `drop-before-commit` | reads the body, then drops the connection without storing |
/// | `drop-after-commit` | reads the body and stores it, then drops the connection unanswered |
/// | `slow-read:MS` | reads the body at 16 KiB per MS milliseconds |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Latency(Duration),
    Status(u16),
    RetryAfter { status: u16, seconds: u64 },
    Reject(u16),
    DropBeforeCommit,
    DropAfterCommit,
    SlowRead(Duration),
}

impl Fault {
    pub fn parse(spec: &str) -> Result<Fault, String> {
        let parts: Vec<&str> = spec.split(':').collect();
        let number = |text: &str| -> Result<u64, String> {
            text.parse()
                .map_err(|_| format!("`{text}` in fault `{spec}` is not a number"))
        };
        let status = |text: &str| -> Result<u16, String> {
            let code = number(text)?;
            u16::try_from(code)
                .ok()
                .filter(|c| (400..600).contains(c))
                .ok_or_else(|| format!("{code} is not an HTTP error status"))
        };
        match parts.as_slice() {
            ["latency", ms] => Ok(Fault::Latency(Duration::from_millis(number(ms)?))),
            ["status", code] => Ok(Fault::Status(status(code)?)),
            ["retry-after", code, seconds] => Ok(Fault::RetryAfter {
                status: status(code)?,
                seconds: number(seconds)?,
            }),
            ["reject", code] => Ok(Fault::Reject(status(code)?)),
            ["drop-before-commit"] => Ok(Fault::DropBeforeCommit),
            ["drop-after-commit"] => Ok(Fault::DropAfterCommit),
            ["slow-read", ms] => Ok(Fault::SlowRead(Duration::from_millis(number(ms)?))),
            _ => Err(format!(
                "unknown fault `{spec}` (latency:MS, status:CODE, retry-after:CODE:S, reject:CODE, \
                 drop-before-commit, drop-after-commit, slow-read:MS)"
            )),
        }
    }
}

/// `PUT /admin/fault` body.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRequest {
    pub spec: String,
    /// Apply to this many submission requests, then behave again; absent = until cleared.
    #[serde(default)]
    pub times: Option<u32>,
}

/// The active fault, shared by all connections.
#[derive(Debug, Default)]
pub struct FaultSwitch {
    active: Mutex<Option<(Fault, Option<u32>)>>,
}

impl FaultSwitch {
    pub fn set(&self, fault: Option<(Fault, Option<u32>)>) {
        *self.active.lock().unwrap_or_else(|p| p.into_inner()) = fault;
    }

    /// The fault for the next request, counting down `times`.
    pub fn take(&self) -> Option<Fault> {
        let mut active = self.active.lock().unwrap_or_else(|p| p.into_inner());
        let (fault, remaining) = (*active)?;
        match remaining {
            Some(0) => {
                *active = None;
                None
            }
            Some(n) => {
                *active = (n > 1).then_some((fault, Some(n - 1)));
                Some(fault)
            }
            None => Some(fault),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_and_bad_ones_are_named() {
        assert_eq!(
            Fault::parse("latency:250"),
            Ok(Fault::Latency(Duration::from_millis(250)))
        );
        assert_eq!(
            Fault::parse("retry-after:429:2"),
            Ok(Fault::RetryAfter {
                status: 429,
                seconds: 2
            })
        );
        assert_eq!(
            Fault::parse("drop-after-commit"),
            Ok(Fault::DropAfterCommit)
        );
        assert!(Fault::parse("status:200").unwrap_err().contains("200"));
        assert!(Fault::parse("explode")
            .unwrap_err()
            .contains("unknown fault"));
    }

    #[test]
    fn a_counted_fault_expires() {
        let switch = FaultSwitch::default();
        switch.set(Some((Fault::Status(503), Some(2))));
        assert_eq!(switch.take(), Some(Fault::Status(503)));
        assert_eq!(switch.take(), Some(Fault::Status(503)));
        assert_eq!(switch.take(), None);
    }
}
