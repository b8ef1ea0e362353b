//! The parties of a notary application, checked against the catalogue the kiosk uses (the
//! shipped `data/notary/matters.toml`): the applicant role the matter allows, every party it
//! needs, and every value (GB 11643 ID numbers, GB 32100 credit codes, dates, relationships).
//! A refusal is a 422 with a specific code, so a kiosk bug shows up as what it is.

use crate::core::notary::catalogue::Catalogue;
use crate::core::notary::parties::{check_entries, ApplicantRole, PartyEntry, PartyField};
use crate::core::notary::payload::PAYLOAD_SCHEMA;
use chrono::NaiveDate;
use serde_json::Value;

/// Why the parties are refused: the error code sent back, and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Refusal {
    pub code: &'static str,
    pub reason: String,
}

fn refuse(code: &'static str, reason: impl Into<String>) -> Refusal {
    Refusal {
        code,
        reason: reason.into(),
    }
}

/// Checks a submission's payload. Payloads of other schemas (consultations, ratings) and
/// matters this catalogue does not know (an office's own list) are not checked here.
pub(super) fn check(
    catalogue: &Catalogue,
    payload: &Value,
    today: NaiveDate,
) -> Result<(), Refusal> {
    if payload.get("schema").and_then(Value::as_str) != Some(PAYLOAD_SCHEMA) {
        return Ok(());
    }
    let Some(matter) = payload
        .pointer("/matter/id")
        .and_then(Value::as_str)
        .and_then(|id| catalogue.matter(id))
    else {
        return Ok(());
    };
    let role = match payload.pointer("/applicant/role") {
        None => ApplicantRole::Myself,
        Some(Value::String(id)) => ApplicantRole::from_id(id).ok_or_else(|| {
            refuse(
                "party_invalid",
                format!("applicant.role {id:?} is not self, guardian or agent"),
            )
        })?,
        Some(_) => return Err(refuse("party_invalid", "applicant.role must be a string")),
    };
    if !matter.applicant_roles().contains(&role) {
        return Err(refuse(
            "role_not_allowed",
            format!(
                "matter {:?} may not be applied for by a {} (guardian_allowed / agent_allowed)",
                matter.id,
                role.id()
            ),
        ));
    }
    let entries = match payload.get("parties") {
        None => Vec::new(),
        Some(Value::Array(parties)) => parties
            .iter()
            .enumerate()
            .map(|(i, party)| entry(i, party))
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(refuse("party_invalid", "parties must be an array")),
    };
    let specs = catalogue.parties_for(matter, role);
    let errors = check_entries(
        &specs,
        catalogue.party_roles(),
        catalogue.relationships(),
        &entries,
        today,
    );
    match errors.first() {
        None => Ok(()),
        Some(error) => {
            let at = match (error.index, error.field) {
                (Some(i), Some(field)) => format!("{}[{i}].{}", error.role, field.id()),
                _ => error.role.clone(),
            };
            Err(refuse(error.code, format!("{at}: {}", error.message.en)))
        }
    }
}

fn entry(index: usize, party: &Value) -> Result<PartyEntry, Refusal> {
    let Some(object) = party.as_object() else {
        return Err(refuse(
            "party_invalid",
            format!("parties[{index}] must be an object"),
        ));
    };
    let Some(role) = object.get("role").and_then(Value::as_str) else {
        return Err(refuse(
            "party_invalid",
            format!("parties[{index}] has no role"),
        ));
    };
    let mut entry = PartyEntry::new(role);
    for (key, value) in object.iter().filter(|(k, _)| *k != "role") {
        let field = PartyField::from_id(key).ok_or_else(|| {
            refuse(
                "party_invalid",
                format!("parties[{index}] has an unknown field {key:?}"),
            )
        })?;
        let text = value.as_str().ok_or_else(|| {
            refuse(
                "party_invalid",
                format!("parties[{index}].{key} must be a string"),
            )
        })?;
        entry.values.insert(field, text.to_string());
    }
    Ok(entry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
    }

    fn payload(matter: &str, role: &str, parties: Value) -> Value {
        json!({
            "schema": PAYLOAD_SCHEMA,
            "applicant": { "role": role, "name": "张小三" },
            "matter": { "id": matter },
            "parties": parties,
        })
    }

    fn code(p: &Value) -> Option<&'static str> {
        let catalogue = Catalogue::shipped().unwrap();
        check(&catalogue, p, today()).err().map(|r| r.code)
    }

    #[test]
    fn an_inheritance_needs_the_deceased_and_the_heirs() {
        let deceased = json!({ "role": "deceased", "name": "张大山",
            "id_number": "110105196001010017", "death_date": "2025-01-01" });
        let heir = json!({ "role": "heir", "name": "张小三", "relationship": "child" });
        assert_eq!(
            code(&payload("inheritance", "self", json!([deceased, heir]))),
            None
        );
        assert_eq!(
            code(&payload("inheritance", "self", json!([heir]))),
            Some("party_missing")
        );
        let mut wrong = deceased.clone();
        wrong["id_number"] = json!("110105196001010018");
        assert_eq!(
            code(&payload("inheritance", "self", json!([wrong, heir]))),
            Some("party_invalid")
        );
        let mut unknown = heir.clone();
        unknown["nickname"] = json!("小三");
        assert_eq!(
            code(&payload("inheritance", "self", json!([deceased, unknown]))),
            Some("party_invalid")
        );
    }

    #[test]
    fn company_matters_need_a_valid_credit_code() {
        let company = |code: &str| json!([{ "role": "company", "name": "深圳市腾讯计算机系统有限公司", "credit_code": code }]);
        assert_eq!(
            code(&payload(
                "business_licence",
                "self",
                company("91440300708461136T")
            )),
            None
        );
        let catalogue = Catalogue::shipped().unwrap();
        let refused = check(
            &catalogue,
            &payload("business_licence", "self", company("91440300708461136U")),
            today(),
        )
        .unwrap_err();
        assert_eq!(refused.code, "party_invalid");
        assert!(
            refused.reason.starts_with("company[0].credit_code"),
            "{}",
            refused.reason
        );
    }

    #[test]
    fn a_will_refuses_guardians_and_agents() {
        assert_eq!(code(&payload("will", "self", json!([]))), None);
        assert_eq!(
            code(&payload("will", "guardian", json!([]))),
            Some("role_not_allowed")
        );
        assert_eq!(
            code(&payload("will", "agent", json!([]))),
            Some("role_not_allowed")
        );
        assert_eq!(
            code(&payload("will", "boss", json!([]))),
            Some("party_invalid")
        );
    }

    #[test]
    fn other_payloads_are_not_checked() {
        assert_eq!(
            code(&json!({ "applicant": {}, "matter": { "id": "inheritance" } })),
            None
        );
        assert_eq!(code(&payload("an_office_matter", "agent", json!([]))), None);
    }
}
