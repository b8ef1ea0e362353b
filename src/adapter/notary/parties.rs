//! The "who is it for" step's properties: the applicant roles as pills, and the parties of the
//! matter flattened into one list of rows (heading, party title, field, relationship, add).

use crate::core::notary::journey::{PartiesView, ScreenView};
use crate::core::notary::parties::PartyField;
use crate::domain::{Bilingual, Language};
use crate::ui::{NotaryAdapter, NotaryItem, NotaryPartyRow};
use slint::{ModelRc, SharedString, VecModel};

const HEADING: i32 = 0;
const TITLE: i32 = 1;
const FIELD: i32 = 2;
const RELATIONSHIP: i32 = 3;
const ADD: i32 = 4;

fn pick(language: Language, zh: String, en: String) -> SharedString {
    match language {
        Language::Zh => zh.into(),
        Language::En => en.into(),
    }
}

fn item(id: &str, text: &Bilingual, language: Language, selected: bool) -> NotaryItem {
    NotaryItem {
        id: id.into(),
        text: text.get(language).into(),
        detail: SharedString::new(),
        selected,
        state: 0,
    }
}

fn row(kind: i32, role: &str, index: usize, label: SharedString) -> NotaryPartyRow {
    NotaryPartyRow {
        kind,
        role: role.into(),
        index: i32::try_from(index).unwrap_or(i32::MAX),
        field: SharedString::new(),
        label,
        value: SharedString::new(),
        hint: SharedString::new(),
        keyboard: SharedString::new(),
        error: SharedString::new(),
        can: false,
        choices: ModelRc::default(),
    }
}

/// The rows of the step, in screen order.
pub fn rows(view: &PartiesView, language: Language) -> Vec<NotaryPartyRow> {
    let mut rows = Vec::new();
    for group in &view.groups {
        let name = group.name.get(language);
        let mut heading = row(HEADING, &group.role, 0, name.into());
        if let Some(problem) = &group.problem {
            heading.error = problem.get(language).into();
        }
        rows.push(heading);
        let several = group.max > 1;
        for party in &group.parties {
            if several || party.can_remove {
                let mut title = row(
                    TITLE,
                    &group.role,
                    party.index,
                    pick(
                        language,
                        format!("第{}位", party.index + 1),
                        format!("No. {}", party.index + 1),
                    ),
                );
                title.can = party.can_remove;
                rows.push(title);
            }
            for field in &party.fields {
                let kind = if field.field == PartyField::Relationship {
                    RELATIONSHIP
                } else {
                    FIELD
                };
                let mut r = row(
                    kind,
                    &group.role,
                    party.index,
                    field.label.get(language).into(),
                );
                r.field = field.field.id().into();
                r.value = field.value.as_str().into();
                r.hint = field.hint.get(language).into();
                r.keyboard = field.keyboard.into();
                r.error = field
                    .error
                    .as_ref()
                    .map(|e| e.get(language).into())
                    .unwrap_or_default();
                if kind == RELATIONSHIP {
                    let choices: Vec<NotaryItem> = field
                        .choices
                        .iter()
                        .map(|c| item(&c.id, &c.name, language, c.id == field.value))
                        .collect();
                    r.choices = ModelRc::new(VecModel::from(choices));
                }
                rows.push(r);
            }
        }
        if group.max > 1 {
            let mut add = row(
                ADD,
                &group.role,
                group.parties.len(),
                pick(
                    language,
                    format!("＋ 添加一位{}", short(&group.name.zh)),
                    format!("+ Add one more ({})", group.name.en.to_lowercase()),
                ),
            );
            add.can = group.can_add;
            rows.push(add);
        }
    }
    rows
}

/// "继承人（全部继承人，包括您本人）" → "继承人".
fn short(name: &str) -> &str {
    name.split('（').next().unwrap_or(name)
}

pub fn render(a: &NotaryAdapter<'_>, language: Language, screen: &ScreenView) {
    let Some(view) = (match screen {
        ScreenView::Parties(view) => Some(view.as_ref()),
        _ => None,
    }) else {
        a.set_party_roles(ModelRc::default());
        a.set_party_role_note(SharedString::new());
        a.set_party_rows(ModelRc::default());
        return;
    };
    let roles: Vec<NotaryItem> = view
        .roles
        .iter()
        .map(|(role, name, chosen)| item(role.id(), name, language, *chosen))
        .collect();
    a.set_party_roles(ModelRc::new(VecModel::from(roles)));
    a.set_party_role_note(
        view.role_explanation
            .as_ref()
            .map(|e| e.get(language).into())
            .unwrap_or_default(),
    );
    a.set_party_rows(ModelRc::new(VecModel::from(rows(view, language))));
}
