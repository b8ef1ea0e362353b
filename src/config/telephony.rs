//! `[telephony]`: the kiosk's SIP line for "talk to a person", as written. The password lives
//! in a credentials file (never in kiosk.toml), and `[[telephony.line]]` says who is called
//! when. What the section means (lines, engine settings, the checks) is `telephony`'s.

use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelephonySection {
    /// The kiosk's SIP address of record, e.g. `sip:kiosk-001@pbx.notary.example`.
    pub account: String,
    /// The office's SIP server (registrar / outbound proxy), e.g. `sip:pbx.notary.example`.
    /// Leave out to dial lines directly without registering (a hall PBX that trusts the
    /// kiosk's address).
    #[serde(default)]
    pub registrar: Option<String>,
    /// Authentication user name (default: the user part of `account`).
    #[serde(default)]
    pub auth_user: Option<String>,
    /// File whose first line is the SIP password (0600, outside kiosk.toml). Required with
    /// a registrar.
    #[serde(default)]
    pub credentials_file: Option<PathBuf>,
    /// `udp`, `tcp` or `tls`.
    #[serde(default)]
    pub transport: Transport,
    /// `none`, `srtp`, `srtp-mandatory` or `dtls-srtp`, where the server offers it.
    #[serde(default)]
    pub media_encryption: MediaEncryption,
    /// CA certificate (PEM) the SIP TLS connection is checked against.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// Local SIP address (UDP/TCP on this port, TLS on the next).
    #[serde(default = "default_sip_listen")]
    pub sip_listen: SocketAddr,
    /// Loopback port of baresip's control socket.
    #[serde(default = "default_control_port")]
    pub control_port: u16,
    /// `[first, last]` UDP ports for the call's audio.
    #[serde(default = "default_rtp_ports")]
    pub rtp_ports: [u16; 2],
    /// Seconds a call may ring before the kiosk gives up and offers a call-back request.
    #[serde(default = "default_no_answer_timeout")]
    pub no_answer_timeout_s: u32,
    /// baresip audio devices `<module>,<device>`: the handset or the kiosk's speaker and
    /// microphone.
    #[serde(default = "default_audio")]
    pub audio_player: String,
    #[serde(default = "default_audio")]
    pub audio_source: String,
    /// Seconds between re-registrations.
    #[serde(default = "default_register_interval")]
    pub register_interval_s: u32,
    /// Who is called when; the first line whose days and hours contain the time is called.
    pub line: Vec<LineSection>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineSection {
    /// Stable slug, `[a-z0-9-]`: what the audit log records.
    pub id: String,
    /// Who answers, as the call screen names them (Chinese, then English).
    pub name: String,
    pub name_en: String,
    /// `sip:` / `sips:` URI, e.g. `sip:12348@pbx.notary.example`.
    pub uri: String,
    /// 1 = Monday … 7 = Sunday; default every day.
    #[serde(default = "every_day")]
    pub weekdays: Vec<u8>,
    /// "09:00"; `until` before `from` runs past midnight; equal means all day.
    #[serde(default = "midnight")]
    pub from: String,
    #[serde(default = "midnight")]
    pub until: String,
}

fn default_sip_listen() -> SocketAddr {
    SocketAddr::from(([0, 0, 0, 0], 5060))
}
fn default_control_port() -> u16 {
    4444
}
fn default_rtp_ports() -> [u16; 2] {
    [10000, 10099]
}
fn default_no_answer_timeout() -> u32 {
    45
}
fn default_audio() -> String {
    "alsa,default".into()
}
fn default_register_interval() -> u32 {
    600
}
fn every_day() -> Vec<u8> {
    (1..=7).collect()
}
fn midnight() -> String {
    "00:00".into()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    #[default]
    Udp,
    Tcp,
    Tls,
}

/// Media encryption, where the office's server offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MediaEncryption {
    #[default]
    None,
    /// SDES-SRTP offered, plain RTP accepted.
    Srtp,
    /// SDES-SRTP required.
    SrtpMandatory,
    /// DTLS-SRTP required.
    DtlsSrtp,
}

impl TelephonySection {
    pub(super) fn resolve_relative_paths(&mut self, base: &Path) {
        for path in [&mut self.credentials_file, &mut self.ca_file]
            .into_iter()
            .flatten()
        {
            if path.is_relative() {
                *path = base.join(&*path);
            }
        }
    }
}
