//! The confirmation code, first payload byte of every ack (hardware-protocols.md §3.3).

/// Every documented confirmation code, plus `Other` for undocumented ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Confirmation {
    Ok,
    PacketReceiveError,
    NoFinger,
    ImageFail,
    ImageTooMessy,
    FeatureFail,
    NoMatch,
    NotFound,
    EnrollMismatch,
    BadLocation,
    DatabaseReadFail,
    UploadFeatureFail,
    PacketResponseFail,
    UploadFail,
    DeleteFail,
    DatabaseClearFail,
    WrongPassword,
    InvalidImage,
    FlashError,
    InvalidRegister,
    AddressCode,
    PasswordNotVerified,
    ModuleOk,
    Other(u8),
}

const TABLE: [(u8, Confirmation, &str); 23] = [
    (0x00, Confirmation::Ok, "OK"),
    (
        0x01,
        Confirmation::PacketReceiveError,
        "packet receive error",
    ),
    (0x02, Confirmation::NoFinger, "no finger on the sensor"),
    (0x03, Confirmation::ImageFail, "failed to capture the image"),
    (
        0x06,
        Confirmation::ImageTooMessy,
        "image too messy to extract features",
    ),
    (0x07, Confirmation::FeatureFail, "too few feature points"),
    (0x08, Confirmation::NoMatch, "fingerprints do not match"),
    (
        0x09,
        Confirmation::NotFound,
        "no matching template in the library",
    ),
    (
        0x0A,
        Confirmation::EnrollMismatch,
        "failed to combine the two images",
    ),
    (
        0x0B,
        Confirmation::BadLocation,
        "template page out of range",
    ),
    (
        0x0C,
        Confirmation::DatabaseReadFail,
        "failed to read the template",
    ),
    (
        0x0D,
        Confirmation::UploadFeatureFail,
        "failed to upload the features",
    ),
    (
        0x0E,
        Confirmation::PacketResponseFail,
        "module cannot receive the following data packets",
    ),
    (0x0F, Confirmation::UploadFail, "failed to upload the image"),
    (
        0x10,
        Confirmation::DeleteFail,
        "failed to delete the template",
    ),
    (
        0x11,
        Confirmation::DatabaseClearFail,
        "failed to clear the library",
    ),
    (0x13, Confirmation::WrongPassword, "wrong password"),
    (
        0x15,
        Confirmation::InvalidImage,
        "no valid image in the buffer",
    ),
    (0x18, Confirmation::FlashError, "flash write error"),
    (
        0x1A,
        Confirmation::InvalidRegister,
        "invalid register number",
    ),
    (0x20, Confirmation::AddressCode, "wrong address code"),
    (
        0x21,
        Confirmation::PasswordNotVerified,
        "password must be verified first",
    ),
    (0x55, Confirmation::ModuleOk, "module OK"),
];

impl Confirmation {
    pub fn documented() -> impl Iterator<Item = Confirmation> {
        TABLE.iter().map(|(_, c, _)| *c)
    }

    pub fn from_code(code: u8) -> Confirmation {
        TABLE
            .iter()
            .find(|(c, ..)| *c == code)
            .map_or(Confirmation::Other(code), |(_, conf, _)| *conf)
    }

    pub fn code(self) -> u8 {
        match self {
            Confirmation::Other(code) => code,
            known => TABLE
                .iter()
                .find(|(_, c, _)| *c == known)
                .map_or(0, |(code, ..)| *code),
        }
    }

    pub fn message(self) -> &'static str {
        TABLE
            .iter()
            .find(|(_, c, _)| *c == self)
            .map_or("undocumented confirmation code", |(.., m)| *m)
    }
}

impl std::fmt::Display for Confirmation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (code {:#04x})", self.message(), self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips() {
        for code in 0..=u8::MAX {
            assert_eq!(Confirmation::from_code(code).code(), code);
        }
        assert_eq!(
            Confirmation::documented()
                .filter(|c| matches!(c, Confirmation::Other(_)))
                .count(),
            0
        );
        assert_eq!(Confirmation::from_code(0x02), Confirmation::NoFinger);
        assert_eq!(Confirmation::from_code(0x04), Confirmation::Other(0x04));
        assert_eq!(
            Confirmation::NoMatch.to_string(),
            "fingerprints do not match (code 0x08)"
        );
    }
}
