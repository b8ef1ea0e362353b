use super::*;
use std::path::Path;

fn parse(text: &str) -> Result<KioskConfig, ConfigError> {
    KioskConfig::parse(text, Path::new("/etc/legal-kiosk/kiosk.toml"))
}

const MINIMAL: &str = r#"
[kiosk]
id = "SZ-FT-001"
hall = "福田区公共法律服务中心"
data_dir = "/tmp"
"#;

#[test]
fn minimal_config_gets_defaults() {
    let config = parse(MINIMAL).unwrap();
    assert_eq!(config.kiosk.id, "SZ-FT-001");
    assert_eq!(config.kiosk.language, Language::Zh);
    assert_eq!(config.kiosk.orientation, Orientation::Portrait);
    assert_eq!(config.idle.warn_after_s, 90);
    assert!(!config.uses_simulators());
}

#[test]
fn unknown_key_names_line_and_key() {
    let text = format!("{MINIMAL}\n[idle]\nwarn_after_s = 60\nwarn_afer = 3\n");
    let err = parse(&text).unwrap_err();
    assert_eq!(err.line(), Some(9), "{err}");
    assert!(err.to_string().contains("warn_afer"), "{err}");
    assert!(
        err.to_string()
            .starts_with("/etc/legal-kiosk/kiosk.toml:9:"),
        "{err}"
    );
}

#[test]
fn wrong_type_names_line_and_key() {
    let text = MINIMAL.replace("[kiosk]\n", "[kiosk]\norientation = 90\n");
    let err = parse(&text).unwrap_err();
    assert_eq!(err.line(), Some(3), "{err}");
    assert_eq!(err.key(), "kiosk.orientation", "{err}");
}

#[test]
fn unknown_enum_value_is_refused() {
    let text = format!("{MINIMAL}\n[devices.printer]\ndriver = \"laser\"\n");
    let err = parse(&text).unwrap_err();
    assert_eq!(err.line(), Some(8), "{err}");
    assert!(err.to_string().contains("laser"), "{err}");
}

#[test]
fn missing_required_key_is_named() {
    let err = parse("[kiosk]\nid = \"x\"\nhall = \"y\"\n").unwrap_err();
    assert!(err.to_string().contains("data_dir"), "{err}");
}

#[test]
fn bad_paths_are_refused_with_their_key() {
    let text = MINIMAL.replace("/tmp", "/nonexistent/deeper/data");
    let err = parse(&text).unwrap_err();
    assert_eq!(err.key(), "kiosk.data_dir");
    assert_eq!(err.line(), Some(5), "{err}");

    let text = format!("{MINIMAL}\n[case_system]\nbase_url = \"https://cases.example\"\nca_file = \"/nonexistent/ca.pem\"\n");
    let err = parse(&text).unwrap_err();
    assert_eq!(err.key(), "case_system.ca_file");
    assert_eq!(err.line(), Some(9), "{err}");
}

#[test]
fn plain_http_only_to_loopback() {
    let ok = format!("{MINIMAL}\n[case_system]\nbase_url = \"http://127.0.0.1:8480\"\n");
    assert!(parse(&ok).is_ok());
    let bad = format!("{MINIMAL}\n[case_system]\nbase_url = \"http://cases.example\"\n");
    let err = parse(&bad).unwrap_err();
    assert_eq!(err.key(), "case_system.base_url");
    assert!(err.to_string().contains("https"), "{err}");
}

#[test]
fn syntax_error_names_line() {
    let err = parse("[kiosk]\nid = \"unterminated\n").unwrap_err();
    assert_eq!(err.line(), Some(2), "{err}");
}

#[test]
fn tcp_printer_address_is_checked() {
    let text =
        format!("{MINIMAL}\n[devices.printer]\ndriver = \"tcp\"\naddress = \"printer:9100\"\n");
    let err = parse(&text).unwrap_err();
    assert_eq!(err.key(), "devices.printer.address");
}

#[test]
fn shipped_example_config_parses() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("kiosk.example.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    // The example points data_dir at the device's /var/lib; check it against /tmp here.
    let text = text.replace("/var/lib/legal-kiosk", "/tmp/legal-kiosk-example");
    let config = KioskConfig::parse(&text, &path).unwrap();
    assert_eq!(config.kiosk.orientation, Orientation::Portrait);
}

#[cfg(feature = "simulators")]
#[test]
fn demo_config_is_all_simulated() {
    let config = KioskConfig::demo("/tmp/demo".into());
    assert!(config.uses_simulators());
}

#[cfg(not(feature = "simulators"))]
#[test]
fn production_build_refuses_simulated_driver() {
    let text = format!("{MINIMAL}\n[devices.id_reader]\ndriver = \"simulated\"\n");
    let err = parse(&text).unwrap_err();
    assert_eq!(err.line(), Some(8), "{err}");
}

#[test]
fn accessibility_defaults_and_out_of_range_volume() {
    let config = parse(MINIMAL).unwrap();
    assert_eq!(config.accessibility, AccessibilitySection::default());
    assert!(config.accessibility.voice_default);
    let quiet = format!("{MINIMAL}\n[accessibility]\nvoice_default = false\nvolume_default = 1\n");
    let config = parse(&quiet).unwrap();
    assert!(!config.accessibility.voice_default);
    assert_eq!(config.accessibility.volume_default, 1);
    let loud = format!("{MINIMAL}\n[accessibility]\nvolume_default = 6\n");
    let err = parse(&loud).unwrap_err().to_string();
    assert!(
        err.contains("accessibility.volume_default") && err.contains("from 1 to 5"),
        "{err}"
    );
    let typo = format!("{MINIMAL}\n[accessibility]\nvoice = true\n");
    assert!(parse(&typo).unwrap_err().to_string().contains("voice"));
}

const LEGAL_AID: &str = "\n[legal_aid]\nregion = \"广东省深圳市\"\nregion_en = \"Shenzhen, Guangdong\"\nmonthly_income_threshold_yuan = 2360\n";

#[test]
fn legal_aid_standard_is_read() {
    let config = parse(&format!("{MINIMAL}{LEGAL_AID}")).unwrap();
    let policy = config.legal_aid.unwrap();
    assert_eq!(policy.region, "广东省深圳市");
    assert_eq!(policy.region_en, "Shenzhen, Guangdong");
    assert_eq!(policy.monthly_income_threshold_yuan, 2360);
    assert!(parse(MINIMAL).unwrap().legal_aid.is_none());
}

#[test]
fn legal_aid_unknown_key_names_line_and_key() {
    let text = format!("{MINIMAL}{LEGAL_AID}threshold = 2000\n");
    let err = parse(&text).unwrap_err();
    assert_eq!(err.line(), Some(11), "{err}");
    assert!(err.to_string().contains("threshold"), "{err}");
}

#[test]
fn legal_aid_bad_values_name_key_and_line() {
    let negative = format!("{MINIMAL}{LEGAL_AID}").replace("= 2360", "= -5");
    let err = parse(&negative).unwrap_err();
    assert_eq!(
        err.key(),
        "legal_aid.monthly_income_threshold_yuan",
        "{err}"
    );
    assert_eq!(err.line(), Some(10), "{err}");

    let typo = format!("{MINIMAL}{LEGAL_AID}").replace("= 2360", "= 23600");
    let err = parse(&typo).unwrap_err();
    assert_eq!(
        err.key(),
        "legal_aid.monthly_income_threshold_yuan",
        "{err}"
    );
    assert_eq!(err.line(), Some(10), "{err}");
    assert!(err.to_string().contains("23600"), "{err}");

    let blank = format!("{MINIMAL}{LEGAL_AID}").replace("\"广东省深圳市\"", "\" \"");
    let err = parse(&blank).unwrap_err();
    assert_eq!(err.key(), "legal_aid.region", "{err}");
    assert_eq!(err.line(), Some(8), "{err}");

    let missing = format!("{MINIMAL}\n[legal_aid]\nregion = \"x\"\nregion_en = \"x\"\n");
    let err = parse(&missing).unwrap_err();
    assert!(
        err.to_string().contains("monthly_income_threshold_yuan"),
        "{err}"
    );
}

#[test]
fn demo_config_carries_the_marked_example_standard() {
    let policy = KioskConfig::demo("/tmp/demo".into()).legal_aid.unwrap();
    assert!(policy.region.contains("示例") && policy.region_en.contains("example"));
}
