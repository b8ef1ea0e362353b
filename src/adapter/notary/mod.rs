//! Binds the `NotaryAdapter` global to the core's notary [`Journey`]: callbacks become
//! journey commands, the journey's effects are carried out by the [`EffectRunner`] off the
//! UI thread, their answers come back through a channel drained by a timer, and after every
//! command or answer the journey's view is rendered into the global.

mod appointment;
mod jurisdiction;
mod parties;
mod render;
mod scenes;
pub mod setup;
mod signature;
mod slots;
mod worker;

pub(super) use render::qr_image;
pub(super) use scenes::stage;
pub use scenes::NOTARY_SCENES;

use super::Controller;
use crate::config::KioskConfig;
use crate::core::notary::journey::{Command as JourneyCommand, Effect, Event, Rating, Step};
use crate::core::notary::parties::{ApplicantRole, PartyField};
use crate::core::notary::{ConsentItem, DeliveryMethod, FormEdit, Journey, Purpose};
use crate::core::{Command, Screen};
use crate::domain::Language;
use crate::hal::manager::DeviceMonitor;
use crate::store::Store;
use crate::ui::{MainWindow, NotaryAdapter};
use chrono::{DateTime, FixedOffset, Local, TimeZone};
use slint::{ComponentHandle, Timer, TimerMode};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;
pub use worker::Missing;
use worker::{Answer, EffectRunner};

/// How often device and store answers are picked up.
const ANSWER_POLL: Duration = Duration::from_millis(50);

/// The journey, the worker that carries out its effects, and what the UI shows beside it.
pub(super) struct NotaryState {
    journey: RefCell<Option<Journey>>,
    runner: RefCell<EffectRunner>,
    /// Bumped whenever the citizen changes (wipe): answers for an earlier one are dropped.
    generation: Cell<u64>,
    /// Devices found missing while this citizen's journey ran.
    missing: RefCell<Vec<Missing>>,
    last_step: Cell<Option<Step>>,
    /// The signature box's ink and the stroke under the finger.
    ink: RefCell<signature::Ink>,
    _poll: Timer,
}

impl NotaryState {
    pub(super) fn new(
        config: &KioskConfig,
        devices: Option<DeviceMonitor>,
        store: Option<Arc<Store>>,
        case_system: Option<Arc<crate::forward::HttpCaseSystem>>,
    ) -> NotaryState {
        let journey = match setup::journey_setup(config, devices.as_ref(), store.as_deref()) {
            Ok(setup) => Some(Journey::new(setup)),
            Err(error) => {
                tracing::error!(%error, "the notary journey is not available");
                None
            }
        };
        NotaryState {
            journey: RefCell::new(journey),
            runner: RefCell::new(EffectRunner::new(devices, store, case_system)),
            generation: Cell::new(0),
            missing: RefCell::new(Vec::new()),
            last_step: Cell::new(None),
            ink: RefCell::new(signature::Ink::default()),
            _poll: Timer::default(),
        }
    }
}

pub(super) fn bind(window: &MainWindow, controller: &Rc<Controller>) {
    let adapter = window.global::<NotaryAdapter>();
    macro_rules! on {
        ($($binding:tt)*) => {
            on_callback!(adapter, controller, $($binding)*)
        };
    }
    use JourneyCommand as J;
    on!(on_back, |c| c.notary_back_or_leave());
    on!(on_cancel, |c| c.notary_command(J::Cancel));
    on!(on_next, |c| c.notary_next());
    on!(on_select_category, |c, id| c.notary_command(
        J::SelectCategory(Some(id.to_string()).filter(|i| !i.is_empty()))
    ));
    on!(on_search, |c| {
        let query = c.notary_adapter(|a| a.get_query().to_string());
        c.notary_command(J::Search(query.unwrap_or_default()))
    });
    on!(on_choose_matter, |c, id| c
        .notary_command(J::ChooseMatter(id.to_string())));
    on!(on_set_consent, |c, index, on| {
        if let Some(item) = usize::try_from(index)
            .ok()
            .and_then(|i| ConsentItem::ALL.get(i))
        {
            c.notary_command(J::SetConsent(*item, on))
        }
    });
    on!(on_answer_jurisdiction, |c, token| {
        if let Some(answer) = jurisdiction::parse_answer(&token) {
            c.notary_command(J::AnswerJurisdiction(answer))
        }
    });
    on!(on_decline_consent, |c| c.notary_command(J::DeclineConsent));
    on!(on_choose_slot_day, |c, id| {
        if let Some(day) = appointment::parse_day(&id) {
            c.notary_command(J::ChooseSlotDay(day))
        }
    });
    on!(on_choose_slot, |c, id| {
        if let Some(start) = appointment::parse_start(&id) {
            c.notary_command(J::ChooseSlot(start))
        }
    });
    on!(on_no_slot_suits, |c| c.notary_command(J::NoSlotSuits));
    on!(on_retry_card, |c| c.notary_command(J::RetryCard));
    on!(on_verify_fingerprint, |c| c
        .notary_command(J::VerifyFingerprint));
    on!(on_skip_fingerprint, |c| c
        .notary_command(J::SkipFingerprint));
    on!(on_choose_applicant_role, |c, id| {
        if let Some(role) = ApplicantRole::from_id(&id) {
            c.notary_command(J::ChooseApplicantRole(role))
        }
    });
    on!(on_set_party_field, |c, role, index, field, value| {
        if let Some(command) = party_field(&role, index, &field, &value) {
            c.notary_typed(command)
        }
    });
    on!(on_pick_party_field, |c, role, index, field, value| {
        if let Some(command) = party_field(&role, index, &field, &value) {
            c.notary_command(command)
        }
    });
    on!(on_add_party, |c, role| c
        .notary_command(J::AddParty(role.to_string())));
    on!(on_remove_party, |c, role, index| {
        if let Ok(index) = usize::try_from(index) {
            c.notary_command(J::RemoveParty {
                role: role.to_string(),
                index,
            })
        }
    });
    on!(on_set_purpose, |c, id| {
        if let Some(purpose) = Purpose::ALL.iter().find(|p| id == render::purpose_id(**p)) {
            c.notary_edit(FormEdit::Purpose(*purpose))
        }
    });
    on!(on_set_country, |c, id| c.notary_edit(
        FormEdit::CountryOfUse(Some(id.to_string()).filter(|i| !i.is_empty()))
    ));
    on!(on_set_language, |c, id| c.notary_edit(
        FormEdit::TranslationLanguage(Some(id.to_string()).filter(|i| !i.is_empty()))
    ));
    on!(on_set_conformity, |c, on| c
        .notary_edit(FormEdit::TranslationConformity(on)));
    on!(on_set_copies, |c, copies| c.notary_edit(FormEdit::Copies(
        u32::try_from(copies).unwrap_or(0)
    )));
    on!(on_set_post, |c, on| c.notary_edit(FormEdit::Delivery(
        if on {
            DeliveryMethod::Post
        } else {
            DeliveryMethod::Pickup
        }
    )));
    on!(on_capture, |c, id| c
        .notary_command(J::Capture(id.to_string())));
    on!(on_keep_capture, |c| c.notary_command(J::KeepCapture));
    on!(on_retake, |c| c.notary_command(J::Retake));
    on!(on_discard_capture, |c, id| c
        .notary_command(J::DiscardCapture(id.to_string())));
    on!(on_toggle_reduction, |c, id| c
        .notary_command(J::ToggleReduction(id.to_string())));
    on!(on_set_promise, |c, on| c.notary_command(J::SetPromise(on)));
    on!(on_signature_press, |c, x, y| {
        let image = c.notary.ink.borrow_mut().press(x, y);
        c.notary_adapter(|a| a.set_signature_ink(image));
    });
    on!(on_signature_move, |c, x, y| {
        if let Some(image) = c.notary.ink.borrow_mut().move_to(x, y) {
            c.notary_adapter(|a| a.set_signature_ink(image));
        }
    });
    on!(on_signature_release, |c| {
        let stroke = c.notary.ink.borrow_mut().release();
        if let Some(points) = stroke {
            c.notary_command(J::SignatureStroke(points));
        }
    });
    on!(on_clear_signature, |c| c.notary_command(J::ClearSignature));
    on!(on_retry_print, |c| c.notary_command(J::RetryPrint));
    on!(on_rate, |c, index| {
        if let Some(rating) = usize::try_from(index).ok().and_then(|i| Rating::ALL.get(i)) {
            c.notary_command(J::Rate(*rating))
        }
    });

    let weak = Rc::downgrade(controller);
    controller
        .notary
        ._poll
        .start(TimerMode::Repeated, ANSWER_POLL, move || {
            if let Some(c) = weak.upgrade() {
                let generation = c.notary.generation.get();
                let answers = c.notary.runner.borrow().ready(generation);
                c.notary_answers(answers);
            }
        });
}

/// A party value from the page: which party (role, 0-based index) and which field.
fn party_field(role: &str, index: i32, field: &str, value: &str) -> Option<JourneyCommand> {
    Some(JourneyCommand::SetPartyField {
        role: role.to_string(),
        index: usize::try_from(index).ok()?,
        field: PartyField::from_id(field)?,
        value: value.to_string(),
    })
}

impl Controller {
    fn notary_adapter<T>(&self, f: impl FnOnce(&NotaryAdapter<'_>) -> T) -> Option<T> {
        self.window
            .upgrade()
            .map(|window| f(&window.global::<NotaryAdapter>()))
    }

    fn notary_now(&self) -> DateTime<FixedOffset> {
        let local = self.clock.now();
        Local
            .from_local_datetime(&local)
            .earliest()
            .map(|t| t.fixed_offset())
            .unwrap_or_else(|| local.and_utc().fixed_offset())
    }

    fn notary_language(&self) -> Language {
        self.session.borrow().view().language
    }

    /// Sends one command to the journey, carries out its effects, renders.
    pub(super) fn notary_command(&self, command: JourneyCommand) {
        let now = self.notary_now();
        let language = self.notary_language();
        let effects = {
            let mut journey = self.notary.journey.borrow_mut();
            let Some(journey) = journey.as_mut() else {
                return;
            };
            journey.command(JourneyCommand::SetLanguage(language), now);
            journey.command(command, now)
        };
        self.notary_effects(effects);
        self.render_notary();
    }

    /// A value typed into the page: the journey takes it, the page is not rendered again (the
    /// field keeps its focus and the keyboard its composition). Messages show at the next tap.
    fn notary_typed(&self, command: JourneyCommand) {
        let now = self.notary_now();
        let effects = match self.notary.journey.borrow_mut().as_mut() {
            Some(journey) => journey.command(command, now),
            None => return,
        };
        self.notary_effects(effects);
    }

    fn notary_edit(&self, edit: FormEdit) {
        self.notary_command(JourneyCommand::Edit(edit));
    }

    /// The main button: typed fields (phone, addresses, comment) go to the journey first.
    fn notary_next(&self) {
        let step = self.notary.journey.borrow().as_ref().map(Journey::step);
        let typed = self.notary_adapter(|a| {
            (
                a.get_phone().to_string(),
                a.get_current_address().to_string(),
                a.get_postal_address().to_string(),
                a.get_rating_comment().to_string(),
                a.get_former_name().to_string(),
            )
        });
        if let Some((phone, current, postal, comment, former)) = typed {
            match step {
                Some(Step::Form) => {
                    let digits: String = phone.chars().filter(|c| !c.is_whitespace()).collect();
                    self.notary_edit(FormEdit::Phone(digits));
                    self.notary_edit(FormEdit::CurrentAddress(current));
                    self.notary_edit(FormEdit::PostalAddress(postal));
                    self.notary_edit(FormEdit::FormerName(former));
                }
                Some(Step::Rating) => {
                    self.notary_command(JourneyCommand::SetRatingComment(comment))
                }
                _ => {}
            }
        }
        self.notary_command(JourneyCommand::Next);
    }

    /// The bar's back button on a notary screen: one step back; from the first step, leave.
    fn notary_back_or_leave(&self) {
        if !self.notary_back() {
            self.dispatch(Command::Back);
        }
    }

    /// Back within the journey; false when the journey is over or at its start (the
    /// session's own back then leaves the screen).
    pub(super) fn notary_back(&self) -> bool {
        if self.session.borrow().view().screen != Screen::Notary {
            return false;
        }
        let step = self.notary.journey.borrow().as_ref().map(Journey::step);
        match step {
            None | Some(Step::ChooseMatter) => {
                self.notary_reset();
                false
            }
            Some(_) => {
                self.notary_command(JourneyCommand::Back);
                true
            }
        }
    }

    /// Forgets the citizen's application (home, idle wipe, end of session): the journey and
    /// every property that held their data.
    pub(super) fn notary_reset(&self) {
        self.notary.runner.borrow_mut().stop_awaiting_card();
        self.notary.generation.set(self.notary.generation.get() + 1);
        self.notary.missing.borrow_mut().clear();
        if let Some(journey) = self.notary.journey.borrow_mut().as_mut() {
            journey.wipe();
        }
        self.notary_adapter(render::clear_typed);
        self.render_notary();
    }

    fn notary_effects(&self, effects: Vec<Effect>) {
        let generation = self.notary.generation.get();
        for effect in effects {
            tracing::debug!(effect = ?effect, "notary effect");
            let mut runner = self.notary.runner.borrow_mut();
            match effect {
                Effect::AwaitCard => {
                    self.notary
                        .missing
                        .borrow_mut()
                        .retain(|m| *m != Missing::IdReader);
                    runner.await_card(generation)
                }
                Effect::StopAwaitingCard => runner.stop_awaiting_card(),
                Effect::VerifyFingerprint => runner.verify_fingerprint(generation),
                Effect::CaptureDocument { material_id } => runner.capture(generation, material_id),
                Effect::FetchSlots {
                    matter_id,
                    from,
                    days,
                } => runner.fetch_slots(generation, matter_id, from, days),
                Effect::Submit(submission) => runner.submit(generation, *submission),
                Effect::PrintReceipt(lines) => runner.print(generation, lines),
                Effect::SubmitRating(record) => runner.submit_rating(record),
                Effect::Exit => {
                    drop(runner);
                    self.notary_reset();
                    self.dispatch(Command::Home);
                }
            }
        }
    }

    /// Applies answers from the devices and the store.
    pub(super) fn notary_answers(&self, answers: Vec<Answer>) {
        if answers.is_empty() {
            return;
        }
        for answer in answers {
            match answer {
                Answer::Event(event) => self.notary_event(event),
                Answer::Missing(missing) => {
                    tracing::warn!(device = ?missing, "a device the notary journey needs is missing");
                    self.notary.missing.borrow_mut().push(missing);
                    if missing == Missing::Printer {
                        let failure = crate::core::notary::PrintFailure::Offline;
                        self.notary_event(Event::Printed(Err(failure)));
                    }
                }
            }
        }
        self.render_notary();
    }

    fn notary_event(&self, event: Event) {
        let now = self.notary_now();
        let effects = match self.notary.journey.borrow_mut().as_mut() {
            Some(journey) => journey.event(event, now),
            None => return,
        };
        self.notary_effects(effects);
    }

    /// Waits up to `timeout` for the next device or store answer and applies it.
    pub(super) fn notary_settle(&self, timeout: Duration) -> bool {
        let generation = self.notary.generation.get();
        let answers = self.notary.runner.borrow().wait(generation, timeout);
        let any = !answers.is_empty();
        self.notary_answers(answers);
        any
    }

    pub(super) fn render_notary(&self) {
        let now = self.notary_now();
        let language = self.notary_language();
        let view = match self.notary.journey.borrow().as_ref() {
            Some(journey) => journey.view(now),
            None => return,
        };
        let step = view.step;
        let missing = self.notary.missing.borrow().clone();
        let office = setup::office_info(&self.config);
        self.notary_adapter(|a| {
            render::render(a, &view, language, &missing, &office);
            signature::render(a, language, &view.screen, &mut self.notary.ink.borrow_mut());
        });
        let previous = self.notary.last_step.replace(Some(step));
        if previous != Some(step) {
            self.on_step_changed(previous, step);
        }
    }

    /// The single place where the notary step changes: logged, and its prompt spoken —
    /// except for the journey's first step, which the notary screen's own prompt covers.
    fn on_step_changed(&self, previous: Option<Step>, step: Step) {
        tracing::info!(event = "notary.step", step = ?step, "notary step");
        if previous.is_none() {
            return;
        }
        self.voice.announce(
            crate::core::voice::notary_step_prompt(step),
            self.notary_language(),
        );
    }

    /// Whether the journey holds anything personal (tests check the wipe).
    pub(super) fn notary_holds_personal_data(&self) -> bool {
        self.notary
            .journey
            .borrow()
            .as_ref()
            .is_some_and(Journey::holds_personal_data)
    }
}
