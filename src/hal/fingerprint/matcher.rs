//! The ID-card fingerprint seam (人证核验). The card's 1024 bytes are two 512-byte
//! templates in the ID-card system's proprietary format; only a certified capture device
//! with the vendor's `ID_Fpr` library can compare a live finger against them. A vendor
//! adapter implements `IdCardFingerprintMatcher` behind its own cargo feature; this
//! project ships only the simulator.

use thiserror::Error;

/// Size of one card template.
pub const CARD_TEMPLATE_LEN: usize = 512;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MatcherError {
    #[error("no finger on the capture device")]
    NoFinger,
    #[error("the card's fingerprint data has {0} bytes, expected 512 or 1024")]
    BadCardData(usize),
    #[error("the fingerprint matcher failed: {0}")]
    Failed(String),
}

/// The result of comparing a live finger with the card's templates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CardMatch {
    /// Best similarity, 0.0–1.0.
    pub similarity: f32,
    /// Which card template matched best (0 or 1).
    pub template: usize,
    /// Similarity at or above the matcher's threshold.
    pub matched: bool,
}

pub trait IdCardFingerprintMatcher: Send {
    /// Captures a live finger and compares it with each template in `card_fingerprint`.
    fn verify_against_card(&mut self, card_fingerprint: &[u8]) -> Result<CardMatch, MatcherError>;
}

/// Splits the card block into its templates, refusing sizes the card never has.
pub fn card_templates(card_fingerprint: &[u8]) -> Result<Vec<&[u8]>, MatcherError> {
    match card_fingerprint.len() {
        CARD_TEMPLATE_LEN | 1024 => Ok(card_fingerprint.chunks_exact(CARD_TEMPLATE_LEN).collect()),
        other => Err(MatcherError::BadCardData(other)),
    }
}
