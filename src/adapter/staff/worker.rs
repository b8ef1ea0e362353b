//! The staff worker thread: reads credentials, runs self-tests, prints, exports, probes and
//! retries off the UI thread, audits each action, and hands the results back to the UI's
//! poll timer through a channel.

use crate::domain::DeviceKind;
use crate::fleet::audit::{
    AuditEventId, AuditFields, Auditor, Outcome, PendingAction, ReasonCode, StaffIdHash,
};
use crate::fleet::audit_export::{export_bundle, export_target, ExportError, ExportReport};
use crate::fleet::kiosk_actions::KioskActions;
use crate::fleet::self_test::{run_self_test, SelfTestResult};
use crate::fleet::staff_registry::StaffCredential;
use crate::fleet::system_info::{probe_case_system, Reachability};
use crate::hal::manager::DeviceMonitor;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

/// The template pages searched for a staff finger (the module's whole library).
const FINGER_LIBRARY: u16 = 1000;
/// How long the reachability probe waits for the case system.
const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

pub(super) enum Job {
    ReadCard,
    ScanFinger,
    SelfTest(DeviceKind),
    PrintStatusTicket,
    Export,
    Probe,
    /// Parked outbox ids, or every parked item when `None`.
    Retry(Option<Vec<i64>>),
}

pub(super) enum Reply {
    Credential(Result<StaffCredential, String>),
    SelfTest(SelfTestResult),
    Ticket(Result<(), String>),
    Export(Result<ExportReport, ExportError>),
    Probe(Reachability),
    Retry(Result<u64, String>),
}

/// What the worker needs; all of it is shared with the rest of the app.
pub(super) struct WorkerContext {
    pub devices: Option<DeviceMonitor>,
    pub actions: Option<KioskActions>,
    pub auditor: Option<Auditor>,
    pub export_dir: Option<PathBuf>,
    pub case_url: String,
}

pub(super) struct Worker {
    jobs: Sender<(Job, Option<StaffIdHash>)>,
    replies: Receiver<Reply>,
}

impl Worker {
    pub(super) fn start(context: WorkerContext) -> Worker {
        let (jobs, job_rx) = mpsc::channel::<(Job, Option<StaffIdHash>)>();
        let (reply_tx, replies) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("staff-worker".into())
            .spawn(move || {
                for (job, staff) in job_rx {
                    let reply = context.run(job, staff);
                    if reply_tx.send(reply).is_err() {
                        break;
                    }
                }
            });
        if let Err(error) = spawned {
            tracing::error!(%error, "staff worker thread not started");
        }
        Worker { jobs, replies }
    }

    pub(super) fn send(&self, job: Job, staff: Option<StaffIdHash>) {
        if self.jobs.send((job, staff)).is_err() {
            tracing::error!("staff worker has stopped");
        }
    }

    pub(super) fn ready(&self) -> Vec<Reply> {
        self.replies.try_iter().collect()
    }
}

impl WorkerContext {
    fn run(&self, job: Job, staff: Option<StaffIdHash>) -> Reply {
        match job {
            Job::ReadCard => Reply::Credential(self.read_card()),
            Job::ScanFinger => Reply::Credential(self.scan_finger()),
            Job::SelfTest(kind) => Reply::SelfTest(self.self_test(kind, staff)),
            Job::PrintStatusTicket => Reply::Ticket(self.print_ticket()),
            Job::Export => Reply::Export(self.export()),
            Job::Probe => Reply::Probe(probe_case_system(&self.case_url, PROBE_TIMEOUT)),
            Job::Retry(ids) => Reply::Retry(self.retry(ids.as_deref(), staff)),
        }
    }

    fn devices(&self) -> Result<std::sync::MutexGuard<'_, crate::hal::manager::Devices>, String> {
        let monitor = self.devices.as_ref().ok_or("no devices are open")?;
        Ok(monitor.devices.lock().unwrap_or_else(|p| p.into_inner()))
    }

    fn read_card(&self) -> Result<StaffCredential, String> {
        let mut devices = self.devices()?;
        let reader = devices
            .smart_card
            .as_mut()
            .ok_or("no staff card reader is fitted")?;
        let uid = reader.uid().map_err(|e| e.to_string())?;
        Ok(StaffCredential::Card { uid })
    }

    fn scan_finger(&self) -> Result<StaffCredential, String> {
        let mut devices = self.devices()?;
        let module = &mut devices
            .fingerprint
            .as_mut()
            .ok_or("no fingerprint module is fitted")?
            .driver;
        let hit = module.identify(FINGER_LIBRARY).map_err(|e| e.to_string())?;
        // A finger that matches no template is an unknown credential (counted towards the
        // lockout like an unknown card): u16::MAX lies beyond every module's library.
        let template_id = hit.map_or(u16::MAX, |hit| hit.page);
        Ok(StaffCredential::Fingerprint { template_id })
    }

    fn begin(&self, id: AuditEventId, fields: AuditFields) -> Option<PendingAction> {
        let auditor = self.auditor.as_ref()?;
        auditor
            .begin(id, fields)
            .map_err(|error| tracing::warn!(%error, "audit write failed"))
            .ok()
    }

    fn complete(&self, pending: Option<PendingAction>, outcome: Outcome, fields: AuditFields) {
        if let (Some(auditor), Some(pending)) = (&self.auditor, pending) {
            if let Err(error) = auditor.complete(pending, outcome, fields) {
                tracing::warn!(%error, "audit write failed");
            }
        }
    }

    fn self_test(&self, kind: DeviceKind, staff: Option<StaffIdHash>) -> SelfTestResult {
        let fields = AuditFields {
            device_kind: Some(kind.into()),
            staff_id_hash: staff,
            ..AuditFields::default()
        };
        let pending = self.begin(AuditEventId::DeviceSelfTest, fields.clone());
        let result = match &self.devices {
            Some(monitor) => run_self_test(&monitor.devices, kind),
            None => SelfTestResult {
                device: kind,
                passed: false,
                detail: "no devices are open".into(),
            },
        };
        let outcome = if result.passed {
            Outcome::Success
        } else {
            Outcome::Failure(ReasonCode::DeviceError)
        };
        self.complete(pending, outcome, fields);
        result
    }

    fn print_ticket(&self) -> Result<(), String> {
        let actions = self.actions.as_ref().ok_or("no store")?;
        let pending = self.begin(AuditEventId::StatusTicketPrint, AuditFields::default());
        let printed = actions.print_status_ticket();
        let (outcome, count) = match &printed {
            Ok(_) => (Outcome::Success, 1),
            Err(_) => (Outcome::Failure(ReasonCode::DeviceError), 0),
        };
        let fields = AuditFields {
            count: Some(count),
            ..AuditFields::default()
        };
        self.complete(pending, outcome, fields);
        printed.map(|_| ()).map_err(|e| e.to_string())
    }

    fn export(&self) -> Result<ExportReport, ExportError> {
        let actions = self
            .actions
            .as_ref()
            .ok_or_else(|| ExportError::NoTarget("no store".into()))?;
        let pending = self.begin(AuditEventId::AuditExport, AuditFields::default());
        let mounts = std::fs::read_to_string("/proc/mounts").unwrap_or_default();
        let exported = export_target(self.export_dir.as_deref(), &mounts)
            .and_then(|target| export_bundle(&actions.store, &actions.kiosk_id, &target));
        let (outcome, count) = match &exported {
            Ok(report) => (Outcome::Success, Some(report.audit_events)),
            Err(_) => (Outcome::Failure(ReasonCode::DeviceError), None),
        };
        self.complete(
            pending,
            outcome,
            AuditFields {
                count,
                ..AuditFields::default()
            },
        );
        exported
    }

    fn retry(&self, ids: Option<&[i64]>, staff: Option<StaffIdHash>) -> Result<u64, String> {
        let actions = self.actions.as_ref().ok_or("no store")?;
        let pending = self.begin(AuditEventId::ParkedItemsRetry, AuditFields::default());
        let actor = staff.as_ref().map_or_else(
            || "staff".to_owned(),
            |hash| format!("staff:{}", hash.as_str()),
        );
        let retried = actions.retry_parked(ids, &actor);
        let (outcome, count) = match &retried {
            Ok(count) => (Outcome::Success, *count),
            Err(_) => (Outcome::Failure(ReasonCode::HandlerFailed), 0),
        };
        self.complete(
            pending,
            outcome,
            AuditFields {
                count: Some(count),
                ..AuditFields::default()
            },
        );
        retried.map_err(|e| e.to_string())
    }
}
