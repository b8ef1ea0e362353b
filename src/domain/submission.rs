//! What a citizen submits, as the flows hand it to the store and the store hands it on.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What a citizen submitted. Each kind has its own receipt-number prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionKind {
    NotaryApplication,
    Consultation,
    LegalAidPrecheck,
    Rating,
}

impl SubmissionKind {
    pub const ALL: [SubmissionKind; 4] = [
        SubmissionKind::NotaryApplication,
        SubmissionKind::Consultation,
        SubmissionKind::LegalAidPrecheck,
        SubmissionKind::Rating,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SubmissionKind::NotaryApplication => "notary_application",
            SubmissionKind::Consultation => "consultation",
            SubmissionKind::LegalAidPrecheck => "legal_aid_precheck",
            SubmissionKind::Rating => "rating",
        }
    }

    /// Receipt prefix: pinyin initials staff recognise (公证, 咨询, 援助, 评价).
    pub fn receipt_prefix(self) -> &'static str {
        match self {
            SubmissionKind::NotaryApplication => "GZ",
            SubmissionKind::Consultation => "ZX",
            SubmissionKind::LegalAidPrecheck => "YZ",
            SubmissionKind::Rating => "PJ",
        }
    }

    pub fn parse(text: &str) -> Option<SubmissionKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// What an attachment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentRole {
    /// A scanned document page (JPEG from the document camera).
    Document,
    /// The image of the fingerprint mark (指印) the citizen put on the application, not a
    /// biometric template.
    FingerprintMark,
    /// The citizen's handwritten signature on the application (PNG, black ink on white).
    Signature,
}

impl AttachmentRole {
    pub fn as_str(self) -> &'static str {
        match self {
            AttachmentRole::Document => "document",
            AttachmentRole::FingerprintMark => "fingerprint_mark",
            AttachmentRole::Signature => "signature",
        }
    }

    pub fn parse(text: &str) -> Option<AttachmentRole> {
        [
            AttachmentRole::Document,
            AttachmentRole::FingerprintMark,
            AttachmentRole::Signature,
        ]
        .into_iter()
        .find(|r| r.as_str() == text)
    }
}

/// One attachment of a submission. `label` names the material type (e.g. "身份证正面"),
/// never the citizen.
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    pub role: AttachmentRole,
    pub label: String,
    pub media_type: String,
    pub data: Vec<u8>,
}

impl fmt::Debug for Attachment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Attachment({} {} {}, {} bytes)",
            self.role.as_str(),
            self.label,
            self.media_type,
            self.data.len()
        )
    }
}

/// A finished citizen submission, ready to commit. Drafts are never stored: only what the
/// citizen confirmed reaches the store.
#[derive(Clone)]
pub struct NewSubmission {
    pub kind: SubmissionKind,
    pub payload: serde_json::Value,
    pub attachments: Vec<Attachment>,
    /// What the progress query finds the submission by (notary applications only). Given
    /// apart from the payload so that the store never reads the payload's JSON shape.
    pub progress_index: Option<ProgressIndex>,
}

impl fmt::Debug for NewSubmission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The payload holds names, ID numbers and addresses: never print its content.
        f.debug_struct("NewSubmission")
            .field("kind", &self.kind)
            .field("payload", &"***")
            .field("attachments", &self.attachments)
            .field("progress_index", &self.progress_index)
            .finish()
    }
}

/// How the progress query finds a notary application: the keyed digest of the applicant's ID
/// number (never the number) and the matter's name in both languages.
#[derive(Clone, PartialEq, Eq)]
pub struct ProgressIndex {
    pub id_number_digest: String,
    pub matter_zh: String,
    pub matter_en: String,
}

impl fmt::Debug for ProgressIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The digest is keyed, but it still identifies a person to whoever holds the key.
        f.debug_struct("ProgressIndex")
            .field("matter_en", &self.matter_en)
            .finish_non_exhaustive()
    }
}
