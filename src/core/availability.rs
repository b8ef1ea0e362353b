//! Which services are degraded by which missing device, and what the citizen is told.
//!
//! The device manager reports each device's debounced health; a service that needs a device
//! that is absent, faulty or not fitted says so on its home tile and names what still works,
//! instead of failing half-way through a citizen's application.

use crate::domain::DeviceKind;
use crate::hal::manager::DeviceStatus;
use crate::hal::DeviceHealth;

/// A home-screen service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Notary,
    Consultation,
    Progress,
    LegalAid,
}

impl Service {
    pub const ALL: [Service; 4] = [
        Service::Notary,
        Service::Consultation,
        Service::Progress,
        Service::LegalAid,
    ];
}

/// What a degraded service says on its tile. Each names what still works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// Notary: the applicant cannot be identified; the requirements can still be read, and
    /// staff or office hours take the application.
    NotaryWithoutIdReader,
    /// Progress: the applicant cannot be confirmed; staff or the hotline can look it up.
    ProgressWithoutIdReader,
    /// Notary: documents cannot be photographed; the application still goes in and the
    /// copies are brought to the office.
    NotaryWithoutCamera,
    /// Receipts (and printed articles) are shown on screen only.
    ReceiptsOnScreenOnly,
}

/// What a service needs, most important first: the first unusable one gives the notice.
fn needs(service: Service) -> &'static [(DeviceKind, Notice)] {
    match service {
        Service::Notary => &[
            (DeviceKind::IdReader, Notice::NotaryWithoutIdReader),
            (DeviceKind::Camera, Notice::NotaryWithoutCamera),
            (DeviceKind::Printer, Notice::ReceiptsOnScreenOnly),
        ],
        Service::Progress => &[(DeviceKind::IdReader, Notice::ProgressWithoutIdReader)],
        Service::Consultation | Service::LegalAid => {
            &[(DeviceKind::Printer, Notice::ReceiptsOnScreenOnly)]
        }
    }
}

/// Whether a device in this health can serve a citizen now. Busy is usable: it will be
/// free in a moment.
fn usable(health: &DeviceHealth) -> bool {
    matches!(health, DeviceHealth::Ready | DeviceHealth::Busy)
}

/// The notice for `service` given the devices' health, if it is degraded. A device the
/// report does not mention is taken as usable: no news is not a fault.
pub fn notice(service: Service, health: &[DeviceStatus]) -> Option<Notice> {
    needs(service).iter().find_map(|(kind, notice)| {
        let status = health.iter().find(|s| s.kind == *kind)?;
        (!usable(&status.health)).then_some(*notice)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(changes: &[(DeviceKind, DeviceHealth)]) -> Vec<DeviceStatus> {
        DeviceKind::ALL
            .into_iter()
            .map(|kind| DeviceStatus {
                kind,
                driver: "serial".into(),
                health: changes
                    .iter()
                    .find(|(k, _)| *k == kind)
                    .map_or(DeviceHealth::Ready, |(_, h)| h.clone()),
            })
            .collect()
    }

    fn all(health: &[DeviceStatus]) -> Vec<Option<Notice>> {
        Service::ALL.iter().map(|s| notice(*s, health)).collect()
    }

    #[test]
    fn all_ready_means_no_notice() {
        assert_eq!(all(&report(&[])), vec![None; 4]);
        assert_eq!(all(&[]), vec![None; 4], "nothing reported yet");
        let busy = report(&[(DeviceKind::IdReader, DeviceHealth::Busy)]);
        assert_eq!(all(&busy), vec![None; 4]);
    }

    #[test]
    fn an_absent_or_faulty_id_reader_degrades_notary_and_progress_only() {
        let fault = DeviceHealth::Fault {
            reason: "SAM error".into(),
        };
        for health in [DeviceHealth::Absent, fault, DeviceHealth::NotFitted] {
            let report = report(&[(DeviceKind::IdReader, health)]);
            assert_eq!(
                all(&report),
                vec![
                    Some(Notice::NotaryWithoutIdReader),
                    None,
                    Some(Notice::ProgressWithoutIdReader),
                    None
                ]
            );
        }
    }

    #[test]
    fn a_missing_printer_means_receipts_on_screen() {
        let report = report(&[(DeviceKind::Printer, DeviceHealth::Absent)]);
        assert_eq!(
            all(&report),
            vec![
                Some(Notice::ReceiptsOnScreenOnly),
                Some(Notice::ReceiptsOnScreenOnly),
                None,
                Some(Notice::ReceiptsOnScreenOnly)
            ]
        );
    }

    #[test]
    fn the_most_important_missing_device_gives_the_notice() {
        let report = report(&[
            (DeviceKind::Printer, DeviceHealth::Absent),
            (DeviceKind::Camera, DeviceHealth::Absent),
            (DeviceKind::IdReader, DeviceHealth::Absent),
        ]);
        assert_eq!(
            notice(Service::Notary, &report),
            Some(Notice::NotaryWithoutIdReader)
        );
        let report = super::tests::report(&[
            (DeviceKind::Printer, DeviceHealth::Absent),
            (DeviceKind::Camera, DeviceHealth::NotFitted),
        ]);
        assert_eq!(
            notice(Service::Notary, &report),
            Some(Notice::NotaryWithoutCamera)
        );
    }

    #[test]
    fn devices_no_service_needs_do_not_matter() {
        let report = report(&[
            (DeviceKind::Gpio, DeviceHealth::Absent),
            (DeviceKind::Speaker, DeviceHealth::NotFitted),
            (DeviceKind::SmartCard, DeviceHealth::Absent),
        ]);
        assert_eq!(all(&report), vec![None; 4]);
    }
}
