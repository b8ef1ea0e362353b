//! Staff PINs, stored only as salted PBKDF2-HMAC-SHA256 hashes:
//! `pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>`.

use sha2::Sha256;
use std::fmt;
use std::str::FromStr;

/// Fewer iterations than this are refused when a hash is read (a weakened config file).
pub const MIN_ITERATIONS: u32 = 10_000;
/// What new hashes use: about a quarter of a second on a Raspberry Pi 4.
pub const DEFAULT_ITERATIONS: u32 = 200_000;
const SCHEME: &str = "pbkdf2-sha256";

#[derive(Clone, PartialEq, Eq)]
pub struct PinHash {
    iterations: u32,
    salt: Vec<u8>,
    hash: [u8; 32],
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PinError {
    #[error("a PIN is 4 to 12 digits")]
    BadPinFormat,
    #[error("a PIN hash looks like pbkdf2-sha256$ITERATIONS$SALT_HEX$HASH_HEX")]
    BadHashFormat,
    #[error("the PIN hash uses {0} iterations; at least {MIN_ITERATIONS} are required")]
    TooFewIterations(u32),
}

fn check_pin_format(pin: &str) -> Result<(), PinError> {
    if (4..=12).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(PinError::BadPinFormat)
    }
}

fn derive(pin: &str, salt: &[u8], iterations: u32) -> [u8; 32] {
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(pin.as_bytes(), salt, iterations, &mut out);
    out
}

impl PinHash {
    /// Hashes a new PIN with a random salt (provisioning tools and tests).
    pub fn create(pin: &str, iterations: u32) -> Result<PinHash, PinError> {
        check_pin_format(pin)?;
        if iterations < MIN_ITERATIONS {
            return Err(PinError::TooFewIterations(iterations));
        }
        let salt: [u8; 16] = rand::random();
        Ok(PinHash {
            iterations,
            salt: salt.to_vec(),
            hash: derive(pin, &salt, iterations),
        })
    }

    /// Constant-time comparison of the derived key.
    pub fn verify(&self, pin: &str) -> bool {
        if check_pin_format(pin).is_err() {
            return false;
        }
        let candidate = derive(pin, &self.salt, self.iterations);
        candidate
            .iter()
            .zip(self.hash.iter())
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
    }
}

impl FromStr for PinHash {
    type Err = PinError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut parts = text.split('$');
        let (Some(SCHEME), Some(iterations), Some(salt), Some(hash), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(PinError::BadHashFormat);
        };
        let iterations: u32 = iterations.parse().map_err(|_| PinError::BadHashFormat)?;
        if iterations < MIN_ITERATIONS {
            return Err(PinError::TooFewIterations(iterations));
        }
        let salt = hex::decode(salt).map_err(|_| PinError::BadHashFormat)?;
        let hash: [u8; 32] = hex::decode(hash)
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or(PinError::BadHashFormat)?;
        if salt.len() < 8 {
            return Err(PinError::BadHashFormat);
        }
        Ok(PinHash {
            iterations,
            salt,
            hash,
        })
    }
}

impl fmt::Display for PinHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{SCHEME}${}${}${}",
            self.iterations,
            hex::encode(&self.salt),
            hex::encode(self.hash)
        )
    }
}

impl fmt::Debug for PinHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PinHash({SCHEME}, {} iterations, ****)", self.iterations)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_pin_only_and_round_trips_as_text() {
        let hash = PinHash::create("482913", MIN_ITERATIONS).expect("hash");
        assert!(hash.verify("482913"));
        assert!(!hash.verify("482914"));
        assert!(!hash.verify("abc"));
        let parsed: PinHash = hash.to_string().parse().expect("parses");
        assert_eq!(parsed, hash);
        assert!(parsed.verify("482913"));
        assert!(!format!("{hash:?}").contains(&hex::encode(hash.hash)));
    }

    #[test]
    fn weak_or_malformed_hashes_are_refused() {
        assert_eq!(
            "pbkdf2-sha256$1000$00112233445566778899$00".parse::<PinHash>(),
            Err(PinError::TooFewIterations(1000))
        );
        assert_eq!("md5$x".parse::<PinHash>(), Err(PinError::BadHashFormat));
        let short_hash = format!("pbkdf2-sha256$20000${}${}", "00".repeat(16), "11".repeat(8));
        assert_eq!(short_hash.parse::<PinHash>(), Err(PinError::BadHashFormat));
        assert_eq!(
            PinHash::create("12", MIN_ITERATIONS),
            Err(PinError::BadPinFormat)
        );
    }
}
