//! Entering staff mode: the corner gesture, a staff card or finger read by the worker, the
//! PIN, and what the login screen says (including the lockout countdown).

use super::worker::Job;
use super::Controller;
use crate::config::KioskConfig;
use crate::core::{Command, Screen};
use crate::fleet::audit::{AuditEventId, AuditFields, Auditor, ReasonCode};
use crate::fleet::gesture::CornerTapRecognizer;
use crate::fleet::lockout::{FileLockoutStore, LockoutPolicy};
use crate::fleet::session_gate::CitizenSessionGate;
use crate::fleet::staff_auth::{AuthError, StaffAuth};
use crate::fleet::staff_registry::{StaffCredential, StaffRegistry};
use crate::ui::{StaffLoginMessage, StaffLoginStep};
use slint::SharedString;
use std::time::{Instant, SystemTime};

/// The lockout state's file in the data directory.
const LOCKOUT_FILE: &str = "staff-lockout.json";

pub(super) struct LoginState {
    gesture: CornerTapRecognizer,
    step: StaffLoginStep,
    message: StaffLoginMessage,
    detail: String,
    reading: bool,
}

impl Default for LoginState {
    fn default() -> Self {
        LoginState {
            gesture: CornerTapRecognizer::default(),
            step: StaffLoginStep::Credential,
            message: StaffLoginMessage::None,
            detail: String::new(),
            reading: false,
        }
    }
}

/// The staff engine, when this kiosk has a staff list and an audit log; staff mode stays
/// closed otherwise.
/// `gate` is set when the gesture opens login: whether a citizen's session held data then;
/// the engine checks it at each step.
pub(super) fn open_auth(
    config: &KioskConfig,
    auditor: Option<&Auditor>,
    gate: CitizenSessionGate,
) -> Option<StaffAuth> {
    let auditor = auditor?;
    let path = config.fleet.staff_file.as_ref()?;
    let registry = std::fs::read_to_string(path)
        .map_err(|error| error.to_string())
        .and_then(|text| StaffRegistry::parse(&text).map_err(|error| error.to_string()));
    let registry = match registry {
        Ok(registry) => registry,
        Err(error) => {
            tracing::error!(path = %path.display(), %error, "staff list unusable; staff mode closed");
            return None;
        }
    };
    let lockout = FileLockoutStore::new(config.kiosk.data_dir.join(LOCKOUT_FILE));
    Some(StaffAuth::new(
        registry,
        LockoutPolicy::default(),
        Box::new(lockout),
        gate,
        auditor.clone(),
        SystemTime::now(),
    ))
}

/// What the login screen says about a refusal, and for how long login stays locked.
fn message_of(error: &AuthError) -> (StaffLoginMessage, String) {
    match error {
        AuthError::CitizenSessionActive => (StaffLoginMessage::CitizenSession, String::new()),
        AuthError::LockedOut { .. } => (StaffLoginMessage::Locked, String::new()),
        AuthError::UnknownCredential { .. } => {
            (StaffLoginMessage::UnknownCredential, String::new())
        }
        AuthError::WrongPin { .. } => (StaffLoginMessage::WrongPin, String::new()),
        AuthError::NoCredentialPresented => (StaffLoginMessage::None, String::new()),
        AuthError::Audit(_) | AuthError::Persist(_) => {
            (StaffLoginMessage::AuditFailed, error.to_string())
        }
    }
}

impl Controller {
    pub(super) fn staff_corner_tap(&self, x: f32, y: f32) {
        let completed = self
            .staff
            .state
            .borrow_mut()
            .login
            .gesture
            .on_tap(x, y, Instant::now());
        if !completed || self.staff_screen().is_staff() {
            return;
        }
        self.staff
            .audit(AuditEventId::StaffGestureDetected, AuditFields::default());
        let citizen_active = self.session.borrow().has_state()
            || self
                .fleet
                .as_ref()
                .is_some_and(|fleet| fleet.session_gate.is_active());
        let configured = self.staff.state.borrow().auth.is_some();
        let refusal = if citizen_active {
            Some(ReasonCode::CitizenSessionActive)
        } else if !configured {
            Some(ReasonCode::NotConfigured)
        } else {
            None
        };
        if let Some(reason) = refusal {
            tracing::info!(
                event = "staff.refused",
                reason = reason.code(),
                "staff mode refused"
            );
            self.staff.audit(
                AuditEventId::StaffModeRefused,
                AuditFields {
                    reason: Some(reason),
                    ..AuditFields::default()
                },
            );
            return;
        }
        self.staff.gate.set_active(citizen_active);
        self.staff.state.borrow_mut().login = LoginState::default();
        self.dispatch(Command::Open(Screen::StaffLogin));
        self.staff_render_login();
    }

    /// "Read staff card" or "Scan staff finger": refused at once while locked, else read.
    pub(super) fn staff_present(&self, job: Job) {
        {
            let mut state = self.staff.state.borrow_mut();
            if state.login.reading || state.session.is_some() {
                return;
            }
            let locked = state
                .auth
                .as_ref()
                .map(|auth| auth.locked_for(SystemTime::now()));
            match locked {
                None => state.login.message = StaffLoginMessage::NotConfigured,
                Some(left) if !left.is_zero() => state.login.message = StaffLoginMessage::Locked,
                Some(_) => {
                    state.login.reading = true;
                    state.login.message = StaffLoginMessage::Reading;
                }
            }
            if !state.login.reading {
                drop(state);
                self.staff_render_login();
                return;
            }
        }
        self.staff.worker.send(job, None);
        self.staff_render_login();
    }

    pub(super) fn staff_credential_read(&self, read: Result<StaffCredential, String>) {
        {
            let mut state = self.staff.state.borrow_mut();
            state.login.reading = false;
            if self.session.borrow().view().screen != Screen::StaffLogin {
                return;
            }
            let presented = match (read, state.auth.as_mut()) {
                (Err(error), _) => Err((StaffLoginMessage::DeviceError, error)),
                (Ok(_), None) => Err((StaffLoginMessage::NotConfigured, String::new())),
                (Ok(credential), Some(auth)) => auth
                    .present_credential(&credential, SystemTime::now())
                    .map_err(|error| message_of(&error)),
            };
            match presented {
                Ok(()) => {
                    state.login.step = StaffLoginStep::Pin;
                    state.login.message = StaffLoginMessage::None;
                }
                Err((message, detail)) => {
                    state.login.message = message;
                    state.login.detail = detail;
                }
            }
        }
        self.staff_render_login();
    }

    pub(super) fn staff_submit_pin(&self) {
        let pin = match self.window.upgrade() {
            Some(window) => {
                let adapter = slint::ComponentHandle::global::<crate::ui::StaffAdapter>(&window);
                let pin = adapter.get_pin().to_string();
                adapter.set_pin(SharedString::new());
                pin
            }
            None => return,
        };
        let entered = {
            let mut state = self.staff.state.borrow_mut();
            match state.auth.as_mut() {
                Some(auth) => auth.enter_pin(&pin, SystemTime::now()),
                None => return,
            }
        };
        match entered {
            Ok(session) => {
                // Home first, so that Back from the staff screens leads out of staff mode.
                self.dispatch(Command::Home);
                {
                    let mut state = self.staff.state.borrow_mut();
                    state.session = Some(session);
                    state.login = LoginState::default();
                }
                tracing::info!(event = "staff.login", "staff mode opened");
                self.dispatch(Command::Open(Screen::StaffDevices));
                self.staff_render_devices();
            }
            Err(error) => {
                {
                    let mut state = self.staff.state.borrow_mut();
                    let (message, detail) = message_of(&error);
                    state.login.step = StaffLoginStep::Credential;
                    state.login.message = message;
                    state.login.detail = detail;
                }
                self.staff_render_login();
            }
        }
    }

    pub(super) fn staff_cancel_login(&self) {
        self.dispatch(Command::Home);
    }

    /// Keeps the lockout countdown current while the login screen shows it (a kiosk
    /// without a staff engine has no countdown: its screen is left as it is).
    pub(super) fn staff_tick_lockout(&self) {
        let has_engine = self.staff.state.borrow().auth.is_some();
        if has_engine && self.staff_screen() == Screen::StaffLogin {
            self.staff_render_login();
        }
    }

    pub(super) fn staff_render_login(&self) {
        let state = self.staff.state.borrow();
        let locked = state.auth.as_ref().map_or(0, |auth| {
            auth.locked_for(SystemTime::now()).as_secs_f64().ceil() as i32
        });
        let mut message = state.login.message;
        if message == StaffLoginMessage::Locked && locked == 0 {
            message = StaffLoginMessage::None;
        }
        let (step, detail) = (state.login.step, state.login.detail.clone());
        drop(state);
        self.staff_do(|a| {
            a.set_login_step(step);
            a.set_login_message(message);
            a.set_login_detail(detail.into());
            a.set_locked_seconds(locked);
        });
    }
}
