//! The catalogue of notary matters (公证事项), loaded from `data/notary/matters.toml` and
//! validated as a whole at load, so a broken office list is refused at start-up rather than
//! half-way through a citizen's application.

use super::parties::{
    ApplicantRole, ApplicantRoleDef, PartyField, PartyRole, PartySpec, Relationship,
    MAX_PARTIES_PER_ROLE,
};
use crate::domain::Bilingual;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::Path;
use thiserror::Error;

/// The catalogue the project ships.
pub const SHIPPED_MATTERS_TOML: &str = include_str!("../../../data/notary/matters.toml");

#[derive(Debug, Error)]
pub enum CatalogueError {
    #[error("cannot read the catalogue {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the catalogue is not valid TOML for this schema: {0}")]
    Parse(String),
    #[error("catalogue schema {0} is not supported (expected 1)")]
    UnsupportedSchema(u32),
    #[error("the catalogue defines no matters")]
    NoMatters,
    #[error("{kind} id {id:?} is defined more than once")]
    DuplicateId { kind: &'static str, id: String },
    #[error("{kind} {id:?} lacks its {field} text in Chinese or English")]
    MissingText {
        kind: &'static str,
        id: String,
        field: &'static str,
    },
    #[error("matter {matter:?} refers to undefined {kind} {id:?}")]
    UnknownReference {
        matter: String,
        kind: &'static str,
        id: String,
    },
    /// A party declaration that does not fit the schema, with the matter (or applicant
    /// role) and party role it is in.
    #[error("{owner}, party {party:?}: {problem}")]
    Party {
        owner: String,
        party: String,
        problem: String,
    },
    #[error("{kind} {id:?}: {problem}")]
    Invalid {
        kind: &'static str,
        id: String,
        problem: &'static str,
    },
}

/// Legal grouping used by fee schedules and case systems (公证法 art. 11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalGroup {
    /// 证明有法律意义的事实
    Fact,
    /// 证明法律行为
    Act,
    /// 证明有法律意义的文书
    Document,
    /// 事务
    Affair,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: String,
    pub name: Bilingual,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslationLanguage {
    pub code: String,
    pub name: Bilingual,
}

/// What a certificate needs after it is issued, by where it is used (公证法 art. 33; the
/// Apostille Convention as applied by China from 2023-11-07; 海峡两岸公证书使用查证协议).
/// The ids are the payload's; the plain-words text of each is catalogue data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Authentication {
    /// Used in mainland China: nothing further.
    None,
    /// Apostille Convention member: an apostille (附加证明书) is enough.
    Apostille,
    /// The MFA (or an authorised office), then the destination's embassy or consulate.
    ConsularLegalisation,
    /// Used in Hong Kong or Macao: neither legalisation nor apostille.
    HongKongMacao,
    /// Used in Taiwan: the office sends a copy to the other side (副本寄送).
    Taiwan,
}

impl Authentication {
    pub const ALL: [Authentication; 5] = [
        Authentication::None,
        Authentication::Apostille,
        Authentication::ConsularLegalisation,
        Authentication::HongKongMacao,
        Authentication::Taiwan,
    ];

    /// An apostille or a legalisation is obtained after the certificate (and may cost extra).
    pub fn needs_foreign_affairs_step(self) -> bool {
        matches!(
            self,
            Authentication::Apostille | Authentication::ConsularLegalisation
        )
    }
}

/// A country or region where a certificate will be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    pub code: String,
    pub name: Bilingual,
    pub authentication: Authentication,
    /// The destination wants a 译文相符 certificate with the translation.
    pub translation_conformity_required: bool,
    /// The usual translation language; `None` where Chinese is accepted.
    pub language: Option<String>,
}

/// A matter that needs full civil capacity: who is too young, and what they are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgeLimit {
    pub years: u32,
    pub reason: Bilingual,
}

/// A document an applicant provides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Material {
    pub id: String,
    pub name: Bilingual,
    /// The document camera can capture it at the kiosk.
    pub scan: bool,
    /// The original must be shown to the notary.
    pub original: bool,
    /// A photo of it shows the holder's portrait (identity card, passport): the privacy
    /// notice says so (a sensitive image, PIPL art. 28).
    pub shows_portrait: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Need {
    Required,
    /// Needed only in the situation described.
    Conditional {
        when: Bilingual,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaterialRequirement {
    pub material: String,
    pub need: Need,
}

/// One notary matter as the kiosk offers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matter {
    pub id: String,
    pub category: String,
    pub legal_group: LegalGroup,
    pub name: Bilingual,
    /// Pinyin initials, full pinyin and synonyms for the search box.
    pub keywords: Vec<String>,
    pub explanation: Bilingual,
    pub who_may_apply: Bilingual,
    /// The applicant must attend: the kiosk takes an appointment request instead.
    pub in_person: bool,
    /// Someone may apply for the person the certificate is about with a written power of
    /// attorney (委托代理, 民法典 arts. 161, 165). False for acts that must be done in person.
    pub agent_allowed: bool,
    /// A parent or other guardian may apply for a minor or an adult without full capacity
    /// (民法典 arts. 23, 27). False for personal acts and where the card holder's own full
    /// capacity is needed (an age limit).
    pub guardian_allowed: bool,
    /// Who else the application is about, by applicant role (`when`).
    pub parties: Vec<PartySpec>,
    /// The office asks for a fingerprint mark (公证程序规则 art. 17).
    pub fingerprint_mark: bool,
    /// Country of use, translation and apostille/legalisation apply.
    pub foreign_use: bool,
    pub typical_days: u32,
    /// Key into the office's fee schedule.
    pub fee_item: String,
    pub materials: Vec<MaterialRequirement>,
    /// The applicant must be at least this old (e.g. a will, 民法典 art. 1143).
    pub age_limit: Option<AgeLimit>,
}

/// The whole validated catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalogue {
    categories: Vec<Category>,
    languages: Vec<TranslationLanguage>,
    countries: Vec<Country>,
    authentications: Vec<(Authentication, Bilingual)>,
    materials: Vec<Material>,
    relationships: Vec<Relationship>,
    party_roles: Vec<PartyRole>,
    applicant_roles: Vec<ApplicantRoleDef>,
    matters: Vec<Matter>,
}

impl Matter {
    /// The ways the card holder may apply for this matter, "self" first.
    pub fn applicant_roles(&self) -> Vec<ApplicantRole> {
        let mut roles = vec![ApplicantRole::Myself];
        if self.guardian_allowed {
            roles.push(ApplicantRole::Guardian);
        }
        if self.agent_allowed {
            roles.push(ApplicantRole::Agent);
        }
        roles
    }
}

impl Catalogue {
    /// The catalogue shipped in `data/notary/matters.toml`.
    pub fn shipped() -> Result<Catalogue, CatalogueError> {
        Catalogue::from_toml_str(SHIPPED_MATTERS_TOML)
    }

    pub fn load(path: &Path) -> Result<Catalogue, CatalogueError> {
        let text = std::fs::read_to_string(path).map_err(|source| CatalogueError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Catalogue::from_toml_str(&text)
    }

    pub fn from_toml_str(text: &str) -> Result<Catalogue, CatalogueError> {
        let raw: raw::File =
            toml::from_str(text).map_err(|e| CatalogueError::Parse(e.message().to_string()))?;
        let catalogue = raw.into_catalogue()?;
        catalogue.validate()?;
        Ok(catalogue)
    }

    pub fn categories(&self) -> &[Category] {
        &self.categories
    }
    pub fn languages(&self) -> &[TranslationLanguage] {
        &self.languages
    }
    pub fn countries(&self) -> &[Country] {
        &self.countries
    }
    pub fn matters(&self) -> &[Matter] {
        &self.matters
    }

    /// The fixed list of relationships (父亲, 母亲, 子女 …).
    pub fn relationships(&self) -> &[Relationship] {
        &self.relationships
    }
    pub fn relationship(&self, id: &str) -> Option<&Relationship> {
        self.relationships.iter().find(|r| r.id == id)
    }
    pub fn party_roles(&self) -> &[PartyRole] {
        &self.party_roles
    }
    pub fn party_role(&self, id: &str) -> Option<&PartyRole> {
        self.party_roles.iter().find(|r| r.id == id)
    }
    /// How a guardian or an agent applies (validated at load: both are defined).
    pub fn applicant_role(&self, role: ApplicantRole) -> Option<&ApplicantRoleDef> {
        self.applicant_roles.iter().find(|r| r.role == role)
    }

    /// `matter` as it is applied for in `role`: the role's materials (an agent's power of
    /// attorney, a guardian's proof) added, and made required where the matter lists them
    /// only as conditional.
    pub fn matter_in_role(&self, matter: &Matter, role: ApplicantRole) -> Matter {
        let mut matter = matter.clone();
        let extra = self
            .applicant_role(role)
            .map(|r| r.materials.as_slice())
            .unwrap_or_default();
        for requirement in extra {
            match matter
                .materials
                .iter_mut()
                .find(|r| r.material == requirement.material)
            {
                Some(listed) if requirement.need == Need::Required => listed.need = Need::Required,
                Some(_) => {}
                None => matter.materials.push(requirement.clone()),
            }
        }
        matter
    }

    /// The parties of `matter` when the card holder applies as `role`: the matter's own,
    /// and the person applied for (the role's default subject unless the matter names one).
    pub fn parties_for<'a>(
        &'a self,
        matter: &'a Matter,
        role: ApplicantRole,
    ) -> Vec<&'a PartySpec> {
        let mut specs: Vec<&PartySpec> = Vec::new();
        let own_subject = matter.parties.iter().any(|p| p.when == Some(role));
        if !own_subject {
            if let Some(subject) = self.applicant_role(role).and_then(|r| r.subject.as_ref()) {
                specs.push(subject);
            }
        }
        specs.extend(
            matter
                .parties
                .iter()
                .filter(|p| p.when == Some(role) || p.when.is_none()),
        );
        specs
    }

    pub fn matter(&self, id: &str) -> Option<&Matter> {
        self.matters.iter().find(|m| m.id == id)
    }
    pub fn material(&self, id: &str) -> Option<&Material> {
        self.materials.iter().find(|m| m.id == id)
    }
    pub fn country(&self, code: &str) -> Option<&Country> {
        self.countries.iter().find(|c| c.code == code)
    }
    pub fn language(&self, code: &str) -> Option<&TranslationLanguage> {
        self.languages.iter().find(|l| l.code == code)
    }
    /// What the citizen is told about `route` (validated at load: every route has a text).
    pub fn authentication_text(&self, route: Authentication) -> Bilingual {
        self.authentications
            .iter()
            .find(|(a, _)| *a == route)
            .map(|(_, text)| text.clone())
            .unwrap_or_default()
    }

    pub fn in_category<'a>(&'a self, category: &'a str) -> impl Iterator<Item = &'a Matter> + 'a {
        self.matters.iter().filter(move |m| m.category == category)
    }

    /// Matters whose Chinese or English name contains `query`, or with a keyword (pinyin
    /// initials, full pinyin) starting with it. An empty query finds everything.
    pub fn search(&self, query: &str) -> Vec<&Matter> {
        let query = query.trim().to_lowercase();
        if query.is_empty() {
            return self.matters.iter().collect();
        }
        self.matters
            .iter()
            .filter(|m| {
                m.name.zh.contains(&query)
                    || m.name.en.to_lowercase().contains(&query)
                    || m.keywords.iter().any(|k| k.starts_with(&query))
            })
            .collect()
    }

    fn validate(&self) -> Result<(), CatalogueError> {
        if self.matters.is_empty() {
            return Err(CatalogueError::NoMatters);
        }
        unique("category", self.categories.iter().map(|c| &c.id))?;
        unique("language", self.languages.iter().map(|l| &l.code))?;
        unique("country", self.countries.iter().map(|c| &c.code))?;
        unique("material", self.materials.iter().map(|m| &m.id))?;
        unique("matter", self.matters.iter().map(|m| &m.id))?;
        for c in &self.categories {
            complete("category", &c.id, "name", &c.name)?;
        }
        for l in &self.languages {
            complete("language", &l.code, "name", &l.name)?;
        }
        for m in &self.materials {
            complete("material", &m.id, "name", &m.name)?;
        }
        for route in Authentication::ALL {
            let texts = self.authentications.iter().filter(|(a, _)| *a == route);
            match texts.collect::<Vec<_>>().as_slice() {
                [(_, text)] => complete("authentication", &format!("{route:?}"), "text", text)?,
                [] => {
                    return Err(CatalogueError::Invalid {
                        kind: "authentication",
                        id: format!("{route:?}"),
                        problem: "has no text for the citizen",
                    })
                }
                _ => {
                    return Err(CatalogueError::DuplicateId {
                        kind: "authentication",
                        id: format!("{route:?}"),
                    })
                }
            }
        }
        for c in &self.countries {
            complete("country", &c.code, "name", &c.name)?;
            if c.authentication == Authentication::None {
                return Err(CatalogueError::Invalid {
                    kind: "country",
                    id: c.code.clone(),
                    problem: "a place of use outside the mainland needs a route other than none",
                });
            }
            if c.language
                .as_deref()
                .is_some_and(|l| self.language(l).is_none())
            {
                return Err(CatalogueError::Invalid {
                    kind: "country",
                    id: c.code.clone(),
                    problem: "its usual language is not among the translation languages",
                });
            }
        }
        self.validate_party_schema()?;
        for m in &self.matters {
            self.validate_matter(m)?;
        }
        Ok(())
    }

    /// Relationships, party roles and applicant roles: unique, in both languages, and the
    /// roles other than "self" each defined once.
    fn validate_party_schema(&self) -> Result<(), CatalogueError> {
        unique("relationship", self.relationships.iter().map(|r| &r.id))?;
        unique("party role", self.party_roles.iter().map(|r| &r.id))?;
        for r in &self.relationships {
            complete("relationship", &r.id, "name", &r.name)?;
        }
        for r in &self.party_roles {
            complete("party role", &r.id, "name", &r.name)?;
            if let Some(label) = &r.relationship_label {
                complete("party role", &r.id, "relationship label", label)?;
            }
        }
        for role in [ApplicantRole::Guardian, ApplicantRole::Agent] {
            let defs: Vec<_> = self
                .applicant_roles
                .iter()
                .filter(|r| r.role == role)
                .collect();
            let def = match defs.as_slice() {
                [def] => def,
                [] => {
                    return Err(CatalogueError::Invalid {
                        kind: "applicant role",
                        id: role.id().into(),
                        problem: "is not defined",
                    })
                }
                _ => {
                    return Err(CatalogueError::DuplicateId {
                        kind: "applicant role",
                        id: role.id().into(),
                    })
                }
            };
            complete("applicant role", role.id(), "name", &def.name)?;
            complete("applicant role", role.id(), "explanation", &def.explanation)?;
            if let Some(subject) = &def.subject {
                self.validate_party(&format!("applicant role {:?}", role.id()), subject)?;
            }
            for requirement in &def.materials {
                if self.material(&requirement.material).is_none() {
                    return Err(CatalogueError::Invalid {
                        kind: "applicant role",
                        id: role.id().into(),
                        problem: "names a material that is not defined",
                    });
                }
                if let Need::Conditional { when } = &requirement.need {
                    complete("applicant role", role.id(), "material condition", when)?;
                }
            }
        }
        if self
            .applicant_roles
            .iter()
            .any(|r| r.role == ApplicantRole::Myself)
        {
            return Err(CatalogueError::Invalid {
                kind: "applicant role",
                id: "self".into(),
                problem: "is built in and takes no row",
            });
        }
        Ok(())
    }

    fn validate_party(&self, owner: &str, spec: &PartySpec) -> Result<(), CatalogueError> {
        let fail = |problem: String| CatalogueError::Party {
            owner: owner.to_string(),
            party: spec.role.clone(),
            problem,
        };
        if self.party_role(&spec.role).is_none() {
            return Err(fail(
                "unknown party role (not among the [[party_role]] rows)".into(),
            ));
        }
        if spec.max == 0 || spec.min > spec.max || spec.max > MAX_PARTIES_PER_ROLE {
            return Err(fail(format!(
                "min {} and max {} must satisfy min <= max and 1 <= max <= {MAX_PARTIES_PER_ROLE}",
                spec.min, spec.max
            )));
        }
        if !spec.required.contains(&PartyField::Name) {
            return Err(fail("every party needs a required name".into()));
        }
        for field in &spec.required {
            if spec.optional.contains(field) {
                return Err(fail(format!(
                    "field {:?} is both required and optional",
                    field.id()
                )));
            }
        }
        let fields = spec.fields();
        if fields.len() != spec.required.len() + spec.optional.len() {
            return Err(fail("a field is listed twice".into()));
        }
        match (
            &spec.relationships,
            fields.contains(&PartyField::Relationship),
        ) {
            (Some(_), false) => {
                return Err(fail(
                    "lists relationships but has no relationship field".into(),
                ))
            }
            (Some(list), true) => {
                if let Some(unknown) = list.iter().find(|r| self.relationship(r).is_none()) {
                    return Err(fail(format!(
                        "unknown relationship {unknown:?} (not among the [[relationship]] rows)"
                    )));
                }
            }
            (None, true) if self.relationships.is_empty() => {
                return Err(fail(
                    "has a relationship field but no [[relationship]] is defined".into(),
                ))
            }
            _ => {}
        }
        Ok(())
    }

    fn validate_matter(&self, m: &Matter) -> Result<(), CatalogueError> {
        complete("matter", &m.id, "name", &m.name)?;
        complete("matter", &m.id, "explanation", &m.explanation)?;
        complete("matter", &m.id, "who may apply", &m.who_may_apply)?;
        let unknown = |kind: &'static str, id: &str| CatalogueError::UnknownReference {
            matter: m.id.clone(),
            kind,
            id: id.to_string(),
        };
        if !self.categories.iter().any(|c| c.id == m.category) {
            return Err(unknown("category", &m.category));
        }
        let invalid = |problem: &'static str| CatalogueError::Invalid {
            kind: "matter",
            id: m.id.clone(),
            problem,
        };
        if !(1..=60).contains(&m.typical_days) {
            return Err(invalid("typical_days must be 1..=60"));
        }
        if m.fee_item.trim().is_empty() {
            return Err(invalid("fee_item is empty"));
        }
        if m.materials.is_empty() {
            return Err(invalid("lists no materials"));
        }
        if let Some(limit) = &m.age_limit {
            complete("matter", &m.id, "age limit reason", &limit.reason)?;
            if m.guardian_allowed || m.agent_allowed {
                return Err(invalid(
                    "an age limit means the card holder's own capacity is needed: no guardian and no agent",
                ));
            }
        }
        let owner = format!("matter {:?}", m.id);
        for (i, spec) in m.parties.iter().enumerate() {
            self.validate_party(&owner, spec)?;
            let allowed = match spec.when {
                Some(ApplicantRole::Guardian) => m.guardian_allowed,
                Some(ApplicantRole::Agent) => m.agent_allowed,
                _ => true,
            };
            if !allowed {
                return Err(CatalogueError::Party {
                    owner,
                    party: spec.role.clone(),
                    problem: format!(
                        "is for a {} but the matter does not allow one",
                        spec.when.map_or("", |w| w.id())
                    ),
                });
            }
            let twice = m.parties[..i].iter().any(|other| {
                other.role == spec.role
                    && (other.when.is_none() || spec.when.is_none() || other.when == spec.when)
            });
            if twice {
                return Err(CatalogueError::Party {
                    owner,
                    party: spec.role.clone(),
                    problem: "is declared twice for the same applicant role".into(),
                });
            }
        }
        unique(
            "material of a matter",
            m.materials.iter().map(|r| &r.material),
        )?;
        for requirement in &m.materials {
            if self.material(&requirement.material).is_none() {
                return Err(unknown("material", &requirement.material));
            }
            if let Need::Conditional { when } = &requirement.need {
                complete("matter", &m.id, "material condition", when)?;
            }
        }
        Ok(())
    }
}

fn unique<'a>(
    kind: &'static str,
    ids: impl Iterator<Item = &'a String>,
) -> Result<(), CatalogueError> {
    let mut seen = HashSet::new();
    for id in ids {
        if id.trim().is_empty() {
            return Err(CatalogueError::Invalid {
                kind,
                id: id.clone(),
                problem: "empty id",
            });
        }
        if !seen.insert(id) {
            return Err(CatalogueError::DuplicateId {
                kind,
                id: id.clone(),
            });
        }
    }
    Ok(())
}

fn complete(
    kind: &'static str,
    id: &str,
    field: &'static str,
    text: &Bilingual,
) -> Result<(), CatalogueError> {
    if text.is_complete() {
        Ok(())
    } else {
        Err(CatalogueError::MissingText {
            kind,
            id: id.to_string(),
            field,
        })
    }
}

/// The file's shape, before validation.
mod raw {
    use super::*;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct File {
        schema: u32,
        #[serde(default)]
        category: Vec<Named>,
        #[serde(default)]
        language: Vec<Language>,
        #[serde(default)]
        authentication: Vec<AuthenticationRow>,
        #[serde(default)]
        country: Vec<CountryRow>,
        #[serde(default)]
        material: Vec<MaterialRow>,
        #[serde(default)]
        relationship: Vec<Named>,
        #[serde(default)]
        party_role: Vec<PartyRoleRow>,
        #[serde(default)]
        applicant_role: Vec<ApplicantRoleRow>,
        #[serde(default)]
        matter: Vec<MatterRow>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct PartyRoleRow {
        id: String,
        zh: String,
        en: String,
        relationship_zh: Option<String>,
        relationship_en: Option<String>,
        #[serde(default)]
        organisation: bool,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct ApplicantRoleRow {
        id: String,
        zh: String,
        en: String,
        explain_zh: String,
        explain_en: String,
        subject: Option<PartyRow>,
        #[serde(default)]
        materials: Vec<RequirementRow>,
    }

    /// Field, role and relationship names stay text here, so that a wrong one is reported
    /// with the matter and party it is in rather than as a bare parse error.
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct PartyRow {
        role: String,
        when: Option<String>,
        min: u32,
        max: u32,
        required: Vec<String>,
        #[serde(default)]
        optional: Vec<String>,
        relationships: Option<Vec<String>>,
    }

    impl PartyRow {
        fn into_spec(self, owner: &str) -> Result<PartySpec, CatalogueError> {
            let fail = |problem: String| CatalogueError::Party {
                owner: owner.to_string(),
                party: self.role.clone(),
                problem,
            };
            let fields = |names: &[String]| -> Result<Vec<PartyField>, CatalogueError> {
                names
                    .iter()
                    .map(|n| {
                        PartyField::from_id(n).ok_or_else(|| {
                            let known: Vec<_> = PartyField::ALL.iter().map(|f| f.id()).collect();
                            fail(format!("unknown field {n:?} (known: {})", known.join(", ")))
                        })
                    })
                    .collect()
            };
            let required = fields(&self.required)?;
            let optional = fields(&self.optional)?;
            let when = match self.when.as_deref() {
                None => None,
                Some(w) => Some(ApplicantRole::from_id(w).ok_or_else(|| {
                    fail(format!(
                        "unknown applicant role {w:?} in `when` (self, guardian or agent)"
                    ))
                })?),
            };
            Ok(PartySpec {
                role: self.role.clone(),
                when,
                min: self.min,
                max: self.max,
                required,
                optional,
                relationships: self.relationships,
            })
        }
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Named {
        id: String,
        zh: String,
        en: String,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Language {
        code: String,
        zh: String,
        en: String,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct AuthenticationRow {
        id: Authentication,
        zh: String,
        en: String,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct CountryRow {
        code: String,
        zh: String,
        en: String,
        authentication: Authentication,
        translation_conformity_required: bool,
        language: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct MaterialRow {
        id: String,
        zh: String,
        en: String,
        scan: bool,
        original: bool,
        #[serde(default)]
        shows_portrait: bool,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum NeedRow {
        Required,
        Conditional,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RequirementRow {
        id: String,
        need: NeedRow,
        when_zh: Option<String>,
        when_en: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct MatterRow {
        id: String,
        category: String,
        legal_group: LegalGroup,
        zh: String,
        en: String,
        #[serde(default)]
        keywords: Vec<String>,
        explain_zh: String,
        explain_en: String,
        who_zh: String,
        who_en: String,
        in_person: bool,
        agent_allowed: bool,
        guardian_allowed: bool,
        #[serde(default)]
        parties: Vec<PartyRow>,
        fingerprint_mark: bool,
        foreign_use: bool,
        typical_days: u32,
        fee_item: String,
        materials: Vec<RequirementRow>,
        min_age: Option<u32>,
        min_age_zh: Option<String>,
        min_age_en: Option<String>,
    }

    impl File {
        pub fn into_catalogue(self) -> Result<Catalogue, CatalogueError> {
            if self.schema != 1 {
                return Err(CatalogueError::UnsupportedSchema(self.schema));
            }
            let matters = self
                .matter
                .into_iter()
                .map(MatterRow::into_matter)
                .collect::<Result<_, _>>()?;
            let mut applicant_roles = Vec::new();
            for row in self.applicant_role {
                let owner = format!("applicant role {:?}", row.id);
                let role =
                    ApplicantRole::from_id(&row.id).ok_or_else(|| CatalogueError::Invalid {
                        kind: "applicant role",
                        id: row.id.clone(),
                        problem: "unknown (guardian or agent)",
                    })?;
                applicant_roles.push(ApplicantRoleDef {
                    role,
                    name: Bilingual::new(row.zh, row.en),
                    explanation: Bilingual::new(row.explain_zh, row.explain_en),
                    subject: row.subject.map(|s| s.into_spec(&owner)).transpose()?,
                    materials: row
                        .materials
                        .into_iter()
                        .map(RequirementRow::into_requirement)
                        .collect(),
                });
            }
            Ok(Catalogue {
                categories: self
                    .category
                    .into_iter()
                    .map(|c| Category {
                        id: c.id,
                        name: Bilingual::new(c.zh, c.en),
                    })
                    .collect(),
                languages: self
                    .language
                    .into_iter()
                    .map(|l| TranslationLanguage {
                        code: l.code,
                        name: Bilingual::new(l.zh, l.en),
                    })
                    .collect(),
                countries: self
                    .country
                    .into_iter()
                    .map(|c| Country {
                        code: c.code,
                        name: Bilingual::new(c.zh, c.en),
                        authentication: c.authentication,
                        translation_conformity_required: c.translation_conformity_required,
                        language: c.language,
                    })
                    .collect(),
                authentications: self
                    .authentication
                    .into_iter()
                    .map(|a| (a.id, Bilingual::new(a.zh, a.en)))
                    .collect(),
                materials: self
                    .material
                    .into_iter()
                    .map(|m| Material {
                        id: m.id,
                        name: Bilingual::new(m.zh, m.en),
                        scan: m.scan,
                        original: m.original,
                        shows_portrait: m.shows_portrait,
                    })
                    .collect(),
                relationships: self
                    .relationship
                    .into_iter()
                    .map(|r| Relationship {
                        id: r.id,
                        name: Bilingual::new(r.zh, r.en),
                    })
                    .collect(),
                party_roles: self
                    .party_role
                    .into_iter()
                    .map(|r| PartyRole {
                        id: r.id,
                        name: Bilingual::new(r.zh, r.en),
                        relationship_label: match (r.relationship_zh, r.relationship_en) {
                            (None, None) => None,
                            (zh, en) => Some(Bilingual::new(
                                zh.unwrap_or_default(),
                                en.unwrap_or_default(),
                            )),
                        },
                        organisation: r.organisation,
                    })
                    .collect(),
                applicant_roles,
                matters,
            })
        }
    }

    impl RequirementRow {
        fn into_requirement(self) -> MaterialRequirement {
            MaterialRequirement {
                material: self.id,
                need: match self.need {
                    NeedRow::Required => Need::Required,
                    NeedRow::Conditional => Need::Conditional {
                        when: Bilingual::new(
                            self.when_zh.unwrap_or_default(),
                            self.when_en.unwrap_or_default(),
                        ),
                    },
                },
            }
        }
    }

    impl MatterRow {
        fn into_matter(self) -> Result<Matter, CatalogueError> {
            let id = self.id;
            let owner = format!("matter {id:?}");
            let parties = self
                .parties
                .into_iter()
                .map(|p| p.into_spec(&owner))
                .collect::<Result<_, _>>()?;
            let materials = self
                .materials
                .into_iter()
                .map(RequirementRow::into_requirement)
                .collect();
            Ok(Matter {
                id,
                category: self.category,
                legal_group: self.legal_group,
                name: Bilingual::new(self.zh, self.en),
                keywords: self.keywords.iter().map(|k| k.to_lowercase()).collect(),
                explanation: Bilingual::new(self.explain_zh, self.explain_en),
                who_may_apply: Bilingual::new(self.who_zh, self.who_en),
                in_person: self.in_person,
                agent_allowed: self.agent_allowed,
                guardian_allowed: self.guardian_allowed,
                parties,
                fingerprint_mark: self.fingerprint_mark,
                foreign_use: self.foreign_use,
                typical_days: self.typical_days,
                fee_item: self.fee_item,
                materials,
                age_limit: self.min_age.map(|years| AgeLimit {
                    years,
                    reason: Bilingual::new(
                        self.min_age_zh.unwrap_or_default(),
                        self.min_age_en.unwrap_or_default(),
                    ),
                }),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
schema = 1
[[category]]
id = "identity"
zh = "身份"
en = "Identity"
[[language]]
code = "en"
zh = "英语"
en = "English"
[[authentication]]
id = "none"
zh = "无"
en = "None"
[[authentication]]
id = "apostille"
zh = "附加证明书"
en = "Apostille"
[[authentication]]
id = "consular_legalisation"
zh = "领事认证"
en = "Legalisation"
[[authentication]]
id = "hong_kong_macao"
zh = "港澳"
en = "Hong Kong, Macao"
[[authentication]]
id = "taiwan"
zh = "台湾"
en = "Taiwan"
[[material]]
id = "id_card"
zh = "身份证"
en = "ID card"
scan = true
original = true
[[relationship]]
id = "child"
zh = "子女"
en = "Child"
[[relationship]]
id = "other"
zh = "其他"
en = "Other"
[[party_role]]
id = "ward"
zh = "被监护人"
en = "Person in your care"
[[party_role]]
id = "principal"
zh = "委托人"
en = "Principal"
[[party_role]]
id = "child"
zh = "孩子"
en = "Child"
[[applicant_role]]
id = "guardian"
zh = "监护人"
en = "Guardian"
explain_zh = "带户口簿"
explain_en = "Bring the household register"
subject = { role = "ward", min = 1, max = 1, required = ["name", "birth_date"], optional = ["id_number"] }
[[applicant_role]]
id = "agent"
zh = "受托人"
en = "Agent"
explain_zh = "带授权委托书"
explain_en = "Bring the power of attorney"
subject = { role = "principal", min = 1, max = 1, required = ["name", "id_number"] }
[[matter]]
id = "birth"
category = "identity"
legal_group = "fact"
zh = "出生公证"
en = "Birth"
keywords = ["cs"]
explain_zh = "说明"
explain_en = "Explanation"
who_zh = "本人"
who_en = "You"
in_person = false
agent_allowed = true
guardian_allowed = true
parties = [{ role = "child", when = "guardian", min = 1, max = 1, required = ["name", "birth_date", "relationship"], relationships = ["child"] }]
fingerprint_mark = false
foreign_use = true
typical_days = 5
fee_item = "fact_certificate"
materials = [{ id = "id_card", need = "required" }]
"#;

    const CHILD_PARTY: &str = r#"parties = [{ role = "child", when = "guardian", min = 1, max = 1, required = ["name", "birth_date", "relationship"], relationships = ["child"] }]"#;

    fn party_error(parties: &str) -> (String, String, String) {
        let broken = MINIMAL.replace(CHILD_PARTY, parties);
        assert_ne!(broken, MINIMAL, "the replacement applies");
        match Catalogue::from_toml_str(&broken) {
            Err(CatalogueError::Party {
                owner,
                party,
                problem,
            }) => (owner, party, problem),
            other => panic!("expected a party error, got {other:?}"),
        }
    }

    #[test]
    fn parties_follow_the_applicant_role() {
        let c = Catalogue::from_toml_str(MINIMAL).unwrap();
        let birth = c.matter("birth").unwrap();
        assert_eq!(
            birth.applicant_roles(),
            vec![
                ApplicantRole::Myself,
                ApplicantRole::Guardian,
                ApplicantRole::Agent
            ]
        );
        let roles = |role| -> Vec<String> {
            c.parties_for(birth, role)
                .iter()
                .map(|p| p.role.clone())
                .collect()
        };
        assert!(roles(ApplicantRole::Myself).is_empty());
        // The matter names its own subject for a guardian: the child, not the default ward.
        assert_eq!(roles(ApplicantRole::Guardian), vec!["child"]);
        assert_eq!(roles(ApplicantRole::Agent), vec!["principal"]);
    }

    #[test]
    fn a_bad_party_schema_is_refused_with_matter_and_party_named() {
        let (owner, party, problem) = party_error(
            r#"parties = [{ role = "child", min = 1, max = 1, required = ["name", "nmae"] }]"#,
        );
        assert_eq!(
            (owner.as_str(), party.as_str()),
            ("matter \"birth\"", "child")
        );
        assert!(problem.contains("unknown field \"nmae\""), "{problem}");
        let (_, party, problem) = party_error(
            r#"parties = [{ role = "cousin", min = 1, max = 1, required = ["name"] }]"#,
        );
        assert_eq!(party, "cousin");
        assert!(problem.contains("unknown party role"), "{problem}");
        let (_, _, problem) = party_error(
            r#"parties = [{ role = "child", min = 1, max = 1, required = ["name", "relationship"], relationships = ["uncle"] }]"#,
        );
        assert!(
            problem.contains("unknown relationship \"uncle\""),
            "{problem}"
        );
        let (_, _, problem) = party_error(
            r#"parties = [{ role = "child", when = "parent", min = 1, max = 1, required = ["name"] }]"#,
        );
        assert!(
            problem.contains("unknown applicant role \"parent\""),
            "{problem}"
        );
        let (_, _, problem) =
            party_error(r#"parties = [{ role = "child", min = 2, max = 1, required = ["name"] }]"#);
        assert!(problem.contains("min 2 and max 1"), "{problem}");
        let (_, _, problem) = party_error(
            r#"parties = [{ role = "child", min = 1, max = 1, required = ["birth_date"] }]"#,
        );
        assert!(problem.contains("required name"), "{problem}");
        let (_, _, problem) = party_error(
            r#"parties = [{ role = "child", min = 1, max = 1, required = ["name"], optional = ["name"] }]"#,
        );
        assert!(problem.contains("both required and optional"), "{problem}");
        let (_, _, problem) = party_error(
            r#"parties = [{ role = "child", min = 1, max = 1, required = ["name"] }, { role = "child", min = 0, max = 2, required = ["name"] }]"#,
        );
        assert!(problem.contains("declared twice"), "{problem}");
    }

    #[test]
    fn guardian_and_agent_parties_need_the_role_allowed() {
        let broken = MINIMAL.replace("guardian_allowed = true", "guardian_allowed = false");
        assert!(matches!(
            Catalogue::from_toml_str(&broken),
            Err(CatalogueError::Party { problem, .. }) if problem.contains("guardian but the matter does not allow one")
        ));
        // A will needs the card holder's own capacity: an age limit rules out a guardian.
        let limited = MINIMAL.replace(
            "typical_days = 5",
            "typical_days = 5\nmin_age = 18\nmin_age_zh = \"须成年\"\nmin_age_en = \"Adults\"",
        );
        assert!(matches!(
            Catalogue::from_toml_str(&limited),
            Err(CatalogueError::Invalid { kind: "matter", problem, .. }) if problem.contains("no guardian")
        ));
    }

    #[test]
    fn both_applicant_roles_must_be_defined() {
        let start = MINIMAL.find("[[applicant_role]]\nid = \"agent\"").unwrap();
        let end = MINIMAL.find("[[matter]]").unwrap();
        let without_agent = format!("{}{}", &MINIMAL[..start], &MINIMAL[end..]);
        assert!(matches!(
            Catalogue::from_toml_str(&without_agent),
            Err(CatalogueError::Invalid { kind: "applicant role", id, .. }) if id == "agent"
        ));
    }

    #[test]
    fn minimal_catalogue_loads() {
        let c = Catalogue::from_toml_str(MINIMAL).unwrap();
        assert_eq!(c.matters().len(), 1);
        assert_eq!(c.matter("birth").unwrap().name.en, "Birth");
    }

    #[test]
    fn duplicate_matter_id_is_refused() {
        let doubled = format!(
            "{MINIMAL}\n{}",
            &MINIMAL[MINIMAL.find("[[matter]]").unwrap()..]
        );
        assert!(matches!(
            Catalogue::from_toml_str(&doubled),
            Err(CatalogueError::DuplicateId { kind: "matter", id }) if id == "birth"
        ));
    }

    #[test]
    fn undefined_material_is_refused() {
        let broken = MINIMAL.replace(r#"{ id = "id_card", need"#, r#"{ id = "hukou", need"#);
        assert!(matches!(
            Catalogue::from_toml_str(&broken),
            Err(CatalogueError::UnknownReference { kind: "material", id, .. }) if id == "hukou"
        ));
    }

    #[test]
    fn missing_english_is_refused() {
        let broken = MINIMAL.replace(r#"en = "Birth""#, r#"en = " ""#);
        assert!(matches!(
            Catalogue::from_toml_str(&broken),
            Err(CatalogueError::MissingText {
                kind: "matter",
                field: "name",
                ..
            })
        ));
    }

    #[test]
    fn conditional_material_needs_its_condition_in_both_languages() {
        let broken = MINIMAL.replace(
            r#"need = "required""#,
            r#"need = "conditional", when_zh = "如有""#,
        );
        assert!(matches!(
            Catalogue::from_toml_str(&broken),
            Err(CatalogueError::MissingText {
                field: "material condition",
                ..
            })
        ));
    }

    #[test]
    fn unknown_keys_and_schemas_are_refused() {
        let typo = MINIMAL.replace("typical_days", "typical_dayz");
        assert!(matches!(
            Catalogue::from_toml_str(&typo),
            Err(CatalogueError::Parse(_))
        ));
        let future = MINIMAL.replace("schema = 1", "schema = 2");
        assert!(matches!(
            Catalogue::from_toml_str(&future),
            Err(CatalogueError::UnsupportedSchema(2))
        ));
    }

    #[test]
    fn every_route_needs_its_text_for_the_citizen() {
        let start = MINIMAL.find("[[authentication]]\nid = \"taiwan\"").unwrap();
        let end = MINIMAL.find("[[material]]").unwrap();
        let without_taiwan = format!("{}{}", &MINIMAL[..start], &MINIMAL[end..]);
        assert!(matches!(
            Catalogue::from_toml_str(&without_taiwan),
            Err(CatalogueError::Invalid {
                kind: "authentication",
                ..
            })
        ));
    }

    #[test]
    fn an_age_limit_needs_its_reason_in_both_languages() {
        let limited = MINIMAL
            .replace("agent_allowed = true", "agent_allowed = false")
            .replace("guardian_allowed = true", "guardian_allowed = false")
            .replace(CHILD_PARTY, "")
            .replace(
                "typical_days = 5",
                "typical_days = 5\nmin_age = 18\nmin_age_zh = \"须成年\"",
            );
        assert!(matches!(
            Catalogue::from_toml_str(&limited),
            Err(CatalogueError::MissingText {
                field: "age limit reason",
                ..
            })
        ));
        let complete = limited.replace("须成年\"", "须成年\"\nmin_age_en = \"Adults only\"");
        let c = Catalogue::from_toml_str(&complete).unwrap();
        assert_eq!(
            c.matter("birth").unwrap().age_limit.as_ref().unwrap().years,
            18
        );
    }

    #[test]
    fn search_finds_chinese_english_and_pinyin_initials() {
        let c = Catalogue::from_toml_str(MINIMAL).unwrap();
        assert_eq!(c.search("出生").len(), 1);
        assert_eq!(c.search("BIRTH").len(), 1);
        assert_eq!(c.search("cs").len(), 1);
        assert!(c.search("遗嘱").is_empty());
    }
}
