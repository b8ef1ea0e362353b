//! The materials checklist of a matter, captured images, and what the applicant must still
//! bring to the office.

use super::catalogue::{Catalogue, Matter, Need};
use crate::domain::{bi, Bilingual};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;

/// A document-camera still larger than this is refused (a fault, not a document).
pub const MAX_CAPTURE_BYTES: usize = 16 * 1024 * 1024;

/// One captured material. `Debug` shows size and digest only.
#[derive(Clone, PartialEq, Eq)]
pub struct CapturedImage {
    pub jpeg: Vec<u8>,
    pub sha256: String,
}

impl fmt::Debug for CapturedImage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CapturedImage({} bytes, sha256 {}…)",
            self.jpeg.len(),
            self.sha256.get(..12).unwrap_or("")
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptureProblem {
    Empty,
    NotJpeg,
    TooLarge,
}

impl CaptureProblem {
    pub fn message(self) -> Bilingual {
        match self {
            CaptureProblem::Empty | CaptureProblem::NotJpeg => bi(
                "拍摄的图像无法使用，请重新拍摄。",
                "The picture could not be used; please take it again.",
            ),
            CaptureProblem::TooLarge => bi(
                "图像过大，请重新拍摄。",
                "The picture is too large; please take it again.",
            ),
        }
    }
}

impl CapturedImage {
    /// Accepts a JPEG from the camera (SOI marker, sane size) and digests it.
    pub fn from_jpeg(jpeg: Vec<u8>) -> Result<CapturedImage, CaptureProblem> {
        if jpeg.is_empty() {
            return Err(CaptureProblem::Empty);
        }
        if !jpeg.starts_with(&[0xFF, 0xD8]) {
            return Err(CaptureProblem::NotJpeg);
        }
        if jpeg.len() > MAX_CAPTURE_BYTES {
            return Err(CaptureProblem::TooLarge);
        }
        let sha256 = hex::encode(Sha256::digest(&jpeg));
        Ok(CapturedImage { jpeg, sha256 })
    }
}

/// Captured images by material id.
pub type Captures = BTreeMap<String, CapturedImage>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CaptureState {
    /// The kiosk cannot capture it (no camera, in-person matter, or not a scannable paper).
    BringOnly,
    NotCaptured,
    Captured {
        bytes: usize,
    },
}

/// One row of the materials screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistItem {
    pub material_id: String,
    pub name: Bilingual,
    pub required: bool,
    /// When a conditional material is needed.
    pub when: Option<Bilingual>,
    /// The original must be shown to the notary.
    pub original: bool,
    pub capture: CaptureState,
}

/// Why something is on the "still to bring" list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BringReason {
    /// Not captured here: bring it (or a copy).
    NotCaptured,
    /// Captured, but the notary must see the original.
    OriginalToShow,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BringItem {
    pub material_id: String,
    pub name: Bilingual,
    pub reason: BringReason,
    pub when: Option<Bilingual>,
}

impl BringItem {
    /// One line for screens and receipts.
    pub fn line(&self) -> Bilingual {
        let mut zh = self.name.zh.clone();
        let mut en = self.name.en.clone();
        if self.reason == BringReason::OriginalToShow {
            zh.push_str("（原件，已拍摄）");
            en.push_str(" (original; already captured)");
        }
        if let Some(when) = &self.when {
            zh.push_str(&format!("——{}", when.zh));
            en.push_str(&format!(" - {}", when.en));
        }
        Bilingual::new(zh, en)
    }
}

/// Whether the kiosk captures materials for this matter at all: in-person matters are
/// pre-booked, the documents are examined at the appointment.
pub fn captures_allowed(matter: &Matter, camera_fitted: bool) -> bool {
    camera_fitted && !matter.in_person
}

pub fn checklist(
    matter: &Matter,
    catalogue: &Catalogue,
    captures: &Captures,
    camera_fitted: bool,
) -> Vec<ChecklistItem> {
    matter
        .materials
        .iter()
        .filter_map(|requirement| {
            let material = catalogue.material(&requirement.material)?;
            let capture = match captures.get(&material.id) {
                Some(image) => CaptureState::Captured {
                    bytes: image.jpeg.len(),
                },
                None if material.scan && captures_allowed(matter, camera_fitted) => {
                    CaptureState::NotCaptured
                }
                None => CaptureState::BringOnly,
            };
            let (required, when) = match &requirement.need {
                Need::Required => (true, None),
                Need::Conditional { when } => (false, Some(when.clone())),
            };
            Some(ChecklistItem {
                material_id: material.id.clone(),
                name: material.name.clone(),
                required,
                when,
                original: material.original,
                capture,
            })
        })
        .collect()
}

/// Everything the applicant must still bring, in checklist order.
pub fn to_bring(items: &[ChecklistItem]) -> Vec<BringItem> {
    items
        .iter()
        .filter_map(|item| {
            let reason = match item.capture {
                CaptureState::Captured { .. } if item.original => BringReason::OriginalToShow,
                CaptureState::Captured { .. } => return None,
                CaptureState::BringOnly | CaptureState::NotCaptured => BringReason::NotCaptured,
            };
            Some(BringItem {
                material_id: item.material_id.clone(),
                name: item.name.clone(),
                reason,
                when: item.when.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg() -> Vec<u8> {
        vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 0xFF, 0xD9]
    }

    #[test]
    fn only_jpegs_are_accepted() {
        assert_eq!(CapturedImage::from_jpeg(vec![]), Err(CaptureProblem::Empty));
        assert_eq!(
            CapturedImage::from_jpeg(b"\x89PNG".to_vec()),
            Err(CaptureProblem::NotJpeg)
        );
        let image = CapturedImage::from_jpeg(jpeg()).unwrap();
        assert_eq!(image.sha256.len(), 64);
    }

    #[test]
    fn checklist_and_bring_list_follow_captures() {
        let c = Catalogue::shipped().unwrap();
        let matter = c.matter("no_criminal_record").unwrap();
        let mut captures = Captures::new();
        captures.insert(
            "police_certificate".into(),
            CapturedImage::from_jpeg(jpeg()).unwrap(),
        );
        let items = checklist(matter, &c, &captures, true);
        assert_eq!(items.len(), 4);
        assert_eq!(items[2].capture, CaptureState::Captured { bytes: 9 });
        assert_eq!(items[0].capture, CaptureState::NotCaptured);
        assert!(!items[3].required && items[3].when.is_some());
        let bring = to_bring(&items);
        let reasons: Vec<_> = bring
            .iter()
            .map(|b| (b.material_id.as_str(), b.reason))
            .collect();
        assert!(reasons.contains(&("police_certificate", BringReason::OriginalToShow)));
        assert!(reasons.contains(&("hukou", BringReason::NotCaptured)));
        let no_camera = checklist(matter, &c, &Captures::new(), false);
        assert!(no_camera
            .iter()
            .all(|i| i.capture == CaptureState::BringOnly));
    }

    #[test]
    fn in_person_matters_capture_nothing() {
        let c = Catalogue::shipped().unwrap();
        let poa = c.matter("poa_property").unwrap();
        let items = checklist(poa, &c, &Captures::new(), true);
        assert!(items.iter().all(|i| i.capture == CaptureState::BringOnly));
        assert_eq!(to_bring(&items).len(), poa.materials.len());
    }
}
