//! Citizen identity numbers (公民身份号码), GB 11643-1999: six-digit region code, eight-digit
//! birth date, three-digit sequence (odd = male) and an ISO 7064 MOD 11-2 check character.
//! The same structure and check apply to Hong Kong/Macau/Taiwan residence permits (region
//! 810000/820000/830000) and to the 2023 foreigner permanent residence card (first digit 9).

use chrono::NaiveDate;
use std::fmt;
use thiserror::Error;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// Province-level prefixes of GB/T 2260 in use on resident cards, plus 81/82/83 (Hong Kong,
/// Macau, Taiwan residence permits). Numbers starting with 9 are foreigner cards.
const PROVINCES: &[u8] = &[
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IdNumberError {
    #[error("an ID number has 18 characters, this one has {0}")]
    WrongLength(usize),
    #[error("character {position} of the ID number must be a digit")]
    NotADigit { position: usize },
    #[error("the last character of the ID number must be a digit or X")]
    BadCheckCharacter,
    #[error("the region code of the ID number is not a known province")]
    UnknownRegion,
    #[error("the birth date inside the ID number is not a calendar date")]
    BadBirthDate,
    #[error("the ID number's check character is wrong (MOD 11-2)")]
    ChecksumMismatch,
}

/// Which group of people an ID number belongs to, from its first digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberHolder {
    /// Mainland resident identity card.
    Resident,
    /// Hong Kong (81), Macau (82) or Taiwan (83) residents' residence permit.
    HongKongMacauTaiwan,
    /// 2023 foreigner permanent residence card (first digit 9).
    Foreigner,
}

/// A structurally valid 18-character identity number with a correct check character.
/// `Debug` and `Display` are masked: only the region code and the last four characters
/// show, as on printed receipts.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdNumber(String);

/// The check character for the first 17 digits.
pub fn check_character(first17: &[u8; 17]) -> char {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(digit, weight)| u32::from(digit.wrapping_sub(b'0')) * weight)
        .sum();
    char::from(CHECK_CHARS[(sum % 11) as usize])
}

impl IdNumber {
    /// Parses and validates; accepts a lowercase `x` and normalises it to `X`.
    pub fn parse(text: &str) -> Result<IdNumber, IdNumberError> {
        let chars: Vec<char> = text.chars().collect();
        if chars.len() != 18 {
            return Err(IdNumberError::WrongLength(chars.len()));
        }
        let mut first17 = [0u8; 17];
        for (position, (slot, &c)) in first17.iter_mut().zip(&chars).enumerate() {
            if !c.is_ascii_digit() {
                return Err(IdNumberError::NotADigit { position });
            }
            *slot = c as u8;
        }
        // All 17 are ASCII now, so byte offsets equal character offsets below.
        let bytes = text.as_bytes();
        let last = bytes[17].to_ascii_uppercase();
        if !(last.is_ascii_digit() || last == b'X') {
            return Err(IdNumberError::BadCheckCharacter);
        }
        let province = (first17[0] - b'0') * 10 + (first17[1] - b'0');
        if first17[0] != b'9' && !PROVINCES.contains(&province) {
            return Err(IdNumberError::UnknownRegion);
        }
        parse_birth(&text[6..14]).ok_or(IdNumberError::BadBirthDate)?;
        if check_character(&first17) != char::from(last) {
            return Err(IdNumberError::ChecksumMismatch);
        }
        let mut normalised = text[..17].to_owned();
        normalised.push(char::from(last));
        Ok(IdNumber(normalised))
    }

    /// The full number, for the case system and the chip-to-text cross-checks only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The six-digit region (GB/T 2260) code of first issue.
    pub fn region_code(&self) -> &str {
        &self.0[..6]
    }

    pub fn birth_date(&self) -> NaiveDate {
        // parse() checked this slice; the fallback is never reached.
        parse_birth(&self.0[6..14]).unwrap_or_default()
    }

    /// The 17th digit is odd for men and even for women.
    pub fn is_male(&self) -> bool {
        self.0.as_bytes()[16] % 2 == 1
    }

    pub fn holder(&self) -> NumberHolder {
        match &self.0[..2] {
            "81" | "82" | "83" => NumberHolder::HongKongMacauTaiwan,
            prefix if prefix.starts_with('9') => NumberHolder::Foreigner,
            _ => NumberHolder::Resident,
        }
    }

    /// The masked form used in logs and on screen: `110105********002X`.
    pub fn masked(&self) -> String {
        format!("{}********{}", &self.0[..6], &self.0[14..])
    }
}

impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdNumber({})", self.masked())
    }
}

impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// `YYYYMMDD` as a calendar date no earlier than 1800 (GB 11643 samples go back to 1880).
pub fn parse_birth(digits: &str) -> Option<NaiveDate> {
    let date = parse_yyyymmdd(digits)?;
    (date >= NaiveDate::from_ymd_opt(1800, 1, 1)?).then_some(date)
}

/// `YYYYMMDD` (all ASCII digits) as a calendar date.
pub fn parse_yyyymmdd(digits: &str) -> Option<NaiveDate> {
    if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year = digits[..4].parse().ok()?;
    let month = digits[4..6].parse().ok()?;
    let day = digits[6..].parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_test_vectors_are_valid() {
        for number in [
            "11010519491231002X",
            "440524188001010014",
            "932682198501010017",
            "911124198108030024",
        ] {
            let id = IdNumber::parse(number).unwrap_or_else(|e| panic!("{number}: {e}"));
            assert_eq!(id.expose(), number);
        }
    }

    #[test]
    fn extracts_region_birth_and_sex() {
        let id = IdNumber::parse("11010519491231002x").expect("valid");
        assert_eq!(
            id.expose(),
            "11010519491231002X",
            "lowercase x is normalised"
        );
        assert_eq!(id.region_code(), "110105");
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(1949, 12, 31).expect("date")
        );
        assert!(!id.is_male(), "sequence 002 is even");
        assert!(IdNumber::parse("440524188001010014")
            .expect("valid")
            .is_male());
        assert_eq!(id.holder(), NumberHolder::Resident);
        assert_eq!(
            IdNumber::parse("932682198501010017")
                .expect("valid")
                .holder(),
            NumberHolder::Foreigner
        );
    }

    #[test]
    fn masks_in_debug_and_display() {
        let id = IdNumber::parse("11010519491231002X").expect("valid");
        assert_eq!(format!("{id}"), "110105********002X");
        assert!(!format!("{id:?}").contains("19491231"));
    }

    #[test]
    fn refuses_each_kind_of_bad_number() {
        assert_eq!(
            IdNumber::parse("1101051949123100"),
            Err(IdNumberError::WrongLength(16))
        );
        assert_eq!(
            IdNumber::parse("11010519491231002X1"),
            Err(IdNumberError::WrongLength(19))
        );
        assert_eq!(
            IdNumber::parse("1101051949123100２X"),
            Err(IdNumberError::NotADigit { position: 16 })
        );
        assert_eq!(
            IdNumber::parse("11010519491231A02X"),
            Err(IdNumberError::NotADigit { position: 14 })
        );
        assert_eq!(
            IdNumber::parse("11010519491231002Y"),
            Err(IdNumberError::BadCheckCharacter)
        );
        assert_eq!(
            IdNumber::parse("00010519491231002X"),
            Err(IdNumberError::UnknownRegion)
        );
        assert_eq!(
            IdNumber::parse("110105194902300028"),
            Err(IdNumberError::BadBirthDate)
        );
        assert_eq!(
            IdNumber::parse("110105179912310023"),
            Err(IdNumberError::BadBirthDate)
        );
        assert_eq!(
            IdNumber::parse("110105194912310021"),
            Err(IdNumberError::ChecksumMismatch)
        );
    }

    #[test]
    fn check_character_matches_the_alternative_formula() {
        let first17: [u8; 17] = *b"11010519491231002";
        let sum: u32 = first17
            .iter()
            .zip(WEIGHTS)
            .map(|(d, w)| u32::from(d - b'0') * w)
            .sum();
        let alternative = (12 - sum % 11) % 11;
        let expected = if alternative == 10 {
            'X'
        } else {
            char::from_digit(alternative, 10).expect("digit")
        };
        assert_eq!(check_character(&first17), expected);
    }
}
