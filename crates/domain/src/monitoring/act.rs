//! Acts: what was done, to whom, by whom, and the rights at stake.

use super::*;

/// Act types seeded in English and Khmer (labels in the Fluent files as
/// `act-type-<code>`). The HURIDOCS micro-thesauri can be imported as an
/// extra vocabulary.
pub const ACT_TYPES: &[&str] = &[
    "arbitrary_arrest_detention",
    "killing",
    "torture_ill_treatment",
    "threat_intimidation",
    "forced_eviction",
    "restriction_assembly",
    "restriction_expression",
    "restriction_association",
    "destruction_property",
    "denial_fair_trial",
    "enforced_disappearance",
    "sexual_violence",
    "discrimination",
    "surveillance",
    "other",
];

/// How an alleged perpetrator was involved in an act.
pub const INVOLVEMENT: &[&str] = &["direct", "ordered", "complicit", "failed_to_prevent"];

/// A treaty article an act is said to violate, written `ICCPR 9` or `ICCPR:9`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ArticleRef {
    pub instrument_code: String,
    pub number: i64,
}

impl ArticleRef {
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let (code, num) = raw.rsplit_once([' ', ':']).map(|(c, n)| (c.trim(), n.trim()))?;
        let number: i64 = num.trim_start_matches("art.").trim().parse().ok()?;
        let code = code.trim().to_uppercase();
        let ok = !code.is_empty() && code.len() <= 20 && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        (ok && (0..=200).contains(&number)).then_some(ArticleRef { instrument_code: code, number })
    }
    pub fn label(&self) -> String {
        format!("{} {}", self.instrument_code, self.number)
    }
}

/// Raw form or API fields of an act.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ActFields {
    #[serde(default)]
    pub act_type: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub date_approximate: Option<String>,
    #[serde(default)]
    pub location_text: String,
    #[serde(default)]
    pub description: String,
    /// Articles, separated by commas: `ICCPR 9, CAT 1`.
    #[serde(default)]
    pub rights: String,
    #[serde(default)]
    pub involvement: String,
    /// A HURIDOCS type of act (once imported), as `vocabulary/term`:
    /// `huridocs-types_of_acts/01010101000004` (optional).
    #[serde(default)]
    pub extra_term: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActInput {
    pub act_type: String,
    pub date: Option<FuzzyDate>,
    pub location_text: String,
    pub description: String,
    pub rights: Vec<ArticleRef>,
    pub involvement: String,
    /// `(vocabulary, term)` pairs; whether they exist is checked by the store.
    pub extra_terms: Vec<(String, String)>,
}

impl ActFields {
    /// Checks the fields; whether the articles exist and the people belong to
    /// the case is checked against the database by the caller.
    pub fn parse(&self) -> Result<ActInput, Vec<ValidationError>> {
        let mut errors = vec![];
        let act_type = self.act_type.trim().to_string();
        if !ACT_TYPES.contains(&act_type.as_str()) {
            errors.push(ValidationError::new("act_type", "invalid-choice"));
        }
        let date = FuzzyDate::parse("date", &self.date, checked(&self.date_approximate))
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        if self.location_text.chars().count() > 300 {
            errors.push(ValidationError::too_long("location_text", 300));
        }
        if self.description.chars().count() > 20_000 {
            errors.push(ValidationError::too_long("description", 20_000));
        }
        let mut rights = vec![];
        for part in self.rights.split([',', ';', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
            match ArticleRef::parse(part) {
                Some(r) if !rights.contains(&r) => rights.push(r),
                Some(_) => {}
                None => {
                    errors.push(ValidationError::new("rights", "invalid-article"));
                    break;
                }
            }
        }
        let involvement =
            if self.involvement.trim().is_empty() { "direct".to_string() } else { self.involvement.trim().to_string() };
        if !INVOLVEMENT.contains(&involvement.as_str()) {
            errors.push(ValidationError::new("involvement", "invalid-choice"));
        }
        let mut extra_terms = vec![];
        let extra = self.extra_term.trim();
        if !extra.is_empty() {
            match extra.split_once('/') {
                // Acts take a term of the HURIDOCS types of acts only.
                Some((v, t)) if v == crate::vocabulary::HURIDOCS_ACTS && !t.is_empty() && extra.len() <= 200 => {
                    extra_terms.push((v.to_string(), t.to_string()))
                }
                _ => errors.push(ValidationError::new("extra_term", "invalid-choice")),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ActInput {
            extra_terms,
            act_type,
            date,
            location_text: self.location_text.trim().to_string(),
            description: self.description.trim().to_string(),
            rights,
            involvement,
        })
    }
}

#[cfg(test)]
mod act_tests {
    use super::*;

    #[test]
    fn extra_term_only_from_the_huridocs_types_of_acts() {
        let with = |extra: &str| {
            ActFields { act_type: "killing".into(), extra_term: extra.into(), ..Default::default() }.parse()
        };
        assert_eq!(
            with("huridocs-types_of_acts/0101").unwrap().extra_terms,
            vec![("huridocs-types_of_acts".to_string(), "0101".to_string())]
        );
        for bad in ["huridocs-types_of_perpetrators/0101", "huridocs-types_of_acts/", "0101"] {
            assert_eq!(with(bad).unwrap_err()[0].field, "extra_term", "{bad}");
        }
    }

    #[test]
    fn article_refs() {
        assert_eq!(ArticleRef::parse("ICCPR 9"), Some(ArticleRef { instrument_code: "ICCPR".into(), number: 9 }));
        assert_eq!(ArticleRef::parse("op-cat:4").unwrap().label(), "OP-CAT 4");
        for bad in ["ICCPR", "9", "ICCPR x", "IC;CPR 9", "ICCPR 999"] {
            assert!(ArticleRef::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn act_fields() {
        let errs = ActFields {
            act_type: "party".into(),
            date: "2026-02-30".into(),
            rights: "ICCPR 9, nonsense".into(),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["act_type", "date", "rights"]);
        let ok = ActFields {
            act_type: "forced_eviction".into(),
            rights: "ICESCR 11; ICCPR 17, ICESCR 11".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(ok.rights.len(), 2);
        assert_eq!(ok.involvement, "direct");
    }
}
