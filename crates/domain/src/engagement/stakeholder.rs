//! An organisation of the stakeholder directory: what kind it is, where it
//! belongs, and how it relates to others.

use super::{optional_line, passage};
use crate::platform::{required_text, ValidationError};
use serde::Deserialize;

crate::choice!(
    /// What an organisation is. The first nine are state institutions
    /// (`is_state`).
    StakeholderKind, "organisation-kind", {
        Ministry = "ministry",
        ProvincialAuthority = "provincial_authority",
        Court = "court",
        Prosecution = "prosecution",
        Police = "police",
        Military = "military",
        NationalAssembly = "national_assembly",
        Senate = "senate",
        /// The national human rights body (the Cambodian Human Rights Committee).
        HumanRightsBody = "human_rights_body",
        CivilSociety = "civil_society",
        Union = "union",
        Media = "media",
        UnAgency = "un_agency",
        /// An embassy or a donor agency.
        Donor = "donor",
        Company = "company",
        Other = "other",
    }
);

impl StakeholderKind {
    /// A state institution: the Government the office raises cases with.
    pub fn is_state(self) -> bool {
        use StakeholderKind::*;
        matches!(
            self,
            Ministry
                | ProvincialAuthority
                | Court
                | Prosecution
                | Police
                | Military
                | NationalAssembly
                | Senate
                | HumanRightsBody
        )
    }

    /// Whether the contact details of people here are identifying data
    /// (sealed per field, shown only to whom the policy allows). Officials,
    /// UN and embassy staff are contacted in their public role through
    /// published channels; a defender at an NGO, a unionist, a journalist,
    /// a company's worker or anyone else could be put at risk by a list of
    /// their names and numbers (decision 0017).
    pub fn contacts_are_identifying(self) -> bool {
        !(self.is_state() || matches!(self, StakeholderKind::UnAgency | StakeholderKind::Donor))
    }
}

crate::choice!(
    /// How one organisation stands to another (read "from … to").
    RelationKind, "organisation-relation", {
        Oversees = "oversees",
        ReportsTo = "reports_to",
        MemberOf = "member_of",
        Funds = "funds",
        PartnerOf = "partner_of",
    }
);

/// An organisation as typed on the form.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct OrganisationFields {
    pub name_en: String,
    pub name_km: String,
    pub acronym: String,
    pub kind: String,
    /// The organisation it is part of (an id), if any.
    pub parent_id: String,
    /// The province code of the gazetteer, for provincial bodies and local groups.
    pub province_code: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationInput {
    pub name_en: String,
    pub name_km: String,
    pub acronym: String,
    pub kind: StakeholderKind,
    pub parent_id: Option<i64>,
    pub province_code: Option<String>,
    pub notes: String,
}

impl OrganisationFields {
    pub fn parse(&self) -> Result<OrganisationInput, Vec<ValidationError>> {
        let mut errors = vec![];
        let name_en = required_text("name_en", &self.name_en, 200).map_err(|e| errors.push(e)).ok();
        let name_km = required_text("name_km", &self.name_km, 200).map_err(|e| errors.push(e)).ok();
        let acronym = optional_line("acronym", &self.acronym, 30).map_err(|e| errors.push(e)).unwrap_or_default();
        let kind = StakeholderKind::parse(self.kind.trim());
        if kind.is_none() {
            errors.push(ValidationError::new("kind", "invalid-choice"));
        }
        let parent_id =
            crate::protection::optional_id("parent_id", &self.parent_id).map_err(|e| errors.push(e)).ok().flatten();
        let province_code = super::province_code(&self.province_code).map_err(|e| errors.push(e)).ok().flatten();
        let notes = passage("notes", &self.notes, 5_000).map_err(|e| errors.push(e)).unwrap_or_default();
        match (name_en, name_km, kind) {
            (Some(name_en), Some(name_km), Some(kind)) if errors.is_empty() => {
                Ok(OrganisationInput { name_en, name_km, acronym, kind, parent_id, province_code, notes })
            }
            _ => Err(errors),
        }
    }
}

/// A relation typed on an organisation's page.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RelationFields {
    pub kind: String,
    pub to_id: String,
}

impl RelationFields {
    /// The relation from organisation `from`; one to itself is refused.
    pub fn parse(&self, from: i64) -> Result<(RelationKind, i64), Vec<ValidationError>> {
        let mut errors = vec![];
        let kind = RelationKind::parse(self.kind.trim());
        if kind.is_none() {
            errors.push(ValidationError::new("kind", "invalid-choice"));
        }
        let to = crate::protection::optional_id("to_id", &self.to_id).map_err(|e| errors.push(e)).ok().flatten();
        match (kind, to) {
            (_, Some(to)) if to == from => {
                errors.push(ValidationError::new("to_id", "relation-to-itself"));
                Err(errors)
            }
            (Some(kind), Some(to)) if errors.is_empty() => Ok((kind, to)),
            (_, None) if errors.is_empty() => Err(vec![ValidationError::new("to_id", "required")]),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> OrganisationFields {
        OrganisationFields {
            name_en: "Provincial Department of Justice".into(),
            name_km: "មន្ទីរយុត្តិធម៌ខេត្ត".into(),
            kind: "provincial_authority".into(),
            parent_id: "4".into(),
            province_code: "02".into(),
            ..Default::default()
        }
    }

    #[test]
    fn an_organisation_needs_both_names_and_a_known_kind() {
        let i = fields().parse().unwrap();
        assert_eq!(i.kind, StakeholderKind::ProvincialAuthority);
        assert_eq!((i.parent_id, i.province_code.as_deref()), (Some(4), Some("02")));
        let bad = OrganisationFields {
            name_km: " ".into(),
            kind: "government".into(),
            province_code: "x".into(),
            ..fields()
        };
        let fields: Vec<_> = bad.parse().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name_km", "kind", "province_code"]);
    }

    #[test]
    fn civil_society_contacts_are_identifying_officials_are_not() {
        assert!(StakeholderKind::CivilSociety.contacts_are_identifying());
        assert!(StakeholderKind::Media.contacts_are_identifying());
        assert!(StakeholderKind::Other.contacts_are_identifying());
        assert!(!StakeholderKind::Ministry.contacts_are_identifying());
        assert!(!StakeholderKind::Police.contacts_are_identifying());
        assert!(!StakeholderKind::UnAgency.contacts_are_identifying());
    }

    #[test]
    fn a_relation_names_another_organisation() {
        let r = RelationFields { kind: "oversees".into(), to_id: "9".into() };
        assert_eq!(r.parse(3).unwrap(), (RelationKind::Oversees, 9));
        assert_eq!(r.parse(9).unwrap_err()[0].code, "relation-to-itself");
        let none = RelationFields { kind: "oversees".into(), to_id: "".into() };
        assert_eq!(none.parse(3).unwrap_err()[0].code, "required");
    }
}
