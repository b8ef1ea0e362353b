//! Lockout after wrong staff PINs: each failure locks staff login for a delay that doubles
//! (1 s, 2 s, 4 s, … up to a cap). The state survives restarts through [`LockoutStore`], so
//! pulling the plug does not reset the counter.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    pub first_delay: Duration,
    pub max_delay: Duration,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        LockoutPolicy {
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(15 * 60),
        }
    }
}

impl LockoutPolicy {
    /// The lock after `failures` consecutive failures: 0 for none, then doubling, capped.
    pub fn delay_after(&self, failures: u32) -> Duration {
        if failures == 0 {
            return Duration::ZERO;
        }
        let factor = 1u32.checked_shl(failures - 1).unwrap_or(u32::MAX);
        self.first_delay
            .checked_mul(factor)
            .map_or(self.max_delay, |delay| delay.min(self.max_delay))
    }
}

/// The persisted state: how many failures in a row, and until when login is locked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockoutState {
    pub consecutive_failures: u32,
    pub locked_until_unix_ms: Option<u64>,
}

impl LockoutState {
    /// How long login stays locked from `now`. Never more than the policy's cap, so a wall
    /// clock that jumped backwards cannot lock staff out for days.
    pub fn remaining(&self, now: SystemTime, policy: &LockoutPolicy) -> Duration {
        let Some(until) = self.locked_until_unix_ms else {
            return Duration::ZERO;
        };
        let until = UNIX_EPOCH + Duration::from_millis(until);
        until
            .duration_since(now)
            .map_or(Duration::ZERO, |left| left.min(policy.max_delay))
    }

    /// Records one more failure at `now`; returns the new lock delay.
    pub fn register_failure(&mut self, now: SystemTime, policy: &LockoutPolicy) -> Duration {
        self.consecutive_failures = self.consecutive_failures.saturating_add(1);
        let delay = policy.delay_after(self.consecutive_failures);
        self.locked_until_unix_ms = Some(unix_ms(now + delay));
        delay
    }

    pub fn reset(&mut self) {
        *self = LockoutState::default();
    }
}

fn unix_ms(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |since| {
        u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
    })
}

#[derive(Debug, thiserror::Error)]
pub enum LockoutStoreError {
    #[error("lockout state file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("lockout state file {path} is corrupt: {message}")]
    Corrupt { path: PathBuf, message: String },
}

/// Where the lockout state lives between restarts.
pub trait LockoutStore: Send {
    fn load(&self) -> Result<LockoutState, LockoutStoreError>;
    fn save(&self, state: &LockoutState) -> Result<(), LockoutStoreError>;
}

/// A small JSON file in the data directory, replaced atomically (write + fsync + rename).
#[derive(Debug, Clone)]
pub struct FileLockoutStore {
    path: PathBuf,
}

impl FileLockoutStore {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        FileLockoutStore { path: path.into() }
    }

    fn io_error(&self, source: std::io::Error) -> LockoutStoreError {
        LockoutStoreError::Io {
            path: self.path.clone(),
            source,
        }
    }
}

impl LockoutStore for FileLockoutStore {
    fn load(&self) -> Result<LockoutState, LockoutStoreError> {
        match std::fs::read(&self.path) {
            Ok(bytes) => {
                serde_json::from_slice(&bytes).map_err(|error| LockoutStoreError::Corrupt {
                    path: self.path.clone(),
                    message: error.to_string(),
                })
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                Ok(LockoutState::default())
            }
            Err(error) => Err(self.io_error(error)),
        }
    }

    fn save(&self, state: &LockoutState) -> Result<(), LockoutStoreError> {
        use std::io::Write;
        let dir = self
            .path
            .parent()
            .filter(|dir| !dir.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."));
        let mut file = tempfile::NamedTempFile::new_in(dir).map_err(|e| self.io_error(e))?;
        let json = serde_json::to_vec(state).map_err(|error| LockoutStoreError::Corrupt {
            path: self.path.clone(),
            message: error.to_string(),
        })?;
        file.write_all(&json)
            .and_then(|()| file.as_file().sync_all())
            .map_err(|e| self.io_error(e))?;
        file.persist(&self.path)
            .map_err(|error| self.io_error(error.error))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_and_are_capped() {
        let policy = LockoutPolicy {
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
        };
        let delays: Vec<u64> = (0..9).map(|n| policy.delay_after(n).as_secs()).collect();
        assert_eq!(delays, vec![0, 1, 2, 4, 8, 16, 32, 60, 60]);
        assert_eq!(policy.delay_after(u32::MAX), Duration::from_secs(60));
    }

    #[test]
    fn remaining_lock_counts_down_and_is_capped_after_a_clock_jump() {
        let policy = LockoutPolicy::default();
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let mut state = LockoutState::default();
        state.register_failure(now, &policy);
        state.register_failure(now, &policy);
        assert_eq!(state.remaining(now, &policy), Duration::from_secs(2));
        assert_eq!(
            state.remaining(now + Duration::from_secs(3), &policy),
            Duration::ZERO
        );
        let long_ago = UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        assert_eq!(state.remaining(long_ago, &policy), policy.max_delay);
    }

    #[test]
    fn the_file_store_survives_a_restart_and_reports_corruption() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("staff-lockout.json");
        let store = FileLockoutStore::new(&path);
        assert_eq!(
            store.load().expect("missing file is empty state"),
            LockoutState::default()
        );
        let state = LockoutState {
            consecutive_failures: 3,
            locked_until_unix_ms: Some(42),
        };
        store.save(&state).expect("save");
        assert_eq!(FileLockoutStore::new(&path).load().expect("load"), state);
        std::fs::write(&path, b"{not json").expect("corrupt it");
        assert!(matches!(
            store.load(),
            Err(LockoutStoreError::Corrupt { .. })
        ));
    }
}
