//! The notary application journey (公证申请): catalogue, fees, consent, form and the flow state machine.
//!
//! Everything here is UI-independent and pure: the Slint adapter sends [`Command`]s, carries
//! out the [`Effect`]s the journey asks for (card reader, fingerprint, camera, store,
//! printer) and feeds the results back as [`Event`]s, then renders [`JourneyView`].

pub mod applicant;
pub mod appointment;
pub mod calendar;
pub mod catalogue;
mod config_check;
pub mod consent;
pub mod declaration;
pub mod fees;
pub mod form;
pub mod journey;
pub mod jurisdiction;
pub mod mask;
pub mod materials;
pub mod parties;
pub mod payload;
pub mod progress;
pub mod receipt;
pub mod signature;

pub use applicant::{id_number_digest, identity_matches, Applicant, CardKind, IdDigestKey, Sex};
pub use catalogue::{Authentication, Catalogue, CatalogueError, Matter};
pub use config_check::check_config;
pub use consent::{ConsentItem, ConsentRecord, OfficeInfo};
pub use fees::{FeeError, FeeEstimate, FeeOptions, FeeSchedule};
pub use form::{DeliveryMethod, FormEdit, FormField, Purpose};
pub use journey::{
    CardEvent, Command, Effect, Event, FingerprintResult, Journey, JourneySetup, JourneyView,
    PrintFailure, Rating, ScreenView, Step, SubmitFailure,
};
pub use payload::{Submission, SubmissionPayload, SubmissionReceipt};
pub use receipt::{build_receipt, to_printer_receipt, NotaryReceiptLine};
