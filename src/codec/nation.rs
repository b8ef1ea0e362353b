//! GB 3304 nation (民族) codes as printed on the resident ID card: two ASCII digits in the
//! text block, mapped to the 56 recognised nations plus 97 "other" and 98 "foreign-born
//! Chinese citizen".

use std::fmt;

/// The GB 3304 names, index = code − 1 for codes 01..=56.
const NAMES: [&str; 56] = [
    "汉",
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
];

const OTHER: u8 = 97;
const FOREIGN_BORN: u8 = 98;

/// A valid GB 3304 nation code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Nation(u8);

impl Nation {
    /// The Han nation, code 01.
    pub const HAN: Nation = Nation(1);

    /// `None` for any code outside GB 3304.
    pub fn from_code(code: u8) -> Option<Nation> {
        let known =
            (1..=NAMES.len() as u8).contains(&code) || code == OTHER || code == FOREIGN_BORN;
        known.then_some(Nation(code))
    }

    /// Parses the two ASCII digits of the text block, e.g. `"01"`.
    pub fn from_digits(digits: &str) -> Option<Nation> {
        if digits.len() != 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok().and_then(Nation::from_code)
    }

    pub fn code(self) -> u8 {
        self.0
    }

    /// The two-digit form written on the card.
    pub fn digits(self) -> String {
        format!("{:02}", self.0)
    }

    /// The Chinese name without the "族" suffix, e.g. "汉".
    pub fn name_zh(self) -> &'static str {
        match self.0 {
            OTHER => "其他",
            FOREIGN_BORN => "外国血统中国籍人士",
            code => NAMES
                .get(usize::from(code).wrapping_sub(1))
                .copied()
                .unwrap_or("其他"),
        }
    }
}

impl fmt::Display for Nation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name_zh())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_table_samples() {
        assert_eq!(Nation::from_digits("01").map(Nation::name_zh), Some("汉"));
        assert_eq!(
            Nation::from_digits("05").map(Nation::name_zh),
            Some("维吾尔")
        );
        assert_eq!(Nation::from_digits("46").map(Nation::name_zh), Some("德昂"));
        assert_eq!(Nation::from_digits("56").map(Nation::name_zh), Some("基诺"));
        assert_eq!(Nation::from_digits("97").map(Nation::name_zh), Some("其他"));
        assert_eq!(
            Nation::from_digits("98").map(Nation::name_zh),
            Some("外国血统中国籍人士")
        );
    }

    #[test]
    fn refuses_codes_outside_the_standard() {
        for bad in ["00", "57", "96", "99", "1", "001", "ab", "-1", "＋1"] {
            assert_eq!(Nation::from_digits(bad), None, "{bad}");
        }
    }

    #[test]
    fn digits_round_trip() {
        for code in (1..=56).chain([97, 98]) {
            let nation = Nation::from_code(code).expect("valid code");
            assert_eq!(Nation::from_digits(&nation.digits()), Some(nation));
        }
    }
}
