//! legal-kiosk: appliance software for self-service kiosks in 24-hour public legal-service
//! halls. See `ARCHITECTURE.md` for the map of modules and how data flows between them.
//!
//! Layers, bottom up: pure protocol `codec`s (no I/O) → `hal` device drivers and simulators →
//! the UI-independent `core` (session and flow state machines) → `store` and `forward`
//! (durable outbox to the case system) → the Slint `adapter` (a thin UI binding).

pub mod caseserver;
pub mod cli;
pub mod codec;
pub mod config;
pub mod core;
pub mod domain;
pub mod fleet;
pub mod forward;
pub mod hal;
pub mod ime;
pub mod laws;
pub mod liveness;
pub mod logging;
pub mod services;
pub mod store;

#[cfg(feature = "ui")]
pub mod adapter;

/// The generated Slint components and globals.
#[cfg(feature = "ui")]
pub mod ui {
    slint::include_modules!();
}
