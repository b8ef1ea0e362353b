//! The "who is it for" step (为谁办理): how the card holder applies (for themself, as a
//! guardian, as an agent, only as the matter allows) and the other parties of the matter,
//! generated from the catalogue's party schema.

use super::super::applicant::age_on;
use super::super::consent::CollectedParty;
use super::super::parties::{
    check_entries, normalise, ApplicantRole, PartyEntry, PartyError, PartyField, PartySpec,
};
use super::super::payload::PayloadParty;
use super::view::{Choice, PartiesView, PartyFieldView, PartyGroupView, PartyView, ReviewLine};
use super::{Journey, Step};
use crate::domain::{bi, Bilingual};
use chrono::{DateTime, FixedOffset};

/// A guardian must be an adult (民法典 art. 27: a guardian has the capacity to be one).
const GUARDIAN_MIN_AGE: u32 = 18;

impl Journey {
    /// The parties the matter needs in the chosen applicant role, in screen order.
    pub(super) fn party_specs(&self) -> Vec<&PartySpec> {
        match self.matter() {
            Some(matter) => self
                .setup
                .catalogue
                .parties_for(matter, self.data.applicant_role),
            None => Vec::new(),
        }
    }

    /// Whether the step is shown: a role to choose, or parties to enter.
    pub(super) fn has_parties_step(&self) -> bool {
        let Some(matter) = self.matter() else {
            return false;
        };
        matter.applicant_roles().len() > 1
            || !self
                .catalogue()
                .parties_for(matter, ApplicantRole::Myself)
                .is_empty()
    }

    /// After the card: the parties step, or straight on to the form.
    pub(super) fn enter_parties(&mut self) {
        if self.has_parties_step() {
            self.sync_parties();
            self.step = Step::Parties;
        } else {
            self.data.applicant_role = ApplicantRole::Myself;
            self.data.parties.clear();
            self.step = Step::Form;
        }
    }

    /// Keeps the entries of the roles that still apply and adds the least number of each.
    fn sync_parties(&mut self) {
        let specs: Vec<(String, u32)> = self
            .party_specs()
            .iter()
            .map(|s| (s.role.clone(), s.min))
            .collect();
        let mut entries = std::mem::take(&mut self.data.parties);
        let mut kept = Vec::new();
        for (role, min) in specs {
            let mut of_role: Vec<PartyEntry> =
                entries.iter().filter(|e| e.role == role).cloned().collect();
            while (of_role.len() as u32) < min {
                of_role.push(PartyEntry::new(&role));
            }
            kept.extend(of_role);
        }
        entries.clear();
        self.data.parties = kept;
    }

    pub(super) fn choose_applicant_role(&mut self, role: ApplicantRole) {
        let allowed = self
            .matter()
            .is_some_and(|m| m.applicant_roles().contains(&role));
        if allowed {
            self.data.applicant_role = role;
            self.data.party_errors.clear();
            self.sync_parties();
        }
    }

    /// The `index`-th party of `role` (0-based), if it exists.
    fn party_mut(&mut self, role: &str, index: usize) -> Option<&mut PartyEntry> {
        self.data
            .parties
            .iter_mut()
            .filter(|e| e.role == role)
            .nth(index)
    }

    pub(super) fn set_party_field(
        &mut self,
        role: &str,
        index: usize,
        field: PartyField,
        value: String,
    ) {
        let takes = self
            .party_specs()
            .iter()
            .any(|s| s.role == role && s.fields().contains(&field));
        if !takes {
            return;
        }
        if let Some(entry) = self.party_mut(role, index) {
            let value: String = value.chars().take(400).collect();
            if value.trim().is_empty() {
                entry.values.remove(&field);
            } else {
                entry.values.insert(field, value);
            }
        }
    }

    pub(super) fn add_party(&mut self, role: &str) {
        let Some(max) = self
            .party_specs()
            .iter()
            .find(|s| s.role == role)
            .map(|s| s.max)
        else {
            return;
        };
        let count = self.data.parties.iter().filter(|e| e.role == role).count() as u32;
        if count < max {
            let at = self
                .data
                .parties
                .iter()
                .rposition(|e| e.role == role)
                .map_or(self.data.parties.len(), |i| i + 1);
            self.data.parties.insert(at, PartyEntry::new(role));
        }
    }

    pub(super) fn remove_party(&mut self, role: &str, index: usize) {
        let Some(min) = self
            .party_specs()
            .iter()
            .find(|s| s.role == role)
            .map(|s| s.min)
        else {
            return;
        };
        let positions: Vec<usize> = self
            .data
            .parties
            .iter()
            .enumerate()
            .filter(|(_, e)| e.role == role)
            .map(|(i, _)| i)
            .collect();
        if positions.len() as u32 > min {
            if let Some(at) = positions.get(index) {
                self.data.parties.remove(*at);
                self.data.party_errors.clear();
            }
        }
    }

    /// The main button of the step: on to the form when everything checks.
    pub(super) fn parties_next(&mut self, now: DateTime<FixedOffset>) {
        let age = self
            .data
            .applicant
            .as_ref()
            .map(|a| age_on(a.birth_date, now.date_naive()));
        if self.data.applicant_role == ApplicantRole::Guardian
            && age.is_some_and(|a| a < GUARDIAN_MIN_AGE)
        {
            self.data.message = Some(bi(
                "监护人须年满18周岁。请由孩子的父母或其他成年监护人用自己的身份证办理。",
                "A guardian must be 18 or over. Please ask the child's parent or another adult guardian to apply with their own ID card.",
            ));
            return;
        }
        let errors = self.party_errors(now);
        if errors.is_empty() {
            self.data.party_errors.clear();
            self.data.form_errors.clear();
            self.step = Step::Form;
        } else {
            self.data.message = Some(bi(
                "还有信息没有填好，请看红色的提示。",
                "Some details are missing or wrong: see the messages in red.",
            ));
            self.data.party_errors = errors;
        }
    }

    pub(super) fn party_errors(&self, now: DateTime<FixedOffset>) -> Vec<PartyError> {
        let catalogue = self.catalogue();
        check_entries(
            &self.party_specs(),
            catalogue.party_roles(),
            catalogue.relationships(),
            &self.data.parties,
            now.date_naive(),
        )
    }

    pub(super) fn parties_view(&self) -> PartiesView {
        let catalogue = self.catalogue();
        let Some(matter) = self.matter() else {
            return PartiesView::default();
        };
        let chosen = self.data.applicant_role;
        let roles = matter.applicant_roles();
        let role_choices = if roles.len() > 1 {
            roles
                .iter()
                .map(|r| (*r, role_name(self, *r), *r == chosen))
                .collect()
        } else {
            Vec::new()
        };
        let relationships: Vec<Choice> = catalogue
            .relationships()
            .iter()
            .map(|r| Choice {
                id: r.id.clone(),
                name: r.name.clone(),
            })
            .collect();
        let errors = &self.data.party_errors;
        let groups = self
            .party_specs()
            .into_iter()
            .map(|spec| {
                let (role, name, entries) = self.of_role(spec);
                let count = entries.len() as u32;
                let allowed: Vec<Choice> = relationships
                    .iter()
                    .filter(|c| {
                        spec.relationships
                            .as_ref()
                            .is_none_or(|list| list.contains(&c.id))
                    })
                    .cloned()
                    .collect();
                PartyGroupView {
                    role: spec.role.clone(),
                    name,
                    min: spec.min,
                    max: spec.max,
                    can_add: count < spec.max,
                    problem: errors
                        .iter()
                        .find(|e| e.role == spec.role && e.index.is_none())
                        .map(|e| e.message.clone()),
                    parties: entries
                        .iter()
                        .enumerate()
                        .map(|(index, entry)| PartyView {
                            index,
                            can_remove: count > spec.min,
                            fields: spec
                                .fields()
                                .into_iter()
                                .map(|field| PartyFieldView {
                                    field,
                                    label: field_label(spec, field, role),
                                    required: spec.requires(field),
                                    value: entry.value(field).to_string(),
                                    hint: field.hint(),
                                    keyboard: field.keyboard(),
                                    error: errors
                                        .iter()
                                        .find(|e| {
                                            e.role == spec.role
                                                && e.index == Some(index)
                                                && e.field == Some(field)
                                        })
                                        .map(|e| e.message.clone()),
                                    choices: if field == PartyField::Relationship {
                                        allowed.clone()
                                    } else {
                                        Vec::new()
                                    },
                                })
                                .collect(),
                        })
                        .collect(),
                }
            })
            .collect();
        PartiesView {
            roles: role_choices,
            role_explanation: catalogue
                .applicant_role(chosen)
                .map(|r| r.explanation.clone())
                .filter(|_| chosen != ApplicantRole::Myself),
            groups,
        }
    }

    /// The applicant role and the parties, for the review screen. ID numbers are masked.
    pub(super) fn party_review_lines(&self) -> Vec<ReviewLine> {
        let catalogue = self.catalogue();
        let mut lines = Vec::new();
        if self.matter().is_some_and(|m| m.applicant_roles().len() > 1) {
            lines.push(ReviewLine::new(
                bi("办理方式", "Applying as"),
                role_name(self, self.data.applicant_role),
            ));
        }
        for spec in self.party_specs() {
            let (role, name, entries) = self.of_role(spec);
            for (i, entry) in entries.iter().enumerate() {
                let label = if entries.len() > 1 {
                    Bilingual::new(
                        format!("{} {}", name.zh, i + 1),
                        format!("{} {}", name.en, i + 1),
                    )
                } else {
                    name.clone()
                };
                let mut zh = Vec::new();
                let mut en = Vec::new();
                for field in spec.fields() {
                    let value = entry.value(field).trim();
                    if value.is_empty() {
                        continue;
                    }
                    let shown = match field {
                        PartyField::IdNumber => {
                            super::super::mask::mask_id_number(&normalise(field, value))
                        }
                        PartyField::Relationship => {
                            let r = catalogue.relationship(value);
                            let words =
                                r.map_or_else(|| Bilingual::new(value, value), |r| r.name.clone());
                            let label = field_label(spec, field, role);
                            zh.push(format!("{}{}", label.zh, words.zh));
                            en.push(format!("{} {}", label.en, words.en.to_lowercase()));
                            continue;
                        }
                        _ => normalise(field, value),
                    };
                    // A school's or a company's name is its 名称, as on the form.
                    let label = field_label(spec, field, role);
                    let short_zh = label.zh.split('（').next().unwrap_or_default();
                    let short_en = label.en.split(" (").next().unwrap_or_default();
                    zh.push(format!("{short_zh}：{shown}"));
                    en.push(format!("{short_en}: {shown}"));
                }
                lines.push(ReviewLine::new(
                    label,
                    Bilingual::new(zh.join("；"), en.join("; ")),
                ));
            }
        }
        lines
    }

    /// The role's definition and name, and the parties entered for it.
    fn of_role<'a>(
        &'a self,
        spec: &PartySpec,
    ) -> (
        Option<&'a super::super::parties::PartyRole>,
        Bilingual,
        Vec<&'a PartyEntry>,
    ) {
        let role = self.catalogue().party_role(&spec.role);
        let name = role.map_or_else(Bilingual::default, |r| r.name.clone());
        let entries = self
            .data
            .parties
            .iter()
            .filter(|e| e.role == spec.role)
            .collect();
        (role, name, entries)
    }

    /// The parties as the payload carries them: normalised values, no empty fields.
    pub(super) fn payload_parties(&self) -> Vec<PayloadParty> {
        let specs = self.party_specs();
        self.data
            .parties
            .iter()
            .filter(|e| specs.iter().any(|s| s.role == e.role))
            .map(|entry| PayloadParty {
                role: entry.role.clone(),
                fields: entry
                    .values
                    .iter()
                    .filter(|(_, v)| !v.trim().is_empty())
                    .map(|(f, v)| (*f, normalise(*f, v)))
                    .collect(),
            })
            .collect()
    }

    /// Every party the matter may involve, in any role it allows, for the privacy notice.
    pub(super) fn collected_parties(&self) -> Vec<CollectedParty> {
        let Some(matter) = self.matter() else {
            return Vec::new();
        };
        let catalogue = self.catalogue();
        let mut collected: Vec<CollectedParty> = Vec::new();
        for role in matter.applicant_roles() {
            for spec in catalogue.parties_for(matter, role) {
                let role_def = catalogue.party_role(&spec.role);
                let name = short(&role_def.map_or_else(Bilingual::default, |r| r.name.clone()));
                if collected.iter().any(|c| c.role == name) {
                    continue;
                }
                collected.push(CollectedParty {
                    role: name,
                    fields: spec
                        .fields()
                        .into_iter()
                        .map(|f| match f {
                            PartyField::Relationship => bi("关系", "Relationship"),
                            other => short(&field_label(spec, other, role_def)),
                        })
                        .collect(),
                    id_number: spec.fields().contains(&PartyField::IdNumber),
                });
            }
        }
        collected
    }
}

/// A label without its bracketed explanation: "曾用名（没有可不填）" → "曾用名".
fn short(text: &Bilingual) -> Bilingual {
    Bilingual::new(
        text.zh.split('（').next().unwrap_or_default(),
        text.en.split(" (").next().unwrap_or_default(),
    )
}

fn role_name(journey: &Journey, role: ApplicantRole) -> Bilingual {
    match role {
        ApplicantRole::Myself => bi("为我本人办理", "For myself"),
        _ => journey
            .catalogue()
            .applicant_role(role)
            .map_or_else(Bilingual::default, |r| r.name.clone()),
    }
}

fn field_label(
    spec: &PartySpec,
    field: PartyField,
    role: Option<&super::super::parties::PartyRole>,
) -> Bilingual {
    let organisation = role.is_some_and(|r| r.organisation);
    let label = match (field, role.and_then(|r| r.relationship_label.clone())) {
        (PartyField::Relationship, Some(label)) => label,
        (PartyField::Name, _) if organisation => bi("名称", "Name"),
        _ => field.label(),
    };
    if spec.requires(field) || field == PartyField::FormerName {
        label
    } else {
        Bilingual::new(
            format!("{}（可不填）", label.zh),
            format!("{} (optional)", label.en),
        )
    }
}
