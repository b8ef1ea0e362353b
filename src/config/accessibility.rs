//! `[accessibility]`: what every citizen session starts with. A citizen may change voice
//! guidance and its volume on any screen; the end of the session (wipe) restores these.

use serde::Deserialize;

/// Volume levels a citizen can choose from (1 = quietest).
pub const VOLUME_LEVELS: u8 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessibilitySection {
    /// Voice guidance speaks each screen's prompt unless the citizen turns it off.
    #[serde(default = "default_voice")]
    pub voice_default: bool,
    /// Volume level 1..=VOLUME_LEVELS at the start of each session.
    #[serde(default = "default_volume_level")]
    pub volume_default: u8,
}

fn default_voice() -> bool {
    true
}
fn default_volume_level() -> u8 {
    3
}

impl Default for AccessibilitySection {
    fn default() -> Self {
        AccessibilitySection {
            voice_default: default_voice(),
            volume_default: default_volume_level(),
        }
    }
}

impl AccessibilitySection {
    /// Why the section is unusable, if it is (key, message).
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        if !(1..=VOLUME_LEVELS).contains(&self.volume_default) {
            return Err((
                "volume_default",
                format!(
                    "must be a level from 1 to {VOLUME_LEVELS}, not {}",
                    self.volume_default
                ),
            ));
        }
        Ok(())
    }
}
