//! The reporting calendar: reports due, reviews, visits.

use super::*;

/// What a date in the reporting calendar is.
pub const REPORTING_KINDS: [&str; 11] = [
    "state_report_due",
    "report_submitted",
    "list_of_issues",
    "dialogue",
    "concluding_observations",
    "follow_up_due",
    "upr_review",
    "mid_term_report",
    "visit",
    "communication",
    "other",
];

/// open: to come or overdue; done: happened; lapsed: passed unrecorded.
pub const EVENT_STATUSES: [&str; 3] = ["open", "done", "lapsed"];

/// A date of the reporting calendar as typed in the form or the API.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReportingEventFields {
    /// `UPR`, `CCPR`, `CRC`, ...
    pub mechanism_code: String,
    /// One of the reporting kinds (`state_report_due`, `dialogue`, ...).
    pub kind: String,
    /// The reporting cycle it belongs to, e.g. `CCPR, fourth periodic report`.
    pub cycle: String,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub due_on: String,
    pub notes: String,
    /// The title, cycle and notes in Khmer (optional: Khmer readers see the
    /// English where these are empty).
    pub title_km: String,
    pub cycle_km: String,
    pub notes_km: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportingEventInput {
    pub mechanism_code: String,
    pub kind: String,
    pub cycle: String,
    pub title: String,
    pub due_on: String,
    pub notes: String,
    pub title_km: String,
    pub cycle_km: String,
    pub notes_km: String,
}

impl ReportingEventFields {
    /// Checks the fields; whether the mechanism exists is the store's check.
    pub fn parse(&self) -> Result<ReportingEventInput, Vec<ValidationError>> {
        let mut errors = vec![];
        let mechanism_code = self.mechanism_code.trim().to_uppercase();
        if mechanism_code.is_empty() {
            errors.push(ValidationError::new("mechanism_code", "required"));
        } else if mechanism_code.len() > 40 {
            errors.push(ValidationError::new("mechanism_code", "invalid-choice"));
        }
        let kind = self.kind.trim().to_string();
        if !REPORTING_KINDS.contains(&kind.as_str()) {
            errors.push(ValidationError::new("kind", "invalid-choice"));
        }
        let mut text = |field: &'static str, value: &str, max: usize, required: bool| {
            let v = value.trim().to_string();
            if required && v.is_empty() {
                errors.push(ValidationError::new(field, "required"));
            } else if v.chars().count() > max {
                errors.push(ValidationError::too_long(field, max));
            }
            v
        };
        let cycle = text("cycle", &self.cycle, 200, false);
        let title = text("title", &self.title, 300, true);
        let notes = text("notes", &self.notes, 5000, false);
        let title_km = text("title_km", &self.title_km, 300, false);
        let cycle_km = text("cycle_km", &self.cycle_km, 200, false);
        let notes_km = text("notes_km", &self.notes_km, 5000, false);
        let due_on = match crate::monitoring::intervention::day("due_on", &self.due_on) {
            Ok(Some(d)) => d,
            Ok(None) => {
                errors.push(ValidationError::new("due_on", "required"));
                String::new()
            }
            Err(e) => {
                errors.push(e);
                String::new()
            }
        };
        if errors.is_empty() {
            Ok(ReportingEventInput { mechanism_code, kind, cycle, title, due_on, notes, title_km, cycle_km, notes_km })
        } else {
            Err(errors)
        }
    }
}
