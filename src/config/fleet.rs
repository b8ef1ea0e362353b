//! The `[fleet]` section of kiosk.toml: health endpoint, MQTT telemetry and remote commands.
//!
//! ```toml
//! [fleet]
//! health_listen = "127.0.0.1:8089"        # loopback only
//! broker_url = "mqtts://fleet.example.gov.cn:8883"
//! ca_file = "/etc/legal-kiosk/fleet-ca.pem"
//! client_cert = "/etc/legal-kiosk/kiosk.crt"
//! client_key = "/etc/legal-kiosk/kiosk.key"
//! operations_public_key = "/etc/legal-kiosk/operations.pub"   # 64 hex digits (ed25519)
//! staff_file = "/var/lib/legal-kiosk/staff.toml"
//! export_dir = "/media/usb0"                # staff exports; default: first stick under /media
//! image_info_file = "/etc/legal-kiosk-image"
//! ```

use serde::Deserialize;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Where the image recipe records the image's identity (`KEY=VALUE` lines).
const IMAGE_INFO_FILE: &str = "/etc/legal-kiosk-image";

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FleetSection {
    /// The local health endpoint (`/healthz`, `/session`, `/metrics`). Must be a loopback
    /// address: it is for the image updater and on-site tools, never the network.
    pub health_listen: SocketAddr,
    /// `mqtt://host:port` or `mqtts://host:port`; no telemetry when absent.
    pub broker_url: Option<String>,
    /// CA certificate (PEM) that signed the broker's certificate; required for `mqtts://`.
    pub ca_file: Option<PathBuf>,
    /// Client certificate and key (PEM) for mutual TLS; both or neither.
    pub client_cert: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
    /// Seconds between state publications.
    pub publish_interval_s: u64,
    /// The operations centre's ed25519 public key (64 hex digits); remote commands are
    /// refused when absent.
    pub operations_public_key: Option<PathBuf>,
    /// How old a signed command may be, in seconds, before it is refused as expired.
    pub command_max_age_s: u64,
    /// The staff allow-list (`staff.toml`); staff mode cannot open when absent.
    pub staff_file: Option<PathBuf>,
    /// Where staff exports go; when absent, the first removable medium mounted under
    /// `/media` or `/run/media`.
    pub export_dir: Option<PathBuf>,
    /// The image's identity (`IMAGE_VERSION=`, `IMAGE_HASH=` lines) shown to staff.
    pub image_info_file: PathBuf,
}

impl Default for FleetSection {
    fn default() -> Self {
        FleetSection {
            health_listen: SocketAddr::from(([127, 0, 0, 1], 8089)),
            broker_url: None,
            ca_file: None,
            client_cert: None,
            client_key: None,
            publish_interval_s: 60,
            operations_public_key: None,
            command_max_age_s: 300,
            staff_file: None,
            export_dir: None,
            image_info_file: PathBuf::from(IMAGE_INFO_FILE),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FleetConfigError {
    #[error("fleet.health_listen must be a loopback address, got {0}")]
    HealthNotLoopback(SocketAddr),
    #[error("fleet.broker_url must look like mqtt://host:port or mqtts://host:port, got {0:?}")]
    BadBrokerUrl(String),
    #[error("fleet.broker_url uses mqtts:// but fleet.ca_file is not set")]
    TlsWithoutCa,
    #[error("fleet.client_cert and fleet.client_key must be set together")]
    HalfClientIdentity,
    #[error("fleet.publish_interval_s and fleet.command_max_age_s must be at least 1")]
    ZeroInterval,
}

/// A parsed broker address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokerUrl {
    pub tls: bool,
    pub host: String,
    pub port: u16,
}

impl BrokerUrl {
    pub fn parse(url: &str) -> Result<BrokerUrl, FleetConfigError> {
        let bad = || FleetConfigError::BadBrokerUrl(url.to_owned());
        let (tls, rest) = if let Some(rest) = url.strip_prefix("mqtts://") {
            (true, rest)
        } else if let Some(rest) = url.strip_prefix("mqtt://") {
            (false, rest)
        } else {
            return Err(bad());
        };
        let (host, port) = rest.rsplit_once(':').ok_or_else(bad)?;
        let port: u16 = port.parse().map_err(|_| bad())?;
        let host_ok = !host.is_empty()
            && host.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'[' | b']' | b':')
            });
        if !host_ok || port == 0 {
            return Err(bad());
        }
        Ok(BrokerUrl {
            tls,
            host: host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned(),
            port,
        })
    }
}

impl FleetSection {
    /// Checks what serde cannot: call after loading kiosk.toml.
    pub fn validate(&self) -> Result<Option<BrokerUrl>, FleetConfigError> {
        if !self.health_listen.ip().is_loopback() {
            return Err(FleetConfigError::HealthNotLoopback(self.health_listen));
        }
        if self.publish_interval_s == 0 || self.command_max_age_s == 0 {
            return Err(FleetConfigError::ZeroInterval);
        }
        if self.client_cert.is_some() != self.client_key.is_some() {
            return Err(FleetConfigError::HalfClientIdentity);
        }
        let broker = self
            .broker_url
            .as_deref()
            .map(BrokerUrl::parse)
            .transpose()?;
        if broker.as_ref().is_some_and(|b| b.tls) && self.ca_file.is_none() {
            return Err(FleetConfigError::TlsWithoutCa);
        }
        Ok(broker)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<FleetSection, toml::de::Error> {
        toml::from_str(text)
    }

    #[test]
    fn defaults_are_loopback_and_without_broker() {
        let section = parse("").expect("empty section");
        assert_eq!(section, FleetSection::default());
        assert_eq!(section.validate(), Ok(None));
        assert_eq!(section.health_listen.to_string(), "127.0.0.1:8089");
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused() {
        assert!(parse("brokr_url = \"mqtt://x:1\"").is_err());
        let public = parse("health_listen = \"0.0.0.0:8089\"").expect("parses");
        assert!(matches!(
            public.validate(),
            Err(FleetConfigError::HealthNotLoopback(_))
        ));
        let tls = parse("broker_url = \"mqtts://broker.local:8883\"").expect("parses");
        assert_eq!(tls.validate(), Err(FleetConfigError::TlsWithoutCa));
        let half = parse("client_cert = \"/a.pem\"").expect("parses");
        assert_eq!(half.validate(), Err(FleetConfigError::HalfClientIdentity));
    }

    #[test]
    fn broker_urls_parse() {
        assert_eq!(
            BrokerUrl::parse("mqtts://fleet.example.cn:8883"),
            Ok(BrokerUrl {
                tls: true,
                host: "fleet.example.cn".into(),
                port: 8883
            })
        );
        assert_eq!(
            BrokerUrl::parse("mqtt://127.0.0.1:1883").map(|b| b.tls),
            Ok(false)
        );
        for bad in [
            "http://x:1",
            "mqtt://x",
            "mqtt://:1",
            "mqtt://x:0",
            "mqtt://x y:1",
        ] {
            assert!(BrokerUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
