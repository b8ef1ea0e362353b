//! The kinds of device a kiosk may have: the one list the drivers, the flows, staff mode,
//! audit and telemetry all name devices from.

use serde::Serialize;

/// A kind of device. Serialised by [`DeviceKind::name`], the name audit records, telemetry
/// and the staff screen use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeviceKind {
    IdReader,
    SmartCard,
    Fingerprint,
    Printer,
    Gpio,
    Camera,
    Speaker,
}

impl DeviceKind {
    /// Every kind, in the order staff see them.
    pub const ALL: [DeviceKind; 7] = [
        DeviceKind::IdReader,
        DeviceKind::SmartCard,
        DeviceKind::Fingerprint,
        DeviceKind::Printer,
        DeviceKind::Gpio,
        DeviceKind::Camera,
        DeviceKind::Speaker,
    ];

    pub fn name(self) -> &'static str {
        match self {
            DeviceKind::IdReader => "id-reader",
            DeviceKind::SmartCard => "smart-card",
            DeviceKind::Fingerprint => "fingerprint",
            DeviceKind::Printer => "printer",
            DeviceKind::Gpio => "gpio",
            DeviceKind::Camera => "camera",
            DeviceKind::Speaker => "speaker",
        }
    }

    pub fn parse(name: &str) -> Option<DeviceKind> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::DeviceKind;

    #[test]
    fn names_are_the_serialised_names_and_parse_back() {
        for kind in DeviceKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.name()));
            assert_eq!(DeviceKind::parse(kind.name()), Some(kind));
        }
        assert_eq!(DeviceKind::parse("toaster"), None);
    }
}
