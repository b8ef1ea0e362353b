//! The espeak-ng driver: one `espeak-ng` process per prompt, killed when the next prompt
//! starts or on `stop`, so speech never queues up behind a user who has moved on.

use super::{lock, Prompt, Speaker, SpeakerError, MAX_VOLUME};
use crate::domain::Language;
use crate::hal::DeviceHealth;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How espeak-ng is run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EspeakConfig {
    /// The program, looked up in `PATH` unless it contains a `/`.
    pub program: PathBuf,
    /// Voice for Chinese prompts (Mandarin).
    pub voice_zh: String,
    /// Voice for English prompts.
    pub voice_en: String,
    /// Speaking rate; espeak-ng's default (175) is fast for elderly listeners.
    pub words_per_minute: u16,
}

impl Default for EspeakConfig {
    fn default() -> Self {
        EspeakConfig {
            program: PathBuf::from("espeak-ng"),
            voice_zh: "cmn".into(),
            voice_en: "en".into(),
            words_per_minute: 150,
        }
    }
}

#[derive(Debug)]
struct State {
    playing: Option<Child>,
    volume: u8,
    enabled: bool,
    last_error: Option<String>,
}

#[derive(Debug)]
pub struct EspeakSpeaker {
    config: EspeakConfig,
    state: Mutex<State>,
}

impl EspeakSpeaker {
    pub fn new(config: EspeakConfig) -> EspeakSpeaker {
        EspeakSpeaker {
            config,
            state: Mutex::new(State {
                playing: None,
                volume: 70,
                enabled: true,
                last_error: None,
            }),
        }
    }

    /// The command speaking `text` in `language` at `volume` percent, to the sound card or,
    /// with `wav`, into that WAV file. espeak-ng's amplitude runs 0-200 (100 is its default).
    pub fn command(
        &self,
        text: &str,
        language: Language,
        volume: u8,
        wav: Option<&Path>,
    ) -> Command {
        let voice = match language {
            Language::Zh => &self.config.voice_zh,
            Language::En => &self.config.voice_en,
        };
        let amplitude = u16::from(volume.min(MAX_VOLUME)) * 2;
        let mut command = Command::new(&self.config.program);
        command
            .arg("-v")
            .arg(voice)
            .arg("-a")
            .arg(amplitude.to_string())
            .arg("-s")
            .arg(self.config.words_per_minute.to_string());
        if let Some(wav) = wav {
            command.arg("-w").arg(wav);
        }
        // "--" so that text starting with "-" is spoken, not parsed as an option.
        command
            .arg("--")
            .arg(text)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command
    }

    /// Renders `prompt` into a WAV file and waits for it, at most `timeout` (for `doctor`
    /// and tests: it proves the voice data is installed without needing a sound card).
    pub fn synthesise(
        &self,
        prompt: &Prompt,
        language: Language,
        wav: &Path,
        timeout: Duration,
    ) -> Result<(), SpeakerError> {
        let volume = lock(&self.state).volume;
        let mut child =
            self.spawn(self.command(prompt.text(language), language, volume, Some(wav)))?;
        let deadline = Instant::now() + timeout;
        loop {
            match child.try_wait() {
                Ok(Some(status)) if status.success() => return Ok(()),
                Ok(Some(status)) => {
                    return Err(SpeakerError::Failed {
                        program: self.program_name(),
                        status: status.to_string(),
                    })
                }
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                Ok(None) | Err(_) => {
                    end(&mut child);
                    return Err(SpeakerError::Timeout {
                        program: self.program_name(),
                        seconds: timeout.as_secs(),
                    });
                }
            }
        }
    }

    fn spawn(&self, mut command: Command) -> Result<Child, SpeakerError> {
        command.spawn().map_err(|error| SpeakerError::Spawn {
            program: self.program_name(),
            reason: error.to_string(),
        })
    }

    fn program_name(&self) -> String {
        self.config.program.display().to_string()
    }
}

/// Kills a speech process and reaps it (SIGKILL cannot be ignored, so the wait is short).
fn end(child: &mut Child) {
    // Either call fails only if the process already exited and was reaped: nothing to do.
    let _ = child.kill();
    let _ = child.wait();
}

/// Kills the playing prompt, if any.
fn interrupt(state: &mut State) {
    if let Some(mut child) = state.playing.take() {
        end(&mut child);
    }
}

/// Where `program` would be run from: itself if it names a path, else the first `PATH` match.
fn find_program(program: &Path) -> Option<PathBuf> {
    if program.components().count() > 1 {
        return program.is_file().then(|| program.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

impl Speaker for EspeakSpeaker {
    fn say(&self, prompt: &Prompt, language: Language) -> Result<(), SpeakerError> {
        let mut state = lock(&self.state);
        if !state.enabled {
            return Ok(());
        }
        interrupt(&mut state);
        let command = self.command(prompt.text(language), language, state.volume, None);
        match self.spawn(command) {
            Ok(child) => {
                tracing::debug!(prompt = %prompt.id, ?language, "speaking");
                state.playing = Some(child);
                state.last_error = None;
                Ok(())
            }
            Err(error) => {
                tracing::warn!(%error, "voice prompt not spoken");
                state.last_error = Some(error.to_string());
                Err(error)
            }
        }
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
        if find_program(&self.config.program).is_none() {
            return DeviceHealth::Absent;
        }
        let mut state = lock(&self.state);
        if let Some(reason) = &state.last_error {
            return DeviceHealth::Fault {
                reason: reason.clone(),
            };
        }
        // Reap a prompt that has finished on its own.
        let finished = match state.playing.as_mut().map(Child::try_wait) {
            Some(Ok(None)) => false,
            Some(_) => true,
            None => false,
        };
        if finished {
            state.playing = None;
        }
        if state.playing.is_some() {
            DeviceHealth::Busy
        } else {
            DeviceHealth::Ready
        }
    }
}

impl Drop for EspeakSpeaker {
    fn drop(&mut self) {
        interrupt(&mut lock(&self.state));
    }
}

#[cfg(test)]
#[path = "espeak_tests.rs"]
mod tests;
