//! Sources of information and the consent given for their use.

use super::*;

crate::choice!(
    /// How the information reached the office.
    SourceMethod, "source-method", {
        Interview = "interview",
        Document = "document",
        Media = "media",
        Observation = "observation",
        Other = "other",
    }
);

crate::choice!(
    /// How far the source can be trusted (rated apart from the information).
    Reliability, "source-reliability", {
        Reliable = "reliable",
        UsuallyReliable = "usually_reliable",
        NotReliable = "not_reliable",
        Unknown = "unknown",
    }
);

crate::choice!(
    /// How far this piece of information is borne out.
    Validity, "source-validity", {
        Confirmed = "confirmed",
        ProbablyTrue = "probably_true",
        PossiblyTrue = "possibly_true",
        Doubtful = "doubtful",
        Unknown = "unknown",
    }
);

crate::choice!(
    /// What the source agreed to, from the narrowest.
    Consent, "consent", {
        InternalOnly = "internal_only",
        RaiseWithAuthorities = "raise_with_authorities",
        PublishAnonymously = "publish_anonymously",
    }
);

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct SourceFields {
    /// Code of a person of the case with the role source (S1), if any.
    #[serde(default)]
    pub person_code: String,
    #[serde(default)]
    pub received: String,
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub reliability: String,
    #[serde(default)]
    pub validity: String,
    #[serde(default)]
    pub consent: String,
    /// What the source said or showed, people referred to by code.
    #[serde(default)]
    pub information: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInput {
    pub person_code: Option<String>,
    pub received: Option<String>,
    pub method: SourceMethod,
    pub reliability: Reliability,
    pub validity: Validity,
    pub consent: Consent,
    pub information: String,
}

fn pick<T>(
    field: &'static str,
    raw: &str,
    parse: fn(&str) -> Option<T>,
    errors: &mut Vec<ValidationError>,
) -> Option<T> {
    let v = parse(raw.trim());
    if v.is_none() {
        errors.push(ValidationError::new(field, "invalid-choice"));
    }
    v
}

impl SourceFields {
    pub fn parse(&self) -> Result<SourceInput, Vec<ValidationError>> {
        let mut errors = vec![];
        let method = pick("method", &self.method, SourceMethod::parse, &mut errors);
        let reliability = pick("reliability", &self.reliability, Reliability::parse, &mut errors);
        let validity = pick("validity", &self.validity, Validity::parse, &mut errors);
        let consent = pick("consent", &self.consent, Consent::parse, &mut errors);
        let received = intervention::day("received", &self.received).map_err(|e| errors.push(e)).ok().flatten();
        let code = self.person_code.trim().to_uppercase();
        let person_code = if code.is_empty() {
            None
        } else if code.starts_with('S') && code[1..].parse::<u32>().is_ok() {
            Some(code)
        } else {
            errors.push(ValidationError::new("person_code", "invalid-choice"));
            None
        };
        if self.information.trim().is_empty() {
            errors.push(ValidationError::new("information", "required"));
        } else if self.information.chars().count() > 20_000 {
            errors.push(ValidationError::too_long("information", 20_000));
        }
        let (Some(method), Some(reliability), Some(validity), Some(consent), true) =
            (method, reliability, validity, consent, errors.is_empty())
        else {
            return Err(errors);
        };
        Ok(SourceInput {
            person_code,
            received,
            method,
            reliability,
            validity,
            consent,
            information: self.information.trim().to_string(),
        })
    }
}

/// Whether information under this consent may go into a letter to the authorities.
pub fn usable_with_authorities(consent: Consent, withdrawn: bool) -> bool {
    !withdrawn && matches!(consent, Consent::RaiseWithAuthorities | Consent::PublishAnonymously)
}

/// Whether it may appear, anonymised, in a public report.
pub fn publishable(consent: Consent, withdrawn: bool) -> bool {
    !withdrawn && consent == Consent::PublishAnonymously
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consent_scopes() {
        assert!(!usable_with_authorities(Consent::InternalOnly, false));
        assert!(usable_with_authorities(Consent::RaiseWithAuthorities, false));
        assert!(!usable_with_authorities(Consent::PublishAnonymously, true), "withdrawn consent excludes it");
        assert!(publishable(Consent::PublishAnonymously, false) && !publishable(Consent::RaiseWithAuthorities, false));
    }

    #[test]
    fn source_fields() {
        let errs = SourceFields { person_code: "V1".into(), method: "dream".into(), ..Default::default() }
            .parse()
            .unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["method", "reliability", "validity", "consent", "person_code", "information"]);
    }
}
