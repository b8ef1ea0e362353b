//! The shared vocabulary every layer speaks: the kiosk's languages and bilingual text, the
//! kinds of device a kiosk may have, and what a citizen submits. Plain data with no I/O; it
//! imports nothing from the rest of the crate, so any module may use it.

mod device;
mod submission;
mod text;

pub use device::DeviceKind;
pub use submission::{Attachment, AttachmentRole, NewSubmission, ProgressIndex, SubmissionKind};
pub(crate) use text::bi;
pub use text::Bilingual;

use serde::Deserialize;

/// A language the kiosk speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Zh,
    En,
}
