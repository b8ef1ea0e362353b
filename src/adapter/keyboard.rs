//! The on-screen keyboard: the layout for the focused field, the pinyin composer behind the
//! candidate bar, and typing into the field by dispatching key events to the window (the
//! field cannot tell them from a physical keyboard's).

use crate::ime::{
    can_switch_layout, layout, layout_for, Composer, FieldPurpose, KeyAction, LayoutKind,
};
use crate::ui::{KeyData, KeyRow, KeyboardAdapter, MainWindow};
use slint::platform::{Key, WindowEvent};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};
use std::cell::RefCell;
use std::rc::Rc;

/// Backspaces sent for the keypad's Clear key: more than any phone or ID number is long.
const CLEAR_LENGTH: usize = 40;

struct State {
    purpose: FieldPurpose,
    kind: LayoutKind,
    /// Created on first use: the dictionary costs tens of milliseconds and megabytes, which
    /// the start-up and the many citizens who never type should not pay.
    composer: Option<Composer<'static>>,
    page: usize,
}

impl State {
    fn composer(&mut self) -> &mut Composer<'static> {
        self.composer.get_or_insert_with(Composer::new)
    }

    fn clear_composer(&mut self) {
        if let Some(composer) = self.composer.as_mut() {
            composer.clear();
        }
    }
}

pub struct Keyboard {
    window: slint::Weak<MainWindow>,
    state: RefCell<State>,
}

impl Keyboard {
    pub fn bind(window: &MainWindow) -> Rc<Keyboard> {
        let keyboard = Rc::new(Keyboard {
            window: window.as_weak(),
            state: RefCell::new(State {
                purpose: FieldPurpose::FreeText,
                kind: LayoutKind::Pinyin,
                composer: None,
                page: 0,
            }),
        });
        let adapter = window.global::<KeyboardAdapter>();
        let weak = Rc::downgrade(&keyboard);
        adapter.on_field_focused(move |purpose| {
            if let Some(keyboard) = weak.upgrade() {
                keyboard.focus(&purpose);
            }
        });
        let weak = Rc::downgrade(&keyboard);
        adapter.on_key(move |row, column| {
            if let Some(keyboard) = weak.upgrade() {
                keyboard.key(row, column);
            }
        });
        let weak = Rc::downgrade(&keyboard);
        adapter.on_candidate(move |position| {
            if let Some(keyboard) = weak.upgrade() {
                keyboard.candidate(position);
            }
        });
        let weak = Rc::downgrade(&keyboard);
        adapter.on_turn_page(move |forward| {
            if let Some(keyboard) = weak.upgrade() {
                keyboard.turn_page(forward);
            }
        });
        keyboard.render();
        keyboard
    }

    /// Drops anything half-typed (session wiped).
    pub fn reset(&self) {
        self.state.borrow_mut().clear_composer();
        self.render();
    }

    fn focus(&self, purpose: &str) {
        let purpose = purpose.parse().unwrap_or_else(|error| {
            tracing::warn!(%error, "field declares an unknown purpose; using free text");
            FieldPurpose::FreeText
        });
        {
            let mut state = self.state.borrow_mut();
            state.purpose = purpose;
            state.kind = layout_for(purpose);
            state.clear_composer();
            state.page = 0;
        }
        self.render();
    }

    fn key(&self, row: i32, column: i32) {
        let action = {
            let state = self.state.borrow();
            let rows = layout(state.kind).rows;
            let key = usize::try_from(row)
                .ok()
                .and_then(|r| rows.get(r))
                .and_then(|keys| usize::try_from(column).ok().and_then(|c| keys.get(c)));
            match key {
                Some(key) => key.action,
                None => return,
            }
        };
        let typed = self.act(action);
        if let Some(text) = typed {
            self.type_text(&text);
        }
        self.render();
    }

    /// Applies a key to the composer or decides what to type; returns text for the field.
    fn act(&self, action: KeyAction) -> Option<String> {
        let mut state = self.state.borrow_mut();
        let composing = state.composer().is_composing();
        let uses_composer = layout(state.kind).uses_composer;
        match action {
            KeyAction::Char(c) if uses_composer && state.composer().push(c) => {
                state.page = 0;
                None
            }
            KeyAction::Char(c) => Some(c.to_string()),
            KeyAction::Backspace if state.composer().backspace() => {
                state.page = 0;
                None
            }
            KeyAction::Backspace => {
                drop(state);
                self.press(Key::Backspace.into());
                None
            }
            // Space takes the first candidate, as in every pinyin IME.
            KeyAction::Space if composing => {
                let page = state.page;
                let first = state.composer().candidates(page).first().map(|c| c.index);
                state.page = 0;
                first.and_then(|index| state.composer().select(index))
            }
            KeyAction::Space => Some(" ".into()),
            KeyAction::Enter if composing => state.composer().commit_raw(),
            // 确定 ends typing and closes the keyboard, so what follows the field is in view
            // again; first it is the field's Return (a search runs, a number is taken),
            // except in free text, where Return would only add a line.
            KeyAction::Enter => {
                let free_text = state.purpose == FieldPurpose::FreeText;
                drop(state);
                if !free_text {
                    self.press(Key::Return.into());
                }
                self.done_typing();
                None
            }
            KeyAction::Clear => {
                drop(state);
                self.press(Key::End.into());
                for _ in 0..CLEAR_LENGTH {
                    self.press(Key::Backspace.into());
                }
                None
            }
            KeyAction::Switch(kind) if can_switch_layout(state.purpose) => {
                state.kind = kind;
                state.page = 0;
                // Whatever was being composed goes into the field as typed.
                state.composer().commit_raw()
            }
            KeyAction::Switch(_) => None,
        }
    }

    fn candidate(&self, position: i32) {
        let committed = {
            let mut state = self.state.borrow_mut();
            let page = state.page;
            let chosen = usize::try_from(position)
                .ok()
                .and_then(|p| state.composer().candidates(page).get(p).map(|c| c.index));
            let Some(index) = chosen else {
                return;
            };
            state.page = 0;
            state.composer().select(index)
        };
        if let Some(text) = committed {
            self.type_text(&text);
        }
        self.render();
    }

    fn turn_page(&self, forward: bool) {
        {
            let mut state = self.state.borrow_mut();
            let pages = state.composer().page_count();
            state.page = if forward {
                (state.page + 1).min(pages.saturating_sub(1))
            } else {
                state.page.saturating_sub(1)
            };
        }
        self.render();
    }

    fn type_text(&self, text: &str) {
        self.press(text.into());
    }

    fn done_typing(&self) {
        if let Some(window) = self.window.upgrade() {
            let adapter = window.global::<KeyboardAdapter>();
            adapter.set_done_typing(adapter.get_done_typing().wrapping_add(1));
        }
    }

    /// A key press and release, as a physical keyboard sends them.
    fn press(&self, text: SharedString) {
        let Some(window) = self.window.upgrade() else {
            return;
        };
        let window = window.window();
        window.dispatch_event(WindowEvent::KeyPressed { text: text.clone() });
        window.dispatch_event(WindowEvent::KeyReleased { text });
    }

    fn render(&self) {
        let Some(window) = self.window.upgrade() else {
            return;
        };
        let state = self.state.borrow();
        let adapter = window.global::<KeyboardAdapter>();
        let layout = layout(state.kind);
        let rows: Vec<KeyRow> = layout
            .rows
            .iter()
            .map(|keys| {
                let mut offset = 0;
                let keys: Vec<KeyData> = keys
                    .iter()
                    .map(|key| {
                        let data = KeyData {
                            label: key.label.into(),
                            width: i32::from(key.width),
                            offset,
                            special: matches!(key.action, KeyAction::Enter | KeyAction::Switch(_)),
                        };
                        offset += i32::from(key.width);
                        data
                    })
                    .collect();
                KeyRow {
                    keys: ModelRc::new(VecModel::from(keys)),
                    units: offset,
                }
            })
            .collect();
        adapter.set_rows(ModelRc::new(VecModel::from(rows)));
        adapter.set_keypad(!matches!(
            layout.kind,
            LayoutKind::Pinyin | LayoutKind::English
        ));
        let composer = state.composer.as_ref();
        adapter.set_preedit(composer.map(|c| c.preedit()).unwrap_or_default().into());
        let candidates: Vec<SharedString> = composer
            .map(|c| c.candidates(state.page))
            .unwrap_or_default()
            .into_iter()
            .map(|c| c.text.into())
            .collect();
        adapter.set_candidates(ModelRc::new(VecModel::from(candidates)));
        adapter.set_has_previous_page(state.page > 0);
        adapter.set_has_next_page(state.page + 1 < composer.map_or(0, |c| c.page_count()));
    }
}
