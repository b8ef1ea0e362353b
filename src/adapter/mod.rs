//! The Slint adapter: a thin binding between the generated UI and the core. Callbacks from
//! the `Kiosk` global become core [`Command`]s; after each command the core's view is pushed
//! back into the global's properties. No decisions are made here.

/// Binds a callback of a flow's global to a `Controller` method, through a weak reference
/// (the window must not keep the controller alive):
/// `on_callback!(adapter, controller, on_search, |c, index| c.open_hit(index))`.
macro_rules! on_callback {
    ($adapter:expr, $controller:expr, $setter:ident, |$c:ident $(, $arg:ident)*| $body:expr) => {{
        let weak = std::rc::Rc::downgrade($controller);
        $adapter.$setter(move |$($arg),*| {
            if let Some($c) = weak.upgrade() {
                $body;
            }
        });
    }};
}

mod availability;
mod clock;
mod consult;
pub mod headless;
mod keyboard;
mod laws_worker;
pub mod layout_report;
mod notary;
mod progress;
mod staff;
mod voice;

pub use availability::AVAILABILITY_SCENES;
pub use clock::{format_clock, Clock};
pub use consult::CONSULT_SCENES;
pub use notary::NOTARY_SCENES;
pub use progress::PROGRESS_SCENES;
pub use staff::RESTART_EXIT_CODE;

use crate::config::KioskConfig;

use crate::core::consult::ConsultFlow;
use crate::core::{Command, Outcome, Screen, Session};
use crate::domain::Language;
use crate::hal::manager::DeviceMonitor;
use crate::store::Store;
use crate::ui::{Kiosk, MainWindow, Page};
use keyboard::Keyboard;
use laws_worker::LawsWorker;
use slint::{ComponentHandle, Timer, TimerMode};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

/// How often finished statute look-ups are picked up.
const LAWS_POLL: Duration = Duration::from_millis(50);

/// How the UI is started.
#[derive(Clone)]
pub struct UiOptions {
    /// Show the DEMO banner (a simulator is active).
    pub demo_banner: bool,
    /// Lay screens out for a landscape panel.
    pub landscape: bool,
    pub clock: Clock,
    /// Where consultation and legal-aid requests are committed; `None` (screenshots) shows
    /// the "could not be saved" message on submit.
    pub store: Option<Arc<Store>>,
    /// Liveness and session state for the watchdog, health endpoint and fleet (`run` only).
    pub fleet: Option<FleetHooks>,
    /// The opened devices and their debounced health; `None` (screenshots) means no device
    /// is fitted.
    pub devices: Option<DeviceMonitor>,
    /// Where the progress query asks for a case's state; `None` (screenshots, no case
    /// system configured) answers from the kiosk's cache.
    pub case_system: Option<Arc<crate::forward::HttpCaseSystem>>,
}

/// What the UI tells the fleet services: it beats the UI heartbeat from its own timer (so a
/// frozen UI stops the watchdog pings) and flags when a citizen session holds data.
#[derive(Clone)]
pub struct FleetHooks {
    pub ui_heartbeat: crate::fleet::heartbeat::Heartbeat,
    pub session_gate: crate::fleet::session_gate::CitizenSessionGate,
}

/// The bound UI: the window, the core session, and the timer that drives idle and clock.
pub struct KioskApp {
    window: MainWindow,
    controller: Rc<Controller>,
    _ticker: Timer,
    _laws_poll: Timer,
    _availability: Timer,
}

struct Controller {
    window: slint::Weak<MainWindow>,
    session: RefCell<Session>,
    config: KioskConfig,
    clock: Clock,
    fleet: Option<FleetHooks>,
    consult: RefCell<ConsultFlow>,
    laws: RefCell<LawsWorker>,
    store: Option<Arc<Store>>,
    keyboard: Rc<Keyboard>,
    voice: voice::VoiceGuide,
    progress: progress::Progress,
    devices: Option<DeviceMonitor>,
    consult_jobs: RefCell<consult::Jobs>,
    notary: notary::NotaryState,
    staff: staff::Staff,
}

impl KioskApp {
    /// Creates the window and binds it to a fresh session. Must run on the UI thread after
    /// the Slint platform is chosen.
    pub fn new(config: KioskConfig, options: UiOptions) -> Result<KioskApp, slint::PlatformError> {
        let window = MainWindow::new()?;
        let session = Session::new(config.kiosk.language, config.idle);
        let consult = ConsultFlow::new(config.legal_aid.clone())
            .map_err(|e| slint::PlatformError::Other(format!("guided questions: {e}")))?;
        let laws = LawsWorker::start(config.kiosk.data_dir.clone());
        let session = session.with_accessibility(config.accessibility);
        let voice = voice::VoiceGuide::start(options.devices.as_ref(), &session.view());
        let progress = progress::Progress::start(&options);
        let notary = notary::NotaryState::new(
            &config,
            options.devices.clone(),
            options.store.clone(),
            options.case_system.clone(),
        );
        let staff = staff::Staff::new(&config, options.store.clone(), options.devices.clone());
        let controller = Rc::new(Controller {
            window: window.as_weak(),
            session: RefCell::new(session),
            config,
            clock: options.clock,
            fleet: options.fleet,
            consult: RefCell::new(consult),
            laws: RefCell::new(laws),
            store: options.store,
            keyboard: Keyboard::bind(&window),
            voice,
            progress,
            devices: options.devices.clone(),
            consult_jobs: RefCell::new(consult::Jobs::new()),
            notary,
            staff,
        });
        window.global::<Kiosk>().set_demo(options.demo_banner);
        window.global::<Kiosk>().set_landscape(options.landscape);
        bind_callbacks(&window, &controller);
        consult::bind(&window, &controller);
        voice::bind(&window, &controller);
        progress::bind(&window, &controller);
        notary::bind(&window, &controller);
        staff::bind(&window, &controller);
        controller.render_all();

        let ticker = Timer::default();
        let weak = Rc::downgrade(&controller);
        ticker.start(TimerMode::Repeated, Duration::from_secs(1), move || {
            if let Some(controller) = weak.upgrade() {
                if let Some(fleet) = &controller.fleet {
                    fleet.ui_heartbeat.beat();
                }
                controller.dispatch(Command::Tick(Duration::from_secs(1)));
                controller.render_clock();
            }
        });
        let laws_poll = Timer::default();
        let weak = Rc::downgrade(&controller);
        laws_poll.start(TimerMode::Repeated, LAWS_POLL, move || {
            if let Some(controller) = weak.upgrade() {
                let replies = controller.laws.borrow_mut().ready();
                controller.apply_law_replies(replies);
                let finished = controller.consult_jobs.borrow_mut().finished();
                controller.apply_consult_jobs(finished);
            }
        });
        let availability = availability::bind(&window, options.devices);
        Ok(KioskApp {
            window,
            controller,
            _ticker: ticker,
            _laws_poll: laws_poll,
            _availability: availability,
        })
    }

    /// Waits (up to `timeout`) for outstanding statute look-ups and consultation jobs and
    /// shows their results, shows the devices' latest health and lets voice prompts reach the
    /// speaker; the UI's timers and the speech worker do this by
    /// themselves, screenshots and tests need it at a known moment.
    pub fn settle(&self, timeout: Duration) {
        let replies = self.controller.laws.borrow_mut().wait_all(timeout);
        self.controller.apply_law_replies(replies);
        let finished = self.controller.consult_jobs.borrow_mut().wait_idle(timeout);
        self.controller.apply_consult_jobs(finished);
        availability::show(&self.window, self.controller.devices.as_ref());
        self.controller.voice.settle(timeout);
    }

    /// Puts the consultation screens into a state worth a screenshot; false for names that
    /// are not consultation scenes. See [`CONSULT_SCENES`].
    pub fn stage_consult(&self, name: &str) -> bool {
        consult::stage(&self.controller, name)
    }

    /// Puts the progress screens into a state worth a screenshot; false for other names.
    /// See [`PROGRESS_SCENES`].
    pub fn stage_progress(&self, name: &str) -> bool {
        progress::stage(&self.controller, name)
    }

    /// Shows the device-availability notices of a screenshot scene; false for names that
    /// are not availability scenes. See [`AVAILABILITY_SCENES`].
    pub fn stage_availability(&self, name: &str) -> bool {
        availability::stage(&self.window, name)
    }

    /// Puts the notary screens into a state worth a screenshot; false for names that are
    /// not notary scenes. See [`NOTARY_SCENES`].
    pub fn stage_notary(&self, name: &str) -> bool {
        notary::stage(&self.controller, name)
    }

    /// Waits (up to `timeout`) for the next answer of a device or the store to the notary
    /// journey and shows it; the UI's timer does this by itself. False if none came.
    pub fn settle_notary(&self, timeout: Duration) -> bool {
        self.controller.notary_settle(timeout)
    }

    /// Whether the notary journey holds anything personal.
    pub fn notary_holds_personal_data(&self) -> bool {
        self.controller.notary_holds_personal_data()
    }

    /// Puts a staff screen into a state worth a screenshot; false for other names.
    pub fn stage_staff(&self, name: &str) -> bool {
        staff::stage(&self.controller, name)
    }

    /// Staff asked for a restart: exit with [`RESTART_EXIT_CODE`] once the event loop ends.
    pub fn restart_requested(&self) -> bool {
        self.controller.staff.restart_requested()
    }

    pub fn window(&self) -> &MainWindow {
        &self.window
    }

    /// Sends a command as if it came from the UI (used by `screenshot` to reach a screen).
    pub fn dispatch(&self, command: Command) {
        self.controller.dispatch(command);
    }
}

fn bind_callbacks(window: &MainWindow, controller: &Rc<Controller>) {
    let kiosk = window.global::<Kiosk>();
    let on = |command: fn(&Controller)| {
        let weak = Rc::downgrade(controller);
        move || {
            if let Some(controller) = weak.upgrade() {
                command(&controller);
            }
        }
    };
    kiosk.on_back(on(|c| {
        if !c.consult_back() && !c.notary_back() {
            c.dispatch(Command::Back);
        }
    }));
    kiosk.on_home(on(|c| c.dispatch(Command::Home)));
    kiosk.on_activity(on(|c| c.dispatch(Command::Activity)));
    kiosk.on_keep_going(on(|c| c.dispatch(Command::Activity)));
    kiosk.on_end_session(on(|c| c.dispatch(Command::EndSession)));
    let weak = Rc::downgrade(controller);
    kiosk.on_open(move |page| {
        if let Some(controller) = weak.upgrade() {
            let screen = screen_of(page);
            controller.consult_opening(screen);
            controller.dispatch(Command::Open(screen));
        }
    });
    let weak = Rc::downgrade(controller);
    kiosk.on_set_english(move |english| {
        if let Some(controller) = weak.upgrade() {
            let language = if english { Language::En } else { Language::Zh };
            controller.dispatch(Command::SetLanguage(language));
        }
    });
    let weak = Rc::downgrade(controller);
    kiosk.on_set_large_text(move |on| {
        if let Some(controller) = weak.upgrade() {
            controller.dispatch(Command::SetLargeText(on));
        }
    });
}

impl Controller {
    fn dispatch(&self, command: Command) {
        let before = self.session.borrow().view();
        let outcome = self.session.borrow_mut().handle(command);
        let after = self.session.borrow().view();
        self.voice
            .follow(&before, &after, outcome == Outcome::Wiped);
        if let Some(fleet) = &self.fleet {
            fleet
                .session_gate
                .set_active(self.session.borrow().has_state());
        }
        if command == Command::Home || outcome == Outcome::Wiped {
            self.consult_reset();
            self.keyboard.reset();
            self.notary_reset();
        }
        self.staff_after_dispatch(outcome);
        match outcome {
            Outcome::Unchanged => {}
            Outcome::Changed => self.render_session(),
            Outcome::Wiped => {
                tracing::info!(event = "session.wiped", "session ended and wiped");
                self.render_all();
            }
        }
        self.progress_follow();
    }

    fn render_all(&self) {
        self.render_session();
        self.render_clock();
    }

    fn render_session(&self) {
        let Some(window) = self.window.upgrade() else {
            return;
        };
        let view = self.session.borrow().view();
        let kiosk = window.global::<Kiosk>();
        let english = view.language == Language::En;
        if kiosk.get_english() != english || kiosk.get_hall_name().is_empty() {
            select_language(view.language);
            self.render_texts(&kiosk, view.language);
            self.render_consult();
        }
        kiosk.set_english(english);
        if view.screen == Screen::Notary {
            self.render_notary();
        }
        kiosk.set_page(page_of(view.screen));
        kiosk.set_can_go_back(view.can_go_back);
        kiosk.set_large_text(view.large_text);
        voice::render(&kiosk, &view);
        kiosk.set_idle_warning(view.idle_warning.is_some());
        kiosk.set_idle_seconds_left(view.idle_warning.unwrap_or(0) as i32);
    }

    /// Texts that come from configuration rather than from the translation bundle.
    fn render_texts(&self, kiosk: &Kiosk<'_>, language: Language) {
        let c = &self.config;
        let pick = |zh: &str, en: &str| -> slint::SharedString {
            match language {
                Language::Zh => zh.into(),
                Language::En => en.into(),
            }
        };
        let hall_en = c.kiosk.hall_en.as_deref().unwrap_or(&c.kiosk.hall);
        kiosk.set_hall_name(pick(&c.kiosk.hall, hall_en));
        kiosk.set_office_name(pick(&c.office.name, &c.office.name_en));
        kiosk.set_office_address(pick(&c.office.address, &c.office.address_en));
        kiosk.set_office_hours(pick(&c.office.hours, &c.office.hours_en));
        kiosk.set_office_phone(c.office.phone.as_str().into());
    }

    fn render_clock(&self) {
        let Some(window) = self.window.upgrade() else {
            return;
        };
        let language = self.session.borrow().view().language;
        let text = format_clock(self.clock.now(), language);
        window.global::<Kiosk>().set_clock(text.into());
    }
}

/// Switches the bundled translation; English is the source language.
fn select_language(language: Language) {
    let name = match language {
        Language::Zh => "zh_CN",
        Language::En => "",
    };
    if let Err(error) = slint::select_bundled_translation(name) {
        tracing::warn!(%error, "cannot switch the UI language");
    }
}

fn page_of(screen: Screen) -> Page {
    match screen {
        Screen::Home => Page::Home,
        Screen::Notary => Page::Notary,
        Screen::Consultation => Page::Consultation,
        Screen::Progress => Page::Progress,
        Screen::LegalAid => Page::LegalAid,
        Screen::ConsultSearch => Page::ConsultSearch,
        Screen::ConsultArticle => Page::ConsultArticle,
        Screen::ConsultGuideTopics => Page::ConsultGuideTopics,
        Screen::ConsultGuide => Page::ConsultGuide,
        Screen::ConsultRequest => Page::ConsultRequest,
        Screen::ConsultReceipt => Page::ConsultReceipt,
        Screen::StaffLogin => Page::StaffLogin,
        Screen::StaffDevices => Page::StaffDevices,
        Screen::StaffOutbox => Page::StaffOutbox,
        Screen::StaffSystem => Page::StaffSystem,
    }
}

fn screen_of(page: Page) -> Screen {
    match page {
        Page::Home => Screen::Home,
        Page::Notary => Screen::Notary,
        Page::Consultation => Screen::Consultation,
        Page::Progress => Screen::Progress,
        Page::LegalAid => Screen::LegalAid,
        Page::ConsultSearch => Screen::ConsultSearch,
        Page::ConsultArticle => Screen::ConsultArticle,
        Page::ConsultGuideTopics => Screen::ConsultGuideTopics,
        Page::ConsultGuide => Screen::ConsultGuide,
        Page::ConsultRequest => Screen::ConsultRequest,
        Page::ConsultReceipt => Screen::ConsultReceipt,
        Page::StaffLogin => Screen::StaffLogin,
        Page::StaffDevices => Screen::StaffDevices,
        Page::StaffOutbox => Screen::StaffOutbox,
        Page::StaffSystem => Screen::StaffSystem,
    }
}
