//! The systemd watchdog (`Type=notify`, `WatchdogSec=`): READY=1 once at start, then
//! WATCHDOG=1 only while every heartbeat is fresher than half the watchdog timeout. If the UI
//! freezes, the pings stop and systemd restarts the app.

use super::audit::{AuditEventId, AuditFields, Auditor, ReasonCode};
use super::heartbeat::Heartbeats;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A message to the service manager.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotifyMessage {
    Ready,
    Watchdog,
    Stopping,
    Status(String),
}

/// Sends notifications to the service manager; [`SdNotifier`] on a real system.
pub trait ServiceNotifier: Send + Sync {
    fn notify(&self, message: &NotifyMessage) -> std::io::Result<()>;
}

/// `sd_notify(3)` through `$NOTIFY_SOCKET` (a no-op when the variable is unset).
#[derive(Debug, Clone, Copy, Default)]
pub struct SdNotifier;

impl ServiceNotifier for SdNotifier {
    fn notify(&self, message: &NotifyMessage) -> std::io::Result<()> {
        use sd_notify::NotifyState;
        let state = match message {
            NotifyMessage::Ready => NotifyState::Ready,
            NotifyMessage::Watchdog => NotifyState::Watchdog,
            NotifyMessage::Stopping => NotifyState::Stopping,
            NotifyMessage::Status(text) => NotifyState::Status(text),
        };
        sd_notify::notify(false, &[state])
    }
}

/// The watchdog timeout systemd asked for (`$WATCHDOG_USEC`), if any. `$WATCHDOG_PID`, when
/// set, must name this process (a child must not ping on behalf of its parent).
pub fn watchdog_timeout_from_env() -> Option<Duration> {
    let usec: u64 = std::env::var("WATCHDOG_USEC").ok()?.parse().ok()?;
    if let Ok(pid) = std::env::var("WATCHDOG_PID") {
        if pid.parse::<u32>().ok()? != std::process::id() {
            return None;
        }
    }
    (usec > 0).then(|| Duration::from_micros(usec))
}

/// How the watchdog loop turns heartbeats into pings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchdogTiming {
    /// `WatchdogSec`.
    pub timeout: Duration,
}

impl WatchdogTiming {
    /// Heartbeats older than this make the app unhealthy: half the timeout, so systemd sees a
    /// missing ping well before it would have restarted a healthy but slow app.
    pub fn max_heartbeat_age(&self) -> Duration {
        self.timeout / 2
    }

    /// Pings four times per timeout, so one late tick never triggers a restart.
    pub fn ping_interval(&self) -> Duration {
        (self.timeout / 4).max(Duration::from_millis(10))
    }
}

/// Runs until the task is dropped or aborted: pings while healthy, audits each change
/// between healthy and unhealthy, and keeps the service status line current.
pub async fn run_watchdog(
    heartbeats: Heartbeats,
    notifier: Arc<dyn ServiceNotifier>,
    timing: WatchdogTiming,
    auditor: Option<Auditor>,
) {
    let mut ticker = tokio::time::interval(timing.ping_interval());
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut unhealthy_since: Option<Instant> = None;
    loop {
        ticker.tick().await;
        let liveness = heartbeats.liveness(timing.max_heartbeat_age());
        if liveness.healthy() {
            if let Err(error) = notifier.notify(&NotifyMessage::Watchdog) {
                tracing::warn!(%error, "watchdog ping failed");
            }
            if let Some(since) = unhealthy_since.take() {
                tracing::info!("all heartbeats fresh again");
                let _ = notifier.notify(&NotifyMessage::Status("healthy".into()));
                record(
                    &auditor,
                    AuditEventId::WatchdogRecovered,
                    AuditFields {
                        duration_ms: Some(millis(since.elapsed())),
                        ..AuditFields::default()
                    },
                );
            }
        } else if unhealthy_since.is_none() {
            unhealthy_since = Some(Instant::now());
            let stale: Vec<&str> = liveness.stale().map(|c| c.component.name()).collect();
            tracing::error!(stale = ?stale, "heartbeat stale; withholding watchdog pings");
            let _ = notifier.notify(&NotifyMessage::Status(format!(
                "unhealthy: stale {}",
                stale.join(", ")
            )));
            for component in liveness.stale() {
                record(
                    &auditor,
                    AuditEventId::WatchdogUnhealthy,
                    AuditFields {
                        component: Some(component.component),
                        duration_ms: Some(component.age_ms),
                        ..AuditFields::default()
                    },
                );
            }
        }
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

fn record(auditor: &Option<Auditor>, id: AuditEventId, fields: AuditFields) {
    if let Some(auditor) = auditor {
        if let Err(error) = auditor.single(id, fields) {
            tracing::warn!(%error, reason = ReasonCode::HeartbeatStale.code(), "audit write failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::audit::MemoryAuditSink;
    use crate::fleet::audit_fields::Component;
    use std::sync::Mutex;

    #[derive(Default)]
    struct RecordingNotifier {
        messages: Mutex<Vec<NotifyMessage>>,
    }

    impl ServiceNotifier for RecordingNotifier {
        fn notify(&self, message: &NotifyMessage) -> std::io::Result<()> {
            self.messages
                .lock()
                .map_err(|_| std::io::Error::other("poisoned"))?
                .push(message.clone());
            Ok(())
        }
    }

    impl RecordingNotifier {
        fn pings(&self) -> usize {
            self.messages
                .lock()
                .map(|m| m.iter().filter(|m| **m == NotifyMessage::Watchdog).count())
                .unwrap_or(0)
        }
    }

    #[tokio::test]
    async fn pings_stop_while_a_heartbeat_is_stale_and_resume_after() {
        let heartbeats = Heartbeats::new();
        let ui = heartbeats.register(Component::Ui);
        let notifier = Arc::new(RecordingNotifier::default());
        let sink = Arc::new(MemoryAuditSink::default());
        let timing = WatchdogTiming {
            timeout: Duration::from_millis(400),
        };
        let task = tokio::spawn(run_watchdog(
            heartbeats.clone(),
            notifier.clone(),
            timing,
            Some(Auditor::new(sink.clone())),
        ));
        for _ in 0..6 {
            ui.beat();
            tokio::time::sleep(Duration::from_millis(40)).await;
        }
        let healthy_pings = notifier.pings();
        assert!(healthy_pings >= 2, "pinged while healthy: {healthy_pings}");
        // Freeze: no beats for several timeouts.
        tokio::time::sleep(Duration::from_millis(400)).await;
        let at_freeze = notifier.pings();
        tokio::time::sleep(Duration::from_millis(600)).await;
        assert_eq!(notifier.pings(), at_freeze, "no pings while frozen");
        for _ in 0..6 {
            ui.beat();
            tokio::time::sleep(Duration::from_millis(40)).await;
        }
        assert!(notifier.pings() > at_freeze, "pings resume after recovery");
        task.abort();
        let ids: Vec<AuditEventId> = sink.events().iter().map(|e| e.id).collect();
        assert_eq!(
            ids,
            vec![
                AuditEventId::WatchdogUnhealthy,
                AuditEventId::WatchdogRecovered
            ]
        );
        assert_eq!(sink.events()[0].fields.component, Some(Component::Ui));
    }
}
