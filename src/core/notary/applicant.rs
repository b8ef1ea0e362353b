//! The applicant as read from the identity card. The integrator maps the card reader's
//! identity into [`Applicant`]; this module decides whether the card can be used.

use super::mask::{mask_address, mask_id_number, mask_name};
use crate::codec::id_text::{CardDetails, Identity, Sex as IdSex, Validity};
use crate::domain::{bi, Bilingual};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn label(self) -> Bilingual {
        match self {
            Sex::Male => bi("男", "Male"),
            Sex::Female => bi("女", "Female"),
        }
    }
}

/// Which card was read (the case system's "ID type").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardKind {
    /// 居民身份证
    ResidentIdCard,
    /// 港澳台居民居住证
    HkMacaoTaiwanResidencePermit,
    /// 外国人永久居留身份证
    ForeignPermanentResidenceCard,
}

impl CardKind {
    pub fn label(self) -> Bilingual {
        match self {
            CardKind::ResidentIdCard => bi("居民身份证", "Resident identity card"),
            CardKind::HkMacaoTaiwanResidencePermit => bi(
                "港澳台居民居住证",
                "Residence permit for Hong Kong, Macao and Taiwan residents",
            ),
            CardKind::ForeignPermanentResidenceCard => bi(
                "外国人永久居留身份证",
                "Foreigner's permanent residence card",
            ),
        }
    }
}

/// Identity data from the card chip. `Debug` is masked.
#[derive(Clone, PartialEq, Eq)]
pub struct Applicant {
    pub name: String,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    pub id_number: String,
    /// The address printed on the card (household registration).
    pub address: String,
    /// `None`: valid long-term (长期).
    pub card_expiry: Option<NaiveDate>,
    pub card_kind: CardKind,
    /// 民族, when the card carries it.
    pub ethnicity: Option<String>,
    /// 签发机关, when the card carries it.
    pub issuing_authority: Option<String>,
}

impl fmt::Debug for Applicant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Applicant")
            .field("name", &mask_name(&self.name))
            .field("id_number", &mask_id_number(&self.id_number))
            .field("address", &mask_address(&self.address))
            .field("card_kind", &self.card_kind)
            .finish_non_exhaustive()
    }
}

/// Why a card that was read cannot be used for an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardRefusal {
    Expired {
        expired_on: NaiveDate,
    },
    /// Under 14: a guardian applies (PIPL art. 31; capacity).
    Minor {
        age: u32,
    },
}

/// Age below which a guardian must apply.
pub const GUARDIAN_AGE: u32 = 14;

impl Applicant {
    /// Full years of age on `today`.
    pub fn age_on(&self, today: NaiveDate) -> u32 {
        age_on(self.birth_date, today)
    }

    /// A card valid until and including its expiry date; minors are sent to a guardian.
    pub fn check(&self, today: NaiveDate) -> Result<(), CardRefusal> {
        if let Some(expiry) = self.card_expiry {
            if expiry < today {
                return Err(CardRefusal::Expired { expired_on: expiry });
            }
        }
        let age = self.age_on(today);
        if age < GUARDIAN_AGE {
            return Err(CardRefusal::Minor { age });
        }
        Ok(())
    }
}

impl Applicant {
    /// The applicant from a card's decoded text block. `None` when the card records no sex
    /// the application form can carry (coded unknown or unspecified): staff handle those.
    pub fn from_identity(identity: &Identity) -> Option<Applicant> {
        let sex = match identity.sex {
            IdSex::Male => Sex::Male,
            IdSex::Female => Sex::Female,
            IdSex::Unknown | IdSex::Unspecified => return None,
        };
        let (card_kind, ethnicity, name) = match &identity.details {
            CardDetails::Resident { nation, .. } => (
                CardKind::ResidentIdCard,
                Some(nation.name_zh().to_string()),
                identity.name.clone(),
            ),
            CardDetails::HongKongMacauTaiwan { .. } => (
                CardKind::HkMacaoTaiwanResidencePermit,
                None,
                identity.name.clone(),
            ),
            CardDetails::Foreigner2017 { english_name, .. }
            | CardDetails::Foreigner2023 { english_name, .. } => {
                let name = if identity.name.trim().is_empty() {
                    english_name.clone()
                } else {
                    identity.name.clone()
                };
                (CardKind::ForeignPermanentResidenceCard, None, name)
            }
        };
        Some(Applicant {
            name: name.trim().to_string(),
            sex,
            birth_date: identity.birth_date,
            id_number: identity.id_number.trim().to_string(),
            address: identity.address().unwrap_or_default().trim().to_string(),
            card_expiry: match identity.valid_until {
                Validity::Until(date) => Some(date),
                Validity::LongTerm => None,
            },
            card_kind,
            ethnicity,
            issuing_authority: Some(identity.issuer.trim().to_string()).filter(|i| !i.is_empty()),
        })
    }
}

pub fn age_on(birth: NaiveDate, today: NaiveDate) -> u32 {
    if today < birth {
        return 0;
    }
    let mut years = today.year() - birth.year();
    if (today.month(), today.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

/// A deployment secret mixed into ID-number digests, so a stored digest cannot be reversed
/// by enumerating the (small) space of ID numbers.
#[derive(Clone, PartialEq, Eq)]
pub struct IdDigestKey(Vec<u8>);

impl IdDigestKey {
    pub fn new(secret: impl Into<Vec<u8>>) -> IdDigestKey {
        IdDigestKey(secret.into())
    }
}

impl fmt::Debug for IdDigestKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IdDigestKey(..)")
    }
}

/// The digest of an ID number recorded in a submission (hex SHA-256 over a domain tag, the
/// key and the upper-cased number).
pub fn id_number_digest(key: &IdDigestKey, id_number: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"legal-kiosk/notary/id-number/v1\0");
    hasher.update(&key.0);
    hasher.update(b"\0");
    hasher.update(id_number.trim().to_uppercase().as_bytes());
    hex::encode(hasher.finalize())
}

/// Whether the card just read belongs to the person the submission recorded.
pub fn identity_matches(recorded_digest: &str, key: &IdDigestKey, id_number: &str) -> bool {
    let computed = id_number_digest(key, id_number);
    let recorded = recorded_digest.trim().to_ascii_lowercase();
    // Compare in constant time: the digest is a credential for the progress query.
    recorded.len() == computed.len()
        && recorded
            .bytes()
            .zip(computed.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn zhang_san() -> Applicant {
        Applicant {
            name: "张小三".into(),
            sex: Sex::Male,
            birth_date: NaiveDate::from_ymd_opt(1990, 3, 7).unwrap(),
            id_number: "11010519900307002x".into(),
            address: "北京市朝阳区建国路1号院2楼3单元401".into(),
            card_expiry: NaiveDate::from_ymd_opt(2030, 1, 1),
            card_kind: CardKind::ResidentIdCard,
            ethnicity: Some("汉".into()),
            issuing_authority: None,
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn age_counts_whole_years() {
        let birth = day(2012, 6, 15);
        assert_eq!(age_on(birth, day(2026, 6, 14)), 13);
        assert_eq!(age_on(birth, day(2026, 6, 15)), 14);
        assert_eq!(age_on(birth, day(2000, 1, 1)), 0);
    }

    #[test]
    fn expired_and_minor_cards_are_refused() {
        let mut a = zhang_san();
        assert_eq!(a.check(day(2030, 1, 1)), Ok(()));
        assert_eq!(
            a.check(day(2030, 1, 2)),
            Err(CardRefusal::Expired {
                expired_on: day(2030, 1, 1)
            })
        );
        a.card_expiry = None;
        assert_eq!(a.check(day(2090, 1, 1)), Ok(()));
        a.birth_date = day(2015, 1, 1);
        assert_eq!(
            a.check(day(2026, 1, 1)),
            Err(CardRefusal::Minor { age: 11 })
        );
    }

    #[test]
    fn debug_is_masked() {
        let shown = format!("{:?}", zhang_san());
        assert!(shown.contains("张*三") && shown.contains("110105********002x"));
        assert!(
            !shown.contains("张小三") && !shown.contains("19900307") && !shown.contains("建国路")
        );
    }

    #[test]
    fn digest_matches_the_same_number_only() {
        let key = IdDigestKey::new("pepper");
        let recorded = id_number_digest(&key, "11010519900307002X");
        assert!(identity_matches(&recorded, &key, "11010519900307002x"));
        assert!(!identity_matches(&recorded, &key, "110105199003070038"));
        assert!(!identity_matches(
            &recorded,
            &IdDigestKey::new("other"),
            "11010519900307002X"
        ));
        assert!(!identity_matches("", &key, "11010519900307002X"));
    }
}
