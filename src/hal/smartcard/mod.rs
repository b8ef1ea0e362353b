//! PC/SC smart cards: staff cards (UID + the kiosk staff applet) and the public records of
//! social-security cards. The real driver talks to `pcscd` through the `pcsc` crate; with
//! `simulators`, [`vicc`] is a virtual card that plugs into a real `pcscd` through the
//! vsmartcard `vpcd` reader driver, so tests exercise the same path as production.

pub mod apdu;
mod pcsc_reader;
#[cfg(feature = "simulators")]
pub mod vicc;

pub use apdu::{ApduError, ApduResponse, SocialSecurityCard, StaffCard};
pub use pcsc_reader::PcscReader;

use crate::hal::DeviceHealth;
use thiserror::Error;
use tokio::sync::mpsc;

/// A change at the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardEvent {
    Inserted { atr: Vec<u8> },
    Removed,
}

#[derive(Debug, Error)]
pub enum SmartCardError {
    #[error("PC/SC service (pcscd) is not running")]
    NoService,
    #[error("no matching card reader connected")]
    NoReader,
    #[error("no card in the reader")]
    NoCard,
    #[error("the card was removed during the operation")]
    CardRemoved,
    #[error("card does not support this operation: {0}")]
    Unsupported(ApduError),
    #[error(transparent)]
    Apdu(#[from] ApduError),
    #[error("PC/SC error: {0}")]
    Pcsc(String),
}

/// A PC/SC card reader. Calls block for at most the PC/SC timeouts (run them on a
/// blocking thread from async code).
pub trait SmartCardReader: Send {
    /// Insert/remove events from a monitor thread; the thread ends when the receiver is
    /// dropped. A card already present is reported as inserted first.
    fn card_events(&mut self) -> Result<mpsc::UnboundedReceiver<CardEvent>, SmartCardError>;
    /// The ATR of the card in the reader.
    fn atr(&mut self) -> Result<Vec<u8>, SmartCardError>;
    /// Exchanges one APDU; the response includes the status word.
    fn transmit(&mut self, apdu: &[u8]) -> Result<ApduResponse, SmartCardError>;
    /// Health known from the last call; no I/O.
    fn health(&self) -> DeviceHealth;

    /// The card's UID (`FF CA 00 00 00`).
    fn uid(&mut self) -> Result<Vec<u8>, SmartCardError> {
        let response = self.transmit(&apdu::GET_UID)?;
        response.ok_data().map_err(SmartCardError::Unsupported)
    }
}

/// Reads a kiosk staff card: UID, then SELECT the staff applet and read its record.
pub fn read_staff_card(reader: &mut dyn SmartCardReader) -> Result<StaffCard, SmartCardError> {
    let uid = reader.uid()?;
    reader
        .transmit(&apdu::select_aid(&apdu::STAFF_AID))?
        .ok_data()
        .map_err(SmartCardError::Unsupported)?;
    let record = reader.transmit(&apdu::READ_STAFF_RECORD)?.ok_data()?;
    let id = apdu::record_value(&record, apdu::STAFF_ID_TAG)?;
    let staff_id = String::from_utf8(id.to_vec())
        .map_err(|_| ApduError::BadRecord("staff id is not UTF-8"))?;
    Ok(StaffCard { uid, staff_id })
}

/// Reads the public SSSE records of a social-security card.
pub fn read_social_security(
    reader: &mut dyn SmartCardReader,
) -> Result<SocialSecurityCard, SmartCardError> {
    reader
        .transmit(&apdu::select_aid(&apdu::SSSE_AID))?
        .ok_data()
        .map_err(SmartCardError::Unsupported)?;
    reader.transmit(&apdu::SELECT_EF05)?.ok_data()?;
    let card_id = reader.transmit(&apdu::READ_CARD_ID)?.ok_data()?;
    let card_id = hex::encode_upper(apdu::record_value(&card_id, 0x01)?);
    let version = reader.transmit(&apdu::READ_SPEC_VERSION)?.ok_data()?;
    let spec_version = ascii(apdu::record_value(&version, 0x03)?)?;
    let number = reader.transmit(&apdu::READ_CARD_NUMBER)?.ok_data()?;
    let card_number = ascii(apdu::record_value(&number, 0x07)?)?;
    Ok(SocialSecurityCard {
        card_id,
        spec_version,
        card_number,
    })
}

fn ascii(bytes: &[u8]) -> Result<String, ApduError> {
    if bytes.is_ascii() {
        Ok(String::from_utf8_lossy(bytes).into_owned())
    } else {
        Err(ApduError::BadRecord("text field is not ASCII"))
    }
}
