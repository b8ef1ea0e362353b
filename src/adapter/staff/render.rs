//! Rendering staff state into the `StaffAdapter` global.

use super::history::FaultHistory;
use crate::domain::DeviceKind;
use crate::fleet::self_test::{has_self_test, SelfTestResult};
use crate::fleet::system_info::{ImageInfo, Reachability, UNKNOWN};
use crate::hal::manager::DeviceStatus;
use crate::hal::DeviceHealth;
use crate::store::{OutboxEntry, OutboxState, OutboxStatus};
use crate::ui::{StaffAdapter, StaffDevice, StaffOutboxItem};
use slint::{ModelRc, SharedString, VecModel};
use std::collections::{HashMap, HashSet};

fn state_name(health: &DeviceHealth) -> &'static str {
    match health {
        DeviceHealth::Ready => "ready",
        DeviceHealth::Busy => "busy",
        DeviceHealth::Fault { .. } => "fault",
        DeviceHealth::Absent => "absent",
        DeviceHealth::NotFitted => "not-fitted",
    }
}

fn model<T: Clone + 'static>(items: Vec<T>) -> ModelRc<T> {
    ModelRc::new(VecModel::from(items))
}

/// "2 h 05 min", "4 min", "12 s".
pub(super) fn human_age(seconds: u64) -> String {
    match seconds {
        0..60 => format!("{seconds} s"),
        60..3600 => format!("{} min", seconds / 60),
        _ => format!("{} h {:02} min", seconds / 3600, seconds % 3600 / 60),
    }
}

/// "512 MiB", "3.4 GiB".
pub(super) fn human_bytes(bytes: u64) -> String {
    const MIB: u64 = 1 << 20;
    if bytes >= 1 << 30 {
        format!("{:.1} GiB", bytes as f64 / (1u64 << 30) as f64)
    } else {
        format!("{} MiB", bytes / MIB)
    }
}

pub(super) struct DeviceView<'a> {
    pub snapshot: &'a [DeviceStatus],
    pub history: &'a FaultHistory,
    pub results: &'a HashMap<DeviceKind, SelfTestResult>,
    pub testing: &'a HashSet<DeviceKind>,
}

pub(super) fn render_devices(adapter: &StaffAdapter<'_>, view: &DeviceView<'_>) {
    let devices = view
        .snapshot
        .iter()
        .map(|status| {
            let result = view.results.get(&status.kind);
            StaffDevice {
                kind: status.kind.name().into(),
                state: state_name(&status.health).into(),
                reason: match &status.health {
                    DeviceHealth::Fault { reason } => reason.as_str().into(),
                    _ => SharedString::new(),
                },
                driver: status.driver.as_str().into(),
                history: model(
                    view.history
                        .lines(status.kind)
                        .into_iter()
                        .map(SharedString::from)
                        .collect(),
                ),
                can_test: has_self_test(status.kind) && status.health != DeviceHealth::NotFitted,
                testing: view.testing.contains(&status.kind),
                has_result: result.is_some(),
                result_passed: result.is_some_and(|r| r.passed),
                result_detail: result.map(|r| r.detail.as_str().into()).unwrap_or_default(),
            }
        })
        .collect();
    adapter.set_devices(model(devices));
}

pub(super) fn render_outbox(
    adapter: &StaffAdapter<'_>,
    status: &OutboxStatus,
    entries: &[OutboxEntry],
    now_ms: i64,
) {
    adapter.set_outbox_pending(i32::try_from(status.pending).unwrap_or(i32::MAX));
    adapter.set_outbox_parked(i32::try_from(status.parked).unwrap_or(i32::MAX));
    adapter.set_outbox_oldest(if status.pending == 0 {
        "—".into()
    } else {
        human_age(status.oldest_pending_age_s).into()
    });
    let items = entries
        .iter()
        .filter(|entry| entry.state != OutboxState::Delivered)
        .map(|entry| StaffOutboxItem {
            id: i32::try_from(entry.id).unwrap_or(i32::MAX),
            receipt: entry.receipt_number.as_str().into(),
            kind: entry.kind.as_str().into(),
            parked: entry.state == OutboxState::Parked,
            attempts: i32::try_from(entry.attempts).unwrap_or(i32::MAX),
            age: human_age(u64::try_from((now_ms - entry.created_at_ms) / 1000).unwrap_or(0))
                .into(),
            reason: entry
                .park_reason
                .as_deref()
                .or(entry.last_error.as_deref())
                .unwrap_or_default()
                .into(),
        })
        .collect();
    adapter.set_outbox_items(model(items));
}

/// The newest store alert (a database moved aside, what was salvaged), or nothing.
pub(super) fn render_store_alert(adapter: &StaffAdapter<'_>, alert: Option<&crate::store::Alert>) {
    adapter.set_store_alert(alert.map(|a| a.detail.as_str()).unwrap_or_default().into());
}

pub(super) struct SystemView {
    pub kiosk_id: String,
    pub image: ImageInfo,
    pub free_bytes: Option<u64>,
    pub database_bytes: Option<u64>,
    pub reachability: Option<Reachability>,
}

pub(super) fn render_system(adapter: &StaffAdapter<'_>, view: &SystemView) {
    adapter.set_kiosk_id(view.kiosk_id.as_str().into());
    adapter.set_app_version(view.image.app_version.as_str().into());
    adapter.set_image_version(view.image.image_version.as_str().into());
    adapter.set_image_hash(view.image.image_hash.as_str().into());
    let bytes = |value: Option<u64>| value.map_or_else(|| UNKNOWN.to_owned(), human_bytes);
    adapter.set_storage_free(bytes(view.free_bytes).into());
    adapter.set_database_size(bytes(view.database_bytes).into());
    adapter.set_probing(view.reachability.is_none());
    if let Some(reach) = &view.reachability {
        adapter.set_local_ip(
            reach
                .local_ip
                .map_or_else(|| "—".to_owned(), |ip| ip.to_string())
                .into(),
        );
        adapter.set_network_ok(reach.local_ip.is_some());
        adapter.set_case_system_ok(reach.case_system);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_and_sizes_read_well() {
        assert_eq!(human_age(12), "12 s");
        assert_eq!(human_age(240), "4 min");
        assert_eq!(human_age(7500), "2 h 05 min");
        assert_eq!(human_bytes(512 << 20), "512 MiB");
        assert_eq!(human_bytes(3 << 30), "3.0 GiB");
    }
}
