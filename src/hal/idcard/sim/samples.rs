//! Fictional sample cardholders for the simulator, demos and tests. Names and addresses are
//! invented; ID numbers are built with valid region codes and correct check characters.

use super::SimCard;
use crate::codec::id_number::check_character;
use crate::codec::id_text::{CardDetails, Identity, Sex, Validity};
use crate::codec::nation::Nation;
use chrono::NaiveDate;

/// Names of the samples, in the order `sample_cards` returns them.
pub const SAMPLE_NAMES: [&str; 7] = [
    "adult",
    "young-adult",
    "expired",
    "minor",
    "hong-kong",
    "foreigner-2017",
    "foreigner-2023",
];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// An 18-character number: region (6 digits), birth date, 3-digit sequence, check character.
pub fn number_for(region: &str, birth: NaiveDate, sequence: u16) -> String {
    let first17 = format!("{region}{}{sequence:03}", birth.format("%Y%m%d"));
    let digits: [u8; 17] = first17.as_bytes().try_into().unwrap_or([b'0'; 17]);
    format!("{first17}{}", check_character(&digits))
}

/// A resident card's fields, with the ID number derived from region, birth and sequence.
struct Resident {
    name: &'static str,
    sex: Sex,
    region: &'static str,
    birth: NaiveDate,
    sequence: u16,
    from: NaiveDate,
    until: Validity,
    nation: Nation,
    address: &'static str,
    issuer: &'static str,
}

impl Resident {
    fn identity(self) -> Identity {
        Identity {
            name: self.name.into(),
            sex: self.sex,
            birth_date: self.birth,
            id_number: number_for(self.region, self.birth, self.sequence),
            issuer: self.issuer.into(),
            valid_from: self.from,
            valid_until: self.until,
            details: CardDetails::Resident {
                nation: self.nation,
                address: self.address.into(),
            },
        }
    }
}

fn nation(code: u8) -> Nation {
    Nation::from_code(code).unwrap_or(Nation::HAN)
}

/// Every sample, by name (see `SAMPLE_NAMES`).
pub fn sample_cards() -> Vec<(&'static str, SimCard)> {
    let adult = Resident {
        name: "王建国",
        sex: Sex::Male,
        region: "110105",
        birth: date(1968, 3, 12),
        sequence: 13,
        from: date(2014, 5, 1),
        until: Validity::LongTerm,
        nation: Nation::HAN,
        address: "北京市朝阳区示例路18号院3号楼2单元501室",
        issuer: "北京市公安局朝阳分局",
    }
    .identity();
    let young_adult = Resident {
        name: "李晓梅",
        sex: Sex::Female,
        region: "440305",
        birth: date(1995, 8, 20),
        sequence: 24,
        from: date(2016, 9, 1),
        until: Validity::Until(date(2036, 9, 1)),
        nation: nation(4),
        address: "广东省深圳市南山区样例街道88号",
        issuer: "深圳市公安局南山分局",
    }
    .identity();
    let expired = Resident {
        name: "赵志强",
        sex: Sex::Male,
        region: "310104",
        birth: date(1980, 11, 2),
        sequence: 57,
        from: date(2005, 1, 10),
        until: Validity::Until(date(2025, 1, 10)),
        nation: nation(3),
        address: "上海市徐汇区演示路7弄12号",
        issuer: "上海市公安局徐汇分局",
    }
    .identity();
    let minor = Resident {
        name: "陈小雨",
        sex: Sex::Female,
        region: "510107",
        birth: date(2012, 4, 18),
        sequence: 62,
        from: date(2022, 5, 1),
        until: Validity::Until(date(2027, 5, 1)),
        nation: nation(8),
        address: "四川省成都市武侯区测试巷5号",
        issuer: "成都市公安局武侯区分局",
    }
    .identity();
    let hong_kong = Identity {
        name: "黄家明".into(),
        sex: Sex::Male,
        birth_date: date(1990, 1, 1),
        id_number: number_for("810000", date(1990, 1, 1), 15),
        issuer: "深圳市公安局".into(),
        valid_from: date(2019, 1, 1),
        valid_until: Validity::Until(date(2029, 1, 1)),
        details: CardDetails::HongKongMacauTaiwan {
            address: "广东省深圳市福田区示范大道100号".into(),
            pass_number: "H60123456".into(),
            issue_count: 1,
        },
    };
    let foreigner_2017 = Identity {
        name: "安娜".into(),
        sex: Sex::Female,
        birth_date: date(1985, 7, 9),
        id_number: "DEU110085000012".into(),
        issuer: "1100".into(),
        valid_from: date(2018, 3, 1),
        valid_until: Validity::Until(date(2028, 3, 1)),
        details: CardDetails::Foreigner2017 {
            english_name: "MUELLER, ANNA".into(),
            nationality: "DEU".into(),
            card_version: "01".into(),
        },
    };
    let foreigner_2023 = Identity {
        name: "史约翰".into(),
        sex: Sex::Male,
        birth_date: date(1990, 3, 15),
        id_number: number_for("931100", date(1990, 3, 15), 21),
        issuer: String::new(),
        valid_from: date(2024, 1, 1),
        valid_until: Validity::Until(date(2034, 1, 1)),
        details: CardDetails::Foreigner2023 {
            english_name: "SMITH, JOHN".into(),
            renew_count: 0,
        },
    };
    vec![
        ("adult", SimCard::with_fingerprint(adult, 1)),
        ("young-adult", SimCard::new(young_adult)),
        ("expired", SimCard::new(expired)),
        ("minor", SimCard::new(minor)),
        ("hong-kong", SimCard::new(hong_kong)),
        ("foreigner-2017", SimCard::new(foreigner_2017)),
        ("foreigner-2023", SimCard::new(foreigner_2023)),
    ]
}

/// One sample by name.
pub fn sample_card(name: &str) -> Option<SimCard> {
    sample_cards()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, card)| card)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hal::idcard::{check_card, CardProblem};

    #[test]
    fn every_sample_encodes_and_has_a_valid_number() {
        let today = date(2026, 5, 1);
        let cards = sample_cards();
        assert_eq!(
            cards.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            SAMPLE_NAMES
        );
        for (name, card) in cards {
            let block = card
                .identity
                .encode()
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(
                Identity::decode(&block).as_ref(),
                Ok(&card.identity),
                "{name}"
            );
            let outcome = check_card(&card.identity, today);
            match name {
                "expired" => assert_eq!(outcome, Err(CardProblem::Expired(date(2025, 1, 10)))),
                "minor" => assert!(outcome.expect("valid").minor),
                _ => assert!(
                    !outcome.unwrap_or_else(|e| panic!("{name}: {e}")).minor,
                    "{name}"
                ),
            }
        }
    }
}
