//! The personal-information notice and the separate consents (PIPL arts. 14, 17, 23,
//! 28-30): processing, sensitive data, transfer to the notary office. All three are needed
//! for an application; only the explicit refusal ends the journey, politely, with the
//! alternatives. Pressing "agree" with a box unticked says what is missing and stays.

use super::text::{bi, Bilingual};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// Bump whenever the notice text changes: consent must be re-obtained (PIPL art. 14).
pub const NOTICE_VERSION: &str = "notary-consent/2026-01";

/// Who the applicant deals with; deployment configuration.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OfficeInfo {
    /// The controller running the kiosk (e.g. XX市公共法律服务中心).
    pub centre_name: Bilingual,
    /// The notary office receiving applications.
    pub office_name: Bilingual,
    pub office_address: Bilingual,
    pub office_hours: Bilingual,
    /// When the staffed counter is open (the alternative to the kiosk).
    pub counter_hours: Bilingual,
    pub phone: String,
    /// Contact for personal-information requests.
    pub privacy_contact: String,
}

/// One heading and its text on the notice screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeSection {
    pub heading: Bilingual,
    pub body: Bilingual,
}

/// The separately consented items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConsentItem {
    /// (a) processing of personal information for the application.
    PersonalInfo,
    /// (b) sensitive information: ID number, card photo, fingerprint (arts. 28-29).
    SensitiveInfo,
    /// (c) providing it to the notary office (art. 23).
    TransferToOffice,
}

impl ConsentItem {
    pub const ALL: [ConsentItem; 3] = [
        ConsentItem::PersonalInfo,
        ConsentItem::SensitiveInfo,
        ConsentItem::TransferToOffice,
    ];
}

/// The notice as shown: general sections, then one block per separate consent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentNotice {
    pub version: &'static str,
    pub title: Bilingual,
    /// Processor and contact, purposes, methods, categories, retention, rights.
    pub sections: Vec<NoticeSection>,
    /// What each tick box means; shown next to its box, never bundled.
    pub consents: Vec<(ConsentItem, NoticeSection)>,
}

/// The applicant's ticks, all off until ticked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ConsentChoices {
    pub personal_info: bool,
    pub sensitive_info: bool,
    pub transfer_to_office: bool,
}

impl ConsentChoices {
    pub fn set(&mut self, item: ConsentItem, on: bool) {
        match item {
            ConsentItem::PersonalInfo => self.personal_info = on,
            ConsentItem::SensitiveInfo => self.sensitive_info = on,
            ConsentItem::TransferToOffice => self.transfer_to_office = on,
        }
    }

    pub fn get(&self, item: ConsentItem) -> bool {
        match item {
            ConsentItem::PersonalInfo => self.personal_info,
            ConsentItem::SensitiveInfo => self.sensitive_info,
            ConsentItem::TransferToOffice => self.transfer_to_office,
        }
    }

    pub fn all_given(&self) -> bool {
        ConsentItem::ALL.iter().all(|i| self.get(*i))
    }

    /// How many of the separate consents are not given yet.
    pub fn missing(&self) -> usize {
        ConsentItem::ALL.iter().filter(|i| !self.get(**i)).count()
    }
}

/// What goes into the submission: which notice, when, which boxes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRecord {
    pub notice_version: String,
    pub decided_at: DateTime<FixedOffset>,
    pub personal_info: bool,
    pub sensitive_info: bool,
    pub transfer_to_office: bool,
}

impl ConsentRecord {
    pub fn new(choices: ConsentChoices, decided_at: DateTime<FixedOffset>) -> ConsentRecord {
        ConsentRecord {
            notice_version: NOTICE_VERSION.to_string(),
            decided_at,
            personal_info: choices.personal_info,
            sensitive_info: choices.sensitive_info,
            transfer_to_office: choices.transfer_to_office,
        }
    }
}

fn section(heading: Bilingual, body: Bilingual) -> NoticeSection {
    NoticeSection { heading, body }
}

impl ConsentNotice {
    pub fn new(office: &OfficeInfo) -> ConsentNotice {
        let centre = &office.centre_name;
        let notary = &office.office_name;
        ConsentNotice {
            version: NOTICE_VERSION,
            title: bi("个人信息处理告知及同意", "Notice and consent on personal information"),
            sections: vec![
                section(
                    bi("处理者及联系方式", "Who processes your information"),
                    Bilingual::new(
                        format!(
                            "本机由{}运营，负责处理您在本机提供的信息。个人信息问题请联系：{}。",
                            centre.zh, office.privacy_contact
                        ),
                        format!(
                            "This kiosk is run by {}, which processes what you enter here. Questions about your information: {}.",
                            centre.en, office.privacy_contact
                        ),
                    ),
                ),
                section(
                    bi("目的和方式", "Purpose and method"),
                    bi(
                        "用于核验您的身份、生成公证申请（或预约）并提交给公证处。方式：读取身份证、拍摄材料、填写表格，如事项需要还会核验指纹。",
                        "To verify your identity and prepare your notary application (or appointment) for the notary office, by reading your ID card, photographing your documents and the form you fill in, and a fingerprint check where the matter asks for it.",
                    ),
                ),
                section(
                    bi("收集的信息", "What is collected"),
                    bi(
                        "姓名、性别、民族、出生日期、住址、身份证号码、证件有效期、联系电话、邮寄地址、材料影像。",
                        "Name, sex, ethnicity, date of birth, address, ID number, card validity, phone number, postal address and images of your documents.",
                    ),
                ),
                section(
                    bi("保存期限", "How long it is kept"),
                    bi(
                        "本机不保存指纹和证件照片；申请信息和材料影像加密保存，成功送达公证处后即删除，未提交的信息在您离开时立即清除。公证处按公证档案规定保存。",
                        "The kiosk keeps no fingerprint and no card photo. Your application and images are stored encrypted and deleted once the notary office has received them; anything not submitted is erased when you leave. The notary office keeps records under the notary archive rules.",
                    ),
                ),
                section(
                    bi("您的权利", "Your rights"),
                    Bilingual::new(
                        format!(
                            "您有权查阅、复制、更正、删除您的个人信息，并可撤回同意（不影响撤回前的处理）。请联系{}（{}）或拨打{}。",
                            notary.zh, office.privacy_contact, office.phone
                        ),
                        format!(
                            "You may access, copy, correct or delete your information and withdraw consent (this does not affect earlier processing). Contact {} ({}) or call {}.",
                            notary.en, office.privacy_contact, office.phone
                        ),
                    ),
                ),
                section(
                    bi("未成年人", "Minors"),
                    bi(
                        "不满14周岁的未成年人须由监护人办理并同意。",
                        "For a child under 14 a parent or guardian applies and consents.",
                    ),
                ),
            ],
            consents: vec![
                (
                    ConsentItem::PersonalInfo,
                    section(
                        bi("同意处理个人信息", "I agree to the processing of my personal information"),
                        bi(
                            "按上述目的和方式处理我的个人信息。",
                            "For the purpose and in the way described above.",
                        ),
                    ),
                ),
                (
                    ConsentItem::SensitiveInfo,
                    section(
                        bi("单独同意处理敏感个人信息", "Separate consent: sensitive information"),
                        bi(
                            "身份证号码、证件照片和指纹属于敏感个人信息。核验身份必须使用；一旦泄露可能危害您的人身和财产安全，我们加密保存、不保存指纹和照片。不同意可到人工窗口办理。",
                            "Your ID number, card photo and fingerprint are sensitive information. They are needed to verify your identity; a leak could harm you or your property, so they are encrypted and the fingerprint and photo are not kept. If you do not agree, the staffed counter can help you.",
                        ),
                    ),
                ),
                (
                    ConsentItem::TransferToOffice,
                    section(
                        bi("单独同意提供给公证处", "Separate consent: transfer to the notary office"),
                        Bilingual::new(
                            format!(
                                "将申请信息和材料影像提供给{}（{}，电话{}），用于受理和办理您的公证事项。",
                                notary.zh, office.office_address.zh, office.phone
                            ),
                            format!(
                                "Your application and document images go to {} ({}, phone {}) to accept and handle your matter.",
                                notary.en, office.office_address.en, office.phone
                            ),
                        ),
                    ),
                ),
            ],
        }
    }
}

/// What to offer someone who does not consent: no refusal without an alternative (art. 16).
pub fn alternatives_when_declined(office: &OfficeInfo) -> Vec<Bilingual> {
    vec![
        bi(
            "没关系，不同意不影响您通过其他方式办理。",
            "That is fine: you can still apply another way.",
        ),
        Bilingual::new(
            format!(
                "人工窗口：{}，{}",
                office.office_address.zh, office.counter_hours.zh
            ),
            format!(
                "Staffed counter: {}, {}",
                office.office_address.en, office.counter_hours.en
            ),
        ),
        Bilingual::new(
            format!("电话咨询或预约：{}", office.phone),
            format!("Phone for questions or appointments: {}", office.phone),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notice_has_every_element_in_both_languages() {
        let office = OfficeInfo {
            centre_name: bi("某市公共法律服务中心", "City Public Legal Service Centre"),
            office_name: bi("某市公证处", "City Notary Office"),
            phone: "010-12345678".into(),
            privacy_contact: "privacy@example.cn".into(),
            ..OfficeInfo::default()
        };
        let notice = ConsentNotice::new(&office);
        assert_eq!(notice.sections.len(), 6);
        assert_eq!(notice.consents.len(), 3);
        for s in notice
            .sections
            .iter()
            .chain(notice.consents.iter().map(|(_, s)| s))
        {
            assert!(s.heading.is_complete() && s.body.is_complete());
        }
        assert!(notice.sections[0].body.zh.contains("某市公共法律服务中心"));
        assert!(notice.consents[2].1.body.en.contains("City Notary Office"));
    }

    #[test]
    fn every_box_must_be_ticked() {
        let mut choices = ConsentChoices::default();
        choices.set(ConsentItem::PersonalInfo, true);
        choices.set(ConsentItem::TransferToOffice, true);
        assert!(!choices.all_given());
        choices.set(ConsentItem::SensitiveInfo, true);
        assert!(choices.all_given());
    }
}
