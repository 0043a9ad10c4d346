//! Threats against the people of a protection file.

use super::*;
use crate::monitoring::FuzzyDate;

crate::choice!(
    /// What was done or threatened.
    ThreatKind, "threat-kind", {
        Surveillance = "surveillance",
        Summons = "summons",
        PhysicalAttack = "physical_attack",
        LegalHarassment = "legal_harassment",
        OnlineHarassment = "online_harassment",
        ThreatToFamily = "threat_to_family",
        Intimidation = "intimidation",
        PropertyDamage = "property_damage",
        Other = "other",
    }
);

/// A threat as typed. The description replaces names by the codes of the
/// file's people (the pages refuse a text that names one of them).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ThreatFields {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: String,
    /// `on` when the date is approximate.
    pub date_approximate: Option<String>,
    pub kind: String,
    /// The organisation suspected, if known (an id of the organisations list).
    pub actor_organisation_id: String,
    /// The person suspected, if recorded: an alleged perpetrator of a
    /// monitoring case linked to the file (an id of that case's people).
    pub actor_person_id: String,
    /// Who is suspected, in words (a role, a unit; no names).
    pub actor_description: String,
    pub description: String,
    /// The act of a linked monitoring case this threat is, if any.
    pub act_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreatInput {
    pub date: FuzzyDate,
    pub kind: ThreatKind,
    pub actor_organisation_id: Option<i64>,
    pub actor_person_id: Option<i64>,
    pub actor_description: String,
    pub description: String,
    pub act_id: Option<i64>,
}

/// An optional id field: empty is none, anything else must be a number.
pub fn optional_id(field: &'static str, raw: &str) -> Result<Option<i64>, ValidationError> {
    match raw.trim() {
        "" => Ok(None),
        t => t.parse::<i64>().ok().filter(|n| *n > 0).map(Some).ok_or(ValidationError::new(field, "unknown-record")),
    }
}

impl ThreatFields {
    pub fn parse(&self) -> Result<ThreatInput, Vec<ValidationError>> {
        let mut errors = vec![];
        let approximate = matches!(self.date_approximate.as_deref(), Some("on" | "true" | "1"));
        let date = match FuzzyDate::parse("date", &self.date, approximate) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.push(ValidationError::new("date", "required"));
                None
            }
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let kind = ThreatKind::parse(self.kind.trim());
        if kind.is_none() {
            errors.push(ValidationError::new("kind", "invalid-choice"));
        }
        let actor_organisation_id = optional_id("actor_organisation_id", &self.actor_organisation_id)
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        let actor_person_id =
            optional_id("actor_person_id", &self.actor_person_id).map_err(|e| errors.push(e)).ok().flatten();
        let actor_description = self.actor_description.trim().to_string();
        if actor_description.chars().count() > 300 {
            errors.push(ValidationError::too_long("actor_description", 300));
        }
        let description =
            crate::platform::required_text("description", &self.description, 5_000).map_err(|e| errors.push(e)).ok();
        let act_id = optional_id("act_id", &self.act_id).map_err(|e| errors.push(e)).ok().flatten();
        match (date, kind, description) {
            (Some(date), Some(kind), Some(description)) if errors.is_empty() => Ok(ThreatInput {
                date,
                kind,
                actor_organisation_id,
                actor_person_id,
                actor_description,
                description,
                act_id,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_threat_needs_a_date_a_kind_and_a_description() {
        let errs = ThreatFields { act_id: "x".into(), ..Default::default() }.parse().unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            fields,
            [
                ("date", "required"),
                ("kind", "invalid-choice"),
                ("description", "required"),
                ("act_id", "unknown-record")
            ]
        );
        let t = ThreatFields {
            date: "2026-11".into(),
            kind: "summons".into(),
            description: "V1 was summoned to the district police station.".into(),
            actor_organisation_id: "4".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!((t.kind, t.actor_organisation_id, t.act_id), (ThreatKind::Summons, Some(4), None));
        assert_eq!(t.date.value, "2026-11");
    }
}
