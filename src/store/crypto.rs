//! Encryption at rest: AES-256-GCM with a key kept in a file outside the database, so a copied
//! database file alone reveals no personal data.

use super::StoreError;
use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 12;
/// Encrypted under the key and stored in the database, so a wrong key is detected at start
/// instead of when the first submission fails to decrypt.
const CHECK_PLAINTEXT: &[u8] = b"legal-kiosk store key check v1";
const CHECK_AAD: &[u8] = b"key-check";

/// The data key, loaded from `keys/store.key` (64 hex digits).
pub struct SealKey {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealKey(***)")
    }
}

impl SealKey {
    /// Reads the key file; `Ok(None)` when it does not exist.
    pub fn load(path: &Path) -> Result<Option<SealKey>, StoreError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(invalid(path, format!("cannot read: {e}"))),
        };
        let bytes =
            hex::decode(text.trim()).map_err(|_| invalid(path, "not hexadecimal".into()))?;
        if bytes.len() != KEY_LEN {
            return Err(invalid(
                path,
                format!("{} bytes, expected {KEY_LEN}", bytes.len()),
            ));
        }
        let cipher = Aes256Gcm::new_from_slice(&bytes)
            .map_err(|_| invalid(path, "wrong key length".into()))?;
        Ok(Some(SealKey { cipher }))
    }

    /// Creates a fresh random key file readable only by its owner (0600, directory 0700).
    pub fn create(path: &Path) -> Result<SealKey, StoreError> {
        let dir = path.parent().unwrap_or(Path::new("."));
        let dir_error = |source| StoreError::DataDir {
            path: dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(dir_error)?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(dir_error)?;
        let key: [u8; KEY_LEN] = rand::random();
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(|e| invalid(path, format!("cannot create: {e}")))?;
        file.write_all(hex::encode(key).as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| invalid(path, format!("cannot write: {e}")))?;
        let cipher = Aes256Gcm::new_from_slice(&key)
            .map_err(|_| invalid(path, "wrong key length".into()))?;
        Ok(SealKey { cipher })
    }

    /// `nonce || ciphertext+tag`; `aad` binds the blob to its row so blobs cannot be swapped.
    pub fn seal(&self, plaintext: &[u8], aad: &[u8]) -> Result<Vec<u8>, StoreError> {
        let nonce_bytes: [u8; NONCE_LEN] = rand::random();
        let nonce = Nonce::from_slice(&nonce_bytes);
        let payload = Payload {
            msg: plaintext,
            aad,
        };
        // Encryption fails only for inputs beyond GCM's 64 GiB limit.
        let ciphertext = self
            .cipher
            .encrypt(nonce, payload)
            .map_err(|_| StoreError::Encrypt)?;
        let mut out = Vec::with_capacity(NONCE_LEN + ciphertext.len());
        out.extend_from_slice(&nonce_bytes);
        out.extend_from_slice(&ciphertext);
        Ok(out)
    }

    /// Inverse of [`seal`](Self::seal); `None` when the blob was altered or the key is wrong.
    pub fn open(&self, sealed: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
        if sealed.len() < NONCE_LEN {
            return None;
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        let payload = Payload {
            msg: ciphertext,
            aad,
        };
        self.cipher.decrypt(Nonce::from_slice(nonce), payload).ok()
    }

    pub fn check_value(&self) -> Result<Vec<u8>, StoreError> {
        self.seal(CHECK_PLAINTEXT, CHECK_AAD)
    }

    pub fn matches_check_value(&self, sealed: &[u8]) -> bool {
        self.open(sealed, CHECK_AAD).as_deref() == Some(CHECK_PLAINTEXT)
    }
}

fn invalid(path: &Path, reason: String) -> StoreError {
    StoreError::KeyFileInvalid {
        path: PathBuf::from(path),
        reason,
    }
}
