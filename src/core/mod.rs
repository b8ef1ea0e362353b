//! The UI-independent core: session and flow state machines. Nothing here depends on Slint;
//! the adapter feeds it commands and renders its state, and it is unit-tested on its own.

pub mod availability;
pub mod consult;
pub mod idle;
pub mod notary;
pub mod screen;
pub mod session;
pub mod voice;

pub use idle::{IdlePhase, IdleTimer};
pub use screen::Screen;
pub use session::{Command, Outcome, Session, SessionView};
