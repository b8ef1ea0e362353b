//! The parts of kiosk.toml whose meaning is the notary journey's: the fee schedule file
//! `[notary] fee_schedule` names and `[office.calendar]`'s days and times. `config` holds them
//! as written; this check runs when the file is loaded (`KioskConfig::load`), so a bad entry
//! stops the kiosk at start with the file, line and key named, like any other config error.

use super::calendar::OfficeCalendar;
use super::fees::FeeSchedule;
use crate::config::KioskConfig;

/// A [`crate::config::SectionCheck`]: the fee schedule parses and the calendar is valid.
pub fn check_config(config: &KioskConfig) -> Result<(), (Vec<String>, String)> {
    if let Some(path) = &config.notary.fee_schedule {
        FeeSchedule::load(path).map_err(|e| (keys(&["notary", "fee_schedule"]), e.to_string()))?;
    }
    if let Some(calendar) = &config.office.calendar {
        OfficeCalendar::try_from(calendar)
            .map_err(|(key, message)| (keys(&["office", "calendar", key]), message))?;
    }
    Ok(())
}

fn keys(path: &[&str]) -> Vec<String> {
    path.iter().map(|key| key.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ConfigError;
    use std::path::Path;

    const MINIMAL: &str = "[kiosk]\nid = \"K-1\"\nhall = \"厅\"\ndata_dir = \"/tmp\"\n";

    fn parse(extra: &str) -> Result<KioskConfig, ConfigError> {
        KioskConfig::parse_checked(
            &format!("{MINIMAL}{extra}"),
            Path::new("/etc/kiosk.toml"),
            &[check_config],
        )
    }

    fn parse_calendar(calendar: &str) -> Result<KioskConfig, ConfigError> {
        parse(&format!("[office]\nname = \"某某市某某公证处\"\nname_en = \"N\"\naddress = \"A\"\naddress_en = \"A\"\nhours = \"H\"\nhours_en = \"H\"\nphone = \"1\"\n[office.calendar]\n{calendar}"))
    }

    #[test]
    fn the_example_schedule_is_the_default_and_a_given_one_must_parse() {
        assert!(parse("").unwrap().notary.fee_schedule.is_none());
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("fees.toml");
        std::fs::write(&good, super::super::fees::EXAMPLE_FEES_TOML).unwrap();
        let config = parse(&format!("[notary]\nfee_schedule = {:?}\n", good)).unwrap();
        assert_eq!(config.notary.fee_schedule.as_deref(), Some(good.as_path()));

        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, "schema = 99\n").unwrap();
        let err = parse(&format!("[notary]\nfee_schedule = {:?}\n", bad)).unwrap_err();
        assert!(err.to_string().contains("notary.fee_schedule"), "{err}");
        let err = parse("[notary]\nfee_schedule = \"/nonexistent/fees.toml\"\n").unwrap_err();
        assert!(err.to_string().contains("notary.fee_schedule"), "{err}");
    }

    #[test]
    fn a_calendar_parses_and_bad_entries_are_named() {
        let config = parse_calendar("weekdays = [1, 2, 3, 4, 5, 6]\nopens = \"08:30\"\ncloses = \"17:00\"\nholidays = [\"2027-01-01\"]\n").unwrap();
        let calendar = OfficeCalendar::try_from(config.office.calendar.as_ref().unwrap()).unwrap();
        assert_eq!(calendar.weekdays.len(), 6);
        assert_eq!(calendar.holidays.len(), 1);
        for (bad, key) in [
            (
                "weekdays = [0]\nopens = \"09:00\"\ncloses = \"17:00\"\n",
                "weekdays",
            ),
            (
                "weekdays = [1]\nopens = \"9h\"\ncloses = \"17:00\"\n",
                "opens",
            ),
            (
                "weekdays = [1]\nopens = \"18:00\"\ncloses = \"17:00\"\n",
                "closes",
            ),
            (
                "weekdays = [1]\nopens = \"09:00\"\ncloses = \"17:00\"\nholidays = [\"1 May\"]\n",
                "holidays",
            ),
        ] {
            let err = parse_calendar(bad).unwrap_err().to_string();
            assert!(err.contains(&format!("office.calendar.{key}")), "{err}");
        }
    }
}
