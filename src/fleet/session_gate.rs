//! Whether a citizen session currently holds data. Staff mode, remote commands and image
//! updates all refuse to act while it is set, so nobody's half-finished application is lost.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Shared flag set by the session state machine when a citizen session starts holding data
/// and cleared when the session ends and its data is stored or discarded.
#[derive(Debug, Clone, Default)]
pub struct CitizenSessionGate {
    active: Arc<AtomicBool>,
}

impl CitizenSessionGate {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn set_active(&self, active: bool) {
        self.active.store(active, Ordering::SeqCst);
    }

    pub fn is_active(&self) -> bool {
        self.active.load(Ordering::SeqCst)
    }
}
