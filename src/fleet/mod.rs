//! Staff maintenance and fleet operations: audit catalog, health, watchdog, telemetry, remote commands.
