//! Unified social credit codes (统一社会信用代码), GB 32100-2015: one character for the
//! registering authority, one for the kind of entity, a six-digit region code (GB/T 2260),
//! the nine-character organisation code (GB 11714) and a check character, MOD 31 over the
//! 31-character alphabet `0-9 A-H J-N P-R T U W-Y` (no I, O, S, V, Z).

use std::fmt;
use thiserror::Error;

/// The code's alphabet; a character's value is its position.
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// 3^i mod 31 for the first 17 positions.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
/// Registering authorities of GB 32100 table 1 (机构编制, 外交, 司法行政, 文化, 民政, 旅游,
/// 宗教, 工会, 工商/市场监管, 中央军委改革和编制办公室, 农业, 其他).
const AUTHORITIES: &[u8] = b"123456789ANY";

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CreditCodeError {
    #[error("a unified social credit code has 18 characters, this one has {0}")]
    WrongLength(usize),
    #[error("character {position} is not used in unified social credit codes")]
    BadCharacter { position: usize },
    #[error("the first character is not a registering authority of GB 32100")]
    UnknownAuthority,
    #[error("characters 3 to 8 (the region code) must be digits")]
    BadRegion,
    #[error("the check character is wrong (GB 32100 MOD 31)")]
    ChecksumMismatch,
}

/// A structurally valid code with a correct check character (upper case, as printed on a
/// business licence). Codes of organisations are public, so nothing is masked.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CreditCode(String);

fn value(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|a| *a == c).map(|p| p as u32)
}

/// The check character for the first 17 characters (which must be in the alphabet).
pub fn check_character(first17: &[u8; 17]) -> Option<char> {
    let mut sum = 0;
    for (c, weight) in first17.iter().zip(WEIGHTS) {
        sum += value(*c)? * weight;
    }
    let check = (31 - sum % 31) % 31;
    Some(char::from(ALPHABET[check as usize]))
}

impl CreditCode {
    /// Accepts lower case and surrounding spaces, as typed.
    pub fn parse(text: &str) -> Result<CreditCode, CreditCodeError> {
        let code = text.trim().to_ascii_uppercase();
        let chars = code.chars().count();
        if chars != 18 {
            return Err(CreditCodeError::WrongLength(chars));
        }
        let unknown = |c: char| !c.is_ascii() || value(c as u8).is_none();
        if let Some(position) = code.chars().position(unknown) {
            return Err(CreditCodeError::BadCharacter {
                position: position + 1,
            });
        }
        let bytes = code.as_bytes();
        if !AUTHORITIES.contains(&bytes[0]) {
            return Err(CreditCodeError::UnknownAuthority);
        }
        if !bytes[2..8].iter().all(u8::is_ascii_digit) {
            return Err(CreditCodeError::BadRegion);
        }
        let mut first17 = [0u8; 17];
        first17.copy_from_slice(&bytes[..17]);
        if check_character(&first17) != Some(char::from(bytes[17])) {
            return Err(CreditCodeError::ChecksumMismatch);
        }
        Ok(CreditCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The six-digit region code (GB/T 2260) of the registering authority.
    pub fn region_code(&self) -> &str {
        &self.0[2..8]
    }
}

impl fmt::Debug for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CreditCode({})", self.0)
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Printed on the business licence of 深圳市腾讯计算机系统有限公司 (public record).
    const TENCENT: &str = "91440300708461136T";

    #[test]
    fn real_codes_are_valid() {
        let code = CreditCode::parse(TENCENT).unwrap();
        assert_eq!(code.as_str(), TENCENT);
        assert_eq!(code.region_code(), "440300");
        for real in ["91330100716105852F", "91110000802100433B"] {
            assert!(CreditCode::parse(real).is_ok(), "{real}");
        }
    }

    #[test]
    fn typed_lower_case_and_spaces_are_accepted() {
        let typed = format!("  {}  ", TENCENT.to_lowercase());
        assert_eq!(CreditCode::parse(&typed).unwrap().as_str(), TENCENT);
    }

    #[test]
    fn a_wrong_check_character_is_refused() {
        assert_eq!(
            CreditCode::parse("91440300708461136U"),
            Err(CreditCodeError::ChecksumMismatch)
        );
        // One character changed in the body: the check no longer fits.
        assert_eq!(
            CreditCode::parse("91440300708461137T"),
            Err(CreditCodeError::ChecksumMismatch)
        );
    }

    #[test]
    fn malformed_codes_say_what_is_wrong() {
        assert_eq!(
            CreditCode::parse("9144030070846113"),
            Err(CreditCodeError::WrongLength(16))
        );
        assert_eq!(
            CreditCode::parse("91440300708461136TT"),
            Err(CreditCodeError::WrongLength(19))
        );
        // I, O, S, V and Z are not in the alphabet.
        assert_eq!(
            CreditCode::parse("9144030070846113IT"),
            Err(CreditCodeError::BadCharacter { position: 17 })
        );
        assert_eq!(
            CreditCode::parse("C1440300708461136T"),
            Err(CreditCodeError::UnknownAuthority)
        );
        assert_eq!(
            CreditCode::parse("9144A300708461136T"),
            Err(CreditCodeError::BadRegion)
        );
        assert_eq!(
            CreditCode::parse("９１４４０３００７０８４６１１３６Ｔ"),
            Err(CreditCodeError::BadCharacter { position: 1 })
        );
    }

    #[test]
    fn the_check_character_follows_the_standard() {
        let mut first17 = [0u8; 17];
        first17.copy_from_slice(&TENCENT.as_bytes()[..17]);
        assert_eq!(check_character(&first17), Some('T'));
        // A sum divisible by 31 gives check character 0, not 31.
        assert_eq!(check_character(b"00000000000000000"), Some('0'));
        assert_eq!(check_character(b"0000000000000000I"), None);
    }
}
