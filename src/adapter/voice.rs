//! Accessibility controls and voice guidance in the UI: the header's high-contrast, voice
//! and volume controls become core commands, and after every command the core's decision
//! ([`cue`]) goes to the speaker through a [`SpeechQueue`], off the UI thread.

use super::Controller;
use crate::config::VOLUME_LEVELS;
use crate::core::voice::{cue, volume_percent, Cue};
use crate::core::{Command, SessionView};
use crate::hal::manager::DeviceMonitor;
use crate::hal::speaker::{SpeechQueue, VoiceSettings};
use crate::ui::{Kiosk, MainWindow};
use slint::ComponentHandle;
use std::rc::Rc;
use std::time::Duration;

/// The speaker side: `None` when no speaker is fitted (the controls still work and show).
pub(super) struct VoiceGuide {
    queue: Option<SpeechQueue>,
}

impl VoiceGuide {
    /// Starts the speech worker for the fitted speaker, set up for `view`.
    pub(super) fn start(devices: Option<&DeviceMonitor>, view: &SessionView) -> VoiceGuide {
        let speaker = devices.and_then(|monitor| match monitor.devices.lock() {
            Ok(devices) => devices.speaker.clone(),
            Err(poisoned) => poisoned.into_inner().speaker.clone(),
        });
        let queue = speaker.and_then(|speaker| match SpeechQueue::start(speaker) {
            Ok(queue) => Some(queue),
            Err(error) => {
                tracing::warn!(%error, "voice guidance unavailable: cannot start its thread");
                None
            }
        });
        if let Some(queue) = &queue {
            queue.configure(settings(view));
        }
        VoiceGuide { queue }
    }

    /// Tells the speaker what the change from `before` to `after` calls for.
    pub(super) fn follow(&self, before: &SessionView, after: &SessionView, wiped: bool) {
        let Some(queue) = &self.queue else {
            return;
        };
        if settings(before) != settings(after) {
            queue.configure(settings(after));
        }
        match cue(before, after, wiped) {
            Cue::Keep => {}
            Cue::Say(prompt) => queue.say(prompt, after.language),
            Cue::Hush => queue.hush(),
        }
    }

    /// Speaks the prompt of a step inside a flow (the notary journey's steps are one
    /// screen to the session, so `follow` does not see them).
    pub(super) fn announce(&self, prompt: &'static str, language: crate::domain::Language) {
        if let Some(queue) = &self.queue {
            queue.say(prompt, language);
        }
    }

    /// Waits until every prompt asked for has reached the speaker (tests, screenshots).
    pub(super) fn settle(&self, timeout: Duration) {
        if let Some(queue) = &self.queue {
            if !queue.wait_idle(timeout) {
                tracing::warn!("voice guidance still busy after {timeout:?}");
            }
        }
    }
}

fn settings(view: &SessionView) -> VoiceSettings {
    VoiceSettings {
        enabled: view.voice,
        volume_percent: volume_percent(view.volume),
    }
}

/// Shows the session's display and voice choices in the `Kiosk` global.
pub(super) fn render(kiosk: &Kiosk<'_>, view: &SessionView) {
    kiosk.set_high_contrast(view.high_contrast);
    kiosk.set_voice(view.voice);
    kiosk.set_volume(i32::from(view.volume));
}

pub(super) fn bind(window: &MainWindow, controller: &Rc<Controller>) {
    let kiosk = window.global::<Kiosk>();
    kiosk.set_volume_levels(i32::from(VOLUME_LEVELS));
    let weak = Rc::downgrade(controller);
    kiosk.on_set_high_contrast(move |on| {
        if let Some(controller) = weak.upgrade() {
            controller.dispatch(Command::SetHighContrast(on));
        }
    });
    let weak = Rc::downgrade(controller);
    kiosk.on_set_voice(move |on| {
        if let Some(controller) = weak.upgrade() {
            controller.dispatch(Command::SetVoice(on));
        }
    });
    let weak = Rc::downgrade(controller);
    kiosk.on_set_volume(move |level| {
        if let Some(controller) = weak.upgrade() {
            // Out-of-range taps (below 1, above the top level) are clamped by the core.
            let level = u8::try_from(level.clamp(0, i32::from(u8::MAX))).unwrap_or(0);
            controller.dispatch(Command::SetVolume(level));
        }
    });
}
