//! Telephony: one touch to talk to a person (the hall desk by day, the 12348 duty line or the
//! duty notary at night). baresip (Debian's SIP user agent) does SIP and media; the kiosk
//! generates its configuration, supervises the process and drives it over `ctrl_tcp`.
//!
//! - `netstring`, `protocol`: the control protocol, pure codecs
//! - `call`: the call state machine (time fed in, no I/O)
//! - `lines`: which configured line answers at a given local time
//! - `registration`: SIP registration state for device health and `doctor`
//! - `settings`, `baresip_config`: what baresip is started with; nothing that records
//! - `control`, `process`, `engine`: the I/O: the control link, the process, supervision
//! - `probe`: a one-off registration check for `doctor`
//! - `call_audit`: the `help-call` audit record (line, when, how long; never content)

mod baresip_config;
mod call;
mod call_audit;
mod control;
mod engine;
mod lines;
mod netstring;
mod probe;
mod process;
mod protocol;
mod registration;
mod section;
mod settings;

pub use crate::config::telephony::{MediaEncryption, Transport};
pub use baresip_config::{render_accounts, render_config, ConfigRenderError, RECORDING_MODULES};
pub use call::{Call, CallAction, CallError, CallPhase, CallView, EndReason};
pub use control::LinkError;
pub use engine::{TelephonyEngine, TelephonyError};
pub use lines::{first_uncovered_minute, line_for, Line, LineHours};
pub use netstring::{FrameError, NetstringDecoder, MAX_FRAME_LEN};
pub use probe::probe_registration;
pub use protocol::{Command, Event, EventKind, Message, ProtocolError};
pub use registration::RegistrationState;
pub use section::check_config;
pub use settings::{AccountSettings, AudioDevices, EngineSettings};
