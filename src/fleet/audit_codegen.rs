//! Generates `src/fleet/audit_events.rs` and `docs/audit-events.md` from
//! `data/audit/events.toml`, and checks in tests that both checked-in files are up to date.
//!
//! Regenerate after editing the catalog:
//! `LEGAL_KIOSK_UPDATE_GENERATED=1 cargo test --lib --no-default-features fleet::audit_codegen`

use super::audit_fields::{AuditCategory, AuditField, ReasonCode};
use serde::Deserialize;
use std::collections::HashSet;
use std::fmt::Write as _;

pub const CATALOG_PATH: &str = "data/audit/events.toml";
pub const RUST_PATH: &str = "src/fleet/audit_events.rs";
pub const DOCS_PATH: &str = "docs/audit-events.md";
const REGENERATE: &str =
    "LEGAL_KIOSK_UPDATE_GENERATED=1 cargo test --lib --no-default-features fleet::audit_codegen";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    event: Vec<RawEvent>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    id: String,
    category: String,
    description: String,
    fields: Vec<String>,
    pair: bool,
}

/// One validated catalog entry.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogEvent {
    pub id: String,
    pub category: AuditCategory,
    pub description: String,
    pub fields: Vec<AuditField>,
    pub pair: bool,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    #[error("events.toml does not parse: {0}")]
    Parse(String),
    #[error("event id {0:?} is not kebab-case (a-z, 0-9, single '-')")]
    BadId(String),
    #[error("event id {0:?} appears twice")]
    DuplicateId(String),
    #[error("event {id}: unknown category {category:?}")]
    UnknownCategory { id: String, category: String },
    #[error("event {id}: unknown field {field:?}")]
    UnknownField { id: String, field: String },
    #[error("event {id}: field {field:?} listed twice")]
    DuplicateField { id: String, field: String },
    #[error("event {0}: the description must be one non-empty line")]
    BadDescription(String),
}

pub fn parse_catalog(text: &str) -> Result<Vec<CatalogEvent>, CatalogError> {
    let file: CatalogFile =
        toml::from_str(text).map_err(|error| CatalogError::Parse(error.to_string()))?;
    let mut seen = HashSet::new();
    file.event
        .into_iter()
        .map(|raw| {
            let kebab = !raw.id.is_empty()
                && !raw.id.starts_with('-')
                && !raw.id.ends_with('-')
                && !raw.id.contains("--")
                && raw
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !kebab {
                return Err(CatalogError::BadId(raw.id));
            }
            if !seen.insert(raw.id.clone()) {
                return Err(CatalogError::DuplicateId(raw.id));
            }
            if raw.description.trim().is_empty() || raw.description.contains('\n') {
                return Err(CatalogError::BadDescription(raw.id));
            }
            let category = AuditCategory::ALL
                .into_iter()
                .find(|category| category.name() == raw.category)
                .ok_or_else(|| CatalogError::UnknownCategory {
                    id: raw.id.clone(),
                    category: raw.category.clone(),
                })?;
            let mut fields = Vec::new();
            for name in &raw.fields {
                let field = AuditField::ALL
                    .into_iter()
                    .find(|field| field.name() == name)
                    .ok_or_else(|| CatalogError::UnknownField {
                        id: raw.id.clone(),
                        field: name.clone(),
                    })?;
                if fields.contains(&field) {
                    return Err(CatalogError::DuplicateField {
                        id: raw.id.clone(),
                        field: name.clone(),
                    });
                }
                fields.push(field);
            }
            Ok(CatalogEvent {
                id: raw.id,
                category,
                description: raw.description,
                fields,
                pair: raw.pair,
            })
        })
        .collect()
}

fn variant_name(id: &str) -> String {
    id.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The Rust source of `src/fleet/audit_events.rs`.
pub fn render_rust(events: &[CatalogEvent]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "//! @generated from `{CATALOG_PATH}` by `src/fleet/audit_codegen.rs`: do not edit."
    );
    let _ = writeln!(out, "//! Regenerate: `{REGENERATE}`");
    out.push('\n');
    out.push_str("use super::audit_fields::{AuditCategory, AuditField};\n\n");
    out.push_str("/// Every audit event the kiosk writes (see `docs/audit-events.md`).\n");
    out.push_str("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\npub enum AuditEventId {\n");
    for event in events {
        let _ = writeln!(out, "    /// {}", event.description);
        let _ = writeln!(out, "    {},", variant_name(&event.id));
    }
    out.push_str("}\n\nimpl AuditEventId {\n");
    let _ = writeln!(
        out,
        "    pub const ALL: [AuditEventId; {}] = [",
        events.len()
    );
    for event in events {
        let _ = writeln!(out, "        AuditEventId::{},", variant_name(&event.id));
    }
    out.push_str("    ];\n\n");
    let arms = |out: &mut String, signature: &str, value: &dyn Fn(&CatalogEvent) -> String| {
        let _ = writeln!(out, "    {signature} {{\n        match self {{");
        for event in events {
            let _ = writeln!(
                out,
                "            AuditEventId::{} => {},",
                variant_name(&event.id),
                value(event)
            );
        }
        out.push_str("        }\n    }\n");
    };
    out.push_str("    /// The stable kebab-case id written to JSON lines.\n");
    arms(&mut out, "pub fn id(self) -> &'static str", &|e| {
        format!("{:?}", e.id)
    });
    out.push('\n');
    arms(&mut out, "pub fn category(self) -> AuditCategory", &|e| {
        format!("AuditCategory::{:?}", e.category)
    });
    out.push('\n');
    arms(&mut out, "pub fn description(self) -> &'static str", &|e| {
        format!("{:?}", e.description)
    });
    out.push('\n');
    out.push_str("    /// The only fields this event may carry.\n");
    arms(
        &mut out,
        "pub fn fields(self) -> &'static [AuditField]",
        &|e| {
            let list: Vec<String> = e
                .fields
                .iter()
                .map(|field| format!("AuditField::{field:?}"))
                .collect();
            format!("&[{}]", list.join(", "))
        },
    );
    out.push('\n');
    out.push_str(
        "    /// True for long actions written as an `init` and a `complete` with an outcome.\n",
    );
    arms(&mut out, "pub fn is_pair(self) -> bool", &|e| {
        e.pair.to_string()
    });
    out.push_str("\n    pub fn from_id(id: &str) -> Option<AuditEventId> {\n        match id {\n");
    for event in events {
        let _ = writeln!(
            out,
            "            {:?} => Some(AuditEventId::{}),",
            event.id,
            variant_name(&event.id)
        );
    }
    out.push_str("            _ => None,\n        }\n    }\n}\n");
    out
}

/// The Markdown of `docs/audit-events.md`.
pub fn render_markdown(events: &[CatalogEvent]) -> String {
    let mut out = String::new();
    out.push_str("# Audit events\n\n");
    let _ = writeln!(
        out,
        "<!-- @generated from `{CATALOG_PATH}`: do not edit. Regenerate: `{REGENERATE}` -->\n"
    );
    out.push_str(
        "Every staff action, every remote command and every change of health is written as an audit \
event. Events carry typed fields only: no free text and no personal data (no names, ID numbers, \
phone numbers, card UIDs or fingerprints). Long actions are written as an `init` record and a \
`complete` record with the same `correlation` and an outcome.\n\n",
    );
    out.push_str(
        "## JSON lines\n\nOne JSON object per line (export format and log format):\n\n```json\n",
    );
    out.push_str(r#"{"ts":"2025-03-01T08:30:00.000Z","event":"staff-login","category":"user-action","phase":"complete","correlation":42,"outcome":"failure","outcome-reason":"wrong-pin","fields":{"credential-kind":"card","count":3}}"#);
    out.push_str("\n```\n\n");
    out.push_str("| key | meaning |\n|---|---|\n");
    out.push_str("| `ts` | UTC time, RFC 3339 with milliseconds |\n");
    out.push_str("| `event` | event id (below) |\n");
    out.push_str(
        "| `category` | user-action, system-action, system-status, application-status |\n",
    );
    out.push_str("| `phase` | `single`, or `init` / `complete` for pairs |\n");
    out.push_str("| `correlation` | pairs only: links `init` and `complete` |\n");
    out.push_str("| `outcome` | `complete` only: success, failure, cancelled |\n");
    out.push_str("| `outcome-reason` | failure and cancelled: a reason code |\n");
    out.push_str("| `fields` | the typed fields below; absent fields are omitted |\n\n");
    out.push_str("## Fields\n\n| field | value |\n|---|---|\n");
    for field in AuditField::ALL {
        let _ = writeln!(out, "| `{}` | {} |", field.name(), field.meaning());
    }
    out.push_str("\nReason codes: ");
    let codes: Vec<String> = ReasonCode::ALL
        .iter()
        .map(|reason| format!("`{}`", reason.code()))
        .collect();
    out.push_str(&codes.join(", "));
    out.push_str(".\n\n## Events\n");
    for category in AuditCategory::ALL {
        let _ = writeln!(out, "\n### {}\n", category.name());
        out.push_str("| event | pair | fields | description |\n|---|---|---|---|\n");
        for event in events.iter().filter(|event| event.category == category) {
            let fields: Vec<String> = event
                .fields
                .iter()
                .map(|field| format!("`{}`", field.name()))
                .collect();
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} |",
                event.id,
                if event.pair {
                    "init/complete"
                } else {
                    "single"
                },
                if fields.is_empty() {
                    "—".to_string()
                } else {
                    fields.join(", ")
                },
                event.description
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::audit::AuditEventId;
    use std::path::Path;

    fn catalog() -> Vec<CatalogEvent> {
        let text =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(CATALOG_PATH))
                .expect("the catalog is readable");
        parse_catalog(&text).expect("the catalog is valid")
    }

    /// Compares a checked-in generated file with what the generator makes now, or rewrites it
    /// when `LEGAL_KIOSK_UPDATE_GENERATED` is set.
    fn check_generated(relative: &str, expected: &str) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
        if std::env::var_os("LEGAL_KIOSK_UPDATE_GENERATED").is_some() {
            std::fs::write(&path, expected).expect("write generated file");
            return;
        }
        let actual = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            actual == expected,
            "{relative} is out of date with {CATALOG_PATH}; regenerate with: {REGENERATE}"
        );
    }

    #[test]
    fn generated_rust_is_in_sync_with_the_catalog() {
        check_generated(RUST_PATH, &render_rust(&catalog()));
    }

    #[test]
    fn generated_docs_are_in_sync_with_the_catalog() {
        check_generated(DOCS_PATH, &render_markdown(&catalog()));
    }

    #[test]
    fn every_enum_variant_matches_the_catalog_and_back() {
        let events = catalog();
        assert_eq!(events.len(), AuditEventId::ALL.len());
        for (event, id) in events.iter().zip(AuditEventId::ALL) {
            assert_eq!(id.id(), event.id);
            assert_eq!(id.category(), event.category);
            assert_eq!(id.description(), event.description);
            assert_eq!(id.fields(), event.fields.as_slice());
            assert_eq!(id.is_pair(), event.pair);
            assert_eq!(AuditEventId::from_id(&event.id), Some(id));
        }
        assert_eq!(AuditEventId::from_id("no-such-event"), None);
    }

    #[test]
    fn invalid_catalogs_are_refused_with_the_reason() {
        let entry = |id: &str, category: &str, fields: &str| {
            format!(
                "[[event]]\nid = \"{id}\"\ncategory = \"{category}\"\ndescription = \"d\"\nfields = [{fields}]\npair = false\n"
            )
        };
        assert_eq!(
            parse_catalog(&entry("Bad_Id", "user-action", "")),
            Err(CatalogError::BadId("Bad_Id".into()))
        );
        let twice = entry("a", "user-action", "") + &entry("a", "user-action", "");
        assert_eq!(
            parse_catalog(&twice),
            Err(CatalogError::DuplicateId("a".into()))
        );
        assert!(matches!(
            parse_catalog(&entry("a", "gossip", "")),
            Err(CatalogError::UnknownCategory { .. })
        ));
        assert!(matches!(
            parse_catalog(&entry("a", "user-action", "\"citizen-name\"")),
            Err(CatalogError::UnknownField { .. })
        ));
        assert!(matches!(
            parse_catalog(&entry("a", "user-action", "\"count\", \"count\"")),
            Err(CatalogError::DuplicateField { .. })
        ));
        assert!(matches!(
            parse_catalog("event = 3"),
            Err(CatalogError::Parse(_))
        ));
    }
}
