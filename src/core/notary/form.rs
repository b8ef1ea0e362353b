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
const FORMER_NAME_MAX_CHARS: usize = 50;

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
    FormerName,
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
    /// The applicant's former name (曾用名), if any.
    FormerName(String),
}

impl fmt::Debug for FormEdit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormEdit::PostalAddress(_) => f.write_str("PostalAddress(..)"),
            FormEdit::Phone(_) => f.write_str("Phone(..)"),
            FormEdit::CurrentAddress(_) => f.write_str("CurrentAddress(..)"),
            FormEdit::FormerName(_) => f.write_str("FormerName(..)"),
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
    /// The applicant's former name (曾用名); empty when none.
    pub former_name: String,
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
            former_name: String::new(),
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
            FormEdit::FormerName(n) => self.former_name = n,
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
        if let Err(problem) = check_phone(&self.phone) {
            let message = problem.message();
            fail(FormField::Phone, &message.zh, &message.en);
        }
        let former = self.former_name.trim();
        if former.chars().count() > FORMER_NAME_MAX_CHARS || has_control(former) {
            fail(
                FormField::FormerName,
                "曾用名不超过50字。",
                "The former name may have at most 50 characters.",
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

/// The kinds of telephone number an applicant may give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PhoneKind {
    /// 11 digits, `1[3-9]…`.
    MainlandMobile,
    /// Area code and number, e.g. 0755-12345678 or 010-12345678.
    MainlandLandline,
    /// +852 and 8 digits.
    HongKong,
    /// +853 and 8 digits.
    Macao,
    /// Any other E.164 number: + and 8 to 15 digits.
    International,
}

/// Why a telephone number is not accepted; each says what a right one looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneProblem {
    Empty,
    /// Letters or other signs than digits, spaces, `-`, `(`, `)` and a leading `+`.
    BadCharacters,
    Mobile,
    Landline,
    HongKong,
    Macao,
    International,
}

impl PhoneProblem {
    pub fn message(self) -> Bilingual {
        match self {
            PhoneProblem::Empty => bi(
                "请填写联系电话：手机号码、带区号的固定电话，或以+开头的境外号码。",
                "Please enter a phone number: a mobile, a landline with its area code, or a number abroad starting with +.",
            ),
            PhoneProblem::BadCharacters => bi(
                "电话号码只能有数字，境外号码前面可以加+。",
                "A phone number has digits only; a number abroad may start with +.",
            ),
            PhoneProblem::Mobile => bi(
                "手机号码应为11位数字，以13至19开头。",
                "A mobile number has 11 digits and starts with 13 to 19.",
            ),
            PhoneProblem::Landline => bi(
                "固定电话请填写区号和号码，例如 0755-12345678 或 010-12345678。",
                "For a landline enter the area code and the number, e.g. 0755-12345678 or 010-12345678.",
            ),
            PhoneProblem::HongKong => bi(
                "香港号码应为+852（在键盘上可输入00852）加8位数字，例如 +852 91234567。",
                "A Hong Kong number is +852 (00852 on the keypad) and 8 digits, e.g. +852 91234567.",
            ),
            PhoneProblem::Macao => bi(
                "澳门号码应为+853（在键盘上可输入00853）加8位数字，例如 +853 61234567。",
                "A Macao number is +853 (00853 on the keypad) and 8 digits, e.g. +853 61234567.",
            ),
            PhoneProblem::International => bi(
                "境外号码请以+（或00）开头，接国家或地区代码和号码，共8至15位数字。",
                "A number abroad starts with + (or 00), then the country code and the number: 8 to 15 digits in all.",
            ),
        }
    }
}

/// Checks a telephone number as typed. Spaces, `-` and brackets are allowed between digits;
/// `00` may stand for `+`.
pub fn check_phone(phone: &str) -> Result<PhoneKind, PhoneProblem> {
    let phone = phone.trim();
    if phone.is_empty() {
        return Err(PhoneProblem::Empty);
    }
    let (plus, rest) = match phone.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, phone),
    };
    if !rest
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')'))
    {
        return Err(PhoneProblem::BadCharacters);
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    let international = if plus {
        Some(digits.as_str())
    } else {
        digits.strip_prefix("00")
    };
    if let Some(number) = international {
        return if let Some(local) = number.strip_prefix("852") {
            (local.len() == 8)
                .then_some(PhoneKind::HongKong)
                .ok_or(PhoneProblem::HongKong)
        } else if let Some(local) = number.strip_prefix("853") {
            (local.len() == 8)
                .then_some(PhoneKind::Macao)
                .ok_or(PhoneProblem::Macao)
        } else if let Some(local) = number.strip_prefix("86") {
            if is_mainland_mobile(local) {
                Ok(PhoneKind::MainlandMobile)
            } else if is_landline(&format!("0{local}")) {
                Ok(PhoneKind::MainlandLandline)
            } else {
                Err(PhoneProblem::Mobile)
            }
        } else if (8..=15).contains(&number.len()) && !number.starts_with('0') {
            Ok(PhoneKind::International)
        } else {
            Err(PhoneProblem::International)
        };
    }
    if digits.starts_with('1') && digits.len() >= 10 {
        return is_mainland_mobile(&digits)
            .then_some(PhoneKind::MainlandMobile)
            .ok_or(PhoneProblem::Mobile);
    }
    if digits.starts_with('0') {
        return is_landline(&digits)
            .then_some(PhoneKind::MainlandLandline)
            .ok_or(PhoneProblem::Landline);
    }
    // Eight digits without an area code could be a local landline or a Hong Kong or Macao
    // number: ask for the prefix that tells which.
    Err(PhoneProblem::Landline)
}

/// Mainland landlines with the area code: `010`/`02x` and 8 digits, or a four-digit area
/// code (`0xxx`) and 7 or 8 digits. The number itself never starts with 0.
fn is_landline(digits: &str) -> bool {
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !digits.starts_with('0') {
        return false;
    }
    let (area, number) = if digits.starts_with("01") || digits.starts_with("02") {
        digits.split_at(3.min(digits.len()))
    } else {
        digits.split_at(4.min(digits.len()))
    };
    let short_area = area.len() == 3;
    let length_ok = if short_area {
        number.len() == 8
    } else {
        (7..=8).contains(&number.len())
    };
    length_ok && area != "000" && !number.starts_with('0')
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
    fn landlines_hong_kong_macao_and_numbers_abroad_are_accepted() {
        for (typed, kind) in [
            ("13812345678", PhoneKind::MainlandMobile),
            ("+86 138 1234 5678", PhoneKind::MainlandMobile),
            ("0755-12345678", PhoneKind::MainlandLandline),
            ("010-12345678", PhoneKind::MainlandLandline),
            ("(0571) 8765432", PhoneKind::MainlandLandline),
            ("075512345678", PhoneKind::MainlandLandline),
            ("+852 9123 4567", PhoneKind::HongKong),
            ("0085291234567", PhoneKind::HongKong),
            ("+85361234567", PhoneKind::Macao),
            ("+1 415 555 0100", PhoneKind::International),
            ("+4930123456", PhoneKind::International),
        ] {
            assert_eq!(check_phone(typed), Ok(kind), "{typed}");
        }
    }

    #[test]
    fn wrong_phone_numbers_get_a_specific_message() {
        for (typed, problem) in [
            ("", PhoneProblem::Empty),
            ("1381234567", PhoneProblem::Mobile),
            ("12812345678", PhoneProblem::Mobile),
            ("0755-1234", PhoneProblem::Landline),
            ("010-1234567", PhoneProblem::Landline),
            ("12345678", PhoneProblem::Landline),
            ("+852 9123 456", PhoneProblem::HongKong),
            ("+853 612345678", PhoneProblem::Macao),
            ("+1234567", PhoneProblem::International),
            ("+1234567890123456", PhoneProblem::International),
            ("138-abc", PhoneProblem::BadCharacters),
            ("０３８１２３４５６７８", PhoneProblem::BadCharacters),
        ] {
            assert_eq!(check_phone(typed), Err(problem), "{typed}");
        }
        let messages: Vec<Bilingual> = [
            PhoneProblem::Mobile,
            PhoneProblem::Landline,
            PhoneProblem::HongKong,
            PhoneProblem::Macao,
            PhoneProblem::International,
        ]
        .iter()
        .map(|p| p.message())
        .collect();
        assert!(messages.iter().all(Bilingual::is_complete));
        assert!(messages[2].zh.contains("+852") && messages[3].en.contains("+853"));
        assert!(messages[1].zh.contains("0755-12345678"));
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
