//! The records of legislation the store reads and writes. Days are ISO
//! `YYYY-MM-DD` text; `created_at`/`updated_at` are microseconds.

use rightsdesk_domain::legislation::{
    ArticleChangeKind, CommentInput, CommentSeverity, CommentStatus, GovernmentResponse, LawInput, LawPriority,
    LawStage, LawStructure, ResponseInput, VersionFormat, VersionInput,
};
use rightsdesk_domain::LawScope;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Law {
    pub id: i64,
    pub title_en: String,
    pub title_km: String,
    pub short_name: String,
    pub ministry_id: Option<i64>,
    pub ministry_en: Option<String>,
    pub ministry_km: Option<String>,
    pub lead_user_id: Option<i64>,
    pub lead_name: Option<String>,
    pub priority: LawPriority,
    pub stage: LawStage,
    /// The day the law reached its current stage.
    pub stage_on: String,
    pub themes: Vec<String>,
    pub consultation_opens: Option<String>,
    pub consultation_closes: Option<String>,
    pub versions: i64,
    pub comments: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A new law: its fields, the stage it enters the register at and since when.
#[derive(Debug, Clone)]
pub struct NewLaw {
    pub input: LawInput,
    pub stage: LawStage,
    pub stage_on: String,
    pub by: i64,
}

#[derive(Debug, Clone, Default)]
pub struct LawFilter {
    /// `None`: every law (the caller checked the actor may see them all).
    pub scope: Option<LawScope>,
    pub stage: Option<LawStage>,
    pub ministry_id: Option<i64>,
    pub theme: Option<String>,
    pub lead_user_id: Option<i64>,
    pub priority: Option<LawPriority>,
    /// Only laws linked to this recommendation.
    pub recommendation_id: Option<i64>,
    /// Only laws linked to this case.
    pub case_id: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

/// A stage change: checked against `from` (the stage the law had when the
/// move was validated), to `stage` since `on`.
#[derive(Debug, Clone)]
pub struct NewStage<'a> {
    pub from: LawStage,
    pub stage: LawStage,
    pub on: &'a str,
    pub note: &'a str,
    pub by: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LawStageChange {
    pub id: i64,
    pub stage: LawStage,
    pub stage_on: String,
    pub note: String,
    pub recorded_by: Option<i64>,
    pub recorded_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LawVersion {
    pub id: i64,
    pub law_id: i64,
    pub label: String,
    pub dated: String,
    pub source: String,
    pub format: VersionFormat,
    /// False for a scanned PDF kept until its text is pasted.
    pub has_text: bool,
    pub preamble: String,
    pub file_name: Option<String>,
    pub size_bytes: Option<i64>,
    pub articles: i64,
    pub created_by: Option<i64>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LawArticle {
    pub id: i64,
    pub version_id: i64,
    pub position: i64,
    pub number: String,
    pub heading: String,
    pub chapter_number: Option<String>,
    pub chapter_heading: Option<String>,
    pub chapter_title: Option<String>,
    pub text: String,
}

/// The uploaded file of a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionFile {
    pub file_name: String,
    pub content_type: String,
    pub sha256: String,
    pub content: Vec<u8>,
}

/// Where a comment goes when a new version arrives: the matching article's
/// number there (none when it was removed) and what happened to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentMove {
    pub comment_id: i64,
    pub article_number: Option<String>,
    pub change: ArticleChangeKind,
}

/// A new version: its fields, the text and its structure, the file, and
/// where the comments on the previous version move (computed by the caller
/// with `legislation::compare_articles`).
#[derive(Debug, Clone)]
pub struct NewVersion {
    pub input: VersionInput,
    pub format: VersionFormat,
    pub has_text: bool,
    pub text: String,
    pub structure: LawStructure,
    pub file: Option<VersionFile>,
    /// The latest version when the moves were computed: if another version
    /// was added since, the write is refused (`Conflict`) and nothing changes.
    pub previous: Option<i64>,
    /// Where the previous version's comments go. Empty for a version
    /// without text (a scan): its comments stay where they are until the
    /// text is pasted ([`TextCorrection`]).
    pub moves: Vec<CommentMove>,
    pub by: i64,
}

/// A version's text corrected (or pasted for a scan), split again, and
/// where comments go: from `moves_from` (this version for a corrected
/// split; the previous version when a scan gets its first text) to this one.
#[derive(Debug, Clone)]
pub struct TextCorrection {
    pub text: String,
    pub structure: LawStructure,
    pub moves_from: i64,
    pub moves: Vec<CommentMove>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LawComment {
    pub id: i64,
    pub law_id: i64,
    pub version_id: i64,
    /// None: a comment on the law as a whole, or its article was removed.
    pub article_number: Option<String>,
    /// What happened to the article when the comment last moved to a new
    /// version (`None`: it never moved).
    pub article_change: Option<ArticleChangeKind>,
    pub previous_number: Option<String>,
    pub concern: String,
    pub standard: String,
    pub standard_articles: Vec<StandardArticle>,
    pub recommendations: Vec<LinkedRecommendation>,
    pub recommended_change: String,
    pub severity: CommentSeverity,
    pub status: CommentStatus,
    pub response: Option<GovernmentResponse>,
    pub response_on: Option<String>,
    pub response_text: String,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StandardArticle {
    pub instrument_code: String,
    pub number: i64,
    pub caption: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LinkedRecommendation {
    pub id: i64,
    pub mechanism_code: String,
    pub symbol: String,
    pub text: String,
    /// Organisation ids the recommendation is assigned to.
    #[serde(skip)]
    pub institutions: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LinkedCase {
    pub id: i64,
    pub reference: String,
    /// For the caller's scope check.
    #[serde(skip)]
    pub office_id: i64,
    #[serde(skip)]
    pub restricted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LinkedIntervention {
    pub id: i64,
    pub case_id: i64,
    pub case_reference: String,
    pub kind: String,
    pub date: Option<String>,
    #[serde(skip)]
    pub office_id: i64,
    #[serde(skip)]
    pub restricted: bool,
}

/// What a law is linked to (the caller filters cases by the actor's scope).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LawLinks {
    pub recommendations: Vec<LinkedRecommendation>,
    pub cases: Vec<LinkedCase>,
    pub interventions: Vec<LinkedIntervention>,
}

/// The comment as written, and who wrote it.
#[derive(Debug, Clone)]
pub struct NewComment<'a> {
    pub version_id: i64,
    pub input: &'a CommentInput,
    pub by: i64,
}

/// The Government's response, and who recorded it.
#[derive(Debug, Clone)]
pub struct NewResponse<'a> {
    pub input: &'a ResponseInput,
}

/// One kind of link of a law.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LawLinkKind {
    Recommendation,
    Case,
    Intervention,
}
