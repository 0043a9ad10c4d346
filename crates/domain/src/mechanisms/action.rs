//! The State's implementation actions and their indicators.

use super::*;

/// Where an implementation action stands.
pub const ACTION_STATUSES: [&str; 4] = ["planned", "ongoing", "completed", "cancelled"];

/// An implementation action as typed in the form or the API.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ActionFields {
    pub title: String,
    pub description: String,
    /// The responsible institution (organisation id), or empty.
    pub organisation_id: String,
    /// `YYYY-MM-DD`, or empty.
    pub due_on: String,
    /// planned, ongoing, completed or cancelled (planned when empty).
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionInput {
    pub title: String,
    pub description: String,
    pub organisation_id: Option<i64>,
    pub due_on: Option<String>,
    pub status: String,
}

impl ActionFields {
    pub fn parse(&self) -> Result<ActionInput, Vec<ValidationError>> {
        let mut errors = vec![];
        let title = self.title.trim().to_string();
        if title.is_empty() {
            errors.push(ValidationError::new("title", "required"));
        } else if title.chars().count() > 300 {
            errors.push(ValidationError::too_long("title", 300));
        }
        let description = self.description.trim().to_string();
        if description.chars().count() > 5000 {
            errors.push(ValidationError::too_long("description", 5000));
        }
        let organisation_id = match self.organisation_id.trim() {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.push(ValidationError::new("organisation_id", "invalid-choice"));
                    None
                }
            },
        };
        let due_on = match crate::monitoring::intervention::day("due_on", &self.due_on) {
            Ok(d) => d,
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let status = if self.status.trim().is_empty() { "planned".to_string() } else { self.status.trim().to_string() };
        if !ACTION_STATUSES.contains(&status.as_str()) {
            errors.push(ValidationError::new("status", "invalid-choice"));
        }
        if errors.is_empty() {
            Ok(ActionInput { title, description, organisation_id, due_on, status })
        } else {
            Err(errors)
        }
    }
}

/// An indicator of an action: what is measured, from where, to where, and now.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct IndicatorFields {
    pub name: String,
    pub baseline: String,
    pub target: String,
    pub current: String,
}

impl IndicatorFields {
    pub fn parse(&self) -> Result<IndicatorFields, Vec<ValidationError>> {
        let mut errors = vec![];
        let name = self.name.trim().to_string();
        if name.is_empty() {
            errors.push(ValidationError::new("name", "required"));
        }
        let mut out = IndicatorFields { name, ..Default::default() };
        for (field, value, into) in [
            ("name", &self.name, None),
            ("baseline", &self.baseline, Some(&mut out.baseline)),
            ("target", &self.target, Some(&mut out.target)),
            ("current", &self.current, Some(&mut out.current)),
        ] {
            if value.trim().chars().count() > 300 {
                errors.push(ValidationError::too_long(field, 300));
            }
            if let Some(into) = into {
                *into = value.trim().to_string();
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }
}
