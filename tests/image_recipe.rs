//! The kiosk image's provisioning step (kiosk-image/overlay/usr/lib/legal-kiosk/kiosk-provision)
//! run as a real process on real files: what it renders must be accepted by the kiosk's own
//! config parser, secrets must leave the boot partition, and bad provisioning files must be
//! refused with the key named and nothing written. Also the udev rules and units that the
//! image depends on. Needs python3 (>= 3.11, for tomllib).

use legal_kiosk::config::{KioskConfig, Orientation, PrinterConfig};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FAKE_CERT: &str = "-----BEGIN CERTIFICATE-----\nMIIBkTCB+wIJAK\n-----END CERTIFICATE-----\n";
const FAKE_KEY: &str =
    "-----BEGIN PRIVATE KEY-----\nSECRETKEYMATERIAL42\n-----END PRIVATE KEY-----\n";
const WIFI_PSK: &str = "hall-wifi-passphrase-77";

fn image_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("kiosk-image")
}

/// A scratch kiosk: boot partition, /etc/legal-kiosk and /var/lib/legal-kiosk as directories.
struct Kiosk {
    _tmp: tempfile::TempDir,
    boot: PathBuf,
    etc: PathBuf,
    data: PathBuf,
}

impl Kiosk {
    fn new(provisioning: &str) -> Kiosk {
        let tmp = tempfile::tempdir().unwrap();
        let boot = tmp.path().join("boot");
        std::fs::create_dir_all(&boot).unwrap();
        std::fs::write(boot.join("kiosk-provision.toml"), provisioning).unwrap();
        std::fs::write(boot.join("office-ca.pem"), FAKE_CERT).unwrap();
        std::fs::write(boot.join("kiosk.crt"), FAKE_CERT).unwrap();
        std::fs::write(boot.join("kiosk.key"), FAKE_KEY).unwrap();
        Kiosk {
            etc: tmp.path().join("etc"),
            data: tmp.path().join("data"),
            boot,
            _tmp: tmp,
        }
    }

    /// Runs the render step, validated by the production-feature `legal-kiosk doctor`.
    fn provision(&self) -> Output {
        Command::new("python3")
            .arg(image_dir().join("overlay/usr/lib/legal-kiosk/kiosk-provision"))
            .arg("render")
            .arg("--input")
            .arg(self.boot.join("kiosk-provision.toml"))
            .arg("--boot-dir")
            .arg(&self.boot)
            .arg("--etc-dir")
            .arg(&self.etc)
            .arg("--data-dir")
            .arg(&self.data)
            .arg("--kiosk-binary")
            .arg(env!("CARGO_BIN_EXE_legal-kiosk"))
            .output()
            .expect("python3 runs kiosk-provision")
    }

    fn read(&self, path: &Path) -> String {
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Every byte left on the boot partition, for scanning for secrets.
    fn boot_contents(&self) -> String {
        let mut all = String::new();
        for entry in std::fs::read_dir(&self.boot).unwrap() {
            all.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
        }
        all
    }
}

fn example() -> String {
    std::fs::read_to_string(image_dir().join("config/kiosk-provision.example.toml")).unwrap()
}

fn with_wifi(text: &str) -> String {
    format!("{text}\n[wifi]\nssid = \"hall-kiosks\"\npsk = \"{WIFI_PSK}\"\ncountry = \"CN\"\n")
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn the_example_renders_to_a_kiosk_toml_the_kiosk_accepts() {
    let kiosk = Kiosk::new(&example());
    let output = kiosk.provision();
    assert!(output.status.success(), "{}", stderr(&output));

    let path = kiosk.etc.join("kiosk.toml");
    let config = KioskConfig::parse(&kiosk.read(&path), &path).expect("kiosk.toml parses");
    assert_eq!(config.kiosk.id, "SZ-FT-001");
    assert_eq!(config.kiosk.orientation, Orientation::Portrait);
    assert_eq!(config.kiosk.data_dir, kiosk.data);
    assert_eq!(config.office.phone, "0755-12348");
    assert_eq!(
        config.case_system.base_url,
        "https://cases.notary.example/api"
    );
    assert_eq!(
        config.case_system.ca_file.as_deref(),
        Some(kiosk.data.join("tls/office-ca.pem").as_path())
    );
    assert_eq!(
        config.case_system.client_key.as_deref(),
        Some(kiosk.data.join("tls/kiosk.key").as_path())
    );
    assert!(matches!(
        config.devices.printer,
        PrinterConfig::UsbLp { ref device } if device == Path::new("/dev/kiosk-printer")
    ));
    let legal_aid = config
        .legal_aid
        .expect("the legal-aid standard is passed on");
    assert_eq!(legal_aid.monthly_income_threshold_yuan, 2360);
    assert_eq!(config.accessibility.volume_default, 3);
}

#[test]
fn secrets_move_to_the_data_partition_and_leave_the_boot_partition() {
    let kiosk = Kiosk::new(&with_wifi(&example()));
    let output = kiosk.provision();
    assert!(output.status.success(), "{}", stderr(&output));

    let key = kiosk.data.join("tls/kiosk.key");
    assert_eq!(kiosk.read(&key), FAKE_KEY);
    assert_eq!(mode(&key), 0o600);
    let wpa = kiosk.etc.join("wifi/wpa_supplicant-wlan0.conf");
    assert!(kiosk.read(&wpa).contains(WIFI_PSK));
    assert_eq!(mode(&wpa), 0o600);

    assert!(!kiosk.boot.join("kiosk.key").exists());
    assert!(!kiosk.boot.join("kiosk-provision.toml").exists());
    let left = kiosk.boot_contents();
    assert!(
        !left.contains(WIFI_PSK),
        "Wi-Fi passphrase left on the boot partition"
    );
    assert!(
        !left.contains("SECRETKEYMATERIAL42"),
        "client key left on the boot partition"
    );
    // The record of what was applied stays, without the secrets.
    let applied = kiosk.read(&kiosk.boot.join("kiosk-provision.applied.toml"));
    assert!(applied.contains("id = \"SZ-FT-001\""));
    assert!(applied.contains("# psk removed from the boot partition after provisioning"));
}

#[test]
fn provisioning_appends_one_json_audit_event_without_secrets() {
    let kiosk = Kiosk::new(&with_wifi(&example()));
    assert!(kiosk.provision().status.success());

    let log = kiosk.read(&kiosk.data.join("provisioning.log"));
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 1);
    let event: serde_json::Value = serde_json::from_str(lines[0]).expect("a JSON line");
    assert_eq!(event["event"], "provisioning.applied");
    assert_eq!(event["kiosk_id"], "SZ-FT-001");
    assert_eq!(event["client_auth"], "certificate");
    assert_eq!(event["source_sha256"].as_str().map(str::len), Some(64));
    let moved: Vec<&str> = event["secrets_moved"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert_eq!(moved, ["case_system.client_key_file", "wifi.psk"]);
    assert!(!log.contains(WIFI_PSK));
}

#[test]
fn the_app_imports_each_provisioning_record_into_its_audit_log_once() {
    use legal_kiosk::fleet::provisioning_import::{import_provisioning_log, ImportSummary};
    let kiosk = Kiosk::new(&with_wifi(&example()));
    assert!(kiosk.provision().status.success());
    let store = legal_kiosk::store::Store::open(&kiosk.data).expect("store in the data dir");
    let before = store.verify_audit().expect("verify").events;

    let summary = import_provisioning_log(&store).expect("import");
    assert_eq!(
        summary,
        ImportSummary {
            imported: 1,
            unreadable: 0
        }
    );
    assert_eq!(
        import_provisioning_log(&store).expect("restart"),
        ImportSummary::default()
    );
    let report = store.verify_audit().expect("verify");
    assert_eq!(report.events, before + 1);
    assert!(report.intact);
}

#[test]
fn each_rotation_sets_the_slint_rotation_and_the_matching_touch_matrix() {
    let cases = [
        (0, None),
        (90, Some("0 -1 1 1 0 0")),
        (180, Some("-1 0 1 0 -1 1")),
        (270, Some("0 1 0 -1 0 1")),
    ];
    for (rotation, matrix) in cases {
        let text = example().replace("rotation = 90", &format!("rotation = {rotation}"));
        let kiosk = Kiosk::new(&text);
        let output = kiosk.provision();
        assert!(output.status.success(), "{}", stderr(&output));
        let env = kiosk.read(&kiosk.etc.join("kiosk.env"));
        assert!(
            env.contains(&format!("SLINT_KMS_ROTATION={rotation}\n")),
            "{env}"
        );
        assert!(env.contains("SLINT_BACKEND=linuxkms-femtovg\n"), "{env}");
        let rule = kiosk.read(&kiosk.etc.join("99-kiosk-touch-rotation.rules"));
        match matrix {
            Some(m) => assert!(
                rule.contains(&format!("ENV{{LIBINPUT_CALIBRATION_MATRIX}}=\"{m}\"")),
                "{rotation}: {rule}"
            ),
            None => assert!(!rule.contains("LIBINPUT_CALIBRATION_MATRIX="), "{rule}"),
        }
    }
}

#[test]
fn bad_provisioning_files_are_refused_naming_the_key_and_nothing_is_written() {
    let cases = [
        ("id = \"SZ-FT-001\"", "id = \"bad id!\"", "kiosk.id"),
        (
            "base_url = \"https://cases.notary.example/api\"",
            "base_url = \"http://cases.notary.example/api\"",
            "case_system.base_url",
        ),
        (
            "driver = \"usb-lp\"",
            "driver = \"simulated\"",
            "devices.printer.driver",
        ),
        ("rotation = 90", "rotation = 45", "display.rotation"),
        (
            "rotation = 90",
            "rotation = 90\nbrightness = 3",
            "display.brightness",
        ),
        (
            "client_key_file = \"kiosk.key\"",
            "",
            "case_system.client_key_file",
        ),
        (
            "ca_file = \"office-ca.pem\"",
            "ca_file = \"missing.pem\"",
            "case_system.ca_file",
        ),
        ("language = \"zh\"", "language = 1", "kiosk.language"),
        (
            "monthly_income_threshold_yuan = 2360",
            "monthly_income_threshold_yuan = 23600",
            "legal_aid.monthly_income_threshold_yuan",
        ),
        (
            "volume_default = 3",
            "volume_default = 9",
            "accessibility.volume_default",
        ),
    ];
    for (from, to, key) in cases {
        let text = example().replacen(from, to, 1);
        assert_ne!(text, example(), "case {key} changed nothing");
        let kiosk = Kiosk::new(&text);
        let output = kiosk.provision();
        assert!(!output.status.success(), "{key}: accepted");
        assert!(stderr(&output).contains(key), "{key}: {}", stderr(&output));
        assert!(
            !kiosk.etc.join("kiosk.toml").exists(),
            "{key}: wrote kiosk.toml"
        );
        assert!(
            kiosk.boot.join("kiosk-provision.toml").exists(),
            "{key}: scrubbed the input"
        );
        assert!(
            kiosk.boot.join("kiosk.key").exists(),
            "{key}: removed the key"
        );
    }
}

#[test]
fn the_kiosks_own_parser_has_the_last_word() {
    // Valid for the provisioning schema, but the kiosk refuses an idle warning under 10 s.
    let text = format!("{}\n[idle]\nwarn_after_s = 3\n", example());
    let kiosk = Kiosk::new(&text);
    let output = kiosk.provision();
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("idle.warn_after_s"),
        "{}",
        stderr(&output)
    );
    assert!(!kiosk.etc.join("kiosk.toml").exists());
}

#[test]
fn the_udev_rules_create_every_stable_device_name_the_config_uses() {
    let rules = std::fs::read_to_string(
        image_dir().join("overlay/etc/udev/rules.d/70-kiosk-devices.rules"),
    )
    .unwrap();
    let active: Vec<&str> = rules
        .lines()
        .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
        .collect();
    for name in [
        "kiosk-idreader",
        "kiosk-fingerprint",
        "kiosk-printer",
        "kiosk-camera",
    ] {
        let symlink = format!("SYMLINK+=\"{name}\"");
        assert!(
            active.iter().any(|l| l.contains(&symlink)),
            "no rule creates /dev/{name}"
        );
        // The example config refers to the same names.
        assert!(example().contains(&format!("/dev/{name}")));
    }
    for line in active {
        assert!(
            line.contains("SYMLINK+=\"kiosk-"),
            "rule without a stable name: {line}"
        );
    }
}

#[test]
fn the_kiosk_unit_starts_the_production_command_with_the_default_config() {
    let unit =
        std::fs::read_to_string(image_dir().join("overlay/etc/systemd/system/legal-kiosk.service"))
            .unwrap();
    let launcher =
        std::fs::read_to_string(image_dir().join("overlay/usr/lib/legal-kiosk/kiosk-launch"))
            .unwrap();
    assert!(unit.contains("ExecStart=/usr/lib/legal-kiosk/kiosk-launch\n"));
    assert!(launcher.contains(&format!(
        "exec /usr/bin/legal-kiosk run --config {}",
        legal_kiosk::cli::DEFAULT_CONFIG
    )));
    assert!(unit.contains(&format!(
        "ConditionPathExists={}",
        legal_kiosk::cli::DEFAULT_CONFIG
    )));
}
