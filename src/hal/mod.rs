//! Hardware abstraction layer: one trait per device, a real driver and a simulator behind each.
