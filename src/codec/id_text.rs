//! The 256-byte machine-readable text block of a resident ID card and of the cards that share
//! its reader (hardware-protocols.md §1.6): UCS-2 little-endian fields padded with spaces,
//! the card kind marked at byte 248. Decoding checks structure (text, sex code, nation code,
//! dates); the ID-number checksum and expiry are judged by the HAL, which knows today's date.

use super::id_number::parse_yyyymmdd;
use super::nation::Nation;
use chrono::NaiveDate;
use std::fmt;
use thiserror::Error;

pub const TEXT_LEN: usize = 256;
const KIND_MARKER: usize = 248;

/// One fixed field of the block: byte offset and byte length.
#[derive(Clone, Copy)]
struct Field {
    name: &'static str,
    offset: usize,
    len: usize,
}

const fn field(name: &'static str, offset: usize, len: usize) -> Field {
    Field { name, offset, len }
}

// Resident card (GA/T 490) and the slots the other kinds share with it.
const NAME: Field = field("name", 0, 30);
const SEX: Field = field("sex", 30, 2);
const NATION: Field = field("nation", 32, 4);
const BIRTH: Field = field("birth", 36, 16);
const ADDRESS: Field = field("address", 52, 70);
const ID_NUMBER: Field = field("id_number", 122, 36);
const ISSUER: Field = field("issuer", 158, 30);
const VALID_FROM: Field = field("valid_from", 188, 16);
const VALID_UNTIL: Field = field("valid_until", 204, 16);
// Hong Kong / Macau / Taiwan residence permit ('J').
const PASS_NUMBER: Field = field("pass_number", 220, 18);
const ISSUE_COUNT: Field = field("issue_count", 238, 4);
// 2017 foreigner permanent residence card ('I').
const I_ENGLISH_NAME: Field = field("english_name", 0, 120);
const I_SEX: Field = field("sex", 120, 2);
const I_PERMIT_NUMBER: Field = field("id_number", 122, 30);
const I_NATIONALITY: Field = field("nationality", 152, 6);
const I_CHINESE_NAME: Field = field("name", 158, 30);
const I_BIRTH: Field = field("birth", 220, 16);
const I_VERSION: Field = field("card_version", 236, 4);
const I_AUTHORITY: Field = field("issuer", 240, 8);
// 2023 foreigner permanent residence card ('Y'); only the slots before 220 are confirmed.
const Y_RENEW_COUNT: Field = field("renew_count", 32, 4);
const Y_ENGLISH_NAME: Field = field("english_name", 52, 70);

const LONG_TERM: &str = "长期";

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IdTextError {
    #[error("the text block has {0} bytes, expected 256")]
    WrongLength(usize),
    #[error("field `{0}` is not valid UCS-2 text")]
    BadText(&'static str),
    #[error("field `sex` holds an unknown code")]
    BadSex,
    #[error("field `nation` holds a code outside GB 3304")]
    UnknownNation,
    #[error("field `{0}` is not a YYYYMMDD date")]
    BadDate(&'static str),
    #[error("field `{0}` is not a number")]
    BadNumber(&'static str),
    #[error("field `{0}` is too long for its slot")]
    FieldTooLong(&'static str),
}

/// GB/T 2261.1 sex codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Unknown,
    Male,
    Female,
    Unspecified,
}

impl Sex {
    fn from_code(code: &str) -> Option<Sex> {
        Some(match code {
            "0" => Sex::Unknown,
            "1" => Sex::Male,
            "2" => Sex::Female,
            "9" => Sex::Unspecified,
            _ => return None,
        })
    }

    fn code(self) -> &'static str {
        match self {
            Sex::Unknown => "0",
            Sex::Male => "1",
            Sex::Female => "2",
            Sex::Unspecified => "9",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
            Sex::Unknown | Sex::Unspecified => "未说明",
        }
    }
}

/// End of validity: a date, or 长期 (long-term, issued to people over 46).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    Until(NaiveDate),
    LongTerm,
}

impl Validity {
    /// Whether the card is expired on `today` (the end date itself is still valid).
    pub fn is_expired_on(self, today: NaiveDate) -> bool {
        matches!(self, Validity::Until(end) if today > end)
    }
}

/// What differs between the kinds of card.
#[derive(Clone, PartialEq, Eq)]
pub enum CardDetails {
    /// Resident identity card (居民身份证).
    Resident { nation: Nation, address: String },
    /// Hong Kong/Macau/Taiwan residents' residence permit (港澳台居民居住证, 'J').
    HongKongMacauTaiwan {
        address: String,
        pass_number: String,
        issue_count: u8,
    },
    /// 2017 foreigner permanent residence card (外国人永久居留身份证, 'I').
    Foreigner2017 {
        english_name: String,
        nationality: String,
        card_version: String,
    },
    /// 2023 foreigner permanent residence card ('Y'); fields after byte 220 are not decoded
    /// because their layout is unconfirmed.
    Foreigner2023 {
        english_name: String,
        renew_count: u8,
    },
}

/// The decoded text block. Holds personal data: `Debug` is masked.
#[derive(Clone, PartialEq, Eq)]
pub struct Identity {
    /// Chinese name; may be empty on a foreigner card.
    pub name: String,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    /// ID number, permit number (2017 foreigner card: 3 letters + 12 digits) as printed.
    pub id_number: String,
    /// Issuing authority; the authority code on the 2017 foreigner card; empty on 'Y'.
    pub issuer: String,
    pub valid_from: NaiveDate,
    pub valid_until: Validity,
    pub details: CardDetails,
}

impl Identity {
    /// Decodes a text block of exactly 256 bytes.
    pub fn decode(text: &[u8]) -> Result<Identity, IdTextError> {
        let block: &[u8; TEXT_LEN] = text
            .try_into()
            .map_err(|_| IdTextError::WrongLength(text.len()))?;
        let marker = read(block, field("card_type", KIND_MARKER, 2))?;
        match marker.as_str() {
            "I" => decode_foreigner_2017(block),
            "J" => decode_hong_kong_macau_taiwan(block),
            "Y" => decode_foreigner_2023(block),
            // The 'Y' letter is unconfirmed; its ID numbers always start with 9.
            _ if read(block, ID_NUMBER)?.starts_with('9') => decode_foreigner_2023(block),
            _ => decode_resident(block),
        }
    }

    /// The inverse of `decode` (what a SAM sends); used by simulators and tests.
    pub fn encode(&self) -> Result<[u8; TEXT_LEN], IdTextError> {
        let mut block = [0u8; TEXT_LEN];
        write(&mut block, field("all", 0, TEXT_LEN), "")?;
        match &self.details {
            CardDetails::Foreigner2017 {
                english_name,
                nationality,
                card_version,
            } => {
                write(&mut block, I_ENGLISH_NAME, english_name)?;
                write(&mut block, I_SEX, self.sex.code())?;
                write(&mut block, I_PERMIT_NUMBER, &self.id_number)?;
                write(&mut block, I_NATIONALITY, nationality)?;
                write(&mut block, I_CHINESE_NAME, &self.name)?;
                write(&mut block, VALID_FROM, &format_date(self.valid_from))?;
                write(&mut block, VALID_UNTIL, &format_validity(self.valid_until))?;
                write(&mut block, I_BIRTH, &format_date(self.birth_date))?;
                write(&mut block, I_VERSION, card_version)?;
                write(&mut block, I_AUTHORITY, &self.issuer)?;
                write(&mut block, field("card_type", KIND_MARKER, 2), "I")?;
                return Ok(block);
            }
            CardDetails::Resident { nation, address } => {
                write(&mut block, NATION, &nation.digits())?;
                write(&mut block, ADDRESS, address)?;
            }
            CardDetails::HongKongMacauTaiwan {
                address,
                pass_number,
                issue_count,
            } => {
                write(&mut block, ADDRESS, address)?;
                write(&mut block, PASS_NUMBER, pass_number)?;
                write(&mut block, ISSUE_COUNT, &format!("{issue_count:02}"))?;
                write(&mut block, field("card_type", KIND_MARKER, 2), "J")?;
            }
            CardDetails::Foreigner2023 {
                english_name,
                renew_count,
            } => {
                write(&mut block, Y_RENEW_COUNT, &format!("{renew_count:02}"))?;
                write(&mut block, Y_ENGLISH_NAME, english_name)?;
                write(&mut block, field("card_type", KIND_MARKER, 2), "Y")?;
            }
        }
        write(&mut block, NAME, &self.name)?;
        write(&mut block, SEX, self.sex.code())?;
        write(&mut block, BIRTH, &format_date(self.birth_date))?;
        write(&mut block, ID_NUMBER, &self.id_number)?;
        write(&mut block, ISSUER, &self.issuer)?;
        write(&mut block, VALID_FROM, &format_date(self.valid_from))?;
        write(&mut block, VALID_UNTIL, &format_validity(self.valid_until))?;
        Ok(block)
    }

    /// The address printed on the card, when the card kind has one.
    pub fn address(&self) -> Option<&str> {
        match &self.details {
            CardDetails::Resident { address, .. }
            | CardDetails::HongKongMacauTaiwan { address, .. } => Some(address),
            CardDetails::Foreigner2017 { .. } | CardDetails::Foreigner2023 { .. } => None,
        }
    }

    /// Full years of age on `today`.
    pub fn age_on(&self, today: NaiveDate) -> u32 {
        today.years_since(self.birth_date).unwrap_or(0)
    }

    pub fn kind_name(&self) -> &'static str {
        match self.details {
            CardDetails::Resident { .. } => "resident",
            CardDetails::HongKongMacauTaiwan { .. } => "hong-kong-macau-taiwan",
            CardDetails::Foreigner2017 { .. } => "foreigner-2017",
            CardDetails::Foreigner2023 { .. } => "foreigner-2023",
        }
    }
}

impl fmt::Debug for CardDetails {
    // Addresses, names and pass numbers are personal data: show the kind only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self {
            CardDetails::Resident { .. } => "Resident",
            CardDetails::HongKongMacauTaiwan { .. } => "HongKongMacauTaiwan",
            CardDetails::Foreigner2017 { .. } => "Foreigner2017",
            CardDetails::Foreigner2023 { .. } => "Foreigner2023",
        };
        write!(f, "{kind} {{ .. }}")
    }
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Identity")
            .field("kind", &self.kind_name())
            .field("name", &mask_name(&self.name))
            .field("id_number", &mask_number(&self.id_number))
            .field("valid_until", &self.valid_until)
            .finish_non_exhaustive()
    }
}

/// A name with all but its first character starred: "张三丰" → "张**".
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map_or_else(String::new, |first| {
        std::iter::once(first).chain(chars.map(|_| '*')).collect()
    })
}

/// A document number with its middle starred: "11010519491231002X" → "110105********002X".
/// Short numbers are starred completely.
pub fn mask_number(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    if chars.len() < 12 {
        return "*".repeat(chars.len());
    }
    let keep_tail = chars.len() - 4;
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| if i < 6 || i >= keep_tail { *c } else { '*' })
        .collect()
}

fn decode_resident(block: &[u8; TEXT_LEN]) -> Result<Identity, IdTextError> {
    let nation = Nation::from_digits(&read(block, NATION)?).ok_or(IdTextError::UnknownNation)?;
    let address = read(block, ADDRESS)?;
    decode_common(block, CardDetails::Resident { nation, address })
}

fn decode_hong_kong_macau_taiwan(block: &[u8; TEXT_LEN]) -> Result<Identity, IdTextError> {
    let details = CardDetails::HongKongMacauTaiwan {
        address: read(block, ADDRESS)?,
        pass_number: read(block, PASS_NUMBER)?,
        issue_count: read_count(block, ISSUE_COUNT)?,
    };
    decode_common(block, details)
}

fn decode_foreigner_2023(block: &[u8; TEXT_LEN]) -> Result<Identity, IdTextError> {
    let details = CardDetails::Foreigner2023 {
        english_name: read(block, Y_ENGLISH_NAME)?,
        renew_count: read_count(block, Y_RENEW_COUNT)?,
    };
    decode_common(block, details)
}

/// The fields in the resident-card slots, shared by every kind except the 2017 card.
fn decode_common(block: &[u8; TEXT_LEN], details: CardDetails) -> Result<Identity, IdTextError> {
    Ok(Identity {
        name: read(block, NAME)?,
        sex: read_sex(block, SEX)?,
        birth_date: read_date(block, BIRTH)?,
        id_number: read(block, ID_NUMBER)?,
        issuer: read(block, ISSUER)?,
        valid_from: read_date(block, VALID_FROM)?,
        valid_until: read_validity(block)?,
        details,
    })
}

fn decode_foreigner_2017(block: &[u8; TEXT_LEN]) -> Result<Identity, IdTextError> {
    Ok(Identity {
        name: read(block, I_CHINESE_NAME)?,
        sex: read_sex(block, I_SEX)?,
        birth_date: read_date(block, I_BIRTH)?,
        id_number: read(block, I_PERMIT_NUMBER)?,
        issuer: read(block, I_AUTHORITY)?,
        valid_from: read_date(block, VALID_FROM)?,
        valid_until: read_validity(block)?,
        details: CardDetails::Foreigner2017 {
            english_name: read(block, I_ENGLISH_NAME)?,
            nationality: read(block, I_NATIONALITY)?,
            card_version: read(block, I_VERSION)?,
        },
    })
}

/// A field as text without its space (or NUL) padding.
fn read(block: &[u8; TEXT_LEN], f: Field) -> Result<String, IdTextError> {
    let units = block[f.offset..f.offset + f.len]
        .chunks_exact(2)
        .map(|pair| u16::from_le_bytes([pair[0], pair[1]]));
    let text: String = char::decode_utf16(units)
        .collect::<Result<_, _>>()
        .map_err(|_| IdTextError::BadText(f.name))?;
    Ok(text.trim_end_matches([' ', '\0']).to_owned())
}

fn read_sex(block: &[u8; TEXT_LEN], f: Field) -> Result<Sex, IdTextError> {
    Sex::from_code(&read(block, f)?).ok_or(IdTextError::BadSex)
}

fn read_date(block: &[u8; TEXT_LEN], f: Field) -> Result<NaiveDate, IdTextError> {
    parse_yyyymmdd(&read(block, f)?).ok_or(IdTextError::BadDate(f.name))
}

fn read_validity(block: &[u8; TEXT_LEN]) -> Result<Validity, IdTextError> {
    let text = read(block, VALID_UNTIL)?;
    if text.starts_with(LONG_TERM) {
        return Ok(Validity::LongTerm);
    }
    parse_yyyymmdd(&text)
        .map(Validity::Until)
        .ok_or(IdTextError::BadDate(VALID_UNTIL.name))
}

/// A small decimal count; an all-blank slot reads as zero.
fn read_count(block: &[u8; TEXT_LEN], f: Field) -> Result<u8, IdTextError> {
    let text = read(block, f)?;
    if text.is_empty() {
        return Ok(0);
    }
    text.parse().map_err(|_| IdTextError::BadNumber(f.name))
}

/// Writes `text` space-padded into its slot.
fn write(block: &mut [u8; TEXT_LEN], f: Field, text: &str) -> Result<(), IdTextError> {
    let units: Vec<u16> = text.encode_utf16().collect();
    if units.len() * 2 > f.len {
        return Err(IdTextError::FieldTooLong(f.name));
    }
    let padding = std::iter::repeat(u16::from(b' '));
    let slot = &mut block[f.offset..f.offset + f.len];
    for (pair, unit) in slot
        .chunks_exact_mut(2)
        .zip(units.into_iter().chain(padding))
    {
        pair.copy_from_slice(&unit.to_le_bytes());
    }
    Ok(())
}

fn format_date(date: NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

fn format_validity(validity: Validity) -> String {
    match validity {
        Validity::Until(date) => format_date(date),
        Validity::LongTerm => LONG_TERM.to_owned(),
    }
}

#[cfg(test)]
mod tests;
