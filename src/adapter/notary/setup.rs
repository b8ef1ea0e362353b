//! The journey's deployment setup: catalogue, fee schedule and office from `kiosk.toml`,
//! which devices are fitted, and the per-deployment ID-number digest key.

use crate::config::KioskConfig;
use crate::core::notary::text::Bilingual;
use crate::core::notary::{Catalogue, FeeSchedule, IdDigestKey, JourneySetup, OfficeInfo};
use crate::hal::manager::DeviceMonitor;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The digest key's file inside the data directory (next to the store's key).
pub const ID_DIGEST_KEY_FILE: &str = "keys/id-digest.key";
const KEY_BYTES: usize = 32;

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("notary catalogue: {0}")]
    Catalogue(#[from] crate::core::notary::CatalogueError),
    #[error("notary fee schedule: {0}")]
    Fees(#[from] crate::core::notary::FeeError),
    #[error("ID-number digest key {}: {reason}", path.display())]
    Key { path: PathBuf, reason: String },
}

/// Builds the setup; devices decide `camera_fitted`. A card matcher for the fingerprint
/// mark is a vendor component this build does not have, so fingerprint checks are recorded
/// as unavailable and the notary checks in person.
pub fn journey_setup(
    config: &KioskConfig,
    devices: Option<&DeviceMonitor>,
) -> Result<JourneySetup, SetupError> {
    let fees = match &config.notary.fee_schedule {
        Some(path) => FeeSchedule::load(path)?,
        None => FeeSchedule::example()?,
    };
    let camera_fitted = devices
        .and_then(|d| d.devices.lock().ok().map(|d| d.camera.is_some()))
        .unwrap_or(false);
    Ok(JourneySetup {
        catalogue: Arc::new(Catalogue::shipped()?),
        fees: Arc::new(fees),
        office: office_info(config),
        kiosk_id: config.kiosk.id.clone(),
        camera_fitted,
        fingerprint_fitted: false,
        id_digest_key: load_or_create_key(&config.kiosk.data_dir.join(ID_DIGEST_KEY_FILE))?,
    })
}

pub fn office_info(config: &KioskConfig) -> OfficeInfo {
    let office = &config.office;
    let hall_en = config
        .kiosk
        .hall_en
        .as_deref()
        .unwrap_or(&config.kiosk.hall);
    OfficeInfo {
        centre_name: Bilingual::new(config.kiosk.hall.as_str(), hall_en),
        office_name: Bilingual::new(office.name.as_str(), office.name_en.as_str()),
        office_address: Bilingual::new(office.address.as_str(), office.address_en.as_str()),
        office_hours: Bilingual::new(office.hours.as_str(), office.hours_en.as_str()),
        counter_hours: Bilingual::new(office.hours.as_str(), office.hours_en.as_str()),
        phone: office.phone.clone(),
        privacy_contact: config
            .notary
            .privacy_contact
            .clone()
            .unwrap_or_else(|| office.phone.clone()),
    }
}

/// Reads the deployment's digest key, creating a random one (0600) on first start. It is
/// never a constant: a digest made with a public key could be reversed by trying every ID
/// number.
pub fn load_or_create_key(path: &Path) -> Result<IdDigestKey, SetupError> {
    let fail = |reason: String| SetupError::Key {
        path: path.to_path_buf(),
        reason,
    };
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let bytes = hex::decode(text.trim()).map_err(|_| fail("not hexadecimal".into()))?;
            if bytes.len() != KEY_BYTES {
                return Err(fail(format!("{} bytes, expected {KEY_BYTES}", bytes.len())));
            }
            return Ok(IdDigestKey::new(bytes));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(fail(format!("cannot read: {e}"))),
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| fail(format!("cannot create its directory: {e}")))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
        .map_err(|e| fail(format!("cannot restrict its directory: {e}")))?;
    let key: [u8; KEY_BYTES] = rand::random();
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| fail(format!("cannot create: {e}")))?;
    file.write_all(hex::encode(key).as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| fail(format!("cannot write: {e}")))?;
    Ok(IdDigestKey::new(key.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::notary::id_number_digest;

    #[test]
    fn the_key_is_random_per_deployment_and_stable_across_starts() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let first = load_or_create_key(&a.path().join(ID_DIGEST_KEY_FILE)).unwrap();
        let again = load_or_create_key(&a.path().join(ID_DIGEST_KEY_FILE)).unwrap();
        let other = load_or_create_key(&b.path().join(ID_DIGEST_KEY_FILE)).unwrap();
        let digest = |k: &IdDigestKey| id_number_digest(k, "11010519900307002X");
        assert_eq!(digest(&first), digest(&again));
        assert_ne!(digest(&first), digest(&other));
        let mode = std::fs::metadata(a.path().join(ID_DIGEST_KEY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn a_damaged_key_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        std::fs::write(&path, "zz").unwrap();
        assert!(matches!(
            load_or_create_key(&path),
            Err(SetupError::Key { .. })
        ));
        std::fs::write(&path, "abcd").unwrap();
        assert!(matches!(
            load_or_create_key(&path),
            Err(SetupError::Key { .. })
        ));
    }
}
