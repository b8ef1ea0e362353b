//! The legal-consultation journeys (法律咨询) as one UI-independent state: statute search and
//! the article view, guided questions, the legal-aid pre-check, and the call-back or
//! application request with its receipt. The adapter renders [`ConsultFlow`] and feeds it
//! what the citizen chose; searches and store commits run elsewhere and hand their results in.
//!
//! Everything here is personal to one citizen, so [`ConsultFlow::reset`] runs whenever the
//! session is wiped or returns home.

mod guide;
mod handout;
mod print;
mod request;
mod search;

pub use guide::{GuideFlow, GuideView, NextStepView, StepAction};
pub use handout::Handout;
pub use print::{article_receipt, PrintProblem, PrintState, ReceiptFooter};
pub use request::{Category, FormError, RequestForm, RequestKind};
pub use search::{SearchState, SearchStatus};

use super::screen::Screen;
use crate::config::LegalAidPolicy;
use crate::domain::Language;
use crate::laws::guide::{GuideError, GuideTree};
use crate::laws::legal_aid::{LegalAidCheck, State};
use crate::laws::ArticleView;

/// What the receipt printer can print from the consultation screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Printable {
    #[default]
    Article,
    /// The guided-question outcome.
    Guidance,
    /// The pre-check outcome.
    LegalAid,
}

impl Printable {
    /// What `screen` prints, if anything.
    pub fn on(screen: Screen) -> Option<Printable> {
        match screen {
            Screen::ConsultArticle => Some(Printable::Article),
            Screen::ConsultGuide => Some(Printable::Guidance),
            Screen::LegalAid => Some(Printable::LegalAid),
            _ => None,
        }
    }
}

/// A receipt to show after a durable commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownReceipt {
    pub kind: RequestKind,
    pub number: String,
}

#[derive(Debug)]
pub struct ConsultFlow {
    /// The province's economic-difficulty standard; `None` when the deployment has not
    /// configured one, and then there is no pre-check to run.
    policy: Option<LegalAidPolicy>,
    pub search: SearchState,
    /// The article on the article screen, with its neighbours.
    pub article: Option<ArticleView>,
    /// Printing the opened article or an outcome.
    pub print: PrintState,
    /// What `print` is about, so each screen shows only its own print.
    pub print_of: Printable,
    pub guide: GuideFlow,
    legal_aid: Option<LegalAidCheck>,
    /// Questions of the pre-check answered so far.
    legal_aid_answered: usize,
    pub request: RequestForm,
    /// The request is being committed to the store (off the UI thread); the form waits.
    pub committing: bool,
    pub receipt: Option<ShownReceipt>,
}

impl ConsultFlow {
    pub fn new(policy: Option<LegalAidPolicy>) -> Result<ConsultFlow, GuideError> {
        Ok(ConsultFlow {
            search: SearchState::default(),
            article: None,
            print: PrintState::Idle,
            print_of: Printable::default(),
            guide: GuideFlow::new(GuideTree::builtin()?),
            legal_aid: policy.clone().map(LegalAidCheck::new),
            legal_aid_answered: 0,
            request: RequestForm::default(),
            committing: false,
            receipt: None,
            policy,
        })
    }

    /// Forgets everything the citizen entered or chose.
    pub fn reset(&mut self) {
        self.search = SearchState::default();
        self.article = None;
        self.print = PrintState::Idle;
        self.print_of = Printable::default();
        self.guide.reset();
        self.restart_legal_aid();
        self.request = RequestForm::default();
        self.committing = false;
        self.receipt = None;
    }

    /// "Back" on `screen` when it steps within the screen (the previous question) rather
    /// than leaving it; false when the screen should be left.
    pub fn back_within(&mut self, screen: Screen) -> bool {
        match screen {
            Screen::ConsultGuide => self.guide.back(),
            Screen::LegalAid => {
                let stepped = self.legal_aid.as_mut().is_some_and(LegalAidCheck::back);
                if stepped {
                    self.legal_aid_answered -= 1;
                }
                stepped
            }
            _ => false,
        }
    }
}

impl ConsultFlow {
    pub fn restart_legal_aid(&mut self) {
        self.legal_aid = self.policy.clone().map(LegalAidCheck::new);
        self.legal_aid_answered = 0;
    }

    /// A finished print of `what` no longer applies (another outcome, another article); a
    /// print under way still reports.
    pub fn forget_print(&mut self, what: Printable) {
        if self.print_of == what && self.print != PrintState::Printing {
            self.print = PrintState::Idle;
        }
    }

    /// The outcome of `what` to print and take home; `None` before there is one.
    pub fn handout(&self, what: Printable, language: Language) -> Option<Handout> {
        match what {
            Printable::Article => None,
            Printable::Guidance => self.guide.handout(language),
            Printable::LegalAid => match self.legal_aid_state()? {
                State::Done(outcome) => Some(Handout::of_legal_aid(&outcome, language)),
                State::Ask(_) => None,
            },
        }
    }

    /// Answers the pre-check's current question; false when there is no such option.
    pub fn legal_aid_answer(&mut self, option: usize) -> bool {
        let answered = self
            .legal_aid
            .as_mut()
            .is_some_and(|check| check.answer(option).is_ok());
        if answered {
            self.legal_aid_answered += 1;
        }
        answered
    }

    /// 1 for the first question.
    pub fn legal_aid_number(&self) -> usize {
        self.legal_aid_answered + 1
    }

    /// Where the pre-check stands; `None` when no standard is configured.
    pub fn legal_aid_state(&self) -> Option<State> {
        self.legal_aid.as_ref().map(LegalAidCheck::state)
    }

    /// A fresh request form of `kind`, carrying what the citizen already told the kiosk: the
    /// pre-check result, or the guided-question path and the category it implies.
    pub fn start_request(&mut self, kind: RequestKind) {
        self.request = RequestForm::new(kind);
        match kind {
            RequestKind::LegalAid => {
                if let Some(State::Done(outcome)) = self.legal_aid_state() {
                    self.request.legal_aid = Some(outcome.application);
                }
            }
            RequestKind::Consultation => {
                if let Some((topic, path)) = self.guide.trail() {
                    self.request.category = Category::for_topic(&topic);
                    self.request.guide_trail = Some((topic, path));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
