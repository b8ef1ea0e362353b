//! The call-back request (预约回电) and the legal-aid application request: what the citizen
//! typed, its validation, and the payload committed to the store.

use crate::domain::Language;
use crate::domain::{NewSubmission, SubmissionKind};
use crate::laws::legal_aid::ApplicationRequest;
use serde_json::json;

/// Longest description accepted: a short note for the lawyer, not a statement of the case.
pub const MAX_DESCRIPTION_CHARS: usize = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RequestKind {
    /// A lawyer of the 12348 hotline calls back.
    #[default]
    Consultation,
    /// After the pre-check: the legal-aid office contacts the citizen about an application.
    LegalAid,
}

impl RequestKind {
    pub fn submission_kind(self) -> SubmissionKind {
        match self {
            RequestKind::Consultation => SubmissionKind::Consultation,
            RequestKind::LegalAid => SubmissionKind::LegalAidPrecheck,
        }
    }
}

/// What the problem is about, in the order the request screen lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Labour,
    Family,
    DebtAndContracts,
    TrafficAccident,
    Consumer,
    Inheritance,
    DomesticViolence,
    Other,
}

impl Category {
    pub const ALL: [Category; 8] = [
        Category::Labour,
        Category::Family,
        Category::DebtAndContracts,
        Category::TrafficAccident,
        Category::Consumer,
        Category::Inheritance,
        Category::DomesticViolence,
        Category::Other,
    ];

    /// The category a guided-question topic belongs to.
    pub fn for_topic(topic: &str) -> Option<Category> {
        Some(match topic {
            "unpaid_wages" | "dismissal" => Category::Labour,
            "divorce" => Category::Family,
            "private_loan" => Category::DebtAndContracts,
            "traffic_accident" => Category::TrafficAccident,
            "consumer" => Category::Consumer,
            "inheritance" => Category::Inheritance,
            "domestic_violence" => Category::DomesticViolence,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Labour => "labour",
            Category::Family => "family",
            Category::DebtAndContracts => "debt_and_contracts",
            Category::TrafficAccident => "traffic_accident",
            Category::Consumer => "consumer",
            Category::Inheritance => "inheritance",
            Category::DomesticViolence => "domestic_violence",
            Category::Other => "other",
        }
    }
}

/// Why the form cannot be submitted yet; the screen shows the first one by its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    #[error("choose what your problem is about")]
    NoCategory,
    #[error("describe your problem in a few words")]
    NoDescription,
    #[error("the description is longer than {MAX_DESCRIPTION_CHARS} characters")]
    DescriptionTooLong,
    #[error("enter an 11-digit mobile number starting with 1")]
    BadPhone,
    #[error("agree to the use of your data to be called back")]
    NoConsent,
}

/// The form as typed. Holds a phone number and a free-text description, so `Debug` shows
/// neither.
#[derive(Clone, Default)]
pub struct RequestForm {
    pub kind: RequestKind,
    pub category: Option<Category>,
    pub description: String,
    pub phone: String,
    pub consent: bool,
    /// The separate consent (个人信息保护法 art. 29) to send pre-check answers that are
    /// sensitive personal information; without it the request carries none of them.
    pub sensitive_consent: bool,
    /// The pre-check result a legal-aid request carries.
    pub legal_aid: Option<ApplicationRequest>,
    /// The guided-question topic and path that led here, if any.
    pub guide_trail: Option<(String, Vec<String>)>,
    /// The last failed validation, shown until the citizen changes something.
    pub error: Option<FormError>,
}

impl std::fmt::Debug for RequestForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestForm")
            .field("kind", &self.kind)
            .field("category", &self.category)
            .field("description_chars", &self.description.chars().count())
            .field("phone", &mask_phone(&self.phone))
            .field("consent", &self.consent)
            .field("sensitive_consent", &self.sensitive_consent)
            .field("error", &self.error)
            .finish()
    }
}

fn mask_phone(phone: &str) -> String {
    phone
        .chars()
        .enumerate()
        .map(|(i, c)| if (3..7).contains(&i) { '*' } else { c })
        .collect()
}

/// A mainland mobile number: 11 digits starting with 1 (spaces and dashes ignored).
pub fn normalise_phone(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    (digits.len() == 11 && digits.starts_with('1') && digits.chars().all(|c| c.is_ascii_digit()))
        .then_some(digits)
}

impl RequestForm {
    /// A fresh form of `kind`.
    pub fn new(kind: RequestKind) -> RequestForm {
        RequestForm {
            kind,
            ..RequestForm::default()
        }
    }

    /// Checks the form; a legal-aid request needs no category or description (the pre-check
    /// says what it is about).
    pub fn validate(&self) -> Result<(), FormError> {
        if self.kind == RequestKind::Consultation {
            if self.category.is_none() {
                return Err(FormError::NoCategory);
            }
            if self.description.trim().is_empty() {
                return Err(FormError::NoDescription);
            }
        }
        if self.description.chars().count() > MAX_DESCRIPTION_CHARS {
            return Err(FormError::DescriptionTooLong);
        }
        if normalise_phone(&self.phone).is_none() {
            return Err(FormError::BadPhone);
        }
        if !self.consent {
            return Err(FormError::NoConsent);
        }
        Ok(())
    }

    /// The submission to commit, or the first problem (also kept in `error`).
    pub fn submission(&mut self, language: Language) -> Result<NewSubmission, FormError> {
        if let Err(error) = self.validate() {
            self.error = Some(error);
            return Err(error);
        }
        self.error = None;
        let phone = normalise_phone(&self.phone).unwrap_or_default();
        let language = match language {
            Language::Zh => "zh",
            Language::En => "en",
        };
        let mut payload = json!({
            "phone": phone,
            "description": self.description.trim(),
            "language": language,
            "consent": true,
        });
        if let Some(category) = self.category {
            payload["category"] = json!(category.as_str());
        }
        if let Some((topic, path)) = &self.guide_trail {
            payload["guide"] = json!({ "topic": topic, "path": path });
        }
        if let Some(application) = &self.legal_aid {
            payload["legal_aid"] = if !application.sensitive || self.sensitive_consent {
                json!(application)
            } else {
                json!(application.withheld())
            };
            payload["sensitive_consent"] = json!(self.sensitive_consent);
        }
        Ok(NewSubmission {
            kind: self.kind.submission_kind(),
            payload,
            attachments: Vec::new(),
            progress_index: None,
        })
    }
}
