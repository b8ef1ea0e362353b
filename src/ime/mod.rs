//! Pinyin input method engine for the on-screen keyboard.
