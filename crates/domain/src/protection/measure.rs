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
    fn appeals_and_letters_are_interventions() {
        let interventions: Vec<_> = MeasureKind::ALL.iter().filter(|k| k.is_intervention()).collect();
        assert_eq!(interventions, [&MeasureKind::UrgentAppeal, &MeasureKind::LetterToAuthorities]);
        assert!(MeasureStatus::Active.is_open() && !MeasureStatus::Completed.is_open());
    }
}
