//! baresip's `config` and `accounts` files, generated from the settings so the kiosk never
//! depends on a hand-edited baresip setup. Pure rendering; `write` puts them in place.
//!
//! Privacy: only the modules listed here are loaded. None of them records: no `sndfile`
//! (which dumps call audio to WAV files), no audio filters at all.

use super::settings::EngineSettings;
use std::fmt::Write as _;
use std::path::Path;

/// Codecs offered: Opus (wide-band), G.722, then G.711 that every PBX speaks.
const CODEC_MODULES: [&str; 3] = ["opus", "g722", "g711"];

/// Audio driver modules an audio device may name.
const AUDIO_DRIVER_MODULES: [&str; 6] = ["alsa", "pulse", "jack", "oss", "aufile", "ausine"];

/// Modules that write call audio somewhere. Never loaded; `render_config` refuses them.
pub const RECORDING_MODULES: [&str; 2] = ["sndfile", "snapshot"];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigRenderError {
    #[error("audio device `{0}` is not `<module>,<device>` with a known audio module")]
    AudioDevice(String),
    #[error(
        "`{0}` contains characters baresip's accounts file cannot hold (; , \" < > or whitespace)"
    )]
    UnsafeAccountValue(&'static str),
}

/// The `config` file.
pub fn render_config(settings: &EngineSettings) -> Result<String, ConfigRenderError> {
    let player = audio_module(&settings.audio.player)?;
    let source = audio_module(&settings.audio.source)?;
    let mut text = String::new();
    let mut line = |key: &str, value: &dyn std::fmt::Display| {
        let _ = writeln!(text, "{key:<20} {value}");
    };
    line("poll_method", &"epoll");
    line("sip_listen", &settings.sip_listen);
    if let Some(ca) = &settings.account.ca_file {
        line("sip_cafile", &ca.display());
    }
    line("call_max_calls", &1);
    line("audio_player", &settings.audio.player);
    line("audio_source", &settings.audio.source);
    // Ring-back and alert tones go to the same speaker as the call.
    line("audio_alert", &settings.audio.player);
    // A fixed device rate and mono: baresip resamples to whatever the codec needs.
    line("ausrc_srate", &48000);
    line("auplay_srate", &48000);
    line("ausrc_channels", &1);
    line("auplay_channels", &1);
    line(
        "rtp_ports",
        &format!("{}-{}", settings.rtp_ports.0, settings.rtp_ports.1),
    );
    if let Some(address) = settings.bind_address {
        line("net_interface", &address);
    }
    line("module_path", &settings.module_path.display());
    let mut modules: Vec<&str> = CODEC_MODULES.to_vec();
    for driver in [player, source] {
        if !modules.contains(&driver) {
            modules.push(driver);
        }
    }
    if let Some((_, module)) = settings.account.media_encryption.baresip() {
        modules.push(module);
    }
    for module in modules {
        line("module", &format!("{module}.so"));
    }
    // account: reads `accounts`; menu: the dial/hangup commands; ctrl_tcp: the control socket.
    for module in ["account", "menu", "ctrl_tcp"] {
        line("module_app", &format!("{module}.so"));
    }
    line("ctrl_tcp_listen", &settings.control_listen);
    Ok(text)
}

/// The `accounts` file: one line, the kiosk's account. Holds the password, so it is written
/// 0600 into the private runtime directory.
pub fn render_accounts(settings: &EngineSettings) -> Result<String, ConfigRenderError> {
    let account = &settings.account;
    let transport = account.transport.name();
    let mut line = format!("<{};transport={transport}>", account.aor);
    line.push_str(";answermode=manual");
    match &account.registrar {
        Some(registrar) => {
            safe("registrar", registrar)?;
            let _ = write!(
                line,
                ";outbound=\"{registrar};transport={transport}\";regint={}",
                account.register_interval_s
            );
        }
        None => line.push_str(";regint=0"),
    }
    if let Some(user) = &account.auth_user {
        safe("auth_user", user)?;
        let _ = write!(line, ";auth_user={user}");
    }
    if let Some(password) = &account.password {
        safe("password", password)?;
        let _ = write!(line, ";auth_pass={password}");
    }
    if let Some((mediaenc, _)) = account.media_encryption.baresip() {
        let _ = write!(line, ";mediaenc={mediaenc}");
    }
    safe("account", &account.aor)?;
    line.push('\n');
    Ok(line)
}

/// Writes both files into `dir` (created 0700; the accounts file 0600).
pub fn write(settings: &EngineSettings, dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
    let invalid = |e: ConfigRenderError| std::io::Error::new(std::io::ErrorKind::InvalidInput, e);
    let config = render_config(settings).map_err(invalid)?;
    let accounts = render_accounts(settings).map_err(invalid)?;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    std::fs::write(dir.join("config"), config)?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(dir.join("accounts"))?;
    std::io::Write::write_all(&mut file, accounts.as_bytes())
}

fn audio_module(device: &str) -> Result<&'static str, ConfigRenderError> {
    let module = device.split(',').next().unwrap_or("");
    AUDIO_DRIVER_MODULES
        .into_iter()
        .find(|known| *known == module && device.len() > module.len() + 1)
        .ok_or_else(|| ConfigRenderError::AudioDevice(device.to_string()))
}

fn safe(what: &'static str, value: &str) -> Result<(), ConfigRenderError> {
    let unsafe_char = |c: char| c.is_whitespace() || matches!(c, ';' | ',' | '"' | '<' | '>');
    if value.is_empty() || value.chars().any(unsafe_char) {
        return Err(ConfigRenderError::UnsafeAccountValue(what));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telephony::settings::*;
    use crate::telephony::{MediaEncryption, Transport};
    use std::time::Duration;

    pub(crate) fn settings() -> EngineSettings {
        EngineSettings {
            baresip: "/usr/bin/baresip".into(),
            module_path: "/usr/lib/baresip/modules".into(),
            runtime_dir: "/run/legal-kiosk/sip".into(),
            sip_listen: "0.0.0.0:5060".parse().expect("address"),
            control_listen: "127.0.0.1:4444".parse().expect("address"),
            rtp_ports: (10000, 10099),
            bind_address: None,
            account: AccountSettings {
                aor: "sip:kiosk-001@pbx.notary.example".into(),
                registrar: Some("sip:pbx.notary.example".into()),
                auth_user: Some("kiosk-001".into()),
                password: Some("s3cret".into()),
                transport: Transport::Tls,
                media_encryption: MediaEncryption::SrtpMandatory,
                ca_file: Some("/etc/legal-kiosk/sip-ca.pem".into()),
                register_interval_s: 600,
            },
            audio: AudioDevices::default(),
            no_answer_after: Duration::from_secs(45),
            log_file: None,
        }
    }

    #[test]
    fn the_config_loads_only_codecs_drivers_and_control_and_nothing_that_records() {
        let config = render_config(&settings()).expect("renders");
        let modules: Vec<&str> = config
            .lines()
            .filter(|l| l.starts_with("module"))
            .filter_map(|l| l.split_whitespace().nth(1))
            .filter(|m| m.ends_with(".so"))
            .collect();
        assert_eq!(
            modules,
            [
                "opus.so",
                "g722.so",
                "g711.so",
                "alsa.so",
                "srtp.so",
                "account.so",
                "menu.so",
                "ctrl_tcp.so"
            ]
        );
        for recorder in RECORDING_MODULES {
            assert!(!config.contains(recorder), "{recorder} in\n{config}");
        }
        assert!(!config.contains("audio_filters"));
        let value = |key: &str| {
            config
                .lines()
                .find_map(|l| l.strip_prefix(key).map(str::trim))
                .unwrap_or_default()
        };
        assert_eq!(value("ctrl_tcp_listen"), "127.0.0.1:4444");
        assert_eq!(value("sip_cafile"), "/etc/legal-kiosk/sip-ca.pem");
    }

    #[test]
    fn the_account_line_registers_over_tls_with_srtp_and_never_auto_answers() {
        let accounts = render_accounts(&settings()).expect("renders");
        assert_eq!(
            accounts,
            "<sip:kiosk-001@pbx.notary.example;transport=tls>;answermode=manual;outbound=\"sip:pbx.notary.example;transport=tls\";regint=600;auth_user=kiosk-001;auth_pass=s3cret;mediaenc=srtp-mand\n"
        );
        let mut direct = settings();
        direct.account.registrar = None;
        direct.account.password = None;
        direct.account.auth_user = None;
        direct.account.media_encryption = MediaEncryption::None;
        direct.account.transport = Transport::Udp;
        assert_eq!(
            render_accounts(&direct).expect("renders"),
            "<sip:kiosk-001@pbx.notary.example;transport=udp>;answermode=manual;regint=0\n"
        );
    }

    #[test]
    fn unsafe_values_and_unknown_audio_modules_are_refused() {
        let mut bad = settings();
        bad.account.password = Some("a;answermode=auto".into());
        assert_eq!(
            render_accounts(&bad),
            Err(ConfigRenderError::UnsafeAccountValue("password"))
        );
        let mut bad = settings();
        bad.audio.player = "sndfile,/tmp/x.wav".into();
        assert!(matches!(
            render_config(&bad),
            Err(ConfigRenderError::AudioDevice(_))
        ));
    }

    #[test]
    fn the_accounts_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("sip");
        write(&settings(), &target).expect("written");
        let mode = |p: &Path| std::fs::metadata(p).expect("exists").permissions().mode() & 0o777;
        assert_eq!(mode(&target), 0o700);
        assert_eq!(mode(&target.join("accounts")), 0o600);
    }
}
