//! The UI-independent core: session and flow state machines. Nothing here depends on Slint.
