//! Assessments of how far a recommendation is implemented.

use super::*;

/// An assessment of where a recommendation's implementation stands.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AssessmentFields {
    pub status: String,
    pub assessed_on: String,
    pub evidence: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentInput {
    pub status: ImplementationStatus,
    pub assessed_on: String,
    pub evidence: String,
    pub source: String,
}

impl AssessmentFields {
    pub fn parse(&self) -> Result<AssessmentInput, Vec<ValidationError>> {
        let mut errors = vec![];
        let status = ImplementationStatus::parse(self.status.trim());
        if status.is_none() {
            errors.push(ValidationError::new("status", "invalid-choice"));
        }
        let assessed_on = match crate::monitoring::intervention::day("assessed_on", &self.assessed_on) {
            Ok(Some(d)) => d,
            Ok(None) => {
                errors.push(ValidationError::new("assessed_on", "required"));
                String::new()
            }
            Err(e) => {
                errors.push(e);
                String::new()
            }
        };
        let evidence = self.evidence.trim().to_string();
        if evidence.chars().count() > 5000 {
            errors.push(ValidationError::too_long("evidence", 5000));
        }
        let source = self.source.trim().to_string();
        if source.chars().count() > 500 {
            errors.push(ValidationError::too_long("source", 500));
        }
        match status {
            Some(status) if errors.is_empty() => Ok(AssessmentInput { status, assessed_on, evidence, source }),
            _ => Err(errors),
        }
    }
}
