//! The APDUs the kiosk sends and the card data it reads: UID (PC/SC pseudo-APDU), the
//! kiosk's staff-card applet, and the public records of a social-security card
//! (社会保障卡 SSSE application; hardware-protocols.md §2.2).

use std::fmt;
use thiserror::Error;

/// PC/SC Part 3 GET DATA: the UID of a contactless card.
pub const GET_UID: [u8; 5] = [0xFF, 0xCA, 0x00, 0x00, 0x00];

/// AID of the kiosk's staff applet (proprietary RID range F0…, "LKSTAFF").
pub const STAFF_AID: [u8; 8] = [0xF0, 0x4C, 0x4B, 0x53, 0x54, 0x41, 0x46, 0x46];
/// READ RECORD 1 of the current application: the staff record.
pub const READ_STAFF_RECORD: [u8; 5] = [0x00, 0xB2, 0x01, 0x04, 0x00];
/// Tag of the staff id inside the staff record (`5F 20`-style two-byte tags are not used).
pub const STAFF_ID_TAG: u8 = 0x01;

/// "sx1.sh.社会保障" in GBK: the SSSE application of social-security cards.
pub const SSSE_AID: [u8; 15] = [
    0x73, 0x78, 0x31, 0x2E, 0x73, 0x68, 0x2E, 0xC9, 0xE7, 0xBB, 0xE1, 0xB1, 0xA3, 0xD5, 0xCF,
];
pub const SELECT_EF05: [u8; 7] = [0x00, 0xA4, 0x02, 0x00, 0x02, 0xEF, 0x05];
/// 卡识别码 (16 bytes), 规范版本, 社保卡号 (9 characters).
pub const READ_CARD_ID: [u8; 5] = [0x00, 0xB2, 0x01, 0x04, 0x00];
pub const READ_SPEC_VERSION: [u8; 5] = [0x00, 0xB2, 0x03, 0x04, 0x00];
pub const READ_CARD_NUMBER: [u8; 5] = [0x00, 0xB2, 0x07, 0x04, 0x0B];

pub const SW_OK: u16 = 0x9000;

/// SELECT by AID (`00 A4 04 00 Lc AID`).
pub fn select_aid(aid: &[u8]) -> Vec<u8> {
    let mut apdu = vec![0x00, 0xA4, 0x04, 0x00, aid.len() as u8];
    apdu.extend_from_slice(aid);
    apdu
}

/// A response APDU split into data and status word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApduResponse {
    pub data: Vec<u8>,
    pub sw: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ApduError {
    #[error("response shorter than a status word ({0} bytes)")]
    TooShort(usize),
    #[error("card answered status {0:04X}")]
    Status(u16),
    #[error("record is malformed: {0}")]
    BadRecord(&'static str),
}

impl ApduResponse {
    pub fn parse(raw: &[u8]) -> Result<ApduResponse, ApduError> {
        let Some(split) = raw.len().checked_sub(2) else {
            return Err(ApduError::TooShort(raw.len()));
        };
        let (data, sw) = raw.split_at(split);
        Ok(ApduResponse {
            data: data.to_vec(),
            sw: u16::from_be_bytes([sw[0], sw[1]]),
        })
    }

    /// The data when the status word is 90 00.
    pub fn ok_data(self) -> Result<Vec<u8>, ApduError> {
        if self.sw == SW_OK {
            Ok(self.data)
        } else {
            Err(ApduError::Status(self.sw))
        }
    }
}

/// The value of a one-byte-tag, one-byte-length record (`tag len value`).
pub fn record_value(record: &[u8], tag: u8) -> Result<&[u8], ApduError> {
    match record {
        [t, len, rest @ ..] if *t == tag => rest
            .get(..usize::from(*len))
            .ok_or(ApduError::BadRecord("length beyond the record")),
        [_, ..] => Err(ApduError::BadRecord("unexpected tag")),
        [] => Err(ApduError::BadRecord("empty record")),
    }
}

/// A staff card as the kiosk reads it.
#[derive(Clone, PartialEq, Eq)]
pub struct StaffCard {
    pub uid: Vec<u8>,
    pub staff_id: String,
}

/// Staff ids are not citizen data, but UIDs are card identifiers: keep the tail only.
impl fmt::Debug for StaffCard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaffCard")
            .field(
                "uid",
                &format!(
                    "…{}",
                    hex::encode_upper(self.uid.last().map(|b| [*b]).unwrap_or_default())
                ),
            )
            .field("staff_id", &self.staff_id)
            .finish()
    }
}

/// The public records of a social-security card (third-generation cards return name and
/// social-security number only after online HSM authentication, so they are not read).
#[derive(Clone, PartialEq, Eq)]
pub struct SocialSecurityCard {
    /// 卡识别码, upper-case hex (32 characters); starts with the 6-digit region code.
    pub card_id: String,
    /// 规范版本, e.g. "3.00".
    pub spec_version: String,
    /// 社保卡号 (9 characters): personal.
    pub card_number: String,
}

impl SocialSecurityCard {
    /// The issuing region (行政区划代码) from the card id.
    pub fn region_code(&self) -> &str {
        self.card_id.get(..6).unwrap_or("")
    }
}

impl fmt::Debug for SocialSecurityCard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let masked: String = self
            .card_number
            .chars()
            .enumerate()
            .map(|(i, c)| if i == 0 { c } else { '*' })
            .collect();
        f.debug_struct("SocialSecurityCard")
            .field("region", &self.region_code())
            .field("spec_version", &self.spec_version)
            .field("card_number", &masked)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_split_into_data_and_status() {
        let r = ApduResponse::parse(&[0x04, 0xA1, 0x90, 0x00]).unwrap();
        assert_eq!(r.data, vec![0x04, 0xA1]);
        assert_eq!(r.clone().ok_data().unwrap(), vec![0x04, 0xA1]);
        assert_eq!(
            ApduResponse::parse(&[0x6A, 0x82]).unwrap().ok_data(),
            Err(ApduError::Status(0x6A82))
        );
        assert_eq!(ApduResponse::parse(&[0x90]), Err(ApduError::TooShort(1)));
    }

    #[test]
    fn select_by_aid_matches_the_reference_bytes() {
        let expected = [
            0x00, 0xA4, 0x04, 0x00, 0x0F, 0x73, 0x78, 0x31, 0x2E, 0x73, 0x68, 0x2E, 0xC9, 0xE7,
            0xBB, 0xE1, 0xB1, 0xA3, 0xD5, 0xCF,
        ];
        assert_eq!(select_aid(&SSSE_AID), expected);
        let (aid, _, _) = encoding_rs::GBK.encode("sx1.sh.社会保障");
        assert_eq!(&aid[..], &SSSE_AID);
    }

    #[test]
    fn records_are_tag_length_value() {
        assert_eq!(
            record_value(&[0x03, 0x02, b'3', b'.', 0xFF], 0x03).unwrap(),
            b"3."
        );
        assert!(record_value(&[0x03, 0x09, b'3'], 0x03).is_err());
        assert!(record_value(&[0x07, 0x01, b'3'], 0x03).is_err());
        assert!(record_value(&[], 0x03).is_err());
    }

    #[test]
    fn debug_masks_the_card_number() {
        let card = SocialSecurityCard {
            card_id: "330300D15600000599110145FFFFFFFF".into(),
            spec_version: "3.00".into(),
            card_number: "A12345678".into(),
        };
        let shown = format!("{card:?}");
        assert!(shown.contains("A********") && !shown.contains("12345678"));
        assert_eq!(card.region_code(), "330300");
    }
}
