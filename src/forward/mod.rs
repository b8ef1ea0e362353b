//! Forwarding: the relay that drains the outbox to the case system, and the case-system adapter trait.
