//! Reference case server: the case-system protocol of `docs/case-system-api.md`, with fault injection.
