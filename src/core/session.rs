//! The citizen session: which screen is up, the way back, language, large text, high
//! contrast, voice guidance and its volume, and idle. The display and voice choices last
//! while the citizen navigates (Home keeps them, like the language) and end with the session:
//! an elderly user who turned on large text or voice expects them on every screen of their
//! visit, and the next person expects the kiosk as configured.
//!
//! Commands come from the UI adapter (a tap, a key, a timer tick); the adapter then renders
//! [`Session::view`]. A wipe returns everything a citizen changed or entered to the defaults,
//! so the next person finds a fresh kiosk.

use super::idle::{IdlePhase, IdleTimer};
use super::screen::Screen;
use crate::config::{AccessibilitySection, IdleSection, VOLUME_LEVELS};
use crate::domain::Language;
use std::time::Duration;

/// What the UI asks the core to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Open a screen on top of the current one.
    Open(Screen),
    /// Go back one screen.
    Back,
    /// Return to the home screen, keeping the session (language, text size).
    Home,
    SetLanguage(Language),
    SetLargeText(bool),
    SetHighContrast(bool),
    /// Voice guidance on or off.
    SetVoice(bool),
    /// Volume level, clamped to 1..=VOLUME_LEVELS.
    SetVolume(u8),
    /// Any touch or key: resets the idle timer and dismisses its prompt.
    Activity,
    /// "End now" on the idle prompt, or the end of a journey: wipe at once.
    EndSession,
    /// Time passed (fed by the UI's one-second timer).
    Tick(Duration),
}

/// What a command did, so the adapter knows how much to refresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Unchanged,
    Changed,
    /// The session was wiped: the adapter must also drop anything it holds.
    Wiped,
}

/// A snapshot of everything the UI shows about the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionView {
    pub screen: Screen,
    pub can_go_back: bool,
    pub language: Language,
    pub large_text: bool,
    pub high_contrast: bool,
    pub voice: bool,
    /// Volume level, 1..=VOLUME_LEVELS.
    pub volume: u8,
    /// Seconds left on the "continue?" prompt, when it is up.
    pub idle_warning: Option<u32>,
}

#[derive(Debug)]
pub struct Session {
    default_language: Language,
    idle_limits: IdleSection,
    screen: Screen,
    back_stack: Vec<Screen>,
    language: Language,
    large_text: bool,
    accessibility: AccessibilitySection,
    high_contrast: bool,
    voice: bool,
    volume: u8,
    idle: IdleTimer,
}

impl Session {
    pub fn new(default_language: Language, idle_limits: IdleSection) -> Session {
        let mut session = Session {
            default_language,
            idle_limits,
            screen: Screen::Home,
            back_stack: Vec::new(),
            language: default_language,
            large_text: false,
            accessibility: AccessibilitySection::default(),
            high_contrast: false,
            voice: AccessibilitySection::default().voice_default,
            volume: AccessibilitySection::default().volume_default,
            idle: IdleTimer::new(Duration::ZERO, Duration::ZERO),
        };
        session.apply_idle_limits();
        session
    }

    /// The voice settings every session starts with (config `[accessibility]`).
    pub fn with_accessibility(mut self, defaults: AccessibilitySection) -> Session {
        self.accessibility = defaults;
        self.voice = defaults.voice_default;
        self.volume = defaults.volume_default.clamp(1, VOLUME_LEVELS);
        self
    }

    pub fn view(&self) -> SessionView {
        SessionView {
            screen: self.screen,
            can_go_back: !self.back_stack.is_empty(),
            language: self.language,
            large_text: self.large_text,
            high_contrast: self.high_contrast,
            voice: self.voice,
            volume: self.volume,
            idle_warning: match self.idle_phase() {
                IdlePhase::Warning { seconds_left } => Some(seconds_left),
                _ => None,
            },
        }
    }

    pub fn handle(&mut self, command: Command) -> Outcome {
        match command {
            Command::Tick(elapsed) => return self.tick(elapsed),
            Command::EndSession => {
                let had_state = self.has_state();
                self.wipe();
                return if had_state {
                    Outcome::Wiped
                } else {
                    Outcome::Unchanged
                };
            }
            _ => {}
        }
        let before = self.view();
        self.idle.touch();
        match command {
            Command::Open(screen) if screen != self.screen => {
                self.back_stack.push(self.screen);
                self.screen = screen;
            }
            Command::Back => {
                if let Some(previous) = self.back_stack.pop() {
                    self.screen = previous;
                }
            }
            Command::Home => {
                self.back_stack.clear();
                self.screen = Screen::Home;
            }
            Command::SetLanguage(language) => self.language = language,
            Command::SetLargeText(on) => {
                self.large_text = on;
                self.apply_idle_limits();
            }
            Command::SetHighContrast(on) => {
                self.high_contrast = on;
                self.apply_idle_limits();
            }
            Command::SetVoice(on) => self.voice = on,
            Command::SetVolume(level) => self.volume = level.clamp(1, VOLUME_LEVELS),
            Command::Open(_) | Command::Activity | Command::Tick(_) | Command::EndSession => {}
        }
        if self.view() == before {
            Outcome::Unchanged
        } else {
            Outcome::Changed
        }
    }

    /// Whether anything a citizen did would be visible to the next person.
    pub fn has_state(&self) -> bool {
        self.screen != Screen::Home
            || self.language != self.default_language
            || self.large_text
            || self.high_contrast
            || self.voice != self.accessibility.voice_default
            || self.volume != self.accessibility.volume_default
    }

    fn tick(&mut self, elapsed: Duration) -> Outcome {
        if !self.has_state() {
            // A kiosk at rest on the home screen has nothing to protect: never nag.
            self.idle.touch();
            return Outcome::Unchanged;
        }
        let before = self.view();
        match self.idle.advance(elapsed) {
            IdlePhase::Expired => {
                self.wipe();
                Outcome::Wiped
            }
            _ if self.view() != before => Outcome::Changed,
            _ => Outcome::Unchanged,
        }
    }

    fn idle_phase(&self) -> IdlePhase {
        if self.has_state() {
            self.idle.phase()
        } else {
            IdlePhase::Active
        }
    }

    fn wipe(&mut self) {
        self.screen = Screen::Home;
        self.back_stack.clear();
        self.language = self.default_language;
        self.large_text = false;
        self.high_contrast = false;
        self.voice = self.accessibility.voice_default;
        self.volume = self.accessibility.volume_default.clamp(1, VOLUME_LEVELS);
        self.apply_idle_limits();
        self.idle.touch();
    }

    /// Elderly (large-text) and low-vision (high-contrast) modes get longer limits: no time
    /// pressure.
    fn apply_idle_limits(&mut self) {
        let factor = if self.large_text || self.high_contrast {
            self.idle_limits.elderly_factor.max(1)
        } else {
            1
        };
        self.idle.set_limits(
            Duration::from_secs(u64::from(self.idle_limits.warn_after_s * factor)),
            Duration::from_secs(u64::from(self.idle_limits.countdown_s * factor)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        Session::new(Language::Zh, IdleSection::default())
    }

    fn tick(s: &mut Session, seconds: u64) -> Outcome {
        s.handle(Command::Tick(Duration::from_secs(seconds)))
    }

    #[test]
    fn open_and_back_navigate_a_stack() {
        let mut s = session();
        assert_eq!(s.handle(Command::Open(Screen::Notary)), Outcome::Changed);
        assert!(s.view().can_go_back);
        assert_eq!(s.handle(Command::Back), Outcome::Changed);
        assert_eq!(s.view().screen, Screen::Home);
        assert!(!s.view().can_go_back);
        assert_eq!(s.handle(Command::Back), Outcome::Unchanged);
    }

    #[test]
    fn home_clears_the_way_back() {
        let mut s = session();
        s.handle(Command::Open(Screen::Consultation));
        s.handle(Command::Open(Screen::LegalAid));
        s.handle(Command::Home);
        assert_eq!(s.view().screen, Screen::Home);
        assert!(!s.view().can_go_back);
    }

    #[test]
    fn idle_warns_then_wipes_everything() {
        let mut s = session();
        s.handle(Command::SetLanguage(Language::En));
        s.handle(Command::Open(Screen::Notary));
        assert_eq!(tick(&mut s, 89), Outcome::Unchanged);
        assert_eq!(tick(&mut s, 1), Outcome::Changed);
        assert_eq!(s.view().idle_warning, Some(30));
        assert_eq!(tick(&mut s, 29), Outcome::Changed);
        assert_eq!(s.view().idle_warning, Some(1));
        assert_eq!(tick(&mut s, 1), Outcome::Wiped);
        let view = s.view();
        assert_eq!(view.screen, Screen::Home);
        assert_eq!(view.language, Language::Zh);
        assert_eq!(view.idle_warning, None);
    }

    #[test]
    fn activity_dismisses_the_warning() {
        let mut s = session();
        s.handle(Command::Open(Screen::Progress));
        tick(&mut s, 95);
        assert!(s.view().idle_warning.is_some());
        assert_eq!(s.handle(Command::Activity), Outcome::Changed);
        assert_eq!(s.view().idle_warning, None);
        assert_eq!(s.view().screen, Screen::Progress);
    }

    #[test]
    fn resting_home_screen_never_warns() {
        let mut s = session();
        assert_eq!(tick(&mut s, 10_000), Outcome::Unchanged);
        assert_eq!(s.view().idle_warning, None);
    }

    #[test]
    fn large_text_doubles_the_patience() {
        let mut s = session();
        s.handle(Command::SetLargeText(true));
        tick(&mut s, 179);
        assert_eq!(s.view().idle_warning, None);
        tick(&mut s, 1);
        assert_eq!(s.view().idle_warning, Some(60));
        tick(&mut s, 60);
        assert!(!s.view().large_text, "wiped back to normal text");
    }

    #[test]
    fn end_session_wipes_at_once() {
        let mut s = session();
        s.handle(Command::Open(Screen::LegalAid));
        assert_eq!(s.handle(Command::EndSession), Outcome::Wiped);
        assert_eq!(s.view().screen, Screen::Home);
        assert_eq!(s.handle(Command::EndSession), Outcome::Unchanged);
    }
}

#[cfg(test)]
mod accessibility_tests {
    use super::*;

    fn session() -> Session {
        Session::new(Language::Zh, IdleSection::default()).with_accessibility(
            AccessibilitySection {
                voice_default: true,
                volume_default: 2,
            },
        )
    }

    #[test]
    fn display_and_voice_choices_survive_home_and_end_with_the_session() {
        let mut s = session();
        assert_eq!((s.view().voice, s.view().volume), (true, 2));
        s.handle(Command::SetHighContrast(true));
        s.handle(Command::SetVoice(false));
        s.handle(Command::SetVolume(4));
        s.handle(Command::Open(Screen::Notary));
        s.handle(Command::Home);
        let kept = s.view();
        assert!(kept.high_contrast && !kept.voice && kept.volume == 4);
        assert_eq!(s.handle(Command::EndSession), Outcome::Wiped);
        let fresh = s.view();
        assert!(!fresh.high_contrast);
        assert_eq!(
            (fresh.voice, fresh.volume),
            (true, 2),
            "configured defaults"
        );
    }

    #[test]
    fn volume_stays_within_the_levels() {
        let mut s = session();
        s.handle(Command::SetVolume(0));
        assert_eq!(s.view().volume, 1);
        s.handle(Command::SetVolume(200));
        assert_eq!(s.view().volume, VOLUME_LEVELS);
    }

    #[test]
    fn a_changed_setting_on_the_home_screen_is_wiped_when_idle() {
        let mut s = session();
        s.handle(Command::SetHighContrast(true));
        assert!(s.has_state(), "the next person must not inherit it");
        // High contrast gets the elderly patience: 2 × (90 + 30) s.
        assert_eq!(
            s.handle(Command::Tick(Duration::from_secs(179))),
            Outcome::Unchanged
        );
        s.handle(Command::Tick(Duration::from_secs(1)));
        assert!(s.view().idle_warning.is_some());
        assert_eq!(
            s.handle(Command::Tick(Duration::from_secs(60))),
            Outcome::Wiped
        );
        assert!(!s.view().high_contrast);
        let mut s = session();
        s.handle(Command::SetVolume(5));
        assert!(s.has_state());
        s.handle(Command::SetVolume(2));
        assert!(!s.has_state(), "back at the default is nothing to wipe");
    }
}
