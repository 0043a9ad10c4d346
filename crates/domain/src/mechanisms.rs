//! UN human rights mechanisms: the Universal Periodic Review, the treaty
//! bodies and the special procedures; the recommendations they make to a
//! State, the State's response, and how far each is implemented.

use crate::platform::ValidationError;
use crate::vocabulary::RowError;
use serde::{Deserialize, Serialize};

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

/// The UPR cycle of a Working Group session: 12 sessions in the first
/// cycle (2008-2011), 14 in each later one.
pub fn upr_cycle(session: i64) -> Option<i64> {
    match session {
        1..=12 => Some(1),
        13.. => Some(2 + (session - 13) / 14),
        _ => None,
    }
}

/// The month each UPR Working Group session of the first two cycles opened
/// (sessions 1 to 26), for the recommendation's date.
const UPR_SESSION_MONTHS: [&str; 26] = [
    "2008-04", "2008-05", "2008-12", "2009-02", "2009-05", "2009-11", "2010-02", "2010-05", "2010-11", "2011-01",
    "2011-05", "2011-10", "2012-05", "2012-10", "2013-01", "2013-04", "2013-10", "2014-01", "2014-04", "2014-10",
    "2015-01", "2015-05", "2015-11", "2016-01", "2016-05", "2016-11",
];

pub fn upr_session_month(session: i64) -> Option<&'static str> {
    usize::try_from(session).ok().and_then(|s| s.checked_sub(1)).and_then(|i| UPR_SESSION_MONTHS.get(i).copied())
}

/// The columns of the UPR Info database export (`upr_info_recommendations_*.csv`).
pub const UPR_INFO_COLUMNS: [&str; 8] = [
    "id",
    "session",
    "state_under_review",
    "recommendation",
    "recommending_state",
    "response",
    "action_category",
    "issues",
];

/// The longest recommendation text taken (the longest in the UPR Info
/// corpus is under a thousand characters).
const MAX_TEXT: usize = 10_000;

/// The good rows of a file (with their line) and the rejected ones.
pub type UprRows = (Vec<(usize, RecommendationInput)>, Vec<RowError>);

/// Reads rows of the UPR Info layout. Good rows come back with their line;
/// each bad row is rejected with its line, column and reason, and does not
/// stop the others. A missing column rejects the whole file (line 1).
pub fn parse_upr_info(headers: &[String], rows: &[(usize, Vec<String>)]) -> Result<UprRows, Vec<RowError>> {
    let mut index = [0usize; 8];
    let mut missing = vec![];
    for (i, name) in UPR_INFO_COLUMNS.iter().enumerate() {
        match headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name)) {
            Some(p) => index[i] = p,
            None => missing.push(RowError { line: 1, column: name.to_string(), code: "missing-column" }),
        }
    }
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut good = Vec::with_capacity(rows.len());
    let mut rejected = vec![];
    let mut seen = std::collections::HashSet::new();
    for (line, row) in rows {
        let cell = |i: usize| row.get(index[i]).map(|s| s.trim()).unwrap_or("");
        let before = rejected.len();
        let mut bad = |i: usize, code: &'static str| {
            rejected.push(RowError { line: *line, column: UPR_INFO_COLUMNS[i].to_string(), code })
        };
        let id = cell(0);
        if id.is_empty() || id.len() > 40 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
            bad(0, "invalid-id");
        } else if !seen.insert(id.to_string()) {
            bad(0, "duplicate");
        }
        let session = cell(1).parse::<i64>().ok().filter(|s| (1..=200).contains(s));
        if session.is_none() {
            bad(1, "not-a-session");
        }
        let state = cell(2);
        if state.is_empty() {
            bad(2, "required");
        } else if state.chars().count() > 100 {
            bad(2, "too-long");
        }
        let text = cell(3);
        if text.is_empty() {
            bad(3, "required");
        } else if text.chars().count() > MAX_TEXT {
            bad(3, "too-long");
        }
        if cell(4).chars().count() > 100 {
            bad(4, "too-long");
        }
        let response = Response::normalize(cell(5));
        let action = match cell(6) {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(n @ 1..=5) => Some(n),
                _ => {
                    bad(6, "invalid-choice");
                    None
                }
            },
        };
        let themes: Vec<String> = cell(7)
            .split(',')
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .map(|t| t.chars().take(100).collect())
            .collect();
        if rejected.len() > before {
            continue;
        }
        let session = session.unwrap_or_default();
        let mut themes_unique = themes.clone();
        themes_unique.sort();
        themes_unique.dedup();
        good.push((
            *line,
            RecommendationInput {
                source_key: format!("upr-info:{id}"),
                mechanism_code: "UPR".into(),
                state_under_review: state.to_string(),
                session: session.to_string(),
                cycle: upr_cycle(session),
                document_symbol: String::new(),
                paragraph: String::new(),
                issued_on: upr_session_month(session).map(str::to_string),
                recommending_state: cell(4).to_string(),
                text: text.to_string(),
                response,
                response_raw: cell(5).chars().take(100).collect(),
                action_category: action,
                themes: themes_unique,
            },
        ));
    }
    Ok((good, rejected))
}

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
            errors.push(ValidationError::new("evidence", "too-long"));
        }
        let source = self.source.trim().to_string();
        if source.chars().count() > 500 {
            errors.push(ValidationError::new("source", "too-long"));
        }
        match status {
            Some(status) if errors.is_empty() => Ok(AssessmentInput { status, assessed_on, evidence, source }),
            _ => Err(errors),
        }
    }
}

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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportingEventInput {
    pub mechanism_code: String,
    pub kind: String,
    pub cycle: String,
    pub title: String,
    pub due_on: String,
    pub notes: String,
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
                errors.push(ValidationError::new(field, "too-long"));
            }
            v
        };
        let cycle = text("cycle", &self.cycle, 200, false);
        let title = text("title", &self.title, 300, true);
        let notes = text("notes", &self.notes, 5000, false);
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
            Ok(ReportingEventInput { mechanism_code, kind, cycle, title, due_on, notes })
        } else {
            Err(errors)
        }
    }
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
            errors.push(ValidationError::new("themes", "too-long"));
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
            errors.push(ValidationError::new("cluster", "too-long"));
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
            errors.push(ValidationError::new("title", "too-long"));
        }
        let description = self.description.trim().to_string();
        if description.chars().count() > 5000 {
            errors.push(ValidationError::new("description", "too-long"));
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
                errors.push(ValidationError::new(field, "too-long"));
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

/// The fields a recommendation file can fill, in the order the mapping form
/// shows them. `text` is the only one that must be mapped.
pub const MAPPABLE_FIELDS: [&str; 11] = [
    "text",
    "mechanism_code",
    "state_under_review",
    "document_symbol",
    "paragraph",
    "session",
    "issued_on",
    "recommending_state",
    "response",
    "themes",
    "source_key",
];

/// Which column of the file fills which field (by header name), and the
/// values taken when a field is not mapped or its cell is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMapping {
    /// field -> header
    pub columns: Vec<(String, String)>,
    pub default_mechanism: String,
    pub default_state: String,
}

impl ColumnMapping {
    fn column(&self, field: &str) -> Option<&str> {
        self.columns.iter().find(|(f, _)| f == field).map(|(_, h)| h.as_str()).filter(|h| !h.is_empty())
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as given.
fn partial_date(raw: &str) -> Option<String> {
    let ok = match raw.len() {
        4 => raw.bytes().all(|b| b.is_ascii_digit()),
        7 => {
            raw[..4].bytes().all(|b| b.is_ascii_digit())
                && &raw[4..5] == "-"
                && raw[5..].parse::<u8>().is_ok_and(|m| (1..=12).contains(&m))
        }
        10 => crate::monitoring::intervention::day("issued_on", raw).is_ok_and(|d| d.is_some()),
        _ => false,
    };
    ok.then(|| raw.to_string())
}

/// Reads recommendations of any mechanism from a table whose columns the
/// user mapped to fields (treaty-body concluding observations, special
/// procedures' reports, ...). Rows without their own key get one made from
/// mechanism, document, paragraph and text, so importing the same file again
/// updates instead of duplicating. Bad rows are rejected with line, column
/// and reason; a mapping naming a column the file lacks rejects the file.
pub fn parse_mapped(
    headers: &[String],
    rows: &[(usize, Vec<String>)],
    mapping: &ColumnMapping,
    known_mechanisms: &[String],
) -> Result<UprRows, Vec<RowError>> {
    let mut index = std::collections::HashMap::new();
    let mut problems = vec![];
    for (field, header) in &mapping.columns {
        if header.is_empty() {
            continue;
        }
        if !MAPPABLE_FIELDS.contains(&field.as_str()) {
            problems.push(RowError { line: 1, column: field.clone(), code: "invalid-choice" });
            continue;
        }
        match headers.iter().position(|h| h.trim() == header.trim()) {
            Some(i) => {
                index.insert(field.as_str(), i);
            }
            None => problems.push(RowError { line: 1, column: header.clone(), code: "missing-column" }),
        }
    }
    if mapping.column("text").is_none() {
        problems.push(RowError { line: 1, column: "text".into(), code: "required" });
    }
    let default_mechanism = mapping.default_mechanism.trim().to_uppercase();
    if mapping.column("mechanism_code").is_none() && !known_mechanisms.contains(&default_mechanism) {
        problems.push(RowError { line: 1, column: "mechanism_code".into(), code: "required" });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut good = vec![];
    let mut rejected = vec![];
    let mut seen = std::collections::HashSet::new();
    for (line, row) in rows {
        let cell = |field: &str| index.get(field).and_then(|i| row.get(*i)).map(|s| s.trim()).unwrap_or("");
        let column_of = |field: &str| mapping.column(field).unwrap_or(field).to_string();
        let before = rejected.len();
        let mut bad =
            |field: &str, code: &'static str| rejected.push(RowError { line: *line, column: column_of(field), code });
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let text = cell("text");
        if text.is_empty() {
            bad("text", "required");
        } else if text.chars().count() > MAX_TEXT {
            bad("text", "too-long");
        }
        let mechanism = match cell("mechanism_code") {
            "" => default_mechanism.clone(),
            m => m.to_uppercase(),
        };
        if !known_mechanisms.contains(&mechanism) {
            bad("mechanism_code", "invalid-choice");
        }
        let state = match cell("state_under_review") {
            "" => mapping.default_state.trim().to_string(),
            s => s.to_string(),
        };
        if state.is_empty() {
            bad("state_under_review", "required");
        }
        let issued_on = match cell("issued_on") {
            "" => None,
            raw => {
                let d = partial_date(raw);
                if d.is_none() {
                    bad("issued_on", "invalid-fuzzy-date");
                }
                d
            }
        };
        for field in ["document_symbol", "paragraph", "session", "recommending_state", "source_key"] {
            if cell(field).chars().count() > 200 {
                bad(field, "too-long");
            }
        }
        if rejected.len() > before {
            continue;
        }
        let source_key = match cell("source_key") {
            "" => {
                let basis =
                    format!("{mechanism}\u{1f}{}\u{1f}{}\u{1f}{text}", cell("document_symbol"), cell("paragraph"));
                format!("mapped:{:016x}", fnv1a(basis.as_bytes()))
            }
            k => format!("{}:{k}", mechanism.to_lowercase()),
        };
        if !seen.insert(source_key.clone()) {
            rejected.push(RowError { line: *line, column: column_of("source_key"), code: "duplicate" });
            continue;
        }
        let mut themes: Vec<String> = cell("themes")
            .split([',', ';'])
            .map(|t| t.trim().chars().take(100).collect::<String>())
            .filter(|t| !t.is_empty())
            .collect();
        themes.sort();
        themes.dedup();
        good.push((
            *line,
            RecommendationInput {
                source_key,
                mechanism_code: mechanism,
                state_under_review: state,
                session: cell("session").to_string(),
                cycle: None,
                document_symbol: cell("document_symbol").to_string(),
                paragraph: cell("paragraph").to_string(),
                issued_on,
                recommending_state: cell("recommending_state").to_string(),
                text: text.to_string(),
                response: Response::normalize(cell("response")),
                response_raw: cell("response").chars().take(100).collect(),
                action_category: None,
                themes,
            },
        ));
    }
    Ok((good, rejected))
}

/// A stable 64-bit digest (FNV-1a) for keys made from a row's content: the
/// same row gives the same key in every version of rightsdesk.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3))
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
                errors.push(ValidationError::new(field, "too-long"));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn table(lines: &[&[&str]]) -> (Vec<String>, Vec<(usize, Vec<String>)>) {
        let headers = UPR_INFO_COLUMNS.iter().map(|s| s.to_string()).collect();
        let rows = lines.iter().enumerate().map(|(i, l)| (i + 2, l.iter().map(|s| s.to_string()).collect())).collect();
        (headers, rows)
    }

    #[test]
    fn cycles_and_dates_of_upr_sessions() {
        assert_eq!(upr_cycle(6), Some(1));
        assert_eq!(upr_cycle(18), Some(2));
        assert_eq!(upr_cycle(32), Some(3));
        assert_eq!(upr_cycle(46), Some(4));
        assert_eq!(upr_cycle(0), None);
        assert_eq!(upr_session_month(6), Some("2009-11"));
        assert_eq!(upr_session_month(18), Some("2014-01"));
        assert_eq!(upr_session_month(40), None);
    }

    #[test]
    fn upr_info_rows_are_read_and_bad_rows_rejected_with_reasons() {
        let (h, rows) = table(&[
            &["7443", "6", "Cambodia", "Establish an NHRI", "Egypt", "Accepted", "4", "NHRI,Detention, NHRI"],
            &["7444", "x", "Cambodia", "", "Chile", "Noted", "9", ""],
            &["7443", "6", "Cambodia", "Again", "Chile", "Noted", "", ""],
            &["7445", "18", "Cambodia", "Adopt a law", "Chile", "Noted", "", ""],
        ]);
        let (good, rejected) = parse_upr_info(&h, &rows).unwrap();
        assert_eq!(good.len(), 2);
        let r = &good[0].1;
        assert_eq!((r.source_key.as_str(), r.cycle, r.response), ("upr-info:7443", Some(1), Some(Response::Supported)));
        assert_eq!(r.themes, vec!["Detention".to_string(), "NHRI".to_string()]);
        assert_eq!(good[1].1.response, Some(Response::Noted));
        assert_eq!(good[1].1.issued_on.as_deref(), Some("2014-01"));
        let found: Vec<(usize, &str, &str)> = rejected.iter().map(|e| (e.line, e.column.as_str(), e.code)).collect();
        assert_eq!(
            found,
            [
                (3, "session", "not-a-session"),
                (3, "recommendation", "required"),
                (3, "action_category", "invalid-choice"),
                (4, "id", "duplicate"),
            ]
        );
        let (mut h, rows) = table(&[&["1", "1", "A", "B", "C", "Accepted", "", ""]]);
        h.retain(|c| c != "recommendation");
        assert_eq!(parse_upr_info(&h, &rows).unwrap_err()[0].code, "missing-column");
    }

    #[test]
    fn reporting_events_need_a_kind_a_title_and_a_day() {
        let ok = ReportingEventFields {
            mechanism_code: "ccpr".into(),
            kind: "state_report_due".into(),
            title: "Fourth periodic report".into(),
            due_on: "2027-03-31".into(),
            ..Default::default()
        };
        assert_eq!(ok.parse().unwrap().mechanism_code, "CCPR");
        let bad = ReportingEventFields { kind: "party".into(), due_on: "soon".into(), ..Default::default() };
        let codes: Vec<_> = bad.parse().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(codes, ["mechanism_code", "kind", "title", "due_on"]);
    }

    #[test]
    fn details_take_sdg_targets_groups_and_a_cluster() {
        let d = RecommendationDetailsFields {
            themes: "NHRI, Detention,NHRI".into(),
            sdg_targets: "16.10; 5.2 16.a".into(),
            affected_groups: vec!["children".into(), "women_and_girls".into()],
            cluster: " Civic space ".into(),
            institutions: vec![3, 1, 3],
        }
        .parse()
        .unwrap();
        assert_eq!(d.themes, ["Detention", "NHRI"]);
        assert_eq!(d.sdg_targets, [("16.10".to_string(), 16), ("16.a".to_string(), 16), ("5.2".to_string(), 5)]);
        assert_eq!((d.cluster.as_deref(), d.institutions), (Some("Civic space"), vec![1, 3]));
        for bad in ["18.1", "16", "x.1", "16.abc"] {
            let f = RecommendationDetailsFields { sdg_targets: bad.into(), ..Default::default() };
            assert_eq!(f.parse().unwrap_err()[0].field, "sdg_targets", "{bad}");
        }
        let f = RecommendationDetailsFields { affected_groups: vec!["aliens".into()], ..Default::default() };
        assert_eq!(f.parse().unwrap_err()[0].field, "affected_groups");
    }

    #[test]
    fn actions_need_a_title_and_take_a_known_status() {
        let a = ActionFields { title: "Draft the NHRI law".into(), due_on: "2027-06-30".into(), ..Default::default() };
        let a = a.parse().unwrap();
        assert_eq!((a.status.as_str(), a.due_on.as_deref(), a.organisation_id), ("planned", Some("2027-06-30"), None));
        let bad = ActionFields {
            organisation_id: "x".into(),
            status: "done".into(),
            due_on: "soon".into(),
            ..Default::default()
        };
        let fields: Vec<_> = bad.parse().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["title", "organisation_id", "due_on", "status"]);
        assert_eq!(IndicatorFields::default().parse().unwrap_err()[0].field, "name");
    }

    #[test]
    fn mapped_files_fill_the_chosen_fields() {
        let headers: Vec<String> =
            ["Body", "Symbol", "Para", "Recommendation", "Date", "Topics"].iter().map(|s| s.to_string()).collect();
        let row = |l: usize, cells: &[&str]| (l, cells.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        let rows = vec![
            row(
                2,
                &[
                    "ccpr",
                    "CCPR/C/KHM/CO/3",
                    "11",
                    "Ensure the independence of the judiciary",
                    "2022-04",
                    "Judiciary; Fair trial",
                ],
            ),
            row(3, &["", "CCPR/C/KHM/CO/3", "13", "Protect human rights defenders", "2022-04-28", ""]),
            row(4, &["XYZ", "", "", "Something", "2022", ""]),
            row(5, &["CCPR", "", "", "", "yesterday", ""]),
            row(6, &["", "", "", "", "", ""]),
        ];
        let mapping = ColumnMapping {
            columns: [
                ("mechanism_code", "Body"),
                ("document_symbol", "Symbol"),
                ("paragraph", "Para"),
                ("text", "Recommendation"),
                ("issued_on", "Date"),
                ("themes", "Topics"),
            ]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
            default_mechanism: "CCPR".into(),
            default_state: "Cambodia".into(),
        };
        let known = vec!["CCPR".to_string(), "UPR".to_string()];
        let (good, rejected) = parse_mapped(&headers, &rows, &mapping, &known).unwrap();
        assert_eq!(good.len(), 2);
        assert_eq!(good[0].1.mechanism_code, "CCPR");
        assert_eq!(good[0].1.themes, ["Fair trial", "Judiciary"]);
        assert_eq!((good[1].1.mechanism_code.as_str(), good[1].1.state_under_review.as_str()), ("CCPR", "Cambodia"));
        assert!(good[0].1.source_key.starts_with("mapped:") && good[0].1.source_key != good[1].1.source_key);
        let again = parse_mapped(&headers, &rows, &mapping, &known).unwrap().0;
        assert_eq!(again[0].1.source_key, good[0].1.source_key, "the same row, the same key");
        let found: Vec<(usize, &str, &str)> = rejected.iter().map(|e| (e.line, e.column.as_str(), e.code)).collect();
        assert_eq!(
            found,
            [(4, "Body", "invalid-choice"), (5, "Recommendation", "required"), (5, "Date", "invalid-fuzzy-date")]
        );
        let mut wrong = mapping.clone();
        wrong.columns.push(("session".into(), "Sesion".into()));
        assert_eq!(parse_mapped(&headers, &rows, &wrong, &known).unwrap_err()[0].code, "missing-column");
    }

    #[test]
    fn assessments_need_a_status_and_a_day() {
        let ok =
            AssessmentFields { status: "in_progress".into(), assessed_on: "2026-11-01".into(), ..Default::default() };
        assert_eq!(ok.parse().unwrap().status, ImplementationStatus::InProgress);
        let bad = AssessmentFields { status: "done".into(), assessed_on: "2026-11".into(), ..Default::default() };
        let codes: Vec<_> = bad.parse().unwrap_err().iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(codes, [("status", "invalid-choice"), ("assessed_on", "invalid-day")]);
    }
}
