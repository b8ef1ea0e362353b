//! What the citizen types or scans on the progress screen: a receipt number in the store's
//! format (`GZ-20261122-0042`) or the receipt's QR code.

use super::super::receipt::token_from_qr;
use chrono::NaiveDate;
use std::fmt;

/// Receipt numbers of notary applications start with this (公证).
const NOTARY_PREFIX: &str = "GZ";

/// How the applicant names the submission. `Debug` hides the token (a credential).
#[derive(Clone, PartialEq, Eq)]
pub enum ReceiptRef {
    /// Normalised: `GZ-20261122-0042`.
    Number(String),
    /// The random token of the receipt's QR code.
    Token(String),
}

impl fmt::Debug for ReceiptRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReceiptRef::Number(n) => write!(f, "Number({n})"),
            ReceiptRef::Token(_) => f.write_str("Token(..)"),
        }
    }
}

/// Reads a notary receipt number the way people type it: with or without the `GZ` prefix,
/// dashes or spaces, any case (`gz 20261122 0042`, `202611220042`). Returns the store's
/// form, `GZ-20261122-0042`; `None` unless the date is a real date and the daily sequence
/// has 4 to 6 digits.
pub fn parse_notary_receipt(input: &str) -> Option<String> {
    let upper = input.trim().to_ascii_uppercase();
    let is_separator = |c: char| matches!(c, '-' | ' ');
    let rest = upper.strip_prefix(NOTARY_PREFIX).unwrap_or(&upper);
    let rest = rest.strip_prefix(is_separator).unwrap_or(rest);
    let date = rest.get(..8)?;
    let rest = &rest[8..];
    let sequence = rest.strip_prefix(is_separator).unwrap_or(rest);
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !digits(date) || !digits(sequence) || !(4..=6).contains(&sequence.len()) {
        return None;
    }
    NaiveDate::parse_from_str(date, "%Y%m%d").ok()?;
    Some(format!("{NOTARY_PREFIX}-{date}-{sequence}"))
}

/// Classifies one line of input: a receipt number first (a number is never a QR token,
/// but `GZ-20261122-0042` would pass as one), then the receipt's QR code as a keyboard-wedge
/// scanner types it into the focused field.
pub fn parse_entry(input: &str) -> Option<ReceiptRef> {
    if let Some(number) = parse_notary_receipt(input) {
        return Some(ReceiptRef::Number(number));
    }
    token_from_qr(input).map(ReceiptRef::Token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_people_type_them() {
        for typed in [
            "GZ-20261122-0042",
            "gz-20261122-0042",
            " GZ20261122-0042 ",
            "gz 20261122 0042",
            "202611220042",
            "20261122-0042",
        ] {
            assert_eq!(
                parse_notary_receipt(typed).as_deref(),
                Some("GZ-20261122-0042"),
                "{typed}"
            );
        }
        assert_eq!(
            parse_notary_receipt("GZ-20261122-104217").as_deref(),
            Some("GZ-20261122-104217")
        );
    }

    #[test]
    fn malformed_numbers_are_refused() {
        for typed in [
            "",
            "GZ",
            "GZ-20261322-0042",
            "GZ-20261122-042",
            "GZ-20261122-0042-1",
            "ZX-20261122-0042",
            "GZ-2026112A-0042",
            "ＧＺ-20261122-0042",
            "20261122",
        ] {
            assert_eq!(parse_notary_receipt(typed), None, "{typed}");
        }
    }

    #[test]
    fn entries_are_numbers_first_then_qr_codes() {
        assert_eq!(
            parse_entry("GZ-20261122-0042"),
            Some(ReceiptRef::Number("GZ-20261122-0042".into()))
        );
        assert_eq!(
            parse_entry("lk-notary:0123456789abcdef0123456789abcdef"),
            Some(ReceiptRef::Token("0123456789abcdef0123456789abcdef".into()))
        );
        assert_eq!(parse_entry("https://example.com/x"), None);
        assert_eq!(parse_entry("12345"), None);
    }

    #[test]
    fn the_token_never_shows_in_debug() {
        let token = ReceiptRef::Token("0123456789abcdef0123456789abcdef".into());
        assert_eq!(format!("{token:?}"), "Token(..)");
    }
}
