//! The screens of the kiosk. Names are stable: they are used by `screenshot --screen`, by
//! golden images and by tests.

/// One screen of the kiosk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Screen {
    /// The service menu every session starts from.
    Home,
    /// Notary application (公证申请).
    Notary,
    /// Legal consultation (法律咨询).
    Consultation,
    /// Progress query (进度查询).
    Progress,
    /// Legal-aid pre-check (法律援助).
    LegalAid,
    /// Statute search (法条检索).
    ConsultSearch,
    /// One article with its neighbours.
    ConsultArticle,
    /// The topics of the guided questions.
    ConsultGuideTopics,
    /// One guided question at a time, then the outcome.
    ConsultGuide,
    /// Call-back or legal-aid application request form.
    ConsultRequest,
    /// The receipt of a committed request.
    ConsultReceipt,
    /// Staff maintenance: card or finger, then PIN.
    StaffLogin,
    /// Staff: every device's state, fault history and self-test.
    StaffDevices,
    /// Staff: the delivery queue and parked items.
    StaffOutbox,
    /// Staff: software, storage, network, status ticket, export, restart.
    StaffSystem,
}

impl Screen {
    pub const ALL: [Screen; 15] = [
        Screen::Home,
        Screen::Notary,
        Screen::Consultation,
        Screen::Progress,
        Screen::LegalAid,
        Screen::ConsultSearch,
        Screen::ConsultArticle,
        Screen::ConsultGuideTopics,
        Screen::ConsultGuide,
        Screen::ConsultRequest,
        Screen::ConsultReceipt,
        Screen::StaffLogin,
        Screen::StaffDevices,
        Screen::StaffOutbox,
        Screen::StaffSystem,
    ];

    /// Stable kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            Screen::Home => "home",
            Screen::Notary => "notary",
            Screen::Consultation => "consultation",
            Screen::Progress => "progress",
            Screen::LegalAid => "legal-aid",
            Screen::ConsultSearch => "consult-search",
            Screen::ConsultArticle => "consult-article",
            Screen::ConsultGuideTopics => "consult-guide-topics",
            Screen::ConsultGuide => "consult-guide",
            Screen::ConsultRequest => "consult-request",
            Screen::ConsultReceipt => "consult-receipt",
            Screen::StaffLogin => "staff-login",
            Screen::StaffDevices => "staff-devices",
            Screen::StaffOutbox => "staff-outbox",
            Screen::StaffSystem => "staff-system",
        }
    }

    /// A screen of staff maintenance mode (never part of a citizen's journey).
    pub fn is_staff(self) -> bool {
        matches!(
            self,
            Screen::StaffLogin | Screen::StaffDevices | Screen::StaffOutbox | Screen::StaffSystem
        )
    }

    pub fn from_name(name: &str) -> Option<Screen> {
        Screen::ALL.into_iter().find(|s| s.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for screen in Screen::ALL {
            assert_eq!(Screen::from_name(screen.name()), Some(screen));
        }
        let mut names: Vec<_> = Screen::ALL.iter().map(|s| s.name()).collect();
        names.dedup();
        assert_eq!(names.len(), Screen::ALL.len());
        assert_eq!(Screen::from_name("nonsense"), None);
    }
}
