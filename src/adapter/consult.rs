//! Binds the `ConsultAdapter` global to the core's [`ConsultFlow`]: callbacks become flow
//! changes, statute look-ups go to the [`LawsWorker`], requests are committed to the store
//! and articles printed by [`Jobs`] off the UI thread, and the flow's state is rendered back
//! into the global.

mod jobs;

use jobs::JobResult;
pub(super) use jobs::Jobs;

use super::laws_worker::{LawReply, LawRequest};
use super::notary::qr_image;
use super::Controller;
use crate::core::consult::{
    article_receipt, Category, FormError, GuideView, Handout, PrintProblem, PrintState, Printable,
    ReceiptFooter, RequestKind, SearchStatus as CoreStatus, ShownReceipt, StepAction,
};
use crate::core::{Command, Screen};
use crate::domain::Language;
use crate::hal::printer::PrintError;
use crate::laws::guide::Citation;
use crate::laws::legal_aid::{State, Verdict as CoreVerdict};
use crate::laws::numeral::article_label;
use crate::laws::{ArticleText, SearchHit, Span};
use crate::ui::{
    ArticleData, CiteData, ConsultAdapter, FormProblem, HitData, MainWindow, NextStepData,
    PrintStatus, PrintTarget, SearchStatus, Verdict,
};
use slint::{ComponentHandle, Model, ModelRc, SharedString, StyledText, VecModel};
use std::rc::Rc;

fn model<T: Clone + 'static>(items: Vec<T>) -> ModelRc<T> {
    ModelRc::new(VecModel::from(items))
}

fn strings<'a>(items: impl IntoIterator<Item = &'a str>) -> ModelRc<SharedString> {
    model(items.into_iter().map(SharedString::from).collect())
}

pub(super) fn bind(window: &MainWindow, controller: &Rc<Controller>) {
    let adapter = window.global::<ConsultAdapter>();
    macro_rules! on {
        ($($binding:tt)*) => {
            on_callback!(adapter, controller, $($binding)*)
        };
    }
    on!(on_search, |c| c.search());
    on!(on_open_hit, |c, index| c.open_hit(index));
    on!(on_open_guide_cite, |c, index| c
        .open_guide_cite(index, false));
    on!(on_open_deadline_cite, |c, index| c
        .open_guide_cite(index, true));
    on!(on_open_aid_cite, |c, index| c.open_aid_cite(index));
    on!(on_choose_topic, |c, index| c.choose_topic(index));
    on!(on_guide_answer, |c, index| c.guide_answer(index));
    on!(on_aid_answer, |c, index| c.aid_answer(index));
    on!(on_start_request, |c, legal_aid| c.start_request(legal_aid));
    on!(on_submit_request, |c| c.submit_request());
    on!(on_print_article, |c| c.print_receipt(Printable::Article));
    on!(on_print_guidance, |c| c.print_receipt(Printable::Guidance));
    on!(on_print_aid, |c| c.print_receipt(Printable::LegalAid));
    on!(on_guide_next_step, |c, index| c.guide_next_step(index));
}

fn index(value: i32) -> Option<usize> {
    usize::try_from(value).ok()
}

impl Controller {
    fn language(&self) -> Language {
        self.session.borrow().view().language
    }

    fn adapter_do(&self, f: impl FnOnce(&ConsultAdapter<'_>)) {
        if let Some(window) = self.window.upgrade() {
            f(&window.global::<ConsultAdapter>());
        }
    }

    /// A screen is being opened from the UI: journeys opened afresh start at their beginning.
    pub(super) fn consult_opening(&self, screen: Screen) {
        match screen {
            Screen::LegalAid => self.consult.borrow_mut().restart_legal_aid(),
            Screen::ConsultGuideTopics => self.consult.borrow_mut().guide.reset(),
            _ => return,
        }
        self.render_consult();
    }

    /// Back within a journey (the previous question) before leaving its screen.
    pub(super) fn consult_back(&self) -> bool {
        let screen = self.session.borrow().view().screen;
        let stepped = self.consult.borrow_mut().back_within(screen);
        if stepped {
            if let Some(what) = Printable::on(screen) {
                self.consult.borrow_mut().forget_print(what);
            }
            self.render_consult();
        }
        stepped
    }

    /// Forgets the citizen's consultation (home, wipe).
    pub(super) fn consult_reset(&self) {
        self.consult.borrow_mut().reset();
        self.adapter_do(|a| {
            a.set_query(SharedString::new());
            a.set_request_category(-1);
            a.set_request_description(SharedString::new());
            a.set_request_phone(SharedString::new());
            a.set_request_consent(false);
            a.set_request_sensitive_consent(false);
        });
        self.render_consult();
    }

    pub(super) fn search(&self) {
        let query = match self.window.upgrade() {
            Some(window) => window.global::<ConsultAdapter>().get_query().to_string(),
            None => return,
        };
        let sequence = self.consult.borrow_mut().search.begin(&query);
        if let Some(sequence) = sequence {
            let query = self.consult.borrow().search.query.clone();
            self.laws
                .borrow_mut()
                .send(LawRequest::Search { sequence, query });
        }
        self.render_consult();
    }

    fn open_hit(&self, position: i32) {
        let id = index(position).and_then(|i| {
            self.consult
                .borrow()
                .search
                .hits
                .get(i)
                .map(|h| h.article_id)
        });
        if let Some(article_id) = id {
            self.open_article(LawRequest::OpenArticle { article_id });
        }
    }

    fn open_guide_cite(&self, position: i32, deadline: bool) {
        let cite = match self.consult.borrow().guide.view(Language::Zh) {
            Some(GuideView::Outcome {
                cite, deadlines, ..
            }) => index(position).and_then(|i| {
                if deadline {
                    deadlines.get(i).map(|(_, c)| c.clone())
                } else {
                    cite.get(i).cloned()
                }
            }),
            _ => None,
        };
        if let Some(cite) = cite {
            self.open_citation(cite);
        }
    }

    fn open_aid_cite(&self, position: i32) {
        let cite = match self.consult.borrow().legal_aid_state() {
            Some(State::Done(outcome)) => {
                index(position).and_then(|i| outcome.cite.get(i).cloned())
            }
            _ => None,
        };
        if let Some(cite) = cite {
            self.open_citation(cite);
        }
    }

    fn open_citation(&self, cite: Citation) {
        self.open_article(LawRequest::FindArticle {
            law: cite.law,
            number: cite.article,
        });
    }

    pub(super) fn open_article(&self, request: LawRequest) {
        {
            let mut flow = self.consult.borrow_mut();
            flow.article = None;
            flow.forget_print(Printable::Article);
        }
        self.laws.borrow_mut().send(request);
        self.render_consult();
        self.dispatch(Command::Open(Screen::ConsultArticle));
    }

    fn choose_topic(&self, position: i32) {
        let chosen = index(position).is_some_and(|i| self.consult.borrow_mut().guide.choose(i));
        if chosen {
            self.render_consult();
            self.dispatch(Command::Open(Screen::ConsultGuide));
        }
    }

    fn guide_answer(&self, position: i32) {
        if index(position).is_some_and(|i| self.consult.borrow_mut().guide.answer(i)) {
            self.consult.borrow_mut().forget_print(Printable::Guidance);
            self.render_consult();
        }
    }

    fn aid_answer(&self, position: i32) {
        if index(position).is_some_and(|i| self.consult.borrow_mut().legal_aid_answer(i)) {
            self.consult.borrow_mut().forget_print(Printable::LegalAid);
            self.render_consult();
        }
    }

    /// A next step of the guidance that the kiosk does itself.
    fn guide_next_step(&self, position: i32) {
        let action = match self.consult.borrow().guide.view(Language::Zh) {
            Some(GuideView::Outcome { next_steps, .. }) => {
                index(position).and_then(|i| next_steps.get(i).and_then(|s| s.action))
            }
            _ => None,
        };
        match action {
            Some(StepAction::LegalAidCheck) => {
                self.consult_opening(Screen::LegalAid);
                self.dispatch(Command::Open(Screen::LegalAid));
            }
            Some(StepAction::CallBack) => self.start_request(false),
            None => {}
        }
    }

    pub(super) fn start_request(&self, legal_aid: bool) {
        let kind = if legal_aid {
            RequestKind::LegalAid
        } else {
            RequestKind::Consultation
        };
        self.consult.borrow_mut().start_request(kind);
        let category = self.consult.borrow().request.category;
        self.adapter_do(|a| {
            let position = category
                .and_then(|c| Category::ALL.iter().position(|&k| k == c))
                .map_or(-1, |p| p as i32);
            a.set_request_category(position);
            clear_request_fields(a);
        });
        self.render_consult();
        self.dispatch(Command::Open(Screen::ConsultRequest));
    }

    fn submit_request(&self) {
        let Some(window) = self.window.upgrade() else {
            return;
        };
        if self.consult.borrow().committing {
            return; // a second tap while the first is being saved
        }
        let adapter = window.global::<ConsultAdapter>();
        let language = self.language();
        let submission = {
            let mut flow = self.consult.borrow_mut();
            let form = &mut flow.request;
            form.category =
                index(adapter.get_request_category()).and_then(|i| Category::ALL.get(i).copied());
            form.description = adapter.get_request_description().to_string();
            form.phone = adapter.get_request_phone().to_string();
            form.consent = adapter.get_request_consent();
            form.sensitive_consent = adapter.get_request_sensitive_consent();
            form.submission(language)
        };
        let submission = match submission {
            Ok(submission) => submission,
            Err(problem) => {
                adapter.set_request_problem(form_problem(problem));
                return;
            }
        };
        let kind = self.consult.borrow().request.kind;
        let Some(store) = self.store.clone() else {
            tracing::error!(
                kind = submission.kind.as_str(),
                "request could not be stored: no store in this build of the UI"
            );
            adapter.set_request_problem(FormProblem::Store);
            return;
        };
        adapter.set_request_problem(FormProblem::None);
        let started = self
            .consult_jobs
            .borrow_mut()
            .spawn(move || JobResult::Committed {
                kind,
                result: store
                    .commit_submission(submission)
                    .map_err(|e| e.to_string()),
            });
        if started {
            self.consult.borrow_mut().committing = true;
        } else {
            adapter.set_request_problem(FormProblem::Store);
        }
        self.render_consult();
    }

    /// A request's commit finished: the receipt is shown only now that it is durable, and
    /// only if the citizen is still waiting for it (a wiped session dropped the flag).
    fn request_committed(&self, kind: RequestKind, result: Result<crate::store::Receipt, String>) {
        let waiting = std::mem::take(&mut self.consult.borrow_mut().committing);
        let receipt = match result {
            Ok(receipt) => {
                tracing::info!(event = "consult.request_stored", kind = kind.submission_kind().as_str(), receipt = %receipt.number, waiting, "request stored");
                receipt
            }
            Err(error) => {
                tracing::error!(%error, kind = kind.submission_kind().as_str(), "request could not be stored");
                if waiting {
                    self.adapter_do(|a| a.set_request_problem(FormProblem::Store));
                    self.render_consult();
                }
                return;
            }
        };
        if !waiting {
            return;
        }
        {
            let mut flow = self.consult.borrow_mut();
            flow.receipt = Some(ShownReceipt {
                kind,
                number: receipt.number,
            });
            flow.start_request(kind);
        }
        self.adapter_do(clear_request_fields);
        self.render_consult();
        self.dispatch(Command::Open(Screen::ConsultReceipt));
    }

    /// Prints the opened article, or the outcome on screen to take home, on the receipt
    /// printer, off the UI thread.
    fn print_receipt(&self, what: Printable) {
        let receipt = {
            let flow = self.consult.borrow();
            if flow.print == PrintState::Printing {
                return;
            }
            let footer = self.receipt_footer();
            let receipt = match what {
                Printable::Article => flow
                    .article
                    .as_ref()
                    .map(|view| article_receipt(&view.article, &footer)),
                _ => flow
                    .handout(what, footer.language)
                    .map(|handout| handout.receipt(&footer)),
            };
            match receipt {
                Some(receipt) => receipt,
                None => return,
            }
        };
        let printer = self.devices.as_ref().and_then(|monitor| {
            // The monitor and other jobs hold the lock during device I/O: the UI thread
            // never waits for it. When it is busy the print job finds out for itself.
            let fitted = match monitor.devices.try_lock() {
                Ok(devices) => devices.printer.is_some(),
                Err(std::sync::TryLockError::WouldBlock) => true,
                Err(std::sync::TryLockError::Poisoned(_)) => false,
            };
            fitted.then(|| monitor.devices.clone())
        });
        let state = match printer {
            None => PrintState::Failed(PrintProblem::NoPrinter),
            Some(devices) => {
                let started = self.consult_jobs.borrow_mut().spawn(move || {
                    JobResult::Printed(match devices.lock() {
                        Ok(mut devices) => match devices.printer.as_mut() {
                            Some(printer) => printer.print(&receipt),
                            None => Err(PrintError::Absent {
                                target: "none".into(),
                            }),
                        },
                        Err(_) => Err(PrintError::Absent {
                            target: "device manager stopped".into(),
                        }),
                    })
                });
                if started {
                    PrintState::Printing
                } else {
                    PrintState::Failed(PrintProblem::Failed)
                }
            }
        };
        {
            let mut flow = self.consult.borrow_mut();
            flow.print = state;
            flow.print_of = what;
        }
        self.render_consult();
    }

    fn receipt_footer(&self) -> ReceiptFooter {
        let c = &self.config;
        let language = self.language();
        let (office, hall) = match language {
            Language::Zh => (&c.office.name, &c.kiosk.hall),
            Language::En => (
                &c.office.name_en,
                c.kiosk.hall_en.as_ref().unwrap_or(&c.kiosk.hall),
            ),
        };
        ReceiptFooter {
            office: office.clone(),
            hall: hall.clone(),
            phone: c.office.phone.clone(),
            kiosk_id: c.kiosk.id.clone(),
            printed_at: self.clock.now().format("%Y-%m-%d %H:%M").to_string(),
            language,
        }
    }

    /// Applies consultation jobs that have finished.
    pub(super) fn apply_consult_jobs(&self, finished: Vec<JobResult>) {
        for result in finished {
            match result {
                JobResult::Committed { kind, result } => self.request_committed(kind, result),
                JobResult::Printed(result) => {
                    let state = match &result {
                        Ok(_) => PrintState::Printed,
                        Err(error) => {
                            tracing::warn!(%error, "consultation receipt not printed");
                            PrintState::Failed(PrintProblem::of(error))
                        }
                    };
                    let mut flow = self.consult.borrow_mut();
                    // A reset (home, wipe) or another article while printing: nobody waits.
                    if flow.print == PrintState::Printing {
                        flow.print = state;
                    }
                    drop(flow);
                    self.render_consult();
                }
            }
        }
    }

    /// Applies statute look-ups that have finished.
    pub(super) fn apply_law_replies(&self, replies: Vec<LawReply>) {
        if replies.is_empty() {
            return;
        }
        {
            let mut flow = self.consult.borrow_mut();
            for reply in replies {
                match reply {
                    LawReply::Search { sequence, hits } => {
                        flow.search.finish(sequence, hits);
                    }
                    LawReply::Article(view) => flow.article = view,
                }
            }
        }
        self.render_consult();
    }

    pub(super) fn render_consult(&self) {
        let Some(window) = self.window.upgrade() else {
            return;
        };
        let a = window.global::<ConsultAdapter>();
        let language = self.language();
        let flow = self.consult.borrow();

        a.set_search_status(match flow.search.status {
            CoreStatus::Idle => SearchStatus::Idle,
            CoreStatus::Searching => SearchStatus::Searching,
            CoreStatus::Done => SearchStatus::Done,
            CoreStatus::Failed => SearchStatus::Failed,
        });
        if a.get_hits().row_count() != flow.search.hits.len()
            || flow.search.status == CoreStatus::Done
        {
            a.set_hits(model(flow.search.hits.iter().map(hit_data).collect()));
        }

        let loading = self.laws.borrow().is_busy();
        a.set_article_loading(loading && flow.article.is_none());
        match &flow.article {
            Some(view) => {
                a.set_article_law(view.article.law_title.as_str().into());
                a.set_article_divisions(view.article.divisions.join(" · ").into());
                let articles = view
                    .before
                    .iter()
                    .map(|t| article_data(t, false))
                    .chain([article_data(&view.article, true)])
                    .chain(view.after.iter().map(|t| article_data(t, false)))
                    .collect();
                a.set_articles(model(articles));
            }
            None => {
                a.set_article_law(SharedString::new());
                a.set_article_divisions(SharedString::new());
                a.set_articles(model(Vec::new()));
            }
        }

        let topics = flow.guide.topics(language);
        a.set_topics(strings(topics.iter().map(String::as_str)));
        match flow.guide.view(language) {
            Some(GuideView::Question {
                topic,
                number,
                text,
                answers,
            }) => {
                a.set_guide_finished(false);
                a.set_guide_topic(topic.into());
                a.set_guide_number(number as i32);
                a.set_guide_question(text.into());
                a.set_guide_answers(strings(answers.iter().map(String::as_str)));
            }
            Some(GuideView::Outcome {
                topic,
                guidance,
                cite,
                deadlines,
                next_steps,
            }) => {
                a.set_guide_finished(true);
                a.set_guide_topic(topic.into());
                a.set_guide_guidance(guidance.into());
                a.set_guide_cites(model(cite.iter().map(|c| cite_data(c, language)).collect()));
                a.set_guide_deadlines(strings(deadlines.iter().map(|(t, _)| t.as_str())));
                a.set_guide_deadline_cites(model(
                    deadlines
                        .iter()
                        .map(|(_, c)| cite_data(c, language))
                        .collect(),
                ));
                if let Some(handout) = flow.handout(Printable::Guidance, language) {
                    a.set_guide_qr(qr_image(&handout.qr_text()));
                }
                a.set_guide_next_steps(model(
                    next_steps
                        .iter()
                        .map(|s| NextStepData {
                            label: s.label.as_str().into(),
                            action: s.action.is_some(),
                        })
                        .collect(),
                ));
            }
            None => {
                a.set_guide_finished(false);
                a.set_guide_answers(model(Vec::new()));
            }
        }

        a.set_aid_available(flow.legal_aid_state().is_some());
        match flow.legal_aid_state() {
            None => a.set_aid_finished(false),
            Some(State::Ask(question)) => {
                a.set_aid_finished(false);
                a.set_aid_number(flow.legal_aid_number() as i32);
                a.set_aid_question(question.text.get(language).into());
                a.set_aid_options(strings(question.options.iter().map(|o| o.get(language))));
            }
            Some(State::Done(outcome)) => {
                a.set_aid_finished(true);
                a.set_aid_verdict(match outcome.verdict {
                    CoreVerdict::LikelyEligible => Verdict::Likely,
                    CoreVerdict::NotLikely => Verdict::NotLikely,
                    CoreVerdict::AskStaff => Verdict::AskStaff,
                });
                a.set_aid_reasons(strings(outcome.reasons.iter().map(|r| r.get(language))));
                a.set_aid_qr(qr_image(
                    &Handout::of_legal_aid(&outcome, language).qr_text(),
                ));
                a.set_aid_how_to_apply(strings(
                    outcome.how_to_apply.iter().map(|t| t.get(language)),
                ));
                a.set_aid_materials(strings(outcome.materials.iter().map(|m| m.get(language))));
                a.set_aid_cites(model(
                    outcome
                        .cite
                        .iter()
                        .map(|c| cite_data(c, language))
                        .collect(),
                ));
            }
        }

        a.set_print_status(print_status(flow.print));
        a.set_print_target(match flow.print_of {
            Printable::Article => PrintTarget::Article,
            Printable::Guidance => PrintTarget::Guidance,
            Printable::LegalAid => PrintTarget::LegalAid,
        });
        a.set_request_saving(flow.committing);
        a.set_request_legal_aid(flow.request.kind == RequestKind::LegalAid);
        a.set_request_sensitive(flow.request.legal_aid.as_ref().is_some_and(|l| l.sensitive));
        if let Some(receipt) = &flow.receipt {
            a.set_receipt_number(receipt.number.as_str().into());
            a.set_receipt_legal_aid(receipt.kind == RequestKind::LegalAid);
        }
    }
}

/// Empties what the citizen typed into the request form.
fn clear_request_fields(a: &ConsultAdapter<'_>) {
    a.set_request_description(SharedString::new());
    a.set_request_phone(SharedString::new());
    a.set_request_consent(false);
    a.set_request_sensitive_consent(false);
    a.set_request_problem(FormProblem::None);
}

fn print_status(state: PrintState) -> PrintStatus {
    match state {
        PrintState::Idle => PrintStatus::Idle,
        PrintState::Printing => PrintStatus::Printing,
        PrintState::Printed => PrintStatus::Printed,
        PrintState::Failed(problem) => match problem {
            PrintProblem::NoPrinter => PrintStatus::NoPrinter,
            PrintProblem::PaperOut => PrintStatus::PaperOut,
            PrintProblem::CoverOpen => PrintStatus::CoverOpen,
            PrintProblem::NotReady => PrintStatus::NotReady,
            PrintProblem::Disconnected => PrintStatus::Disconnected,
            PrintProblem::Failed => PrintStatus::Failed,
        },
    }
}

fn form_problem(problem: FormError) -> FormProblem {
    match problem {
        FormError::NoCategory => FormProblem::Category,
        FormError::NoDescription => FormProblem::Description,
        FormError::DescriptionTooLong => FormProblem::TooLong,
        FormError::BadPhone => FormProblem::Phone,
        FormError::NoConsent => FormProblem::Consent,
    }
}

fn cite_data(cite: &Citation, language: Language) -> CiteData {
    let label = article_label(cite.article, 0);
    let title = match language {
        Language::Zh => format!("{} {label}", cite.law),
        Language::En => format!("{} {label} (Art. {})", cite.law, cite.article),
    };
    CiteData {
        title: title.into(),
    }
}

fn article_data(article: &ArticleText, current: bool) -> ArticleData {
    ArticleData {
        label: article.label.as_str().into(),
        text: article.text.as_str().into(),
        current,
    }
}

fn hit_data(hit: &SearchHit) -> HitData {
    HitData {
        law: hit.law.as_str().into(),
        label: hit.label.as_str().into(),
        heading: hit.divisions.join(" · ").into(),
        snippet: snippet_text(&hit.snippet),
    }
}

/// The snippet as styled text: matched words in bold.
fn snippet_text(spans: &[Span]) -> StyledText {
    let mut markdown = String::new();
    for span in spans {
        let escaped = escape_markdown(&span.text);
        if span.hit && !escaped.trim().is_empty() {
            markdown.push_str("**");
            markdown.push_str(&escaped);
            markdown.push_str("**");
        } else {
            markdown.push_str(&escaped);
        }
    }
    StyledText::from_markdown(&markdown).unwrap_or_else(|_| {
        StyledText::from_plain_text(&spans.iter().map(|s| s.text.as_str()).collect::<String>())
    })
}

/// Statute text is plain: ASCII punctuation must not act as markup.
fn escape_markdown(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// Screenshot scenes of the consultation journeys beyond the screens' own names.
pub const CONSULT_SCENES: [&str; 6] = [
    "consult-search-results",
    "consult-guide-outcome",
    "legal-aid-outcome",
    "legal-aid-request-sensitive",
    "consult-article-printed",
    "consult-article-paper-out",
];

/// How long a scene waits for the statute index (built on first use).
const STAGE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// A fixed, meaningful state for each consultation screen, for screenshots.
pub(super) fn stage(c: &Controller, name: &str) -> bool {
    match name {
        "consult-search-results" => {
            c.dispatch(Command::Open(Screen::ConsultSearch));
            c.adapter_do(|a| a.set_query("拖欠工资".into()));
            c.search();
        }
        "consult-article" | "consult-article-printed" | "consult-article-paper-out" => {
            c.open_citation(Citation {
                law: "劳动合同法".into(),
                article: 30,
            });
            c.consult.borrow_mut().print = match name {
                "consult-article-printed" => PrintState::Printed,
                "consult-article-paper-out" => PrintState::Failed(PrintProblem::PaperOut),
                _ => PrintState::Idle,
            };
        }
        "consult-guide" | "consult-guide-outcome" => {
            c.dispatch(Command::Open(Screen::ConsultGuideTopics));
            c.choose_topic(0);
            if name == "consult-guide-outcome" {
                c.guide_answer(0);
                c.guide_answer(0);
            }
        }
        "legal-aid-outcome" => {
            c.dispatch(Command::Open(Screen::LegalAid));
            // No close deadline, another dispute, no ground without a means test, wages,
            // receives social assistance.
            for answer in [1, 3, 4, 4, 1] {
                c.aid_answer(answer);
            }
        }
        "legal-aid-request-sensitive" => {
            c.dispatch(Command::Open(Screen::LegalAid));
            // No close deadline, another dispute, a victim of domestic violence: the request
            // asks for the separate consent.
            for answer in [1, 3, 0] {
                c.aid_answer(answer);
            }
            c.start_request(true);
        }
        "consult-request" => c.start_request(false),
        "consult-receipt" => {
            c.consult.borrow_mut().receipt = Some(ShownReceipt {
                kind: RequestKind::Consultation,
                number: "ZX-20261122-0001".into(),
            });
            c.render_consult();
            c.dispatch(Command::Open(Screen::ConsultReceipt));
        }
        _ => return false,
    }
    let replies = c.laws.borrow_mut().wait_all(STAGE_TIMEOUT);
    c.apply_law_replies(replies);
    true
}
