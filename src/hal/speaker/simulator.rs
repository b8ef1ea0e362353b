//! A speaker that records what it would have said, for tests and the demo.

use super::{lock, Prompt, Speaker, SpeakerError, MAX_VOLUME};
use crate::domain::Language;
use crate::hal::DeviceHealth;
use std::sync::Mutex;

/// One prompt as it would have been spoken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Utterance {
    pub prompt_id: String,
    pub language: Language,
    pub text: String,
    pub volume: u8,
}

#[derive(Debug)]
struct State {
    spoken: Vec<Utterance>,
    playing: bool,
    stops: usize,
    volume: u8,
    enabled: bool,
}

#[derive(Debug)]
pub struct SimulatedSpeaker {
    state: Mutex<State>,
}

impl Default for SimulatedSpeaker {
    fn default() -> Self {
        SimulatedSpeaker::new()
    }
}

impl SimulatedSpeaker {
    pub fn new() -> SimulatedSpeaker {
        SimulatedSpeaker {
            state: Mutex::new(State {
                spoken: Vec::new(),
                playing: false,
                stops: 0,
                volume: 70,
                enabled: true,
            }),
        }
    }

    /// Everything said so far, oldest first.
    pub fn spoken(&self) -> Vec<Utterance> {
        lock(&self.state).spoken.clone()
    }

    /// How many times playback was cut short (by `stop`, a new prompt or disabling).
    pub fn interruptions(&self) -> usize {
        lock(&self.state).stops
    }

    /// Ends the simulated playback, as if the prompt had been spoken to the end.
    pub fn finish(&self) {
        lock(&self.state).playing = false;
    }
}

fn interrupt(state: &mut State) {
    if state.playing {
        state.playing = false;
        state.stops += 1;
    }
}

impl Speaker for SimulatedSpeaker {
    fn say(&self, prompt: &Prompt, language: Language) -> Result<(), SpeakerError> {
        let mut state = lock(&self.state);
        if !state.enabled {
            return Ok(());
        }
        interrupt(&mut state);
        let volume = state.volume;
        state.spoken.push(Utterance {
            prompt_id: prompt.id.clone(),
            language,
            text: prompt.text(language).to_owned(),
            volume,
        });
        state.playing = true;
        Ok(())
    }

    fn stop(&self) {
        interrupt(&mut lock(&self.state));
    }

    fn set_volume(&self, percent: u8) {
        lock(&self.state).volume = percent.min(MAX_VOLUME);
    }

    fn set_enabled(&self, enabled: bool) {
        let mut state = lock(&self.state);
        state.enabled = enabled;
        if !enabled {
            interrupt(&mut state);
        }
    }

    fn health(&self) -> DeviceHealth {
        if lock(&self.state).playing {
            DeviceHealth::Busy
        } else {
            DeviceHealth::Ready
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hal::speaker::prompt_for;

    fn prompt(id: &str) -> &'static Prompt {
        prompt_for(id).expect("catalogue prompt")
    }

    #[test]
    fn records_prompts_in_the_chosen_language_at_the_set_volume() {
        let speaker = SimulatedSpeaker::new();
        speaker.set_volume(150);
        speaker.say(prompt("id_card_place"), Language::Zh).unwrap();
        speaker.set_volume(40);
        speaker.say(prompt("id_card_ok"), Language::En).unwrap();
        let spoken = speaker.spoken();
        assert_eq!(spoken.len(), 2);
        assert_eq!(spoken[0].text, "请将身份证放在读卡器上。");
        assert_eq!(spoken[0].volume, 100);
        assert_eq!(spoken[1].prompt_id, "id_card_ok");
        assert_eq!(spoken[1].language, Language::En);
        assert_eq!(spoken[1].volume, 40);
    }

    #[test]
    fn a_new_prompt_interrupts_the_playing_one_and_stop_ends_it() {
        let speaker = SimulatedSpeaker::new();
        speaker.say(prompt("welcome"), Language::Zh).unwrap();
        assert_eq!(speaker.health(), DeviceHealth::Busy);
        speaker.say(prompt("choose_service"), Language::Zh).unwrap();
        assert_eq!(speaker.interruptions(), 1);
        speaker.stop();
        assert_eq!(speaker.interruptions(), 2);
        assert_eq!(speaker.health(), DeviceHealth::Ready);
        speaker.say(prompt("consent"), Language::Zh).unwrap();
        speaker.finish();
        speaker.say(prompt("review"), Language::Zh).unwrap();
        assert_eq!(
            speaker.interruptions(),
            2,
            "a finished prompt is not interrupted"
        );
    }

    #[test]
    fn disabled_guidance_says_nothing() {
        let speaker = SimulatedSpeaker::new();
        speaker.say(prompt("welcome"), Language::Zh).unwrap();
        speaker.set_enabled(false);
        assert_eq!(speaker.interruptions(), 1, "disabling stops playback");
        speaker.say(prompt("goodbye"), Language::Zh).unwrap();
        assert_eq!(speaker.spoken().len(), 1);
        speaker.set_enabled(true);
        speaker.say(prompt("goodbye"), Language::Zh).unwrap();
        assert_eq!(speaker.spoken().len(), 2);
    }
}
