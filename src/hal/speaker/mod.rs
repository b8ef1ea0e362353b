//! Voice guidance: a [`Speaker`] says catalogue prompts ([`prompt_for`]) in the user's
//! language. The real driver runs espeak-ng; the simulator (feature `simulators`) records what
//! was said. A new prompt interrupts the one playing, so guidance follows the user's taps.

mod espeak;
mod prompts;
mod queue;
#[cfg(feature = "simulators")]
mod simulator;

pub use espeak::{EspeakConfig, EspeakSpeaker};
pub use prompts::{prompt_for, CatalogueError, Prompt, PromptCatalogue};
pub use queue::{SpeechQueue, VoiceSettings};
#[cfg(feature = "simulators")]
pub use simulator::{SimulatedSpeaker, Utterance};

use super::DeviceHealth;
use crate::config::SpeakerConfig;
use crate::domain::Language;
use std::sync::Arc;
use thiserror::Error;

/// Highest volume, in percent.
pub const MAX_VOLUME: u8 = 100;

#[derive(Debug, Error)]
pub enum SpeakerError {
    #[error("cannot start {program}: {reason}")]
    Spawn { program: String, reason: String },
    #[error("{program} did not finish within {seconds} s")]
    Timeout { program: String, seconds: u64 },
    #[error("{program} failed with {status}")]
    Failed { program: String, status: String },
}

/// Voice output. Calls return soon (espeak-ng's start-up may take a moment; the UI goes
/// through [`SpeechQueue`]): speech plays in the background.
pub trait Speaker: Send + Sync {
    /// Speaks `prompt` in `language`, interrupting whatever is playing. Does nothing while
    /// voice guidance is disabled.
    fn say(&self, prompt: &Prompt, language: Language) -> Result<(), SpeakerError>;
    /// Stops the prompt playing, if any.
    fn stop(&self);
    /// Sets the volume in percent (values above [`MAX_VOLUME`] count as 100).
    fn set_volume(&self, percent: u8);
    /// Turns voice guidance on or off (a user's or staff choice); off also stops playback.
    fn set_enabled(&self, enabled: bool);
    fn health(&self) -> DeviceHealth;
}

/// The speaker a kiosk's configuration asks for; `None` when none is fitted.
pub fn open(config: &SpeakerConfig) -> Option<Arc<dyn Speaker>> {
    match config {
        SpeakerConfig::None => None,
        SpeakerConfig::EspeakNg { volume } => {
            let speaker = EspeakSpeaker::new(EspeakConfig::default());
            speaker.set_volume(*volume);
            Some(Arc::new(speaker))
        }
        #[cfg(feature = "simulators")]
        SpeakerConfig::Simulated => Some(Arc::new(SimulatedSpeaker::new())),
    }
}

/// Locks a mutex, recovering the data if a thread panicked while holding it: speaker state
/// stays usable, and a muted kiosk is worse than one with a stale volume.
fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
