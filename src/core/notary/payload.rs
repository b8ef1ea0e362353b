//! The submission handed to the store and forwarded to the office's case system: every
//! field legal-domain.md §2.2 lists that a kiosk can know, as versioned JSON, plus the
//! captured images it refers to by digest.

use super::applicant::{CardKind, Sex};
use super::appointment::Slot;
use super::catalogue::{Authentication, LegalGroup};
use super::consent::ConsentRecord;
use super::declaration::TruthfulnessPromise;
use super::fees::FeeEstimate;
use super::form::{DeliveryMethod, Purpose};
use super::jurisdiction::Basis;
use super::mask::mask_id_number;
use super::parties::{ApplicantRole, PartyField};
use super::signature::SignatureImage;
use crate::domain::{
    Attachment as StoredAttachment, AttachmentRole, NewSubmission, ProgressIndex,
    SubmissionKind as StoredKind,
};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

pub const PAYLOAD_SCHEMA: &str = "legal-kiosk/notary-submission/1";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionKind {
    /// A full application (申请).
    Application,
    /// An in-person matter: a request for an appointment (预约).
    AppointmentRequest,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionPayload {
    pub schema: String,
    pub kind: SubmissionKind,
    pub kiosk_id: String,
    pub created_at: DateTime<FixedOffset>,
    /// Language the applicant used at the kiosk ("zh" / "en").
    pub language: String,
    pub applicant: PayloadApplicant,
    /// The other parties (公证程序规则 art. 17): the person applied for (a guardian's ward,
    /// an agent's principal) and those the matter involves, as the catalogue declares them.
    #[serde(default)]
    pub parties: Vec<PayloadParty>,
    pub matter: PayloadMatter,
    pub materials: Vec<PayloadMaterial>,
    pub identity_verification: IdentityVerification,
    pub consents: ConsentRecord,
    pub acknowledgements: Acknowledgements,
    pub fee: PayloadFee,
    pub office_routing: OfficeRouting,
    /// The handwritten signature (公证程序规则 art. 17); absent only in payloads written
    /// before the kiosk asked for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<PayloadSignature>,
}

/// Label of the signature attachment (one per application).
pub const SIGNATURE_LABEL: &str = "application_signature";

/// What the signature confirms: the application and the truthfulness promise.
pub const SIGNATURE_CONFIRMS: [&str; 2] = ["application", "truthfulness_promise"];

/// The signature: which attachment holds its PNG, that PNG's SHA-256, and when it was
/// confirmed. The case system checks the attachment's bytes against `sha256`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayloadSignature {
    pub attachment: SignatureRef,
    /// Lower-case hex SHA-256 of the PNG bytes.
    pub sha256: String,
    pub signed_at: DateTime<FixedOffset>,
    pub confirms: Vec<String>,
}

/// Names the attachment by its role and label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureRef {
    pub role: String,
    pub label: String,
    pub size: u64,
    pub content_type: String,
}

impl PayloadSignature {
    pub fn new(image: &SignatureImage, signed_at: DateTime<FixedOffset>) -> PayloadSignature {
        PayloadSignature {
            attachment: SignatureRef {
                role: AttachmentRole::Signature.as_str().into(),
                label: SIGNATURE_LABEL.into(),
                size: image.png.len() as u64,
                content_type: "image/png".into(),
            },
            sha256: image.sha256.clone(),
            signed_at,
            confirms: SIGNATURE_CONFIRMS.iter().map(|c| c.to_string()).collect(),
        }
    }
}

impl fmt::Debug for SubmissionPayload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SubmissionPayload")
            .field("kind", &self.kind)
            .field("matter", &self.matter.id)
            .field("applicant", &self.applicant)
            .field("materials", &self.materials.len())
            .finish_non_exhaustive()
    }
}

impl SubmissionPayload {
    pub fn to_json(&self) -> String {
        // Serialising plain structs with string keys cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// What the store indexes for the progress query, taken from the typed fields so the
    /// store never reads the JSON.
    pub fn progress_index(&self) -> ProgressIndex {
        ProgressIndex {
            id_number_digest: self.applicant.id_number_digest.clone(),
            matter_zh: self.matter.name_zh.clone(),
            matter_en: self.matter.name_en.clone(),
        }
    }
}

/// The party (定式公证书 party fields; 公证程序规则 art. 17 (1)).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayloadApplicant {
    /// How the card holder applies: for themself, as a guardian, or as an agent.
    #[serde(default = "self_role")]
    pub role: ApplicantRole,
    pub name: String,
    /// 曾用名, when the applicant gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub former_name: Option<String>,
    pub sex: Sex,
    /// 民族: only when the office's form needs it (`[notary] ethnicity_on_office_form`);
    /// otherwise left out of the JSON altogether.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ethnicity: Option<String>,
    pub birth_date: NaiveDate,
    pub id_type: CardKind,
    pub id_number: String,
    /// Keyed digest of the ID number, for the progress query without decrypting.
    pub id_number_digest: String,
    pub id_issuing_authority: Option<String>,
    /// `None` with `id_long_term` = true: 长期.
    pub id_valid_until: Option<NaiveDate>,
    pub id_long_term: bool,
    pub address_registered: String,
    pub address_current: String,
    pub phone: String,
    /// ISO 3166 alpha-3; "CHN" for resident identity cards, unknown otherwise.
    pub nationality: Option<String>,
}

fn self_role() -> ApplicantRole {
    ApplicantRole::Myself
}

/// One other party: its role (`[[party_role]]` id) and the fields the catalogue asks for it,
/// each as a string (`birth_date`/`death_date` `YYYY-MM-DD`; `period_from`/`period_to`
/// `YYYY-MM` or `YYYY-MM-DD`; `relationship` an id of the catalogue's list; `id_number` and
/// `credit_code` upper case). Fields left empty are absent.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayloadParty {
    pub role: String,
    #[serde(flatten)]
    pub fields: BTreeMap<PartyField, String>,
}

impl fmt::Debug for PayloadParty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "PayloadParty({}, {} fields)",
            self.role,
            self.fields.len()
        )
    }
}

impl fmt::Debug for PayloadApplicant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PayloadApplicant({})", mask_id_number(&self.id_number))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayloadMatter {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub legal_group: LegalGroup,
    pub purpose: Purpose,
    /// ISO 3166 alpha-2 (HK, MO and TW for Hong Kong, Macao and Taiwan); `None` = used in
    /// mainland China.
    pub country_of_use: Option<String>,
    pub translation_language: Option<String>,
    pub translation_conformity: bool,
    pub authentication: Authentication,
    /// What the applicant was told the place of use needs, as shown.
    pub authentication_note_zh: String,
    pub copies: u32,
    pub delivery: PayloadDelivery,
    pub in_person_required: bool,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayloadDelivery {
    pub method: DeliveryMethod,
    pub postal_address: Option<String>,
}

impl fmt::Debug for PayloadDelivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PayloadDelivery({:?})", self.method)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaterialSource {
    Scanned,
    BringInPerson,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayloadMaterial {
    pub material_id: String,
    pub name_zh: String,
    pub required: bool,
    pub source: MaterialSource,
    pub original_to_show: bool,
    pub attachment: Option<AttachmentRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentRef {
    pub sha256: String,
    pub size: u64,
    pub content_type: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FingerprintCheck {
    /// The matter asks for none.
    NotRequested,
    /// No fingerprint module fitted: staff check at the office.
    Unavailable,
    /// Live finger matched the card chip's template (on the device; nothing kept).
    Matched,
    /// The applicant skipped it or it did not match: staff check at the office.
    Skipped,
}

/// How identity was verified; never raw biometrics (legal-domain.md §6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityVerification {
    pub method: String,
    pub card_read_at: DateTime<FixedOffset>,
    pub fingerprint: FingerprintCheck,
    pub device_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acknowledgements {
    /// The applicant confirmed on the review screen that the phone and address given are
    /// the service address (送达地址确认).
    pub service_address_confirmed: bool,
    /// The applicant ticked the truthfulness promise after reading 公证法 arts. 27, 31 (5)
    /// and 44, and when.
    pub truthfulness: TruthfulnessPromise,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayloadFee {
    pub estimate: FeeEstimate,
    pub reductions_claimed: Vec<String>,
    pub payment_status: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeRouting {
    pub office_name_zh: String,
    pub preferred_date: Option<NaiveDate>,
    /// Why this office may take the application (公证法 art. 25), as the applicant answered;
    /// absent where the kiosk has no `[office.area]` and did not ask.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<PayloadJurisdiction>,
    /// In-person matters: the free time booked at the kiosk (`GET /v1/slots`), or none and
    /// the office calls to agree one (offline, or no time suited).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment: Option<PayloadAppointment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayloadAppointment {
    pub slot: Option<Slot>,
    pub office_to_call: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayloadJurisdiction {
    /// The place the applicant said is in the office's area.
    pub basis: Basis,
    /// The area as configured, e.g. 深圳市福田区.
    pub area_zh: String,
    /// The answer to "does this involve real property?", where the matter's rule asks it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub involves_real_estate: Option<bool>,
}

/// A captured image that goes with the payload.
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    pub material_id: String,
    pub sha256: String,
    pub jpeg: Vec<u8>,
}

impl fmt::Debug for Attachment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Attachment({}, {} bytes)",
            self.material_id,
            self.jpeg.len()
        )
    }
}

/// What `Effect::Submit` hands to the store: commit it durably, then answer with a receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    pub payload: SubmissionPayload,
    pub attachments: Vec<Attachment>,
    /// The signature's PNG, sent after the documents.
    pub signature: Option<SignatureImage>,
}

impl Submission {
    /// The application as the store commits it: the payload as JSON, the captures as
    /// document attachments, and the progress index from the payload's typed fields.
    pub fn into_new_submission(self) -> Result<NewSubmission, serde_json::Error> {
        let mut attachments: Vec<StoredAttachment> = self
            .attachments
            .into_iter()
            .map(|a| StoredAttachment {
                role: AttachmentRole::Document,
                label: a.material_id,
                media_type: "image/jpeg".into(),
                data: a.jpeg,
            })
            .collect();
        if let Some(signature) = self.signature {
            attachments.push(StoredAttachment {
                role: AttachmentRole::Signature,
                label: SIGNATURE_LABEL.into(),
                media_type: "image/png".into(),
                data: signature.png,
            });
        }
        Ok(NewSubmission {
            kind: StoredKind::NotaryApplication,
            progress_index: Some(self.payload.progress_index()),
            payload: serde_json::to_value(&self.payload)?,
            attachments,
        })
    }
}

/// What the store answers once the submission is durably committed.
#[derive(Clone, PartialEq, Eq)]
pub struct SubmissionReceipt {
    /// Shown and printed, e.g. "GZ-20260301-0042" (see [`super::receipt::receipt_number`]).
    pub number: String,
    /// Opaque secret for the QR code and the progress query.
    pub token: String,
}

impl fmt::Debug for SubmissionReceipt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SubmissionReceipt({}, token ..)", self.number)
    }
}
