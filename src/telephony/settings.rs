//! What the engine needs to start baresip: built from `[telephony]` by the kiosk, or
//! directly by tests (which point the audio at files instead of a sound card).

use crate::config::telephony::{MediaEncryption, Transport};
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct EngineSettings {
    /// The baresip executable (Debian: /usr/bin/baresip).
    pub baresip: PathBuf,
    /// Where baresip's modules are (Debian: /usr/lib/baresip/modules).
    pub module_path: PathBuf,
    /// A private directory the engine writes baresip's `config` and `accounts` into.
    pub runtime_dir: PathBuf,
    /// SIP over UDP and TCP on this port, TLS on the next one (baresip's own rule).
    pub sip_listen: SocketAddr,
    /// baresip's control socket; always loopback.
    pub control_listen: SocketAddr,
    pub rtp_ports: (u16, u16),
    /// Local address for SIP and media (baresip's `net_interface`); `None`: baresip picks.
    pub bind_address: Option<IpAddr>,
    pub account: AccountSettings,
    pub audio: AudioDevices,
    pub no_answer_after: Duration,
    /// baresip's console output; `None` discards it (the kiosk keeps no call logs).
    pub log_file: Option<PathBuf>,
}

/// The kiosk's SIP identity.
#[derive(Clone)]
pub struct AccountSettings {
    /// Address of record, e.g. `sip:kiosk-sz-ft-001@pbx.notary.example`.
    pub aor: String,
    /// Outbound proxy / registrar URI; `None`: no registration, lines dialled directly.
    pub registrar: Option<String>,
    pub auth_user: Option<String>,
    /// Read from the credentials file; never in kiosk.toml, never logged.
    pub password: Option<String>,
    pub transport: Transport,
    pub media_encryption: MediaEncryption,
    /// CA certificate baresip trusts for SIP over TLS.
    pub ca_file: Option<PathBuf>,
    /// Seconds between re-registrations.
    pub register_interval_s: u32,
}

impl fmt::Debug for AccountSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccountSettings")
            .field("aor", &self.aor)
            .field("registrar", &self.registrar)
            .field("auth_user", &self.auth_user)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("transport", &self.transport)
            .field("media_encryption", &self.media_encryption)
            .field("ca_file", &self.ca_file)
            .finish()
    }
}

// How baresip spells the `[telephony]` values (config holds them as written).
impl Transport {
    pub fn name(self) -> &'static str {
        match self {
            Transport::Udp => "udp",
            Transport::Tcp => "tcp",
            Transport::Tls => "tls",
        }
    }
}

impl MediaEncryption {
    /// baresip's `mediaenc` value and the module that implements it.
    pub fn baresip(self) -> Option<(&'static str, &'static str)> {
        match self {
            MediaEncryption::None => None,
            MediaEncryption::Srtp => Some(("srtp", "srtp")),
            MediaEncryption::SrtpMandatory => Some(("srtp-mand", "srtp")),
            MediaEncryption::DtlsSrtp => Some(("dtls_srtp", "dtls_srtp")),
        }
    }
}

/// baresip audio devices as `<module>,<device>`, e.g. `alsa,default` or `alsa,plughw:1,0`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioDevices {
    pub player: String,
    pub source: String,
}

impl Default for AudioDevices {
    fn default() -> Self {
        AudioDevices {
            player: "alsa,default".into(),
            source: "alsa,default".into(),
        }
    }
}
