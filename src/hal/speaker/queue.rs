//! A speaker that never blocks its caller: requests go to a worker thread through a queue of
//! one. A prompt that has not started yet is replaced by a newer one, so a citizen tapping
//! quickly through screens hears the screen they are on, not a backlog.

use super::{lock, prompt_for, Speaker};
use crate::domain::Language;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Volume and on/off, as the speaker should have them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoiceSettings {
    pub enabled: bool,
    pub volume_percent: u8,
}

#[derive(Debug, Default)]
struct Pending {
    settings: Option<VoiceSettings>,
    stop: bool,
    prompt: Option<(&'static str, Language)>,
    /// The worker is talking to the speaker right now.
    busy: bool,
    closed: bool,
}

impl Pending {
    fn is_empty(&self) -> bool {
        self.settings.is_none() && !self.stop && self.prompt.is_none()
    }
}

type Shared = Arc<(Mutex<Pending>, Condvar)>;

/// The handle the UI holds; dropping it ends the worker once it is idle.
pub struct SpeechQueue {
    shared: Shared,
}

impl SpeechQueue {
    pub fn start(speaker: Arc<dyn Speaker>) -> std::io::Result<SpeechQueue> {
        let shared: Shared = Arc::default();
        let worker = shared.clone();
        std::thread::Builder::new()
            .name("voice".into())
            .spawn(move || run(&worker, speaker.as_ref()))?;
        Ok(SpeechQueue { shared })
    }

    /// Applies volume and on/off before anything queued after this call.
    pub fn configure(&self, settings: VoiceSettings) {
        self.update(|pending| {
            pending.settings = Some(settings);
            if !settings.enabled {
                pending.prompt = None;
            }
        });
    }

    /// Speaks the catalogue prompt `id`, replacing a prompt still waiting. Unknown ids are
    /// logged and dropped (the catalogue tests keep every id the core uses).
    pub fn say(&self, id: &'static str, language: Language) {
        self.update(|pending| pending.prompt = Some((id, language)));
    }

    /// Stops the prompt playing and drops one waiting.
    pub fn hush(&self) {
        self.update(|pending| {
            pending.prompt = None;
            pending.stop = true;
        });
    }

    /// Waits until everything asked so far has reached the speaker; false on timeout.
    pub fn wait_idle(&self, timeout: Duration) -> bool {
        let (mutex, condvar) = &*self.shared;
        let deadline = Instant::now() + timeout;
        let mut pending = lock(mutex);
        while pending.busy || !pending.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            pending = condvar
                .wait_timeout(pending, left)
                .map(|(guard, _)| guard)
                .unwrap_or_else(|poisoned| poisoned.into_inner().0);
        }
        true
    }

    fn update(&self, change: impl FnOnce(&mut Pending)) {
        let (mutex, condvar) = &*self.shared;
        change(&mut lock(mutex));
        condvar.notify_all();
    }
}

impl Drop for SpeechQueue {
    fn drop(&mut self) {
        self.update(|pending| pending.closed = true);
    }
}

fn run(shared: &Shared, speaker: &dyn Speaker) {
    let (mutex, condvar) = &**shared;
    loop {
        let (settings, stop, prompt) = {
            let mut pending = lock(mutex);
            while pending.is_empty() && !pending.closed {
                pending = condvar
                    .wait(pending)
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
            }
            if pending.closed {
                return;
            }
            pending.busy = true;
            (
                pending.settings.take(),
                std::mem::take(&mut pending.stop),
                pending.prompt.take(),
            )
        };
        if let Some(settings) = settings {
            speaker.set_volume(settings.volume_percent);
            speaker.set_enabled(settings.enabled);
        }
        if stop {
            speaker.stop();
        }
        if let Some((id, language)) = prompt {
            match prompt_for(id) {
                // The speaker logs its own failures; guidance goes on with the next prompt.
                Some(prompt) => drop(speaker.say(prompt, language)),
                None => tracing::warn!(prompt = id, "no such voice prompt"),
            }
        }
        lock(mutex).busy = false;
        condvar.notify_all();
    }
}

#[cfg(all(test, feature = "simulators"))]
mod tests {
    use super::*;
    use crate::hal::speaker::{Prompt, SimulatedSpeaker, SpeakerError};
    use crate::hal::DeviceHealth;
    use std::sync::mpsc;

    /// A simulated speaker whose first `say` blocks until released, like espeak-ng starting
    /// on a busy system.
    struct SlowToStart {
        inner: SimulatedSpeaker,
        started: Mutex<Option<mpsc::Sender<()>>>,
        release: Mutex<Option<mpsc::Receiver<()>>>,
    }

    impl Speaker for SlowToStart {
        fn say(&self, prompt: &Prompt, language: Language) -> Result<(), SpeakerError> {
            if let Some(started) = lock(&self.started).take() {
                started.send(()).unwrap();
                let release = lock(&self.release).take().unwrap();
                release.recv().unwrap();
            }
            self.inner.say(prompt, language)
        }
        fn stop(&self) {
            self.inner.stop()
        }
        fn set_volume(&self, percent: u8) {
            self.inner.set_volume(percent)
        }
        fn set_enabled(&self, enabled: bool) {
            self.inner.set_enabled(enabled)
        }
        fn health(&self) -> DeviceHealth {
            self.inner.health()
        }
    }

    fn ids(speaker: &SimulatedSpeaker) -> Vec<String> {
        speaker.spoken().into_iter().map(|u| u.prompt_id).collect()
    }

    #[test]
    fn a_waiting_prompt_is_replaced_by_a_newer_one() {
        let (started_tx, started) = mpsc::channel();
        let (release, release_rx) = mpsc::channel();
        let speaker = Arc::new(SlowToStart {
            inner: SimulatedSpeaker::new(),
            started: Mutex::new(Some(started_tx)),
            release: Mutex::new(Some(release_rx)),
        });
        let queue = SpeechQueue::start(speaker.clone()).unwrap();
        queue.say("welcome", Language::Zh);
        started.recv().unwrap();
        // The worker is stuck in the first say: these wait, and only the last survives.
        queue.say("consultation_hub", Language::Zh);
        queue.say("consult_search", Language::En);
        release.send(()).unwrap();
        assert!(queue.wait_idle(Duration::from_secs(5)));
        assert_eq!(ids(&speaker.inner), ["welcome", "consult_search"]);
        assert_eq!(speaker.inner.spoken()[1].language, Language::En);
    }

    #[test]
    fn settings_reach_the_speaker_before_the_next_prompt() {
        let speaker = Arc::new(SimulatedSpeaker::new());
        let queue = SpeechQueue::start(speaker.clone()).unwrap();
        queue.configure(VoiceSettings {
            enabled: true,
            volume_percent: 40,
        });
        queue.say("volume_changed", Language::Zh);
        assert!(queue.wait_idle(Duration::from_secs(5)));
        queue.configure(VoiceSettings {
            enabled: false,
            volume_percent: 40,
        });
        queue.say("welcome", Language::Zh);
        assert!(queue.wait_idle(Duration::from_secs(5)));
        let spoken = speaker.spoken();
        assert_eq!(spoken.len(), 1, "nothing is said while voice is off");
        assert_eq!(spoken[0].volume, 40);
        assert_eq!(spoken[0].text, "音量已调整。");
    }

    #[test]
    fn hush_stops_playback_and_unknown_prompts_are_dropped() {
        let speaker = Arc::new(SimulatedSpeaker::new());
        let queue = SpeechQueue::start(speaker.clone()).unwrap();
        queue.say("welcome", Language::Zh);
        assert!(queue.wait_idle(Duration::from_secs(5)));
        queue.hush();
        queue.say("no_such_prompt", Language::Zh);
        assert!(queue.wait_idle(Duration::from_secs(5)));
        assert_eq!(speaker.interruptions(), 1);
        assert_eq!(ids(&speaker), ["welcome"]);
    }
}
