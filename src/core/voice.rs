//! Voice guidance decisions, free of Slint and of the speaker: which prompt (an id in
//! `data/voice/prompts.toml`) each screen and notary step speaks, what a change of the
//! session makes the kiosk say, and how a volume level maps to the speaker's percent.
//!
//! Guidance follows the citizen: a new screen speaks its prompt; the idle question is spoken
//! because a user may be looking at a document rather than the screen; switching language,
//! turning voice on and changing the volume are confirmed aloud. The kiosk stays silent at
//! start-up and after a wipe: nobody is there to hear it.

use super::notary::journey::Step;
use super::screen::Screen;
use super::session::SessionView;
use crate::config::VOLUME_LEVELS;

/// The prompt spoken when `screen` opens; `None` for the staff screens, which speak nothing
/// (staff work silently in a hall where a citizen may be waiting).
pub fn screen_prompt(screen: Screen) -> Option<&'static str> {
    let prompt = match screen {
        Screen::Home => "welcome",
        Screen::Notary => "notary_intro",
        Screen::Consultation => "consultation_hub",
        Screen::Progress => "progress_query",
        Screen::LegalAid => "legal_aid_precheck",
        Screen::ConsultSearch => "consult_search",
        Screen::ConsultArticle => "consult_article",
        Screen::ConsultGuideTopics => "consultation_category",
        Screen::ConsultGuide => "consultation_question",
        Screen::ConsultRequest => "consult_request",
        Screen::ConsultReceipt => "submitted",
        Screen::StaffLogin | Screen::StaffDevices | Screen::StaffOutbox | Screen::StaffSystem => {
            return None
        }
    };
    Some(prompt)
}

/// The prompt spoken when the notary journey reaches `step`.
pub fn notary_step_prompt(step: Step) -> &'static str {
    match step {
        Step::ChooseMatter => "notary_choose_matter",
        Step::MatterInfo => "notary_matter_info",
        Step::Jurisdiction => "notary_jurisdiction",
        Step::Consent => "consent",
        Step::ConsentDeclined => "consent_declined",
        Step::Identify => "id_card_place",
        Step::Parties => "notary_parties",
        Step::Form => "form_matter_details",
        Step::Appointment => "notary_appointment",
        Step::Materials => "camera_capture",
        Step::Fee => "fee",
        Step::Review => "review",
        Step::Declaration => "truthfulness_promise",
        Step::Signature => "signature",
        Step::Submitting => "submitting",
        Step::Receipt => "receipt_printed",
        Step::Rating => "rating",
        Step::End => "goodbye",
    }
}

/// The speaker volume in percent for a level (1..=VOLUME_LEVELS, clamped): equal steps up
/// to 100 %, so the quietest level is still audible in a hall.
pub fn volume_percent(level: u8) -> u8 {
    let level = level.clamp(1, VOLUME_LEVELS);
    // level ≤ VOLUME_LEVELS, so the result is at most 100.
    (u16::from(level) * 100 / u16::from(VOLUME_LEVELS)) as u8
}

/// What the speaker should do after a session change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// Carry on: whatever plays may finish.
    Keep,
    /// Speak this prompt, replacing one that is playing or waiting.
    Say(&'static str),
    /// Stop speaking and drop anything waiting.
    Hush,
}

/// The cue for the change from `before` to `after`; `wiped` when the session just ended.
pub fn cue(before: &SessionView, after: &SessionView, wiped: bool) -> Cue {
    if wiped || !after.voice {
        return if wiped || before.voice {
            Cue::Hush
        } else {
            Cue::Keep
        };
    }
    if !before.voice || after.screen != before.screen {
        return match screen_prompt(after.screen) {
            Some(prompt) => Cue::Say(prompt),
            None => Cue::Hush,
        };
    }
    if after.idle_warning.is_some() && before.idle_warning.is_none() {
        return Cue::Say("idle_warning");
    }
    if after.language != before.language {
        return Cue::Say("language_switched");
    }
    if after.volume != before.volume {
        return Cue::Say("volume_changed");
    }
    Cue::Keep
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::VOLUME_LEVELS;
    use crate::domain::Language;
    use crate::hal::speaker::PromptCatalogue;

    const STEPS: [Step; 18] = [
        Step::ChooseMatter,
        Step::MatterInfo,
        Step::Jurisdiction,
        Step::Consent,
        Step::ConsentDeclined,
        Step::Identify,
        Step::Parties,
        Step::Form,
        Step::Appointment,
        Step::Materials,
        Step::Fee,
        Step::Review,
        Step::Declaration,
        Step::Signature,
        Step::Submitting,
        Step::Receipt,
        Step::Rating,
        Step::End,
    ];

    fn assert_in_catalogue(id: &str, what: &str) {
        let prompt = PromptCatalogue::embedded()
            .get(id)
            .unwrap_or_else(|| panic!("{what}: prompt `{id}` is not in the catalogue"));
        for language in [Language::Zh, Language::En] {
            assert!(
                !prompt.text(language).trim().is_empty(),
                "{what}: `{id}` has no {language:?} text"
            );
        }
    }

    #[test]
    fn every_citizen_screen_has_a_prompt_in_both_languages_and_staff_screens_none() {
        let citizen: Vec<Screen> = Screen::ALL.into_iter().filter(|s| !s.is_staff()).collect();
        for screen in &citizen {
            let id = screen_prompt(*screen).expect("a citizen screen speaks");
            assert_in_catalogue(id, screen.name());
        }
        // Screens that look different say different things.
        let mut ids: Vec<_> = citizen.iter().filter_map(|s| screen_prompt(*s)).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), citizen.len());
        for screen in Screen::ALL.into_iter().filter(|s| s.is_staff()) {
            assert_eq!(screen_prompt(screen), None, "{}", screen.name());
        }
    }

    #[test]
    fn every_notary_step_has_a_prompt_in_both_languages() {
        for step in STEPS {
            assert_in_catalogue(notary_step_prompt(step), &format!("{step:?}"));
        }
        assert_eq!(notary_step_prompt(Step::Identify), "id_card_place");
    }

    #[test]
    fn confirmation_prompts_exist() {
        for id in ["idle_warning", "language_switched", "volume_changed"] {
            assert_in_catalogue(id, id);
        }
    }

    #[test]
    fn volume_levels_rise_in_equal_steps_to_full() {
        let percents: Vec<u8> = (1..=VOLUME_LEVELS).map(volume_percent).collect();
        assert_eq!(percents, [20, 40, 60, 80, 100]);
        assert_eq!(volume_percent(0), 20, "below range: quietest");
        assert_eq!(volume_percent(9), 100, "above range: loudest");
    }

    fn view() -> SessionView {
        SessionView {
            screen: Screen::Home,
            can_go_back: false,
            language: Language::Zh,
            large_text: false,
            high_contrast: false,
            voice: true,
            volume: 3,
            idle_warning: None,
        }
    }

    #[test]
    fn a_new_screen_speaks_its_prompt() {
        let after = SessionView {
            screen: Screen::Consultation,
            can_go_back: true,
            ..view()
        };
        assert_eq!(cue(&view(), &after, false), Cue::Say("consultation_hub"));
        assert_eq!(cue(&after, &after, false), Cue::Keep);
    }

    #[test]
    fn idle_question_language_and_volume_are_spoken() {
        let warned = SessionView {
            idle_warning: Some(30),
            ..view()
        };
        assert_eq!(cue(&view(), &warned, false), Cue::Say("idle_warning"));
        let counting = SessionView {
            idle_warning: Some(29),
            ..view()
        };
        assert_eq!(cue(&warned, &counting, false), Cue::Keep);
        let english = SessionView {
            language: Language::En,
            ..view()
        };
        assert_eq!(cue(&view(), &english, false), Cue::Say("language_switched"));
        let louder = SessionView {
            volume: 4,
            ..view()
        };
        assert_eq!(cue(&view(), &louder, false), Cue::Say("volume_changed"));
    }

    #[test]
    fn voice_off_hushes_and_stays_silent_and_on_speaks_the_screen() {
        let off = SessionView {
            voice: false,
            ..view()
        };
        assert_eq!(cue(&view(), &off, false), Cue::Hush);
        let off_elsewhere = SessionView {
            screen: Screen::Progress,
            ..off.clone()
        };
        assert_eq!(cue(&off, &off_elsewhere, false), Cue::Keep);
        assert_eq!(
            cue(
                &off_elsewhere,
                &SessionView {
                    voice: true,
                    ..off_elsewhere.clone()
                },
                false
            ),
            Cue::Say("progress_query")
        );
    }

    #[test]
    fn a_wipe_is_silent() {
        let busy = SessionView {
            screen: Screen::LegalAid,
            ..view()
        };
        assert_eq!(cue(&busy, &view(), true), Cue::Hush);
    }
}
