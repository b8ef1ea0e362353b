//! The command line as staff, deployers and systemd use it: real processes, real files.

use std::path::Path;
use std::process::{Command, Output};

fn kiosk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_legal-kiosk"))
        .args(args)
        .env(
            "LEGAL_KIOSK_DEMO_DIR",
            std::env::temp_dir().join("legal-kiosk-cli-test"),
        )
        .output()
        .unwrap()
}

fn write_config(dir: &Path, body: &str) -> String {
    let path = dir.join("kiosk.toml");
    std::fs::write(&path, body).unwrap();
    path.to_string_lossy().into_owned()
}

fn minimal(dir: &Path) -> String {
    format!(
        "[kiosk]\nid = \"T-1\"\nhall = \"测试厅\"\ndata_dir = \"{}\"\n\n[case_system]\nbase_url = \"http://127.0.0.1:9\"\n",
        dir.join("data").display()
    )
}

#[test]
fn every_command_has_help() {
    let out = kiosk(&["--help"]);
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.contains(&"doctor"), "{help}");
    for command in commands {
        let out = kiosk(&[command, "--help"]);
        assert!(out.status.success(), "{command} --help");
        assert!(String::from_utf8_lossy(&out.stdout).contains("Usage:"));
    }
}

#[cfg(feature = "ui")]
#[test]
fn run_with_a_broken_config_names_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(
        dir.path(),
        &(minimal(dir.path()) + "\n[idle]\nwarn_after = 60\n"),
    );
    let out = kiosk(&["run", "--config", &config]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{config}:10:")), "{err}");
    assert!(err.contains("warn_after"), "{err}");
}

#[cfg(feature = "ui")]
#[test]
fn run_with_a_missing_config_says_so() {
    let out = kiosk(&["run", "--config", "/nonexistent/kiosk.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("/nonexistent/kiosk.toml: cannot read"),
        "{err}"
    );
}

#[test]
fn doctor_passes_on_a_healthy_config_and_reports_json() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &minimal(dir.path()));
    let out = kiosk(&["doctor", "--config", &config, "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let checks: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["check"].as_str().unwrap())
        .collect();
    for expected in [
        "config",
        "data_dir",
        "database",
        "device.printer",
        "case_system",
    ] {
        assert!(checks.contains(&expected), "{checks:?}");
    }
    assert!(findings
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["status"] != "fault"));
}

#[test]
fn doctor_fails_on_a_missing_device_node() {
    let dir = tempfile::tempdir().unwrap();
    let body = minimal(dir.path())
        + "\n[devices.printer]\ndriver = \"usb-lp\"\ndevice = \"/dev/nonexistent-lp9\"\n";
    let config = write_config(dir.path(), &body);
    let out = kiosk(&["doctor", "--config", &config]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().find(|l| l.contains("device.printer")).unwrap();
    assert!(
        line.starts_with("FAULT") && line.contains("/dev/nonexistent-lp9"),
        "{text}"
    );
}

#[test]
fn doctor_fails_on_a_broken_config() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "[kiosk]\nid = 5\n");
    let out = kiosk(&["doctor", "--config", &config]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("FAULT") && text.contains(":2:"), "{text}");
}
