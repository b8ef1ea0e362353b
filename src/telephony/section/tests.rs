use crate::config::KioskConfig;
use std::path::Path;

const MINIMAL: &str = "[kiosk]\nid = \"K-1\"\nhall = \"厅\"\ndata_dir = \"/tmp\"\n";

const DESK_AND_DUTY: &str = r#"
[[telephony.line]]
id = "hall-desk"
name = "大厅服务台"
name_en = "Hall service desk"
uri = "sip:8001@pbx.notary.example"
weekdays = [1, 2, 3, 4, 5]
from = "09:00"
until = "17:30"

[[telephony.line]]
id = "duty-12348"
name = "12348 值班律师"
name_en = "12348 duty lawyer"
uri = "sip:12348@pbx.notary.example"
"#;

fn parse(telephony: &str) -> Result<KioskConfig, crate::config::ConfigError> {
    KioskConfig::parse_checked(
        &format!("{MINIMAL}[telephony]\n{telephony}"),
        Path::new("/etc/kiosk.toml"),
        &[super::check_config],
    )
}

#[test]
fn a_direct_line_parses_and_picks_the_desk_by_day() {
    let config = parse(&format!(
        "account = \"sip:kiosk@10.0.0.5\"\n{DESK_AND_DUTY}"
    ))
    .unwrap();
    let telephony = config.telephony.unwrap();
    let (settings, lines) = telephony.engine_settings(Path::new("/run/sip")).unwrap();
    assert_eq!(lines.len(), 2);
    assert!(settings.account.registrar.is_none());
    assert_eq!(settings.no_answer_after.as_secs(), 45);
    let monday_ten = chrono::NaiveDate::from_ymd_opt(2026, 12, 7)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap();
    assert_eq!(
        crate::telephony::line_for(&lines, monday_ten).map(|l| l.id.as_str()),
        Some("hall-desk")
    );
}

#[test]
fn the_password_comes_from_the_credentials_file() {
    let dir = tempfile::tempdir().unwrap();
    let credentials = dir.path().join("sip.secret");
    std::fs::write(&credentials, "pa55word\n").unwrap();
    let text = format!(
        "account = \"sip:kiosk-001@pbx.notary.example\"\nregistrar = \"sip:pbx.notary.example\"\ncredentials_file = \"{}\"\ntransport = \"tls\"\nmedia_encryption = \"srtp-mandatory\"\n{DESK_AND_DUTY}",
        credentials.display()
    );
    let telephony = parse(&text).unwrap().telephony.unwrap();
    let (settings, _) = telephony.engine_settings(Path::new("/run/sip")).unwrap();
    assert_eq!(settings.account.password.as_deref(), Some("pa55word"));
    assert_eq!(settings.account.auth_user.as_deref(), Some("kiosk-001"));
    assert!(
        !format!("{settings:?}").contains("pa55word"),
        "Debug redacts"
    );
}

#[test]
fn bad_telephony_config_names_the_key() {
    let account = "account = \"sip:kiosk@10.0.0.5\"\n";
    let cases = [
        (
            format!("account = \"kiosk@pbx\"\n{DESK_AND_DUTY}"),
            "telephony.account",
            "sip:",
        ),
        (
            format!("{account}registrar = \"sip:pbx.example\"\n{DESK_AND_DUTY}"),
            "telephony.registrar",
            "credentials_file",
        ),
        (
            format!("{account}credentials_file = \"/nonexistent/sip\"\n{DESK_AND_DUTY}"),
            "telephony.credentials_file",
            "does not exist",
        ),
        (
            format!("{account}password = \"x\"\n{DESK_AND_DUTY}"),
            "telephony.password",
            "unknown field",
        ),
        (
            format!("{account}no_answer_timeout_s = 5\n{DESK_AND_DUTY}"),
            "telephony.no_answer_timeout_s",
            "10 to 300",
        ),
        (
            format!("{account}audio_player = \"alsa,file:'/tmp/x.wav'\"\n{DESK_AND_DUTY}"),
            "telephony.audio_player",
            "never recorded",
        ),
        (
            format!(
                "{account}{}",
                DESK_AND_DUTY.replace("hall-desk", "Hall Desk")
            ),
            "telephony.line.0.id",
            "slug",
        ),
        (
            format!(
                "{account}{}",
                DESK_AND_DUTY.replace("sip:12348@", "tel:12348@")
            ),
            "telephony.line.1.uri",
            "sip:",
        ),
        (
            format!("{account}{}", DESK_AND_DUTY.replace("\"17:30\"", "\"5pm\"")),
            "telephony.line.0.until",
            "09:00",
        ),
        (
            format!(
                "{account}{}",
                DESK_AND_DUTY.replace("duty-12348", "hall-desk")
            ),
            "telephony.line.1.id",
            "two lines",
        ),
    ];
    for (text, key, message) in cases {
        let err = parse(&text).unwrap_err();
        assert_eq!(err.key(), key, "{err}");
        assert!(err.to_string().contains(message), "{err}");
        assert!(err.line().is_some(), "{err}");
    }
}

#[test]
fn an_hour_without_a_line_is_refused() {
    let only_desk = DESK_AND_DUTY.split("[[telephony.line]]").nth(1).unwrap();
    let text = format!("account = \"sip:kiosk@10.0.0.5\"\n[[telephony.line]]{only_desk}");
    let err = parse(&text).unwrap_err();
    assert_eq!(err.key(), "telephony.line", "{err}");
    assert!(
        err.to_string().contains("no line answers on Mon at 00:00"),
        "{err}"
    );
}

/// The commented `[telephony]` example in kiosk.toml.example, uncommented, is a valid config.
#[test]
fn the_shipped_example_parses_when_uncommented() {
    let example =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("kiosk.example.toml"))
            .unwrap();
    let start = example.find("# [telephony]").unwrap();
    let end = start + example[start..].find("\n\n").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let credentials = dir.path().join("sip.secret");
    std::fs::write(&credentials, "pa55word\n").unwrap();
    let block: String = example[start..end]
        .lines()
        .map(|line| {
            line.strip_prefix("# ")
                .unwrap_or(line.trim_start_matches('#'))
        })
        .collect::<Vec<_>>()
        .join("\n")
        .replace(
            "/etc/legal-kiosk/sip.secret",
            &credentials.display().to_string(),
        );
    let config = KioskConfig::parse(&format!("{MINIMAL}{block}\n"), Path::new("/etc/kiosk.toml"))
        .unwrap_or_else(|e| panic!("{e}\n{block}"));
    let telephony = config.telephony.unwrap();
    assert_eq!(telephony.lines().unwrap().len(), 2);
}
