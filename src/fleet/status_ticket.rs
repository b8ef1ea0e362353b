//! The printable status ticket for field staff (on boot, on staff request or by remote
//! command): who this kiosk is, what runs, how to reach it, what waits, what is broken.
//! Plain label/value lines; the printer's receipt model renders them.

use super::telemetry::KioskSample;
use chrono::{DateTime, FixedOffset};
use std::net::IpAddr;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub struct StatusTicketInfo {
    pub kiosk_id: String,
    pub hall: String,
    pub version: String,
    pub ip_addresses: Vec<IpAddr>,
    pub uptime: Duration,
    pub healthy: bool,
    pub sample: KioskSample,
    /// Local time of printing (China Standard Time on the kiosk).
    pub printed_at: DateTime<FixedOffset>,
}

fn kebab<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|json| json.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn human_duration(duration: Duration) -> String {
    let secs = duration.as_secs();
    let (days, hours, minutes) = (secs / 86_400, secs % 86_400 / 3600, secs % 3600 / 60);
    if days > 0 {
        format!("{days}d {hours}h {minutes}m")
    } else {
        format!("{hours}h {minutes}m")
    }
}

/// The ticket's lines, top to bottom.
pub fn status_ticket_lines(info: &StatusTicketInfo) -> Vec<(String, String)> {
    let mut lines = vec![
        ("Kiosk".to_owned(), info.kiosk_id.clone()),
        ("Hall".to_owned(), info.hall.clone()),
        ("Version".to_owned(), info.version.clone()),
        (
            "Printed".to_owned(),
            info.printed_at.format("%Y-%m-%d %H:%M").to_string(),
        ),
        ("Uptime".to_owned(), human_duration(info.uptime)),
        (
            "Health".to_owned(),
            if info.healthy { "ok" } else { "UNHEALTHY" }.to_owned(),
        ),
    ];
    let usable: Vec<&IpAddr> = info
        .ip_addresses
        .iter()
        .filter(|ip| !ip.is_loopback() && !ip.is_unspecified())
        .collect();
    if usable.is_empty() {
        lines.push(("IP".to_owned(), "none".to_owned()));
    }
    for ip in usable {
        lines.push(("IP".to_owned(), ip.to_string()));
    }
    let sample = &info.sample;
    lines.push(("Queue".to_owned(), sample.outbox_depth.to_string()));
    if let Some(age) = sample.outbox_oldest_age_s {
        lines.push((
            "Oldest".to_owned(),
            human_duration(Duration::from_secs(age)),
        ));
    }
    lines.push(("Parked".to_owned(), sample.parked_items.to_string()));
    if let Some(free) = sample.storage_free_bytes {
        lines.push(("Free disk".to_owned(), format!("{} MiB", free / (1 << 20))));
    }
    for device in &sample.devices {
        lines.push((kebab(&device.device), kebab(&device.state)));
    }
    if let Some(fault) = &sample.last_fault {
        lines.push((
            "Last fault".to_owned(),
            format!(
                "{} {} {}",
                kebab(&fault.device),
                kebab(&fault.reason),
                fault
                    .at
                    .with_timezone(&info.printed_at.timezone())
                    .format("%m-%d %H:%M")
            ),
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DeviceKind;
    use crate::fleet::audit::{DeviceState, ReasonCode};
    use crate::fleet::telemetry::{DeviceReport, FaultReport};
    use chrono::{TimeZone, Utc};

    #[test]
    fn the_ticket_lists_identity_addresses_queue_and_devices() {
        let cst = FixedOffset::east_opt(8 * 3600).expect("CST");
        let info = StatusTicketInfo {
            kiosk_id: "SZ-FT-001".into(),
            hall: "福田区公共法律服务中心".into(),
            version: "0.1.0".into(),
            ip_addresses: vec![
                "127.0.0.1".parse().expect("ip"),
                "10.8.0.21".parse().expect("ip"),
            ],
            uptime: Duration::from_secs(90_061),
            healthy: true,
            sample: KioskSample {
                devices: vec![DeviceReport {
                    device: DeviceKind::Printer.into(),
                    state: DeviceState::PaperLow,
                }],
                outbox_depth: 2,
                outbox_oldest_age_s: Some(3700),
                parked_items: 1,
                store_alerts: 0,
                storage_free_bytes: Some(512 << 20),
                last_fault: Some(FaultReport {
                    device: DeviceKind::IdReader.into(),
                    reason: ReasonCode::Timeout,
                    at: Utc
                        .with_ymd_and_hms(2025, 3, 1, 1, 2, 0)
                        .single()
                        .expect("time"),
                }),
            },
            printed_at: cst
                .with_ymd_and_hms(2025, 3, 1, 9, 30, 0)
                .single()
                .expect("time"),
        };
        let lines = status_ticket_lines(&info);
        let get = |label: &str| -> Vec<&str> {
            lines
                .iter()
                .filter(|(l, _)| l == label)
                .map(|(_, v)| v.as_str())
                .collect()
        };
        assert_eq!(get("Kiosk"), vec!["SZ-FT-001"]);
        assert_eq!(get("IP"), vec!["10.8.0.21"], "loopback is left out");
        assert_eq!(get("Uptime"), vec!["1d 1h 1m"]);
        assert_eq!(get("Queue"), vec!["2"]);
        assert_eq!(get("Oldest"), vec!["1h 1m"]);
        assert_eq!(get("printer"), vec!["paper-low"]);
        assert_eq!(get("Free disk"), vec!["512 MiB"]);
        assert_eq!(get("Last fault"), vec!["id-reader timeout 03-01 09:02"]);
        assert_eq!(get("Printed"), vec!["2025-03-01 09:30"]);
    }
}
