//! Staff maintenance and fleet operations: audit catalog, health, watchdog, telemetry, remote commands.
//!
//! Engines only; the Slint staff screens call them. Nothing here holds personal data: audit
//! events, telemetry and command results carry typed codes, counts and receipt numbers.
//!
//! - [`audit`]: the typed audit event catalog (`data/audit/events.toml` → [`audit::AuditEventId`]),
//!   JSON lines, and the [`audit::AuditSink`] the store implements.
//! - [`gesture`], [`staff_auth`], [`lockout`], [`pin`]: entering staff mode.
//! - [`heartbeat`], [`watchdog`], [`health_server`]: liveness, systemd watchdog, loopback health.
//! - [`telemetry`], [`mqtt`], [`commands`]: fleet telemetry and signed remote commands over MQTT;
//!   [`link`] starts them for the running kiosk.
//! - [`status_ticket`]: the lines of the printable status ticket.
//! - [`self_test`], [`paper_counter`], [`audit_export`], [`system_info`]: what the staff
//!   screens run and show; [`store_audit`]: the store's audit table as an audit sink.
//! - [`provisioning_import`]: the image's provisioning records into the audit log at start.

pub mod audit;
#[cfg(test)]
mod audit_codegen;
pub mod audit_export;
pub mod bridge;
#[rustfmt::skip]
mod audit_events;
mod audit_fields;
pub mod commands;
pub mod gesture;
pub mod health_server;
pub mod heartbeat;
pub mod kiosk_actions;
pub mod link;
pub mod lockout;
pub mod mqtt;
pub mod paper_counter;
pub mod pin;
pub mod provisioning_import;
pub mod self_test;
pub mod services;
pub mod session_gate;
pub mod staff_auth;
pub mod staff_registry;
pub mod status_ticket;
pub mod store_audit;
pub mod system_info;
pub mod telemetry;
pub mod watchdog;
