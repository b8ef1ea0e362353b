//! Heartbeats: the UI timer and each worker bump their own heartbeat; the watchdog and the
//! health endpoint only call the app alive when every heartbeat is fresh. A frozen UI thread
//! stops bumping, so it is caught even while the async runtime keeps running happily.

use super::audit_fields::Component;
use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Each component with the time of its last beat (milliseconds since the registry's origin).
type BeatTable = Vec<(Component, Arc<AtomicU64>)>;

/// The registry of heartbeats of one process. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Heartbeats {
    origin: Instant,
    entries: Arc<Mutex<BeatTable>>,
}

/// One component's heartbeat. Call [`Heartbeat::beat`] from the loop that must stay alive
/// (the Slint timer callback for the UI, the loop body of a worker).
#[derive(Debug, Clone)]
pub struct Heartbeat {
    origin: Instant,
    last_ms: Arc<AtomicU64>,
}

impl Heartbeat {
    pub fn beat(&self) {
        self.last_ms
            .store(elapsed_ms(self.origin), Ordering::Relaxed);
    }
}

fn elapsed_ms(origin: Instant) -> u64 {
    u64::try_from(origin.elapsed().as_millis()).unwrap_or(u64::MAX)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComponentLiveness {
    pub component: Component,
    pub age_ms: u64,
    pub fresh: bool,
}

/// The state of all heartbeats at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Liveness {
    pub components: Vec<ComponentLiveness>,
}

impl Liveness {
    /// Healthy when at least one heartbeat is registered and all are fresh.
    pub fn healthy(&self) -> bool {
        !self.components.is_empty() && self.components.iter().all(|c| c.fresh)
    }

    pub fn stale(&self) -> impl Iterator<Item = &ComponentLiveness> {
        self.components.iter().filter(|c| !c.fresh)
    }
}

impl Default for Heartbeats {
    fn default() -> Self {
        Heartbeats::new()
    }
}

impl Heartbeats {
    pub fn new() -> Self {
        Heartbeats {
            origin: Instant::now(),
            entries: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// Registers a component (beating once now). Registering the same component again
    /// returns a handle to the same heartbeat.
    pub fn register(&self, component: Component) -> Heartbeat {
        let mut entries = self
            .entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let last_ms = match entries.iter().find(|(c, _)| *c == component) {
            Some((_, last)) => last.clone(),
            None => {
                let last = Arc::new(AtomicU64::new(0));
                entries.push((component, last.clone()));
                last
            }
        };
        let heartbeat = Heartbeat {
            origin: self.origin,
            last_ms,
        };
        heartbeat.beat();
        heartbeat
    }

    /// Time since the registry was created (the process uptime, in practice).
    pub fn uptime(&self) -> Duration {
        self.origin.elapsed()
    }

    /// Ages of all heartbeats; fresh means younger than `max_age`.
    pub fn liveness(&self, max_age: Duration) -> Liveness {
        let now = elapsed_ms(self.origin);
        let max_age_ms = u64::try_from(max_age.as_millis()).unwrap_or(u64::MAX);
        let entries = self
            .entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let components = entries
            .iter()
            .map(|(component, last)| {
                let age_ms = now.saturating_sub(last.load(Ordering::Relaxed));
                ComponentLiveness {
                    component: *component,
                    age_ms,
                    fresh: age_ms < max_age_ms,
                }
            })
            .collect();
        Liveness { components }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_component_that_stops_beating_goes_stale_alone() {
        let heartbeats = Heartbeats::new();
        assert!(
            !heartbeats.liveness(Duration::from_secs(1)).healthy(),
            "none registered"
        );
        let ui = heartbeats.register(Component::Ui);
        let worker = heartbeats.register(Component::Forwarder);
        assert!(heartbeats.liveness(Duration::from_millis(200)).healthy());
        std::thread::sleep(Duration::from_millis(60));
        worker.beat();
        let liveness = heartbeats.liveness(Duration::from_millis(40));
        let stale: Vec<Component> = liveness.stale().map(|c| c.component).collect();
        assert_eq!(stale, vec![Component::Ui]);
        ui.beat();
        assert!(heartbeats.liveness(Duration::from_millis(40)).healthy());
    }

    #[test]
    fn registering_twice_shares_the_heartbeat() {
        let heartbeats = Heartbeats::new();
        heartbeats.register(Component::Ui);
        heartbeats.register(Component::Ui);
        assert_eq!(
            heartbeats.liveness(Duration::from_secs(1)).components.len(),
            1
        );
    }
}
