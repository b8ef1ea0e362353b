//! The allow-list of staff credentials (`staff.toml` in the data directory, written by the
//! provisioning tool). Card UIDs are stored only as salted SHA-256 hashes and PINs only as
//! PBKDF2 hashes, so a copied config file reveals neither.
//!
//! ```toml
//! salt = "9f2c…"                       # hex, per kiosk
//! [[staff]]
//! id = "S07"                           # office staff code, never a name
//! card_uid_sha256 = "…"                # hex SHA-256(salt ‖ card UID bytes)
//! fingerprint_ids = [12]               # template ids enrolled on the staff fingerprint module
//! pin = "pbkdf2-sha256$200000$…$…"
//! ```

use super::audit_fields::StaffIdHash;
use super::pin::{PinError, PinHash};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::fmt;

/// What a staff member presents before the PIN.
#[derive(Clone, PartialEq, Eq)]
pub enum StaffCredential {
    Card { uid: Vec<u8> },
    Fingerprint { template_id: u16 },
}

impl fmt::Debug for StaffCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StaffCredential::Card { uid } => write!(f, "Card(uid: {} bytes, masked)", uid.len()),
            StaffCredential::Fingerprint { template_id } => write!(f, "Fingerprint({template_id})"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct StaffMember {
    pub id_hash: StaffIdHash,
    card_uid_sha256: Option<[u8; 32]>,
    fingerprint_ids: Vec<u16>,
    pub(super) pin: PinHash,
}

#[derive(Debug, Clone)]
pub struct StaffRegistry {
    salt: Vec<u8>,
    members: Vec<StaffMember>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StaffRegistryError {
    #[error("staff file does not parse: {0}")]
    Parse(String),
    #[error("staff file: salt must be at least 16 bytes of hex")]
    BadSalt,
    #[error("staff entry {index}: card_uid_sha256 must be 64 hex digits")]
    BadCardHash { index: usize },
    #[error("staff entry {index}: {source}")]
    BadPin { index: usize, source: PinError },
    #[error("staff entry {index}: needs a card or a fingerprint")]
    NoCredential { index: usize },
    #[error("staff entry {index}: id must be 1 to 32 characters of A-Z, a-z, 0-9, '-'")]
    BadId { index: usize },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistryFile {
    salt: String,
    #[serde(default)]
    staff: Vec<MemberEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberEntry {
    id: String,
    #[serde(default)]
    card_uid_sha256: Option<String>,
    #[serde(default)]
    fingerprint_ids: Vec<u16>,
    pin: String,
}

/// SHA-256(salt ‖ uid): how a card UID is stored and compared.
pub fn card_uid_hash(salt: &[u8], uid: &[u8]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(salt);
    hasher.update(uid);
    hasher.finalize().into()
}

impl StaffRegistry {
    pub fn parse(text: &str) -> Result<StaffRegistry, StaffRegistryError> {
        let file: RegistryFile =
            toml::from_str(text).map_err(|error| StaffRegistryError::Parse(error.to_string()))?;
        let salt = hex::decode(&file.salt).map_err(|_| StaffRegistryError::BadSalt)?;
        if salt.len() < 16 {
            return Err(StaffRegistryError::BadSalt);
        }
        let members = file
            .staff
            .into_iter()
            .enumerate()
            .map(|(index, entry)| {
                let id_ok = (1..=32).contains(&entry.id.len())
                    && entry
                        .id
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-');
                if !id_ok {
                    return Err(StaffRegistryError::BadId { index });
                }
                let card_uid_sha256 = entry
                    .card_uid_sha256
                    .map(|text| {
                        hex::decode(text)
                            .ok()
                            .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
                            .ok_or(StaffRegistryError::BadCardHash { index })
                    })
                    .transpose()?;
                if card_uid_sha256.is_none() && entry.fingerprint_ids.is_empty() {
                    return Err(StaffRegistryError::NoCredential { index });
                }
                let pin = entry
                    .pin
                    .parse()
                    .map_err(|source| StaffRegistryError::BadPin { index, source })?;
                Ok(StaffMember {
                    id_hash: StaffIdHash::derive(&salt, &entry.id),
                    card_uid_sha256,
                    fingerprint_ids: entry.fingerprint_ids,
                    pin,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(StaffRegistry { salt, members })
    }

    /// The staff member a credential belongs to, if any.
    pub fn find(&self, credential: &StaffCredential) -> Option<&StaffMember> {
        self.position(credential).map(|index| &self.members[index])
    }

    pub(super) fn position(&self, credential: &StaffCredential) -> Option<usize> {
        match credential {
            StaffCredential::Card { uid } => {
                let hash = card_uid_hash(&self.salt, uid);
                self.members
                    .iter()
                    .position(|member| member.card_uid_sha256 == Some(hash))
            }
            StaffCredential::Fingerprint { template_id } => self
                .members
                .iter()
                .position(|member| member.fingerprint_ids.contains(template_id)),
        }
    }

    pub(super) fn members(&self) -> &[StaffMember] {
        &self.members
    }

    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}

/// One staff member as the provisioning tool writes them.
#[derive(Debug, Clone, Copy)]
pub struct StaffEntrySpec<'a> {
    pub id: &'a str,
    pub card_uid: Option<&'a [u8]>,
    pub fingerprint_ids: &'a [u16],
    pub pin: &'a PinHash,
}

/// The `staff.toml` text for the given members (provisioning tools and tests).
pub fn render_registry(salt: &[u8], members: &[StaffEntrySpec<'_>]) -> String {
    let mut out = format!("salt = \"{}\"\n", hex::encode(salt));
    for member in members {
        out.push_str(&format!("\n[[staff]]\nid = \"{}\"\n", member.id));
        if let Some(uid) = member.card_uid {
            out.push_str(&format!(
                "card_uid_sha256 = \"{}\"\n",
                hex::encode(card_uid_hash(salt, uid))
            ));
        }
        out.push_str(&format!(
            "fingerprint_ids = {:?}\npin = \"{}\"\n",
            member.fingerprint_ids, member.pin
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::pin::MIN_ITERATIONS;

    #[test]
    fn credentials_are_found_by_salted_hash_only() {
        let pin = PinHash::create("1234", MIN_ITERATIONS).expect("pin");
        let salt = [7u8; 16];
        let text = render_registry(
            &salt,
            &[StaffEntrySpec {
                id: "S07",
                card_uid: Some(b"\x04\xA2\x19\x7F"),
                fingerprint_ids: &[12],
                pin: &pin,
            }],
        );
        assert!(!text.contains("04a2197f"), "the UID itself is never stored");
        let registry = StaffRegistry::parse(&text).expect("valid registry");
        let by_card = registry.find(&StaffCredential::Card {
            uid: b"\x04\xA2\x19\x7F".to_vec(),
        });
        assert!(by_card.is_some());
        assert!(registry
            .find(&StaffCredential::Fingerprint { template_id: 12 })
            .is_some());
        assert!(registry
            .find(&StaffCredential::Card {
                uid: b"\x04\xA2\x19\x7E".to_vec()
            })
            .is_none());
        assert!(!format!("{:?}", StaffCredential::Card { uid: vec![0xA2] }).contains("a2"));
    }

    #[test]
    fn bad_entries_are_refused_with_their_index() {
        let pin = PinHash::create("1234", MIN_ITERATIONS).expect("pin");
        let salt = "00".repeat(16);
        let no_credential = format!("salt = \"{salt}\"\n[[staff]]\nid = \"S1\"\npin = \"{pin}\"\n");
        assert_eq!(
            StaffRegistry::parse(&no_credential).err(),
            Some(StaffRegistryError::NoCredential { index: 0 })
        );
        let weak_pin = format!(
            "salt = \"{salt}\"\n[[staff]]\nid = \"S1\"\nfingerprint_ids = [1]\npin = \"1234\"\n"
        );
        assert!(matches!(
            StaffRegistry::parse(&weak_pin),
            Err(StaffRegistryError::BadPin { index: 0, .. })
        ));
        assert_eq!(
            StaffRegistry::parse("salt = \"00\"").err(),
            Some(StaffRegistryError::BadSalt)
        );
    }
}
