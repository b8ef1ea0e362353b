//! Binds the progress query (进度查询) to `ProgressAdapter`: the page's callbacks become
//! [`ProgressCommand`]s, the effects go to the [`worker`] thread, its replies come back on
//! the UI thread from a timer and become [`ProgressEvent`]s; after each, the view is pushed
//! into the global in the current language.

mod scenes;
mod worker;

pub(super) use scenes::stage;
pub use scenes::PROGRESS_SCENES;

use super::{Controller, UiOptions};
use crate::core::notary::progress::{
    stages, ProgressCommand, ProgressEffect, ProgressEvent, ProgressQuery, ProgressStep,
    ProgressView,
};
use crate::core::notary::IdDigestKey;
use crate::core::{Command, Screen};
use crate::domain::Bilingual;
use crate::domain::Language;
use crate::ui::{MainWindow, ProgressAdapter, ProgressStage, ProgressStep as UiStep};
use chrono::{DateTime, FixedOffset, Local, TimeZone};
use slint::{ComponentHandle, ModelRc, SharedString, Timer, TimerMode, VecModel};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use worker::{Reply, Request, Services, Worker};

/// How often the worker's replies are picked up.
const REPLY_POLL: Duration = Duration::from_millis(100);

/// The query, its worker and the timer that brings replies back.
pub(super) struct Progress {
    query: RefCell<ProgressQuery>,
    key: IdDigestKey,
    worker: Worker,
    poll: Timer,
}

impl Progress {
    pub(super) fn start(options: &UiOptions) -> Progress {
        let secret = match &options.store {
            Some(store) => store.id_digest_secret().unwrap_or_else(|error| {
                // Without the secret no digest matches: nobody sees anyone's state.
                tracing::error!(%error, "ID digest secret unavailable; progress queries will not match");
                Vec::new()
            }),
            None => Vec::new(),
        };
        let key = IdDigestKey::new(secret);
        let worker = Worker::start(Services {
            store: options.store.clone(),
            devices: options.devices.clone(),
            case_system: options.case_system.clone(),
        });
        Progress {
            query: RefCell::new(ProgressQuery::new(key.clone())),
            key,
            worker,
            poll: Timer::default(),
        }
    }
}

pub(super) fn bind(window: &MainWindow, controller: &Rc<Controller>) {
    let adapter = window.global::<ProgressAdapter>();
    let on = |handler: fn(&Controller)| {
        let weak = Rc::downgrade(controller);
        move || {
            if let Some(controller) = weak.upgrade() {
                handler(&controller);
            }
        }
    };
    adapter.on_submit(on(|c| {
        let text = c.progress_adapter(|a| a.get_entry().to_string());
        c.progress_command(ProgressCommand::Enter(text.unwrap_or_default()));
    }));
    adapter.on_retry_card(on(|c| c.progress_command(ProgressCommand::RetryCard)));
    adapter.on_refresh(on(|c| c.progress_command(ProgressCommand::Refresh)));
    adapter.on_start_over(on(|c| {
        // Whatever is still under way belongs to the receipt being left.
        c.progress.worker.abandon();
        c.progress_command(ProgressCommand::Back);
        c.progress_adapter(|a| a.set_entry(SharedString::new()));
    }));
    adapter.on_cancel(on(|c| c.progress_command(ProgressCommand::Cancel)));
    let weak = Rc::downgrade(controller);
    controller
        .progress
        .poll
        .start(TimerMode::Repeated, REPLY_POLL, move || {
            if let Some(controller) = weak.upgrade() {
                controller.progress_replies();
            }
        });
}

impl Controller {
    fn progress_adapter<T>(&self, f: impl FnOnce(&ProgressAdapter<'_>) -> T) -> Option<T> {
        let window = self.window.upgrade()?;
        let adapter = window.global::<ProgressAdapter>();
        Some(f(&adapter))
    }

    /// The instant the core measures ages against (the header clock's).
    fn progress_now(&self) -> DateTime<FixedOffset> {
        Local
            .from_local_datetime(&self.clock.now())
            .earliest()
            .unwrap_or_else(Local::now)
            .fixed_offset()
    }

    fn progress_command(&self, command: ProgressCommand) {
        let effects = self.progress.query.borrow_mut().command(command);
        self.progress_effects(effects);
    }

    fn progress_replies(&self) {
        let replies = self.progress.worker.ready();
        for reply in replies {
            let event = match reply {
                Reply::Found(found) => ProgressEvent::SubmissionFound(found),
                Reply::Card(card) => ProgressEvent::Card(card),
                Reply::Status(answer) => ProgressEvent::Status(answer),
            };
            let now = self.progress_now();
            let effects = self.progress.query.borrow_mut().event(event, now);
            self.progress_effects(effects);
        }
    }

    fn progress_effects(&self, effects: Vec<ProgressEffect>) {
        for effect in effects {
            match effect {
                ProgressEffect::LookupSubmission(reference) => {
                    self.progress.worker.send(Request::Lookup(reference));
                }
                ProgressEffect::AwaitCard => self.progress.worker.send(Request::ReadCard),
                ProgressEffect::StopAwaitingCard => self.progress.worker.abandon(),
                ProgressEffect::FetchStatus { receipt_number } => {
                    self.progress.worker.send(Request::Fetch { receipt_number });
                }
                ProgressEffect::Exit => self.dispatch(Command::Home),
            }
        }
        self.render_progress();
    }

    /// Called after every session command: leaving the screen (back, home, idle wipe)
    /// forgets the query and stops any card wait; a language switch re-renders it.
    pub(super) fn progress_follow(&self) {
        let on_screen = self.session.borrow().view().screen == Screen::Progress;
        let started = self.progress.query.borrow().view().step != ProgressStep::Enter;
        if !on_screen && (started || self.progress.query.borrow().holds_personal_data()) {
            self.progress.worker.abandon();
            self.progress.query.borrow_mut().wipe();
        }
        if !on_screen {
            self.progress_adapter(|a| a.set_entry(SharedString::new()));
        }
        self.render_progress();
    }

    fn render_progress(&self) {
        let language = self.session.borrow().view().language;
        let view = self.progress.query.borrow().view();
        self.progress_adapter(|a| render(a, &view, language));
    }
}

fn render(adapter: &ProgressAdapter<'_>, view: &ProgressView, language: Language) {
    let text = |b: Option<&Bilingual>| SharedString::from(b.map_or("", |b| b.get(language)));
    let owned = |s: Option<&String>| SharedString::from(s.map_or("", String::as_str));
    adapter.set_step(match view.step {
        ProgressStep::Enter => UiStep::Entry,
        ProgressStep::LookingUp => UiStep::LookingUp,
        ProgressStep::AwaitCard => UiStep::Identify,
        ProgressStep::Fetching => UiStep::Fetching,
        ProgressStep::Shown => UiStep::Result,
    });
    adapter.set_message(text(view.message.as_ref()));
    adapter.set_receipt_number(owned(view.receipt_number.as_ref()));
    let status = view.status.as_ref();
    adapter.set_matter(text(status.map(|s| &s.matter_name)));
    adapter.set_state(text(status.map(|s| &s.state)));
    adapter.set_case_number(owned(status.and_then(|s| s.case_number.as_ref())));
    let updated = status
        .and_then(|s| s.updated_at)
        .map(|at| at.format("%Y-%m-%d %H:%M").to_string());
    adapter.set_updated(owned(updated.as_ref()));
    adapter.set_unreachable(status.is_some_and(|s| s.unreachable));
    adapter.set_staleness(text(status.and_then(|s| s.staleness.as_ref())));
    adapter.set_next_step(text(status.and_then(|s| s.next_step.as_ref())));
    let done = status.and_then(|s| s.stages_done).unwrap_or(0);
    let rows: Vec<ProgressStage> = if done == 0 {
        Vec::new()
    } else {
        stages()
            .iter()
            .enumerate()
            .map(|(index, label)| ProgressStage {
                label: text(Some(label)),
                done: index < done,
                current: index + 1 == done,
            })
            .collect()
    };
    adapter.set_stages(ModelRc::new(VecModel::from(rows)));
}
