//! The personal-information notice and the separate consents (PIPL arts. 14, 17, 23,
//! 28-30): processing, sensitive data, transfer to the notary office. All three are needed
//! for an application; only the explicit refusal ends the journey, politely, with the
//! alternatives. Pressing "agree" with a box unticked says what is missing and stays.
//!
//! The notice must be true and complete (art. 17) and the kiosk collects only what the
//! matter needs (art. 6), so "what is collected" and "how long it is kept" are written from
//! the [`Collection`] the journey works out for the chosen matter, not from a fixed text.

use crate::domain::{bi, Bilingual};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// Bump whenever the notice text changes: consent must be re-obtained (PIPL art. 14).
pub const NOTICE_VERSION: &str = "notary-consent/2026-12-04-parties";

/// Who the applicant deals with; deployment configuration.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OfficeInfo {
    /// The personal-information processor (a legal person, e.g. 某某市某某公证处), named in
    /// the notice with its contact (PIPL art. 17 (1)); `[notary] controller` in kiosk.toml.
    pub controller: Bilingual,
    /// The notary office receiving applications.
    pub office_name: Bilingual,
    pub office_address: Bilingual,
    pub office_hours: Bilingual,
    /// When the staffed counter is open (the alternative to the kiosk).
    pub counter_hours: Bilingual,
    pub phone: String,
    /// Contact for personal-information requests.
    pub privacy_contact: String,
    /// When the office works, to tell a citizen when the application is taken up.
    pub calendar: Option<super::calendar::OfficeCalendar>,
}

/// What the journey collects for the chosen matter on this kiosk.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Collection {
    /// 民族, only when the office's application form has the field.
    pub ethnicity: bool,
    /// The matter asks for a fingerprint and a reader is fitted.
    pub fingerprint: bool,
    /// Materials the document camera may photograph, in checklist order.
    pub images: Vec<Bilingual>,
    /// Some of them show a face (identity cards, passports).
    pub portrait: bool,
    /// An appointment request: a preferred date may be given.
    pub appointment: bool,
    /// Other people and bodies the applicant may enter (any applicant role the matter
    /// allows): each role's name with the fields asked, in screen order.
    pub parties: Vec<CollectedParty>,
    /// A guardian may apply: a child's information may be entered (PIPL art. 28: the
    /// information of a minor under 14 is sensitive; art. 31: the guardian consents).
    pub minor: bool,
}

/// One kind of party on the notice: "逝者：姓名、身份证号码、去世日期".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectedParty {
    pub role: Bilingual,
    pub fields: Vec<Bilingual>,
    /// An identity number of someone else is entered.
    pub id_number: bool,
}

impl Collection {
    /// "What is collected", one list a person can check against what the screens ask for.
    fn described(&self) -> Bilingual {
        let mut card_zh =
            "姓名、性别、出生日期、公民身份号码、户籍地址、证件有效期、签发机关".to_string();
        let mut card_en =
            "name, sex, date of birth, ID number, registered address, card validity, issuing authority"
                .to_string();
        if self.ethnicity {
            card_zh.push_str("、民族");
            card_en.push_str(", ethnic group");
        }
        let mut zh = format!("从身份证芯片读取：{card_zh}。您填写的：手机号码、现住址、公证用途、使用地、份数、领取方式、邮寄地址（选择邮寄时）");
        let mut en = format!("Read from the ID card chip: {card_en}. What you enter: mobile number, current address, purpose, place of use, copies, delivery and postal address (if by post)");
        if self.appointment {
            zh.push_str("、希望预约日期");
            en.push_str(", preferred appointment date");
        }
        zh.push_str("、曾用名（如有）。");
        en.push_str(", former name (if any).");
        if !self.parties.is_empty() {
            let zh_parts: Vec<String> = self
                .parties
                .iter()
                .map(|p| {
                    let fields: Vec<&str> = p.fields.iter().map(|f| f.zh.as_str()).collect();
                    format!("{}的{}", p.role.zh, fields.join("、"))
                })
                .collect();
            let en_parts: Vec<String> = self
                .parties
                .iter()
                .map(|p| {
                    let fields: Vec<String> =
                        p.fields.iter().map(|f| f.en.to_lowercase()).collect();
                    format!("{}: {}", p.role.en, fields.join(", "))
                })
                .collect();
            zh.push_str(&format!(
                "您填写的其他人或单位的信息（为他人办理或事项涉及他人时）：{}。",
                zh_parts.join("；")
            ));
            en.push_str(&format!(
                " What you enter about other people or bodies (when you apply for someone or the matter involves others): {}.",
                en_parts.join("; ")
            ));
        }
        // Every application is signed on the screen; the signature goes with it as an image.
        zh.push_str("您在屏幕上手写的签名（保存为图片，随申请发送）。");
        en.push_str(" Your handwritten signature on the screen (kept as an image and sent with the application).");
        if !self.images.is_empty() {
            let names_zh: Vec<&str> = self.images.iter().map(|m| m.zh.as_str()).collect();
            let names_en: Vec<&str> = self.images.iter().map(|m| m.en.as_str()).collect();
            zh.push_str(&format!("您选择拍摄的材料照片：{}", names_zh.join("、")));
            en.push_str(&format!(
                " Photos of the documents you choose to capture: {}",
                names_en.join("; ")
            ));
            if self.portrait {
                zh.push_str("（其中证件照片上有人像）");
                en.push_str(" (photos of identity papers show a face)");
            }
            zh.push('。');
            en.push('.');
        }
        if self.fingerprint {
            zh.push_str("指纹：在指纹仪上与身份证芯片中的指纹比对，只记录是否一致。");
            en.push_str(" Fingerprint: compared on the reader with the one in the card chip; only whether they match is recorded.");
        }
        Bilingual::new(zh, en)
    }

    fn retention(&self) -> Bilingual {
        let mut zh = String::from("身份证芯片中的照片和指纹信息不保存。");
        let mut en = String::from("The photo and fingerprint data in the card chip are not kept.");
        if self.fingerprint {
            zh.push_str("您按的指纹不保存、不发送。");
            en.push_str(" Your fingerprint is neither kept nor sent.");
        }
        if self.images.is_empty() {
            zh.push_str("申请信息加密保存在本机");
            en.push_str(" Your application is stored encrypted on this kiosk");
        } else if self.portrait {
            zh.push_str("申请信息和材料照片（包括有人像的证件照片）加密保存在本机");
            en.push_str(" Your application and the document photos (including those showing a face) are stored encrypted on this kiosk");
        } else {
            zh.push_str("申请信息和材料照片加密保存在本机");
            en.push_str(
                " Your application and the document photos are stored encrypted on this kiosk",
            );
        }
        zh.push_str(
            "，成功送达公证处后即删除；未提交的信息在您离开时立即清除。公证处按公证档案规定保存。",
        );
        en.push_str(" until the notary office has received them, then deleted; anything not submitted is erased when you leave. The notary office keeps records under the notary archive rules.");
        Bilingual::new(zh, en)
    }

    fn sensitive(&self) -> Bilingual {
        let mut zh_items = vec!["身份证号码"];
        let mut en_items = vec!["your ID number"];
        if self.parties.iter().any(|p| p.id_number) {
            zh_items.push("您填写的他人身份证号码");
            en_items.push("the ID numbers of others you enter");
        }
        if self.minor {
            zh_items.push("不满14周岁孩子的个人信息");
            en_items.push("the information of a child under 14");
        }
        if self.portrait {
            zh_items.push("有人像的证件照片");
            en_items.push("photos of identity papers");
        }
        if self.fingerprint {
            zh_items.push("指纹");
            en_items.push("your fingerprint");
        }
        let zh = format!(
            "{}属于敏感个人信息，办理公证、核验身份需要使用；一旦泄露可能危害您的人身和财产安全，所以我们加密保存{}。不同意可到人工窗口办理。",
            zh_items.join("、"),
            if self.fingerprint { "，指纹不保存" } else { "" }
        );
        let en = format!(
            "{} are sensitive information, needed for the notarisation and to verify who you are; a leak could harm you or your property, so they are stored encrypted{}. If you do not agree, the staffed counter can help you.",
            en_items.join(", "),
            if self.fingerprint { " and the fingerprint is not kept" } else { "" }
        );
        Bilingual::new(zh, en)
    }
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
    /// (b) sensitive information: ID number, card image, fingerprint (arts. 28-29).
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
    pub fn new(office: &OfficeInfo, collection: &Collection) -> ConsentNotice {
        let controller = &office.controller;
        let notary = &office.office_name;
        ConsentNotice {
            version: NOTICE_VERSION,
            title: bi("个人信息处理告知及同意", "Notice and consent on personal information"),
            sections: vec![
                section(
                    bi("处理者及联系方式", "Who processes your information"),
                    Bilingual::new(
                        format!(
                            "处理您在本机提供的信息的是{}。个人信息问题请联系：{}。",
                            controller.zh, office.privacy_contact
                        ),
                        format!(
                            "What you provide at this kiosk is processed by {}. Questions about your information: {}.",
                            controller.en, office.privacy_contact
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
                    collection.described(),
                ),
                section(bi("保存期限", "How long it is kept"), collection.retention()),
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
                        "不满14周岁的未成年人须由父母或其他监护人办理并同意：监护人用自己的身份证办理，在“为谁办理”一步选“我是监护人”，再填写孩子的信息。",
                        "For a child under 14 a parent or guardian applies and consents: the guardian uses their own ID card, chooses “I am the guardian” at “Who is it for”, then enters the child's details.",
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
                        collection.sensitive(),
                    ),
                ),
                (
                    ConsentItem::TransferToOffice,
                    section(
                        bi("单独同意提供给公证处", "Separate consent: transfer to the notary office"),
                        Bilingual::new(
                            format!(
                                "将申请信息{}提供给{}（{}，电话{}），用于受理和办理您的公证事项。",
                                if collection.images.is_empty() { "" } else { "和材料照片" },
                                notary.zh, office.office_address.zh, office.phone
                            ),
                            format!(
                                "Your application{} go to {} ({}, phone {}) to accept and handle your matter.",
                                if collection.images.is_empty() { "" } else { " and document photos" },
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

    fn office() -> OfficeInfo {
        OfficeInfo {
            controller: bi("某某市某某公证处", "XX City XX Notary Office"),
            office_name: bi("某市公证处", "City Notary Office"),
            phone: "010-12345678".into(),
            privacy_contact: "privacy@example.cn".into(),
            ..OfficeInfo::default()
        }
    }

    #[test]
    fn notice_names_the_card_photo_and_the_fingerprint_only_when_collected() {
        let photographed = Collection {
            fingerprint: true,
            images: vec![bi("身份证", "ID card"), bi("户口簿", "Household register")],
            portrait: true,
            ..Collection::default()
        };
        let notice = ConsentNotice::new(&office(), &photographed);
        let collected = &notice.sections[2].body.zh;
        assert!(
            collected.contains("身份证、户口簿") && collected.contains("人像"),
            "{collected}"
        );
        assert!(collected.contains("指纹"), "{collected}");
        assert!(
            !collected.contains("民族"),
            "not collected unless a form needs it"
        );
        let kept = &notice.sections[3].body.zh;
        assert!(kept.contains("包括有人像的证件照片"), "{kept}");
        let nothing = ConsentNotice::new(&office(), &Collection::default());
        assert!(!nothing.sections[2].body.zh.contains("照片"));
        assert!(!nothing.sections[2].body.zh.contains("指纹"));
        assert!(!nothing.consents[1].1.body.zh.contains("指纹"));
        let with_nation = Collection {
            ethnicity: true,
            ..Collection::default()
        };
        assert!(ConsentNotice::new(&office(), &with_nation).sections[2]
            .body
            .zh
            .contains("民族"));
    }

    #[test]
    fn notice_names_the_other_parties_data_when_the_matter_has_them() {
        let parties = Collection {
            parties: vec![CollectedParty {
                role: bi("逝者", "Deceased"),
                fields: vec![bi("姓名或名称", "Name"), bi("身份证号码", "ID number")],
                id_number: true,
            }],
            minor: true,
            ..Collection::default()
        };
        let notice = ConsentNotice::new(&office(), &parties);
        let collected = &notice.sections[2].body;
        assert!(
            collected.zh.contains("逝者的姓名或名称、身份证号码"),
            "{}",
            collected.zh
        );
        assert!(
            collected.en.contains("Deceased: name, id number"),
            "{}",
            collected.en
        );
        let sensitive = &notice.consents[1].1.body.zh;
        assert!(sensitive.contains("他人身份证号码") && sensitive.contains("不满14周岁"));
        let none = ConsentNotice::new(&office(), &Collection::default());
        assert!(!none.sections[2].body.zh.contains("其他人"));
        assert!(!none.consents[1].1.body.zh.contains("他人"));
    }

    #[test]
    fn notice_has_every_element_in_both_languages() {
        let notice = ConsentNotice::new(&office(), &Collection::default());
        assert_eq!(notice.sections.len(), 6);
        assert_eq!(notice.consents.len(), 3);
        for s in notice
            .sections
            .iter()
            .chain(notice.consents.iter().map(|(_, s)| s))
        {
            assert!(s.heading.is_complete() && s.body.is_complete());
        }
        assert!(notice.sections[0].body.zh.contains("某某市某某公证处"));
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
