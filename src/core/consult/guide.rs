//! Guided questions: the choice of topic and the way through its tree. The answers given are
//! kept as indices and replayed with [`GuideWalk`], so going back is dropping the last one.

use super::handout::Handout;
use crate::domain::Language;
use crate::laws::guide::{Citation, GuideTree, GuideWalk, NextStep};

#[derive(Debug)]
pub struct GuideFlow {
    trees: Vec<GuideTree>,
    /// The chosen topic and the answers given in it.
    walk: Option<(usize, Vec<usize>)>,
}

/// What the guide screen shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuideView {
    Question {
        topic: String,
        /// 1 for the first question.
        number: usize,
        text: String,
        answers: Vec<String>,
    },
    Outcome {
        topic: String,
        guidance: String,
        cite: Vec<Citation>,
        /// Deadline text and the article it comes from.
        deadlines: Vec<(String, Citation)>,
        next_steps: Vec<NextStepView>,
    },
}

/// What tapping a next step does on the kiosk itself; the other next steps are places to
/// go, shown as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepAction {
    /// Opens the legal-aid pre-check.
    LegalAidCheck,
    /// Opens the call-back request, which carries the guided-question path.
    CallBack,
}

impl StepAction {
    pub fn of(step: NextStep) -> Option<StepAction> {
        match step {
            NextStep::LegalAid => Some(StepAction::LegalAidCheck),
            NextStep::ConsultationRequest => Some(StepAction::CallBack),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextStepView {
    pub label: String,
    pub action: Option<StepAction>,
}

impl GuideFlow {
    pub fn new(trees: Vec<GuideTree>) -> GuideFlow {
        GuideFlow { trees, walk: None }
    }

    /// Topic titles in the citizen's language, in the order `choose` takes.
    pub fn topics(&self, language: Language) -> Vec<String> {
        self.trees
            .iter()
            .map(|t| t.title.get(language).to_string())
            .collect()
    }

    /// Starts the topic at `index`; false for an unknown one.
    pub fn choose(&mut self, index: usize) -> bool {
        let known = index < self.trees.len();
        if known {
            self.walk = Some((index, Vec::new()));
        }
        known
    }

    /// Answers the current question; false when there is no such answer or the walk ended.
    pub fn answer(&mut self, option: usize) -> bool {
        let Some((tree, answers)) = &mut self.walk else {
            return false;
        };
        let Some(mut walk) = replay(&self.trees[*tree], answers) else {
            return false;
        };
        if walk.answer(option).is_err() {
            return false;
        }
        answers.push(option);
        true
    }

    /// The previous question; false at the first one (the screen is then left).
    pub fn back(&mut self) -> bool {
        match &mut self.walk {
            Some((_, answers)) => answers.pop().is_some(),
            None => false,
        }
    }

    pub fn reset(&mut self) {
        self.walk = None;
    }

    pub fn view(&self, language: Language) -> Option<GuideView> {
        let (index, answers) = self.walk.as_ref()?;
        let tree = &self.trees[*index];
        let walk = replay(tree, answers)?;
        let topic = tree.title.get(language).to_string();
        let node = walk.current();
        if let Some(guidance) = &node.guidance {
            return Some(GuideView::Outcome {
                topic,
                guidance: guidance.get(language).to_string(),
                cite: node.cite.clone(),
                deadlines: node
                    .deadlines
                    .iter()
                    .map(|d| (d.text.get(language).to_string(), d.cite.clone()))
                    .collect(),
                next_steps: node
                    .next_steps
                    .iter()
                    .map(|&s| NextStepView {
                        label: s.label().get(language).to_string(),
                        action: StepAction::of(s),
                    })
                    .collect(),
            });
        }
        Some(GuideView::Question {
            topic,
            number: answers.len() + 1,
            text: node
                .question
                .as_ref()
                .map(|q| q.get(language).to_string())
                .unwrap_or_default(),
            answers: node
                .answers
                .iter()
                .map(|a| a.text.get(language).to_string())
                .collect(),
        })
    }

    /// The outcome reached, to print and take home.
    pub fn handout(&self, language: Language) -> Option<Handout> {
        let (index, answers) = self.walk.as_ref()?;
        let tree = &self.trees[*index];
        let walk = replay(tree, answers)?;
        Handout::of_guide(tree, walk.outcome()?, language)
    }

    /// The topic id and the node ids visited, for a call-back request to tell staff.
    pub fn trail(&self) -> Option<(String, Vec<String>)> {
        let (index, answers) = self.walk.as_ref()?;
        let tree = &self.trees[*index];
        let walk = replay(tree, answers)?;
        Some((
            tree.id.clone(),
            walk.path().into_iter().map(String::from).collect(),
        ))
    }
}

fn replay<'t>(tree: &'t GuideTree, answers: &[usize]) -> Option<GuideWalk<'t>> {
    let mut walk = GuideWalk::new(tree).ok()?;
    for &answer in answers {
        walk.answer(answer).ok()?;
    }
    Some(walk)
}
