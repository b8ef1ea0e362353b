//! The SIP registration state, for device health, `doctor`, the staff screen and telemetry.

use super::protocol::EventKind;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RegistrationState {
    /// baresip is starting.
    Starting,
    /// No registrar configured: lines are dialled directly (a hall PBX trunk, tests).
    Direct,
    Registering,
    Registered,
    /// The registrar refused or did not answer.
    Failed,
    /// baresip is not running (crashed, being restarted, or missing).
    EngineDown,
}

impl RegistrationState {
    /// The state after an event, or `self` when the event is not about registration.
    pub fn after(self, event: &EventKind) -> RegistrationState {
        match event {
            EventKind::Registering if self != RegistrationState::Registered => {
                RegistrationState::Registering
            }
            EventKind::RegisterOk => RegistrationState::Registered,
            EventKind::RegisterFail => RegistrationState::Failed,
            _ => self,
        }
    }

    /// The state `reginfo` reports (baresip 1.0: one `> <aor>  OK|ERR|zzz ...` line per
    /// account, coloured with ANSI escapes); `None` when it names no account.
    pub fn from_reginfo(text: &str) -> Option<RegistrationState> {
        let account = text.lines().find(|line| line.starts_with('>'))?;
        let plain: String = strip_ansi(account);
        let mut words = plain.split_whitespace().skip(2);
        Some(match words.next() {
            Some("OK") => RegistrationState::Registered,
            Some("ERR") => RegistrationState::Failed,
            _ => RegistrationState::Registering,
        })
    }

    /// A call placed now cannot work.
    pub fn refuses_calls(self) -> bool {
        matches!(
            self,
            RegistrationState::Failed | RegistrationState::EngineDown | RegistrationState::Starting
        )
    }

    pub fn is_healthy(self) -> bool {
        matches!(
            self,
            RegistrationState::Direct | RegistrationState::Registered
        )
    }

    /// English text for `doctor` and logs.
    pub fn describe(self) -> &'static str {
        match self {
            RegistrationState::Starting => "starting the SIP engine",
            RegistrationState::Direct => "no registrar configured; lines are dialled directly",
            RegistrationState::Registering => "registering with the SIP server",
            RegistrationState::Registered => "registered with the SIP server",
            RegistrationState::Failed => "registration with the SIP server failed",
            RegistrationState::EngineDown => "the SIP engine (baresip) is not running",
        }
    }
}

fn strip_ansi(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // ESC [ parameters final-letter
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            plain.push(c);
        }
    }
    plain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reginfo_text_as_baresip_1_0_prints_it() {
        let failed = "\n--- User Agents (1) ---\n> sip:kiosk@127.0.0.1:5090                   \u{1b}[31mERR\u{1b}[;m  Expires 0s\n\n";
        assert_eq!(
            RegistrationState::from_reginfo(failed),
            Some(RegistrationState::Failed)
        );
        let ok = "\n--- User Agents (1) ---\n> sip:kiosk@pbx.example   \u{1b}[32mOK \u{1b}[;m  Expires 599s\n";
        assert_eq!(
            RegistrationState::from_reginfo(ok),
            Some(RegistrationState::Registered)
        );
        assert_eq!(
            RegistrationState::from_reginfo("\n--- User Agents (0) ---\n"),
            None
        );
    }

    #[test]
    fn registration_follows_events_and_a_reregistration_keeps_it_registered() {
        let state = RegistrationState::Starting.after(&EventKind::Registering);
        assert_eq!(state, RegistrationState::Registering);
        let state = state.after(&EventKind::RegisterOk);
        assert_eq!(state, RegistrationState::Registered);
        assert_eq!(
            state.after(&EventKind::Registering),
            RegistrationState::Registered
        );
        assert_eq!(
            state.after(&EventKind::CallClosed),
            RegistrationState::Registered
        );
        assert_eq!(
            state.after(&EventKind::RegisterFail),
            RegistrationState::Failed
        );
        assert!(RegistrationState::Failed.refuses_calls());
        assert!(!RegistrationState::Registering.refuses_calls());
    }
}
