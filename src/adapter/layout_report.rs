//! The layout report: every visible element of the rendered UI with its accessible role,
//! label and id, its absolute bounds and the area it is clipped to (the window or a scroll
//! viewport). Written by `screenshot --elements` and checked by `layout_check`.
//!
//! The report is read from Slint's item tree (`i-slint-core`, pinned to the exact `slint`
//! version): the public API has no parent, clip or text-measurement access, and these are
//! what a layout check needs.

mod capture;
pub mod check;

pub use capture::capture;
use serde::{Deserialize, Serialize};

/// One rendered state of the UI, as laid out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayoutReport {
    /// Window size in logical pixels.
    pub window: Size,
    /// The theme's minimum touch-target size (`Theme.touch`) in this state.
    pub touch_size: f32,
    pub viewports: Vec<Viewport>,
    pub elements: Vec<Element>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Size {
    pub width: f32,
    pub height: f32,
}

/// A rectangle in window coordinates (logical pixels).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

/// A scrolling area (a `Flickable`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Viewport {
    /// The Flickable's element id (`Component::name`) or its position in the tree.
    pub name: String,
    /// The visible area, clipped by whatever encloses it.
    pub bounds: Rect,
    /// The scrolled content's size.
    pub content: Size,
}

/// A visible element that has an accessible role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Element {
    /// The accessible role in Slint's spelling (`button`, `text`, `text-input`, …).
    pub role: String,
    pub label: Option<String>,
    /// The `accessible-id`.
    pub id: Option<String>,
    /// The element's qualified id in the markup (`Component::name`); debug builds only.
    pub element: Option<String>,
    pub bounds: Rect,
    pub clip: Clip,
    /// Index (in `elements`) of the nearest enclosing element of the report.
    pub parent: Option<usize>,
    /// For text: what it needs to be shown whole, and the item it is drawn in.
    pub text: Option<TextFit>,
    /// For a text input: whether it or the item it sits in draws a border around it.
    pub boxed: Option<bool>,
    /// A modal layer painted later (the idle dialog's scrim) covers it and takes its taps.
    pub behind_modal: bool,
}

/// The area an element is clipped to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clip {
    pub area: ClipArea,
    /// The clip rectangle: the window, the viewport's visible area, or a clipping item,
    /// intersected with everything that encloses it.
    pub rect: Rect,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClipArea {
    Window,
    /// Index into `viewports`.
    Viewport(usize),
    /// An item with `clip: true`.
    Item,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TextFit {
    /// Narrowest width the text can take (its longest word, or all of it when it does not
    /// wrap) and the height it needs at its laid-out width.
    pub needs: Size,
    /// The text is elided (`…`) when it does not fit: it never spills.
    pub elides: bool,
    /// Bounds of the item the text is drawn in.
    pub container: Rect,
}

impl Rect {
    pub fn right(&self) -> f32 {
        self.x + self.width
    }

    pub fn bottom(&self) -> f32 {
        self.y + self.height
    }

    /// The common part, or `None` when the rectangles do not share any area.
    pub fn intersection(&self, other: &Rect) -> Option<Rect> {
        let (x, y) = (self.x.max(other.x), self.y.max(other.y));
        let (right, bottom) = (
            self.right().min(other.right()),
            self.bottom().min(other.bottom()),
        );
        (right > x && bottom > y).then_some(Rect {
            x,
            y,
            width: right - x,
            height: bottom - y,
        })
    }

    /// Whether `other` lies within this rectangle, allowing `tolerance` px of rounding.
    pub fn contains(&self, other: &Rect, tolerance: f32) -> bool {
        other.x >= self.x - tolerance
            && other.y >= self.y - tolerance
            && other.right() <= self.right() + tolerance
            && other.bottom() <= self.bottom() + tolerance
    }
}

impl Element {
    /// How the element is named in a finding: its accessible id, else its markup id, else
    /// its role and label.
    pub fn name(&self) -> String {
        if let Some(id) = &self.id {
            return id.clone();
        }
        if let Some(element) = &self.element {
            return element.clone();
        }
        let label: String = self
            .label
            .as_deref()
            .unwrap_or("")
            .chars()
            .take(24)
            .collect();
        format!("{}\"{label}\"", self.role)
    }
}
