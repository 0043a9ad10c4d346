//! The dialogue log: a meeting, call or event with the office's
//! counterparts, what was said, and the follow-up actions agreed.

use super::{id_list, optional_line, passage};
use crate::monitoring::intervention::day;
use crate::platform::{required_text, ValidationError};
use serde::Deserialize;

crate::choice!(
    /// What kind of exchange it was.
    MeetingKind, "meeting-kind", {
        Meeting = "meeting",
        Call = "call",
        Event = "event",
    }
);

/// The most a meeting's summary holds.
pub const SUMMARY_MAX: usize = 20_000;

/// A meeting as typed on the form; lists are ids separated by commas (a
/// form's repeated fields are joined that way).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MeetingFields {
    pub kind: String,
    pub held_on: String,
    pub title: String,
    pub place: String,
    pub province_code: String,
    /// Theme codes, comma-separated.
    pub topics: String,
    pub summary: String,
    pub organisation_ids: String,
    pub contact_ids: String,
    /// Office staff who took part (user ids).
    pub staff_ids: String,
    pub case_ids: String,
    pub intervention_ids: String,
    pub recommendation_ids: String,
    pub law_ids: String,
}

/// The records a meeting is linked to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingLinks {
    pub organisation_ids: Vec<i64>,
    pub contact_ids: Vec<i64>,
    pub staff_ids: Vec<i64>,
    pub case_ids: Vec<i64>,
    pub intervention_ids: Vec<i64>,
    pub recommendation_ids: Vec<i64>,
    pub law_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingInput {
    pub kind: MeetingKind,
    pub held_on: String,
    pub title: String,
    pub place: String,
    pub province_code: Option<String>,
    pub topics: Vec<String>,
    pub summary: String,
    pub links: MeetingLinks,
}

impl MeetingFields {
    pub fn parse(&self) -> Result<MeetingInput, Vec<ValidationError>> {
        let mut errors = vec![];
        let kind = MeetingKind::parse(self.kind.trim());
        if kind.is_none() {
            errors.push(ValidationError::new("kind", "invalid-choice"));
        }
        let held_on = match day("held_on", &self.held_on) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.push(ValidationError::new("held_on", "required"));
                None
            }
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let title = required_text("title", &self.title, 300).map_err(|e| errors.push(e)).ok();
        let place = optional_line("place", &self.place, 300).map_err(|e| errors.push(e)).unwrap_or_default();
        let province_code = super::province_code(&self.province_code).map_err(|e| errors.push(e)).ok().flatten();
        let mut topics: Vec<String> =
            self.topics.split(',').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
        topics.sort();
        topics.dedup();
        if topics.iter().any(|t| t.chars().count() > 60 || t.chars().any(char::is_control)) {
            errors.push(ValidationError::new("topics", "invalid-characters"));
        }
        let summary = passage("summary", &self.summary, SUMMARY_MAX).map_err(|e| errors.push(e)).unwrap_or_default();
        let mut list =
            |field: &'static str, raw: &str| id_list(field, raw).map_err(|e| errors.push(e)).unwrap_or_default();
        let links = MeetingLinks {
            organisation_ids: list("organisation_ids", &self.organisation_ids),
            contact_ids: list("contact_ids", &self.contact_ids),
            staff_ids: list("staff_ids", &self.staff_ids),
            case_ids: list("case_ids", &self.case_ids),
            intervention_ids: list("intervention_ids", &self.intervention_ids),
            recommendation_ids: list("recommendation_ids", &self.recommendation_ids),
            law_ids: list("law_ids", &self.law_ids),
        };
        if links.organisation_ids.is_empty() && links.contact_ids.is_empty() && errors.is_empty() {
            errors.push(ValidationError::new("organisation_ids", "meeting-needs-counterpart"));
        }
        match (kind, held_on, title) {
            (Some(kind), Some(held_on), Some(title)) if errors.is_empty() => {
                Ok(MeetingInput { kind, held_on, title, place, province_code, topics, summary, links })
            }
            _ => Err(errors),
        }
    }
}

/// A follow-up action agreed at a meeting, as typed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MeetingActionFields {
    pub action: String,
    /// The staff member who owns it (a user id).
    pub owner_id: String,
    pub due_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingActionInput {
    pub action: String,
    pub owner_id: i64,
    pub due_on: String,
}

impl MeetingActionFields {
    pub fn parse(&self) -> Result<MeetingActionInput, Vec<ValidationError>> {
        let mut errors = vec![];
        let action = required_text("action", &self.action, 1_000).map_err(|e| errors.push(e)).ok();
        let owner =
            crate::protection::optional_id("owner_id", &self.owner_id).map_err(|e| errors.push(e)).ok().flatten();
        if owner.is_none() && !errors.iter().any(|e| e.field == "owner_id") {
            errors.push(ValidationError::new("owner_id", "required"));
        }
        let due = match day("due_on", &self.due_on) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.push(ValidationError::new("due_on", "required"));
                None
            }
            Err(e) => {
                errors.push(e);
                None
            }
        };
        match (action, owner, due) {
            (Some(action), Some(owner_id), Some(due_on)) if errors.is_empty() => {
                Ok(MeetingActionInput { action, owner_id, due_on })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> MeetingFields {
        MeetingFields {
            kind: "meeting".into(),
            held_on: "2026-11-20".into(),
            title: "Pre-trial detention in Battambang".into(),
            topics: "detention, fair_trial, detention".into(),
            organisation_ids: "4, 4,7".into(),
            case_ids: "12".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_meeting_has_a_day_a_title_and_a_counterpart() {
        let m = fields().parse().unwrap();
        assert_eq!(m.topics, ["detention", "fair_trial"]);
        assert_eq!(m.links.organisation_ids, [4, 7]);
        assert_eq!(m.links.case_ids, [12]);
        let alone = MeetingFields { organisation_ids: "".into(), ..fields() };
        assert_eq!(alone.parse().unwrap_err()[0].code, "meeting-needs-counterpart");
        let bad =
            MeetingFields { held_on: "2026-13-01".into(), case_ids: "x".into(), kind: "dinner".into(), ..fields() };
        let fields: Vec<_> = bad.parse().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["kind", "held_on", "case_ids"]);
    }

    #[test]
    fn a_follow_up_has_an_owner_and_a_due_day() {
        let f = MeetingActionFields {
            action: "Send the court's letter".into(),
            owner_id: "2".into(),
            due_on: "2026-12-01".into(),
        };
        assert_eq!(f.parse().unwrap().owner_id, 2);
        let bad = MeetingActionFields { action: "".into(), owner_id: "".into(), due_on: "".into() };
        let fields: Vec<_> = bad.parse().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["action", "owner_id", "due_on"]);
    }
}
