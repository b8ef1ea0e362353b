//! The journey's deployment setup: catalogue, fee schedule and office from `kiosk.toml`,
//! which devices are fitted, and the per-deployment ID-number digest key.

use crate::config::KioskConfig;
use crate::core::notary::calendar::OfficeCalendar;
use crate::core::notary::jurisdiction::{Jurisdiction, JurisdictionError, JurisdictionRules};
use crate::core::notary::{Catalogue, FeeSchedule, IdDigestKey, JourneySetup, OfficeInfo};
use crate::domain::Bilingual;
use crate::hal::manager::DeviceMonitor;
use crate::store::Store;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("notary catalogue: {0}")]
    Catalogue(#[from] crate::core::notary::CatalogueError),
    #[error("notary fee schedule: {0}")]
    Fees(#[from] crate::core::notary::FeeError),
    #[error("notary jurisdiction rules: {0}")]
    Jurisdiction(#[from] JurisdictionError),
    #[error("ID-number digest key: {0}")]
    Key(String),
}

/// Builds the setup; devices decide `camera_fitted`. A card matcher for the fingerprint
/// mark is a vendor component this build does not have, so fingerprint checks are recorded
/// as unavailable and the notary checks in person.
pub fn journey_setup(
    config: &KioskConfig,
    devices: Option<&DeviceMonitor>,
    store: Option<&Store>,
) -> Result<JourneySetup, SetupError> {
    let fees = match &config.notary.fee_schedule {
        Some(path) => FeeSchedule::load(path)?,
        None => FeeSchedule::example()?,
    };
    let camera_fitted = devices
        .and_then(|d| d.devices.lock().ok().map(|d| d.camera.is_some()))
        .unwrap_or(false);
    let catalogue = Catalogue::shipped()?;
    let jurisdiction = match &config.office.area {
        Some(area) => {
            let rules = JurisdictionRules::shipped()?;
            rules.check_against(&catalogue)?;
            Some(Arc::new(Jurisdiction {
                area: Bilingual::new(area.name.as_str(), area.name_en.as_str()),
                rules,
            }))
        }
        None => None,
    };
    Ok(JourneySetup {
        catalogue: Arc::new(catalogue),
        jurisdiction,
        fees: Arc::new(fees),
        office: office_info(config),
        kiosk_id: config.kiosk.id.clone(),
        camera_fitted,
        fingerprint_fitted: false,
        id_digest_key: id_digest_key(store)?,
        collect_ethnicity: config.notary.ethnicity_on_office_form,
    })
}

/// The office as the journey names it. The personal-information processor is the legal
/// person configured as `[notary] controller` (by default the notary office), never the hall.
pub fn office_info(config: &KioskConfig) -> OfficeInfo {
    let office = &config.office;
    let notary = &config.notary;
    let controller = match &notary.controller {
        Some(zh) => Bilingual::new(zh.as_str(), notary.controller_en.as_deref().unwrap_or(zh)),
        None => Bilingual::new(office.name.as_str(), office.name_en.as_str()),
    };
    OfficeInfo {
        controller,
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
        // Validated with the configuration at load.
        calendar: office
            .calendar
            .as_ref()
            .and_then(|c| OfficeCalendar::try_from(c).ok()),
    }
}

/// The kiosk's ID-number digest key: the one the store derives from its key file, so the
/// progress query (which uses the same key) can match the applicant's card later. Without a
/// store (screenshots) nothing can be submitted and a throw-away random key does.
fn id_digest_key(store: Option<&Store>) -> Result<IdDigestKey, SetupError> {
    match store {
        Some(store) => store
            .id_digest_secret()
            .map(IdDigestKey::new)
            .map_err(|e| SetupError::Key(e.to_string())),
        None => Ok(IdDigestKey::new(rand::random::<[u8; 32]>().to_vec())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::notary::id_number_digest;

    #[test]
    fn the_journey_digests_with_the_key_the_progress_query_uses() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let config = KioskConfig::demo(dir.path().to_path_buf());
        let setup = journey_setup(&config, None, Some(&store)).unwrap();
        let progress_key = IdDigestKey::new(store.id_digest_secret().unwrap());
        let digest = |k: &IdDigestKey| id_number_digest(k, "11010519900307002X");
        assert_eq!(digest(&setup.id_digest_key), digest(&progress_key));

        let other = tempfile::tempdir().unwrap();
        let other_store = Store::open(other.path()).unwrap();
        let other_setup = journey_setup(&config, None, Some(&other_store)).unwrap();
        assert_ne!(
            digest(&setup.id_digest_key),
            digest(&other_setup.id_digest_key),
            "each kiosk has its own key"
        );
    }
}
