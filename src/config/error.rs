use std::path::{Path, PathBuf};

/// A configuration problem, always naming the file and, where there is one, the line and
/// the dotted key, e.g. `kiosk.toml:12: devices.printer.driver: unknown variant ...`.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: cannot read: {source}", file.display())]
    Read {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}:{}: {}: {message}", file.display(), line.map(|l| l.to_string()).unwrap_or_else(|| "?".into()), if key.is_empty() { "(file)" } else { key })]
    Invalid {
        file: PathBuf,
        line: Option<usize>,
        /// Dotted key path, e.g. `case_system.base_url`.
        key: String,
        message: String,
    },
}

impl ConfigError {
    pub(super) fn from_toml(
        file: &Path,
        text: &str,
        path: &[String],
        error: toml::de::Error,
    ) -> ConfigError {
        let line = error
            .span()
            .map(|span| super::locate::line_of(text, span.start))
            .or_else(|| super::locate::line_of_key(text, path));
        ConfigError::Invalid {
            file: file.to_path_buf(),
            line,
            key: path.join("."),
            message: error.message().trim().to_string(),
        }
    }

    pub(super) fn invalid(file: &Path, text: &str, key: &[String], message: String) -> Self {
        ConfigError::Invalid {
            file: file.to_path_buf(),
            line: super::locate::line_of_key(text, key),
            key: key.join("."),
            message,
        }
    }

    /// 1-based line of the problem, when known.
    pub fn line(&self) -> Option<usize> {
        match self {
            ConfigError::Read { .. } => None,
            ConfigError::Invalid { line, .. } => *line,
        }
    }

    /// Dotted key of the problem ("" when the whole file is at fault).
    pub fn key(&self) -> &str {
        match self {
            ConfigError::Read { .. } => "",
            ConfigError::Invalid { key, .. } => key,
        }
    }
}
