//! Sources of information and the consent given for their use.

use super::*;

pub const METHODS: &[&str] = &["interview", "document", "media", "observation", "other"];
/// How far the source can be trusted (rated apart from the information).
pub const RELIABILITY: &[&str] = &["reliable", "usually_reliable", "not_reliable", "unknown"];
/// How far this piece of information is borne out.
pub const VALIDITY: &[&str] = &["confirmed", "probably_true", "possibly_true", "doubtful", "unknown"];
/// What the source agreed to, from the narrowest.
pub const CONSENT: &[&str] = &["internal_only", "raise_with_authorities", "publish_anonymously"];

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
    pub method: String,
    pub reliability: String,
    pub validity: String,
    pub consent: String,
    pub information: String,
}

fn pick(field: &'static str, raw: &str, allowed: &[&str], errors: &mut Vec<ValidationError>) -> String {
    let v = raw.trim();
    if allowed.contains(&v) {
        v.to_string()
    } else {
        errors.push(ValidationError::new(field, "invalid-choice"));
        String::new()
    }
}

impl SourceFields {
    pub fn parse(&self) -> Result<SourceInput, Vec<ValidationError>> {
        let mut errors = vec![];
        let method = pick("method", &self.method, METHODS, &mut errors);
        let reliability = pick("reliability", &self.reliability, RELIABILITY, &mut errors);
        let validity = pick("validity", &self.validity, VALIDITY, &mut errors);
        let consent = pick("consent", &self.consent, CONSENT, &mut errors);
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
            errors.push(ValidationError::new("information", "too-long"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
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
pub fn usable_with_authorities(consent: &str, withdrawn: bool) -> bool {
    !withdrawn && matches!(consent, "raise_with_authorities" | "publish_anonymously")
}

/// Whether it may appear, anonymised, in a public report.
pub fn publishable(consent: &str, withdrawn: bool) -> bool {
    !withdrawn && consent == "publish_anonymously"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consent_scopes() {
        assert!(!usable_with_authorities("internal_only", false));
        assert!(usable_with_authorities("raise_with_authorities", false));
        assert!(!usable_with_authorities("publish_anonymously", true), "withdrawn consent excludes it");
        assert!(publishable("publish_anonymously", false) && !publishable("raise_with_authorities", false));
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
