//! `kiosk.toml`: the one configuration file of a kiosk.
//!
//! Parsing is strict: unknown keys, wrong types and bad paths are refused with the file, the
//! line and the full key named, because a kiosk that starts with a half-understood config
//! fails later, at night, in front of a citizen. `KioskConfig::demo` is the built-in demo
//! configuration that needs no file.

mod accessibility;
mod calendar;
mod devices;
mod error;
mod fleet;
mod legal_aid;
mod locate;
mod notary;
pub mod telephony;

pub use accessibility::{AccessibilitySection, VOLUME_LEVELS};
pub use calendar::CalendarSection;
pub use devices::*;
pub use error::ConfigError;
pub use fleet::{BrokerUrl, FleetConfigError, FleetSection};
pub use legal_aid::LegalAidPolicy;
pub use notary::NotarySection;
pub use telephony::{LineSection, TelephonySection};

use crate::domain::Language;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// A check of the sections whose meaning belongs to a module above `config`, run once the
/// file has parsed (the notary journey reads the fee schedule `[notary] fee_schedule` names,
/// and `[office.calendar]`'s days and times): `Err((dotted key, message))`.
pub type SectionCheck = fn(&KioskConfig) -> Result<(), (Vec<String>, String)>;

/// The whole configuration. Every section has defaults except `[kiosk]`, which names the
/// kiosk and must be written by the deployer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KioskConfig {
    pub kiosk: KioskSection,
    #[serde(default)]
    pub office: OfficeSection,
    #[serde(default)]
    pub idle: IdleSection,
    #[serde(default)]
    pub case_system: CaseSystemSection,
    #[serde(default)]
    pub store: StoreSection,
    #[serde(default)]
    pub fleet: FleetSection,
    #[serde(default)]
    pub devices: DevicesSection,
    #[serde(default)]
    pub accessibility: AccessibilitySection,
    /// `[legal_aid]`: the province's economic-difficulty standard. Without it the kiosk has
    /// no means test to apply and the pre-check sends citizens to staff.
    #[serde(default)]
    pub legal_aid: Option<LegalAidPolicy>,
    /// `[notary]`: the office's fee schedule, the personal-information controller and its
    /// contact, and whether the office's form needs 民族.
    #[serde(default)]
    pub notary: NotarySection,
    /// `[telephony]`: the SIP line for "talk to a person". Without it the kiosk offers the
    /// call-back request only.
    #[serde(default)]
    pub telephony: Option<TelephonySection>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KioskSection {
    /// Stable identity of this kiosk in the fleet, e.g. `SZ-FT-001`.
    pub id: String,
    /// Name of the hall, shown on every screen header and receipt.
    pub hall: String,
    #[serde(default)]
    pub hall_en: Option<String>,
    #[serde(default)]
    pub language: Language,
    #[serde(default)]
    pub orientation: Orientation,
    /// Database, key file and attachments live here.
    pub data_dir: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Orientation {
    #[default]
    Portrait,
    Landscape,
}

impl Orientation {
    /// Logical window size in pixels for this orientation.
    pub fn size(self) -> (u32, u32) {
        match self {
            Orientation::Portrait => (1080, 1920),
            Orientation::Landscape => (1920, 1080),
        }
    }
}

/// The notary office / legal-service centre this kiosk belongs to.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficeSection {
    pub name: String,
    pub name_en: String,
    pub address: String,
    pub address_en: String,
    pub hours: String,
    pub hours_en: String,
    pub phone: String,
    /// `[office.calendar]`: when the office works; without it the receipt does not say when
    /// the application is taken up.
    #[serde(default)]
    pub calendar: Option<CalendarSection>,
    /// `[office.area]`: the area the office serves (公证法 art. 25). With it the notary
    /// journey asks whether the matter is connected with the area before anything personal
    /// is collected; without it the kiosk does not check.
    #[serde(default)]
    pub area: Option<AreaSection>,
}

/// The area a notary office serves, as citizens name it (e.g. 示例市, 示例市某某区).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaSection {
    pub name: String,
    pub name_en: String,
}

impl Default for OfficeSection {
    fn default() -> Self {
        OfficeSection {
            name: "示例市公证处".into(),
            name_en: "Example City Notary Office".into(),
            address: "示例市人民路 1 号公共法律服务中心 2 楼".into(),
            address_en: "2F, Public Legal Service Centre, 1 Renmin Road, Example City".into(),
            hours: "周一至周五 9:00–12:00, 13:30–17:30".into(),
            hours_en: "Mon–Fri 9:00–12:00, 13:30–17:30".into(),
            phone: "12348".into(),
            calendar: Some(CalendarSection::weekdays_nine_to_half_past_five()),
            area: Some(AreaSection {
                name: "示例市".into(),
                name_en: "Example City".into(),
            }),
        }
    }
}

/// Idle handling: after `warn_after_s` without a touch the kiosk asks "continue?" and counts
/// down `countdown_s`; then the session is wiped. Elderly mode multiplies both.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdleSection {
    #[serde(default = "default_warn_after")]
    pub warn_after_s: u32,
    #[serde(default = "default_countdown")]
    pub countdown_s: u32,
    #[serde(default = "default_elderly_factor")]
    pub elderly_factor: u32,
}

fn default_warn_after() -> u32 {
    90
}
fn default_countdown() -> u32 {
    30
}
fn default_elderly_factor() -> u32 {
    2
}

impl Default for IdleSection {
    fn default() -> Self {
        IdleSection {
            warn_after_s: default_warn_after(),
            countdown_s: default_countdown(),
            elderly_factor: default_elderly_factor(),
        }
    }
}

/// Where submissions are forwarded. Plain `http://` is accepted only for loopback.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseSystemSection {
    pub base_url: String,
    /// PEM file with the office's CA certificate; the only root trusted for `https://`.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// PEM files with this kiosk's client certificate and key (mutual TLS).
    #[serde(default)]
    pub client_cert: Option<PathBuf>,
    #[serde(default)]
    pub client_key: Option<PathBuf>,
    #[serde(default = "default_timeout")]
    pub timeout_s: u32,
    /// First retry waits up to this long; each failure doubles it (full jitter) up to `retry_cap_s`.
    #[serde(default = "default_retry_base_ms")]
    pub retry_base_ms: u64,
    #[serde(default = "default_retry_cap_s")]
    pub retry_cap_s: u64,
    /// Deliveries in flight at once.
    #[serde(default = "default_max_in_flight")]
    pub max_in_flight: u32,
}

fn default_timeout() -> u32 {
    15
}
fn default_retry_base_ms() -> u64 {
    1000
}
fn default_retry_cap_s() -> u64 {
    300
}
fn default_max_in_flight() -> u32 {
    4
}

/// `[store]`: the local database in `kiosk.data_dir`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreSection {
    /// New submissions are refused ("please see staff") below this much free space.
    #[serde(default = "default_min_free_mb")]
    pub min_free_mb: u64,
    /// Days the non-personal remainder (receipt number, kind, times, state) of a delivered
    /// submission is kept; personal data is purged as soon as the case system acknowledges.
    #[serde(default = "default_retention_days")]
    pub retention_days: u32,
}

fn default_min_free_mb() -> u64 {
    256
}
fn default_retention_days() -> u32 {
    90
}

impl Default for StoreSection {
    fn default() -> Self {
        StoreSection {
            min_free_mb: default_min_free_mb(),
            retention_days: default_retention_days(),
        }
    }
}

impl Default for CaseSystemSection {
    fn default() -> Self {
        CaseSystemSection {
            base_url: "http://127.0.0.1:8480".into(),
            ca_file: None,
            client_cert: None,
            client_key: None,
            timeout_s: default_timeout(),
            retry_base_ms: default_retry_base_ms(),
            retry_cap_s: default_retry_cap_s(),
            max_in_flight: default_max_in_flight(),
        }
    }
}

impl KioskConfig {
    /// Reads, parses and validates a config file, then runs `checks` over it.
    pub fn load(path: &Path, checks: &[SectionCheck]) -> Result<KioskConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            file: path.to_path_buf(),
            source,
        })?;
        Self::parse_checked(&text, path, checks)
    }

    /// Parses and validates config text, then runs `checks` over it; their problems are
    /// reported like config's own, with the file, line and key.
    pub fn parse_checked(
        text: &str,
        file: &Path,
        checks: &[SectionCheck],
    ) -> Result<KioskConfig, ConfigError> {
        let config = Self::parse(text, file)?;
        for check in checks {
            check(&config)
                .map_err(|(key, message)| ConfigError::invalid(file, text, &key, message))?;
        }
        Ok(config)
    }

    /// Parses and validates config text; `file` is only used in error messages and to
    /// resolve relative paths.
    pub fn parse(text: &str, file: &Path) -> Result<KioskConfig, ConfigError> {
        let deserializer = toml::Deserializer::parse(text)
            .map_err(|e| ConfigError::from_toml(file, text, &[], e))?;
        let mut config: KioskConfig =
            serde_path_to_error::deserialize(deserializer).map_err(|e| {
                let path: Vec<String> = locate::path_segments(e.path());
                ConfigError::from_toml(file, text, &path, e.into_inner())
            })?;
        let base = file.parent().unwrap_or(Path::new("."));
        config.resolve_relative_paths(base);
        config.validate(text, file)?;
        Ok(config)
    }

    /// The built-in demo configuration: simulated devices, a throw-away data directory and
    /// the in-process reference case server on loopback.
    pub fn demo(data_dir: PathBuf) -> KioskConfig {
        KioskConfig {
            kiosk: KioskSection {
                id: "DEMO-0001".into(),
                hall: "示例市公共法律服务中心 24小时自助厅".into(),
                hall_en: Some(
                    "Example City Public Legal Service Centre · 24h Self-Service Hall".into(),
                ),
                language: Language::Zh,
                orientation: Orientation::Portrait,
                data_dir,
            },
            office: OfficeSection::default(),
            idle: IdleSection::default(),
            case_system: CaseSystemSection::default(),
            store: StoreSection::default(),
            fleet: FleetSection::default(),
            devices: DevicesSection::demo(),
            accessibility: AccessibilitySection::default(),
            legal_aid: Some(legal_aid::demo_example()),
            notary: NotarySection {
                controller: Some("示例市公证处".into()),
                controller_en: Some("Example City Notary Office".into()),
                privacy_contact: Some(
                    "示例市公证处个人信息保护联系人，电话 010-6000 0000 转 8（工作日 9:00–17:30）"
                        .into(),
                ),
                ..NotarySection::default()
            },
            telephony: None,
        }
    }

    /// True when any configured device is a simulator (the UI then shows the DEMO banner).
    pub fn uses_simulators(&self) -> bool {
        self.devices.any_simulated()
    }

    fn resolve_relative_paths(&mut self, base: &Path) {
        let fix = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        fix(&mut self.kiosk.data_dir);
        if let Some(p) = &mut self.notary.fee_schedule {
            fix(p);
        }
        if let Some(telephony) = &mut self.telephony {
            telephony.resolve_relative_paths(base);
        }
        for p in [
            &mut self.case_system.ca_file,
            &mut self.case_system.client_cert,
            &mut self.case_system.client_key,
        ]
        .into_iter()
        .flatten()
        {
            fix(p);
        }
    }

    fn validate(&self, text: &str, file: &Path) -> Result<(), ConfigError> {
        let invalid = |key: &[&str], message: String| {
            let key: Vec<String> = key.iter().map(|s| s.to_string()).collect();
            ConfigError::invalid(file, text, &key, message)
        };
        if self.kiosk.id.trim().is_empty() {
            return Err(invalid(&["kiosk", "id"], "must not be empty".into()));
        }
        let data_parent = self.kiosk.data_dir.parent().unwrap_or(Path::new("/"));
        if !self.kiosk.data_dir.is_dir() && !data_parent.is_dir() {
            return Err(invalid(
                &["kiosk", "data_dir"],
                format!(
                    "neither {} nor its parent directory exists",
                    self.kiosk.data_dir.display()
                ),
            ));
        }
        if self.idle.warn_after_s < 10 || self.idle.countdown_s < 5 {
            return Err(invalid(
                &["idle", "warn_after_s"],
                "the idle warning needs at least 10 s and the countdown at least 5 s".into(),
            ));
        }
        validate_case_url(&self.case_system.base_url)
            .map_err(|m| invalid(&["case_system", "base_url"], m))?;
        for (key, path) in [
            ("ca_file", &self.case_system.ca_file),
            ("client_cert", &self.case_system.client_cert),
            ("client_key", &self.case_system.client_key),
        ] {
            if let Some(p) = path {
                if !p.is_file() {
                    return Err(invalid(
                        &["case_system", key],
                        format!("file {} does not exist", p.display()),
                    ));
                }
            }
        }
        self.accessibility
            .validate()
            .map_err(|(key, message)| invalid(&["accessibility", key], message))?;
        self.notary
            .validate()
            .map_err(|(key, message)| invalid(&["notary", key], message))?;
        self.devices
            .validate()
            .map_err(|(key, message)| invalid(&key, message))?;
        self.fleet.validate().map_err(|e| {
            let key = match e {
                FleetConfigError::HealthNotLoopback(_) => "health_listen",
                FleetConfigError::ZeroInterval => "publish_interval_s",
                FleetConfigError::HalfClientIdentity => "client_cert",
                _ => "broker_url",
            };
            invalid(&["fleet", key], e.to_string())
        })?;
        if let Some(policy) = &self.legal_aid {
            legal_aid::validate(policy).map_err(|(key, m)| invalid(&["legal_aid", key], m))?;
        }
        Ok(())
    }
}

/// `https://` anywhere; `http://` only to loopback (tests and the demo), so personal data
/// never crosses a network in clear text.
fn validate_case_url(url: &str) -> Result<(), String> {
    if let Some(rest) = url.strip_prefix("http://") {
        let host = rest.split(['/', ':']).next().unwrap_or("");
        if matches!(host, "127.0.0.1" | "localhost" | "[::1]") || rest.starts_with("[::1]") {
            return Ok(());
        }
        return Err(format!(
            "plain http is allowed only to loopback; use https:// for {host}"
        ));
    }
    if url.starts_with("https://") && url.len() > "https://".len() {
        return Ok(());
    }
    Err(format!("`{url}` is not an http(s) URL"))
}

#[cfg(test)]
mod tests;
