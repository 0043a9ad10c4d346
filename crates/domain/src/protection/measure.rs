//! Protective measures: what the office and its partners do about a risk.

use super::*;

crate::choice!(
    /// The kind of measure. An urgent appeal or a letter to the authorities
    /// is also recorded as a monitoring intervention.
    MeasureKind, "measure-kind", {
        Accompaniment = "accompaniment",
        UrgentAppeal = "urgent_appeal",
        LetterToAuthorities = "letter_to_authorities",
        TemporaryRelocation = "temporary_relocation",
        LegalSupport = "legal_support",
        Referral = "referral",
        SecurityTraining = "security_training",
        EmergencySupport = "emergency_support",
    }
);

impl MeasureKind {
    /// Whether the measure is raised with the authorities, and so is an
    /// intervention of the linked monitoring case too.
    pub const fn is_intervention(self) -> bool {
        matches!(self, Self::UrgentAppeal | Self::LetterToAuthorities)
    }
}

crate::choice!(
    /// Where a measure stands.
    MeasureStatus, "measure-status", {
        Planned = "planned",
        Active = "active",
        Completed = "completed",
        Cancelled = "cancelled",
    }
);

impl MeasureStatus {
    /// Whether its review date still matters.
    pub const fn is_open(self) -> bool {
        matches!(self, Self::Planned | Self::Active)
    }
}

/// The dates of a measure as typed (`YYYY-MM-DD`, each optional): it cannot
/// end before it starts. ISO days compare as text.
pub fn measure_dates(
    starts_on: &str,
    ends_on: &str,
    review_on: &str,
) -> Result<[Option<String>; 3], Vec<ValidationError>> {
    let mut errors = vec![];
    let mut day =
        |field, raw| crate::monitoring::intervention::day(field, raw).map_err(|e| errors.push(e)).ok().flatten();
    let dates = [day("starts_on", starts_on), day("ends_on", ends_on), day("review_on", review_on)];
    if let [Some(start), Some(end), _] = &dates {
        if end < start {
            errors.push(ValidationError::new("ends_on", "ends-before-start"));
        }
    }
    if errors.is_empty() {
        Ok(dates)
    } else {
        Err(errors)
    }
}

/// A protective measure as typed. An urgent appeal or a letter to the
/// authorities is also a monitoring intervention: it names the linked case
/// and the authority it goes to.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MeasureFields {
    pub kind: String,
    /// An office user responsible for it (id), or
    pub responsible_user_id: String,
    /// a partner organisation (id).
    pub responsible_organisation_id: String,
    pub status: String,
    pub starts_on: String,
    pub ends_on: String,
    pub review_on: String,
    pub description: String,
    pub outcome: String,
    /// For appeals and letters: the linked case the intervention belongs to,
    pub case_id: String,
    /// and the authority it is sent to (an organisation id).
    pub authority_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureInput {
    pub kind: MeasureKind,
    pub responsible_user_id: Option<i64>,
    pub responsible_organisation_id: Option<i64>,
    pub status: MeasureStatus,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub review_on: Option<String>,
    pub description: String,
    pub outcome: String,
    /// `(case, authority)` of the intervention an appeal or letter creates.
    pub intervention: Option<(i64, i64)>,
}

impl MeasureFields {
    pub fn parse(&self) -> Result<MeasureInput, Vec<ValidationError>> {
        use super::threat::optional_id;
        let mut errors = vec![];
        let kind = MeasureKind::parse(self.kind.trim());
        if kind.is_none() {
            errors.push(ValidationError::new("kind", "invalid-choice"));
        }
        let status = match self.status.trim() {
            "" => Some(MeasureStatus::Planned),
            s => MeasureStatus::parse(s),
        };
        if status.is_none() {
            errors.push(ValidationError::new("status", "invalid-choice"));
        }
        let mut id = |field, raw: &str| optional_id(field, raw).map_err(|e| errors.push(e)).ok().flatten();
        let responsible_user_id = id("responsible_user_id", &self.responsible_user_id);
        let responsible_organisation_id = id("responsible_organisation_id", &self.responsible_organisation_id);
        let case_id = id("case_id", &self.case_id);
        let authority_id = id("authority_id", &self.authority_id);
        if responsible_user_id.is_some() && responsible_organisation_id.is_some() {
            errors.push(ValidationError::new("responsible_organisation_id", "one-responsible"));
        }
        let dates = measure_dates(&self.starts_on, &self.ends_on, &self.review_on).map_err(|e| errors.extend(e)).ok();
        let mut text = |field, raw: &str| {
            let t = raw.trim().to_string();
            if t.chars().count() > 5_000 {
                errors.push(ValidationError::too_long(field, 5_000));
            }
            t
        };
        let description = text("description", &self.description);
        let outcome = text("outcome", &self.outcome);
        let intervention = match kind {
            Some(k) if k.is_intervention() => {
                if case_id.is_none() {
                    errors.push(ValidationError::new("case_id", "required"));
                }
                if authority_id.is_none() {
                    errors.push(ValidationError::new("authority_id", "required"));
                }
                if description.is_empty() {
                    errors.push(ValidationError::new("description", "required"));
                }
                case_id.zip(authority_id)
            }
            _ => None,
        };
        match (kind, status, dates) {
            (Some(kind), Some(status), Some([starts_on, ends_on, review_on])) if errors.is_empty() => {
                Ok(MeasureInput {
                    kind,
                    responsible_user_id,
                    responsible_organisation_id,
                    status,
                    starts_on,
                    ends_on,
                    review_on,
                    description,
                    outcome,
                    intervention,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_measure_cannot_end_before_it_starts() {
        assert_eq!(
            measure_dates("2026-12-04", "2026-12-01", "").unwrap_err(),
            vec![ValidationError::new("ends_on", "ends-before-start")]
        );
        let ok = measure_dates("2026-12-04", "2026-12-04", "2026-12-20").unwrap();
        assert_eq!(ok[2].as_deref(), Some("2026-12-20"));
        assert_eq!(measure_dates("", "", "").unwrap(), [None, None, None]);
        assert_eq!(measure_dates("2026-13-01", "", "").unwrap_err()[0].field, "starts_on");
    }

    #[test]
    fn an_appeal_names_its_case_and_authority() {
        let f = MeasureFields { kind: "urgent_appeal".into(), ..Default::default() };
        let codes: Vec<_> = f.parse().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(codes, ["case_id", "authority_id", "description"]);
        let ok = MeasureFields {
            case_id: "3".into(),
            authority_id: "8".into(),
            description: "Appeal to the provincial police to ensure V1's safety.".into(),
            ..f
        }
        .parse()
        .unwrap();
        assert_eq!((ok.intervention, ok.status), (Some((3, 8)), MeasureStatus::Planned));
        let both = MeasureFields {
            kind: "accompaniment".into(),
            responsible_user_id: "2".into(),
            responsible_organisation_id: "5".into(),
            ..Default::default()
        };
        assert_eq!(both.parse().unwrap_err()[0].code, "one-responsible");
    }

    #[test]
    fn appeals_and_letters_are_interventions() {
        let interventions: Vec<_> = MeasureKind::ALL.iter().filter(|k| k.is_intervention()).collect();
        assert_eq!(interventions, [&MeasureKind::UrgentAppeal, &MeasureKind::LetterToAuthorities]);
        assert!(MeasureStatus::Active.is_open() && !MeasureStatus::Completed.is_open());
    }
}
