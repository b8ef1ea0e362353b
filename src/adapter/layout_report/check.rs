//! The layout rules, checked over a [`LayoutReport`]: touch targets big enough and apart,
//! everything reachable (in the window, or in a viewport that says it scrolls), no text
//! spilling out of its box, every text input in a visible box.

use super::{ClipArea, Element, LayoutReport, Rect};
use std::fmt;

/// Rounding slack: layouts place items on fractional pixels.
const TOLERANCE: f32 = 1.0;

/// The accessible id of the cue that tells a citizen a viewport scrolls (`ScrollCue`).
pub const SCROLL_CUE_ID: &str = "scroll-cue";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// An interactive element narrower or lower than `Theme.touch`.
    TouchSize,
    /// Two interactive elements share visible area.
    Overlap,
    /// Partly or wholly outside the window (or a clipping item), and not in a viewport.
    OutsideWindow,
    /// Beyond a viewport's visible area while the viewport shows no scroll cue.
    NoScrollCue,
    /// A text needs more room than its box, or its box leaves the item it is drawn in.
    TextOverflow,
    /// A text input without a visible border around it.
    InputBox,
}

impl Rule {
    pub fn name(self) -> &'static str {
        match self {
            Rule::TouchSize => "touch-size",
            Rule::Overlap => "overlap",
            Rule::OutsideWindow => "outside-window",
            Rule::NoScrollCue => "no-scroll-cue",
            Rule::TextOverflow => "text-overflow",
            Rule::InputBox => "input-box",
        }
    }
}

/// One broken rule: where (the viewport, or `window`), which element, and the figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    pub viewport: String,
    pub element: String,
    pub rule: Rule,
    pub detail: String,
}

impl Violation {
    /// The stable part, without figures: what a baseline records.
    pub fn key(&self) -> String {
        format!(
            "{} | {} | {}",
            self.viewport,
            self.element,
            self.rule.name()
        )
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key(), self.detail)
    }
}

/// Every rule over every element the citizen can see and touch.
pub fn check(report: &LayoutReport) -> Vec<Violation> {
    let mut found = Vec::new();
    let shown: Vec<usize> = (0..report.elements.len())
        .filter(|&i| !report.elements[i].behind_modal)
        .collect();
    let targets: Vec<usize> = shown
        .iter()
        .copied()
        .filter(|&i| is_interactive(&report.elements[i]) && !inside_interactive(report, i))
        .collect();
    for &i in &targets {
        touch_size(report, i, &mut found);
    }
    for (n, &a) in targets.iter().enumerate() {
        for &b in &targets[n + 1..] {
            overlap(report, a, b, &mut found);
        }
    }
    for &i in &shown {
        reachable(report, i, &mut found);
        text_fits(report, i, &mut found);
        input_box(report, i, &mut found);
    }
    found
}

/// Roles a finger acts on.
fn is_interactive(element: &Element) -> bool {
    matches!(
        element.role.as_str(),
        "button"
            | "checkbox"
            | "combobox"
            | "slider"
            | "spinbox"
            | "tab"
            | "text-input"
            | "switch"
            | "radio-button"
            | "list-item"
    )
}

/// Part of a bigger target (the `TextInput` inside its field): the outer one is what a
/// finger aims at, and the one the rules measure.
fn inside_interactive(report: &LayoutReport, index: usize) -> bool {
    let mut parent = report.elements[index].parent;
    while let Some(p) = parent {
        if is_interactive(&report.elements[p]) {
            return true;
        }
        parent = report.elements[p].parent;
    }
    false
}

fn viewport_name(report: &LayoutReport, element: &Element) -> String {
    match element.clip.area {
        ClipArea::Viewport(v) => report.viewports[v].name.clone(),
        ClipArea::Window | ClipArea::Item => "window".into(),
    }
}

fn violation(report: &LayoutReport, element: &Element, rule: Rule, detail: String) -> Violation {
    Violation {
        viewport: viewport_name(report, element),
        element: element.name(),
        rule,
        detail,
    }
}

fn touch_size(report: &LayoutReport, index: usize, found: &mut Vec<Violation>) {
    let element = &report.elements[index];
    let min = report.touch_size - TOLERANCE;
    if element.bounds.width < min || element.bounds.height < min {
        let detail = format!(
            "{:.0}x{:.0}, touch size {:.0}",
            element.bounds.width, element.bounds.height, report.touch_size
        );
        found.push(violation(report, element, Rule::TouchSize, detail));
    }
}

/// The part of the element that is drawn.
fn visible_part(element: &Element) -> Option<Rect> {
    element.bounds.intersection(&element.clip.rect)
}

fn overlap(report: &LayoutReport, a: usize, b: usize, found: &mut Vec<Violation>) {
    let (first, second) = (&report.elements[a], &report.elements[b]);
    let (Some(va), Some(vb)) = (visible_part(first), visible_part(second)) else {
        return;
    };
    let Some(common) = va.intersection(&vb) else {
        return;
    };
    if common.width <= TOLERANCE || common.height <= TOLERANCE {
        return;
    }
    found.push(Violation {
        viewport: viewport_name(report, first),
        element: format!("{} + {}", first.name(), second.name()),
        rule: Rule::Overlap,
        detail: format!(
            "{:.0}x{:.0} in common at ({:.0}, {:.0})",
            common.width, common.height, common.x, common.y
        ),
    });
}

/// Whether a visible scroll cue lies over the viewport or right under it (`ScrollArea`
/// gives the cue its own band below the scrolling part).
fn shows_cue(report: &LayoutReport, viewport: usize) -> bool {
    let area = report.viewports[viewport].bounds;
    report.elements.iter().any(|e| {
        e.id.as_deref() == Some(SCROLL_CUE_ID)
            && !e.behind_modal
            && visible_part(e).is_some_and(|cue| {
                cue.x < area.right()
                    && cue.right() > area.x
                    && cue.y <= area.bottom() + TOLERANCE
                    && cue.bottom() >= area.y
            })
    })
}

fn reachable(report: &LayoutReport, index: usize, found: &mut Vec<Violation>) {
    let element = &report.elements[index];
    let clip = element.clip.rect;
    if clip.contains(&element.bounds, TOLERANCE) {
        return;
    }
    let bounds = element.bounds;
    let detail = format!(
        "({:.0}, {:.0}) {:.0}x{:.0} outside ({:.0}, {:.0}) {:.0}x{:.0}",
        bounds.x, bounds.y, bounds.width, bounds.height, clip.x, clip.y, clip.width, clip.height
    );
    // Content below a vertical viewport is reached by scrolling, if the citizen is told.
    let only_below = bounds.x >= clip.x - TOLERANCE
        && bounds.right() <= clip.right() + TOLERANCE
        && bounds.y >= clip.y - TOLERANCE;
    match element.clip.area {
        ClipArea::Viewport(v) if only_below => {
            if !shows_cue(report, v) {
                let detail = format!(
                    "{detail}; content {:.0} high, no scroll cue",
                    report.viewports[v].content.height
                );
                found.push(violation(report, element, Rule::NoScrollCue, detail));
            }
        }
        _ => found.push(violation(report, element, Rule::OutsideWindow, detail)),
    }
}

fn text_fits(report: &LayoutReport, index: usize, found: &mut Vec<Violation>) {
    let element = &report.elements[index];
    let Some(fit) = element.text else {
        return;
    };
    let bounds = element.bounds;
    let too_wide = fit.needs.width > bounds.width + TOLERANCE;
    let too_high = !fit.elides && fit.needs.height > bounds.height + TOLERANCE;
    let detail = if too_wide || too_high {
        format!(
            "needs {:.0}x{:.0}, has {:.0}x{:.0}",
            fit.needs.width, fit.needs.height, bounds.width, bounds.height
        )
    } else if !fit.container.contains(&bounds, TOLERANCE) {
        let c = fit.container;
        format!(
            "box ({:.0}, {:.0}) {:.0}x{:.0} leaves its container ({:.0}, {:.0}) {:.0}x{:.0}",
            bounds.x, bounds.y, bounds.width, bounds.height, c.x, c.y, c.width, c.height
        )
    } else {
        return;
    };
    found.push(violation(report, element, Rule::TextOverflow, detail));
}

fn input_box(report: &LayoutReport, index: usize, found: &mut Vec<Violation>) {
    let element = &report.elements[index];
    if element.boxed == Some(false) {
        let detail = "no bordered box around the input".to_string();
        found.push(violation(report, element, Rule::InputBox, detail));
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Clip, Size, TextFit, Viewport};
    use super::*;

    const WINDOW: Rect = Rect {
        x: 0.0,
        y: 0.0,
        width: 1080.0,
        height: 1920.0,
    };

    fn rect(x: f32, y: f32, width: f32, height: f32) -> Rect {
        Rect {
            x,
            y,
            width,
            height,
        }
    }

    fn element(role: &str, id: &str, bounds: Rect) -> Element {
        Element {
            role: role.into(),
            label: None,
            id: Some(id.into()),
            element: None,
            bounds,
            clip: Clip {
                area: ClipArea::Window,
                rect: WINDOW,
            },
            parent: None,
            text: None,
            boxed: None,
            behind_modal: false,
        }
    }

    fn report(elements: Vec<Element>) -> LayoutReport {
        LayoutReport {
            window: Size {
                width: WINDOW.width,
                height: WINDOW.height,
            },
            touch_size: 96.0,
            viewports: vec![Viewport {
                name: "Page::flick".into(),
                bounds: rect(0.0, 200.0, 1080.0, 1000.0),
                content: Size {
                    width: 1080.0,
                    height: 3000.0,
                },
            }],
            elements,
        }
    }

    fn rules(report: &LayoutReport) -> Vec<String> {
        check(report).iter().map(Violation::key).collect()
    }

    fn in_viewport(mut e: Element) -> Element {
        e.clip = Clip {
            area: ClipArea::Viewport(0),
            rect: rect(0.0, 200.0, 1080.0, 1000.0),
        };
        e
    }

    #[test]
    fn a_good_layout_passes() {
        let ok = report(vec![
            element("button", "a", rect(40.0, 40.0, 400.0, 96.0)),
            element("button", "b", rect(460.0, 40.0, 400.0, 96.0)),
        ]);
        assert_eq!(rules(&ok), Vec::<String>::new());
    }

    #[test]
    fn small_and_overlapping_targets_are_named() {
        let bad = report(vec![
            element("button", "small", rect(40.0, 40.0, 400.0, 72.0)),
            element("checkbox", "over", rect(400.0, 40.0, 200.0, 96.0)),
        ]);
        assert_eq!(
            rules(&bad),
            [
                "window | small | touch-size",
                "window | small + over | overlap"
            ]
        );
    }

    #[test]
    fn an_input_inside_its_field_is_measured_as_the_field() {
        let field = element("text-input", "name", rect(40.0, 40.0, 600.0, 96.0));
        let mut input = element("text-input", "inner", rect(64.0, 58.0, 552.0, 60.0));
        input.parent = Some(0);
        input.boxed = Some(true);
        assert_eq!(rules(&report(vec![field, input])), Vec::<String>::new());
    }

    #[test]
    fn content_below_a_viewport_needs_a_cue() {
        let below = in_viewport(element("button", "far", rect(40.0, 1500.0, 400.0, 96.0)));
        assert_eq!(
            rules(&report(vec![below.clone()])),
            ["Page::flick | far | no-scroll-cue"]
        );
        let over = element("button", SCROLL_CUE_ID, rect(0.0, 1128.0, 1080.0, 96.0));
        assert_eq!(
            rules(&report(vec![below.clone(), over])),
            Vec::<String>::new()
        );
        let under = element("button", SCROLL_CUE_ID, rect(0.0, 1200.0, 1080.0, 96.0));
        assert_eq!(
            rules(&report(vec![below.clone(), under])),
            Vec::<String>::new()
        );
        let elsewhere = element("button", SCROLL_CUE_ID, rect(0.0, 1400.0, 1080.0, 96.0));
        assert_eq!(
            rules(&report(vec![below, elsewhere])),
            ["Page::flick | far | no-scroll-cue"]
        );
    }

    #[test]
    fn outside_the_window_is_never_reachable() {
        let off = element("text", "off", rect(1000.0, 40.0, 200.0, 40.0));
        assert_eq!(rules(&report(vec![off])), ["window | off | outside-window"]);
        let sideways = in_viewport(element("text", "side", rect(1000.0, 300.0, 200.0, 40.0)));
        assert_eq!(
            rules(&report(vec![sideways])),
            ["Page::flick | side | outside-window"]
        );
    }

    #[test]
    fn text_that_needs_more_room_or_leaves_its_container_is_found() {
        let mut cut = element("text", "cut", rect(40.0, 40.0, 300.0, 40.0));
        cut.text = Some(TextFit {
            needs: Size {
                width: 120.0,
                height: 80.0,
            },
            elides: false,
            container: rect(0.0, 0.0, 400.0, 400.0),
        });
        let mut elided = cut.clone();
        elided.id = Some("elided".into());
        elided.text = elided.text.map(|t| TextFit { elides: true, ..t });
        let mut spills = elided.clone();
        spills.id = Some("spills".into());
        spills.text = spills.text.map(|t| TextFit {
            container: rect(0.0, 0.0, 200.0, 400.0),
            ..t
        });
        assert_eq!(
            rules(&report(vec![cut, elided, spills])),
            [
                "window | cut | text-overflow",
                "window | spills | text-overflow"
            ]
        );
    }

    #[test]
    fn an_input_without_a_box_and_anything_behind_a_modal() {
        let mut bare = element("text-input", "bare", rect(40.0, 40.0, 600.0, 96.0));
        bare.boxed = Some(false);
        let mut covered = element("button", "covered", rect(40.0, 40.0, 10.0, 10.0));
        covered.behind_modal = true;
        assert_eq!(
            rules(&report(vec![bare, covered])),
            ["window | bare | input-box"]
        );
    }
}
