//! What `[telephony]` in kiosk.toml means: its lines, the engine's settings, and the check
//! run when the file is loaded (a [`crate::config::SectionCheck`]).

use super::{
    first_uncovered_minute, AccountSettings, AudioDevices, EngineSettings, Line, LineHours,
    Transport,
};
use crate::config::telephony::TelephonySection;
use crate::config::KioskConfig;
use chrono::{NaiveTime, Weekday};
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::time::Duration;

/// Where baresip lives on Debian.
const BARESIP: &str = "/usr/bin/baresip";
const BARESIP_MODULES: &str = "/usr/lib/baresip/modules";

impl TelephonySection {
    /// The configured lines, or `Err((key, message))` naming what is wrong.
    pub fn lines(&self) -> Result<Vec<Line>, (String, String)> {
        let mut lines: Vec<Line> = Vec::new();
        for (index, section) in self.line.iter().enumerate() {
            let key = |field: &str| format!("line.{index}.{field}");
            if crate::fleet::audit::CallLineId::parse(&section.id).is_err() {
                return Err((
                    key("id"),
                    format!(
                        "`{}` is not a slug of a-z, 0-9 and '-' (at most 32)",
                        section.id
                    ),
                ));
            }
            if lines.iter().any(|l| l.id == section.id) {
                return Err((key("id"), format!("`{}` is used by two lines", section.id)));
            }
            for (field, text) in [("name", &section.name), ("name_en", &section.name_en)] {
                if text.trim().is_empty() {
                    return Err((key(field), "must name who answers".into()));
                }
            }
            check_sip_uri(&section.uri).map_err(|m| (key("uri"), m))?;
            let weekdays = section
                .weekdays
                .iter()
                .map(|d| match d {
                    1..=7 => Ok(Weekday::try_from(d - 1).unwrap_or(Weekday::Mon)),
                    _ => Err((
                        key("weekdays"),
                        format!("{d} is not 1 (Monday) to 7 (Sunday)"),
                    )),
                })
                .collect::<Result<Vec<_>, _>>()?;
            let time = |field: &str, text: &str| {
                NaiveTime::parse_from_str(text, "%H:%M")
                    .map_err(|_| (key(field), format!("`{text}` is not a time like 09:00")))
            };
            lines.push(Line {
                id: section.id.clone(),
                name: section.name.clone(),
                name_en: section.name_en.clone(),
                uri: section.uri.clone(),
                hours: LineHours {
                    weekdays,
                    from: time("from", &section.from)?,
                    until: time("until", &section.until)?,
                },
            });
        }
        if lines.is_empty() {
            return Err((
                "line".into(),
                "at least one [[telephony.line]] is needed".into(),
            ));
        }
        if let Some((day, at)) = first_uncovered_minute(&lines) {
            return Err((
                "line".into(),
                format!(
                    "no line answers on {day} at {}: a 24-hour hall needs a line at every hour (e.g. the 12348 duty line with no `from`/`until`)",
                    at.format("%H:%M")
                ),
            ));
        }
        Ok(lines)
    }

    /// Checks everything except the lines; `Err((key, message))`.
    pub fn validate(&self) -> Result<(), (String, String)> {
        let fail = |key: &str, message: String| Err((key.to_string(), message));
        check_sip_uri(&self.account).map_err(|m| ("account".to_string(), m))?;
        if let Some(registrar) = &self.registrar {
            check_sip_uri(registrar).map_err(|m| ("registrar".to_string(), m))?;
            if self.credentials_file.is_none() {
                return fail(
                    "registrar",
                    "a registrar needs `credentials_file`, the file with the SIP password".into(),
                );
            }
        }
        for (key, path) in [
            ("credentials_file", &self.credentials_file),
            ("ca_file", &self.ca_file),
        ] {
            if let Some(path) = path {
                if !path.is_file() {
                    return fail(key, format!("file {} does not exist", path.display()));
                }
            }
        }
        if self.ca_file.is_some() && self.transport != Transport::Tls {
            return fail(
                "ca_file",
                "a CA file is only used with transport = \"tls\"".into(),
            );
        }
        if !(10..=300).contains(&self.no_answer_timeout_s) {
            return fail(
                "no_answer_timeout_s",
                format!("{} s is outside 10 to 300 s", self.no_answer_timeout_s),
            );
        }
        let [first, last] = self.rtp_ports;
        if first == 0 || first > last {
            return fail(
                "rtp_ports",
                format!("[{first}, {last}] is not a port range"),
            );
        }
        for (key, device) in [
            ("audio_player", &self.audio_player),
            ("audio_source", &self.audio_source),
        ] {
            // The kiosk never records a call: a file as the speaker or microphone would.
            if device.contains("file") || !device.starts_with("alsa,") || device.len() <= 5 {
                return fail(key, format!("`{device}` is not a sound card like \"alsa,default\" (files are refused: calls are never recorded)"));
            }
        }
        self.lines().map(|_| ())
    }

    /// The engine's settings; reads the password from the credentials file.
    pub fn engine_settings(
        &self,
        runtime_dir: &Path,
    ) -> std::io::Result<(EngineSettings, Vec<Line>)> {
        let invalid = |(key, message): (String, String)| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("telephony.{key}: {message}"),
            )
        };
        let lines = self.lines().map_err(invalid)?;
        let password = match &self.credentials_file {
            Some(path) => Some(read_password(path)?),
            None => None,
        };
        let auth_user = self.auth_user.clone().or_else(|| {
            let rest = self.account.split_once(':')?.1;
            Some(rest.split_once('@')?.0.to_string())
        });
        let settings = EngineSettings {
            baresip: BARESIP.into(),
            module_path: BARESIP_MODULES.into(),
            runtime_dir: runtime_dir.to_path_buf(),
            sip_listen: self.sip_listen,
            control_listen: SocketAddr::from((IpAddr::from([127, 0, 0, 1]), self.control_port)),
            rtp_ports: (self.rtp_ports[0], self.rtp_ports[1]),
            bind_address: None,
            account: AccountSettings {
                aor: self.account.clone(),
                registrar: self.registrar.clone(),
                auth_user: self.registrar.as_ref().and(auth_user),
                password,
                transport: self.transport,
                media_encryption: self.media_encryption,
                ca_file: self.ca_file.clone(),
                register_interval_s: self.register_interval_s,
            },
            audio: AudioDevices {
                player: self.audio_player.clone(),
                source: self.audio_source.clone(),
            },
            no_answer_after: Duration::from_secs(u64::from(self.no_answer_timeout_s)),
            log_file: None,
        };
        Ok((settings, lines))
    }
}

/// A [`crate::config::SectionCheck`]: a `[telephony]` section is complete and consistent.
pub fn check_config(config: &KioskConfig) -> Result<(), (Vec<String>, String)> {
    let Some(telephony) = &config.telephony else {
        return Ok(());
    };
    telephony.validate().map_err(|(key, message)| {
        let mut path = vec!["telephony".to_string()];
        path.extend(key.split('.').map(str::to_string));
        (path, message)
    })
}

/// The first line of the credentials file, without its line ending.
fn read_password(path: &Path) -> std::io::Result<String> {
    let text = std::fs::read_to_string(path)?;
    let password = text.lines().next().unwrap_or("").to_string();
    if password.is_empty() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "{}: the first line (the SIP password) is empty",
                path.display()
            ),
        ));
    }
    Ok(password)
}

fn check_sip_uri(uri: &str) -> Result<(), String> {
    let rest = uri
        .strip_prefix("sip:")
        .or_else(|| uri.strip_prefix("sips:"))
        .ok_or_else(|| format!("`{uri}` is not a sip: or sips: URI"))?;
    let host = rest.rsplit('@').next().unwrap_or("");
    let bad = |c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | ',');
    if host.is_empty() || host.starts_with([';', ':']) || uri.chars().any(bad) {
        return Err(format!(
            "`{uri}` has no host, or characters a SIP URI cannot hold"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
