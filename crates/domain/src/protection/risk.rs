//! Risk assessments, after the protection manuals' "risk = threats ×
//! vulnerabilities ÷ capacities": the officer rates how likely the threat is
//! to be carried out and how bad it would be (1-5 each) and lists the
//! vulnerabilities and capacities; the level follows from those, and an
//! override needs a written reason.

use super::*;

crate::choice!(
    /// The level of risk, lowest first.
    RiskLevel, "risk-level", {
        Low = "low",
        Medium = "medium",
        High = "high",
        Critical = "critical",
    }
);

/// A rating from 1 (least) to 5 (most).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rating(u8);

impl Rating {
    pub fn parse(field: &'static str, raw: &str) -> Result<Self, ValidationError> {
        match raw.trim() {
            "" => Err(ValidationError::new(field, "required")),
            t => match t.parse::<u8>() {
                Ok(n @ 1..=5) => Ok(Self(n)),
                _ => Err(ValidationError::new(field, "rating-out-of-range")),
            },
        }
    }

    pub const fn get(self) -> u8 {
        self.0
    }
}

/// Each listed vulnerability weighs a quarter of the threat more, each
/// capacity a quarter less: score = likelihood × impact × (4 + v) / (4 + c).
/// With as many capacities as vulnerabilities the score is likelihood ×
/// impact (1-25); the levels start at 5 (medium), 10 (high), 16 (critical).
/// Compared as integers (score × (4 + c) against a threshold × (4 + c)), so
/// a boundary is never a rounding question.
pub fn computed_level(likelihood: Rating, impact: Rating, vulnerabilities: usize, capacities: usize) -> RiskLevel {
    let threat = u64::from(likelihood.0) * u64::from(impact.0) * (4 + vulnerabilities as u64);
    let scale = 4 + capacities as u64;
    if threat >= 16 * scale {
        RiskLevel::Critical
    } else if threat >= 10 * scale {
        RiskLevel::High
    } else if threat >= 5 * scale {
        RiskLevel::Medium
    } else {
        RiskLevel::Low
    }
}

/// Days until the next assessment falls due, per level (shorter for higher
/// levels). An office sets its own in the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct ReassessmentDays {
    pub low: u32,
    pub medium: u32,
    pub high: u32,
    pub critical: u32,
}

impl Default for ReassessmentDays {
    fn default() -> Self {
        Self { low: 90, medium: 30, high: 14, critical: 7 }
    }
}

impl ReassessmentDays {
    pub const fn for_level(&self, level: RiskLevel) -> u32 {
        match level {
            RiskLevel::Low => self.low,
            RiskLevel::Medium => self.medium,
            RiskLevel::High => self.high,
            RiskLevel::Critical => self.critical,
        }
    }

    /// When an assessment made at `assessed_at` (Unix seconds) is due again.
    pub const fn due_after(&self, assessed_at: i64, level: RiskLevel) -> i64 {
        assessed_at + self.for_level(level) as i64 * 86_400
    }
}

/// A risk assessment as typed in the form or the API. Vulnerabilities and
/// capacities are one per line.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RiskAssessmentFields {
    /// 1-5.
    pub likelihood: String,
    /// 1-5.
    pub impact: String,
    pub vulnerabilities: String,
    pub capacities: String,
    /// Empty, or a level the officer sets instead of the computed one.
    pub override_level: String,
    /// Required with an override.
    pub override_reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskAssessmentInput {
    pub likelihood: Rating,
    pub impact: Rating,
    pub vulnerabilities: Vec<String>,
    pub capacities: Vec<String>,
    pub computed: RiskLevel,
    /// The override and its reason, when there is one.
    pub overridden: Option<(RiskLevel, String)>,
}

impl RiskAssessmentInput {
    /// The level the file is at: the override where there is one.
    pub fn level(&self) -> RiskLevel {
        self.overridden.as_ref().map_or(self.computed, |(level, _)| *level)
    }
}

const MAX_ITEMS: usize = 30;
const MAX_ITEM_CHARS: usize = 500;

fn items(field: &'static str, raw: &str, errors: &mut Vec<ValidationError>) -> Vec<String> {
    let list: Vec<String> = raw.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
    if list.len() > MAX_ITEMS {
        errors.push(ValidationError { field, code: "too-many-items", limit: Some(MAX_ITEMS) });
    } else if list.iter().any(|l| l.chars().count() > MAX_ITEM_CHARS) {
        errors.push(ValidationError::too_long(field, MAX_ITEM_CHARS));
    }
    list
}

impl RiskAssessmentFields {
    pub fn parse(&self) -> Result<RiskAssessmentInput, Vec<ValidationError>> {
        let mut errors = vec![];
        let likelihood = Rating::parse("likelihood", &self.likelihood).map_err(|e| errors.push(e)).ok();
        let impact = Rating::parse("impact", &self.impact).map_err(|e| errors.push(e)).ok();
        let vulnerabilities = items("vulnerabilities", &self.vulnerabilities, &mut errors);
        let capacities = items("capacities", &self.capacities, &mut errors);
        let reason = self.override_reason.trim();
        let overridden = match self.override_level.trim() {
            "" => {
                if !reason.is_empty() {
                    errors.push(ValidationError::new("override_level", "required"));
                }
                None
            }
            code => match RiskLevel::parse(code) {
                None => {
                    errors.push(ValidationError::new("override_level", "invalid-choice"));
                    None
                }
                Some(_) if reason.is_empty() => {
                    errors.push(ValidationError::new("override_reason", "required"));
                    None
                }
                Some(_) if reason.chars().count() > 2_000 => {
                    errors.push(ValidationError::too_long("override_reason", 2_000));
                    None
                }
                Some(level) => Some((level, reason.to_string())),
            },
        };
        match (likelihood, impact) {
            (Some(likelihood), Some(impact)) if errors.is_empty() => {
                let computed = computed_level(likelihood, impact, vulnerabilities.len(), capacities.len());
                // An "override" to the computed level is no override.
                let overridden = overridden.filter(|(level, _)| *level != computed);
                Ok(RiskAssessmentInput { likelihood, impact, vulnerabilities, capacities, computed, overridden })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: u8) -> Rating {
        Rating::parse("x", &n.to_string()).unwrap()
    }

    #[test]
    fn ratings_are_one_to_five() {
        for bad in ["0", "6", "-1", "2.5", "three"] {
            assert_eq!(
                Rating::parse("impact", bad).unwrap_err(),
                ValidationError::new("impact", "rating-out-of-range")
            );
        }
        assert_eq!(Rating::parse("impact", " ").unwrap_err().code, "required");
        assert_eq!(Rating::parse("impact", " 5 ").unwrap().get(), 5);
    }

    #[test]
    fn the_level_follows_threat_vulnerabilities_and_capacities() {
        // Balanced: likelihood × impact against 5 / 10 / 16.
        assert_eq!(computed_level(r(1), r(4), 0, 0), RiskLevel::Low);
        assert_eq!(computed_level(r(1), r(5), 0, 0), RiskLevel::Medium);
        assert_eq!(computed_level(r(3), r(3), 2, 2), RiskLevel::Medium);
        assert_eq!(computed_level(r(2), r(5), 0, 0), RiskLevel::High);
        assert_eq!(computed_level(r(4), r(4), 0, 0), RiskLevel::Critical);
        assert_eq!(computed_level(r(5), r(5), 0, 0), RiskLevel::Critical);
        // 3 × 3 = 9 is medium; four vulnerabilities double it (18: critical),
        // four capacities halve it (4.5: low).
        assert_eq!(computed_level(r(3), r(3), 4, 0), RiskLevel::Critical);
        assert_eq!(computed_level(r(3), r(3), 0, 4), RiskLevel::Low);
        // Exactly on a boundary: 2 × 2 × (4 + 1) / 4 = 5 is medium.
        assert_eq!(computed_level(r(2), r(2), 1, 0), RiskLevel::Medium);
        // More vulnerabilities never lower the level, more capacities never raise it.
        for l in 1..=5 {
            for i in 1..=5 {
                for n in 0..8 {
                    assert!(computed_level(r(l), r(i), n + 1, 2) >= computed_level(r(l), r(i), n, 2));
                    assert!(computed_level(r(l), r(i), 2, n + 1) <= computed_level(r(l), r(i), 2, n));
                }
            }
        }
    }

    #[test]
    fn an_override_needs_a_reason() {
        let fields = RiskAssessmentFields {
            likelihood: "2".into(),
            impact: "2".into(),
            vulnerabilities: "lives alone\n\n  known address  \n".into(),
            capacities: "network of lawyers".into(),
            override_level: "high".into(),
            override_reason: " ".into(),
        };
        assert_eq!(fields.parse().unwrap_err(), vec![ValidationError::new("override_reason", "required")]);
        let with_reason = RiskAssessmentFields { override_reason: "summoned twice this week".into(), ..fields.clone() };
        let input = with_reason.parse().unwrap();
        assert_eq!(input.vulnerabilities, vec!["lives alone", "known address"]);
        assert_eq!(input.computed, RiskLevel::Low);
        assert_eq!(input.level(), RiskLevel::High);
        let same = RiskAssessmentFields { override_level: "low".into(), ..with_reason };
        assert_eq!(same.parse().unwrap().overridden, None);
        let reason_alone = RiskAssessmentFields { override_level: String::new(), ..fields };
        let reason_alone = RiskAssessmentFields { override_reason: "why".into(), ..reason_alone };
        assert_eq!(reason_alone.parse().unwrap_err()[0].field, "override_level");
    }

    #[test]
    fn every_error_is_reported_at_once() {
        let fields = RiskAssessmentFields {
            likelihood: "9".into(),
            impact: String::new(),
            override_level: "extreme".into(),
            ..Default::default()
        };
        let fields_in_error: Vec<_> = fields.parse().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields_in_error, ["likelihood", "impact", "override_level"]);
    }

    #[test]
    fn higher_levels_fall_due_sooner() {
        let days = ReassessmentDays::default();
        let levels = RiskLevel::ALL;
        assert!(levels.windows(2).all(|w| days.for_level(w[0]) > days.for_level(w[1])));
        assert_eq!(days.due_after(1_000, RiskLevel::Critical), 1_000 + 7 * 86_400);
    }
}
