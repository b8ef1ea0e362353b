//! Checks a decoded card before a flow relies on it: the number's MOD 11-2 check character,
//! that the number and the birth field agree, and the validity period on today's date.

use crate::codec::id_number::{IdNumber, IdNumberError};
use crate::codec::id_text::{CardDetails, Identity, Validity};
use chrono::NaiveDate;
use thiserror::Error;

/// Age of majority (民法典 art. 17).
pub const ADULT_AGE: u32 = 18;

/// What the flows need to know about a card that passed the checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardCheck {
    pub age: u32,
    /// Under 18: services need a guardian.
    pub minor: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CardProblem {
    #[error("the ID number is invalid: {0}")]
    BadIdNumber(IdNumberError),
    #[error("the permit number is not 3 letters and 12 digits")]
    BadPermitNumber,
    #[error("the birth date does not match the ID number")]
    BirthDateMismatch,
    #[error("the birth date is in the future")]
    BornInTheFuture,
    #[error("the card expired on {0}")]
    Expired(NaiveDate),
    #[error("the card is valid only from {0}")]
    NotYetValid(NaiveDate),
    #[error("the card's validity ends before it starts")]
    InvertedValidity,
}

/// Validates `identity` on `today`.
pub fn check_card(identity: &Identity, today: NaiveDate) -> Result<CardCheck, CardProblem> {
    if let CardDetails::Foreigner2017 { .. } = identity.details {
        if !is_2017_permit_number(&identity.id_number) {
            return Err(CardProblem::BadPermitNumber);
        }
    } else {
        let number = IdNumber::parse(&identity.id_number).map_err(CardProblem::BadIdNumber)?;
        if number.birth_date() != identity.birth_date {
            return Err(CardProblem::BirthDateMismatch);
        }
    }
    if identity.birth_date > today {
        return Err(CardProblem::BornInTheFuture);
    }
    if let Validity::Until(end) = identity.valid_until {
        if end < identity.valid_from {
            return Err(CardProblem::InvertedValidity);
        }
    }
    if identity.valid_from > today {
        return Err(CardProblem::NotYetValid(identity.valid_from));
    }
    if let Validity::Until(end) = identity.valid_until {
        if identity.valid_until.is_expired_on(today) {
            return Err(CardProblem::Expired(end));
        }
    }
    let age = identity.age_on(today);
    Ok(CardCheck {
        age,
        minor: age < ADULT_AGE,
    })
}

fn is_2017_permit_number(number: &str) -> bool {
    let bytes = number.as_bytes();
    bytes.len() == 15
        && bytes[..3].iter().all(u8::is_ascii_uppercase)
        && bytes[3..].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::id_text::Sex;
    use crate::codec::nation::Nation;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("calendar date")
    }

    fn resident(id_number: &str, birth: NaiveDate, from: NaiveDate, until: Validity) -> Identity {
        Identity {
            name: "测试".into(),
            sex: Sex::Female,
            birth_date: birth,
            id_number: id_number.into(),
            issuer: "测试分局".into(),
            valid_from: from,
            valid_until: until,
            details: CardDetails::Resident {
                nation: Nation::HAN,
                address: "测试地址".into(),
            },
        }
    }

    #[test]
    fn a_valid_adult_card() {
        let card = resident(
            "11010519491231002X",
            date(1949, 12, 31),
            date(2015, 1, 1),
            Validity::LongTerm,
        );
        assert_eq!(
            check_card(&card, date(2026, 5, 1)),
            Ok(CardCheck {
                age: 76,
                minor: false
            })
        );
    }

    #[test]
    fn expiry_is_inclusive_of_the_last_day() {
        let card = resident(
            "11010519491231002X",
            date(1949, 12, 31),
            date(2005, 1, 1),
            Validity::Until(date(2025, 1, 1)),
        );
        assert!(check_card(&card, date(2025, 1, 1)).is_ok());
        assert_eq!(
            check_card(&card, date(2025, 1, 2)),
            Err(CardProblem::Expired(date(2025, 1, 1)))
        );
    }

    #[test]
    fn each_problem_is_reported() {
        let today = date(2026, 5, 1);
        let bad_check = resident(
            "110105194912310021",
            date(1949, 12, 31),
            date(2015, 1, 1),
            Validity::LongTerm,
        );
        assert_eq!(
            check_card(&bad_check, today),
            Err(CardProblem::BadIdNumber(IdNumberError::ChecksumMismatch))
        );
        let mismatch = resident(
            "11010519491231002X",
            date(1949, 12, 30),
            date(2015, 1, 1),
            Validity::LongTerm,
        );
        assert_eq!(
            check_card(&mismatch, today),
            Err(CardProblem::BirthDateMismatch)
        );
        let future = resident(
            "11010519491231002X",
            date(1949, 12, 31),
            date(2027, 1, 1),
            Validity::LongTerm,
        );
        assert_eq!(
            check_card(&future, today),
            Err(CardProblem::NotYetValid(date(2027, 1, 1)))
        );
        let inverted = resident(
            "11010519491231002X",
            date(1949, 12, 31),
            date(2020, 1, 1),
            Validity::Until(date(2019, 1, 1)),
        );
        assert_eq!(
            check_card(&inverted, today),
            Err(CardProblem::InvertedValidity)
        );
        assert_eq!(
            check_card(&bad_check, today).map_err(|e| e.to_string()),
            Err(
                "the ID number is invalid: the ID number's check character is wrong (MOD 11-2)"
                    .into()
            )
        );
    }

    #[test]
    fn minors_are_flagged() {
        let birth = date(2010, 6, 15);
        let first17 = *b"11010520100615001";
        let number = format!(
            "{}{}",
            std::str::from_utf8(&first17).expect("ascii"),
            crate::codec::id_number::check_character(&first17)
        );
        let card = resident(
            &number,
            birth,
            date(2020, 7, 1),
            Validity::Until(date(2030, 7, 1)),
        );
        assert_eq!(
            check_card(&card, date(2028, 6, 14)),
            Ok(CardCheck {
                age: 17,
                minor: true
            })
        );
        assert_eq!(
            check_card(&card, date(2028, 6, 15)),
            Ok(CardCheck {
                age: 18,
                minor: false
            })
        );
    }

    #[test]
    fn foreigner_2017_permit_numbers() {
        assert!(is_2017_permit_number("USA110079000012"));
        assert!(!is_2017_permit_number("US1110079000012"));
        assert!(!is_2017_permit_number("USA11007900001"));
    }
}
