//! Interventions with the authorities and their follow-up.

use super::*;

crate::choice!(
    /// How the office raised the matter.
    InterventionKind, "intervention-kind", {
        Letter = "letter",
        Meeting = "meeting",
        Call = "call",
        UrgentAppeal = "urgent_appeal",
        TrialObservation = "trial_observation",
    }
);

crate::choice!(
    /// Where an intervention stands.
    InterventionStatus, "intervention-status", {
        Planned = "planned",
        Sent = "sent",
        AwaitingResponse = "awaiting_response",
        Responded = "responded",
        Resolved = "resolved",
        NoResponse = "no_response",
    }
);

impl InterventionStatus {
    /// Whether it still needs following up.
    pub const fn is_open(self) -> bool {
        matches!(self, Self::Planned | Self::Sent | Self::AwaitingResponse | Self::NoResponse)
    }
}

/// Raw form or API fields of an intervention.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct InterventionFields {
    #[serde(default)]
    pub organisation_id: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub request: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub response_date: String,
    #[serde(default)]
    pub response: String,
    #[serde(default)]
    pub next_follow_up: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterventionInput {
    pub organisation_id: i64,
    pub kind: InterventionKind,
    pub date: Option<String>,
    pub request: String,
    pub status: InterventionStatus,
    pub response_date: Option<String>,
    pub response: String,
    pub next_follow_up: Option<String>,
}

/// A calendar day `YYYY-MM-DD`, or nothing.
pub fn day(field: &'static str, raw: &str) -> Result<Option<String>, ValidationError> {
    match FuzzyDate::parse(field, raw, false)? {
        None => Ok(None),
        Some(d) if d.precision == DatePrecision::Day => Ok(Some(d.value)),
        Some(_) => Err(ValidationError::new(field, "invalid-day")),
    }
}

impl InterventionFields {
    pub fn parse(&self) -> Result<InterventionInput, Vec<ValidationError>> {
        let mut errors = vec![];
        let organisation_id = self.organisation_id.trim().parse::<i64>().ok();
        if organisation_id.is_none() {
            errors.push(ValidationError::new("organisation_id", "required"));
        }
        let kind = InterventionKind::parse(self.kind.trim());
        if kind.is_none() {
            errors.push(ValidationError::new("kind", "invalid-choice"));
        }
        let status = match self.status.trim() {
            "" => Some(InterventionStatus::Planned),
            code => InterventionStatus::parse(code),
        };
        if status.is_none() {
            errors.push(ValidationError::new("status", "invalid-choice"));
        }
        let date = day("date", &self.date).map_err(|e| errors.push(e)).ok().flatten();
        let response_date = day("response_date", &self.response_date).map_err(|e| errors.push(e)).ok().flatten();
        let next_follow_up = day("next_follow_up", &self.next_follow_up).map_err(|e| errors.push(e)).ok().flatten();
        for (field, text) in [("request", &self.request), ("response", &self.response)] {
            if text.chars().count() > 20_000 {
                errors.push(ValidationError::too_long(field, 20_000));
            }
        }
        if self.request.trim().is_empty() {
            errors.push(ValidationError::new("request", "required"));
        }
        if status == Some(InterventionStatus::Responded) && self.response.trim().is_empty() {
            errors.push(ValidationError::new("response", "required"));
        }
        if let (Some(sent), Some(resp)) = (&date, &response_date) {
            if resp < sent {
                errors.push(ValidationError::new("response_date", "end-before-start"));
            }
        }
        let (Some(organisation_id), Some(kind), Some(status), true) =
            (organisation_id, kind, status, errors.is_empty())
        else {
            return Err(errors);
        };
        Ok(InterventionInput {
            organisation_id,
            kind,
            date,
            request: self.request.trim().to_string(),
            status,
            response_date,
            response: self.response.trim().to_string(),
            next_follow_up,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervention_fields() {
        let errs = InterventionFields {
            kind: "fax".into(),
            date: "2026-05".into(),
            status: "responded".into(),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["organisation_id", "kind", "date", "request", "response"]);
        let ok = InterventionFields {
            organisation_id: "3".into(),
            kind: "letter".into(),
            date: "2026-05-02".into(),
            request: "Release V1".into(),
            next_follow_up: "2026-05-16".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!((ok.status.as_str(), ok.next_follow_up.as_deref()), ("planned", Some("2026-05-16")));
    }
}
