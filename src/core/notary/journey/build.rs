//! Building what leaves the journey: the fee estimate, the review lines, the submission and
//! the receipt.

use super::super::applicant::{id_number_digest, CardKind};
use super::super::declaration::TruthfulnessPromise;
use super::super::fees::{FeeEstimate, FeeOptions};
use super::super::form::DeliveryMethod;
use super::super::materials::{checklist, to_bring, BringItem, CaptureState, ChecklistItem};
use super::super::payload::{
    Acknowledgements, Attachment, AttachmentRef, FingerprintCheck, IdentityVerification,
    MaterialSource, OfficeRouting, PayloadApplicant, PayloadAppointment, PayloadDelivery,
    PayloadFee, PayloadJurisdiction, PayloadMaterial, PayloadMatter, PayloadSignature, Submission,
    SubmissionKind, SubmissionPayload, SubmissionReceipt, PAYLOAD_SCHEMA,
};
use super::super::receipt::{build_receipt, NotaryReceiptLine, ReceiptInput};
use super::{Journey, ReviewLine};
use crate::domain::Language;
use crate::domain::{bi, Bilingual};
use chrono::{DateTime, FixedOffset};

impl Journey {
    pub(super) fn kind(&self) -> SubmissionKind {
        match self.matter() {
            Some(m) if m.in_person => SubmissionKind::AppointmentRequest,
            _ => SubmissionKind::Application,
        }
    }

    /// What to provide, in the chosen applicant role.
    pub(super) fn checklist(&self) -> Vec<ChecklistItem> {
        self.checklist_in(self.data.applicant_role)
    }

    pub(super) fn checklist_in(
        &self,
        role: super::super::parties::ApplicantRole,
    ) -> Vec<ChecklistItem> {
        match self.matter() {
            Some(matter) => checklist(
                &self.catalogue().matter_in_role(matter, role),
                self.catalogue(),
                &self.data.captures,
                self.setup.camera_fitted,
            ),
            None => Vec::new(),
        }
    }

    pub(super) fn to_bring(&self) -> Vec<BringItem> {
        to_bring(&self.checklist())
    }

    pub(super) fn applicant_age(&self, now: DateTime<FixedOffset>) -> Option<u32> {
        self.data
            .applicant
            .as_ref()
            .map(|a| a.age_on(now.date_naive()))
    }

    /// `None` only if no matter is chosen or the schedule lacks its item (checked at start-up).
    pub(super) fn fee_estimate(&self, now: DateTime<FixedOffset>) -> Option<FeeEstimate> {
        let matter = self.matter()?;
        let form = &self.data.form;
        let options = FeeOptions {
            copies: form.copies,
            translation_language: form.translation_language.clone(),
            translation_conformity: form.translation_conformity,
            declared_reductions: form.declared_reductions.clone(),
            applicant_age: self.applicant_age(now),
            by_post: form.delivery == DeliveryMethod::Post,
            foreign_affairs_step: form
                .authentication(self.catalogue())
                .needs_foreign_affairs_step(),
        };
        self.setup.fees.estimate(matter, &options).ok()
    }

    pub(super) fn review_lines(&self, now: DateTime<FixedOffset>) -> Vec<ReviewLine> {
        let (Some(matter), Some(applicant)) = (self.matter(), self.data.applicant.as_ref()) else {
            return Vec::new();
        };
        let catalogue = self.catalogue();
        let form = &self.data.form;
        let same = |text: &str| Bilingual::new(text, text);
        let mut lines = vec![
            ReviewLine::new(bi("公证事项", "Matter"), matter.name.clone()),
            ReviewLine::new(bi("姓名", "Name"), same(&applicant.name)),
            ReviewLine::new(bi("性别", "Sex"), applicant.sex.label()),
            ReviewLine::new(
                bi("出生日期", "Date of birth"),
                same(&applicant.birth_date.format("%Y-%m-%d").to_string()),
            ),
            // Masked on screen: others in the hall can see it.
            ReviewLine::new(
                bi("证件号码", "ID number"),
                same(&super::super::mask::mask_id_number(&applicant.id_number)),
            ),
            ReviewLine::new(
                bi("户籍地址", "Registered address"),
                same(&applicant.address),
            ),
            ReviewLine::new(bi("现住址", "Current address"), same(&form.current_address)),
            ReviewLine::new(bi("联系电话", "Phone"), same(&form.phone)),
        ];
        if !form.former_name.trim().is_empty() {
            lines.insert(
                2,
                ReviewLine::new(bi("曾用名", "Former name"), same(form.former_name.trim())),
            );
        }
        lines.extend(self.party_review_lines());
        if let Some(purpose) = form.purpose {
            lines.push(ReviewLine::new(bi("用途", "Purpose"), purpose.label()));
        }
        if matter.foreign_use {
            let country = form
                .country_of_use
                .as_deref()
                .and_then(|c| catalogue.country(c))
                .map_or_else(|| bi("中国大陆", "Mainland China"), |c| c.name.clone());
            lines.push(ReviewLine::new(bi("使用地", "Place of use"), country));
            let language = form
                .translation_language
                .as_deref()
                .and_then(|l| catalogue.language(l))
                .map_or_else(|| bi("不需要", "None"), |l| l.name.clone());
            lines.push(ReviewLine::new(bi("译文", "Translation"), language));
            if form.translation_language.is_some() {
                let yes_no = if form.translation_conformity {
                    bi("需要", "Yes")
                } else {
                    bi("不需要", "No")
                };
                lines.push(ReviewLine::new(
                    bi("译文相符证明", "Translation conformity"),
                    yes_no,
                ));
            }
            lines.push(ReviewLine::new(
                bi("使用前手续", "Before use"),
                catalogue.authentication_text(form.authentication(catalogue)),
            ));
        }
        lines.push(ReviewLine::new(
            bi("份数", "Copies"),
            same(&form.copies.to_string()),
        ));
        lines.push(ReviewLine::new(
            bi("领取方式", "Delivery"),
            form.delivery.label(),
        ));
        if form.delivery == DeliveryMethod::Post {
            lines.push(ReviewLine::new(
                bi("邮寄地址", "Postal address"),
                same(&form.postal_address),
            ));
        }
        if matter.in_person {
            lines.push(ReviewLine::new(
                bi("预约时间", "Appointment"),
                self.data.appointment.summary(),
            ));
        }
        if let (Some(date), None) = (form.preferred_date, self.data.appointment.chosen()) {
            lines.push(ReviewLine::new(
                bi("希望预约日期", "Preferred date"),
                same(&date.format("%Y-%m-%d").to_string()),
            ));
        }
        let captured = self
            .checklist()
            .into_iter()
            .filter(|i| matches!(i.capture, CaptureState::Captured { .. }))
            .map(|i| i.name)
            .collect::<Vec<_>>();
        if !captured.is_empty() {
            lines.push(ReviewLine::new(
                bi("已拍摄材料", "Captured"),
                join(&captured),
            ));
        }
        let bring: Vec<Bilingual> = self.to_bring().iter().map(BringItem::line).collect();
        if !bring.is_empty() {
            lines.push(ReviewLine::new(bi("需携带", "To bring"), join(&bring)));
        }
        if let Some(fee) = self.fee_estimate(now) {
            let total = super::super::fees::format_fen(fee.total_fen);
            lines.push(ReviewLine::new(
                bi("预估费用", "Estimated fee"),
                same(&total),
            ));
            if let Some(asked) = &fee.requested_reduction {
                lines.push(ReviewLine::new(
                    bi("申请减免", "Reduction asked for"),
                    Bilingual::new(
                        format!("{}（以公证处审核为准）", asked.label.zh),
                        format!("{} (subject to the office's check)", asked.label.en),
                    ),
                ));
            }
        }
        lines
    }

    pub(super) fn submission(&self, now: DateTime<FixedOffset>) -> Option<Submission> {
        let matter = self.matter()?;
        let applicant = self.data.applicant.as_ref()?;
        let consents = self.data.consent_record.clone()?;
        let promised_at = self.data.promised_at?;
        let purpose = self.data.form.purpose?;
        let card_read_at = self.data.card_read_at?;
        let fee = self.fee_estimate(now)?;
        let signed_at = self.data.signed_at?;
        let signature = self.data.signature.render()?;
        let catalogue = self.catalogue();
        let form = &self.data.form;
        let fingerprint = self
            .data
            .fingerprint
            .unwrap_or(FingerprintCheck::NotRequested);
        let mut attachments = Vec::new();
        let materials = self
            .checklist()
            .into_iter()
            .map(|item| {
                let image = self.data.captures.get(&item.material_id);
                if let Some(image) = image {
                    attachments.push(Attachment {
                        material_id: item.material_id.clone(),
                        sha256: image.sha256.clone(),
                        jpeg: image.jpeg.clone(),
                    });
                }
                PayloadMaterial {
                    name_zh: item.name.zh.clone(),
                    required: item.required,
                    source: if image.is_some() {
                        MaterialSource::Scanned
                    } else {
                        MaterialSource::BringInPerson
                    },
                    original_to_show: item.original,
                    attachment: image.map(|i| AttachmentRef {
                        sha256: i.sha256.clone(),
                        size: i.jpeg.len() as u64,
                        content_type: "image/jpeg".into(),
                    }),
                    material_id: item.material_id,
                }
            })
            .collect();
        let payload = SubmissionPayload {
            schema: PAYLOAD_SCHEMA.to_string(),
            kind: self.kind(),
            kiosk_id: self.setup.kiosk_id.clone(),
            created_at: now,
            language: match self.data.language {
                Language::Zh => "zh".into(),
                Language::En => "en".into(),
            },
            applicant: PayloadApplicant {
                role: self.data.applicant_role,
                name: applicant.name.clone(),
                former_name: Some(form.former_name.trim().to_string()).filter(|n| !n.is_empty()),
                sex: applicant.sex,
                ethnicity: applicant.ethnicity.clone(),
                birth_date: applicant.birth_date,
                id_type: applicant.card_kind,
                id_number: applicant.id_number.trim().to_uppercase(),
                id_number_digest: id_number_digest(&self.setup.id_digest_key, &applicant.id_number),
                id_issuing_authority: applicant.issuing_authority.clone(),
                id_valid_until: applicant.card_expiry,
                id_long_term: applicant.card_expiry.is_none(),
                address_registered: applicant.address.clone(),
                address_current: form.current_address.trim().to_string(),
                phone: form.phone.clone(),
                nationality: (applicant.card_kind == CardKind::ResidentIdCard)
                    .then(|| "CHN".into()),
            },
            parties: self.payload_parties(),
            matter: PayloadMatter {
                id: matter.id.clone(),
                name_zh: matter.name.zh.clone(),
                name_en: matter.name.en.clone(),
                legal_group: matter.legal_group,
                purpose,
                country_of_use: form.country_of_use.clone(),
                translation_language: form.translation_language.clone(),
                translation_conformity: form.translation_conformity,
                authentication: form.authentication(catalogue),
                authentication_note_zh: catalogue
                    .authentication_text(form.authentication(catalogue))
                    .zh,
                copies: form.copies,
                delivery: PayloadDelivery {
                    method: form.delivery,
                    postal_address: (form.delivery == DeliveryMethod::Post)
                        .then(|| form.postal_address.trim().to_string()),
                },
                in_person_required: matter.in_person,
            },
            materials,
            identity_verification: IdentityVerification {
                method: if fingerprint == FingerprintCheck::Matched {
                    "id_card_chip+fingerprint".into()
                } else {
                    "id_card_chip".into()
                },
                card_read_at,
                fingerprint,
                device_id: self.setup.kiosk_id.clone(),
            },
            consents,
            acknowledgements: Acknowledgements {
                service_address_confirmed: true,
                truthfulness: TruthfulnessPromise::new(promised_at),
            },
            fee: PayloadFee {
                reductions_claimed: form.declared_reductions.clone(),
                estimate: fee,
                payment_status: "unpaid".into(),
            },
            office_routing: OfficeRouting {
                office_name_zh: self.setup.office.office_name.zh.clone(),
                preferred_date: form.preferred_date,
                jurisdiction: self.payload_jurisdiction(),
                appointment: matter.in_person.then(|| PayloadAppointment {
                    slot: self.data.appointment.chosen().cloned(),
                    office_to_call: self.data.appointment.chosen().is_none(),
                }),
            },
            signature: Some(PayloadSignature::new(&signature, signed_at)),
        };
        Some(Submission {
            payload,
            attachments,
            signature: Some(signature),
        })
    }

    pub(super) fn receipt_lines(
        &self,
        receipt: &SubmissionReceipt,
        now: DateTime<FixedOffset>,
    ) -> Vec<NotaryReceiptLine> {
        let (Some(matter), Some(applicant), Some(fee)) = (
            self.matter(),
            self.data.applicant.as_ref(),
            self.fee_estimate(now),
        ) else {
            return Vec::new();
        };
        let to_bring = self.to_bring();
        build_receipt(&ReceiptInput {
            kind: self.kind(),
            number: &receipt.number,
            token: &receipt.token,
            matter_name: &matter.name,
            typical_days: matter.typical_days,
            applicant_name: &applicant.name,
            id_number: &applicant.id_number,
            to_bring: &to_bring,
            fee: &fee,
            office: &self.setup.office,
            issued_at: now,
            preferred_date: self.data.form.preferred_date,
            appointment: self.data.appointment.chosen(),
            language: self.data.language,
        })
    }
}

impl Journey {
    pub(super) fn payload_jurisdiction(&self) -> Option<PayloadJurisdiction> {
        let jurisdiction = self.setup.jurisdiction.as_ref()?;
        Some(PayloadJurisdiction {
            basis: self.data.jurisdiction.basis()?,
            area_zh: jurisdiction.area.zh.clone(),
            involves_real_estate: self.data.jurisdiction.real_estate,
        })
    }
}

fn join(items: &[Bilingual]) -> Bilingual {
    Bilingual::new(
        items
            .iter()
            .map(|b| b.zh.as_str())
            .collect::<Vec<_>>()
            .join("；"),
        items
            .iter()
            .map(|b| b.en.as_str())
            .collect::<Vec<_>>()
            .join("; "),
    )
}
