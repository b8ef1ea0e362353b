//! SW3, the reader/SAM status byte of every response (hardware-protocols.md §1.4).

use std::fmt;

/// Every SW3 value of the reference, plus `Other` for values no public source documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SamStatus {
    Success,
    NoContent,
    FindCardSuccess,
    HostChecksumError,
    HostLengthError,
    CommandError,
    Unauthorised,
    UnrecognisedError,
    CardAuthenticationFailed,
    SamAuthenticationFailed,
    InformationVerificationError,
    /// 0x37, attributed to GA 467 but not seen in public code (unconfirmed).
    FingerprintVerificationError,
    /// 0x3F, attributed to GA 467 but not seen in public code (unconfirmed).
    InformationLengthError,
    UnknownCardType,
    ReadCardFailed,
    GetRandomFailed,
    SamSelfTestFailed,
    SamNotAuthorised,
    FindCardFailed,
    SelectCardFailed,
    Other(u8),
}

/// (SW3, status) for every documented code; `Other` covers the rest.
const TABLE: [(u8, SamStatus); 20] = [
    (0x90, SamStatus::Success),
    (0x91, SamStatus::NoContent),
    (0x9F, SamStatus::FindCardSuccess),
    (0x10, SamStatus::HostChecksumError),
    (0x11, SamStatus::HostLengthError),
    (0x21, SamStatus::CommandError),
    (0x23, SamStatus::Unauthorised),
    (0x24, SamStatus::UnrecognisedError),
    (0x31, SamStatus::CardAuthenticationFailed),
    (0x32, SamStatus::SamAuthenticationFailed),
    (0x33, SamStatus::InformationVerificationError),
    (0x37, SamStatus::FingerprintVerificationError),
    (0x3F, SamStatus::InformationLengthError),
    (0x40, SamStatus::UnknownCardType),
    (0x41, SamStatus::ReadCardFailed),
    (0x47, SamStatus::GetRandomFailed),
    (0x60, SamStatus::SamSelfTestFailed),
    (0x66, SamStatus::SamNotAuthorised),
    (0x80, SamStatus::FindCardFailed),
    (0x81, SamStatus::SelectCardFailed),
];

impl SamStatus {
    /// Every documented status, for simulators and tests that must cover them all.
    pub fn documented() -> impl Iterator<Item = SamStatus> {
        TABLE.iter().map(|(_, status)| *status)
    }

    pub fn from_sw3(sw3: u8) -> SamStatus {
        TABLE
            .iter()
            .find(|(code, _)| *code == sw3)
            .map_or(SamStatus::Other(sw3), |(_, status)| *status)
    }

    pub fn sw3(self) -> u8 {
        match self {
            SamStatus::Other(code) => code,
            known => TABLE
                .iter()
                .find(|(_, s)| *s == known)
                .map_or(0, |(code, _)| *code),
        }
    }

    /// The operation completed (0x90, 0x9F) or had nothing to return (0x91).
    pub fn is_success(self) -> bool {
        matches!(
            self,
            SamStatus::Success | SamStatus::FindCardSuccess | SamStatus::NoContent
        )
    }

    /// Failures caused by the card leaving the field or being read badly, as opposed to
    /// a broken reader: the citizen should put the card back and try again.
    pub fn is_card_problem(self) -> bool {
        matches!(
            self,
            SamStatus::FindCardFailed
                | SamStatus::SelectCardFailed
                | SamStatus::ReadCardFailed
                | SamStatus::CardAuthenticationFailed
                | SamStatus::SamAuthenticationFailed
                | SamStatus::InformationVerificationError
                | SamStatus::UnknownCardType
                | SamStatus::GetRandomFailed
        )
    }

    /// A staff-facing message (no personal data).
    pub fn message(self) -> &'static str {
        match self {
            SamStatus::Success => "operation succeeded",
            SamStatus::NoContent => "no content for this item",
            SamStatus::FindCardSuccess => "card found",
            SamStatus::HostChecksumError => "reader reports a checksum error in the host frame",
            SamStatus::HostLengthError => "reader reports a length error in the host frame",
            SamStatus::CommandError => "reader refused the command",
            SamStatus::Unauthorised => "unauthorised operation",
            SamStatus::UnrecognisedError => "unrecognised reader error",
            SamStatus::CardAuthenticationFailed => "card-to-SAM authentication failed",
            SamStatus::SamAuthenticationFailed => "SAM-to-card authentication failed",
            SamStatus::InformationVerificationError => "card information verification failed",
            SamStatus::FingerprintVerificationError => "fingerprint verification error",
            SamStatus::InformationLengthError => "card information length error",
            SamStatus::UnknownCardType => "unknown card type",
            SamStatus::ReadCardFailed => "reading the card failed",
            SamStatus::GetRandomFailed => "getting a random number from the card failed",
            SamStatus::SamSelfTestFailed => "SAM self-test failed",
            SamStatus::SamNotAuthorised => "SAM not authorised",
            SamStatus::FindCardFailed => "no card on the reader",
            SamStatus::SelectCardFailed => "selecting the card failed",
            SamStatus::Other(_) => "undocumented reader status",
        }
    }
}

impl fmt::Display for SamStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (SW3 {:#04x})", self.message(), self.sw3())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_round_trips() {
        for sw3 in 0..=u8::MAX {
            assert_eq!(SamStatus::from_sw3(sw3).sw3(), sw3);
        }
    }

    #[test]
    fn documented_codes_are_distinct_and_not_other() {
        let statuses: Vec<SamStatus> = SamStatus::documented().collect();
        assert_eq!(statuses.len(), 20);
        for status in &statuses {
            assert!(!matches!(status, SamStatus::Other(_)));
            assert_ne!(status.message(), SamStatus::Other(0).message());
        }
        let mut codes: Vec<u8> = statuses.iter().map(|s| s.sw3()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 20);
    }

    #[test]
    fn classification() {
        assert!(SamStatus::from_sw3(0x9F).is_success());
        assert!(!SamStatus::from_sw3(0x80).is_success());
        assert!(SamStatus::from_sw3(0x41).is_card_problem());
        assert!(!SamStatus::from_sw3(0x60).is_card_problem());
        assert_eq!(SamStatus::from_sw3(0x42), SamStatus::Other(0x42));
        assert_eq!(
            SamStatus::ReadCardFailed.to_string(),
            "reading the card failed (SW3 0x41)"
        );
    }
}
