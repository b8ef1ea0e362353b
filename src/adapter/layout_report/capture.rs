//! Reads a [`LayoutReport`] from the item tree of a shown window.

use super::{Clip, ClipArea, Element, LayoutReport, Rect, Size, TextFit, Viewport};
use crate::ui::{MainWindow, Theme};
use i_slint_core::item_tree::{ItemRc, ParentItemTraversalMode};
use i_slint_core::items::{
    AccessibleRole, BasicBorderRectangle, BorderRectangle, ComplexText, Flickable, SimpleText,
    TextOverflow, TouchArea,
};
use i_slint_core::layout::Orientation;
use i_slint_core::window::WindowInner;
use slint::ComponentHandle;
use std::ops::ControlFlow;

/// Rounding slack: layouts place items on fractional pixels.
const TOLERANCE: f32 = 0.5;

/// The report of the window as it is laid out now (call after `show()`).
pub fn capture(window: &MainWindow) -> LayoutReport {
    let slint_window = window.window();
    let size = slint_window.size().to_logical(slint_window.scale_factor());
    let window_rect = Rect {
        x: 0.0,
        y: 0.0,
        width: size.width,
        height: size.height,
    };
    let root = ItemRc::new_root(WindowInner::from_pub(slint_window).component());
    let mut walk = Walk {
        root: root.clone(),
        window: window_rect,
        viewports: Vec::new(),
        reported: Vec::new(),
        elements: Vec::new(),
        modal_from: None,
    };
    root.visit_descendants(|item| {
        walk.visit(item);
        ControlFlow::<()>::Continue(())
    });
    if let Some(first_covered) = walk.modal_from {
        for element in &mut walk.elements[..first_covered] {
            element.behind_modal = true;
        }
    }
    LayoutReport {
        window: Size {
            width: size.width,
            height: size.height,
        },
        touch_size: window.global::<Theme>().get_touch(),
        viewports: walk.viewports.into_iter().map(|(_, v)| v).collect(),
        elements: walk.elements,
    }
}

struct Walk {
    /// The window's own item.
    root: ItemRc,
    window: Rect,
    viewports: Vec<(ItemRc, Viewport)>,
    /// Items already in `elements`, at the same index.
    reported: Vec<ItemRc>,
    elements: Vec<Element>,
    /// Elements before this index are painted under a modal layer.
    modal_from: Option<usize>,
}

impl Walk {
    fn visit(&mut self, item: &ItemRc) {
        let bounds = absolute_bounds(item);
        let Some(clip) = self.clip_of(item, &bounds) else {
            return; // hidden (`visible: false`) or clipped away by a non-scrolling item
        };
        if self.is_modal_layer(item, &bounds) {
            self.modal_from = Some(self.elements.len());
        }
        if let Some(flickable) = item.downcast::<Flickable>() {
            let flickable = flickable.as_pin_ref();
            let content = Size {
                width: Flickable::FIELD_OFFSETS
                    .content_width()
                    .apply_pin(flickable)
                    .get()
                    .get(),
                height: Flickable::FIELD_OFFSETS
                    .content_height()
                    .apply_pin(flickable)
                    .get()
                    .get(),
            };
            let name = markup_id(item).unwrap_or_else(|| unnamed_viewport(item));
            let visible = clip.rect.intersection(&bounds).unwrap_or(Rect {
                width: 0.0,
                height: 0.0,
                ..bounds
            });
            self.viewports.push((
                item.clone(),
                Viewport {
                    name,
                    bounds: visible,
                    content,
                },
            ));
        }
        let role = item.accessible_role();
        if role == AccessibleRole::None || bounds.width <= 0.0 || bounds.height <= 0.0 {
            return;
        }
        let label = item
            .accessible_string_property(
                i_slint_core::accessibility::AccessibleStringProperty::Label,
            )
            .map(|s| s.to_string());
        if role == AccessibleRole::Text && label.as_deref().is_none_or(str::is_empty) {
            return; // an empty Text draws nothing
        }
        let id = item
            .accessible_string_property(i_slint_core::accessibility::AccessibleStringProperty::Id)
            .map(|s| s.to_string())
            .filter(|s| !s.is_empty());
        let element = Element {
            role: role_name(role),
            label,
            id,
            element: markup_id(item),
            bounds,
            clip,
            parent: self.nearest_reported_ancestor(item),
            text: text_fit(item),
            boxed: (role == AccessibleRole::TextInput).then(|| is_boxed(item)),
            behind_modal: false,
        };
        self.reported.push(item.clone());
        self.elements.push(element);
    }

    /// The innermost area that clips the item, or `None` when the item cannot be seen at all
    /// (hidden, or outside a clipping item that does not scroll). Content scrolled out of a
    /// viewport is still reported: scrolling brings it back.
    fn clip_of(&self, item: &ItemRc, bounds: &Rect) -> Option<Clip> {
        let mut innermost: Option<Clip> = None;
        let mut fixed = self.window;
        let mut ancestor = item.parent_item(ParentItemTraversalMode::StopAtPopups);
        while let Some(current) = ancestor {
            if current.borrow().as_ref().clips_children() {
                let rect = absolute_bounds(&current);
                let area = match self.viewports.iter().position(|(v, _)| *v == current) {
                    Some(index) => ClipArea::Viewport(index),
                    None => ClipArea::Item,
                };
                if area == ClipArea::Item {
                    fixed = fixed.intersection(&rect)?;
                }
                match &mut innermost {
                    None => innermost = Some(Clip { area, rect }),
                    Some(clip) => clip.rect = clip.rect.intersection(&rect)?,
                }
            }
            ancestor = current.parent_item(ParentItemTraversalMode::StopAtPopups);
        }
        // The clip rectangle must be visible itself; the item must touch the part of the
        // window that no fixed clip hides.
        let touches = bounds.x <= fixed.right()
            && bounds.y <= fixed.bottom()
            && bounds.right() >= fixed.x
            && bounds.bottom() >= fixed.y;
        if !touches
            && !matches!(
                innermost,
                Some(Clip {
                    area: ClipArea::Viewport(_),
                    ..
                })
            )
        {
            return None;
        }
        Some(match innermost {
            None => Clip {
                area: ClipArea::Window,
                rect: self.window,
            },
            Some(clip) => Clip {
                rect: clip.rect.intersection(&self.window)?,
                ..clip
            },
        })
    }

    /// A `TouchArea` over the whole window in an overlay (not the window's own): it
    /// swallows every tap, so whatever was painted before it cannot be touched.
    fn is_modal_layer(&self, item: &ItemRc, bounds: &Rect) -> bool {
        let in_overlay = item
            .parent_item(ParentItemTraversalMode::StopAtPopups)
            .is_some_and(|parent| parent != self.root);
        item.downcast::<TouchArea>().is_some()
            && in_overlay
            && self.window.contains(bounds, TOLERANCE)
            && bounds.contains(&self.window, TOLERANCE)
    }

    fn nearest_reported_ancestor(&self, item: &ItemRc) -> Option<usize> {
        let mut ancestor = item.parent_item(ParentItemTraversalMode::StopAtPopups);
        while let Some(current) = ancestor {
            if let Some(index) = self.reported.iter().rposition(|r| *r == current) {
                return Some(index);
            }
            ancestor = current.parent_item(ParentItemTraversalMode::StopAtPopups);
        }
        None
    }
}

fn absolute_bounds(item: &ItemRc) -> Rect {
    let geometry = item.geometry();
    let origin = item.map_to_window(geometry.origin);
    Rect {
        x: origin.x,
        y: origin.y,
        width: geometry.size.width,
        height: geometry.size.height,
    }
}

/// `Component::name` from the compiler's debug info (debug builds only).
fn markup_id(item: &ItemRc) -> Option<String> {
    item.element_type_names_and_ids(0)?
        .into_iter()
        .map(|(_, id)| id.to_string())
        .find(|id| !id.is_empty())
}

/// An unnamed Flickable is named after the nearest enclosing element that has a markup id
/// (`SearchPage::root>Flickable`), so its name does not change when others are added.
fn unnamed_viewport(item: &ItemRc) -> String {
    let mut ancestor = item.parent_item(ParentItemTraversalMode::StopAtPopups);
    while let Some(current) = ancestor {
        if let Some(id) = markup_id(&current) {
            return format!("{id}>Flickable");
        }
        ancestor = current.parent_item(ParentItemTraversalMode::StopAtPopups);
    }
    "Flickable".into()
}

/// `TextInput` → `text-input`: the spelling of the `.slint` markup.
fn role_name(role: AccessibleRole) -> String {
    let mut name = String::new();
    for (i, c) in format!("{role:?}").chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            name.push('-');
        }
        name.push(c.to_ascii_lowercase());
    }
    name
}

/// What a `Text` needs: its narrowest width (as a layout would measure it) and its height
/// at the width it was given.
fn text_fit(item: &ItemRc) -> Option<TextFit> {
    let elides = if let Some(text) = item.downcast::<ComplexText>() {
        ComplexText::FIELD_OFFSETS
            .overflow()
            .apply_pin(text.as_pin_ref())
            .get()
            == TextOverflow::Elide
    } else if item.downcast::<SimpleText>().is_some() {
        false
    } else {
        return None;
    };
    let adapter = item.window_adapter()?;
    let width = item.geometry().size.width;
    let measure = |orientation, cross| {
        item.borrow()
            .as_ref()
            .layout_info(orientation, cross, &adapter, item)
            .min
    };
    let container = item
        .parent_item(ParentItemTraversalMode::StopAtPopups)
        .map(|parent| absolute_bounds(&parent))?;
    Some(TextFit {
        needs: Size {
            width: measure(Orientation::Horizontal, -1.0),
            height: measure(Orientation::Vertical, width),
        },
        elides,
        container,
    })
}

/// Whether the input, or the item it sits in, draws a visible border around it.
fn is_boxed(item: &ItemRc) -> bool {
    let bounds = absolute_bounds(item);
    let parent = item.parent_item(ParentItemTraversalMode::StopAtPopups);
    std::iter::once(item.clone())
        .chain(parent)
        .any(|candidate| {
            let border = if let Some(r) = candidate.downcast::<BorderRectangle>() {
                let r = r.as_pin_ref();
                (
                    BorderRectangle::FIELD_OFFSETS
                        .border_width()
                        .apply_pin(r)
                        .get(),
                    BorderRectangle::FIELD_OFFSETS
                        .border_color()
                        .apply_pin(r)
                        .get(),
                )
            } else if let Some(r) = candidate.downcast::<BasicBorderRectangle>() {
                let r = r.as_pin_ref();
                (
                    BasicBorderRectangle::FIELD_OFFSETS
                        .border_width()
                        .apply_pin(r)
                        .get(),
                    BasicBorderRectangle::FIELD_OFFSETS
                        .border_color()
                        .apply_pin(r)
                        .get(),
                )
            } else {
                return false;
            };
            let (width, color) = border;
            width.get() >= 1.0
                && !color.is_transparent()
                && absolute_bounds(&candidate).contains(&bounds, TOLERANCE)
        })
}
