//! The application form: what the applicant adds to the card data, and its validation with
//! one specific message per field.

use super::catalogue::{Authentication, Catalogue, Matter};
use super::mask::{mask_address, mask_phone};
use crate::domain::{bi, Bilingual};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

pub const MAX_COPIES: u32 = 10;
/// How far ahead an appointment may be asked for.
pub const APPOINTMENT_WINDOW_DAYS: u64 = 30;
const ADDRESS_MAX_CHARS: usize = 120;
const POSTAL_ADDRESS_MIN_CHARS: usize = 8;

/// What the certificate is for (公证程序规则 art. 17 (2)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Study,
    VisitingRelatives,
    Immigration,
    Work,
    Business,
    Inheritance,
    Litigation,
    Pension,
    Other,
}

impl Purpose {
    pub const ALL: [Purpose; 9] = [
        Purpose::Study,
        Purpose::VisitingRelatives,
        Purpose::Immigration,
        Purpose::Work,
        Purpose::Business,
        Purpose::Inheritance,
        Purpose::Litigation,
        Purpose::Pension,
        Purpose::Other,
    ];

    pub fn label(self) -> Bilingual {
        match self {
            Purpose::Study => bi("留学", "Study"),
            Purpose::VisitingRelatives => bi("探亲、旅游", "Family visit or travel"),
            Purpose::Immigration => bi("移民、定居", "Immigration"),
            Purpose::Work => bi("工作", "Work"),
            Purpose::Business => bi("商务", "Business"),
            Purpose::Inheritance => bi("继承", "Inheritance"),
            Purpose::Litigation => bi("诉讼", "Litigation"),
            Purpose::Pension => bi("领取养老金", "Pension"),
            Purpose::Other => bi("其他", "Other"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryMethod {
    #[default]
    Pickup,
    Post,
}

impl DeliveryMethod {
    pub fn label(self) -> Bilingual {
        match self {
            DeliveryMethod::Pickup => bi("到公证处领取", "Collect at the office"),
            DeliveryMethod::Post => bi("邮寄", "By post"),
        }
    }
}

/// The fields of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FormField {
    Purpose,
    CountryOfUse,
    TranslationLanguage,
    Copies,
    Delivery,
    PostalAddress,
    Phone,
    CurrentAddress,
    PreferredDate,
}

/// One change the applicant makes.
#[derive(Clone, PartialEq, Eq)]
pub enum FormEdit {
    Purpose(Purpose),
    /// `None`: used in mainland China. Choosing a country presets its usual language and
    /// whether it wants a translation-conformity certificate.
    CountryOfUse(Option<String>),
    TranslationLanguage(Option<String>),
    TranslationConformity(bool),
    Copies(u32),
    Delivery(DeliveryMethod),
    PostalAddress(String),
    Phone(String),
    CurrentAddress(String),
    PreferredDate(Option<NaiveDate>),
}

impl fmt::Debug for FormEdit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormEdit::PostalAddress(_) => f.write_str("PostalAddress(..)"),
            FormEdit::Phone(_) => f.write_str("Phone(..)"),
            FormEdit::CurrentAddress(_) => f.write_str("CurrentAddress(..)"),
            FormEdit::Purpose(p) => write!(f, "Purpose({p:?})"),
            FormEdit::CountryOfUse(c) => write!(f, "CountryOfUse({c:?})"),
            FormEdit::TranslationLanguage(l) => write!(f, "TranslationLanguage({l:?})"),
            FormEdit::TranslationConformity(b) => write!(f, "TranslationConformity({b})"),
            FormEdit::Copies(n) => write!(f, "Copies({n})"),
            FormEdit::Delivery(d) => write!(f, "Delivery({d:?})"),
            FormEdit::PreferredDate(_) => f.write_str("PreferredDate(..)"),
        }
    }
}

/// What the applicant entered. `Debug` is masked.
#[derive(Clone, PartialEq, Eq)]
pub struct FormData {
    pub purpose: Option<Purpose>,
    pub country_of_use: Option<String>,
    pub translation_language: Option<String>,
    pub translation_conformity: bool,
    pub copies: u32,
    pub delivery: DeliveryMethod,
    pub postal_address: String,
    pub phone: String,
    /// Where the applicant lives now; prefilled from the card address.
    pub current_address: String,
    /// Appointment requests only.
    pub preferred_date: Option<NaiveDate>,
    /// Fee reductions the applicant declares (ids from the fee schedule).
    pub declared_reductions: Vec<String>,
}

impl Default for FormData {
    fn default() -> Self {
        FormData {
            purpose: None,
            country_of_use: None,
            translation_language: None,
            translation_conformity: false,
            copies: 1,
            delivery: DeliveryMethod::Pickup,
            postal_address: String::new(),
            phone: String::new(),
            current_address: String::new(),
            preferred_date: None,
            declared_reductions: Vec::new(),
        }
    }
}

impl fmt::Debug for FormData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FormData")
            .field("purpose", &self.purpose)
            .field("country_of_use", &self.country_of_use)
            .field("translation_language", &self.translation_language)
            .field("copies", &self.copies)
            .field("delivery", &self.delivery)
            .field("postal_address", &mask_address(&self.postal_address))
            .field("phone", &mask_phone(&self.phone))
            .field("current_address", &mask_address(&self.current_address))
            .finish_non_exhaustive()
    }
}

/// A field that does not validate, with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: FormField,
    pub message: Bilingual,
}

impl FormData {
    pub fn apply(&mut self, edit: FormEdit, catalogue: &Catalogue) {
        match edit {
            FormEdit::Purpose(p) => self.purpose = Some(p),
            FormEdit::CountryOfUse(code) => {
                let country = code.as_deref().and_then(|c| catalogue.country(c));
                self.translation_language = country.and_then(|c| c.language.clone());
                self.translation_conformity =
                    country.is_some_and(|c| c.translation_conformity_required);
                self.country_of_use = code;
            }
            FormEdit::TranslationLanguage(language) => {
                if language.is_none() {
                    self.translation_conformity = false;
                }
                self.translation_language = language;
            }
            FormEdit::TranslationConformity(on) => self.translation_conformity = on,
            FormEdit::Copies(n) => self.copies = n,
            FormEdit::Delivery(d) => self.delivery = d,
            FormEdit::PostalAddress(a) => self.postal_address = a,
            FormEdit::Phone(p) => self.phone = p,
            FormEdit::CurrentAddress(a) => self.current_address = a,
            FormEdit::PreferredDate(d) => self.preferred_date = d,
        }
    }

    /// What the certificate needs after it is issued, from the place of use.
    pub fn authentication(&self, catalogue: &Catalogue) -> Authentication {
        self.country_of_use
            .as_deref()
            .and_then(|c| catalogue.country(c))
            .map_or(Authentication::None, |c| c.authentication)
    }

    /// Every problem, in field order; empty when the form may go on.
    pub fn validate(
        &self,
        matter: &Matter,
        catalogue: &Catalogue,
        today: NaiveDate,
    ) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut fail = |field, zh: &str, en: &str| {
            errors.push(FieldError {
                field,
                message: bi(zh, en),
            })
        };
        if self.purpose.is_none() {
            fail(
                FormField::Purpose,
                "请选择公证用途。",
                "Please choose what the certificate is for.",
            );
        }
        let country = self
            .country_of_use
            .as_deref()
            .map(|c| (c, catalogue.country(c)));
        match country {
            Some(_) if !matter.foreign_use => fail(
                FormField::CountryOfUse,
                "此公证事项只在中国大陆使用，请不要选择其他使用地。",
                "This matter is for use in mainland China only; please do not choose another place.",
            ),
            Some((_, None)) => fail(
                FormField::CountryOfUse,
                "请从列表中选择使用地。",
                "Please choose the place of use from the list.",
            ),
            _ => {}
        }
        match (&self.translation_language, country) {
            (Some(language), _) if catalogue.language(language).is_none() => fail(
                FormField::TranslationLanguage,
                "请从列表中选择译文语种。",
                "Please choose the translation language from the list.",
            ),
            (Some(_), None) => fail(
                FormField::TranslationLanguage,
                "在中国大陆使用不需要译文；如需译文请先选择使用地。",
                "No translation is needed for use in mainland China; choose the place of use first if you need one.",
            ),
            (None, Some((_, Some(c)))) if c.translation_conformity_required => fail(
                FormField::TranslationLanguage,
                "该国要求公证书附译文及译文相符证明，请选择译文语种。",
                "This country requires a certified translation; please choose the language.",
            ),
            _ => {}
        }
        if !(1..=MAX_COPIES).contains(&self.copies) {
            fail(
                FormField::Copies,
                "公证书份数应为1至10份。",
                "The number of copies must be from 1 to 10.",
            );
        }
        if self.delivery == DeliveryMethod::Post {
            let address = self.postal_address.trim();
            let chars = address.chars().count();
            if !(POSTAL_ADDRESS_MIN_CHARS..=ADDRESS_MAX_CHARS).contains(&chars)
                || has_control(address)
            {
                fail(
                    FormField::PostalAddress,
                    "请填写完整的邮寄地址（省、市、区、街道和门牌号，8至120字）。",
                    "Please enter the full postal address (province, city, district, street and number; 8 to 120 characters).",
                );
            }
        }
        if !is_mainland_mobile(&self.phone) {
            fail(
                FormField::Phone,
                "请填写11位手机号码，以1开头，第二位为3至9。",
                "Please enter an 11-digit mainland mobile number starting with 13 to 19.",
            );
        }
        let current = self.current_address.trim();
        if current.chars().count() > ADDRESS_MAX_CHARS || has_control(current) {
            fail(
                FormField::CurrentAddress,
                "现住址不超过120字。",
                "The current address may have at most 120 characters.",
            );
        }
        if let Some(date) = self.preferred_date {
            let first = today.checked_add_days(Days::new(1));
            let last = today.checked_add_days(Days::new(APPOINTMENT_WINDOW_DAYS));
            let in_window = matches!((first, last), (Some(a), Some(b)) if (a..=b).contains(&date));
            if !matter.in_person {
                fail(
                    FormField::PreferredDate,
                    "此事项无需预约。",
                    "This matter needs no appointment.",
                );
            } else if !in_window {
                fail(
                    FormField::PreferredDate,
                    "预约日期应在明天起30天内。",
                    "The appointment date must be within the next 30 days, from tomorrow.",
                );
            }
        }
        errors
    }
}

fn has_control(text: &str) -> bool {
    text.chars().any(char::is_control)
}

/// Mainland mobile numbers: 11 digits, `1[3-9]` then nine more.
pub fn is_mainland_mobile(phone: &str) -> bool {
    let bytes = phone.as_bytes();
    bytes.len() == 11
        && bytes.iter().all(u8::is_ascii_digit)
        && bytes[0] == b'1'
        && (b'3'..=b'9').contains(&bytes[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
    }

    fn filled() -> FormData {
        FormData {
            purpose: Some(Purpose::Study),
            phone: "13812345678".into(),
            ..FormData::default()
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<FormField> {
        errors.iter().map(|e| e.field).collect()
    }

    #[test]
    fn mobile_numbers() {
        assert!(is_mainland_mobile("13812345678"));
        assert!(is_mainland_mobile("19912345678"));
        assert!(!is_mainland_mobile("12812345678"));
        assert!(!is_mainland_mobile("1381234567"));
        assert!(!is_mainland_mobile("138123456789"));
        assert!(!is_mainland_mobile("1381234567a"));
        assert!(!is_mainland_mobile("０３８１２３４５６７８"));
    }

    #[test]
    fn each_field_gets_its_own_message() {
        let c = Catalogue::shipped().unwrap();
        let birth = c.matter("birth").unwrap();
        let form = FormData {
            copies: 11,
            delivery: DeliveryMethod::Post,
            postal_address: "北京".into(),
            phone: "110".into(),
            ..FormData::default()
        };
        let errors = form.validate(birth, &c, today());
        assert_eq!(
            fields(&errors),
            vec![
                FormField::Purpose,
                FormField::Copies,
                FormField::PostalAddress,
                FormField::Phone
            ]
        );
        assert!(errors.iter().all(|e| e.message.is_complete()));
        assert_eq!(filled().validate(birth, &c, today()), vec![]);
    }

    #[test]
    fn choosing_a_country_presets_translation_and_authentication() {
        let c = Catalogue::shipped().unwrap();
        let birth = c.matter("birth").unwrap();
        let mut form = filled();
        form.apply(FormEdit::CountryOfUse(Some("US".into())), &c);
        assert_eq!(form.translation_language.as_deref(), Some("en"));
        assert!(form.translation_conformity);
        assert_eq!(form.authentication(&c), Authentication::Apostille);
        form.apply(FormEdit::TranslationLanguage(None), &c);
        assert!(!form.translation_conformity);
        assert_eq!(
            fields(&form.validate(birth, &c, today())),
            vec![FormField::TranslationLanguage]
        );
        form.apply(FormEdit::CountryOfUse(Some("VN".into())), &c);
        assert_eq!(
            form.authentication(&c),
            Authentication::ConsularLegalisation
        );
        form.apply(FormEdit::CountryOfUse(Some("XX".into())), &c);
        assert_eq!(
            fields(&form.validate(birth, &c, today())),
            vec![FormField::CountryOfUse]
        );
    }

    #[test]
    fn hong_kong_macao_and_taiwan_need_no_legalisation_and_no_translation() {
        let c = Catalogue::shipped().unwrap();
        let birth = c.matter("birth").unwrap();
        for (code, route) in [
            ("HK", Authentication::HongKongMacao),
            ("MO", Authentication::HongKongMacao),
            ("TW", Authentication::Taiwan),
        ] {
            let mut form = filled();
            form.apply(FormEdit::CountryOfUse(Some(code.into())), &c);
            assert_eq!(form.authentication(&c), route, "{code}");
            assert_eq!(form.translation_language, None, "{code}");
            assert_eq!(form.validate(birth, &c, today()), vec![], "{code}");
            assert!(!route.needs_foreign_affairs_step());
        }
        let taiwan = c.authentication_text(Authentication::Taiwan).zh;
        assert!(taiwan.contains("副本") && taiwan.contains("海峡两岸公证书使用查证协议"));
        let hk = c.authentication_text(Authentication::HongKongMacao).zh;
        assert!(hk.contains("不需要领事认证"));
    }

    #[test]
    fn domestic_only_matters_refuse_a_country_and_appointments_need_a_window() {
        let c = Catalogue::shipped().unwrap();
        let will = c.matter("will").unwrap();
        let mut form = filled();
        form.apply(FormEdit::CountryOfUse(Some("US".into())), &c);
        let errors = fields(&form.validate(will, &c, today()));
        assert_eq!(errors, vec![FormField::CountryOfUse]);
        let mut form = filled();
        form.preferred_date = Some(today());
        assert_eq!(
            fields(&form.validate(will, &c, today())),
            vec![FormField::PreferredDate]
        );
        form.preferred_date = today().checked_add_days(Days::new(30));
        assert_eq!(form.validate(will, &c, today()), vec![]);
    }

    #[test]
    fn debug_is_masked() {
        let form = FormData {
            phone: "13812345678".into(),
            postal_address: "上海市浦东新区世纪大道100号".into(),
            ..filled()
        };
        let shown = format!("{form:?}");
        assert!(!shown.contains("13812345678") && !shown.contains("世纪大道"));
        assert!(!format!("{:?}", FormEdit::Phone("13812345678".into())).contains("1381"));
    }
}
