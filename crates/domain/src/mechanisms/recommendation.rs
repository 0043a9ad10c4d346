//! Mechanisms, recommendations, the State's response and their details.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MechanismKind {
    Upr,
    TreatyBody,
    SpecialProcedure,
}

impl MechanismKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MechanismKind::Upr => "upr",
            MechanismKind::TreatyBody => "treaty_body",
            MechanismKind::SpecialProcedure => "special_procedure",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [MechanismKind::Upr, MechanismKind::TreatyBody, MechanismKind::SpecialProcedure]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// The State's answer to a recommendation, normalized across mechanisms
/// (UPR Info's "Accepted" is `supported`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Response {
    Supported,
    Noted,
    Other,
}

impl Response {
    pub const ALL: [Response; 3] = [Response::Supported, Response::Noted, Response::Other];
    pub fn as_str(self) -> &'static str {
        match self {
            Response::Supported => "supported",
            Response::Noted => "noted",
            Response::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Response::ALL.into_iter().find(|r| r.as_str() == s)
    }
    /// The words States and databases use for a response.
    pub fn normalize(raw: &str) -> Option<Self> {
        match raw.trim().to_lowercase().as_str() {
            "accepted" | "supported" | "accept" | "support" => Some(Response::Supported),
            "noted" | "rejected" | "not accepted" | "not supported" => Some(Response::Noted),
            "" => None,
            _ => Some(Response::Other),
        }
    }
}

/// Where the implementation of a recommendation stands, as assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImplementationStatus {
    NotStarted,
    InProgress,
    PartiallyImplemented,
    Implemented,
    Regressed,
    NoInformation,
}

impl ImplementationStatus {
    pub const ALL: [ImplementationStatus; 6] = [
        ImplementationStatus::NotStarted,
        ImplementationStatus::InProgress,
        ImplementationStatus::PartiallyImplemented,
        ImplementationStatus::Implemented,
        ImplementationStatus::Regressed,
        ImplementationStatus::NoInformation,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ImplementationStatus::NotStarted => "not_started",
            ImplementationStatus::InProgress => "in_progress",
            ImplementationStatus::PartiallyImplemented => "partially_implemented",
            ImplementationStatus::Implemented => "implemented",
            ImplementationStatus::Regressed => "regressed",
            ImplementationStatus::NoInformation => "no_information",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        ImplementationStatus::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A recommendation as imported or entered, before it has an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecommendationInput {
    /// What makes re-importing the same recommendation update it instead of
    /// adding it again: `upr-info:7443` for a row of the UPR Info database.
    pub source_key: String,
    pub mechanism_code: String,
    pub state_under_review: String,
    /// UPR Working Group session number, or a treaty-body session.
    pub session: String,
    pub cycle: Option<i64>,
    pub document_symbol: String,
    pub paragraph: String,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub issued_on: Option<String>,
    pub recommending_state: String,
    pub text: String,
    pub response: Option<Response>,
    /// The response as the source wrote it.
    pub response_raw: String,
    /// UPR Info's action category, 1 (minimal action) to 5 (specific action).
    pub action_category: Option<i64>,
    pub themes: Vec<String>,
}

/// Groups a recommendation can concern (after the "affected persons" of
/// OHCHR's Universal Human Rights Index).
pub const AFFECTED_GROUPS: [&str; 16] = [
    "women_and_girls",
    "children",
    "youth",
    "older_persons",
    "persons_with_disabilities",
    "indigenous_peoples",
    "minorities",
    "migrants",
    "refugees_and_asylum_seekers",
    "lgbti_persons",
    "human_rights_defenders",
    "journalists_and_media",
    "persons_deprived_of_liberty",
    "persons_living_in_poverty",
    "rural_and_land_communities",
    "workers",
];

/// What the office adds to a recommendation: its themes, SDG targets,
/// affected groups, cluster and responsible institutions.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RecommendationDetailsFields {
    /// Comma-separated.
    pub themes: String,
    /// Comma-separated target codes: `16.10, 5.2`.
    pub sdg_targets: String,
    pub affected_groups: Vec<String>,
    /// A cluster's name; a new name makes a new cluster, empty for none.
    pub cluster: String,
    /// Organisation ids.
    pub institutions: Vec<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecommendationDetails {
    pub themes: Vec<String>,
    /// `(target code, goal)`.
    pub sdg_targets: Vec<(String, i64)>,
    pub affected_groups: Vec<String>,
    pub cluster: Option<String>,
    pub institutions: Vec<i64>,
}

impl RecommendationDetailsFields {
    /// Checks the fields; whether the SDG targets and institutions exist is
    /// the store's check.
    pub fn parse(&self) -> Result<RecommendationDetails, Vec<ValidationError>> {
        let mut errors = vec![];
        let mut themes: Vec<String> =
            self.themes.split(',').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
        themes.sort();
        themes.dedup();
        if themes.len() > 30 || themes.iter().any(|t| t.chars().count() > 100) {
            errors.push(ValidationError::too_long("themes", 100));
        }
        let mut sdg_targets = vec![];
        for raw in self.sdg_targets.split([',', ' ', ';']).map(str::trim).filter(|t| !t.is_empty()) {
            let goal = raw.split_once('.').and_then(|(g, t)| {
                let ok = !t.is_empty() && t.len() <= 2 && t.chars().all(|c| c.is_ascii_alphanumeric());
                g.parse::<i64>().ok().filter(|g| ok && (1..=17).contains(g))
            });
            match goal {
                Some(goal) => sdg_targets.push((raw.to_lowercase(), goal)),
                None => {
                    errors.push(ValidationError::new("sdg_targets", "invalid-choice"));
                    break;
                }
            }
        }
        sdg_targets.sort();
        sdg_targets.dedup();
        let mut affected_groups = vec![];
        for g in &self.affected_groups {
            if !AFFECTED_GROUPS.contains(&g.as_str()) {
                errors.push(ValidationError::new("affected_groups", "invalid-choice"));
                break;
            }
            affected_groups.push(g.clone());
        }
        affected_groups.sort();
        affected_groups.dedup();
        let cluster = self.cluster.trim();
        if cluster.chars().count() > 100 {
            errors.push(ValidationError::too_long("cluster", 100));
        }
        let mut institutions = self.institutions.clone();
        institutions.sort_unstable();
        institutions.dedup();
        if errors.is_empty() {
            Ok(RecommendationDetails {
                themes,
                sdg_targets,
                affected_groups,
                cluster: (!cluster.is_empty()).then(|| cluster.to_string()),
                institutions,
            })
        } else {
            Err(errors)
        }
    }
}

/// A mechanism the office adds, such as a thematic special procedure.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MechanismFields {
    /// Short code in capitals: `SR-HRD`, `WGAD`.
    pub code: String,
    /// upr, treaty_body or special_procedure.
    pub kind: String,
    pub name_en: String,
    pub name_km: String,
}

impl MechanismFields {
    pub fn parse(&self) -> Result<MechanismFields, Vec<ValidationError>> {
        let mut errors = vec![];
        let code = self.code.trim().to_uppercase();
        if code.is_empty() {
            errors.push(ValidationError::new("code", "required"));
        } else if code.len() > 40 || !code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-') {
            errors.push(ValidationError::new("code", "invalid-code"));
        }
        if MechanismKind::parse(self.kind.trim()).is_none() {
            errors.push(ValidationError::new("kind", "invalid-choice"));
        }
        for (field, v) in [("name_en", &self.name_en), ("name_km", &self.name_km)] {
            if v.trim().is_empty() {
                errors.push(ValidationError::new(field, "required"));
            } else if v.chars().count() > 300 {
                errors.push(ValidationError::too_long(field, 300));
            }
        }
        if errors.is_empty() {
            Ok(MechanismFields {
                code,
                kind: self.kind.trim().to_string(),
                name_en: self.name_en.trim().to_string(),
                name_km: self.name_km.trim().to_string(),
            })
        } else {
            Err(errors)
        }
    }
}
