use std::path::PathBuf;

/// Everything that can go wrong in the store. Each variant names what to do about it, because
/// the kiosk shows staff a "please see staff" screen rather than a stack trace.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create or read the data directory {}: {source}", path.display())]
    DataDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error(
        "the database schema is version {found}, newer than this software understands (up to {supported}); \
         install the matching or a newer legal-kiosk instead of downgrading"
    )]
    SchemaTooNew { found: i64, supported: i64 },
    #[error(
        "the key file {} is missing but the database holds encrypted data; restore the key file \
         from provisioning (a new key would make every stored submission unreadable)",
        path.display()
    )]
    KeyMissing { path: PathBuf },
    #[error(
        "the key file {} does not match this database (the stored check value does not decrypt); \
         restore the right key file",
        path.display()
    )]
    WrongKey { path: PathBuf },
    #[error("the key file {} is unusable: {reason}", path.display())]
    KeyFileInvalid { path: PathBuf, reason: String },
    #[error(
        "disk nearly full: {free_bytes} bytes free in the data directory, below the threshold of \
         {threshold_bytes}; new submissions are refused until space is freed (nothing stored is dropped)"
    )]
    DiskNearlyFull {
        free_bytes: u64,
        threshold_bytes: u64,
    },
    #[error("cannot determine free space of {}: {source}", path.display())]
    FreeSpace {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the corrupt database could not be moved aside to {}: {source}", to.display())]
    Quarantine {
        to: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("stored data of submission {receipt} does not decrypt (tampered or wrong key)")]
    Decrypt { receipt: String },
    /// Written by a newer version of the kiosk (after a rollback to this one): kept as it is
    /// for the newer version, never sent half-understood.
    #[error("submission {receipt} has an attachment of a kind this version does not know ({role}): written by a newer version")]
    NewerAttachmentRole { receipt: String, role: String },
    #[error("the payload of submission {receipt} is no longer stored (delivered and purged)")]
    Purged { receipt: String },
    #[error("no outbox entry {0}")]
    NoSuchEntry(i64),
    #[error("outbox entry {id} is {state}, only parked entries can be retried")]
    NotParked { id: i64, state: String },
    #[error("store task failed: {0}")]
    TaskFailed(String),
    #[error("data too large to encrypt")]
    Encrypt,
    #[error("attachment {position} refused: {reason}")]
    InvalidAttachment { position: usize, reason: String },
    #[error("payload cannot be serialised: {0}")]
    Payload(#[from] serde_json::Error),
}
