//! Binds the `StaffAdapter` global: the hidden gesture, staff login, and the maintenance
//! screens (devices, outbox, system). Device work, printing, exports and probes run on the
//! [`worker`] thread; a poll timer brings their results back to the UI thread.
//!
//! Staff screens are core [`Screen`]s, so the core's idle timer also ends a forgotten staff
//! visit; leaving the staff screens by any road (Home, Back, idle wipe) logs out, audited.
//! Staff mode holds no citizen data: device states, counts, receipt numbers and codes only.

mod history;
mod login;
mod render;
mod scenes;
mod worker;

pub(super) use scenes::stage;

use super::Controller;
use crate::config::KioskConfig;
use crate::core::{Outcome, Screen};
use crate::domain::DeviceKind;
use crate::fleet::audit::{AuditEventId, AuditFields, Auditor, ReasonCode};
use crate::fleet::kiosk_actions::KioskActions;
use crate::fleet::paper_counter::{CountingPrinter, PaperCounter};
use crate::fleet::self_test::SelfTestResult;
use crate::fleet::session_gate::CitizenSessionGate;
use crate::fleet::staff_auth::{StaffAuth, StaffSession};
use crate::fleet::store_audit::StoreAuditSink;
use crate::fleet::system_info::{ImageInfo, Reachability};
use crate::hal::manager::{DeviceMonitor, DeviceStatus};
use crate::store::Store;
use crate::ui::{MainWindow, StaffActionMessage, StaffAdapter};
use history::FaultHistory;
use render::{DeviceView, SystemView};
use slint::{ComponentHandle, SharedString, Timer, TimerMode};
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};
use worker::{Job, Reply, Worker, WorkerContext};

/// How often worker results, device health and the lockout countdown are picked up.
const POLL: Duration = Duration::from_millis(200);
/// The exit code asking systemd (`Restart=on-failure` or `always`) to start the app again.
pub const RESTART_EXIT_CODE: u8 = 75;

pub(super) struct Staff {
    state: RefCell<StaffState>,
    worker: Worker,
    auditor: Option<Auditor>,
    store: Option<Arc<Store>>,
    devices: Option<DeviceMonitor>,
    paper: Option<PaperCounter>,
    kiosk_id: String,
    data_dir: PathBuf,
    image_info_file: PathBuf,
    restart_requested: Cell<bool>,
    poll: RefCell<Option<Timer>>,
    gate: CitizenSessionGate,
}

#[derive(Default)]
struct StaffState {
    auth: Option<StaffAuth>,
    session: Option<StaffSession>,
    history: FaultHistory,
    snapshot: Vec<DeviceStatus>,
    results: HashMap<DeviceKind, SelfTestResult>,
    testing: HashSet<DeviceKind>,
    reachability: Option<Reachability>,
    login: login::LoginState,
}

impl Staff {
    /// Reads the staff list, opens the lockout state, and wraps the printer so that every
    /// receipt is counted on the paper roll.
    pub(super) fn new(
        config: &KioskConfig,
        store: Option<Arc<Store>>,
        devices: Option<DeviceMonitor>,
    ) -> Staff {
        let data_dir = config.kiosk.data_dir.clone();
        let auditor = store
            .clone()
            .map(|store| Auditor::new(Arc::new(StoreAuditSink::new(store))));
        let paper = devices.as_ref().map(|monitor| {
            let counter = PaperCounter::open(&data_dir);
            let mut devices = monitor.devices.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(printer) = devices.printer.take() {
                devices.printer = Some(Box::new(CountingPrinter::new(printer, counter.clone())));
            }
            counter
        });
        let actions = store.clone().map(|store| KioskActions {
            kiosk_id: config.kiosk.id.clone(),
            hall: config.kiosk.hall.clone(),
            case_url: config.case_system.base_url.clone(),
            data_dir: data_dir.clone(),
            store,
            devices: devices.clone(),
            started: Instant::now(),
        });
        let worker = Worker::start(WorkerContext {
            devices: devices.clone(),
            actions,
            auditor: auditor.clone(),
            export_dir: config.fleet.export_dir.clone(),
            case_url: config.case_system.base_url.clone(),
        });
        let gate = CitizenSessionGate::new();
        let state = StaffState {
            auth: login::open_auth(config, auditor.as_ref(), gate.clone()),
            ..StaffState::default()
        };
        Staff {
            state: RefCell::new(state),
            worker,
            auditor,
            store,
            devices,
            paper,
            kiosk_id: config.kiosk.id.clone(),
            data_dir,
            image_info_file: config.fleet.image_info_file.clone(),
            restart_requested: Cell::new(false),
            poll: RefCell::new(None),
            gate,
        }
    }

    pub(super) fn restart_requested(&self) -> bool {
        self.restart_requested.get()
    }

    fn audit(&self, id: AuditEventId, fields: AuditFields) {
        if let Some(auditor) = &self.auditor {
            if let Err(error) = auditor.single(id, fields) {
                tracing::warn!(%error, "audit write failed");
            }
        }
    }

    fn staff_id(&self) -> Option<crate::fleet::audit::StaffIdHash> {
        let state = self.state.borrow();
        state.session.as_ref().map(|s| s.staff_id_hash.clone())
    }
}

pub(super) fn bind(window: &MainWindow, controller: &Rc<Controller>) {
    let adapter = window.global::<StaffAdapter>();
    macro_rules! on {
        ($($binding:tt)*) => {
            on_callback!(adapter, controller, $($binding)*)
        };
    }
    on!(on_corner_tap, |c, x, y| c.staff_corner_tap(x, y));
    on!(on_read_card, |c| c.staff_present(Job::ReadCard));
    on!(on_scan_finger, |c| c.staff_present(Job::ScanFinger));
    on!(on_submit_pin, |c| c.staff_submit_pin());
    on!(on_cancel_login, |c| c.staff_cancel_login());
    on!(on_open_tab, |c, tab| c.staff_open_tab(tab));
    on!(on_self_test, |c, kind| c.staff_self_test(&kind));
    on!(on_reset_paper, |c| c.staff_reset_paper());
    on!(on_retry, |c, id| c
        .staff_job(Job::Retry(Some(vec![i64::from(id)]))));
    on!(on_retry_all, |c| c.staff_job(Job::Retry(None)));
    on!(on_refresh, |c| c.staff_refresh_system());
    on!(on_print_status_ticket, |c| c
        .staff_job(Job::PrintStatusTicket));
    on!(on_export_logs, |c| c.staff_job(Job::Export));
    on!(on_restart_app, |c| c.staff_restart());

    let timer = Timer::default();
    let weak = Rc::downgrade(controller);
    timer.start(TimerMode::Repeated, POLL, move || {
        if let Some(controller) = weak.upgrade() {
            controller.staff_poll();
        }
    });
    *controller.staff.poll.borrow_mut() = Some(timer);
}

impl Controller {
    fn staff_do(&self, f: impl FnOnce(&StaffAdapter<'_>)) {
        if let Some(window) = self.window.upgrade() {
            f(&window.global::<StaffAdapter>());
        }
    }

    fn staff_screen(&self) -> Screen {
        self.session.borrow().view().screen
    }

    /// Called after every core command: leaving the staff screens ends the staff visit.
    pub(super) fn staff_after_dispatch(&self, outcome: Outcome) {
        if self.staff_screen().is_staff() {
            return;
        }
        let reason = if outcome == Outcome::Wiped {
            ReasonCode::Timeout
        } else {
            ReasonCode::StaffRequest
        };
        let mut state = self.staff.state.borrow_mut();
        let session = state.session.take();
        if let Some(auth) = state.auth.as_mut() {
            if let Err(error) = auth.cancel() {
                tracing::warn!(%error, "staff login cancel not audited");
            }
            if let Some(session) = session {
                if let Err(error) = auth.logout(session, reason) {
                    tracing::warn!(%error, "staff logout not audited");
                }
            }
        }
        state.login = login::LoginState::default();
        state.results.clear();
        drop(state);
        self.staff_do(|a| {
            a.set_pin(SharedString::new());
            a.set_action_message(StaffActionMessage::None);
        });
        self.staff_render_login();
    }

    fn staff_logged_in(&self) -> bool {
        self.staff.state.borrow().session.is_some()
    }

    fn staff_open_tab(&self, tab: i32) {
        if !self.staff_logged_in() {
            return;
        }
        let screen = match tab {
            0 => Screen::StaffDevices,
            1 => Screen::StaffOutbox,
            _ => Screen::StaffSystem,
        };
        self.dispatch(crate::core::Command::Open(screen));
        self.staff_refresh(screen);
    }

    /// Fresh figures for the staff screen being shown.
    fn staff_refresh(&self, screen: Screen) {
        match screen {
            Screen::StaffDevices => self.staff_render_devices(),
            Screen::StaffOutbox => self.staff_render_outbox(),
            Screen::StaffSystem => self.staff_refresh_system(),
            _ => {}
        }
    }

    fn staff_job(&self, job: Job) {
        if !self.staff_logged_in() {
            return;
        }
        self.staff_do(|a| {
            a.set_action_message(StaffActionMessage::Working);
            a.set_action_detail(SharedString::new());
        });
        self.staff.worker.send(job, self.staff.staff_id());
    }

    fn staff_self_test(&self, kind: &str) {
        let Some(kind) = DeviceKind::parse(kind) else {
            return;
        };
        if !self.staff_logged_in() || !self.staff.state.borrow_mut().testing.insert(kind) {
            return;
        }
        self.staff
            .worker
            .send(Job::SelfTest(kind), self.staff.staff_id());
        self.staff_render_devices();
    }

    fn staff_reset_paper(&self) {
        let (Some(paper), Some(staff)) = (&self.staff.paper, self.staff.staff_id()) else {
            return;
        };
        let old = paper.reset(crate::store::now_ms());
        self.staff.audit(
            AuditEventId::PrinterPaperReset,
            AuditFields {
                staff_id_hash: Some(staff),
                count: Some(old.receipts),
                ..AuditFields::default()
            },
        );
        self.staff_do(|a| a.set_action_message(StaffActionMessage::PaperReset));
        self.staff_render_devices();
    }

    fn staff_restart(&self) {
        let Some(staff) = self.staff.staff_id() else {
            return;
        };
        self.staff.audit(
            AuditEventId::AppRestartRequested,
            AuditFields {
                staff_id_hash: Some(staff),
                reason: Some(ReasonCode::StaffRequest),
                ..AuditFields::default()
            },
        );
        self.staff_do(|a| a.set_action_message(StaffActionMessage::Restarting));
        self.staff.restart_requested.set(true);
        tracing::info!(event = "staff.restart", "staff asked for a restart");
        if let Err(error) = slint::quit_event_loop() {
            tracing::warn!(%error, "event loop not running; restart flag set only");
        }
    }

    fn staff_refresh_system(&self) {
        self.staff.state.borrow_mut().reachability = None;
        self.staff_render_system();
        self.staff.worker.send(Job::Probe, None);
    }

    fn staff_render_system(&self) {
        let staff = &self.staff;
        let view = SystemView {
            kiosk_id: staff.kiosk_id.clone(),
            image: ImageInfo::read(&staff.image_info_file),
            free_bytes: crate::store::free_bytes(&staff.data_dir).ok(),
            database_bytes: std::fs::metadata(staff.data_dir.join(crate::store::DB_FILE))
                .ok()
                .map(|m| m.len()),
            reachability: staff.state.borrow().reachability.clone(),
        };
        self.staff_do(|a| render::render_system(a, &view));
    }

    fn staff_render_outbox(&self) {
        let Some(store) = &self.staff.store else {
            return;
        };
        match (store.outbox_status(), store.outbox_entries(false)) {
            (Ok(status), Ok(entries)) => {
                let alerts = store.alerts().unwrap_or_default();
                self.staff_do(|a| {
                    render::render_outbox(a, &status, &entries, crate::store::now_ms());
                    render::render_store_alert(a, alerts.first());
                })
            }
            (Err(error), _) | (_, Err(error)) => {
                tracing::warn!(%error, "outbox not readable for the staff screen");
            }
        }
    }

    fn staff_render_devices(&self) {
        let state = self.staff.state.borrow();
        let view = DeviceView {
            snapshot: &state.snapshot,
            history: &state.history,
            results: &state.results,
            testing: &state.testing,
        };
        self.staff_do(|a| render::render_devices(a, &view));
        if let Some(paper) = &self.staff.paper {
            let count = paper.get();
            let since = count
                .since_ms
                .and_then(chrono::DateTime::from_timestamp_millis)
                .map(|at| {
                    at.with_timezone(&chrono::Local)
                        .format("%m-%d %H:%M")
                        .to_string()
                })
                .unwrap_or_default();
            self.staff_do(|a| {
                a.set_paper_receipts(i32::try_from(count.receipts).unwrap_or(i32::MAX));
                a.set_paper_since(since.into());
            });
        }
    }

    /// Picks up worker results, device health changes and the lockout countdown.
    fn staff_poll(&self) {
        let health_changed = self.staff.devices.as_ref().is_some_and(|monitor| {
            let snapshot = monitor.health.borrow().clone();
            let mut state = self.staff.state.borrow_mut();
            let changed = snapshot != state.snapshot;
            if changed {
                state.history.feed(&snapshot, self.clock.now());
                state.snapshot = snapshot;
            }
            changed
        });
        if health_changed && self.staff_screen() == Screen::StaffDevices {
            self.staff_render_devices();
        }
        for reply in self.staff.worker.ready() {
            self.staff_apply(reply);
        }
        self.staff_tick_lockout();
    }

    fn staff_apply(&self, reply: Reply) {
        match reply {
            Reply::Credential(read) => self.staff_credential_read(read),
            Reply::SelfTest(result) => {
                {
                    let mut state = self.staff.state.borrow_mut();
                    state.testing.remove(&result.device);
                    if state.session.is_some() {
                        state.results.insert(result.device, result);
                    }
                }
                self.staff_render_devices();
            }
            Reply::Ticket(printed) => self.staff_action_done(match printed {
                Ok(()) => (StaffActionMessage::TicketPrinted, String::new()),
                Err(error) => (StaffActionMessage::TicketFailed, error),
            }),
            Reply::Export(exported) => {
                use crate::fleet::audit_export::ExportError;
                self.staff_action_done(match exported {
                    Ok(report) => (
                        StaffActionMessage::Exported,
                        report.directory.display().to_string(),
                    ),
                    Err(ExportError::NoTarget(_)) => (StaffActionMessage::NoStick, String::new()),
                    Err(error) => (StaffActionMessage::ExportFailed, error.to_string()),
                });
            }
            Reply::Probe(reachability) => {
                self.staff.state.borrow_mut().reachability = Some(reachability);
                self.staff_render_system();
            }
            Reply::Retry(retried) => {
                self.staff_action_done(match retried {
                    Ok(count) => (StaffActionMessage::Retried, count.to_string()),
                    Err(error) => (StaffActionMessage::RetryFailed, error),
                });
                self.staff_render_outbox();
            }
        }
    }

    fn staff_action_done(&self, (message, detail): (StaffActionMessage, String)) {
        if !self.staff_logged_in() {
            return;
        }
        self.staff_do(|a| {
            a.set_action_message(message);
            a.set_action_detail(detail.into());
        });
    }
}
