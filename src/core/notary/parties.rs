//! The parties of an application (公证程序规则 art. 17: the applicant and the other parties)
//! as data: who applies (the card holder, for themself, as a guardian or as an agent), who
//! else each matter involves (a child, a relative, the deceased, heirs, a company, a school
//! …), the fields each needs and how every value is checked. The catalogue declares the
//! schema (`[[applicant_role]]`, `[[party_role]]`, `[[relationship]]` and each matter's
//! `parties`); the journey builds the form from it and the reference case server checks a
//! submission's parties against the same schema with [`check_entries`].

use crate::codec::credit_code::CreditCode;
use crate::codec::id_number::IdNumber;
use crate::domain::{bi, Bilingual};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// At most this many people or bodies of one role (e.g. heirs).
pub const MAX_PARTIES_PER_ROLE: u32 = 10;
const NAME_MAX_CHARS: usize = 50;
const POWERS_MAX_CHARS: usize = 300;

/// How the card holder applies (民法典 arts. 23, 27, 161, 165).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantRole {
    /// For themself.
    #[default]
    #[serde(rename = "self")]
    Myself,
    /// As the parent or other guardian (legal representative) of a minor or of an adult
    /// without full capacity (民法典 arts. 23, 27).
    Guardian,
    /// As the agent named in a written power of attorney (委托代理, 民法典 arts. 161, 165).
    Agent,
}

impl ApplicantRole {
    pub const ALL: [ApplicantRole; 3] = [
        ApplicantRole::Myself,
        ApplicantRole::Guardian,
        ApplicantRole::Agent,
    ];

    pub fn id(self) -> &'static str {
        match self {
            ApplicantRole::Myself => "self",
            ApplicantRole::Guardian => "guardian",
            ApplicantRole::Agent => "agent",
        }
    }

    pub fn from_id(id: &str) -> Option<ApplicantRole> {
        ApplicantRole::ALL.into_iter().find(|r| r.id() == id)
    }
}

/// A field a party may have. The order here is the order on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyField {
    Name,
    /// 曾用名.
    FormerName,
    /// GB 11643 citizen identity number.
    IdNumber,
    BirthDate,
    DeathDate,
    /// What the party is to the applicant (or, where the role says so, to the deceased),
    /// from the catalogue's fixed list.
    Relationship,
    /// GB 32100 unified social credit code.
    CreditCode,
    PeriodFrom,
    PeriodTo,
    /// What an agent may do (代理事项和权限, 民法典 art. 165).
    Powers,
}

impl PartyField {
    pub const ALL: [PartyField; 10] = [
        PartyField::Name,
        PartyField::FormerName,
        PartyField::IdNumber,
        PartyField::BirthDate,
        PartyField::DeathDate,
        PartyField::Relationship,
        PartyField::CreditCode,
        PartyField::PeriodFrom,
        PartyField::PeriodTo,
        PartyField::Powers,
    ];

    pub fn id(self) -> &'static str {
        match self {
            PartyField::Name => "name",
            PartyField::FormerName => "former_name",
            PartyField::IdNumber => "id_number",
            PartyField::BirthDate => "birth_date",
            PartyField::DeathDate => "death_date",
            PartyField::Relationship => "relationship",
            PartyField::CreditCode => "credit_code",
            PartyField::PeriodFrom => "period_from",
            PartyField::PeriodTo => "period_to",
            PartyField::Powers => "powers",
        }
    }

    pub fn from_id(id: &str) -> Option<PartyField> {
        PartyField::ALL.into_iter().find(|f| f.id() == id)
    }

    /// The field's label on screen (the relationship's label comes from the party role).
    pub fn label(self) -> Bilingual {
        match self {
            PartyField::Name => bi("姓名", "Name"),
            PartyField::FormerName => bi("曾用名（没有可不填）", "Former name (if any)"),
            PartyField::IdNumber => bi("身份证号码", "ID number"),
            PartyField::BirthDate => bi("出生日期", "Date of birth"),
            PartyField::DeathDate => bi("去世日期", "Date of death"),
            PartyField::Relationship => bi("他（她）是您的", "This person is your"),
            PartyField::CreditCode => bi("统一社会信用代码", "Unified social credit code"),
            PartyField::PeriodFrom => bi("从（年月）", "From (year and month)"),
            PartyField::PeriodTo => bi("到（年月）", "To (year and month)"),
            PartyField::Powers => bi("委托办理的事情和权限", "What the agent may do for you"),
        }
    }

    /// Which on-screen keyboard the field opens (`ime::FieldPurpose` names).
    pub fn keyboard(self) -> &'static str {
        match self {
            PartyField::Name | PartyField::FormerName => "name",
            PartyField::IdNumber => "id_number",
            PartyField::CreditCode => "code",
            PartyField::BirthDate
            | PartyField::DeathDate
            | PartyField::PeriodFrom
            | PartyField::PeriodTo => "number",
            PartyField::Relationship | PartyField::Powers => "free_text",
        }
    }

    /// An example in the empty field.
    pub fn hint(self) -> Bilingual {
        match self {
            PartyField::BirthDate | PartyField::DeathDate => {
                bi("例如 20190501", "e.g. 20190501 (year, month, day)")
            }
            PartyField::PeriodFrom | PartyField::PeriodTo => {
                bi("例如 201509（年月）", "e.g. 201509 (year and month)")
            }
            PartyField::IdNumber => bi("18位，最后一位可能是X", "18 characters; the last may be X"),
            PartyField::CreditCode => bi(
                "18位，在营业执照上",
                "18 characters, on the business licence",
            ),
            _ => Bilingual::default(),
        }
    }
}

/// A relationship of the fixed list (父亲, 母亲, 子女 …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relationship {
    pub id: String,
    pub name: Bilingual,
}

/// A kind of party (`[[party_role]]`): a child, the deceased, an heir, a company …
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyRole {
    pub id: String,
    pub name: Bilingual,
    /// How the relationship field is asked for this role (default: to the applicant).
    pub relationship_label: Option<Bilingual>,
    /// A school, an employer, a company: its name is a 名称, not a person's 姓名.
    pub organisation: bool,
}

/// The parties of one role a matter needs: how many, and which fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartySpec {
    pub role: String,
    /// Only when the card holder applies in this role (e.g. the child, for a guardian).
    pub when: Option<ApplicantRole>,
    pub min: u32,
    pub max: u32,
    pub required: Vec<PartyField>,
    pub optional: Vec<PartyField>,
    /// The relationships this role may have; `None`: the whole list.
    pub relationships: Option<Vec<String>>,
}

impl PartySpec {
    /// The fields in screen order.
    pub fn fields(&self) -> Vec<PartyField> {
        PartyField::ALL
            .into_iter()
            .filter(|f| self.required.contains(f) || self.optional.contains(f))
            .collect()
    }

    pub fn requires(&self, field: PartyField) -> bool {
        self.required.contains(&field)
    }

    pub fn applies_to(&self, role: ApplicantRole) -> bool {
        self.when.is_none_or(|w| w == role)
    }
}

/// An applicant role other than "self" (`[[applicant_role]]`): how it is offered, what it
/// needs, and the party the certificate is then about (unless the matter names its own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicantRoleDef {
    pub role: ApplicantRole,
    pub name: Bilingual,
    /// What the applicant must bring or know in this role, in plain words.
    pub explanation: Bilingual,
    pub subject: Option<PartySpec>,
    /// What the applicant brings in this role, on top of the matter's materials.
    pub materials: Vec<super::catalogue::MaterialRequirement>,
}

/// One party as entered (or as received): its role and the typed values.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct PartyEntry {
    pub role: String,
    pub values: BTreeMap<PartyField, String>,
}

impl PartyEntry {
    pub fn new(role: &str) -> PartyEntry {
        PartyEntry {
            role: role.to_string(),
            values: BTreeMap::new(),
        }
    }

    pub fn value(&self, field: PartyField) -> &str {
        self.values.get(&field).map_or("", |v| v.as_str())
    }
}

impl fmt::Debug for PartyEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PartyEntry({}, {} fields)", self.role, self.values.len())
    }
}

/// What is wrong with the parties: a role with too few, or one field of one party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartyError {
    pub role: String,
    /// Which party of the role (0-based); `None`: the role as a whole (too few, too many).
    pub index: Option<usize>,
    pub field: Option<PartyField>,
    pub message: Bilingual,
    /// `party_missing` (a required party or value is absent) or `party_invalid`.
    pub code: &'static str,
}

/// A typed date: `20190501`, `2019-05-01`, `2019.5.1`, `2019/05/01`, `2019年5月1日`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let parts = date_parts(text)?;
    match parts.as_slice() {
        [y, m, d] => NaiveDate::from_ymd_opt(*y as i32, *m, *d),
        _ => None,
    }
}

/// A typed year and month (`201509`, `2015-09`, `2015年9月`) or a full date; the first day
/// of the month stands for a month.
pub fn parse_month_or_date(text: &str) -> Option<(NaiveDate, bool)> {
    let parts = date_parts(text)?;
    match parts.as_slice() {
        [y, m] => NaiveDate::from_ymd_opt(*y as i32, *m, 1).map(|d| (d, false)),
        [y, m, d] => NaiveDate::from_ymd_opt(*y as i32, *m, *d).map(|d| (d, true)),
        _ => None,
    }
}

fn date_parts(text: &str) -> Option<Vec<u32>> {
    let text = text.trim();
    if text.is_empty() || !text.is_ascii() && !text.contains(['年', '月', '日']) {
        return None;
    }
    let digits_only = text.chars().all(|c| c.is_ascii_digit());
    if digits_only {
        let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<u32>().ok();
        return match text.len() {
            8 => Some(vec![number(0..4)?, number(4..6)?, number(6..8)?]),
            6 => Some(vec![number(0..4)?, number(4..6)?]),
            _ => None,
        };
    }
    let parts: Vec<&str> = text
        .split(['-', '.', '/', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    if !(2..=3).contains(&parts.len()) || parts[0].len() != 4 {
        return None;
    }
    parts
        .iter()
        .map(|p| {
            (p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()))
                .then(|| p.parse::<u32>().ok())
                .flatten()
        })
        .collect()
}

/// The value as the payload carries it: dates as `YYYY-MM-DD` (periods may be `YYYY-MM`),
/// ID numbers and credit codes upper case, text trimmed.
pub fn normalise(field: PartyField, value: &str) -> String {
    let value = value.trim();
    match field {
        PartyField::BirthDate | PartyField::DeathDate => parse_date(value)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| value.to_string()),
        PartyField::PeriodFrom | PartyField::PeriodTo => match parse_month_or_date(value) {
            Some((d, true)) => d.format("%Y-%m-%d").to_string(),
            Some((d, false)) => d.format("%Y-%m").to_string(),
            None => value.to_string(),
        },
        PartyField::IdNumber | PartyField::CreditCode => value
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase(),
        _ => value.to_string(),
    }
}

/// Checks the entries against the specs that apply: counts per role, then every field of
/// every party. Entries of a role no spec names are an error too (the server sees them).
pub fn check_entries(
    specs: &[&PartySpec],
    roles: &[PartyRole],
    relationships: &[Relationship],
    entries: &[PartyEntry],
    today: NaiveDate,
) -> Vec<PartyError> {
    let mut errors = Vec::new();
    for entry in entries {
        if !specs.iter().any(|s| s.role == entry.role) {
            errors.push(PartyError {
                role: entry.role.clone(),
                index: None,
                field: None,
                message: bi(
                    "此事项不需要这一方的信息。",
                    "This matter does not take this party.",
                ),
                code: "party_invalid",
            });
        }
    }
    for spec in specs {
        let name = roles.iter().find(|r| r.id == spec.role).map_or_else(
            || Bilingual::new(&spec.role, &spec.role),
            |r| r.name.clone(),
        );
        let of_role: Vec<&PartyEntry> = entries.iter().filter(|e| e.role == spec.role).collect();
        let count = of_role.len() as u32;
        if count < spec.min {
            errors.push(PartyError {
                role: spec.role.clone(),
                index: None,
                field: None,
                message: Bilingual::new(
                    format!("请填写{}的信息（至少{}位）。", name.zh, spec.min),
                    format!(
                        "Please enter the {} (at least {}).",
                        name.en.to_lowercase(),
                        spec.min
                    ),
                ),
                code: "party_missing",
            });
        }
        if count > spec.max {
            errors.push(PartyError {
                role: spec.role.clone(),
                index: None,
                field: None,
                message: Bilingual::new(
                    format!("{}最多{}位。", name.zh, spec.max),
                    format!("At most {} of: {}.", spec.max, name.en.to_lowercase()),
                ),
                code: "party_invalid",
            });
        }
        for (index, entry) in of_role.iter().enumerate() {
            check_entry(spec, entry, relationships, today, |field, code, message| {
                errors.push(PartyError {
                    role: spec.role.clone(),
                    index: Some(index),
                    field: Some(field),
                    message,
                    code,
                })
            });
        }
    }
    errors
}

fn check_entry(
    spec: &PartySpec,
    entry: &PartyEntry,
    relationships: &[Relationship],
    today: NaiveDate,
    mut fail: impl FnMut(PartyField, &'static str, Bilingual),
) {
    for (field, _) in entry.values.iter().filter(|(_, v)| !v.trim().is_empty()) {
        if !spec.fields().contains(field) {
            fail(
                *field,
                "party_invalid",
                bi("这一项不需要填写。", "This item is not asked for."),
            );
        }
    }
    let mut id_birth = None;
    for field in spec.fields() {
        let value = entry.value(field).trim();
        if value.is_empty() {
            if spec.requires(field) {
                fail(field, "party_missing", missing(field));
            }
            continue;
        }
        if let Some(problem) = check_value(field, value, spec, relationships, today) {
            fail(field, "party_invalid", problem);
        } else if field == PartyField::IdNumber {
            id_birth = IdNumber::parse(value).ok().map(|id| id.birth_date());
        }
    }
    let date = |field| parse_date(entry.value(field));
    if let (Some(birth), Some(death)) = (date(PartyField::BirthDate), date(PartyField::DeathDate)) {
        if death < birth {
            fail(
                PartyField::DeathDate,
                "party_invalid",
                bi(
                    "去世日期不能早于出生日期。",
                    "The date of death cannot be before the date of birth.",
                ),
            );
        }
    }
    if let (Some(from_id), Some(birth)) = (id_birth, date(PartyField::BirthDate)) {
        if from_id != birth {
            fail(
                PartyField::BirthDate,
                "party_invalid",
                bi(
                    "出生日期与身份证号码中的出生日期不一致，请核对。",
                    "The date of birth does not match the one in the ID number; please check.",
                ),
            );
        }
    }
    let period = |field| parse_month_or_date(entry.value(field)).map(|(d, _)| d);
    if let (Some(from), Some(to)) = (period(PartyField::PeriodFrom), period(PartyField::PeriodTo)) {
        if to < from {
            fail(
                PartyField::PeriodTo,
                "party_invalid",
                bi(
                    "结束时间不能早于开始时间。",
                    "The end cannot be before the start.",
                ),
            );
        }
    }
}

fn missing(field: PartyField) -> Bilingual {
    match field {
        PartyField::Name => bi("请填写姓名或名称。", "Please enter the name."),
        PartyField::IdNumber => bi("请填写身份证号码。", "Please enter the ID number."),
        PartyField::BirthDate => bi("请填写出生日期。", "Please enter the date of birth."),
        PartyField::DeathDate => bi("请填写去世日期。", "Please enter the date of death."),
        PartyField::Relationship => bi("请选择关系。", "Please choose the relationship."),
        PartyField::CreditCode => bi(
            "请填写统一社会信用代码（营业执照上的18位代码）。",
            "Please enter the unified social credit code (18 characters on the business licence).",
        ),
        PartyField::PeriodFrom => bi(
            "请填写开始的年月。",
            "Please enter the year and month it began.",
        ),
        PartyField::PeriodTo => bi(
            "请填写结束的年月。",
            "Please enter the year and month it ended.",
        ),
        PartyField::Powers => bi(
            "请写明委托办理的事情和权限。",
            "Please write what the agent may do for you.",
        ),
        PartyField::FormerName => bi("请填写曾用名。", "Please enter the former name."),
    }
}

fn check_value(
    field: PartyField,
    value: &str,
    spec: &PartySpec,
    relationships: &[Relationship],
    today: NaiveDate,
) -> Option<Bilingual> {
    let chars = value.chars().count();
    let control = value.chars().any(char::is_control);
    match field {
        PartyField::Name | PartyField::FormerName => (chars > NAME_MAX_CHARS || control).then(|| {
            bi("姓名或名称不超过50字。", "A name may have at most 50 characters.")
        }),
        PartyField::Powers => (!(2..=POWERS_MAX_CHARS).contains(&chars) || control).then(|| {
            bi(
                "请用2至300字写明委托办理的事情和权限。",
                "Please describe the powers in 2 to 300 characters.",
            )
        }),
        PartyField::IdNumber => IdNumber::parse(&normalise(field, value)).err().map(|_| {
            bi(
                "身份证号码不正确：应为18位，最后一位是数字或X，请核对。",
                "The ID number is not valid: 18 characters, the last a digit or X. Please check it.",
            )
        }),
        PartyField::CreditCode => CreditCode::parse(value).err().map(|_| {
            bi(
                "统一社会信用代码不正确：应为营业执照上的18位代码，请核对。",
                "The unified social credit code is not valid: the 18 characters on the business licence. Please check it.",
            )
        }),
        PartyField::Relationship => {
            let known = relationships.iter().any(|r| r.id == value);
            let allowed = spec
                .relationships
                .as_ref()
                .is_none_or(|list| list.iter().any(|r| r == value));
            (!known || !allowed).then(|| bi("请从列表中选择关系。", "Please choose the relationship from the list."))
        }
        PartyField::BirthDate | PartyField::DeathDate => match parse_date(value) {
            None => Some(bi(
                "请按“年月日”填写8位数字，例如20190501。",
                "Please enter the date as 8 digits, year month day, e.g. 20190501.",
            )),
            Some(date) if date > today || date.year() < 1880 => Some(bi(
                "日期不能晚于今天。",
                "The date cannot be later than today.",
            )),
            Some(_) => None,
        },
        PartyField::PeriodFrom | PartyField::PeriodTo => match parse_month_or_date(value) {
            None => Some(bi(
                "请按“年月”填写6位数字，例如201509。",
                "Please enter the year and month as 6 digits, e.g. 201509.",
            )),
            Some((date, _)) if date.year() < 1900 || date.year() > today.year() + 30 => Some(bi(
                "请核对年份。",
                "Please check the year.",
            )),
            Some(_) => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn relationships() -> Vec<Relationship> {
        ["father", "mother", "child", "other"]
            .into_iter()
            .map(|id| Relationship {
                id: id.into(),
                name: bi(id, id),
            })
            .collect()
    }

    fn child_spec() -> PartySpec {
        PartySpec {
            role: "child".into(),
            when: Some(ApplicantRole::Guardian),
            min: 1,
            max: 1,
            required: vec![
                PartyField::Name,
                PartyField::BirthDate,
                PartyField::Relationship,
            ],
            optional: vec![PartyField::IdNumber],
            relationships: Some(vec!["child".into()]),
        }
    }

    fn entry(values: &[(PartyField, &str)]) -> PartyEntry {
        PartyEntry {
            role: "child".into(),
            values: values.iter().map(|(f, v)| (*f, v.to_string())).collect(),
        }
    }

    fn problems(entries: &[PartyEntry]) -> Vec<(Option<PartyField>, &'static str)> {
        let spec = child_spec();
        check_entries(&[&spec], &[], &relationships(), entries, day(2026, 3, 1))
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn dates_are_read_as_people_type_them() {
        for typed in [
            "20190501",
            "2019-05-01",
            "2019.5.1",
            "2019/05/01",
            "2019年5月1日",
        ] {
            assert_eq!(parse_date(typed), Some(day(2019, 5, 1)), "{typed}");
        }
        for wrong in ["", "2019", "20190231", "19-05-01", "2019-5", "abc"] {
            assert_eq!(parse_date(wrong), None, "{wrong}");
        }
        assert_eq!(
            parse_month_or_date("201509"),
            Some((day(2015, 9, 1), false))
        );
        assert_eq!(
            parse_month_or_date("2015年9月"),
            Some((day(2015, 9, 1), false))
        );
        assert_eq!(normalise(PartyField::PeriodFrom, "201509"), "2015-09");
        assert_eq!(normalise(PartyField::BirthDate, "2019.5.1"), "2019-05-01");
        assert_eq!(
            normalise(PartyField::IdNumber, " 44030519850101001x "),
            "44030519850101001X"
        );
    }

    #[test]
    fn a_child_needs_name_birth_date_and_relationship() {
        assert_eq!(problems(&[]), vec![(None, "party_missing")]);
        assert_eq!(
            problems(&[entry(&[])]),
            vec![
                (Some(PartyField::Name), "party_missing"),
                (Some(PartyField::BirthDate), "party_missing"),
                (Some(PartyField::Relationship), "party_missing"),
            ]
        );
        let fine = entry(&[
            (PartyField::Name, "张小小"),
            (PartyField::BirthDate, "20190501"),
            (PartyField::Relationship, "child"),
        ]);
        assert_eq!(problems(std::slice::from_ref(&fine)), vec![]);
        assert_eq!(
            problems(&[fine.clone(), fine]),
            vec![(None, "party_invalid")],
            "max 1"
        );
    }

    #[test]
    fn values_are_checked_by_their_kind() {
        let id = IdNumber::parse("110105199003070025").unwrap();
        assert_eq!(id.birth_date(), day(1990, 3, 7));
        let wrong = entry(&[
            (PartyField::Name, "张小小"),
            (PartyField::BirthDate, "20300101"),
            (PartyField::Relationship, "father"),
            (PartyField::IdNumber, "110105199003070021"),
        ]);
        assert_eq!(
            problems(&[wrong]),
            vec![
                (Some(PartyField::IdNumber), "party_invalid"),
                (Some(PartyField::BirthDate), "party_invalid"),
                (Some(PartyField::Relationship), "party_invalid"),
            ]
        );
        // A valid number whose birth date differs from the one typed.
        let mismatch = entry(&[
            (PartyField::Name, "张小三"),
            (PartyField::BirthDate, "19900308"),
            (PartyField::Relationship, "child"),
            (PartyField::IdNumber, "110105199003070025"),
        ]);
        assert_eq!(
            problems(&[mismatch]),
            vec![(Some(PartyField::BirthDate), "party_invalid")]
        );
        // A field the role does not take.
        let extra = entry(&[
            (PartyField::Name, "张小小"),
            (PartyField::BirthDate, "20190501"),
            (PartyField::Relationship, "child"),
            (PartyField::CreditCode, "91440300708461136T"),
        ]);
        assert_eq!(
            problems(&[extra]),
            vec![(Some(PartyField::CreditCode), "party_invalid")]
        );
    }

    #[test]
    fn credit_codes_periods_and_deaths() {
        let company = PartySpec {
            role: "company".into(),
            when: None,
            min: 1,
            max: 1,
            required: vec![PartyField::Name, PartyField::CreditCode],
            optional: vec![
                PartyField::PeriodFrom,
                PartyField::PeriodTo,
                PartyField::DeathDate,
                PartyField::BirthDate,
            ],
            relationships: None,
        };
        let mut e = PartyEntry::new("company");
        e.values
            .insert(PartyField::Name, "深圳市腾讯计算机系统有限公司".into());
        e.values
            .insert(PartyField::CreditCode, "91440300708461136U".into());
        e.values.insert(PartyField::PeriodFrom, "201509".into());
        e.values.insert(PartyField::PeriodTo, "201407".into());
        e.values.insert(PartyField::BirthDate, "19500101".into());
        e.values.insert(PartyField::DeathDate, "19491231".into());
        let fields: Vec<_> = check_entries(&[&company], &[], &[], &[e.clone()], day(2026, 3, 1))
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            vec![
                Some(PartyField::CreditCode),
                Some(PartyField::DeathDate),
                Some(PartyField::PeriodTo)
            ]
        );
        e.values
            .insert(PartyField::CreditCode, "91440300708461136t".into());
        e.values.insert(PartyField::PeriodTo, "2016-07".into());
        e.values.insert(PartyField::DeathDate, "2020-01-01".into());
        assert!(check_entries(&[&company], &[], &[], &[e], day(2026, 3, 1)).is_empty());
    }

    #[test]
    fn debug_hides_the_values() {
        let e = entry(&[(PartyField::Name, "张小小")]);
        assert!(!format!("{e:?}").contains("张小小"));
    }
}
