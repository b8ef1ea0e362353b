//! `[notary]`: what the notary journey needs beyond `[office]`.

use serde::Deserialize;
use std::path::PathBuf;

/// The notary journey's deployment settings. Which matters ask for a fingerprint stays in
/// the catalogue (`data/notary/matters.toml`); the ID-number digest key is generated in the
/// data directory (`keys/id-digest.key`) on first use, never configured.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotarySection {
    /// The office's own fee schedule (TOML, the format of `data/notary/fees.example.toml`).
    /// Without it the shipped EXAMPLE schedule is used and every estimate says so.
    #[serde(default)]
    pub fee_schedule: Option<PathBuf>,
    /// The personal-information processor named in the consent notice (PIPL art. 17 (1)):
    /// a legal person such as 某某市某某公证处, not the hall the kiosk stands in. Defaults to
    /// `[office] name`.
    #[serde(default)]
    pub controller: Option<String>,
    #[serde(default)]
    pub controller_en: Option<String>,
    /// Contact for personal-information requests named in the consent notice; defaults to
    /// the office's phone number.
    #[serde(default)]
    pub privacy_contact: Option<String>,
    /// The office's application form has a 民族 field. Without it the kiosk neither keeps
    /// nor sends the card's 民族 entry (PIPL art. 6: only what the purpose needs).
    #[serde(default)]
    pub ethnicity_on_office_form: bool,
}

impl NotarySection {
    /// `Err((key, message))` naming a key that is set but empty. The fee schedule's file is
    /// the notary journey's format, checked by `core::notary::check_config`.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        for (key, value) in [
            ("controller", &self.controller),
            ("controller_en", &self.controller_en),
            ("privacy_contact", &self.privacy_contact),
        ] {
            if value.as_deref().is_some_and(|c| c.trim().is_empty()) {
                return Err((key, "must not be empty".into()));
            }
        }
        if self.controller_en.is_some() && self.controller.is_none() {
            return Err((
                "controller_en",
                "needs `controller` (the Chinese name)".into(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::config::KioskConfig;
    use std::path::Path;

    const MINIMAL: &str = "[kiosk]\nid = \"K-1\"\nhall = \"厅\"\ndata_dir = \"/tmp\"\n";

    fn parse(extra: &str) -> Result<KioskConfig, crate::config::ConfigError> {
        KioskConfig::parse(&format!("{MINIMAL}{extra}"), Path::new("/etc/kiosk.toml"))
    }

    #[test]
    fn the_controller_and_privacy_contact_come_from_the_file() {
        let config = parse(
            "[notary]\ncontroller = \"某某市某某公证处\"\ncontroller_en = \"XX Notary Office\"\nprivacy_contact = \"0755-1234 5678\"\n",
        )
        .unwrap();
        assert_eq!(
            config.notary.controller.as_deref(),
            Some("某某市某某公证处")
        );
        assert_eq!(
            config.notary.privacy_contact.as_deref(),
            Some("0755-1234 5678")
        );
        assert!(
            !config.notary.ethnicity_on_office_form,
            "民族 is not sent by default"
        );
        let err = parse("[notary]\ncontroller = \" \"\n").unwrap_err();
        assert!(err.to_string().contains("notary.controller"), "{err}");
        let err = parse("[notary]\ncontroller_en = \"XX\"\n").unwrap_err();
        assert!(err.to_string().contains("notary.controller_en"), "{err}");
    }

    #[test]
    fn unknown_keys_are_refused() {
        let err = parse("[notary]\nfees = \"x\"\n").unwrap_err();
        assert!(err.to_string().contains("fees"), "{err}");
    }
}
