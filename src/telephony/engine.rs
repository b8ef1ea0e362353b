//! The telephony engine: supervises baresip and drives the call state machine from its
//! events. The UI sends `dial`/`hang_up` and watches `call()`; health watches
//! `registration()`. baresip is restarted with a growing delay when it dies.

use super::baresip_config;
use super::call::{Call, CallAction, CallPhase, CallView};
use super::call_audit::CallAudit;
use super::control::{ControlLink, LinkError, Messages};
use super::lines::Line;
use super::process;
use super::protocol::{Command, Message};
use super::registration::RegistrationState;
use super::settings::EngineSettings;
use crate::fleet::audit::Auditor;
use std::time::{Duration, Instant};
use tokio::process::Child;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinHandle;

/// How long baresip may take from start to accepting its control connection.
const START_PATIENCE: Duration = Duration::from_secs(10);
/// How often the no-answer timer and the connected time are brought up to date.
const TICK: Duration = Duration::from_millis(200);
const RESTART_DELAY_FIRST: Duration = Duration::from_secs(1);
const RESTART_DELAY_MAX: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum TelephonyError {
    #[error("cannot write baresip's configuration in {dir}: {source}")]
    Config {
        dir: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot start baresip ({program}): {source}")]
    Spawn {
        program: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Link(#[from] LinkError),
    #[error("the telephony engine has stopped")]
    Stopped,
}

enum Request {
    Dial(Line),
    HangUp,
    Shutdown(oneshot::Sender<()>),
}

pub struct TelephonyEngine {
    requests: mpsc::Sender<Request>,
    call: watch::Receiver<CallView>,
    registration: watch::Receiver<RegistrationState>,
    task: JoinHandle<()>,
}

impl TelephonyEngine {
    /// Writes baresip's configuration, starts it and connects to it. An error here (baresip
    /// missing, ports taken) is returned; later failures restart baresip.
    pub async fn start(
        settings: EngineSettings,
        auditor: Option<Auditor>,
    ) -> Result<TelephonyEngine, TelephonyError> {
        baresip_config::write(&settings, &settings.runtime_dir).map_err(|source| {
            TelephonyError::Config {
                dir: settings.runtime_dir.display().to_string(),
                source,
            }
        })?;
        let running = start_baresip(&settings).await?;
        let initial = if settings.account.registrar.is_some() {
            RegistrationState::Registering
        } else {
            RegistrationState::Direct
        };
        let (requests, request_rx) = mpsc::channel(16);
        let call = Call::new(settings.no_answer_after);
        let (call_tx, call_rx) = watch::channel(call.view(Instant::now()));
        let (registration_tx, registration_rx) = watch::channel(initial);
        let mut supervisor = Supervisor {
            settings,
            call,
            audit: CallAudit::new(auditor),
            requests: request_rx,
            call_tx,
            registration_tx,
            initial,
            registration: initial,
            dial_token: None,
            reginfo_token: None,
        };
        let task = tokio::spawn(async move { supervisor.run(running).await });
        Ok(TelephonyEngine {
            requests,
            call: call_rx,
            registration: registration_rx,
            task,
        })
    }

    /// Calls `line`. The outcome (connected, no answer, ...) arrives on `call()`.
    pub async fn dial(&self, line: Line) -> Result<(), TelephonyError> {
        self.requests
            .send(Request::Dial(line))
            .await
            .map_err(|_| TelephonyError::Stopped)
    }

    pub async fn hang_up(&self) -> Result<(), TelephonyError> {
        self.requests
            .send(Request::HangUp)
            .await
            .map_err(|_| TelephonyError::Stopped)
    }

    pub fn call(&self) -> watch::Receiver<CallView> {
        self.call.clone()
    }

    pub fn registration(&self) -> watch::Receiver<RegistrationState> {
        self.registration.clone()
    }

    /// Hangs up any call and stops baresip.
    pub async fn shutdown(self) {
        let (done, finished) = oneshot::channel();
        if self.requests.send(Request::Shutdown(done)).await.is_ok() {
            let _ = finished.await;
        }
        let _ = self.task.await;
    }
}

struct Running {
    child: Child,
    link: ControlLink,
    messages: Messages,
}

async fn start_baresip(settings: &EngineSettings) -> Result<Running, TelephonyError> {
    let child = process::spawn(settings).map_err(|source| TelephonyError::Spawn {
        program: settings.baresip.display().to_string(),
        source,
    })?;
    match ControlLink::connect(settings.control_listen, START_PATIENCE).await {
        Ok((link, messages)) => Ok(Running {
            child,
            link,
            messages,
        }),
        Err(error) => {
            process::stop(child).await;
            Err(error.into())
        }
    }
}

/// The engine's task: owns the call, the audit record and the channels to the kiosk.
struct Supervisor {
    settings: EngineSettings,
    call: Call,
    audit: CallAudit,
    requests: mpsc::Receiver<Request>,
    call_tx: watch::Sender<CallView>,
    registration_tx: watch::Sender<RegistrationState>,
    initial: RegistrationState,
    registration: RegistrationState,
    /// Token of the last dial command, to match a refusal to it.
    dial_token: Option<u64>,
    /// Token of the `reginfo` sent after connecting.
    reginfo_token: Option<u64>,
}

/// Why one run of baresip ended.
enum RunEnd {
    Shutdown(oneshot::Sender<()>),
    Lost,
}

impl Supervisor {
    async fn run(&mut self, first: Running) {
        let mut running = Some(first);
        let mut delay = RESTART_DELAY_FIRST;
        loop {
            let end = match running.take() {
                Some(baresip) => {
                    self.set_registration(self.initial);
                    let started = Instant::now();
                    let end = self.serve(baresip).await;
                    // A baresip that ran a good while is restarted quickly; one that keeps
                    // dying at once is given more and more time.
                    delay = if started.elapsed() > RESTART_DELAY_MAX {
                        RESTART_DELAY_FIRST
                    } else {
                        (delay * 2).min(RESTART_DELAY_MAX)
                    };
                    end
                }
                None => self.wait_down(delay).await,
            };
            match end {
                Some(RunEnd::Shutdown(done)) => {
                    let _ = done.send(());
                    return;
                }
                Some(RunEnd::Lost) => {
                    tracing::warn!("baresip stopped; restarting it");
                    self.call.engine_lost(Instant::now());
                    self.set_registration(RegistrationState::EngineDown);
                    self.publish();
                }
                None => match start_baresip(&self.settings).await {
                    Ok(baresip) => running = Some(baresip),
                    Err(error) => {
                        tracing::warn!(%error, "baresip did not start; retrying");
                        delay = (delay * 2).min(RESTART_DELAY_MAX);
                    }
                },
            }
        }
    }

    /// While baresip is down: answers requests (calls end at once with no line) until the
    /// restart delay has passed (`None`) or the engine is shut down.
    async fn wait_down(&mut self, delay: Duration) -> Option<RunEnd> {
        let until = tokio::time::Instant::now() + delay;
        loop {
            tokio::select! {
                _ = tokio::time::sleep_until(until) => return None,
                request = self.requests.recv() => match request {
                    Some(Request::Shutdown(done)) => return Some(RunEnd::Shutdown(done)),
                    None => return Some(RunEnd::Shutdown(oneshot::channel().0)),
                    Some(Request::Dial(line)) => {
                        // Ends at once with no line; still a call the citizen made.
                        self.dial(line);
                        self.publish();
                    }
                    Some(Request::HangUp) => {}
                },
            }
        }
    }

    async fn serve(&mut self, mut baresip: Running) -> Option<RunEnd> {
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        if self.settings.account.registrar.is_some() {
            match baresip.link.send(&Command::RegInfo).await {
                Ok(token) => self.reginfo_token = Some(token),
                Err(error) => tracing::warn!(%error, "reginfo not sent to baresip"),
            }
        }
        let end = loop {
            let actions = tokio::select! {
                request = self.requests.recv() => match request {
                    Some(Request::Dial(line)) => self.dial(line),
                    Some(Request::HangUp) => self.call.hang_up(Instant::now()),
                    Some(Request::Shutdown(done)) => break RunEnd::Shutdown(done),
                    None => break RunEnd::Shutdown(oneshot::channel().0),
                },
                message = baresip.messages.recv() => match message {
                    Some(Ok(message)) => self.on_message(message),
                    Some(Err(error)) => {
                        tracing::warn!(%error, "baresip control link lost");
                        break RunEnd::Lost;
                    }
                    None => break RunEnd::Lost,
                },
                _ = baresip.child.wait() => break RunEnd::Lost,
                _ = tick.tick() => self.call.tick(Instant::now()),
            };
            for action in actions {
                let command = match action {
                    CallAction::Dial(uri) => Command::Dial(uri),
                    CallAction::HangUp => Command::HangUp,
                };
                match baresip.link.send(&command).await {
                    Ok(token) if matches!(command, Command::Dial(_)) => {
                        self.dial_token = Some(token)
                    }
                    Ok(_) => {}
                    Err(error) => tracing::warn!(%error, "command not sent to baresip"),
                }
            }
            self.publish();
        };
        if matches!(end, RunEnd::Shutdown(_)) && self.call.in_progress() {
            self.call.hang_up(Instant::now());
            self.publish();
        }
        process::stop(baresip.child).await;
        Some(end)
    }

    fn dial(&mut self, line: Line) -> Vec<CallAction> {
        match self
            .call
            .dial(line.clone(), self.registration, Instant::now())
        {
            Ok(actions) => {
                self.audit.started(&line);
                actions
            }
            Err(error) => {
                tracing::info!(%error, "call request ignored");
                Vec::new()
            }
        }
    }

    fn on_message(&mut self, message: Message) -> Vec<CallAction> {
        match message {
            Message::Response {
                ok: false, token, ..
            } if token.is_some() && token == self.dial_token => {
                self.call.dial_refused();
                Vec::new()
            }
            Message::Response { token, data, .. }
                if token.is_some() && token == self.reginfo_token =>
            {
                // Events since then are newer than this answer; only an undecided state
                // takes it.
                if let Some(state) = RegistrationState::from_reginfo(&data) {
                    if self.registration == RegistrationState::Registering {
                        self.set_registration(state);
                    }
                }
                Vec::new()
            }
            Message::Response { .. } => Vec::new(),
            Message::Event(event) => {
                let registration = self.registration.after(&event.kind);
                self.set_registration(registration);
                self.call.on_event(&event, Instant::now())
            }
        }
    }

    fn set_registration(&mut self, state: RegistrationState) {
        if state != self.registration {
            tracing::info!(state = state.describe(), "SIP registration");
        }
        self.registration = state;
        self.registration_tx.send_if_modified(|current| {
            let changed = *current != state;
            *current = state;
            changed
        });
    }

    /// Publishes the call's view and completes the audit record when a call has ended.
    fn publish(&mut self) {
        let view = self.call.view(Instant::now());
        if let (CallPhase::Ended { reason, talked }, Some(line)) = (&view.phase, &view.line) {
            if self.audit.ended(line, *reason, *talked) {
                tracing::info!(line = %line.id, ?reason, talked_s = talked.as_secs(), "call ended");
            }
        }
        self.call_tx.send_if_modified(|current| {
            let changed = *current != view;
            *current = view;
            changed
        });
    }
}
