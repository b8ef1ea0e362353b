//! The WLT photo seam. WLT is a proprietary compression; decoding needs the reader vendor's
//! licensed library (`libwlt2bmp.so` and similar, tied to the SAM). A vendor adapter
//! implements `PhotoDecoder` behind its own cargo feature; without one the kiosk shows no
//! photo and says why.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PhotoError {
    #[error("no WLT photo decoder is installed on this kiosk")]
    NoDecoder,
    #[error("the photo decoder failed: {0}")]
    DecoderFailed(String),
}

/// Turns the card's 1024-byte WLT photo into a 102×126 24-bit BMP (38 862 bytes).
pub trait PhotoDecoder: Send + Sync {
    fn decode_bmp(&self, photo_wlt: &[u8]) -> Result<Vec<u8>, PhotoError>;
}

/// The decoder of a kiosk without the vendor library.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoPhotoDecoder;

impl PhotoDecoder for NoPhotoDecoder {
    fn decode_bmp(&self, _photo_wlt: &[u8]) -> Result<Vec<u8>, PhotoError> {
        Err(PhotoError::NoDecoder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_placeholder_reports_that_no_decoder_is_installed() {
        let decoder: &dyn PhotoDecoder = &NoPhotoDecoder;
        assert_eq!(decoder.decode_bmp(&[0; 1024]), Err(PhotoError::NoDecoder));
    }
}
