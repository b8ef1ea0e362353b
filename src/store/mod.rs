//! Durable store: SQLite (WAL, synchronous=FULL), submissions, outbox, audit log, encryption at rest.
