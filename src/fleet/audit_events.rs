//! @generated from `data/audit/events.toml` by `src/fleet/audit_codegen.rs`: do not edit.
//! Regenerate: `LEGAL_KIOSK_UPDATE_GENERATED=1 cargo test --lib --no-default-features fleet::audit_codegen`

use super::audit_fields::{AuditCategory, AuditField};

/// Every audit event the kiosk writes (see `docs/audit-events.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditEventId {
    /// The kiosk application started and is about to report READY to systemd.
    AppStart,
    /// The kiosk application is stopping in an orderly way.
    AppStop,
    /// A heartbeat went stale, so the watchdog stopped pinging systemd; the app will be restarted if it does not recover.
    WatchdogUnhealthy,
    /// All heartbeats are fresh again after an unhealthy period.
    WatchdogRecovered,
    /// The hidden staff gesture was recognised on the attract screen.
    StaffGestureDetected,
    /// A staff member presented a credential and a PIN to enter maintenance mode.
    StaffLogin,
    /// Staff login is locked for a growing delay after consecutive failed attempts.
    StaffLockout,
    /// A staff member left maintenance mode.
    StaffLogout,
    /// A citizen session from the first touch to the return to the attract screen.
    CitizenSession,
    /// A peripheral changed state (ready, busy, degraded, fault, absent, paper out, cover open).
    DeviceStateChanged,
    /// A signed remote command from the operations centre was accepted and executed.
    RemoteCommand,
    /// A remote command was refused before execution (unsigned, bad signature, expired, replayed, wrong kiosk or citizen session active); with reason rate-limited, count says how many further refusals in the last window were counted but not written one by one.
    RemoteCommandRefused,
    /// A status ticket (kiosk id, version, addresses, queue depth, devices) was printed.
    StatusTicketPrint,
    /// Parked submissions were put back into the delivery queue by staff or a remote command.
    ParkedItemsRetry,
    /// The audit log was exported as JSON lines.
    AuditExport,
    /// The fleet telemetry connection to the MQTT broker went up or down.
    TelemetryLink,
    /// The staff gesture was recognised but maintenance mode was refused (a citizen session holds data, or no staff list is configured).
    StaffModeRefused,
    /// Staff ran a device self-test (read a card, scan a finger, print a test ticket, capture a test image, blink the lights).
    DeviceSelfTest,
    /// Staff changed the paper roll and reset the receipt counter; count is the receipts printed on the old roll.
    PrinterPaperReset,
    /// Staff asked for the application to restart; systemd starts it again.
    AppRestartRequested,
    /// A citizen called a person from the kiosk (hall desk, duty line): init when dialled, complete when over, with the configured line, the connected time and who hung up or why it failed; never a recording or anything said.
    HelpCall,
}

impl AuditEventId {
    pub const ALL: [AuditEventId; 21] = [
        AuditEventId::AppStart,
        AuditEventId::AppStop,
        AuditEventId::WatchdogUnhealthy,
        AuditEventId::WatchdogRecovered,
        AuditEventId::StaffGestureDetected,
        AuditEventId::StaffLogin,
        AuditEventId::StaffLockout,
        AuditEventId::StaffLogout,
        AuditEventId::CitizenSession,
        AuditEventId::DeviceStateChanged,
        AuditEventId::RemoteCommand,
        AuditEventId::RemoteCommandRefused,
        AuditEventId::StatusTicketPrint,
        AuditEventId::ParkedItemsRetry,
        AuditEventId::AuditExport,
        AuditEventId::TelemetryLink,
        AuditEventId::StaffModeRefused,
        AuditEventId::DeviceSelfTest,
        AuditEventId::PrinterPaperReset,
        AuditEventId::AppRestartRequested,
        AuditEventId::HelpCall,
    ];

    /// The stable kebab-case id written to JSON lines.
    pub fn id(self) -> &'static str {
        match self {
            AuditEventId::AppStart => "app-start",
            AuditEventId::AppStop => "app-stop",
            AuditEventId::WatchdogUnhealthy => "watchdog-unhealthy",
            AuditEventId::WatchdogRecovered => "watchdog-recovered",
            AuditEventId::StaffGestureDetected => "staff-gesture-detected",
            AuditEventId::StaffLogin => "staff-login",
            AuditEventId::StaffLockout => "staff-lockout",
            AuditEventId::StaffLogout => "staff-logout",
            AuditEventId::CitizenSession => "citizen-session",
            AuditEventId::DeviceStateChanged => "device-state-changed",
            AuditEventId::RemoteCommand => "remote-command",
            AuditEventId::RemoteCommandRefused => "remote-command-refused",
            AuditEventId::StatusTicketPrint => "status-ticket-print",
            AuditEventId::ParkedItemsRetry => "parked-items-retry",
            AuditEventId::AuditExport => "audit-export",
            AuditEventId::TelemetryLink => "telemetry-link",
            AuditEventId::StaffModeRefused => "staff-mode-refused",
            AuditEventId::DeviceSelfTest => "device-self-test",
            AuditEventId::PrinterPaperReset => "printer-paper-reset",
            AuditEventId::AppRestartRequested => "app-restart-requested",
            AuditEventId::HelpCall => "help-call",
        }
    }

    pub fn category(self) -> AuditCategory {
        match self {
            AuditEventId::AppStart => AuditCategory::ApplicationStatus,
            AuditEventId::AppStop => AuditCategory::ApplicationStatus,
            AuditEventId::WatchdogUnhealthy => AuditCategory::SystemStatus,
            AuditEventId::WatchdogRecovered => AuditCategory::SystemStatus,
            AuditEventId::StaffGestureDetected => AuditCategory::UserAction,
            AuditEventId::StaffLogin => AuditCategory::UserAction,
            AuditEventId::StaffLockout => AuditCategory::SystemStatus,
            AuditEventId::StaffLogout => AuditCategory::UserAction,
            AuditEventId::CitizenSession => AuditCategory::UserAction,
            AuditEventId::DeviceStateChanged => AuditCategory::SystemStatus,
            AuditEventId::RemoteCommand => AuditCategory::SystemAction,
            AuditEventId::RemoteCommandRefused => AuditCategory::SystemAction,
            AuditEventId::StatusTicketPrint => AuditCategory::UserAction,
            AuditEventId::ParkedItemsRetry => AuditCategory::UserAction,
            AuditEventId::AuditExport => AuditCategory::UserAction,
            AuditEventId::TelemetryLink => AuditCategory::SystemStatus,
            AuditEventId::StaffModeRefused => AuditCategory::UserAction,
            AuditEventId::DeviceSelfTest => AuditCategory::UserAction,
            AuditEventId::PrinterPaperReset => AuditCategory::UserAction,
            AuditEventId::AppRestartRequested => AuditCategory::UserAction,
            AuditEventId::HelpCall => AuditCategory::UserAction,
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            AuditEventId::AppStart => "The kiosk application started and is about to report READY to systemd.",
            AuditEventId::AppStop => "The kiosk application is stopping in an orderly way.",
            AuditEventId::WatchdogUnhealthy => "A heartbeat went stale, so the watchdog stopped pinging systemd; the app will be restarted if it does not recover.",
            AuditEventId::WatchdogRecovered => "All heartbeats are fresh again after an unhealthy period.",
            AuditEventId::StaffGestureDetected => "The hidden staff gesture was recognised on the attract screen.",
            AuditEventId::StaffLogin => "A staff member presented a credential and a PIN to enter maintenance mode.",
            AuditEventId::StaffLockout => "Staff login is locked for a growing delay after consecutive failed attempts.",
            AuditEventId::StaffLogout => "A staff member left maintenance mode.",
            AuditEventId::CitizenSession => "A citizen session from the first touch to the return to the attract screen.",
            AuditEventId::DeviceStateChanged => "A peripheral changed state (ready, busy, degraded, fault, absent, paper out, cover open).",
            AuditEventId::RemoteCommand => "A signed remote command from the operations centre was accepted and executed.",
            AuditEventId::RemoteCommandRefused => "A remote command was refused before execution (unsigned, bad signature, expired, replayed, wrong kiosk or citizen session active); with reason rate-limited, count says how many further refusals in the last window were counted but not written one by one.",
            AuditEventId::StatusTicketPrint => "A status ticket (kiosk id, version, addresses, queue depth, devices) was printed.",
            AuditEventId::ParkedItemsRetry => "Parked submissions were put back into the delivery queue by staff or a remote command.",
            AuditEventId::AuditExport => "The audit log was exported as JSON lines.",
            AuditEventId::TelemetryLink => "The fleet telemetry connection to the MQTT broker went up or down.",
            AuditEventId::StaffModeRefused => "The staff gesture was recognised but maintenance mode was refused (a citizen session holds data, or no staff list is configured).",
            AuditEventId::DeviceSelfTest => "Staff ran a device self-test (read a card, scan a finger, print a test ticket, capture a test image, blink the lights).",
            AuditEventId::PrinterPaperReset => "Staff changed the paper roll and reset the receipt counter; count is the receipts printed on the old roll.",
            AuditEventId::AppRestartRequested => "Staff asked for the application to restart; systemd starts it again.",
            AuditEventId::HelpCall => "A citizen called a person from the kiosk (hall desk, duty line): init when dialled, complete when over, with the configured line, the connected time and who hung up or why it failed; never a recording or anything said.",
        }
    }

    /// The only fields this event may carry.
    pub fn fields(self) -> &'static [AuditField] {
        match self {
            AuditEventId::AppStart => &[],
            AuditEventId::AppStop => &[AuditField::Reason],
            AuditEventId::WatchdogUnhealthy => &[AuditField::Component, AuditField::DurationMs],
            AuditEventId::WatchdogRecovered => &[AuditField::DurationMs],
            AuditEventId::StaffGestureDetected => &[],
            AuditEventId::StaffLogin => &[AuditField::CredentialKind, AuditField::StaffIdHash, AuditField::Count],
            AuditEventId::StaffLockout => &[AuditField::Count, AuditField::DurationMs],
            AuditEventId::StaffLogout => &[AuditField::StaffIdHash, AuditField::Reason],
            AuditEventId::CitizenSession => &[AuditField::ReceiptNumber, AuditField::Count, AuditField::Reason],
            AuditEventId::DeviceStateChanged => &[AuditField::DeviceKind, AuditField::DeviceState, AuditField::Reason],
            AuditEventId::RemoteCommand => &[AuditField::CommandKind, AuditField::Count],
            AuditEventId::RemoteCommandRefused => &[AuditField::CommandKind, AuditField::Reason, AuditField::Count],
            AuditEventId::StatusTicketPrint => &[AuditField::Count],
            AuditEventId::ParkedItemsRetry => &[AuditField::Count],
            AuditEventId::AuditExport => &[AuditField::Count],
            AuditEventId::TelemetryLink => &[AuditField::DeviceState, AuditField::Reason],
            AuditEventId::StaffModeRefused => &[AuditField::Reason],
            AuditEventId::DeviceSelfTest => &[AuditField::DeviceKind, AuditField::StaffIdHash],
            AuditEventId::PrinterPaperReset => &[AuditField::StaffIdHash, AuditField::Count],
            AuditEventId::AppRestartRequested => &[AuditField::StaffIdHash, AuditField::Reason],
            AuditEventId::HelpCall => &[AuditField::CallLine, AuditField::DurationMs, AuditField::Reason],
        }
    }

    /// True for long actions written as an `init` and a `complete` with an outcome.
    pub fn is_pair(self) -> bool {
        match self {
            AuditEventId::AppStart => false,
            AuditEventId::AppStop => false,
            AuditEventId::WatchdogUnhealthy => false,
            AuditEventId::WatchdogRecovered => false,
            AuditEventId::StaffGestureDetected => false,
            AuditEventId::StaffLogin => true,
            AuditEventId::StaffLockout => false,
            AuditEventId::StaffLogout => false,
            AuditEventId::CitizenSession => true,
            AuditEventId::DeviceStateChanged => false,
            AuditEventId::RemoteCommand => true,
            AuditEventId::RemoteCommandRefused => false,
            AuditEventId::StatusTicketPrint => true,
            AuditEventId::ParkedItemsRetry => true,
            AuditEventId::AuditExport => true,
            AuditEventId::TelemetryLink => false,
            AuditEventId::StaffModeRefused => false,
            AuditEventId::DeviceSelfTest => true,
            AuditEventId::PrinterPaperReset => false,
            AuditEventId::AppRestartRequested => false,
            AuditEventId::HelpCall => true,
        }
    }

    pub fn from_id(id: &str) -> Option<AuditEventId> {
        match id {
            "app-start" => Some(AuditEventId::AppStart),
            "app-stop" => Some(AuditEventId::AppStop),
            "watchdog-unhealthy" => Some(AuditEventId::WatchdogUnhealthy),
            "watchdog-recovered" => Some(AuditEventId::WatchdogRecovered),
            "staff-gesture-detected" => Some(AuditEventId::StaffGestureDetected),
            "staff-login" => Some(AuditEventId::StaffLogin),
            "staff-lockout" => Some(AuditEventId::StaffLockout),
            "staff-logout" => Some(AuditEventId::StaffLogout),
            "citizen-session" => Some(AuditEventId::CitizenSession),
            "device-state-changed" => Some(AuditEventId::DeviceStateChanged),
            "remote-command" => Some(AuditEventId::RemoteCommand),
            "remote-command-refused" => Some(AuditEventId::RemoteCommandRefused),
            "status-ticket-print" => Some(AuditEventId::StatusTicketPrint),
            "parked-items-retry" => Some(AuditEventId::ParkedItemsRetry),
            "audit-export" => Some(AuditEventId::AuditExport),
            "telemetry-link" => Some(AuditEventId::TelemetryLink),
            "staff-mode-refused" => Some(AuditEventId::StaffModeRefused),
            "device-self-test" => Some(AuditEventId::DeviceSelfTest),
            "printer-paper-reset" => Some(AuditEventId::PrinterPaperReset),
            "app-restart-requested" => Some(AuditEventId::AppRestartRequested),
            "help-call" => Some(AuditEventId::HelpCall),
            _ => None,
        }
    }
}
