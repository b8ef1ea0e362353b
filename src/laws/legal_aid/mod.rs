//! Legal-aid pre-check (法律援助法): a pure state machine over the Act's criteria — the
//! matters of art. 31, the no-means-test cases of art. 32, criminal cases (arts. 24, 25, 28,
//! 29, 30, 33), the exemptions from the means check of art. 42, the province's
//! economic-difficulty threshold (art. 34, configuration) and the personal integrity promise
//! (art. 41) — ending in likely eligible / not likely / may qualify (ask staff), with reasons,
//! where to apply (art. 38), materials and the data an application request carries. It
//! decides nothing: the legal-aid office does, within 7 days (art. 43).

mod grounds;
mod outcome;
mod questions;

pub use outcome::{ApplicationRequest, LegalAidOutcome, MeansCheck, Verdict, WithheldApplication};
pub use questions::{Question, Step};

use crate::config::LegalAidPolicy;

/// Answers given so far; the current question and the outcome are derived from them, so
/// going back is dropping the last answer.
#[derive(Debug, Clone)]
pub struct LegalAidCheck {
    policy: LegalAidPolicy,
    answers: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LegalAidError {
    #[error("question {step:?} has no option {option}")]
    NoSuchOption { step: Step, option: usize },
    #[error("the check is finished; it takes no more answers")]
    Finished,
}

/// Where replaying the answers leads.
#[derive(Debug, Clone, PartialEq)]
pub enum State {
    Ask(Question),
    Done(LegalAidOutcome),
}

impl LegalAidCheck {
    pub fn new(policy: LegalAidPolicy) -> LegalAidCheck {
        LegalAidCheck {
            policy,
            answers: Vec::new(),
        }
    }

    pub fn state(&self) -> State {
        questions::replay(&self.policy, &self.answers)
    }

    /// Answers the current question with option `option`.
    pub fn answer(&mut self, option: usize) -> Result<State, LegalAidError> {
        match self.state() {
            State::Done(_) => Err(LegalAidError::Finished),
            State::Ask(question) if option >= question.options.len() => {
                Err(LegalAidError::NoSuchOption {
                    step: question.step,
                    option,
                })
            }
            State::Ask(_) => {
                self.answers.push(option);
                Ok(self.state())
            }
        }
    }

    /// Goes back one question; false at the first.
    pub fn back(&mut self) -> bool {
        self.answers.pop().is_some()
    }
}

#[cfg(test)]
mod tests;
