//! legal-kiosk: appliance software for self-service kiosks in 24-hour public legal-service
//! halls. See `ARCHITECTURE.md` for the map of modules and how data flows between them.
//!
//! Layers, bottom up; a module uses only the layers below its own (`tests/layers.rs` checks
//! every path):
//!
//! domain → config → codec, ime, laws, liveness, logging → hal → core → store → forward → caseserver → fleet, services → telephony → ui → adapter → cli
//!
//! `domain` is the shared vocabulary, `config` the configuration as data (each module
//! converts its own section), then libraries without kiosk state, the device drivers, the
//! UI-independent flows, the durable store and the forwarder to the case system, the
//! services that run them, and the Slint UI with its thin binding.

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
pub mod telephony;

#[cfg(feature = "ui")]
pub mod adapter;

/// The generated Slint components and globals.
#[cfg(feature = "ui")]
pub mod ui {
    slint::include_modules!();
}
