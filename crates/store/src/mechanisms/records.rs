//! The records of mechanisms the store reads and writes.

use rightsdesk_domain::mechanisms::{ImplementationStatus, MechanismKind, RecommendationInput, Response};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Mechanism {
    pub code: String,
    pub kind: MechanismKind,
    pub name_en: String,
    pub name_km: String,
    pub instrument_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Recommendation {
    pub id: i64,
    pub source_key: String,
    pub mechanism_code: String,
    pub state_under_review: String,
    pub session: String,
    pub cycle: Option<i64>,
    pub document_symbol: String,
    pub paragraph: String,
    pub issued_on: Option<String>,
    pub recommending_state: String,
    pub text: String,
    pub response: Option<Response>,
    pub response_raw: String,
    pub action_category: Option<i64>,
    /// The status of the latest assessment (`no_information` before any).
    pub status: ImplementationStatus,
    pub themes: Vec<String>,
    /// SDG target codes (`16.10`).
    pub sdg_targets: Vec<String>,
    pub affected_groups: Vec<String>,
    pub cluster: Option<String>,
    pub updated_at: i64,
}

/// Filters of the recommendation list; every filter that is set must hold.
#[derive(Debug, Clone, Default)]
pub struct RecommendationFilter {
    pub state_under_review: Option<String>,
    pub mechanism_code: Option<String>,
    pub cycle: Option<i64>,
    pub session: Option<String>,
    pub response: Option<Response>,
    pub status: Option<ImplementationStatus>,
    pub theme: Option<String>,
    pub recommending_state: Option<String>,
    /// Words that must appear in the text (case-insensitive, as typed).
    pub text: Option<String>,
    /// Recommendations assigned to this institution (organisation id).
    pub institution: Option<i64>,
    /// Recommendations linked to a target of this SDG.
    pub sdg_goal: Option<i64>,
    pub affected_group: Option<String>,
    pub cluster_id: Option<i64>,
    /// Keyset paging by id, newest first: the ones below this id.
    pub after: Option<i64>,
    pub limit: i64,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ImportOutcome {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Assessment {
    pub id: i64,
    pub recommendation_id: i64,
    pub status: ImplementationStatus,
    pub assessed_on: String,
    pub evidence: String,
    pub source: String,
    pub assessor_id: Option<i64>,
    pub assessor_name: String,
    pub created_at: i64,
}

/// One value of a facet and how many recommendations of the filter have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FacetCount {
    pub value: String,
    pub count: i64,
}

/// Counts of the filtered recommendations by mechanism, response, status,
/// cycle and theme (the most frequent themes first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RecommendationFacets {
    pub total: i64,
    pub mechanism: Vec<FacetCount>,
    pub response: Vec<FacetCount>,
    pub status: Vec<FacetCount>,
    pub cycle: Vec<FacetCount>,
    pub theme: Vec<FacetCount>,
}

/// What re-importing compares: an unchanged row is left as it is.
pub fn recommendation_fingerprint(r: &RecommendationInput) -> String {
    let fields = [
        r.mechanism_code.as_str(),
        &r.state_under_review,
        &r.session,
        &r.cycle.map(|c| c.to_string()).unwrap_or_default(),
        &r.document_symbol,
        &r.paragraph,
        r.issued_on.as_deref().unwrap_or(""),
        &r.recommending_state,
        &r.text,
        r.response.map(|x| x.as_str()).unwrap_or(""),
        &r.response_raw,
        &r.action_category.map(|c| c.to_string()).unwrap_or_default(),
        &r.themes.join("\u{1f}"),
    ];
    rightsdesk_crypto::sha256_hex(fields.join("\u{1e}").as_bytes())
}

/// A date of the reporting calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReportingEvent {
    pub id: i64,
    pub mechanism_code: String,
    pub kind: String,
    pub cycle: String,
    pub title: String,
    pub due_on: String,
    /// `open`, `done` or `lapsed`.
    pub status: String,
    pub done_on: Option<String>,
    pub notes: String,
    /// The same in Khmer; empty where nobody wrote it (the English is shown).
    pub title_km: String,
    pub cycle_km: String,
    pub notes_km: String,
    pub updated_at: i64,
}

/// What the progress view groups recommendations by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProgressDimension {
    Theme,
    Institution,
    Mechanism,
    Cycle,
    SdgGoal,
    AffectedGroup,
    Cluster,
}

impl ProgressDimension {
    pub const ALL: [ProgressDimension; 7] = [
        ProgressDimension::Theme,
        ProgressDimension::Institution,
        ProgressDimension::Mechanism,
        ProgressDimension::Cycle,
        ProgressDimension::SdgGoal,
        ProgressDimension::AffectedGroup,
        ProgressDimension::Cluster,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ProgressDimension::Theme => "theme",
            ProgressDimension::Institution => "institution",
            ProgressDimension::Mechanism => "mechanism",
            ProgressDimension::Cycle => "cycle",
            ProgressDimension::SdgGoal => "sdg_goal",
            ProgressDimension::AffectedGroup => "affected_group",
            ProgressDimension::Cluster => "cluster",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        ProgressDimension::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

/// One group of the progress view: how many recommendations, and how many
/// at each implementation status (in `ImplementationStatus::ALL` order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ProgressRow {
    /// The theme, organisation id, mechanism code, cycle, goal, group or cluster id.
    pub key: String,
    /// What to show for the key (organisation or cluster name; the key otherwise).
    pub label: String,
    pub total: i64,
    pub by_status: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Cluster {
    pub id: i64,
    pub name: String,
    pub recommendations: i64,
}

/// What a focal point reported about a recommendation, and what the office
/// made of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ProgressUpdate {
    pub id: i64,
    pub recommendation_id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub submitted_by_name: String,
    pub submitted_at: i64,
    pub status: ImplementationStatus,
    pub text: String,
    /// `submitted`, `accepted` or `returned`.
    pub review: String,
    pub reviewed_by_name: String,
    pub reviewed_at: Option<i64>,
    pub review_comment: String,
}

/// An indicator of an implementation action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Indicator {
    pub id: i64,
    pub name: String,
    pub baseline: String,
    pub target: String,
    pub current: String,
    pub updated_at: i64,
}

/// What is being done to implement recommendations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ImplementationAction {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub organisation_id: Option<i64>,
    pub organisation_name: Option<String>,
    pub due_on: Option<String>,
    /// planned, ongoing, completed or cancelled.
    pub status: String,
    pub indicators: Vec<Indicator>,
    pub recommendation_ids: Vec<i64>,
    pub updated_at: i64,
}

/// A State's commitments under an instrument beyond ratification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TreatyCommitment {
    pub instrument_code: String,
    pub state: String,
    pub reservations: String,
    pub declarations: String,
    /// accepted, not_accepted or unknown.
    pub individual_complaints: String,
    pub updated_at: i64,
}
