//! The legal-consultation journeys (法律咨询) as one UI-independent state: statute search and
//! the article view, guided questions, the legal-aid pre-check, and the call-back or
//! application request with its receipt. The adapter renders [`ConsultFlow`] and feeds it
//! what the citizen chose; searches and store commits run elsewhere and hand their results in.
//!
//! Everything here is personal to one citizen, so [`ConsultFlow::reset`] runs whenever the
//! session is wiped or returns home.

mod guide;
mod request;
mod search;

pub use guide::{GuideFlow, GuideView};
pub use request::{Category, FormError, RequestForm, RequestKind};
pub use search::{SearchState, SearchStatus};

use super::screen::Screen;
use crate::config::Language;
use crate::laws::guide::{GuideError, GuideTree, Text};
use crate::laws::legal_aid::{LegalAidCheck, LegalAidPolicy, State};
use crate::laws::ArticleView;

/// Picks the citizen's language from a bilingual text.
pub fn pick(text: &Text, language: Language) -> &str {
    match language {
        Language::Zh => &text.zh,
        Language::En => &text.en,
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
    policy: LegalAidPolicy,
    pub search: SearchState,
    /// The article on the article screen, with its neighbours.
    pub article: Option<ArticleView>,
    pub guide: GuideFlow,
    legal_aid: LegalAidCheck,
    /// Questions of the pre-check answered so far.
    legal_aid_answered: usize,
    pub request: RequestForm,
    pub receipt: Option<ShownReceipt>,
}

impl ConsultFlow {
    pub fn new(policy: LegalAidPolicy) -> Result<ConsultFlow, GuideError> {
        Ok(ConsultFlow {
            search: SearchState::default(),
            article: None,
            guide: GuideFlow::new(GuideTree::builtin()?),
            legal_aid: LegalAidCheck::new(policy.clone()),
            legal_aid_answered: 0,
            request: RequestForm::default(),
            receipt: None,
            policy,
        })
    }

    /// Forgets everything the citizen entered or chose.
    pub fn reset(&mut self) {
        self.search = SearchState::default();
        self.article = None;
        self.guide.reset();
        self.restart_legal_aid();
        self.request = RequestForm::default();
        self.receipt = None;
    }

    /// "Back" on `screen` when it steps within the screen (the previous question) rather
    /// than leaving it; false when the screen should be left.
    pub fn back_within(&mut self, screen: Screen) -> bool {
        match screen {
            Screen::ConsultGuide => self.guide.back(),
            Screen::LegalAid => {
                let stepped = self.legal_aid.back();
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
        self.legal_aid = LegalAidCheck::new(self.policy.clone());
        self.legal_aid_answered = 0;
    }

    /// Answers the pre-check's current question; false when there is no such option.
    pub fn legal_aid_answer(&mut self, option: usize) -> bool {
        let answered = self.legal_aid.answer(option).is_ok();
        if answered {
            self.legal_aid_answered += 1;
        }
        answered
    }

    /// 1 for the first question.
    pub fn legal_aid_number(&self) -> usize {
        self.legal_aid_answered + 1
    }

    pub fn legal_aid_state(&self) -> State {
        self.legal_aid.state()
    }

    /// A fresh request form of `kind`, carrying what the citizen already told the kiosk: the
    /// pre-check result, or the guided-question path and the category it implies.
    pub fn start_request(&mut self, kind: RequestKind) {
        self.request = RequestForm::new(kind);
        match kind {
            RequestKind::LegalAid => {
                if let State::Done(outcome) = self.legal_aid.state() {
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

/// The pre-check's economic-difficulty standard until the deployment configures its own.
pub fn default_policy() -> LegalAidPolicy {
    LegalAidPolicy {
        region: "广东省中山市".into(),
        region_en: "Zhongshan, Guangdong".into(),
        monthly_income_threshold_yuan: 2592,
    }
}

#[cfg(test)]
mod tests;
