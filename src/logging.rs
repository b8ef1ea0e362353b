//! Structured logging with `tracing`, to stderr (journald picks it up on the device; stdout
//! stays clean for command output such as `--json`).
//!
//! The rule: **no personal data in logs, ever** — no ID numbers, names, phone numbers,
//! addresses or fingerprints. Domain types that hold personal data print masked in `Debug`,
//! and log fields carry receipt numbers, kinds and states, never content. As defence in depth
//! every log line passes through [`scrub`], which masks anything shaped like a resident ID
//! number or a mainland mobile number before it is written.

use std::io::{IsTerminal, Write};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines (default on a terminal).
    Text,
    /// One JSON object per line (for journald/fleet shipping).
    Json,
}

/// Installs the global subscriber. `RUST_LOG` overrides the default `info` level.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(ScrubbingWriter::stderr());
    // A second init (tests, `demo` calling `run`) keeps the first subscriber.
    let _ = match format {
        LogFormat::Text => builder.with_target(false).try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

/// Masks resident ID numbers (17 digits + digit/X) and mobile numbers (1[3-9] + 9 digits)
/// wherever they appear as a run of their own.
pub fn scrub(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        let at_boundary = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        if at_boundary && chars[i].is_ascii_digit() {
            let mut j = i;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            let digits = j - i;
            let x_suffix = digits == 17 && j < chars.len() && matches!(chars[j], 'X' | 'x');
            let end = if x_suffix { j + 1 } else { j };
            let ends_clean = end == chars.len() || !chars[end].is_ascii_alphanumeric();
            let is_id = ends_clean && (digits == 18 || x_suffix);
            let is_mobile = ends_clean && digits == 11 && chars[i] == '1' && chars[i + 1] >= '3';
            if is_id || is_mobile {
                out.push_str(if is_id { "[id-number]" } else { "[phone]" });
                i = end;
                continue;
            }
            out.extend(&chars[i..j]);
            i = j;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// A `MakeWriter` that scrubs each formatted event before writing it.
#[derive(Clone)]
pub struct ScrubbingWriter<W> {
    make_inner: W,
}

impl ScrubbingWriter<fn() -> std::io::Stderr> {
    pub fn stderr() -> Self {
        ScrubbingWriter {
            make_inner: std::io::stderr,
        }
    }
}

impl<W> ScrubbingWriter<W> {
    pub fn new(make_inner: W) -> Self {
        ScrubbingWriter { make_inner }
    }
}

/// Buffers one event and writes it scrubbed when dropped (the fmt layer writes each event
/// through a fresh writer).
pub struct ScrubbedEvent<W: Write> {
    buffer: Vec<u8>,
    inner: W,
}

impl<W: Write> Write for ScrubbedEvent<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<W: Write> Drop for ScrubbedEvent<W> {
    fn drop(&mut self) {
        let text = String::from_utf8_lossy(&self.buffer);
        let _ = self.inner.write_all(scrub(&text).as_bytes());
        let _ = self.inner.flush();
    }
}

impl<'a, M> MakeWriter<'a> for ScrubbingWriter<M>
where
    M: MakeWriter<'a>,
{
    type Writer = ScrubbedEvent<M::Writer>;
    fn make_writer(&'a self) -> Self::Writer {
        ScrubbedEvent {
            buffer: Vec::new(),
            inner: self.make_inner.make_writer(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[test]
    fn scrub_masks_id_numbers_and_mobiles_only() {
        assert_eq!(
            scrub("card 11010519491231002X read, phone 13812345678."),
            "card [id-number] read, phone [phone]."
        );
        assert_eq!(scrub("id=110105194912310021"), "id=[id-number]");
        // Receipt numbers, timestamps and short numbers stay readable.
        assert_eq!(
            scrub("receipt NT-20261122-0042 at 1732252800"),
            "receipt NT-20261122-0042 at 1732252800"
        );
        assert_eq!(scrub("count 12345678901234"), "count 12345678901234");
        assert_eq!(scrub("漏洞110105194912310021后"), "漏洞[id-number]后");
    }

    #[derive(Clone, Default)]
    struct Capture(Arc<Mutex<Vec<u8>>>);
    impl Write for Capture {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn subscriber_output_is_scrubbed() {
        let capture = Capture::default();
        let sink = capture.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(ScrubbingWriter::new(move || sink.clone()))
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!(phone = "13900001111", "citizen typed 110105194912310021");
        });
        let text = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
        assert!(
            text.contains("[phone]") && text.contains("[id-number]"),
            "{text}"
        );
        assert!(!text.contains("13900001111") && !text.contains("110105194912310021"));
    }
}
