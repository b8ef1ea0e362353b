//! The state of the one call a kiosk can have. Pure: baresip's events and the time are fed in,
//! commands for baresip come out; the engine does the I/O.
//!
//! Idle → Dialling → Ringing → Connected → Ended(reason), and back to Dialling for the next
//! call. Every way a call can end has its own reason, because the citizen is told something
//! different for each (the screen offers a call-back request when nobody answered).

use super::lines::Line;
use super::protocol::{Event, EventKind};
use super::registration::RegistrationState;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// Why a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    /// The citizen hung up (before or after the far end answered).
    HungUpByCitizen,
    HungUpByFarEnd,
    /// Nobody answered within the configured time, or the far end declined while ringing.
    NoAnswer,
    /// The call could not be placed or was lost before anyone answered (unreachable
    /// address, refused connection, engine not running).
    NoLine,
    /// The kiosk has a registrar and is not registered with it.
    RegistrationFailed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallPhase {
    Idle,
    Dialling,
    Ringing,
    Connected { elapsed: Duration },
    Ended { reason: EndReason, talked: Duration },
}

/// What the call screen (and the audit log) need: the phase and the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallView {
    pub phase: CallPhase,
    pub line: Option<Line>,
}

/// What the engine must tell baresip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallAction {
    Dial(String),
    HangUp,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    #[error("a call is already in progress")]
    Busy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Idle,
    Dialling { since: Instant },
    Ringing { since: Instant },
    Connected { since: Instant },
    Ended { reason: EndReason, talked: Duration },
}

/// baresip call ids of calls already over, so their late events are not taken for the next
/// call's. A handful is plenty: only one call is placed at a time.
const REMEMBERED_FINISHED_CALLS: usize = 8;

#[derive(Debug, Clone)]
pub struct Call {
    state: State,
    line: Option<Line>,
    no_answer_after: Duration,
    /// baresip's id of the current call, from its first event.
    call_id: Option<String>,
    finished_ids: VecDeque<String>,
}

impl Call {
    pub fn new(no_answer_after: Duration) -> Self {
        Call {
            state: State::Idle,
            line: None,
            no_answer_after,
            call_id: None,
            finished_ids: VecDeque::new(),
        }
    }

    /// The citizen touched "talk to a person".
    pub fn dial(
        &mut self,
        line: Line,
        registration: RegistrationState,
        now: Instant,
    ) -> Result<Vec<CallAction>, CallError> {
        if self.in_progress() {
            return Err(CallError::Busy);
        }
        self.call_id = None;
        self.line = Some(line.clone());
        if registration.refuses_calls() {
            self.state = State::Ended {
                reason: if registration == RegistrationState::Failed {
                    EndReason::RegistrationFailed
                } else {
                    EndReason::NoLine
                },
                talked: Duration::ZERO,
            };
            return Ok(Vec::new());
        }
        self.state = State::Dialling { since: now };
        Ok(vec![CallAction::Dial(line.uri)])
    }

    /// The citizen touched "hang up".
    pub fn hang_up(&mut self, now: Instant) -> Vec<CallAction> {
        if !self.in_progress() {
            return Vec::new();
        }
        let talked = self.talked(now);
        self.finish(EndReason::HungUpByCitizen, talked);
        vec![CallAction::HangUp]
    }

    /// baresip refused the dial command: nothing was placed.
    pub fn dial_refused(&mut self) {
        if matches!(self.state, State::Dialling { .. }) {
            self.finish(EndReason::NoLine, Duration::ZERO);
        }
    }

    /// The engine died or its control link broke; a call in progress is gone.
    pub fn engine_lost(&mut self, now: Instant) {
        if self.in_progress() {
            let reason = match self.state {
                State::Connected { .. } => EndReason::HungUpByFarEnd,
                _ => EndReason::NoLine,
            };
            let talked = self.talked(now);
            self.finish(reason, talked);
        }
    }

    pub fn on_event(&mut self, event: &Event, now: Instant) -> Vec<CallAction> {
        if !self.in_progress() || !self.is_about_this_call(event) {
            return Vec::new();
        }
        match (event.kind.clone(), self.state) {
            (EventKind::CallRinging | EventKind::CallProgress, State::Dialling { since }) => {
                self.state = State::Ringing { since };
            }
            (EventKind::CallEstablished, State::Dialling { .. } | State::Ringing { .. }) => {
                self.state = State::Connected { since: now };
            }
            (EventKind::CallClosed, State::Connected { since }) => {
                self.finish(
                    EndReason::HungUpByFarEnd,
                    now.saturating_duration_since(since),
                );
            }
            (EventKind::CallClosed, State::Ringing { .. }) => {
                self.finish(EndReason::NoAnswer, Duration::ZERO);
            }
            (EventKind::CallClosed, State::Dialling { .. }) => {
                self.finish(EndReason::NoLine, Duration::ZERO);
            }
            _ => {}
        }
        Vec::new()
    }

    /// Time passes: a call nobody answers is given up after the configured time.
    pub fn tick(&mut self, now: Instant) -> Vec<CallAction> {
        match self.state {
            State::Dialling { since } | State::Ringing { since }
                if now.saturating_duration_since(since) >= self.no_answer_after =>
            {
                self.finish(EndReason::NoAnswer, Duration::ZERO);
                vec![CallAction::HangUp]
            }
            _ => Vec::new(),
        }
    }

    pub fn view(&self, now: Instant) -> CallView {
        let phase = match self.state {
            State::Idle => CallPhase::Idle,
            State::Dialling { .. } => CallPhase::Dialling,
            State::Ringing { .. } => CallPhase::Ringing,
            State::Connected { since } => CallPhase::Connected {
                elapsed: now.saturating_duration_since(since),
            },
            State::Ended { reason, talked } => CallPhase::Ended { reason, talked },
        };
        CallView {
            phase,
            line: self.line.clone(),
        }
    }

    pub fn in_progress(&self) -> bool {
        matches!(
            self.state,
            State::Dialling { .. } | State::Ringing { .. } | State::Connected { .. }
        )
    }

    fn talked(&self, now: Instant) -> Duration {
        match self.state {
            State::Connected { since } => now.saturating_duration_since(since),
            _ => Duration::ZERO,
        }
    }

    fn finish(&mut self, reason: EndReason, talked: Duration) {
        self.state = State::Ended { reason, talked };
        if let Some(id) = self.call_id.take() {
            if self.finished_ids.len() == REMEMBERED_FINISHED_CALLS {
                self.finished_ids.pop_front();
            }
            self.finished_ids.push_back(id);
        }
    }

    /// Binds the call to baresip's id on its first event; ignores events of other calls.
    fn is_about_this_call(&mut self, event: &Event) -> bool {
        let Some(id) = &event.call_id else {
            return false;
        };
        match &self.call_id {
            Some(current) => current == id,
            None if self.finished_ids.contains(id) => false,
            None => {
                self.call_id = Some(id.clone());
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telephony::lines::LineHours;
    use chrono::NaiveTime;

    fn line() -> Line {
        Line {
            id: "duty-12348".into(),
            name: "12348 值班律师".into(),
            name_en: "12348 duty lawyer".into(),
            uri: "sip:12348@pbx.example".into(),
            hours: LineHours {
                weekdays: vec![],
                from: NaiveTime::MIN,
                until: NaiveTime::MIN,
            },
        }
    }

    fn event(kind: EventKind, id: &str) -> Event {
        Event {
            kind,
            call_id: Some(id.into()),
        }
    }

    const S: fn(u64) -> Duration = Duration::from_secs;

    fn dialled(t0: Instant) -> Call {
        let mut call = Call::new(S(30));
        let actions = call
            .dial(line(), RegistrationState::Registered, t0)
            .expect("idle");
        assert_eq!(
            actions,
            vec![CallAction::Dial("sip:12348@pbx.example".into())]
        );
        call
    }

    #[test]
    fn a_call_goes_through_ringing_and_connected_to_the_far_end_hanging_up() {
        let t0 = Instant::now();
        let mut call = dialled(t0);
        assert_eq!(call.view(t0).phase, CallPhase::Dialling);
        call.on_event(&event(EventKind::CallRinging, "a"), t0 + S(1));
        assert_eq!(call.view(t0 + S(1)).phase, CallPhase::Ringing);
        call.on_event(&event(EventKind::CallEstablished, "a"), t0 + S(5));
        assert_eq!(
            call.view(t0 + S(65)).phase,
            CallPhase::Connected { elapsed: S(60) }
        );
        assert!(
            call.tick(t0 + S(100)).is_empty(),
            "no timeout once answered"
        );
        call.on_event(&event(EventKind::CallClosed, "a"), t0 + S(125));
        assert_eq!(
            call.view(t0 + S(130)).phase,
            CallPhase::Ended {
                reason: EndReason::HungUpByFarEnd,
                talked: S(120)
            }
        );
    }

    #[test]
    fn the_citizen_hangs_up_and_the_late_closed_event_changes_nothing() {
        let t0 = Instant::now();
        let mut call = dialled(t0);
        call.on_event(&event(EventKind::CallEstablished, "a"), t0 + S(2));
        assert_eq!(call.hang_up(t0 + S(12)), vec![CallAction::HangUp]);
        call.on_event(&event(EventKind::CallClosed, "a"), t0 + S(13));
        let ended = CallPhase::Ended {
            reason: EndReason::HungUpByCitizen,
            talked: S(10),
        };
        assert_eq!(call.view(t0 + S(13)).phase, ended);
        // The next call does not take the old call's events for its own.
        call.dial(line(), RegistrationState::Registered, t0 + S(20))
            .expect("ended calls can be redialled");
        call.on_event(&event(EventKind::CallClosed, "a"), t0 + S(21));
        assert_eq!(call.view(t0 + S(21)).phase, CallPhase::Dialling);
    }

    #[test]
    fn nobody_answers_within_the_configured_time() {
        let t0 = Instant::now();
        let mut call = dialled(t0);
        call.on_event(&event(EventKind::CallRinging, "a"), t0 + S(1));
        assert!(call.tick(t0 + S(29)).is_empty());
        assert_eq!(call.tick(t0 + S(30)), vec![CallAction::HangUp]);
        assert_eq!(
            call.view(t0 + S(30)).phase,
            CallPhase::Ended {
                reason: EndReason::NoAnswer,
                talked: Duration::ZERO
            }
        );
    }

    #[test]
    fn closed_before_ringing_is_no_line_and_a_refused_dial_too() {
        let t0 = Instant::now();
        let mut call = dialled(t0);
        call.on_event(&event(EventKind::CallClosed, "a"), t0 + S(1));
        assert!(matches!(
            call.view(t0).phase,
            CallPhase::Ended {
                reason: EndReason::NoLine,
                ..
            }
        ));
        let mut call = dialled(t0);
        call.dial_refused();
        assert!(matches!(
            call.view(t0).phase,
            CallPhase::Ended {
                reason: EndReason::NoLine,
                ..
            }
        ));
    }

    #[test]
    fn no_call_is_placed_without_registration_and_only_one_at_a_time() {
        let t0 = Instant::now();
        let mut call = Call::new(S(30));
        let actions = call
            .dial(line(), RegistrationState::Failed, t0)
            .expect("idle");
        assert!(actions.is_empty());
        assert!(matches!(
            call.view(t0).phase,
            CallPhase::Ended {
                reason: EndReason::RegistrationFailed,
                ..
            }
        ));
        let mut call = dialled(t0);
        assert_eq!(
            call.dial(line(), RegistrationState::Registered, t0),
            Err(CallError::Busy)
        );
    }

    #[test]
    fn losing_the_engine_mid_call_ends_the_call() {
        let t0 = Instant::now();
        let mut call = dialled(t0);
        call.engine_lost(t0 + S(1));
        assert!(!call.in_progress());
    }
}
