//! Structured logging with `tracing`, to stderr (journald picks it up on the device; stdout
//! stays clean for command output such as `--json`).
//!
//! The rule: **no personal data in logs, ever** — no ID numbers, names, phone numbers,
//! addresses or fingerprints. Domain types that hold personal data print masked in `Debug`,
//! and log fields carry receipt numbers, kinds and states, never content. As defence in depth
//! every log line passes through [`scrub`] (identity-document and phone numbers, addresses,
//! the values of personal fields) before it is written, and so does a panic's message.

mod scrub;

pub use scrub::scrub;
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
    install_panic_hook();
}

/// A panic's message can carry whatever the failing code held (an `unwrap` on a parse of a
/// citizen's input prints the input): it goes out scrubbed, like every log line.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = scrub(&info.to_string());
        tracing::error!(panic = %message, "the program panicked");
        // Frames name functions and files, never data.
        let backtrace = std::backtrace::Backtrace::capture();
        if backtrace.status() == std::backtrace::BacktraceStatus::Captured {
            let _ = writeln!(std::io::stderr(), "{backtrace}");
        }
    }));
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

    #[test]
    fn a_panic_message_goes_out_scrubbed() {
        let capture = Capture::default();
        let sink = capture.clone();
        // A plain writer: what arrives is what the hook itself produced.
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || sink.clone())
            .finish();
        install_panic_hook();
        let result = tracing::subscriber::with_default(subscriber, || {
            std::panic::catch_unwind(|| {
                panic!("cannot parse 110105194912310021 for 138 1234 5678");
            })
        });
        let _ = std::panic::take_hook();
        assert!(result.is_err());
        let text = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
        assert!(text.contains("the program panicked"), "{text}");
        assert!(
            text.contains("[id-number]") && text.contains("[phone]"),
            "{text}"
        );
        assert!(!text.contains("110105194912310021") && !text.contains("1234 5678"));
    }
}
